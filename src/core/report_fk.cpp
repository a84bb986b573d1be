// report_fk.cpp: report() rules on constraints: fk_missing_index,
// fk_type_mismatch, constraint_not_valid.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <utility>

#include "schema_oracle/core/fk_coverage.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::core {

namespace {

// Names taken per schema, as ChooseRelationName asks pg_class: every
// relation of the model (tables, sequences, indexes, and the other kinds it
// holds by name only), built once per report as a hash set of views into the
// model, and the names given to earlier fixes of this report. Open
// addressing over one array of entries: a report over a big catalog adds
// tens of thousands of names, and a node per name (std::unordered_set)
// costs an allocation each.
class NameRegistry {
public:
    // Only the names choose() can ask about are kept: ChooseIndexName's
    // names always end in its label, "_idx" then an optional number (the
    // label is never clipped), so a table's or a "_pkey" index's name can
    // never be one of them (at 10,000 tables: 40,000 of 70,000 names).
    explicit NameRegistry(const CatalogModel& m) : m_(m) {
        std::size_t n = 0;
        for (const auto& [oid, r] : m.relations) n += may_be_chosen(r.name);
        for (const auto& [oid, ix] : m.indexes) n += may_be_chosen(ix.name);
        for (const auto& [nsp, name] : m.other_relation_names) n += may_be_chosen(name);
        entries_.reserve(n + 64);
        for (const auto& [oid, r] : m.relations)
            if (may_be_chosen(r.name))
                add(r.nsp, r.name);
        for (const auto& [oid, ix] : m.indexes)
            if (may_be_chosen(ix.name))
                add(ix.nsp, ix.name);
        for (const auto& [nsp, name] : m.other_relation_names)
            if (may_be_chosen(name))
                add(nsp, name);
    }
    // PostgreSQL's ChooseIndexName: table_col1_col2_idx, then idx1, idx2...
    // (the core's one implementation: upstream/naming.hpp).
    std::string choose(Oid nsp, const std::string& table, const std::vector<std::string>& cols) {
        std::string name = upstream::choose_index_name(
            table, cols, upstream::IndexNameKind::index,
            [&](const std::string& n, bool) { return taken(nsp, n); }, m_.clip_name);
        chosen_.push_back(std::make_unique<std::string>(name));  // stable storage for the view
        add(nsp, *chosen_.back());
        if (m_.generated_names != nullptr)
            m_.generated_names->emplace_back(nsp, name);
        return name;
    }

private:
    // Ends in "_idx" and digits, as every name choose_index_name() makes for
    // IndexNameKind::index does.
    static bool may_be_chosen(std::string_view name) noexcept {
        std::size_t end = name.size();
        while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9') --end;
        return end >= 4 && name.compare(end - 4, 4, "_idx") == 0;
    }
    struct Entry {
        Oid nsp;
        std::uint32_t hash;
        std::string_view name;
    };
    static std::uint32_t hash_of(Oid nsp, std::string_view name) noexcept {
        const std::size_t h = std::hash<std::string_view>{}(name);
        return static_cast<std::uint32_t>(h * 31 + nsp);
    }
    // A slot holds an entry's hash (high half) beside its position + 1 (low
    // half, 0 = free), so a probe reads the entry only when the hashes match.
    static std::uint64_t slot_of(std::uint32_t h, std::size_t k) noexcept {
        return (static_cast<std::uint64_t>(h) << 32) | static_cast<std::uint32_t>(k + 1);
    }
    // The slot holding (nsp, name), or the free one where it would go.
    std::size_t find_slot(Oid nsp, std::string_view name, std::uint32_t h) const noexcept {
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = h & mask;; i = (i + 1) & mask) {
            const std::uint64_t slot = slots_[i];
            const std::uint32_t at = static_cast<std::uint32_t>(slot);
            if (at == 0)
                return i;
            if (static_cast<std::uint32_t>(slot >> 32) != h)
                continue;
            const Entry& e = entries_[at - 1];
            if (e.nsp == nsp && e.name == name)
                return i;
        }
    }
    bool taken(Oid nsp, std::string_view name) const noexcept {
        return !slots_.empty() && slots_[find_slot(nsp, name, hash_of(nsp, name))] != 0;
    }
    void add(Oid nsp, std::string_view name) {
        if ((entries_.size() + 1) * 2 > slots_.size())
            grow();
        const std::uint32_t h = hash_of(nsp, name);
        const std::size_t i = find_slot(nsp, name, h);
        if (slots_[i] != 0)
            return;  // already taken
        entries_.push_back({nsp, h, name});
        slots_[i] = slot_of(h, entries_.size() - 1);
    }
    void grow() {  // at most half full
        std::size_t n = slots_.empty() ? 1024 : slots_.size() * 2;
        while (n < 2 * (entries_.capacity() + 1)) n *= 2;
        slots_.assign(n, 0);
        const std::size_t mask = n - 1;
        for (std::size_t k = 0; k < entries_.size(); ++k) {
            std::size_t i = entries_[k].hash & mask;
            while (slots_[i] != 0) i = (i + 1) & mask;
            slots_[i] = slot_of(entries_[k].hash, k);
        }
    }
    const CatalogModel& m_;
    std::vector<Entry> entries_;
    std::vector<std::uint64_t> slots_;                  // slot_of(hash, position), 0 = free
    std::vector<std::unique_ptr<std::string>> chosen_;  // names given to earlier fixes
};

