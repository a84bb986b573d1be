// catalog_builder.cpp: report()'s catalog model from the raw rows (the C++
// half of the catalog reader; src/pg/catalog_reader.cpp reads the rows).
//
// One build_X() per raw array, each filling one part of the pure core's
// model with OID-keyed flat maps built from sorted sequences (no per-insert
// shifting). Nothing here calls PostgreSQL, so it runs inside cpp_boundary.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "schema_oracle/core/sort_keys.hpp"
#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/upstream/upstream.hpp"

namespace schema_oracle::pg {

namespace {

using core::Oid;

// nodeToString() text carries source positions (":location 42"), which
// differ between identical expressions written at different places.
std::string strip_locations(const char* node) {
    std::string out;
    std::string_view s(node);
    out.reserve(s.size());
    const std::string_view key = ":location ";
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t hit = s.find(key, pos);
        if (hit == std::string_view::npos) {
            out.append(s.substr(pos));
            break;
        }
        out.append(s.substr(pos, hit - pos));
        std::size_t end = hit + key.size();
        if (end < s.size() && s[end] == '-')
            ++end;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
        pos = end;
    }
    return out;
}

// Raw rows in OID order, so the model's vectors are built already sorted
// (sorting the big model structs themselves would move them around).
// Sorted as (OID, position) pairs in one 64-bit word each: the comparisons
// read a compact array, not the rows themselves (a cache miss each: pg_class's
// heap order is not OID order once rows were updated, e.g. by ANALYZE).
template <typename T>
std::vector<const T*> by_oid(const PodArray<T>& a) {
    std::vector<std::uint64_t> keys;
    keys.reserve(a.n);
    for (int i = 0; i < a.n; ++i)
        keys.push_back(static_cast<std::uint64_t>(a.items[i].oid) << 32 |
                       static_cast<std::uint32_t>(i));
    {  // heap order: not std::sort (sort_keys.hpp); by the OID half, stable
        std::vector<std::uint64_t> tmp(keys.size());
        core::radix_sort_keys(keys.data(), tmp.data(), keys.size(), 32);
    }
    std::vector<const T*> v;
    v.reserve(a.n);
    for (std::uint64_t k : keys) v.push_back(&a.items[static_cast<std::uint32_t>(k)]);
    return v;
}

template <typename Map, typename Vec>
void fill_sorted(Map& map, Vec&& items) {
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    core::sort_keys(items.begin(), items.end(), by_key);
    items.erase(std::unique(items.begin(), items.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                items.end());
    map.adopt_sequence(boost::container::ordered_unique_range, std::move(items));
}

// An object's name and its quoted form, which raw rows and model structs
// both carry.
template <typename To, typename From>
void copy_name(To& to, const From& from) {
    to.name = from.name;
    to.qname = from.qname;
}

// A text the raw row may lack (nullptr: the model keeps its empty default).
template <typename To>
void copy_text(To& to, const char* from) {
    if (from != nullptr)
        to = from;
}

using ClassIndex = boost::container::flat_map<Oid, const RawClass*>;

void build_namespaces(const RawCatalog& raw, core::CatalogModel& m) {
    boost::container::flat_map<Oid, core::Namespace>::sequence_type v;
    v.reserve(raw.namespaces.n);
    for (int i = 0; i < raw.namespaces.n; ++i) {
        const RawNamespace& r = raw.namespaces.items[i];
        v.emplace_back(r.oid, core::Namespace{r.oid, r.name, r.qname});
    }
    fill_sorted(m.namespaces, std::move(v));
}

// Tables and sequences become relations; index rows are returned by OID
// for build_indexes().
ClassIndex build_relations(const RawCatalog& raw, core::CatalogModel& m) {
    boost::container::flat_map<Oid, core::Relation>::sequence_type v;
    ClassIndex::sequence_type ic;
    v.reserve(raw.classes.n);
    for (const RawClass* cp : by_oid(raw.classes)) {
        const RawClass& c = *cp;
        if (c.kind == 'i' || c.kind == 'I') {
            ic.emplace_back(c.oid, &c);
            continue;
        }
        // Built in place: a Relation is large, moving it costs.
        v.emplace_back();
        v.back().first = c.oid;
        core::Relation& rel = v.back().second;
        rel.oid = c.oid;
        rel.nsp = c.nsp;
        copy_name(rel, c);
        rel.kind = c.kind;
        rel.is_partition = c.is_partition;
        rel.typed = c.typed;
        rel.pages = c.pages;
        rel.tuples = c.tuples;
        rel.heap = c.heap;
        rel.index_count = static_cast<std::size_t>(c.nindexes);
        if (const RawActivity* a = c.activity)
            rel.activity = core::TableActivity{a->seq_scan, a->seq_tup_read, a->idx_scan,
                                               a->idx_tup_fetch, a->n_dead};
    }
    fill_sorted(m.relations, std::move(v));
    ClassIndex index_classes;
    fill_sorted(index_classes, std::move(ic));
    return index_classes;
}

void build_attributes(const RawCatalog& raw, core::CatalogModel& m) {
    // pg_attribute keeps a table's columns together: one lookup and one
    // reservation per run of rows of the same table.
    auto it = m.relations.end();
    core::Oid current = 0;
    int next_stats = 0;  // raw.column_stats is in attribute order
    for (int i = 0; i < raw.attributes.n; ++i) {
        const RawAttribute& r = raw.attributes.items[i];
        if (i == 0 || r.rel != current) {
            current = r.rel;
            it = m.relations.find(r.rel);
            int run = 1;
            while (i + run < raw.attributes.n && raw.attributes.items[i + run].rel == current)
                ++run;
            if (it != m.relations.end())
                it->second.attrs.reserve(it->second.attrs.size() + run);
        }
        if (it == m.relations.end())
            continue;
        core::Attribute& a = it->second.attrs.emplace_back();  // in place: no move, no temporary
        a.attnum = r.attnum;
        copy_name(a, r);
        a.type = r.type;
        a.typmod = r.typmod;
        a.not_null = r.not_null;
        a.is_local = r.is_local;
        a.identity = r.identity;
        a.generated = r.generated;
        while (next_stats < raw.column_stats.n && raw.column_stats.items[next_stats].attribute < i)
            ++next_stats;
        if (next_stats < raw.column_stats.n && raw.column_stats.items[next_stats].attribute == i) {
            const RawColumnStats& rs = raw.column_stats.items[next_stats];
            core::ColumnStats st;
            st.null_frac = rs.null_frac;
            st.n_distinct = rs.n_distinct;
            st.avg_width = rs.avg_width;
            for (int k = 0; k < rs.ncommon; ++k) {
                st.common_values.emplace_back(rs.common_values[k]);
                st.common_freqs.push_back(rs.common_freqs[k]);
            }
            a.stats = std::make_shared<const core::ColumnStats>(std::move(st));
        }
    }
    // Sorted by attnum; a column read twice (the key-columns-only read of two
    // unique indexes sharing it) kept once.
    auto by_attnum = [](const core::Attribute& x, const core::Attribute& y) {
        return x.attnum < y.attnum;
    };
    for (auto& [oid, rel] : m.relations) {
        // A heap scan meets a table's columns in attnum order unless columns
        // were dropped and added (the row is rewritten elsewhere).
        if (!std::is_sorted(rel.attrs.begin(), rel.attrs.end(), by_attnum))
            std::sort(rel.attrs.begin(), rel.attrs.end(), by_attnum);
        rel.attrs.erase(std::unique(rel.attrs.begin(), rel.attrs.end(),
                                    [](const core::Attribute& x, const core::Attribute& y) {
                                        return x.attnum == y.attnum;
                                    }),
                        rel.attrs.end());
    }
    boost::container::flat_map<Oid, std::string>::sequence_type v;
    for (int i = 0; i < raw.types.n; ++i)
        v.emplace_back(raw.types.items[i].oid, raw.types.items[i].name);
    fill_sorted(m.type_names, std::move(v));
}

void build_indexes(const RawCatalog& raw, const ClassIndex& index_classes, core::CatalogModel& m) {
    boost::container::flat_map<Oid, std::string> ams;
    for (int i = 0; i < raw.access_methods.n; ++i)
        ams[raw.access_methods.items[i].oid] = raw.access_methods.items[i].name;
    boost::container::flat_map<Oid, core::Index>::sequence_type v;
    v.reserve(raw.indexes.n);
    // Both in OID order: one merging walk instead of a search per index.
    auto cit = index_classes.begin();
    for (const RawIndex* rp : by_oid(raw.indexes)) {
        const RawIndex& r = *rp;
        while (cit != index_classes.end() && cit->first < r.oid) ++cit;
        if (cit == index_classes.end() || cit->first != r.oid)
            continue;
        const RawClass& c = *cit->second;
        v.emplace_back();  // built in place: an Index is large, moving it costs
        v.back().first = r.oid;
        core::Index& ix = v.back().second;
        ix.oid = r.oid;
        ix.table = r.table;
        ix.nsp = c.nsp;
        copy_name(ix, c);
        ix.kind = c.kind;
        ix.is_partition = c.is_partition;
        auto am = ams.find(c.am);
        ix.am = am == ams.end() ? std::string() : am->second;
        ix.nkey = r.nkey;
        ix.columns.assign(r.keys, r.keys + r.natts);
        if (r.opclasses)
            ix.opclasses.assign(r.opclasses, r.opclasses + r.nkey);
        if (r.collations)
            ix.collations.assign(r.collations, r.collations + r.nkey);
        if (r.options)
            ix.options.assign(r.options, r.options + r.nkey);
        ix.default_sorting = r.default_sorting;
        if (r.expressions)
            ix.expressions = strip_locations(r.expressions);
        if (r.predicate)
            ix.predicate = strip_locations(r.predicate);
        ix.predicate_implied_by_not_null = r.predicate_implied_by_not_null;
        if (c.reloptions != nullptr && *c.reloptions != '\0')  // "" and none compare equal
            ix.reloptions = c.reloptions;
        ix.unique = r.unique;
        ix.primary = r.primary;
        ix.exclusion = r.exclusion;
        ix.nulls_not_distinct = r.nulls_not_distinct;
        ix.valid = r.valid;
        ix.ready = r.ready;
        ix.live = r.live;
        ix.pages = c.pages;
    }
    fill_sorted(m.indexes, std::move(v));
}

void build_constraints(const RawCatalog& raw, core::CatalogModel& m) {
    m.constraints.reserve(raw.constraints.n);
    for (int i = 0; i < raw.constraints.n; ++i) {
        const RawConstraint& r = raw.constraints.items[i];
        core::Constraint& c = m.constraints.emplace_back();
        c.oid = r.oid;
        copy_name(c, r);
        c.type = r.type;
        c.table = r.table;
        c.ref_table = r.ref_table;
        c.index = r.index;
        c.parent = r.parent;
        c.validated = r.validated;
        c.on_delete = r.on_delete;
        copy_text(c.check_expr, r.check_expr);
        copy_text(c.definition, r.definition);
        if (r.key)
            c.key.assign(r.key, r.key + r.nkey);
        if (r.ref_key)
            c.ref_key.assign(r.ref_key, r.ref_key + r.nref);
    }
    auto by_oid = [](const core::Constraint& a, const core::Constraint& b) {
        return a.oid < b.oid;
    };
    core::sort_keys(m.constraints.begin(), m.constraints.end(), by_oid);
}

void build_triggers(const RawCatalog& raw, core::CatalogModel& m) {
    m.triggers.reserve(raw.triggers.n);
    for (int i = 0; i < raw.triggers.n; ++i) {
        const RawTrigger& r = raw.triggers.items[i];
        core::Trigger t;
        t.table = r.table;
        t.name = r.name;
        t.function = r.function;
        t.type = r.type;
        t.enabled = r.enabled;
        t.nattr = r.nattr;
        copy_text(t.first_arg, r.first_arg);
        t.nargs = r.nargs;
        m.triggers.push_back(std::move(t));
    }
    std::sort(m.triggers.begin(), m.triggers.end(),
              [](const core::Trigger& a, const core::Trigger& b) {
                  return std::tie(a.table, a.name) < std::tie(b.table, b.name);
              });
}

void build_functions(const RawCatalog& raw, core::CatalogModel& m) {
    boost::container::flat_map<Oid, core::Function>::sequence_type v;
    for (int i = 0; i < raw.functions.n; ++i) {
        const RawFunction& r = raw.functions.items[i];
        core::Function f;
        f.oid = r.oid;
        f.nsp = r.nsp;
        f.name = r.name;
        f.language = r.language;
        f.security_definer = r.security_definer;
        f.is_procedure = r.is_procedure;
        f.pins_search_path = r.pins_search_path;
        copy_text(f.source, r.source);
        copy_text(f.identity, r.identity);
        v.emplace_back(f.oid, std::move(f));
    }
    fill_sorted(m.functions, std::move(v));
}

// Extension membership and sequence ownership (both from pg_depend rows),
// then the sequences with their owning column.
void build_depends_and_sequences(const RawCatalog& raw, core::CatalogModel& m) {
    std::vector<Oid> ext_rel, ext_fn, ext_nsp;
    boost::container::flat_map<Oid, std::pair<Oid, core::AttrNumber>> owner;
    for (int i = 0; i < raw.depends.n; ++i) {
        const RawDepend& d = raw.depends.items[i];
        if (d.type == 'e')
            (d.kind == 'c' ? ext_rel : d.kind == 'f' ? ext_fn : ext_nsp).push_back(d.obj);
        else
            owner[d.obj] = {d.ref, d.ref_column};
    }
    m.extension_relations.insert(ext_rel.begin(), ext_rel.end());
    m.extension_functions.insert(ext_fn.begin(), ext_fn.end());
    m.extension_namespaces.insert(ext_nsp.begin(), ext_nsp.end());
    m.sequences.reserve(raw.sequences.n);
    for (int i = 0; i < raw.sequences.n; ++i) {
        const RawSequence& r = raw.sequences.items[i];
        core::Sequence s;
        s.oid = r.oid;
        s.type = r.type;
        s.start = r.start;
        s.increment = r.increment;
        s.max = r.max;
        s.min = r.min;
        s.cycle = r.cycle;
        if (r.has_last)
            s.last = r.last;
        auto o = owner.find(s.oid);
        if (o != owner.end()) {
            s.owner_table = o->second.first;
            s.owner_column = o->second.second;
        }
        m.sequences.push_back(s);
    }
    std::sort(m.sequences.begin(), m.sequences.end(),
              [](const core::Sequence& a, const core::Sequence& b) { return a.oid < b.oid; });
}

void build_inherits(const RawCatalog& raw, core::CatalogModel& m) {
    for (int i = 0; i < raw.inherits.n; ++i) {
        auto it = m.relations.find(raw.inherits.items[i].child);
        if (it != m.relations.end())
            it->second.parent = raw.inherits.items[i].parent;
    }
}

void build_statistics(const RawCatalog& raw, core::CatalogModel& m) {
    for (int i = 0; i < raw.builds.n; ++i) m.index_builds_in_progress.insert(raw.builds.items[i]);
    if (raw.stats_reset) {
        m.stats_reset = std::string(raw.stats_reset);
        m.stats_age_seconds = raw.stats_age_seconds;
    }
}

void build_settings(const RawCatalog& raw, core::CatalogModel& m) {
    m.settings.audit_columns.clear();
    m.settings.audit_columns_quoted.clear();
    for (int i = 0; i < raw.audit_columns.n; ++i) {
        m.settings.audit_columns.emplace_back(raw.audit_columns.items[i]);
        m.settings.audit_columns_quoted.emplace_back(raw.audit_columns_quoted.items[i]);
    }
    m.settings.max_indexes_per_table = raw.max_indexes_per_table;
    m.settings.stats_min_rows = raw.stats_min_rows;
    m.settings.natural_key_columns.assign(
        raw.natural_key_columns.items, raw.natural_key_columns.items + raw.natural_key_columns.n);
    m.settings.soft_delete_columns.assign(
        raw.soft_delete_columns.items, raw.soft_delete_columns.items + raw.soft_delete_columns.n);
    m.settings.has_pg_repack = raw.has_pg_repack;
}

}  // namespace

void build_model(const RawCatalog& raw, core::CatalogModel& m) {
    build_namespaces(raw, m);
    ClassIndex index_classes = build_relations(raw, m);
    build_attributes(raw, m);
    build_indexes(raw, index_classes, m);
    build_constraints(raw, m);
    build_triggers(raw, m);
    build_functions(raw, m);
    build_depends_and_sequences(raw, m);
    build_inherits(raw, m);
    build_statistics(raw, m);
    build_settings(raw, m);
    for (int i = 0; i < raw.other_names.n; ++i)
        m.other_relation_names.emplace_back(raw.other_names.items[i].nsp,
                                            raw.other_names.items[i].name);
    // Names derived for fixes are cut in the database encoding.
    m.clip_name = upstream::database_clip;
    m.link();
}

}  // namespace schema_oracle::pg
