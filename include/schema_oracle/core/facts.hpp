// facts.hpp: what the guard knows about one DDL action, as plain data.
//
// The adapters fill these from the live catalog (src/pg/guard_facts.cpp);
// later a migration-file overlay can fill them from earlier statements of a
// file. Rules (core/guard.hpp) are pure functions of these facts. Everything
// here is a POD with fixed-size text, so the PostgreSQL side can fill it in
// C-style code where an ERROR may longjmp (no destructor is ever skipped).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <cstdint>

namespace schema_oracle::core {

inline constexpr std::size_t name_cap = 200;   // a quoted, qualified identifier
inline constexpr std::size_t sql_cap = 1024;   // an SQL fragment (type, expression)

// PostgreSQL's table lock modes, weakest first (so they compare with <).
enum class Lock : std::uint8_t {
    none,
    access_share,
    row_share,
    row_exclusive,
    share_update_exclusive,
    share,
    share_row_exclusive,
    exclusive,
    access_exclusive,
};

// One thing a statement does to one object.
enum class Action : std::uint8_t {
    other,                    // only lock discipline applies
    create_index,
    drop_index,
    reindex,
    add_column,
    alter_column_type,
    set_not_null,
    add_constraint,
    validate_constraint,
    set_persistence,
    set_tablespace,
    set_access_method,
    vacuum_full,
    cluster,
    refresh_matview,
    attach_partition,
    detach_partition,
    alter_domain_add_constraint,
    rename_column,
    rename_table,
    drop_column,
    drop_table,
    truncate,
    drop_schema,
    table_rewrite,            // the table_rewrite event (backstop)
    column_type,              // a column's type, for the type-hygiene rules
};

enum class ConstraintKind : std::uint8_t { none, check, foreign_key, unique, primary_key, exclusion };

// A relation as it was before the statement.
struct TableFacts {
    std::uint32_t oid;        // the catalog's id for it (0 if none); opaque to the rules
    bool found;               // it exists (false: the statement creates it, or fails)
    bool created_in_xact;     // created by the current transaction (relcache rd_createSubid)
    bool partitioned;         // a partitioned table; sizes are summed over its leaves
    std::int64_t bytes;       // max(pg_class.relpages, exact block count) * BLCKSZ; -1 unknown
    double tuples;            // pg_class.reltuples summed; -1 = never vacuumed or analyzed
    char qname[name_cap];     // schema-qualified, quoted as needed: public.orders
    char name[name_cap];      // unqualified, quoted as needed: orders
    char schema[name_cap];    // its schema, quoted as needed: public
    char raw_name[name_cap];  // unquoted, for deriving new names (orders_id_seq)
};

struct ActionFacts {
    Action action;
    Lock lock;                // the lock the statement takes on `table`
    bool lock_already_held;   // this transaction already holds `lock` or stronger on `table`
    TableFacts table;

    bool concurrent;          // CONCURRENTLY given
    bool if_exists;           // IF [NOT] EXISTS given
    bool unique;              // CREATE UNIQUE INDEX
    bool not_valid;           // NOT VALID given
    bool whole_database;      // VACUUM FULL / CLUSTER without a table list
    bool logged;              // SET LOGGED (false: SET UNLOGGED)

    // ADD COLUMN
    bool has_default;
    bool volatile_default;    // the default calls a volatile function (incl. nextval)
    bool serial;              // serial / bigserial / smallserial
    bool identity;            // GENERATED ... AS IDENTITY
    bool generated_stored;    // GENERATED ALWAYS AS (...) STORED
    bool constrained_domain;  // the type is a domain with constraints (any default rewrites)
    bool not_null;            // NOT NULL given

    // ALTER COLUMN TYPE: PostgreSQL's own rewrite decision, emulated
    bool rewrite;
    bool using_expression;    // a USING clause other than the bare column

    // SET NOT NULL / PRIMARY KEY USING INDEX
    bool implied_by_check;    // a validated CHECK already proves the column NOT NULL
    int nullable_columns;     // key columns of the index that allow NULL

    ConstraintKind constraint;
    bool using_index;         // ADD CONSTRAINT ... USING INDEX
    bool new_column;          // ADD COLUMN ... UNIQUE/PRIMARY KEY: the key column (type_sql) is new

    // column_type (type hygiene)
    bool type_json, type_timestamp, type_char, type_varchar_255, type_int4_key;

    char column[name_cap];    // column, or constraint, index or partition name (quoted)
    char raw_column[name_cap];  // the column unquoted, for deriving new names
    char object[name_cap];    // a second name: new name, index, referenced table, tablespace
    char type_sql[name_cap];  // formatted type, e.g. "bigint", "character varying(20)"
    char expr_sql[sql_cap];   // default expression, index column list, CHECK text, ...
    char extra_sql[sql_cap];  // further text an action needs (e.g. an index method, WHERE)
};

// What the guard knows about the statement and the transaction around it.
struct StatementContext {
    std::int64_t size_threshold_bytes;  // lock/rewrite rules skip smaller tables
    bool lock_timeout_set;              // lock_timeout > 0 in this session
    bool lock_timeout_reported;         // missing_lock_timeout already spoke in this transaction
    bool in_transaction_block;          // inside BEGIN ... COMMIT
    char ae_held_table[name_cap];       // a pre-existing table this transaction already holds
                                        // ACCESS EXCLUSIVE on since an earlier statement ("")
};

}  // namespace schema_oracle::core
