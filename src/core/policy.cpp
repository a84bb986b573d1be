// policy.cpp: parsing schema_oracle.rule_levels and deciding a finding's level.
#include "schema_oracle/core/policy.hpp"

#include <algorithm>
#include <cstddef>

#include "schema_oracle/core/enum_names.hpp"

namespace schema_oracle::core {

namespace {
constexpr EnumName<Level> level_names[] = {
    {Level::off, "off"}, {Level::notice, "notice"}, {Level::warn, "warn"}, {Level::block, "block"}};
}  // namespace

std::string_view to_string(Level level) noexcept {
    return name_of(level_names, level, "unknown");
}

std::optional<Level> parse_level(std::string_view text) noexcept {
    return value_of(level_names, text);
}

namespace {

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos)
        return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

}  // namespace

std::optional<RuleLevels> parse_rule_levels(std::string_view text, std::string* error) {
    RuleLevels out;
    auto fail = [&](std::string why) -> std::optional<RuleLevels> {
        if (error)
            *error = std::move(why);
        return std::nullopt;
    };
    while (!text.empty()) {
        auto comma = text.find(',');
        std::string_view item = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        if (item.empty()) {
            if (comma == std::string_view::npos)
                break;
            return fail("empty item in rule level list");
        }
        auto eq = item.find('=');
        if (eq == std::string_view::npos)
            return fail("\"" + std::string(item) + "\" is not rule=level");
        std::string_view rule = trim(item.substr(0, eq));
        std::string_view level_text = trim(item.substr(eq + 1));
        const RuleInfo* info = find_rule(rule);
        if (info == nullptr)
            return fail("unknown rule \"" + std::string(rule) + "\"");
        if (info->scope == Scope::report)
            return fail("rule \"" + std::string(rule) + "\" is judged by report(), not the guard");
        // check()'s own rules (syntax_error, unknown_object, ...) take levels too.
        auto level = parse_level(level_text);
        if (!level)
            return fail("unknown level \"" + std::string(level_text) +
                        "\" (use off, notice, warn or block)");
        out[std::string(rule)] = *level;
    }
    return out;
}

namespace {

Level default_level(const RuleInfo& rule, GuardMode mode) {
    switch (rule.severity) {
        case Severity::info:
            return Level::notice;
        case Severity::warning:
            return Level::warn;
        case Severity::error:
            return mode == GuardMode::block ? Level::block : Level::warn;
    }
    return Level::warn;
}

}  // namespace

Level effective_level(const RuleInfo& rule, GuardMode mode, const RuleLevels& overrides) {
    if (mode == GuardMode::off)
        return Level::off;
    auto it = overrides.find(rule.id);
    if (it != overrides.end())
        return it->second;
    return default_level(rule, mode);
}

std::size_t rule_level_table_size() {
    return offsetof(RuleLevelTable, levels) + std::max<std::size_t>(rules().size(), 1);
}

void fill_rule_level_table(const RuleLevels& overrides, RuleLevelTable* table) {
    const auto& all = rules();
    table->count = all.size();
    for (std::size_t i = 0; i < all.size(); ++i) {
        auto it = overrides.find(all[i].id);
        table->levels[i] =
            it == overrides.end() ? level_unset : static_cast<std::int8_t>(it->second);
    }
}

Level effective_level(const RuleInfo& rule, GuardMode mode, const RuleLevelTable* overrides) {
    if (mode == GuardMode::off)
        return Level::off;
    const auto& all = rules();
    if (overrides != nullptr && &rule >= all.data() && &rule < all.data() + all.size()) {
        const auto i = static_cast<std::size_t>(&rule - all.data());
        if (i < overrides->count && overrides->levels[i] != level_unset)
            return static_cast<Level>(overrides->levels[i]);
    }
    return default_level(rule, mode);
}

}  // namespace schema_oracle::core
