// report_model.cpp: lookups and linking for the catalog model report() judges.
#include <algorithm>

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

const Relation* CatalogModel::relation(Oid oid) const noexcept {
    auto it = relations.find(oid);
    return it == relations.end() ? nullptr : &it->second;
}

const Index* CatalogModel::index(Oid oid) const noexcept {
    auto it = indexes.find(oid);
    return it == indexes.end() ? nullptr : &it->second;
}

const Namespace* CatalogModel::nspace(Oid oid) const noexcept {
    auto it = namespaces.find(oid);
    return it == namespaces.end() ? nullptr : &it->second;
}

void CatalogModel::link() {
    for (auto& rel : relations) rel.second.indexes.clear();
    for (auto& [oid, ix] : indexes) {
        auto rit = relations.find(ix.table);
        if (rit != relations.end())
            rit->second.indexes.push_back(&ix);  // flat_map: sorted by oid
    }
    for (auto& rel : relations)  // else the adapter's count (part::index_counts)
        if (!rel.second.indexes.empty())
            rel.second.index_count = rel.second.indexes.size();
    for (std::size_t i = 0; i < constraints.size(); ++i) {
        const Constraint& c = constraints[i];
        auto rit = relations.find(c.table);
        if (rit != relations.end())
            rit->second.constraints.push_back(i);
        if (c.index != 0 && (c.type == 'p' || c.type == 'u' || c.type == 'x')) {
            auto iit = indexes.find(c.index);
            if (iit != indexes.end() && iit->second.table == c.table)
                iit->second.constraint = c.oid;
        }
    }
    for (std::size_t i = 0; i < triggers.size(); ++i) {
        auto rit = relations.find(triggers[i].table);
        if (rit != relations.end())
            rit->second.triggers.push_back(i);
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
