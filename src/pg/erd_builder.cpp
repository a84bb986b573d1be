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
        if (Table* t = table_at(k.rel); t && (k.type == 'p' || k.type == 'f'))
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

namespace schema_oracle::pg::erd {

namespace {

const char* constraint_type(char c) {
    switch (c) {
        case 'p':
            return "PRIMARY KEY";
        case 'u':
            return "UNIQUE";
        case 'c':
            return "CHECK";
        case 'x':
            return "EXCLUDE";
        case 't':
            return "TRIGGER";
        default:
            return "";
    }
}

const char* trigger_enabled(char c) {
    switch (c) {
        case 'O':
            return "origin";
        case 'D':
            return "disabled";
        case 'R':
            return "replica";
        case 'A':
            return "always";
        default:
            return "";
    }
}

std::string_view view(const char* s) {
    return s ? std::string_view(s) : std::string_view();
}

}  // namespace

// The dictionary: the diagram's tables and columns (with their markers),
// plus what only the dictionary shows, in the reference's orders.
void build_dictionary(const RawErd& raw, core::erd::Dictionary& dict) {
    using namespace core::erd;
    Diagram d;
    build_diagram(raw, d);
    dict.database = view(raw.database);
    dict.tables.resize(d.tables.size());
    std::unordered_map<RawOid, std::size_t> position;
    for (std::size_t i = 0; i < d.tables.size(); ++i) {
        const Table& t = d.tables[i];
        const RawTable& r = raw.tables.items[i];
        DictTable& out = dict.tables[i];
        position.emplace(t.oid, i);
        out.schema = t.nsp;
        out.name = t.name;
        out.kind = t.kind;
        out.comment = t.comment;
        if (t.kind == 'p')
            out.partitions = t.partitions;
        if (r.has_size)
            out.size_bytes = r.size_bytes;
        if (r.has_rows)
            out.row_estimate = r.rows;
        out.columns.reserve(t.columns.size());
        for (const Column& c : t.columns) {
            DictColumn col;
            col.name = c.name;
            col.type = c.type;
            col.nullable = !c.nn;
            col.primary_key = c.pk;
            col.foreign_key = c.fk;
            col.unique = c.uq;
            col.comment = c.comment;
            out.columns.push_back(col);
        }
    }
    auto at = [&](RawOid oid) -> DictTable* {
        auto it = position.find(oid);
        return it == position.end() ? nullptr : &dict.tables[it->second];
    };

    // identity, generated and defaults, from the raw columns (the
    // diagram's model keeps only what it draws)
    auto column_key = [](RawOid rel, std::int16_t attnum) {
        return (std::uint64_t{rel} << 16) | static_cast<std::uint16_t>(attnum);
    };
    std::unordered_map<std::uint64_t, const RawColumn*> raw_columns;
    raw_columns.reserve(static_cast<std::size_t>(raw.columns.n) * 2);
    for (int i = 0; i < raw.columns.n; ++i) {
        const RawColumn& c = raw.columns.items[i];
        raw_columns.emplace(column_key(c.rel, c.attnum), &c);
    }
    std::unordered_map<std::uint64_t, const char*> defaults;
    for (int i = 0; i < raw.defaults.n; ++i) {
        const RawComment& x = raw.defaults.items[i];
        defaults.emplace(column_key(x.rel, static_cast<std::int16_t>(x.subid)), x.text);
    }
    for (std::size_t i = 0; i < d.tables.size(); ++i) {
        const Table& t = d.tables[i];
        for (std::size_t j = 0; j < t.columns.size(); ++j) {
            const std::uint64_t key = column_key(t.oid, t.columns[j].attnum);
            auto rc = raw_columns.find(key);
            if (rc == raw_columns.end())
                continue;
            DictColumn& c = dict.tables[i].columns[j];
            if (rc->second->identity == 'a')
                c.identity = std::string_view("ALWAYS");
            else if (rc->second->identity == 'd')
                c.identity = std::string_view("BY DEFAULT");
            if (!rc->second->has_default)
                continue;
            auto def = defaults.find(key);
            if (def == defaults.end())
                continue;
            if (rc->second->generated == '\0')
                c.default_expr = std::string_view(def->second);
            else if (rc->second->generated == 's')
                c.generated = std::string_view(def->second);
        }
    }

    for (int i = 0; i < raw.keys.n; ++i) {
        const RawKey& k = raw.keys.items[i];
        if (k.of_table) {
            DictTable* t = at(k.rel);
            if (t && k.type == 'f') {
                DictForeignKey fk;
                fk.name = k.name;
                fk.columns.assign(k.key_names, k.key_names + k.nkey);
                fk.references_schema = view(k.ref_schema);
                fk.references_table = view(k.ref_table);
                fk.references_columns.assign(k.ref_names, k.ref_names + k.nref);
                fk.definition = view(k.definition);
                fk.validated = k.validated;
                t->foreign_keys.push_back(std::move(fk));
            } else if (t) {
                DictConstraint c;
                c.name = k.name;
                c.type = constraint_type(k.type);
                c.definition = view(k.definition);
                c.validated = k.validated;
                t->constraints.push_back(c);
            }
        }
        if (k.referenced)
            if (DictTable* t = at(k.ref_rel)) {
                DictReference r;
                r.name = k.name;
                r.schema = view(k.rel_schema);
                r.table = view(k.rel_name);
                r.columns.assign(k.key_names, k.key_names + k.nkey);
                r.definition = view(k.definition);
                t->referenced_by.push_back(std::move(r));
            }
    }
    // ORDER BY contype, conname / conname / schema, table, conname (C collation)
    for (DictTable& t : dict.tables) {
        std::stable_sort(t.constraints.begin(), t.constraints.end(),
                         [](const DictConstraint& a, const DictConstraint& b) {
                             auto letter = [](std::string_view type) {
                                 return type == "PRIMARY KEY" ? 'p'
                                        : type == "UNIQUE"    ? 'u'
                                        : type == "CHECK"     ? 'c'
                                        : type == "EXCLUDE"   ? 'x'
                                                              : 't';
                             };
                             char x = letter(a.type), y = letter(b.type);
                             if (x != y)
                                 return x < y;
                             return a.name < b.name;
                         });
        std::stable_sort(
            t.foreign_keys.begin(), t.foreign_keys.end(),
            [](const DictForeignKey& a, const DictForeignKey& b) { return a.name < b.name; });
        std::stable_sort(t.referenced_by.begin(), t.referenced_by.end(),
                         [](const DictReference& a, const DictReference& b) {
                             if (a.schema != b.schema)
                                 return a.schema < b.schema;
                             if (a.table != b.table)
                                 return a.table < b.table;
                             return a.name < b.name;
                         });
    }

    for (int i = 0; i < raw.dict_indexes.n; ++i) {
        const RawDictIndex& x = raw.dict_indexes.items[i];
        if (DictTable* t = at(x.rel)) {
            DictIndex ix;
            ix.name = x.name;
            ix.definition = view(x.definition);
            ix.unique = x.unique;
            ix.primary = x.primary;
            ix.valid = x.valid;
            t->indexes.push_back(ix);
        }
    }
    for (int i = 0; i < raw.triggers.n; ++i) {
        const RawTrigger& g = raw.triggers.items[i];
        if (DictTable* t = at(g.rel)) {
            DictTrigger tg;
            tg.name = g.name;
            tg.definition = view(g.definition);
            tg.enabled = trigger_enabled(g.enabled);
            t->triggers.push_back(tg);
        }
    }
    for (DictTable& t : dict.tables) {
        std::stable_sort(t.indexes.begin(), t.indexes.end(),
                         [](const DictIndex& a, const DictIndex& b) { return a.name < b.name; });
        std::stable_sort(
            t.triggers.begin(), t.triggers.end(),
            [](const DictTrigger& a, const DictTrigger& b) { return a.name < b.name; });
    }
}

}  // namespace schema_oracle::pg::erd
