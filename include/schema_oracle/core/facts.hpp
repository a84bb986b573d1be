// facts.hpp: what the guard knows about one DDL action, as plain data.
//
// The adapters fill these from the live catalog (src/pg/extract/); a
// migration-file checker can fill the same structs from an overlay of a
// file's earlier statements, since nothing here refers to the catalog
// except opaque OIDs. Rules (core/guard.hpp) are pure functions of these
// facts.
//
// Every struct is trivially copyable and trivially destructible, so the
// PostgreSQL side can fill it in C-style code where an ERROR may longjmp
// (no destructor is ever skipped). Text is a `Text` (a string view) of any
// length: the filler owns the characters (palloc'd in the statement's
// memory context on the PostgreSQL side; an arena for a file checker) and
// keeps them alive while the facts are judged. Nothing is ever truncated.
//
// Each action kind has its own struct of named fields; the action says
// which one is filled (the others stay empty).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "schema_oracle/core/type_hygiene.hpp"

namespace schema_oracle::core {

// Text owned by whoever filled the facts; "" when absent.
using Text = std::string_view;

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

// One thing a statement does to one object: the rows of actions.def.
enum class Action : std::uint8_t {
#define SO_ACTION(name, judge) name,
#include "schema_oracle/core/actions.def"
#undef SO_ACTION
};

enum class ConstraintKind : std::uint8_t {
    none,
    check,
    foreign_key,
    unique,
    primary_key,
    exclusion
};

// A relation as it was before the statement (for drop_schema: the schema;
// for alter_domain_add_constraint: the domain).
struct TableFacts {
    std::uint32_t oid = 0;         // the catalog's id for it (0 if none); opaque to the rules
    bool found = false;            // it exists (false: the statement creates it, or fails)
    bool created_in_xact = false;  // created by the current transaction (or temporary)
    bool partitioned = false;      // a partitioned table; sizes are summed over its leaves
    std::int64_t bytes = -1;       // max(pg_class.relpages, exact block count) * BLCKSZ; -1 unknown
    double tuples = -1;            // pg_class.reltuples summed; -1 = never vacuumed or analyzed
    Text qname;                    // schema-qualified, quoted as needed: public.orders
    Text name;                     // unqualified, quoted as needed: orders
    Text schema;                   // its schema, quoted as needed: public
    Text raw_name;                 // unquoted, for deriving new names (orders_id_seq)
    // Not in use: empty (not one block, every partition) and, by the
    // activity statistics (pg_stat_user_tables), never scanned (seq_scan,
    // idx_scan) nor written (n_tup_ins / upd / del) since they began: a
    // table a migration replay (CI) created and nobody touched. The
    // size-independent rules (lock discipline, drops, renames) skip it.
    bool untouched = false;
};

// A column as the statement names it.
struct ColumnName {
    Text quoted;  // quoted as needed: "CustomerId"
    Text raw;     // unquoted, for deriving new names (orders_CustomerId_not_null)
};

// create_index
struct CreateIndexFacts {
    Text name;        // the index, quoted: the user's, or the one PostgreSQL will choose
    Text definition;  // what follows ON <table>: " USING gin (a, (lower(b))) INCLUDE (c) WHERE ..."
    Text key_name;    // unquoted column-name part of PostgreSQL's default name (a_b)
    // A partitioned table: the steps that build the index partition by
    // partition, in order, each three NUL-terminated fields: kind, table,
    // index ('c': CREATE ... ON ONLY a sub-partitioned table; 'l': CREATE
    // ... CONCURRENTLY on a leaf) or kind, parent index, index ('a': ALTER
    // INDEX ... ATTACH PARTITION); quoted, tables and attached indexes
    // qualified, created ones bare (CREATE INDEX puts them in the table's
    // schema), each named as PostgreSQL names a partition's index (foreign
    // partitions have none).
    Text partition_steps;
    Text qualified_name;  // `name`, schema-qualified (the partitions' ATTACH names it)
    // A partitioned table with a foreign-table partition: DefineIndex skips
    // it, so the index cannot be built partition by partition (ON ONLY the
    // parent it would never become valid).
    bool foreign_partition = false;
    bool unique = false;
    bool if_not_exists = false;
};

// drop_index, reindex
// What a REINDEX rebuilds: one index or table, or every table of a schema,
// of the database, or of the system catalogs (each table in a transaction
// of its own; `table` then sums the sizes of all of them, its qname says
// "each table of schema s", and IndexFacts::qname is the schema's or the
// database's quoted name).
enum class ReindexScope : std::uint8_t { one, schema, database, system };

struct IndexFacts {
    Text qname;  // the index, qualified and quoted; "" = REINDEX TABLE; the schema or database
    ReindexScope scope = ReindexScope::one;
    std::int32_t tables = 0;  // REINDEX SCHEMA / DATABASE / SYSTEM: the tables it rebuilds
};

// add_column
struct AddColumnFacts {
    ColumnName column;
    Text type;              // formatted type: "bigint", "character varying(20)"
    Text default_sql;       // the cooked default, deparsed ("" none or not needed)
    Text generation_sql;    // GENERATED ALWAYS AS (...) STORED: the expression
    Text domain_base_type;  // a constrained domain's base type
    bool has_default = false;
    bool volatile_default = false;    // the default calls a volatile function (incl. nextval)
    bool serial = false;              // serial / bigserial / smallserial
    bool identity = false;            // GENERATED ... AS IDENTITY
    bool identity_always = false;     // GENERATED ALWAYS (false: BY DEFAULT)
    bool generated_stored = false;    // GENERATED ALWAYS AS (...) STORED
    bool constrained_domain = false;  // a domain with constraints: any default rewrites
    bool not_null = false;            // NOT NULL given
    // The table has a primary key, so schema_oracle.backfill() can batch
    // the hint's data move (filled for the rewriting forms only).
    bool backfill_ok = false;
};

// alter_column_type
struct AlterTypeFacts {
    ColumnName column;
    Text type;                      // the new type, formatted
    bool rewrite = false;           // PostgreSQL's own rewrite decision, emulated
    bool using_expression = false;  // a USING clause other than the bare column
    bool backfill_ok = false;       // as AddColumnFacts::backfill_ok (rewrites only)
};

// rebuild_indexes: ALTER COLUMN ... TYPE that keeps the table's data but
// rebuilds the indexes over the column (an expression or partial index, a
// changed collation or operator class), under ACCESS EXCLUSIVE
struct IndexRebuildFacts {
    ColumnName column;
    Text type;                      // the new type, formatted
    Text collation;                 // COLLATE given in the ALTER, quoted ("" none)
    int count = 0;                  // indexes rebuilt
    std::int64_t index_bytes = -1;  // their size summed; -1 unknown
    Text names;                     // "public.a_idx, public.b_idx"
    Text drop_sql;    // "DROP INDEX CONCURRENTLY public.a_idx;\n..." (not constraint indexes)
    Text create_sql;  // "CREATE INDEX CONCURRENTLY a_idx ON ...;\n..." (the same)
    int constraint_indexes = 0;  // of them, backing a PRIMARY KEY / UNIQUE / EXCLUDE
};

// set_not_null
struct SetNotNullFacts {
    ColumnName column;
    bool implied_by_check = false;  // a validated CHECK already proves the column NOT NULL
    // The column is added by an earlier sub-command of the same ALTER TABLE
    // with a non-volatile default: its definition with NOT NULL declared
    // inline (which scans nothing); empty for an existing column.
    Text added_column_sql;
};

// add_constraint (ADD CONSTRAINT, and ADD COLUMN ... UNIQUE / PRIMARY KEY)
struct AddConstraintFacts {
    ConstraintKind kind = ConstraintKind::none;
    Text name;                 // quoted: the user's, or the one PostgreSQL will choose
    Text definition;           // "CHECK (...)", "FOREIGN KEY (a) REFERENCES t (id)", "EXCLUDE ..."
    Text referenced_table;     // foreign key: the referenced table, qualified and quoted
    Text key_columns;          // unique / primary key: "a, b", quoted
    Text using_index;          // ... USING INDEX: the index, quoted ("" none)
    Text not_null_check;       // USING INDEX: "a IS NOT NULL AND b IS NOT NULL" for nullable keys
    int nullable_columns = 0;  // USING INDEX: key columns of the index that allow NULL
    Text new_column;           // ADD COLUMN ... UNIQUE/PRIMARY KEY: the new key column, quoted
    Text new_column_type;      // ... and its type
    // ADD COLUMN ... CHECK / REFERENCES: the column as the hint adds it first,
    // without the constraint ("amount integer DEFAULT 0 NOT NULL")
    Text new_column_sql;
    bool on_added_column = false;  // the CHECK names a column an earlier sub-command adds
    bool not_valid = false;
    // unique / primary key: the index the hint builds concurrently, quoted,
    // when `name` is still taken before the statement's drops run ("" = name)
    Text build_index;
    // unique / primary key: what follows the key columns in the index the
    // hint builds (" INCLUDE (c) NULLS NOT DISTINCT WITH (...) TABLESPACE t"),
    // and the constraint's " DEFERRABLE [INITIALLY DEFERRED]" ("" none).
    Text index_tail;
    Text deferrable;
    // unique / primary key of a partitioned table (`definition` then is the
    // constraint as written: "PRIMARY KEY (a, b) INCLUDE (c) ..."): each
    // partition's key first, three NUL-terminated fields (kind, table,
    // name) a step, quoted,
    // tables qualified ('l': a leaf's index built concurrently and its key
    // added USING it; 'c': a sub-partitioned table's own key, after its
    // partitions'), named as PostgreSQL names a partition's key. A foreign
    // key of a partitioned table: the partitions alone (kind, table, ""),
    // a leaf's validated NOT VALID first, each level's own after.
    Text partition_steps;
};

// validate_constraint
struct ValidateFacts {
    Text constraint;  // quoted
    // The strong lock comes from the same ALTER TABLE (ADD CONSTRAINT ...
    // NOT VALID, VALIDATE CONSTRAINT in one statement), not an earlier one.
    bool same_statement = false;
};

// set_persistence, set_tablespace, set_access_method
struct StorageFacts {
    bool logged = false;  // SET LOGGED (false: SET UNLOGGED)
    Text tablespace;      // SET TABLESPACE: the target, quoted
    Text access_method;   // SET ACCESS METHOD: the target, quoted
    Text index_of;        // ALTER INDEX ... SET TABLESPACE: the index's table (table = the index)
    // ALL IN TABLESPACE (whole_database): table = the biggest relation moved
    Text from_tablespace;           // the tablespace emptied, quoted
    int relations = 0;              // how many relations move
    std::int64_t total_bytes = -1;  // their size summed; -1 unknown
};

// attach_partition (table = the partition), detach_partition (table = the
// parent), scan_default_partition (table = the DEFAULT partition)
struct PartitionFacts {
    Text parent;          // attach, scan_default: the partitioned table, qualified and quoted
    Text partition;       // detach, scan_default: the (new) partition, qualified and quoted
    Text constraint_sql;  // attach: the partition constraint the scan proves; scan_default:
                          // the default partition's new constraint, NOT (<new bound>)
    Text bound_sql;       // attach: "FOR VALUES ..."
    bool implied_by_check = false;  // validated constraints already imply it: no scan
};

// alter_domain_add_constraint (table.qname = the domain)
struct DomainConstraintFacts {
    Text domain;      // qualified and quoted
    Text constraint;  // quoted: the user's, or the one PostgreSQL will choose
    Text check_sql;   // "CHECK (VALUE > 0)", the user's condition as PostgreSQL reads it
    bool not_valid = false;
};

// rename_column, rename_table, drop_column
struct RenameDropFacts {
    ColumnName column;  // rename_column, drop_column
    Text new_name;      // rename: the new name, quoted
    Text column_type;   // rename_column: the column's type, formatted
    Text new_qname;     // rename_table: the new qualified name
    // rename_column: the relation is a view or a materialized view (no
    // column to add and backfill: the clients move first).
    bool view = false;
    // drop_table: a table this transaction created in the same schema with
    // the same columns, which is to take the dropped table's place (a table
    // swap: copy, drop the old, rename the copy); "" none.
    Text replacement;
};

// table_rewrite
struct RewriteFacts {
    Text reason;  // "reason: a column type change"
    // VACUUM FULL / CLUSTER (pg_repack's fix): the database, for a whole
    // database's; CLUSTER ... USING an index that is not yet the table's
    // clustered one: its key columns as an ORDER BY list ("" none needed).
    Text database;
    Text order_by;
};

// column_type (type hygiene; table.qname names the table, which may be new)
struct TypeHygieneFacts {
    Text column;                           // quoted
    TypeHygiene type = TypeHygiene::none;  // json, timestamp, char(n), varchar(255)
    std::int32_t typmod = -1;              // the column's typmod (char(n): n + 4)
    bool int4_key = false;                 // an integer / smallint / serial key column
    Text key_type;  // int4_key: "integer", "smallint", "serial", "smallserial"
};

// alter_enum (table.qname = the enum type; table.found, created_in_xact)
struct EnumFacts {
    bool rename = false;  // RENAME VALUE (false: ADD VALUE)
    Text old_value;       // RENAME VALUE: the old label, as an SQL literal
    Text new_value;       // the new or added label, as an SQL literal
    Text placement;       // ADD VALUE ... BEFORE / AFTER: " BEFORE 'sad'" ("" at the end)
    // RENAME VALUE: the table columns of the type (not arrays or domains of
    // it; a partitioned table's, not its partitions'), whose rows the hint
    // moves over, two NUL-terminated fields (table, column) each (quoted;
    // the table qualified).
    Text columns;
};

// drop_cascade: what PostgreSQL would drop besides the named object
// (pg_depend, as findDependentObjects walks it: the objects reached through
// a normal dependency, which PostgreSQL's "drop cascades to" lists).
struct CascadeFacts {
    Text object;      // the named object: "constraint orders_pkey on table public.orders"
    Text dependents;  // one per line, as getObjectDescription words them; "" none
    int count = 0;    // how many lines `dependents` has
};

// restart_sequence: ALTER SEQUENCE ... RESTART back over values it already
// issued, on a sequence a column owns (serial, identity, OWNED BY).
struct SequenceRestartFacts {
    Text sequence;                // qualified, quoted: public.orders_id_seq
    Text sequence_literal;        // the same as an SQL string literal, for setval()
    ColumnName column;            // the owning column
    std::int64_t restart = 0;     // what nextval() returns next
    std::int64_t last_value = 0;  // the last value it issued
    bool ascending = true;        // increment > 0
};

struct ActionFacts {
    Action action = Action::other;
    Lock lock = Lock::none;          // the lock the statement takes on `table`
    bool lock_already_held = false;  // this transaction already holds `lock` or stronger on `table`
    bool concurrent = false;         // CONCURRENTLY given
    bool whole_database = false;     // VACUUM FULL / CLUSTER without a table list
    TableFacts table;

