// report_model.cpp: lookups and linking for the catalog model report() judges.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "schema_oracle/core/catalog_model.hpp"

namespace schema_oracle::core {

const Attribute* Relation::attr(AttrNumber n) const noexcept {
    auto it = std::lower_bound(attrs.begin(), attrs.end(), n,
                               [](const Attribute& a, AttrNumber k) { return a.attnum < k; });
    return (it != attrs.end() && it->attnum == n) ? &*it : nullptr;
}

const Attribute* Relation::attr_named(const std::string& raw) const noexcept {
    for (const auto& a : attrs)
        if (a.name == raw)
            return &a;
    return nullptr;
}

bool Index::has_expressions() const noexcept {
    return std::find(columns.begin(), columns.end(), AttrNumber{0}) != columns.end();
}

namespace {

// The element of the flat map `map` with key `oid`, found through `oids`
// (its keys in order, see CatalogModel::relation_oids), else by the map.
template <typename Map>
auto find_by_oids(Map& map, const std::vector<Oid>& oids, Oid oid) noexcept {
    if (oids.size() == map.size()) {
        auto k = std::lower_bound(oids.begin(), oids.end(), oid);
        if (k != oids.end() && *k == oid) {
            auto it = map.begin() + (k - oids.begin());
            if (it->first == oid)
                return it;
        }
    }
    return map.find(oid);
}

template <typename Map>
std::vector<Oid> keys_of(const Map& map) {
    std::vector<Oid> keys;
    keys.reserve(map.size());
    for (const auto& kv : map) keys.push_back(kv.first);
    return keys;
}

}  // namespace

const Relation* CatalogModel::relation(Oid oid) const noexcept {
    auto it = find_by_oids(relations, relation_oids, oid);
    return it == relations.end() ? nullptr : &it->second;
}

const Index* CatalogModel::index(Oid oid) const noexcept {
    auto it = find_by_oids(indexes, index_oids, oid);
    return it == indexes.end() ? nullptr : &it->second;
}

const Namespace* CatalogModel::nspace(Oid oid) const noexcept {
    auto it = namespaces.find(oid);
    return it == namespaces.end() ? nullptr : &it->second;
}

namespace {

// The position in `relations` of each owner OID (npos: not a relation), and
// how many each relation owns: the per-relation lists are then reserved at
// their final size instead of regrowing (tens of thousands of allocations on
// a big catalog).
constexpr std::size_t npos = static_cast<std::size_t>(-1);

template <typename Items, typename OwnerOf>
std::vector<std::size_t> owner_positions(const CatalogModel& m, const Items& items,
                                         OwnerOf owner_of, std::vector<std::uint32_t>& counts) {
    std::vector<std::size_t> pos;
    pos.reserve(items.size());
    counts.assign(m.relations.size(), 0);
    // Items come in OID order, and a table's indexes and constraints were
    // mostly created together: the owner is often the previous item's.
    Oid last_owner = 0;
    std::size_t last_pos = npos;
    for (const auto& item : items) {
        const Oid owner = owner_of(item);
        std::size_t p = last_pos;
        if (owner != last_owner || last_pos == npos) {
            auto rit = find_by_oids(m.relations, m.relation_oids, owner);
            p = rit == m.relations.end() ? npos : rit - m.relations.begin();
            last_owner = owner;
            last_pos = p;
        }
        pos.push_back(p);
        if (p != npos)
            ++counts[p];
    }
    return pos;
}

}  // namespace

void CatalogModel::link() {
    relation_oids = keys_of(relations);
    index_oids = keys_of(indexes);
    std::vector<std::uint32_t> counts;
    auto rel_at = [this](std::size_t p) -> Relation& { return (relations.begin() + p)->second; };
    {
        auto pos = owner_positions(
            *this, indexes, [](const auto& kv) { return kv.second.table; }, counts);
        for (std::size_t p = 0; p < relations.size(); ++p) {
            rel_at(p).indexes.clear();
            rel_at(p).indexes.reserve(counts[p]);
        }
        std::size_t k = 0;
        for (auto& [oid, ix] : indexes)
            if (pos[k++] != npos)
                rel_at(pos[k - 1]).indexes.push_back(&ix);  // flat_map: sorted by oid
    }
    for (auto& rel : relations)  // else the adapter's count (part::index_counts)
        if (!rel.second.indexes.empty())
            rel.second.index_count = rel.second.indexes.size();
    {
        auto pos = owner_positions(
            *this, constraints, [](const Constraint& c) { return c.table; }, counts);
        for (std::size_t p = 0; p < relations.size(); ++p)
            rel_at(p).constraints.reserve(rel_at(p).constraints.size() + counts[p]);
        for (std::size_t i = 0; i < constraints.size(); ++i) {
            const Constraint& c = constraints[i];
            if (pos[i] != npos)
                rel_at(pos[i]).constraints.push_back(i);
            if (c.index != 0 && (c.type == 'p' || c.type == 'u' || c.type == 'x')) {
                auto iit = find_by_oids(indexes, index_oids, c.index);
                if (iit != indexes.end() && iit->second.table == c.table)
                    iit->second.constraint = c.oid;
            }
        }
    }
    {
        auto pos = owner_positions(
            *this, triggers, [](const Trigger& t) { return t.table; }, counts);
        for (std::size_t p = 0; p < relations.size(); ++p)
            rel_at(p).triggers.reserve(rel_at(p).triggers.size() + counts[p]);
        for (std::size_t i = 0; i < triggers.size(); ++i)
            if (pos[i] != npos)
                rel_at(pos[i]).triggers.push_back(i);
    }
}

const std::string& CatalogModel::table_identity(const Relation& r) const {
    if (r.identity.empty()) {
        const Namespace* n = nspace(r.nsp);
        r.identity = (n ? n->qname : std::string("?")) + "." + r.qname;
    }
    return r.identity;
}

std::string CatalogModel::type_name(Oid type) const {
    auto it = type_names.find(type);
    return it == type_names.end() ? "type " + std::to_string(type) : it->second;
}

}  // namespace schema_oracle::core
