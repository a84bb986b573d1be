// json.hpp: PostgreSQL's escaping of a JSON string, in pure C++: the one
// implementation, used by data_dictionary()'s JSON writer
// (src/core/erd_dictionary.cpp, which must print what jsonb_pretty() prints)
// and by schema_oracle_check's json, sarif and gitlab output (src/cli).
// Follows escape_json() of src/backend/utils/adt/json.c, PostgreSQL 15.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string>
#include <string_view>

namespace schema_oracle::upstream {

// Appends `s` as a quoted JSON string: ", \ and the control characters
// escaped, \b \f \n \r \t by name, the others as \u00XX (lowercase hex);
// every other byte (UTF-8 included) as it is.
void append_json_string(std::string& out, std::string_view s);

}  // namespace schema_oracle::upstream
