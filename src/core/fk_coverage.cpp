// fk_coverage.cpp: the foreign-key coverage definition (see fk_coverage.hpp).
#include "schema_oracle/core/fk_coverage.hpp"

#include <algorithm>

namespace schema_oracle::core {

namespace {

bool same_set(const AttrList& a, const AttrList& b) {
    if (a.size() != b.size())
        return false;
    AttrList x(a), y(b);
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    return x == y;
}

const char* ordinal(std::size_t pos) {
    static const char* const names[] = {"first", "second",  "third",  "fourth", "fifth",
                                        "sixth", "seventh", "eighth", "ninth",  "tenth"};
    return pos < 10 ? names[pos] : "after the tenth key column";
}

std::string column_name(const Relation& table, AttrNumber n) {
    const Attribute* a = table.attr(n);
    return a ? a->name : "column " + std::to_string(n);
}

// The first N key columns of `index`, or fewer if it has fewer.
AttrList leading(const Index& index, std::size_t n) {
    AttrList out;
    std::size_t nkey = static_cast<std::size_t>(index.nkey);
    for (std::size_t i = 0; i < n && i < nkey && i < index.columns.size(); ++i)
        out.push_back(index.columns[i]);
    return out;
}

}  // namespace

bool index_covers(const Index& index, const AttrList& fk) noexcept {
    const std::size_t n = fk.size();
    if (n == 0 || !index.usable())
        return false;
    // A partial index covers only rows its predicate admits. The foreign
    // key needs every row whose key columns are all non-null (the others
    // reference nothing), so the index counts exactly when "the key
    // columns are NOT NULL" implies its predicate.
    if (index.predicate && (index.predicate_implied_by_not_null == 0 ||
                            static_cast<std::size_t>(index.predicate_implied_by_not_null) > n))
        return false;
    if (static_cast<std::size_t>(index.nkey) < n || index.columns.size() < n)
        return false;
    if (n != 1 && index.am != "btree")
        return false;
    // The first n key columns equal the FK's columns as a set. Attribute
    // numbers within one index and within one FK are distinct, so "every FK
    // column is among the first n" is set equality; 0 (an expression) never
    // matches a real column.
    for (AttrNumber col : fk) {
        bool found = false;
        for (std::size_t i = 0; i < n && !found; ++i) found = index.columns[i] == col;
        if (!found)
            return false;
    }
    return true;
}

FkCoverage judge_fk_coverage(const AttrList& fk, const std::vector<const Index*>& indexes,
                             const Relation& table) {
    FkCoverage out;
    // Fast path: most foreign keys are covered; no strings, no sorting.
    for (const Index* ix : indexes) {
        if (index_covers(*ix, fk)) {
            out.covered = true;
            out.covering_index = ix->oid;
            return out;
        }
    }
    std::vector<const Index*> sorted(indexes);
    std::sort(sorted.begin(), sorted.end(),
              [](const Index* a, const Index* b) { return a->name < b->name; });
    for (const Index* ix : sorted) {
        if (index_covers(*ix, fk)) {
            out.covered = true;
            out.covering_index = ix->oid;
            out.near_misses.clear();
            return out;
        }
        // Explain the near misses: indexes that contain the FK's columns
        // (as key columns) but do not count.
        AttrList lead = leading(*ix, fk.size());
        bool leads = lead.size() == fk.size() && same_set(lead, fk);
        if (leads) {
            if (ix->predicate && ix->usable() &&
                (ix->predicate_implied_by_not_null == 0 ||
                 static_cast<std::size_t>(ix->predicate_implied_by_not_null) > fk.size()))
                out.near_misses.push_back("index " + ix->name + " is partial");
            else if (!ix->usable())
                out.near_misses.push_back("index " + ix->name + " is not valid");
            else if (ix->am != "btree")
                out.near_misses.push_back("index " + ix->name + " is a " + ix->am +
                                          " index, which covers single-column keys only");
            continue;
        }
        // Where does each FK column sit among the key columns?
        std::string where, included;
        bool all_present = true;
        for (AttrNumber col : fk) {
            auto end = ix->columns.begin() + std::min<std::size_t>(ix->nkey, ix->columns.size());
            auto it = std::find(ix->columns.begin(), end, col);
            if (it == end) {
                if (std::find(end, ix->columns.end(), col) != ix->columns.end()) {
                    if (!included.empty())
                        included += ", ";
                    included += column_name(table, col);
                    continue;
                }
                all_present = false;
                break;
            }
            std::size_t pos = static_cast<std::size_t>(it - ix->columns.begin());
            if (pos >= fk.size()) {
                if (!where.empty())
                    where += ", ";
                where += column_name(table, col) + " " + ordinal(pos);
            }
        }
        if (all_present && !included.empty())
            out.near_misses.push_back("index " + ix->name + " has " + included +
                                      " only as an INCLUDE column");
        else if (all_present && !where.empty())
            out.near_misses.push_back("index " + ix->name + " has " + where);
    }
    return out;
}

}  // namespace schema_oracle::core
