// policy.hpp: how findings become NOTICE, WARNING or a blocking ERROR.
//
// schema_oracle.guard = off | warn | block sets the mode;
// schema_oracle.rule_levels = 'rule=off|notice|warn|block, ...' overrides
// single rules. An explicit per-rule level wins; otherwise info -> notice,
// warning -> warn, error -> warn under guard=warn and block under
// guard=block. guard=off silences everything.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/container/flat_map.hpp>

#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

enum class GuardMode { off, warn, block };
enum class Level { off, notice, warn, block };

std::string_view to_string(Level level) noexcept;
std::optional<Level> parse_level(std::string_view text) noexcept;

using RuleLevels = boost::container::flat_map<std::string, Level, std::less<>>;

// Parses 'rule=level, rule=level'. Whitespace around items is ignored and
// an empty text is no override. Unknown rules, rules the guard does not
// judge, unknown levels and malformed items are errors: the text is then
// returned in `error` and nullopt comes back.
std::optional<RuleLevels> parse_rule_levels(std::string_view text, std::string* error);

Level effective_level(const RuleInfo& rule, GuardMode mode, const RuleLevels& overrides);

// The parsed list in plain storage, for a setting's `extra` (one malloc'd
// chunk, no destructor): one entry per rule of the catalog, by the rule's
// position in rules(); `unset` = no override.
inline constexpr std::int8_t level_unset = -1;
struct RuleLevelTable {
    std::size_t count;      // == rules().size()
    std::int8_t levels[1];  // count entries (allocated longer): a Level, or level_unset
};
// Bytes a RuleLevelTable needs for the current catalog.
std::size_t rule_level_table_size();
// Fills `table` (rule_level_table_size() bytes) from parsed overrides.
void fill_rule_level_table(const RuleLevels& overrides, RuleLevelTable* table);
// effective_level with the overrides from a table (nullptr: none).
Level effective_level(const RuleInfo& rule, GuardMode mode, const RuleLevelTable* overrides);

}  // namespace schema_oracle::core
