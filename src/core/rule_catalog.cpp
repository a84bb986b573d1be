// rule_catalog.cpp: merges the per-area rule tables into one sorted catalog
// and renders a rule's documentation.
#include "schema_oracle/core/rule.hpp"

#include <algorithm>
#include <stdexcept>

namespace schema_oracle::core {

std::string_view to_string(Category c) noexcept {
    switch (c) {
        case Category::lock:
            return "lock";
        case Category::rewrite:
            return "rewrite";
        case Category::breaking:
            return "breaking";
        case Category::timeout:
            return "timeout";
        case Category::integrity:
            return "integrity";
        case Category::performance:
            return "performance";
        case Category::type_hygiene:
            return "type_hygiene";
        case Category::security:
            return "security";
    }
    return "unknown";
}

std::string_view to_string(Severity s) noexcept {
    switch (s) {
        case Severity::info:
            return "info";
        case Severity::warning:
            return "warning";
        case Severity::error:
            return "error";
    }
    return "unknown";
}

std::string_view to_string(Scope s) noexcept {
    switch (s) {
        case Scope::guard:
            return "guard";
        case Scope::report:
            return "report";
        case Scope::both:
            return "guard, report";
        case Scope::check:
            return "check";
    }
    return "unknown";
}

std::optional<Severity> parse_severity(std::string_view text) noexcept {
    if (text == "info")
        return Severity::info;
    if (text == "warning")
        return Severity::warning;
    if (text == "error")
        return Severity::error;
    return std::nullopt;
}

namespace {

std::vector<RuleInfo> merge_catalog() {
    std::vector<RuleInfo> all;
    for (const auto* table :
         {&guard_breaking_rules(), &guard_columns_rules(), &guard_constraints_rules(),
          &guard_hygiene_rules(), &guard_index_rules(), &guard_lock_rules(),
          &guard_maintenance_rules(), &guard_rebuilds_rules(), &guard_dml_rules(), &report_rules(),
          &check_rules()})
        all.insert(all.end(), table->begin(), table->end());
    std::sort(all.begin(), all.end(),
              [](const RuleInfo& a, const RuleInfo& b) { return a.id < b.id; });
    // A rule id is a public, stable name: two areas may not define the same one.
    auto dup = std::adjacent_find(all.begin(), all.end(),
                                  [](const auto& a, const auto& b) { return a.id == b.id; });
    if (dup != all.end())
        throw std::logic_error("rule id defined twice: " + std::string(dup->id));
    return all;
}

}  // namespace

const std::vector<RuleInfo>& rules() {
    // Built on first use (not at load time: no global constructors in a backend).
    static const std::vector<RuleInfo> catalog = merge_catalog();
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
