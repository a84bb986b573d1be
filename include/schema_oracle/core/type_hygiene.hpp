// type_hygiene.hpp: the type-hygiene rules shared by the guard (a column a
// statement creates) and report() (a column that exists): json_column,
// timestamp_without_time_zone, char_column, varchar_255. Detected once (from
// the type's OID and typmod, as pg_attribute holds them) and worded once
// (what is wrong, why, and how to convert what exists); the guard adds what
// to write instead in the statement being run.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace schema_oracle::core {

enum class TypeHygiene : std::uint8_t { none, json, timestamp, character, varchar_255 };

// The finding a column of this type earns (typmod: -1 none, else
// atttypmod, i.e. the length + 4 for char/varchar).
TypeHygiene classify_column_type(std::uint32_t type_oid, std::int32_t typmod) noexcept;

// Its rule id.
std::string_view type_hygiene_rule(TypeHygiene kind) noexcept;
// "is json; jsonb is almost always the better type": follows "column <name> ".
std::string type_hygiene_problem(TypeHygiene kind, std::int32_t typmod);
// Why the type hurts, in one sentence.
std::string_view type_hygiene_why(TypeHygiene kind) noexcept;
// The type to use instead: "jsonb", "timestamptz", "text".
std::string_view type_hygiene_better_type(TypeHygiene kind) noexcept;
// How an existing column of the type is converted (report()'s advice).
std::string_view type_hygiene_conversion(TypeHygiene kind) noexcept;

}  // namespace schema_oracle::core
