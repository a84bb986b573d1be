// report_indexes.cpp: report() rules on indexes: duplicate_index,
// redundant_index, invalid_index, unused_index.
//
// Indexes are compared on catalog integers (attnums, opclass and collation
// OIDs, indoption flags) and on the deparsed expression and predicate, never
// on the text of their definitions. Partition leaf indexes attached to a
// partitioned index are judged once, at the parent.
#include <algorithm>
#include <tuple>

#include "schema_oracle/core/fk_coverage.hpp"
#include "schema_oracle/core/report.hpp"

namespace schema_oracle::core {

namespace {

std::string describe_columns(const Relation& t, const Index& ix) {
    std::string out;
    for (int i = 0; i < ix.nkey && i < static_cast<int>(ix.columns.size()); ++i) {
        if (!out.empty())
            out += ", ";
        AttrNumber n = ix.columns[i];
        const Attribute* a = n ? t.attr(n) : nullptr;
        out += a ? a->name : "expression";
    }
    return out;
}

ReportFinding index_finding(const CatalogModel& m, std::string_view rule, const Relation& t,
                            const Index& ix) {
    ReportFinding f = make_finding(rule);
    f.object_type = "index";
    const Namespace* n = m.nspace(ix.nsp);
    f.object_identity.assign({n ? std::string_view(n->qname) : "?", ".", ix.qname});
    f.table_identity = m.table_identity(t);
    f.schema = n ? std::string_view(n->name) : std::string_view();
    f.object_class = ObjectClass::relation;
    f.objid = ix.oid;
    return f;
}

// DROP INDEX CONCURRENTLY does not work on a partitioned index.
std::string_view drop_verb(const Index& ix) {
    return ix.kind == 'I' ? "DROP INDEX IF EXISTS " : "DROP INDEX CONCURRENTLY IF EXISTS ";
}

// Sets f.fix to the DROP INDEX statement for ix.
void set_drop_fix(ReportFinding& f, const Index& ix) {
    f.fix.assign({drop_verb(ix), f.object_identity, ";"});
}

std::string index_identity(const CatalogModel& m, const Index& ix) {
    const Namespace* n = m.nspace(ix.nsp);
    return concat({n ? std::string_view(n->qname) : "?", ".", ix.qname});
}

// Which of two identical indexes to keep: the one backing a constraint
// (primary key first), then a unique one, then the older (lower OID).
bool keep_before(const Index* a, const Index* b) {
    auto rank = [](const Index* x) {
        return std::make_tuple(!x->primary, x->constraint == 0, !x->unique, x->oid);
    };
    return rank(a) < rank(b);
}

// Exact duplicates: same access method, key and INCLUDE columns, operator
// classes, collations, options, expressions, predicate and storage options.
// Uniqueness is not compared (a plain index duplicating a unique one is
// dropped in its favour), except NULLS NOT DISTINCT between unique ones.
bool identical(const Index& a, const Index& b) {
    return a.nkey == b.nkey && a.columns == b.columns && a.am == b.am &&
           a.opclasses == b.opclasses && a.collations == b.collations && a.options == b.options &&
           a.expressions == b.expressions && a.predicate == b.predicate &&
           a.reloptions == b.reloptions &&
           (a.unique && a.nulls_not_distinct) == (b.unique && b.nulls_not_distinct);
}

// Is `x` (all key columns, no INCLUDE) a strict leading prefix of `y`?
bool is_prefix_of(const Index& x, const Index& y) {
    // The integer tests first: most pairs differ in width or first column.
    if (x.nkey >= y.nkey || (x.nkey > 0 && x.columns[0] != y.columns[0]))
        return false;
    if (x.am != "btree" || y.am != "btree")
        return false;
    if (x.predicate != y.predicate)
        return false;
    for (int i = 0; i < x.nkey; ++i) {
        if (x.columns[i] != y.columns[i])
            return false;
        if (i < static_cast<int>(x.opclasses.size()) && i < static_cast<int>(y.opclasses.size()) &&
            x.opclasses[i] != y.opclasses[i])
            return false;
        if (i < static_cast<int>(x.collations.size()) &&
            i < static_cast<int>(y.collations.size()) && x.collations[i] != y.collations[i])
            return false;
        if (i < static_cast<int>(x.options.size()) && i < static_cast<int>(y.options.size()) &&
            x.options[i] != y.options[i])
            return false;
    }
    return true;
}

std::string format_age(double seconds) {
    if (seconds < 0)
        seconds = 0;
    long s = static_cast<long>(seconds);
    if (s >= 2 * 86400)
        return std::to_string(s / 86400) + " days";
    if (s >= 2 * 3600)
        return std::to_string(s / 3600) + " hours";
    if (s >= 120)
        return std::to_string(s / 60) + " minutes";
    return std::to_string(s) + " seconds";
}

std::string format_size(std::int64_t pages) {
    std::int64_t kb = pages * 8;  // BLCKSZ 8192, as on every packaged build
    if (kb >= 10 * 1024 * 1024)
        return std::to_string(kb / (1024 * 1024)) + " GB";
    if (kb >= 10 * 1024)
        return std::to_string(kb / 1024) + " MB";
    return std::to_string(kb) + " kB";
}

bool ends_with_cc_suffix(const std::string& name) {
    // REINDEX CONCURRENTLY leftovers: <name>_ccnew[N] / <name>_ccold[N].
    std::size_t end = name.size();
    while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9') --end;
    auto ends = [&](const char* s) {
        std::size_t n = std::char_traits<char>::length(s);
        return end >= n && name.compare(end - n, n, s) == 0;
    };
    return ends("_ccnew") || ends("_ccold");
}

}  // namespace

bool may_be_unused(const CatalogModel& m, const Relation& t, const Index& ix) noexcept {
    if (ix.is_partition || !ix.usable() || ix.kind != 'i')
        return false;
    if (ix.unique || ix.primary || ix.exclusion || ix.constraint != 0)
        return false;
    for (std::size_t ci : t.constraints) {
        const Constraint& c = m.constraints[ci];
        if (c.type == 'f' && index_covers(ix, c.key))
            return false;  // it serves the foreign key's checks, scanned or not
    }
    return true;
}

std::vector<Oid> unused_index_candidates(const CatalogModel& m) {
    std::vector<Oid> out;
    for (const auto& [toid, t] : m.relations) {
        if (!is_judged_table(m, t))
            continue;
        for (const Index* ix : t.indexes)
            if (may_be_unused(m, t, *ix))
                out.push_back(ix->oid);
    }
    return out;
}

void report_indexes(const CatalogModel& m, const ReportScope& s, std::vector<ReportFinding>& out) {
    const bool want_invalid = s.rule("invalid_index"), want_duplicate = s.rule("duplicate_index"),
               want_redundant = s.rule("redundant_index"), want_unused = s.rule("unused_index");
    if (!want_invalid && !want_duplicate && !want_redundant && !want_unused)
        return;
    // The statistics' age is the same for every unused index.
    std::string stats = "; statistics ";
    if (m.stats_reset)
        stats += "reset " + *m.stats_reset +
                 (m.stats_age_seconds ? " (" + format_age(*m.stats_age_seconds) + " ago)"
                                      : std::string());
    else
        stats += "never reset";
    stats += "; check replicas and rare jobs, then ";
    // Per table, reused from table to table (no allocations per table).
    std::vector<const Index*> own;         // judged here: not attached to a parent index
    std::vector<const Index*> usable;      // own and usable
    std::vector<const Index*> duplicates;  // dropped as duplicates: not also "redundant"
    std::vector<bool> grouped;
    std::vector<const Index*> group;
    for (const auto& [toid, t] : m.relations) {
        if (!is_judged_table(m, t) || t.indexes.empty() || !s.schema(t.nsp))
            continue;
        own.clear();
        for (const Index* ix : t.indexes)
            if (!ix->is_partition)
                own.push_back(ix);

        // invalid_index
        bool build_running = m.index_builds_in_progress.count(t.oid) > 0;
        for (const Index* ix : own) {
            if (!want_invalid || ix->valid || ix->kind != 'i' || !ix->live)
                continue;
            if (build_running)
                continue;  // CREATE INDEX CONCURRENTLY / REINDEX at work
            ReportFinding f = index_finding(m, "invalid_index", t, *ix);
            if (!s.keep(f))
                continue;
            f.message = "index " + f.object_identity +
                        " is invalid: queries do not use it, "
                        "but every write still maintains it";
            if (ends_with_cc_suffix(ix->name)) {
                f.detail = "left behind by a failed REINDEX CONCURRENTLY";
                set_drop_fix(f, *ix);
            } else {
                f.detail = ix->unique ? "a failed CREATE UNIQUE INDEX CONCURRENTLY: if duplicates "
                                        "made it fail, remove them before rebuilding"
                                      : "a failed CREATE INDEX CONCURRENTLY or REINDEX";
                f.fix = "REINDEX INDEX CONCURRENTLY " + f.object_identity + ";";
            }
            out.push_back(std::move(f));
        }

        usable.clear();
        for (const Index* ix : own)
            if (ix->usable())
                usable.push_back(ix);

        // duplicate_index: pairwise (a table has few indexes), grouped by
        // the first index each one is identical to.
        duplicates.clear();
        grouped.assign(usable.size(), false);
        for (std::size_t i = 0; (want_duplicate || want_redundant) && i < usable.size(); ++i) {
            if (grouped[i])
                continue;
            group.assign(1, usable[i]);
            for (std::size_t j = i + 1; j < usable.size(); ++j)
                if (!grouped[j] && identical(*usable[i], *usable[j])) {
                    grouped[j] = true;
                    group.push_back(usable[j]);
                }
            if (group.size() < 2)
                continue;
            std::sort(group.begin(), group.end(), keep_before);
            const Index* keep = group.front();
            for (std::size_t g = 1; g < group.size(); ++g) {
                const Index* ix = group[g];
                duplicates.push_back(ix);
                if (!want_duplicate)
                    continue;
                ReportFinding f = index_finding(m, "duplicate_index", t, *ix);
                if (!s.keep(f))
                    continue;
                f.message = "index " + f.object_identity + " duplicates " +
                            index_identity(m, *keep) + " on " + f.table_identity + " (" +
                            describe_columns(t, *ix) + ")";
                if (ix->constraint != 0) {
                    f.detail = "both back constraints; drop the constraint of " + ix->name +
                               " once nothing depends on it";
                } else {
                    f.detail = "keep " + keep->name +
                               (keep->constraint ? ", which backs a constraint" : "");
                    set_drop_fix(f, *ix);
                }
                out.push_back(std::move(f));
            }
        }

        // redundant_index
        for (const Index* x : usable) {
            if (!want_redundant || x->unique || x->primary || x->exclusion || x->constraint != 0)
                continue;
            if (x->has_expressions() || x->nkey != static_cast<int>(x->columns.size()))
                continue;
            if (std::find(duplicates.begin(), duplicates.end(), x) != duplicates.end())
                continue;
            const Index* by = nullptr;
            for (const Index* y : usable) {
                if (y == x || !is_prefix_of(*x, *y))
                    continue;
                if (!by || std::make_tuple(y->nkey, y->name) < std::make_tuple(by->nkey, by->name))
                    by = y;
            }
            if (!by)
                continue;
            ReportFinding f = index_finding(m, "redundant_index", t, *x);
            if (!s.keep(f))
                continue;
            f.message.assign({"index ", f.object_identity, " on (", describe_columns(t, *x),
                              ") is redundant: ", index_identity(m, *by), " on (",
                              describe_columns(t, *by), ") starts with the same columns"});
            f.detail.assign({"queries on the leading columns can use ", by->name,
                             "; a narrower index is only slightly faster to scan"});
            set_drop_fix(f, *x);
            out.push_back(std::move(f));
        }

        // unused_index
        for (const Index* ix : usable) {
            if (!want_unused || !ix->scans || *ix->scans != 0 || !may_be_unused(m, t, *ix))
                continue;
            ReportFinding f = index_finding(m, "unused_index", t, *ix);
            if (!s.keep(f))
                continue;
            f.message.assign({"index ", f.object_identity,
                              " has not been scanned since the statistics were last reset"});
            // No fix: whether an index is needed is a judgement (replicas,
            // monthly jobs), so applying every fix must never drop it.
            f.detail.assign({"size about ", format_size(ix->pages), stats, drop_verb(*ix),
                             f.object_identity, ";"});
            out.push_back(std::move(f));
        }
    }
}

}  // namespace schema_oracle::core
