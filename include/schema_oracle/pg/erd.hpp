// erd.hpp: what erd() reads from the catalog, and how it becomes the pure
// core's model (core/erd.hpp).
//
//   read_erd_catalog()  C land (src/pg/erd_catalog.cpp): one scan of each
//                       catalog, with the caller's privileges applied, into
//                       plain palloc'd rows. It may ereport: call it with no
//                       C++ object alive in the caller's frames.
//   build_diagram()     C++ (src/pg/erd_builder.cpp): the model, from the
//                       rows only (no PostgreSQL call), inside cpp_boundary.
#pragma once

#include <cstdint>

#include "schema_oracle/core/erd.hpp"

namespace schema_oracle::pg::erd {

using RawOid = std::uint32_t;

// A text[] argument; present = false for SQL NULL. A NULL element is kept
// as nullptr (it matters to exclude_schemas, as in "NOT x = ANY (array)").
struct NameList {
    bool present;
    int n;
    const char** items;
};

struct ReadOptions {
    NameList include_schemas, exclude_schemas;
    bool dictionary;  // data_dictionary(): also defaults, definitions, sizes, triggers
};

struct RawTable {
    RawOid oid, nsp;
    const char* nspname;
    const char* name;
    const char* qualified;  // quote_qualified_identifier(nspname, name)
    char kind;
    bool all_columns_visible;  // owner, or a privilege on the whole table
    float tuples;
    // dictionary: pg_total_relation_size (summed over the partition tree of
    // a partitioned table); the row estimate (summed over its leaves)
    bool has_size, has_rows;
    std::int64_t size_bytes, rows;
};

struct RawColumn {
    RawOid rel;
    std::int16_t attnum;
    bool not_null;
    bool has_default;  // atthasdef
    char identity, generated;
    const char* name;
    const char* type;  // format_type(atttypid, atttypmod)
};

struct RawKey {  // pg_constraint rows: p and f on the tables, f (declared) between them
    RawOid oid, rel, ref_rel;
    bool edge;  // a foreign key the user declared (not a clone on a partition)
    char type;
    char on_delete;
    int nkey;
    const std::int16_t* key;
    const char* name;
    const char** key_names;  // foreign keys: the referencing columns' names
    bool key_nullable;       // foreign keys: one of them may be NULL
    // dictionary
    bool of_table;    // a constraint of a table drawn (else only a reference to one)
    bool referenced;  // a declared foreign key to a table drawn, from a table the caller may see
    bool validated;
    const char* definition;  // pg_get_constraintdef()
    const char* ref_schema;  // foreign keys: the referenced table and columns
    const char* ref_table;
    const char** ref_names;
    int nref;
    const char* rel_schema;  // the constraint's own table (for "referenced by")
    const char* rel_name;
};

struct RawDictIndex {  // dictionary: every index of the tables
    RawOid rel;
    bool unique, primary, valid;
    const char* name;
    const char* definition;  // pg_get_indexdef()
};

struct RawTrigger {  // dictionary: the tables' triggers, internal ones left out
    RawOid rel;
    char enabled;
    const char* name;
    const char* definition;  // pg_get_triggerdef()
};

struct RawIndex {  // unique indexes
    RawOid rel;
    bool primary, valid, partial, expressions;
    int nkey;
    const std::int16_t* key;
};

struct RawComment {
    RawOid rel;
    std::int32_t subid;
    const char* text;
};

struct RawInherit {
    RawOid child, parent;
};

template <typename T>
struct Rows {
    int n, cap;
    T* items;
};

struct RawErd {
    Rows<RawTable> tables;  // in schema, table order (C collation)
    Rows<RawColumn> columns;
    Rows<RawKey> keys;
    Rows<RawIndex> indexes;
    Rows<RawComment> comments;
    Rows<RawInherit> inherits;  // parents of partitions
    Rows<RawOid> partitions;    // every partition (relispartition), sorted
    // dictionary
    Rows<RawComment> defaults;  // pg_get_expr(adbin, adrelid) by column (subid)
    Rows<RawDictIndex> dict_indexes;
    Rows<RawTrigger> triggers;
    const char* database;
};

// C land. Allocates in CurrentMemoryContext.
RawErd* read_erd_catalog(const ReadOptions& options);

// C++: the diagram's model of the rows (views of their strings).
void build_diagram(const RawErd& raw, core::erd::Diagram& d);
// C++: the dictionary's model (read with options.dictionary).
void build_dictionary(const RawErd& raw, core::erd::Dictionary& d);

}  // namespace schema_oracle::pg::erd
