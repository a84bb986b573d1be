// rule_catalog.cpp: serves the rule catalog, whose data is compiled in from
// src/core/rules/*.rules (tools/rule_catalog_gen.cpp), and renders a rule's
// documentation.
#include "schema_oracle/core/rule.hpp"

#include <algorithm>

#include "schema_oracle/core/enum_names.hpp"

namespace schema_oracle::core {

namespace {
constexpr EnumName<Category> category_names[] = {{Category::lock, "lock"},
                                                 {Category::rewrite, "rewrite"},
                                                 {Category::breaking, "breaking"},
                                                 {Category::timeout, "timeout"},
                                                 {Category::integrity, "integrity"},
                                                 {Category::performance, "performance"},
                                                 {Category::type_hygiene, "type_hygiene"},
                                                 {Category::security, "security"}};
constexpr EnumName<Severity> severity_names[] = {
    {Severity::info, "info"}, {Severity::warning, "warning"}, {Severity::error, "error"}};
constexpr EnumName<Scope> scope_names[] = {{Scope::guard, "guard"},
                                           {Scope::report, "report"},
                                           {Scope::both, "guard, report"},
                                           {Scope::check, "check"}};
}  // namespace

std::string_view to_string(Category c) noexcept {
    return name_of(category_names, c, "unknown");
}

std::string_view to_string(Severity s) noexcept {
    return name_of(severity_names, s, "unknown");
}

std::string_view to_string(Scope s) noexcept {
    return name_of(scope_names, s, "unknown");
}

std::optional<Severity> parse_severity(std::string_view text) noexcept {
    return value_of(severity_names, text);
}

const std::vector<RuleInfo>& rules() {
    // Built on first use (not at load time: no global constructors in a
    // backend) from the generated table, which is sorted by id and has no id
    // twice (tools/rule_catalog_gen.cpp refuses to build otherwise).
    static const std::vector<RuleInfo> catalog(rule_table, rule_table + rule_table_size);
    return catalog;
}

const RuleInfo* find_rule(std::string_view id) noexcept {
    try {
        const auto& all = rules();
        auto it =
            std::lower_bound(all.begin(), all.end(), id,
                             [](const RuleInfo& r, std::string_view key) { return r.id < key; });
        return (it != all.end() && it->id == id) ? &*it : nullptr;
    } catch (...) {
        return nullptr;
    }
}

std::string render_rule_doc(const RuleInfo& r) {
    std::string out;
    out.reserve(1024);
    out += "# ";
    out += r.id;
    out += "\n\n";
    out += r.summary;
    out += "\n\n| category | default severity | judged by |\n|---|---|---|\n| ";
    out += to_string(r.category);
    out += " | ";
    out += to_string(r.severity);
    out += " | ";
    out += to_string(r.scope);
    out += " |\n\n## What it detects\n\n";
    out += r.detects;
    out += "\n\n## Why it hurts\n\n";
    out += r.hazard;
    out += "\n";
    if (!r.lock.empty()) {
        out += "\n## Lock\n\n";
        out += r.lock;
        out += "\n";
    }
    out += "\n## Safe alternative\n\n";
    out += r.safe;
    out += "\n";
    return out;
}

}  // namespace schema_oracle::core
