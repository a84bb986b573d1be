// report_fk.cpp: report() rules on constraints: fk_missing_index,
// fk_type_mismatch, constraint_not_valid.
#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "schema_oracle/core/fk_coverage.hpp"
#include "schema_oracle/core/report.hpp"

namespace schema_oracle::core {

std::string quote_generated_name(const std::string& name) {
    bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
    if (plain) return name;
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

namespace {

constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1

// Truncates to at most `n` bytes without splitting a UTF-8 character.
std::string truncate_utf8(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

// Names already used by relations, per schema: built once per report, as a
// hash set of views into the model.
class NameRegistry {
public:
    explicit NameRegistry(const CatalogModel& m) {
        taken_.reserve(2 * (m.relations.size() + m.indexes.size()));
        for (const auto& [oid, r] : m.relations) taken_.emplace(r.nsp, r.name);
        for (const auto& [oid, ix] : m.indexes) taken_.emplace(ix.nsp, ix.name);
    }
    // PostgreSQL's ChooseIndexName style: table_col1_col2_idx, then idx1, idx2...
    std::string choose(Oid nsp, const std::string& table, const std::vector<std::string>& cols) {
        std::string base = table;
        for (const auto& c : cols) base += "_" + c;
        for (int n = 0;; ++n) {
            std::string suffix = n == 0 ? "idx" : "idx" + std::to_string(n);
            std::string name = truncate_utf8(base, max_identifier - suffix.size() - 1) + "_" + suffix;
            if (taken_.count(Key(nsp, name))) continue;
            chosen_.push_back(std::make_unique<std::string>(name));  // stable storage for the view
            taken_.emplace(nsp, *chosen_.back());
            return name;
        }
    }

private:
    using Key = std::pair<Oid, std::string_view>;
    struct Hash {
        std::size_t operator()(const Key& k) const noexcept {
            return std::hash<std::string_view>{}(k.second) * 31 + k.first;
        }
    };
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
        if (!out.empty()) out += ", ";
        const Attribute* a = t.attr(n);
        out += a ? (quoted ? a->qname : a->name) : "?";
    }
    return out;
}

}  // namespace

void report_foreign_keys(const CatalogModel& m, const ReportScope& s, std::vector<ReportFinding>& out) {
    const bool want_not_valid = s.rule("constraint_not_valid"),
               want_mismatch = s.rule("fk_type_mismatch"), want_missing = s.rule("fk_missing_index");
    if (!want_not_valid && !want_mismatch && !want_missing) return;
    std::optional<NameRegistry> names;  // built on the first missing index only
    for (const Constraint& c : m.constraints) {
        if (c.parent != 0) continue;  // partition clones: judged at the parent
        const Relation* t = m.relation(c.table);
        if (t == nullptr || !is_judged_table(m, *t) || !s.schema(t->nsp)) continue;

        ReportFinding f;
        if (want_not_valid && (c.type == 'f' || c.type == 'c') && !c.validated &&
            s.keep(f = constraint_finding(m, "constraint_not_valid", c, *t))) {
            f.message = std::string(c.type == 'f' ? "foreign key" : "check constraint") + " " +
                        c.name + " on " + f.table_identity +
                        " is NOT VALID: existing rows were never checked";
            f.detail = "VALIDATE CONSTRAINT checks the existing rows under a SHARE UPDATE "
                       "EXCLUSIVE lock, which does not block reads or writes.";
            f.fix = "ALTER TABLE " + f.table_identity + " VALIDATE CONSTRAINT " + c.qname + ";";
            out.push_back(std::move(f));
        }
        if (c.type != 'f') continue;

        // fk_type_mismatch
        if (const Relation* ref = want_mismatch ? m.relation(c.ref_table) : nullptr) {
            std::string pairs;
            for (std::size_t i = 0; i < c.key.size() && i < c.ref_key.size(); ++i) {
                const Attribute* a = t->attr(c.key[i]);
                const Attribute* b = ref->attr(c.ref_key[i]);
                if (a == nullptr || b == nullptr || a->type == b->type) continue;
                if (!pairs.empty()) pairs += "; ";
                pairs += t->name + "." + a->name + " is " + m.type_name(a->type) + " but " +
                         ref->name + "." + b->name + " is " + m.type_name(b->type);
            }
            if (!pairs.empty() && s.keep(f = constraint_finding(m, "fk_type_mismatch", c, *t))) {
                f.message = "foreign key " + c.name + " on " + f.table_identity +
                            " joins columns of different types: " + pairs;
                f.detail = "Every check and join casts one side; a narrower referencing column "
                           "can overflow before the referenced key does. Changing a column type "
                           "rewrites the table, so no fix is generated.";
                out.push_back(std::move(f));
            }
        }

        // fk_missing_index
        if (!want_missing) continue;
        FkCoverage cov = judge_fk_coverage(c.key, t->indexes, *t);  // no strings when covered
        if (cov.covered) continue;
        f = constraint_finding(m, "fk_missing_index", c, *t);
        if (!s.keep(f)) continue;
        f.message = "foreign key " + c.name + " on " + f.table_identity +
                    " has no index covering (" + column_list(*t, c.key, false) + ")";
        for (const auto& miss : cov.near_misses) {
            if (!f.detail.empty()) f.detail += "; ";
            f.detail += miss;
        }
        if (!names) names.emplace(m);
        std::vector<std::string> cols;
        for (AttrNumber n : c.key)
            if (const Attribute* a = t->attr(n)) cols.push_back(a->name);
        std::string idx = quote_generated_name(names->choose(t->nsp, t->name, cols));
        std::string create = "INDEX " + std::string(t->kind == 'p' ? "" : "CONCURRENTLY ") +
                             "IF NOT EXISTS " + idx + " ON " + f.table_identity + " (" +
                             column_list(*t, c.key, true) + ");";
        if (t->kind == 'p') {
            // CREATE INDEX CONCURRENTLY is not supported on a partitioned
            // table, and the plain form blocks writes on every partition.
            if (!f.detail.empty()) f.detail += "; ";
            f.detail += "partitioned table: create the index ON ONLY the parent, build it "
                        "CONCURRENTLY on each partition, then ATTACH PARTITION each one "
                        "(docs/report.md); the plain statement is CREATE " + create;
        } else {
            f.fix = "CREATE " + create;
        }
        out.push_back(std::move(f));
    }
}

}  // namespace schema_oracle::core
