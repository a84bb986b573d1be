// report_fk.cpp: report() rules on constraints: fk_missing_index,
// fk_type_mismatch, constraint_not_valid.
#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "schema_oracle/core/fk_coverage.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::core {

namespace {

// Names taken per schema, as ChooseRelationName asks pg_class: every
// relation of the model (tables, sequences, indexes, and the other kinds it
// holds by name only), built once per report as a hash set of views into the
// model, and the names given to earlier fixes of this report.
class NameRegistry {
public:
    explicit NameRegistry(const CatalogModel& m) : m_(m) {
        taken_.reserve(2 * (m.relations.size() + m.indexes.size()) + m.other_relation_names.size());
        for (const auto& [oid, r] : m.relations) taken_.emplace(r.nsp, r.name);
        for (const auto& [oid, ix] : m.indexes) taken_.emplace(ix.nsp, ix.name);
        for (const auto& [nsp, name] : m.other_relation_names) taken_.emplace(nsp, name);
    }
    // PostgreSQL's ChooseIndexName: table_col1_col2_idx, then idx1, idx2...
    // (the core's one implementation: upstream/naming.hpp).
    std::string choose(Oid nsp, const std::string& table, const std::vector<std::string>& cols) {
        std::string name = upstream::choose_index_name(
            table, cols, upstream::IndexNameKind::index,
            [&](const std::string& n, bool) { return taken_.count(Key(nsp, n)) > 0; },
            m_.clip_name);
        chosen_.push_back(std::make_unique<std::string>(name));  // stable storage for the view
        taken_.emplace(nsp, *chosen_.back());
        return name;
    }

private:
    using Key = std::pair<Oid, std::string_view>;
    struct Hash {
        std::size_t operator()(const Key& k) const noexcept {
            return std::hash<std::string_view>{}(k.second) * 31 + k.first;
        }
    };
    const CatalogModel& m_;
    std::unordered_set<Key, Hash> taken_;
    std::vector<std::unique_ptr<std::string>> chosen_;  // names given to earlier fixes
};

ReportFinding constraint_finding(const CatalogModel& m, std::string_view rule, const Constraint& c,
                                 const Relation& t) {
    ReportFinding f = make_finding(rule);
    f.object_type = "table constraint";
    f.table_identity = m.table_identity(t);
    f.object_identity = c.qname + " on " + f.table_identity;
    f.schema = m.nspace(t.nsp)->name;
    f.object_class = ObjectClass::constraint;
    f.objid = c.oid;
    return f;
}

std::string column_list(const Relation& t, const AttrList& cols, bool quoted) {
    std::string out;
    for (AttrNumber n : cols) {
        if (!out.empty())
            out += ", ";
        const Attribute* a = t.attr(n);
        out += a ? (quoted ? a->qname : a->name) : "?";
    }
    return out;
}

}  // namespace

void report_foreign_keys(const CatalogModel& m, const ReportScope& s,
                         std::vector<ReportFinding>& out) {
    const bool want_not_valid = s.rule("constraint_not_valid"),
               want_mismatch = s.rule("fk_type_mismatch"),
               want_missing = s.rule("fk_missing_index");
    if (!want_not_valid && !want_mismatch && !want_missing)
        return;
    std::optional<NameRegistry> names;  // built on the first missing index only
    for (const Constraint& c : m.constraints) {
        if (c.parent != 0)
            continue;  // partition clones: judged at the parent
        const Relation* t = m.relation(c.table);
        if (t == nullptr || !is_judged_table(m, *t) || !s.schema(t->nsp))
            continue;

        ReportFinding f;
        if (want_not_valid && (c.type == 'f' || c.type == 'c') && !c.validated &&
            s.keep(f = constraint_finding(m, "constraint_not_valid", c, *t))) {
            f.message = std::string(c.type == 'f' ? "foreign key" : "check constraint") + " " +
                        c.name + " on " + f.table_identity +
                        " is NOT VALID: existing rows were never checked";
            f.detail =
                "VALIDATE CONSTRAINT checks the existing rows under a SHARE UPDATE "
                "EXCLUSIVE lock, which does not block reads or writes.";
            f.fix = "ALTER TABLE " + f.table_identity + " VALIDATE CONSTRAINT " + c.qname + ";";
            out.push_back(std::move(f));
        }
        if (c.type != 'f')
            continue;

        // fk_type_mismatch
        if (const Relation* ref = want_mismatch ? m.relation(c.ref_table) : nullptr) {
            std::string pairs;
            for (std::size_t i = 0; i < c.key.size() && i < c.ref_key.size(); ++i) {
                const Attribute* a = t->attr(c.key[i]);
                const Attribute* b = ref->attr(c.ref_key[i]);
                if (a == nullptr || b == nullptr || a->type == b->type)
                    continue;
                if (!pairs.empty())
                    pairs += "; ";
                pairs += t->name + "." + a->name + " is " + m.type_name(a->type) + " but " +
                         ref->name + "." + b->name + " is " + m.type_name(b->type);
            }
            if (!pairs.empty() && s.keep(f = constraint_finding(m, "fk_type_mismatch", c, *t))) {
                f.message = "foreign key " + c.name + " on " + f.table_identity +
                            " joins columns of different types: " + pairs;
                f.detail =
                    "Every check and join casts one side; a narrower referencing column "
                    "can overflow before the referenced key does. Changing a column type "
                    "rewrites the table, so no fix is generated.";
                out.push_back(std::move(f));
            }
        }

        // fk_missing_index
        if (!want_missing)
            continue;
        FkCoverage cov = judge_fk_coverage(c.key, t->indexes, *t);  // no strings when covered
        if (cov.covered)
            continue;
        f = constraint_finding(m, "fk_missing_index", c, *t);
        if (!s.keep(f))
            continue;
        f.message = "foreign key " + c.name + " on " + f.table_identity +
                    " has no index covering (" + column_list(*t, c.key, false) + ")";
        for (const auto& miss : cov.near_misses) {
            if (!f.detail.empty())
                f.detail += "; ";
            f.detail += miss;
        }
        if (!names)
            names.emplace(m);
        std::vector<std::string> cols;
        for (AttrNumber n : c.key)
            if (const Attribute* a = t->attr(n))
                cols.push_back(a->name);
        std::string idx = quote_name(names->choose(t->nsp, t->name, cols));
        std::string create = "INDEX " + std::string(t->kind == 'p' ? "" : "CONCURRENTLY ") +
                             "IF NOT EXISTS " + idx + " ON " + f.table_identity + " (" +
                             column_list(*t, c.key, true) + ");";
        if (t->kind == 'p') {
            // CREATE INDEX CONCURRENTLY is not supported on a partitioned
            // table, and the plain form blocks writes on every partition.
            if (!f.detail.empty())
                f.detail += "; ";
            f.detail +=
                "partitioned table: create the index ON ONLY the parent, build it "
                "CONCURRENTLY on each partition, then ATTACH PARTITION each one "
                "(docs/report.md); the plain statement is CREATE " +
                create;
        } else {
            f.fix = "CREATE " + create;
        }
        out.push_back(std::move(f));
    }
}

}  // namespace schema_oracle::core
