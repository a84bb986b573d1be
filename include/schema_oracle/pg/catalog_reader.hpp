// catalog_reader.hpp: reads the catalogs report() needs, ONE sequential
// scan each, and turns the rows into the pure core's CatalogModel.
//
// Two halves with different rules:
//   read_catalog()  C land (src/pg/catalog_reader.cpp). One scan primitive
//                   and one read_X decoder per catalog, copying the needed
//                   fields into plain palloc'd arrays (Raw*); the settings,
//                   exemptions and statistics are read by their own
//                   functions, apart from the scans. It may ereport, so it
//                   must be called with no C++ object alive in its caller
//                   frames (the entry point calls it outside cpp_boundary).
//   build_model()   C++ (src/pg/catalog_builder.cpp). One build_X per raw
//                   array; it reads only the raw arrays (no PostgreSQL
//                   call), so it runs inside cpp_boundary.
#pragma once

#include <cstdint>

#include "schema_oracle/core/catalog_model.hpp"
#include "schema_oracle/core/report_needs.hpp"

namespace schema_oracle::pg {

using RawOid = std::uint32_t;

struct RawNamespace {
    RawOid oid;
    const char* name;
    const char* qname;  // quote_identifier(name)
};

struct RawName {  // a relation only its name matters for (see other_names)
    RawOid nsp;
    const char* name;
};

// part::table_stats: a big table's pg_stat_user_tables counters.
struct RawActivity {
    std::int64_t seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_dead;
};

// 64 bytes: a big catalog has tens of thousands (every index has one), and
// only a few big tables have activity counters (apart, behind a pointer).
struct RawClass {  // tables, partitioned tables, sequences and their indexes
    RawOid oid, nsp, am;
    char kind;
    bool is_partition;
    bool typed;  // pg_class.reloftype set: CREATE TABLE ... OF type
    bool heap;
    const char* name;
    const char* qname;
    const char* reloptions;  // comma-joined, NULL if none (indexes only)
    std::int32_t pages;
    float tuples;
    int nindexes;           // tables: pg_index rows, with part::index_counts
    RawActivity* activity;  // big tables, with part::table_stats; NULL otherwise
};

// One column: 40 bytes, as a big catalog has hundreds of thousands (its
// statistics, which only a few big tables' columns have, are apart).
struct RawAttribute {
    RawOid rel, type;
    std::int32_t typmod;
    std::int16_t attnum;
    bool not_null, is_local;
    char identity, generated;
    // Columns' names repeat from table to table (id, created_at, ...): equal
    // names may share one copy (and its quoted form).
    const char* name;
    const char* qname;
};

// part::column_stats: one column's pg_stats (big tables, readable by the
// caller), by its position in RawCatalog::attributes.
struct RawColumnStats {
    int attribute;
    float null_frac, n_distinct;
    std::int32_t avg_width;
    int ncommon;
    const char** common_values;
    const float* common_freqs;
};

struct RawIndex {
    RawOid oid, table;
    std::int16_t natts, nkey;
    bool unique, primary, exclusion, nulls_not_distinct, valid, ready, live;
    const std::int16_t* keys;                    // natts
    const RawOid* opclasses;                     // nkey
    const RawOid* collations;                    // nkey
    const std::int16_t* options;                 // nkey
    const char* expressions;                     // node text without locations, or NULL
    const char* predicate;                       // node text without locations, or NULL
    std::int16_t predicate_implied_by_not_null;  // see core::Index (pg/fk_coverage.hpp)
    bool default_sorting;  // USING INDEX accepts it (core::Index); set only for the
                           // unique indexes of tables without a primary key
};

struct RawConstraint {
    RawOid oid, table, ref_table, index, parent;
    char type;
    bool validated;
    char on_delete;
    const char* check_expr;  // single-column CHECKs only, NULL otherwise
    const char* definition;  // pg_get_constraintdef(): ON DELETE CASCADE FKs with
                             // part::fk_definitions, NULL otherwise
    int nkey, nref;
    const std::int16_t* key;
    const std::int16_t* ref_key;
    const char* name;
    const char* qname;
};

struct RawTrigger {
    RawOid table, function;
    std::int16_t type;
    char enabled;
    int nattr;
    const char* name;
    const char* first_arg;  // NULL if none
    int nargs;
};

struct RawFunction {
    RawOid oid, nsp;
    bool security_definer, is_procedure, pins_search_path;
    const char* name;
    const char* language;
    const char* source;    // trigger functions only
    const char* identity;  // SECURITY DEFINER functions only
};

struct RawSequence {
    RawOid oid, type;
    std::int64_t start, increment, max, min;
    bool cycle, has_last;
    std::int64_t last;
};

struct RawDepend {
    char type;  // 'e' (extension member) or 'a' / 'i' (sequence owned by a column)
    char kind;  // 'c' pg_class, 'f' pg_proc, 'n' pg_namespace
    RawOid obj, ref;
    std::int16_t ref_column;
};

struct RawTypeName {
    RawOid oid;
    const char* name;  // format_type_be()
};

struct RawInherit {  // pg_inherits: a partition or child and its parent
    RawOid child, parent;
};

struct RawExemption {
    const char* rule;
    const char* pattern;
};

// The one growable array of the C side: plain data (no constructor, no
// destructor), palloc'd in the current memory context, grown by doubling.
// Zero-initialised ({}) it is empty.
template <typename T>
struct PodArray {
    int n;
    int cap;
    T* items;
};

struct RawCatalog {
    PodArray<RawNamespace> namespaces;
    PodArray<RawClass> classes;
    PodArray<RawAttribute> attributes;
    PodArray<RawColumnStats> column_stats;  // by attribute position, ascending
    PodArray<RawTypeName> types;
    PodArray<RawIndex> indexes;
    PodArray<RawConstraint> constraints;
    PodArray<RawTrigger> triggers;
    PodArray<RawFunction> functions;
    PodArray<RawSequence> sequences;
    PodArray<RawDepend> depends;
    PodArray<RawOid> builds;        // tables with a CREATE INDEX / REINDEX running now
    PodArray<RawInherit> inherits;  // part::table_stats
    PodArray<RawExemption> exemptions;
    PodArray<const char*> audit_columns;         // raw names
    PodArray<const char*> audit_columns_quoted;  // quote_identifier()
    PodArray<RawNamespace> access_methods;       // oid + name
    const char* stats_reset;                     // NULL if never reset
    double stats_age_seconds;
    int max_indexes_per_table;
    int stats_min_rows;
    PodArray<const char*> natural_key_columns;
    PodArray<const char*> soft_delete_columns;
    // The user schemas' other relations (views, materialized views,
    // composite types, foreign tables): only their names, which fixes must
    // not take (CREATE INDEX needs a name free among all of pg_class).
    PodArray<RawName> other_names;
    bool has_pg_repack;
    bool index_usage;  // part::index_usage: fetch_index_scans() once the model is built
};

// C land: the scans (see above) of the catalogs and model parts in `needs`
// (core::part bits, from core::report_needs()). Never call with C++ objects
// alive. Allocates in CurrentMemoryContext; reads the exemptions through SPI
// (connects and finishes itself).
RawCatalog* read_catalog(unsigned needs);

// C land: pg_stat_user_indexes.idx_scan of each of `n` indexes (0 when
// the statistics have no entry). Called through pg_call.
void fetch_index_scans(const RawOid* indexes, int n, std::int64_t* scans);

// C++: the model, from the raw arrays only.
void build_model(const RawCatalog& raw, core::CatalogModel& model);

}  // namespace schema_oracle::pg
