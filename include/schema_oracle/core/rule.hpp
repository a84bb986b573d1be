// rule.hpp: the rule catalog, the single vocabulary of schema_oracle.
//
// The guard, report() and the docs all name hazards by the same stable
// snake_case rule id. Each rule's documentation is data in the core, so
// schema_oracle.explain_rule() and docs/rules/<rule>.md are rendered from the
// same text and cannot disagree (test/unit/rule_catalog_test.cpp checks).
// The text is data, not code: src/core/rules/*.rules, compiled in.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::core {

enum class Category {
    lock,
    rewrite,
    breaking,
    timeout,
    integrity,
    performance,
    type_hygiene,
    security,
};

// Ordered from least to most severe, so severities compare with <.
enum class Severity { info, warning, error };

// Where a rule is judged.
enum class Scope { guard, report, both, check };  // check: only schema_oracle.check() judges it

struct RuleInfo {
    std::string_view id;  // stable snake_case identifier
    Category category;
    Severity severity;  // default severity; policy may change it
    Scope scope;
    std::string_view summary;  // one line
    std::string_view detects;  // what the rule detects, precisely
    std::string_view hazard;   // why it hurts in production
    std::string_view lock;     // the lock involved and what it blocks ("" if none)
    std::string_view safe;     // the safe alternative, markdown with SQL
};

std::string_view to_string(Category c) noexcept;
std::string_view to_string(Severity s) noexcept;
std::string_view to_string(Scope s) noexcept;
std::optional<Severity> parse_severity(std::string_view text) noexcept;

// All rules, sorted by id.
const std::vector<RuleInfo>& rules();

// The rule with this id, or nullptr.
const RuleInfo* find_rule(std::string_view id) noexcept;

// The rule with this id that `judged_by` judges (Scope::both: any rule), or
// core::Error with SQLSTATE 42704 (undefined_object) and a hint listing the
// rules: the one answer to an unknown rule id across the product (allow(),
// explain_rule(), report(), the exemptions table). Never drops an id.
const RuleInfo& require_rule(std::string_view id, Scope judged_by);

// The full documentation of a rule as markdown: what explain_rule() returns
// and what docs/rules/<id>.md contains.
std::string render_rule_doc(const RuleInfo& rule);

// The catalog's data, sorted by id: generated at build time from the data
// files src/core/rules/<area>.rules (one per guard family, report() and
// check()) by tools/rule_catalog_gen.cpp; rules() serves it. The format:
// docs/development.md, "The rule catalog".
extern const RuleInfo rule_table[];
extern const std::size_t rule_table_size;

}  // namespace schema_oracle::core
