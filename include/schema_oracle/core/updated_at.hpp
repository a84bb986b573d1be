// updated_at.hpp: does a trigger's function keep a column of the row
// current? The one recogniser for report()'s updated_at_no_trigger, the
// commit-time checks and the set_updated_at() helper.
//
// Known maintainers:
//   - moddatetime(column) (contrib/spi, language C): its argument names the column;
//   - schema_oracle.set_updated_at([column]): its first argument, default updated_at;
//   - a PL/pgSQL function with an assignment statement to NEW.column
//     (`NEW.column := ...` or `NEW.column = ...`), read the way PL/pgSQL's
//     scanner reads it: comments (-- and nested /* */), string literals
//     ('', E'', $tag$ $tag$) and quoted identifiers (NEW."updated_at") are
//     understood, unquoted names fold to lower case, and only a statement
//     start counts (after BEGIN, THEN, ELSE, LOOP, a ; or a <<label>>), so a
//     comparison such as IF NEW.updated_at = ... does not.
// Whether the trigger fires at the right time (BEFORE UPDATE, FOR EACH ROW,
// enabled) is a separate question (report.hpp: trigger_cannot_maintain).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string_view>
#include <vector>

namespace schema_oracle::core {

struct TriggerFunctionRef {
    std::string_view schema;    // the function's schema, as stored
    std::string_view name;      // as stored
    std::string_view language;  // pg_language.lanname
    std::string_view source;    // pg_proc.prosrc
};

// `column` is the column name as stored (pg_attribute.attname); `args` are
// the trigger's arguments (pg_trigger.tgargs).
bool trigger_function_maintains_column(const TriggerFunctionRef& fn,
                                       const std::vector<std::string_view>& args,
                                       std::string_view column);

// The PL/pgSQL half: does `source` contain an assignment statement to
// NEW.column?
bool plpgsql_assigns_new_column(std::string_view source, std::string_view column);

}  // namespace schema_oracle::core
