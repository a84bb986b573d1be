// commit_rules.cpp: the checks judged at commit (see commit_rules.hpp).
//
// report()'s rule families decide; this file only picks the verdicts that
// concern the transaction's tables and words them for the commit: which
// statement to run after COMMIT, and which to put into the migration when
// the commit was blocked.
#include "schema_oracle/core/commit_rules.hpp"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core {

namespace {

constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1

std::string truncate_utf8(const std::string& s, std::size_t n) {
    if (s.size() <= n)
        return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The table a report() finding belongs to: the relation itself, or the
// constraint's table. Over more than a few constraints, the constraints'
// tables by OID, sorted once per call of judge_at_commit (at the first
// constraint finding): a migration of one transaction has a foreign key
// finding per new table, and a search of every constraint for each was
// quadratic; an autocommit statement's model has a few, searched as before.
class FindingTables {
public:
    explicit FindingTables(const CatalogModel& m) : m_(m) {}
    Oid operator()(const ReportFinding& f) {
        if (f.object_class != ObjectClass::constraint)
            return f.objid;
        if (m_.constraints.size() <= linear_max) {  // the model of one table or a few
            for (const Constraint& c : m_.constraints)
                if (c.oid == f.objid)
                    return c.table;
            return 0;
        }
        if (by_oid_.empty()) {
            by_oid_.reserve(m_.constraints.size());
            for (const Constraint& c : m_.constraints) by_oid_.emplace_back(c.oid, c.table);
            // Stable: of two rows with one OID, the first in the model wins,
            // as the search in model order found it.
            std::stable_sort(by_oid_.begin(), by_oid_.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
        }
        auto it = std::lower_bound(by_oid_.begin(), by_oid_.end(), f.objid,
                                   [](const auto& e, Oid oid) { return e.first < oid; });
        return it != by_oid_.end() && it->first == f.objid ? it->second : 0;
    }

private:
    static constexpr std::size_t linear_max = 32;
    const CatalogModel& m_;
    std::vector<std::pair<Oid, Oid>> by_oid_;
};

// A trigger name for the updated_at fix: <table>_set_<column>, 63 bytes at
// most, with a number appended while the table already has one so named.
std::string trigger_name(const CatalogModel& m, const Relation& t, const std::string& column) {
    std::string base = t.name + "_set_" + column;
    for (int n = 0;; ++n) {
        std::string suffix = n == 0 ? "" : std::to_string(n);
        std::string name = truncate_utf8(base, max_identifier - suffix.size()) + suffix;
        bool taken = false;
        for (std::size_t ti : t.triggers) taken = taken || m.triggers[ti].name == name;
        if (!taken)
            return name;
    }
}

// Column name of an object identity "schema.table.column" (raw), from the
// relation's attributes: the finding carries objsubid.
const Attribute* finding_column(const Relation& t, const ReportFinding& f) {
    return t.attr(static_cast<AttrNumber>(f.objsubid));
}

std::string updated_at_fix(const CatalogModel& m, const CommitScope& scope, const Relation& t,
                           const Attribute& column, const std::string& table_identity) {
    std::string name = quote_name(trigger_name(m, t, column.name));
    std::string head = "CREATE TRIGGER " + name + " BEFORE UPDATE ON " + table_identity +
                       " FOR EACH ROW EXECUTE FUNCTION ";
    std::string arg = quote_literal(column.name);
    if (scope.has_set_updated_at)
        return head + "schema_oracle.set_updated_at(" + arg + ");";
    if (!scope.moddatetime.empty())
        return head + scope.moddatetime + "(" + arg + ");";
    return "CREATE EXTENSION IF NOT EXISTS moddatetime;\n" + head + "moddatetime(" + arg + ");";
}

}  // namespace

bool is_commit_rule(std::string_view rule) noexcept {
    return rule == "fk_missing_index" || rule == "updated_at_no_trigger" ||
           rule == "missing_primary_key" || rule == "missing_audit_columns";
}

std::vector<CommitFinding> judge_at_commit(const CatalogModel& m, const CommitScope& scope) {
    // report()'s own rule families, asked for the commit rules only (no
    // schema filter; report()'s exemptions are report()'s: waivers apply here).
    ReportOptions options;
    if (scope.rules.empty())
        options.rules = std::vector<std::string>{"fk_missing_index", "missing_audit_columns",
                                                 "missing_primary_key", "updated_at_no_trigger"};
    else
        options.rules = std::vector<std::string>(scope.rules.begin(), scope.rules.end());
    const ReportScope scope_filter(m, options);
    std::vector<ReportFinding> verdicts;
    report_foreign_keys(m, scope_filter, verdicts);
    report_tables(m, scope_filter, verdicts);

    std::vector<CommitFinding> out;
    FindingTables finding_table(m);
    for (ReportFinding& f : verdicts) {
        if (!is_commit_rule(f.rule))
            continue;
        const Oid table = finding_table(f);
        if (!scope.tables.count(table))
            continue;
        const bool created = scope.created.count(table) > 0;
        if ((f.rule == "missing_primary_key" || f.rule == "missing_audit_columns") && !created)
            continue;
        const Relation* t = m.relation(table);
        if (t == nullptr)
            continue;

        CommitFinding c;
        c.rule = f.rule;
        c.severity = f.severity;
        c.table = table;
        c.table_identity = f.table_identity;
        c.message = "schema_oracle: at commit: " + f.message + " [" + std::string(f.rule) + "]";
        c.detail = f.detail;
        if (f.rule == "fk_missing_index") {
            c.detail = "Every DELETE or key UPDATE on the referenced table scans " +
                       f.table_identity + " for referencing rows" +
                       (f.detail.empty() ? std::string(".") : "; " + f.detail);
            if (!f.fix.empty()) {
                c.fix_after =
                    "Create the index after COMMIT, outside a transaction block:\n" + f.fix;
                std::string plain = f.fix.str();
                const std::string concurrent = "CREATE INDEX CONCURRENTLY ";
                if (starts_with(plain, concurrent))
                    plain = "CREATE INDEX " + plain.substr(concurrent.size());
                c.fix_before = created
                                   ? "The table is new: create the index in the migration, before "
                                     "COMMIT:\n" +
                                         plain
                                   : "Build the index first, outside a transaction block, then run "
                                     "the migration again:\n" +
                                         f.fix;
            } else {
                // Partitioned: report()'s detail says how (ON ONLY + ATTACH).
                c.fix_after = c.fix_before =
                    "See DETAIL: a partitioned table's index is built "
                    "per partition.";
            }
        } else if (f.rule == "updated_at_no_trigger") {
            const Attribute* a = finding_column(*t, f);
            if (a == nullptr)
                continue;
            std::string fix = updated_at_fix(m, scope, *t, *a, f.table_identity.str());
            c.fix_after = "Add a trigger that keeps it current:\n" + fix;
            c.fix_before = "Add a trigger that keeps it current, in the migration:\n" + fix;
        } else if (f.rule == "missing_primary_key") {
            std::string fix = !f.fix.empty() ? f.fix.str()
                                             : "ALTER TABLE " + f.table_identity +
                                                   " ADD PRIMARY KEY (<key columns>);";
            c.fix_after = c.fix_before = "Declare the primary key in the migration:\n" + fix;
        } else {  // missing_audit_columns
            c.fix_after = c.fix_before = "Add the columns in the migration:\n" + f.fix;
        }
        out.push_back(std::move(c));
    }
    std::stable_sort(out.begin(), out.end(), [](const CommitFinding& a, const CommitFinding& b) {
        return std::tie(a.table_identity, a.rule) < std::tie(b.table_identity, b.rule);
    });
    return out;
}

}  // namespace schema_oracle::core