ReportFinding constraint_finding(const CatalogModel& m, std::string_view rule, const Constraint& c,
                                 const Relation& t) {
    ReportFinding f = make_finding(rule);
    f.object_type = "table constraint";
    f.table_identity = m.table_identity(t);
    f.object_identity.assign({c.qname, " on ", f.table_identity});
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
            // The column pairs whose types differ, written once the finding
            // is kept.
            auto mismatched = [&](std::size_t i) -> std::pair<const Attribute*, const Attribute*> {
                const Attribute* a = t->attr(c.key[i]);
                const Attribute* b = ref->attr(c.ref_key[i]);
                if (a == nullptr || b == nullptr || a->type == b->type)
                    return {nullptr, nullptr};
                return {a, b};
            };
            const std::size_t n = std::min(c.key.size(), c.ref_key.size());
            bool differs = false;
            for (std::size_t i = 0; i < n && !differs; ++i)
                differs = mismatched(i).first != nullptr;
            if (differs && s.keep(f = constraint_finding(m, "fk_type_mismatch", c, *t))) {
                std::string pairs;
                for (std::size_t i = 0; i < n; ++i) {
                    const auto [a, b] = mismatched(i);
                    if (a == nullptr)
                        continue;
                    if (!pairs.empty())
                        pairs += "; ";
                    pairs += t->name + "." + a->name + " is " + m.type_name(a->type) + " but " +
                             ref->name + "." + b->name + " is " + m.type_name(b->type);
                }
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
        // Covered (most keys): no strings. The near misses are explained
        // only for a finding that survives the exemptions.
        if (std::any_of(t->indexes.begin(), t->indexes.end(),
                        [&c](const Index* ix) { return index_covers(*ix, c.key); }))
            continue;
        f = constraint_finding(m, "fk_missing_index", c, *t);
        if (!s.keep(f))
            continue;
        FkCoverage cov = judge_fk_coverage(c.key, t->indexes, *t);
        f.message.assign({"foreign key ", c.name, " on ", f.table_identity,
                          " has no index covering (", column_list(*t, c.key, false), ")"});
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
        std::string create =
            concat({"INDEX ", t->kind == 'p' ? "" : "CONCURRENTLY ", "IF NOT EXISTS ", idx, " ON ",
                    f.table_identity, " (", column_list(*t, c.key, true), ");"});
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
            f.fix.assign({"CREATE ", create});
        }
        out.push_back(std::move(f));
    }
}

}  // namespace schema_oracle::core
