// sql_text.hpp: text that someone will paste, quoted for where it is pasted.
//
// The one implementation of each quoting rule, used by the guard's hints and
// report()'s fixes alike:
//   quote_name     an identifier (orders_id_seq, orders_a_b_idx, "user"),
//                  quoted the way PostgreSQL's quote_identifier does: plain
//                  lower-case names stay bare unless they are a keyword
//                  other than an unreserved one (PostgreSQL 15's keyword
//                  table: upstream/keywords.hpp);
//   quote_literal  an SQL string literal as quote_literal writes it
//                  ('it''s'; E'C:\\dir' when the text holds a backslash);
//   shell_word     one word for a POSIX shell (bash, sh): a command in a hint
//                  (pg_repack --table=...) runs exactly that, whatever the
//                  names hold ($(...), `...`, quotes, spaces, newlines).
// Identifiers that come from the catalog are quoted on the PostgreSQL side
// with quote_identifier itself, which also knows the keywords.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string>
#include <string_view>

namespace schema_oracle::core {

std::string quote_name(std::string_view name);
std::string quote_literal(std::string_view text);
std::string shell_word(std::string_view word);

}  // namespace schema_oracle::core