    // The one of these that `action` names is filled.
    CreateIndexFacts create_index;
    IndexFacts index;
    AddColumnFacts add_column;
    AlterTypeFacts alter_type;
    IndexRebuildFacts rebuild;
    SetNotNullFacts set_not_null;
    AddConstraintFacts constraint;
    ValidateFacts validate;
    StorageFacts storage;
    PartitionFacts partition;
    DomainConstraintFacts domain;
    RenameDropFacts rename_drop;
    RewriteFacts rewrite;
    TypeHygieneFacts hygiene;
    EnumFacts enum_value;
    CascadeFacts cascade;
    SequenceRestartFacts sequence_restart;

    // The new object the action's hint creates (a table's _new copy, a
    // serial's sequence, a NOT NULL or bound check, a column's _new twin),
    // unquoted, as the adapter chose it the way PostgreSQL chooses names:
    // makeObjectName's 63 bytes, then a numeric suffix until no object of
    // that kind in the namespace (any relation kind or type; a constraint;
    // a column of the table) has it. "" = the core derives it with the
    // truncation only (derived_name_spec names what to derive).
    Text derived_name;

    // ALTER TABLE: the statement's DROP COLUMN / DROP CONSTRAINT
    // sub-commands that PostgreSQL runs before this action (AT_PASS_DROP)
    // and that the hint depends on: they free the name it adds back, or drop
    // the primary key it replaces ("DROP CONSTRAINT accounts_pkey"; "" none).
    // The hint's first ALTER TABLE carries them, so it runs when pasted.
    // Each sub-command is kept apart from the next by a NUL; judge_statement
    // leaves out those an earlier hint of the statement already carries (the
    // user pastes the hints in the order printed: a second DROP COLUMN would
    // drop what the first hint just backfilled).
    Text same_statement_drops;
    // Set by judge_statement, not by the adapters: an earlier hint of the
    // statement already adds the column this action adds (ADD COLUMN c ...
    // UNIQUE: the add_column hint, then the add_unique_constraint one), so
    // this hint starts from the state that one leaves: the column is there.
    bool column_added_by_earlier_hint = false;
    // Set by judge_statement too: a DROP COLUMN whose drop an earlier hint
    // of the statement already carries (ADD COLUMN c ..., DROP COLUMN c:
    // PostgreSQL drops first, and so does the add_column recipe), so its own
    // hint must not drop the column that recipe added.
    bool column_dropped_by_earlier_hint = false;
};

// What name an action's hint derives (core/guard.cpp derived_name_spec):
// makeObjectName(name1, name2, label), free among objects of `kind`.
enum class DerivedKind : std::uint8_t { none, relation, constraint, column };
struct DerivedNameSpec {
    DerivedKind kind = DerivedKind::none;
    Text name1;
    Text name2;
    Text label;
};

static_assert(std::is_trivially_copyable_v<ActionFacts> &&
                  std::is_trivially_destructible_v<ActionFacts>,
              "facts are filled in C-style code where an ERROR may longjmp");

// What the guard knows about the statement and the transaction around it.
struct StatementContext {
    std::int64_t size_threshold_bytes = 0;  // lock/rewrite rules skip smaller tables
    bool lock_timeout_set = false;          // lock_timeout > 0 in this session
    bool lock_timeout_reported = false;  // missing_lock_timeout already spoke in this transaction
    bool in_transaction_block = false;   // inside BEGIN ... COMMIT
    Text ae_held_table;             // a pre-existing table this transaction already holds ACCESS
    std::uint32_t ae_held_oid = 0;  // EXCLUSIVE on since an earlier statement ("" none)
};

}  // namespace schema_oracle::core
