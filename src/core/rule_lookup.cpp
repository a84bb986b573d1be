// rule_lookup.cpp: one answer to "is this a rule?" for every place that
// takes a rule id from a user (allow(), explain_rule(), report(rules =>),
// and, in SQL, the exemptions trigger, which uses the same SQLSTATE).
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

namespace {

// Where a rule id could have been looked up instead.
std::string listing_hint(Scope judged_by) {
    switch (judged_by) {
        case Scope::guard:
            return "SELECT rule FROM schema_oracle.rules WHERE judged_by LIKE '%guard%' lists the "
                   "rules the guard judges.";
        case Scope::report:
            return "SELECT rule FROM schema_oracle.rules WHERE judged_by LIKE '%report%' lists the "
                   "rules report() judges.";
        case Scope::check:
            return "SELECT rule FROM schema_oracle.rules WHERE judged_by = 'check' lists the "
                   "rules only schema_oracle.check() judges.";
        case Scope::both:
            break;
    }
    return "SELECT rule FROM schema_oracle.rules lists them.";
}

std::string_view judge_name(Scope s) {
    switch (s) {
        case Scope::guard:
            return "the DDL guard";
        case Scope::report:
            return "report()";
        case Scope::check:
            return "schema_oracle.check()";
        case Scope::both:
            break;
    }
    return "the DDL guard and report()";
}

}  // namespace

const RuleInfo& require_rule(std::string_view id, Scope judged_by) {
    constexpr const char* undefined_object = "42704";
    const RuleInfo* rule = find_rule(id);
    if (rule == nullptr)
        throw Error(undefined_object, "schema_oracle has no rule \"" + std::string(id) + "\"", {},
                    listing_hint(judged_by));
    if (judged_by != Scope::both && rule->scope != Scope::both && rule->scope != judged_by)
        throw Error(undefined_object,
                    "rule \"" + std::string(id) + "\" is judged by " +
                        std::string(judge_name(rule->scope)) + ", not by " +
                        std::string(judge_name(judged_by)),
                    {}, listing_hint(judged_by));
    return *rule;
}

}  // namespace schema_oracle::core
