// fk_coverage.cpp: the foreign-key coverage definition (see fk_coverage.hpp).
#include "schema_oracle/core/fk_coverage.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace schema_oracle::core {

namespace {

const char* ordinal(std::size_t pos) {
    static const char* const names[] = {"first", "second",  "third",  "fourth", "fifth",
                                        "sixth", "seventh", "eighth", "ninth",  "tenth"};
    return pos < 10 ? names[pos] : "after the tenth key column";
}

std::string column_name(const Relation& table, AttrNumber n) {
    const Attribute* a = table.attr(n);
    return a ? a->name : "column " + std::to_string(n);
}

// Whether the first fk.size() key columns of `index` are the key's columns
// in some order (as multisets: same count of each column), without copying
// or sorting either list.
bool leads_with(const Index& index, const AttrList& fk) {
    const std::size_t n = fk.size();
    if (n > static_cast<std::size_t>(index.nkey) || n > index.columns.size())
        return false;  // fewer leading key columns than the key has
    for (AttrNumber col : fk) {
        std::size_t in_fk = 0, in_index = 0;
        for (std::size_t i = 0; i < n; ++i) {
            in_fk += fk[i] == col;
            in_index += index.columns[i] == col;
        }
        if (in_fk != in_index)
            return false;
    }
    return true;
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
    // No index covers it (the loop above saw them all): explain the near
    // misses, each tagged with its index's name, then order them by it (a
    // few strings to sort, not every index of the table).
    std::vector<std::pair<std::string_view, std::string>> misses;
    for (const Index* ix : indexes) {
        auto miss = [&misses, ix](std::string text) {
            misses.emplace_back(ix->name, std::move(text));
        };
        // Indexes that contain the FK's columns (as key columns) but do
        // not count.
        if (leads_with(*ix, fk)) {
            if (ix->predicate && ix->usable() &&
                (ix->predicate_implied_by_not_null == 0 ||
                 static_cast<std::size_t>(ix->predicate_implied_by_not_null) > fk.size()))
                miss("index " + ix->name + " is partial");
            else if (!ix->usable())
                miss("index " + ix->name + " is not valid");
            else if (ix->am != "btree")
                miss("index " + ix->name + " is a " + ix->am +
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
                where += column_name(table, col);
                where += ' ';
                where += ordinal(pos);
            }
        }
        if (all_present && !included.empty())
            miss("index " + ix->name + " has " + included + " only as an INCLUDE column");
        else if (all_present && !where.empty())
            miss("index " + ix->name + " has " + where);
    }
    if (misses.size() > 1)
        std::stable_sort(misses.begin(), misses.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    out.near_misses.reserve(misses.size());
    for (auto& m : misses) out.near_misses.push_back(std::move(m.second));
    return out;
}

}  // namespace schema_oracle::core
