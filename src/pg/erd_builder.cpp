// erd_builder.cpp: erd()'s model from the rows erd_catalog.cpp read (C++,
// no PostgreSQL call). What the SQL reference derives with joins, this
// derives with lookups: partitions folded into their root, the key markers
// of each column, the cardinality of each foreign key (_erd_foreign_keys,
// _erd_columns in extension/0.2.0/40-erd.sql).
#include <algorithm>
#include <unordered_map>

#include "schema_oracle/pg/erd.hpp"

namespace schema_oracle::pg::erd {

namespace {

using core::erd::Column;
using core::erd::Diagram;
using core::erd::ForeignKey;
using core::erd::Table;

const char* action_name(char c) {
    switch (c) {
        case 'a':
            return "NO ACTION";
        case 'r':
            return "RESTRICT";
        case 'c':
            return "CASCADE";
        case 'n':
            return "SET NULL";
        case 'd':
            return "SET DEFAULT";
        default:
            return "";
    }
}

Column* column_of(Table& t, std::int16_t attnum) {
    auto it = std::lower_bound(t.columns.begin(), t.columns.end(), attnum,
                               [](const Column& c, std::int16_t n) { return c.attnum < n; });
    return it != t.columns.end() && it->attnum == attnum ? &*it : nullptr;
}

}  // namespace

void build_diagram(const RawErd& raw, Diagram& d) {
    std::unordered_map<RawOid, std::size_t> position;
    position.reserve(static_cast<std::size_t>(raw.tables.n) * 2);
    d.tables.resize(static_cast<std::size_t>(raw.tables.n));
    for (int i = 0; i < raw.tables.n; ++i) {
        const RawTable& r = raw.tables.items[i];
        Table& t = d.tables[static_cast<std::size_t>(i)];
        t.oid = r.oid;
        t.nsp = r.nspname;
        t.name = r.name;
        t.qualified = r.qualified;
        t.kind = r.kind;
        position.emplace(r.oid, static_cast<std::size_t>(i));
    }
    auto table_at = [&](RawOid oid) -> Table* {
        auto it = position.find(oid);
        return it == position.end() ? nullptr : &d.tables[it->second];
    };

    // partitions: their parent (to find the root), and each partitioned
    // table's number of direct partitions
    std::unordered_map<RawOid, RawOid> parent_of;
    for (int i = 0; i < raw.inherits.n; ++i) {
        const RawInherit& h = raw.inherits.items[i];
        if (std::binary_search(raw.partitions.items, raw.partitions.items + raw.partitions.n,
                               h.child))
            parent_of.emplace(h.child, h.parent);
        if (Table* t = table_at(h.parent); t && t->kind == 'p')
            ++t->partitions;
    }
    auto root = [&](RawOid oid) {
        for (int guard = 0; guard < 1000; ++guard) {
            auto it = parent_of.find(oid);
            if (it == parent_of.end())
                break;
            oid = it->second;
        }
        return oid;
    };

    // columns, by attnum
    for (int i = 0; i < raw.columns.n; ++i) {
        const RawColumn& r = raw.columns.items[i];
        if (Table* t = table_at(r.rel)) {
            Column c;
            c.attnum = r.attnum;
            c.name = r.name;
            c.type = r.type;
            c.nn = r.not_null;
            t->columns.push_back(c);
        }
    }
    for (Table& t : d.tables)
        std::sort(t.columns.begin(), t.columns.end(),
                  [](const Column& a, const Column& b) { return a.attnum < b.attnum; });

    // UNIQUE markers; the unique indexes that can make a foreign key one-to-one
    std::unordered_map<RawOid, std::vector<const RawIndex*>> one_to_one;
    for (int i = 0; i < raw.indexes.n; ++i) {
        const RawIndex& x = raw.indexes.items[i];
        if (!x.valid || x.partial)
            continue;
        if (!x.expressions)
            one_to_one[x.rel].push_back(&x);
        if (x.primary)
            continue;
        if (Table* t = table_at(x.rel))
            for (int k = 0; k < x.nkey; ++k)
                if (x.key[k] > 0)
                    if (Column* c = column_of(*t, x.key[k]))
                        c->uq = true;
    }

    for (int i = 0; i < raw.keys.n; ++i) {
        const RawKey& k = raw.keys.items[i];
        if (Table* t = table_at(k.rel))
            for (int c = 0; c < k.nkey; ++c)
                if (Column* col = column_of(*t, k.key[c]))
                    (k.type == 'p' ? col->pk : col->fk) = true;
        if (!k.edge)
            continue;
        auto child = position.find(root(k.rel));
        auto parent = position.find(root(k.ref_rel));
        if (child == position.end() || parent == position.end())
            continue;
        ForeignKey fk;
        fk.oid = k.oid;
        fk.name = k.name;
        fk.child = child->second;
        fk.parent = parent->second;
        fk.columns.assign(k.key_names, k.key_names + k.nkey);
        fk.nullable = k.key_nullable;
        fk.on_delete = action_name(k.on_delete);
        if (auto it = one_to_one.find(k.rel); it != one_to_one.end())
            for (const RawIndex* x : it->second) {
                bool within = true;
                for (int a = 0; a < x->nkey && within; ++a)
                    within = std::find(k.key, k.key + k.nkey, x->key[a]) != k.key + k.nkey;
                if (within) {
                    fk.unique = true;
                    break;
                }
            }
        d.foreign_keys.push_back(std::move(fk));
    }

    for (int i = 0; i < raw.comments.n; ++i) {
        const RawComment& r = raw.comments.items[i];
        Table* t = table_at(r.rel);
        if (!t)
            continue;
        if (r.subid == 0)
            t->comment = std::string_view(r.text);
        else if (Column* c = column_of(*t, static_cast<std::int16_t>(r.subid)))
            c->comment = std::string_view(r.text);
    }
}

}  // namespace schema_oracle::pg::erd
