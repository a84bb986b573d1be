// policy.hpp: how findings become NOTICE, WARNING or a blocking ERROR.
//
// schema_oracle.guard = off | warn | block sets the mode;
// schema_oracle.rule_levels = 'rule=off|notice|warn|block, ...' overrides
// single rules. An explicit per-rule level wins; otherwise info -> notice,
// warning -> warn, error -> warn under guard=warn and block under
// guard=block. guard=off silences everything.
#pragma once
#include "schema_oracle/core/pure.hpp"

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

}  // namespace schema_oracle::core
