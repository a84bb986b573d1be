// commit_rules.hpp: the rules judged when a transaction that ran DDL is
// about to commit (docs/commit-checks.md), as pure functions of a small
// CatalogModel holding only the tables the transaction touched.
//
// The verdicts are report()'s own: judge_at_commit() runs report()'s rule
// families (report_foreign_keys, report_tables) over that model and keeps
//   fk_missing_index, updated_at_no_trigger   for every touched table,
//   missing_primary_key, missing_audit_columns for tables created in the
//                                              transaction,
// so the guard and report() can never disagree about coverage or about what
// maintains an updated_at column. What this file adds is the commit-time
// framing: messages that say "at commit", and fixes for both situations (the
// migration committed and the statement runs afterwards, or it was blocked
// and the statement goes into the migration).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string>
#include <string_view>
#include <vector>

#include <boost/container/flat_set.hpp>

#include "schema_oracle/core/catalog_model.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

struct CommitScope {
    boost::container::flat_set<Oid> tables;   // judged tables (partition roots)
    boost::container::flat_set<Oid> created;  // those created in this transaction
    // What the updated_at fix may call: schema_oracle.set_updated_at() when
    // installed, else moddatetime (qualified, "" = not installed: the fix
    // then installs the contrib extension first).
    bool has_set_updated_at = false;
    std::string moddatetime;  // e.g. public.moddatetime
    // The commit rules to judge (the host leaves out those whose level is
    // off: their findings would be dropped); empty = all of them.
    std::vector<std::string_view> rules;
};

struct CommitFinding {
    std::string_view rule;  // static storage (the rule catalog)
    Severity severity = Severity::warning;
    Oid table = 0;
    std::string table_identity;  // schema.table, quoted
    std::string message;         // errmsg, "schema_oracle: at commit: ... [rule]"
    std::string detail;          // errdetail ("" = none)
    std::string fix_after;       // hint when the migration commits: run after COMMIT
    std::string fix_before;      // hint when it is blocked: put into the migration
};

// Every finding for the tables in `scope`, ordered by table then rule.
std::vector<CommitFinding> judge_at_commit(const CatalogModel& model, const CommitScope& scope);

// The rule ids judged at commit.
bool is_commit_rule(std::string_view rule) noexcept;

}  // namespace schema_oracle::core
