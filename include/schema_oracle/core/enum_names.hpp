// enum_names.hpp: an enum's spellings in one table, read both ways.
//
// Each enum that is printed or parsed (a level, a severity, a category...)
// lists its values with their names once; to_string and parse functions look
// them up here instead of repeating a switch and an if-chain per enum.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace schema_oracle::core {

template <typename Enum>
struct EnumName {
    Enum value;
    std::string_view name;
};

// The name of `value` in `table`, or `fallback` when the table lacks it.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const EnumName<Enum> (&table)[N], Enum value,
                                   std::string_view fallback) noexcept {
    for (const EnumName<Enum>& e : table)
        if (e.value == value)
            return e.name;
    return fallback;
}

// The value named `name` in `table` (the first such row), or nullopt.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> value_of(const EnumName<Enum> (&table)[N],
                                       std::string_view name) noexcept {
    for (const EnumName<Enum>& e : table)
        if (e.name == name)
            return e.value;
    return std::nullopt;
}

}  // namespace schema_oracle::core
