// check.hpp (pg): schema_oracle.check(), judging a migration file against
// the live catalog without running it (docs/check.md).
//
// check_migration() is C++ and runs inside cpp_boundary (src/entry/check.cpp).
// It parses with PostgreSQL's raw parser, keeps a core::Overlay of what the
// earlier statements did, and judges each statement with the live guard's
// extractor and rules (src/pg/check_catalog.cpp holds the C-style catalog
// side: name resolution through the overlay, unknown objects, facts of
// relations the file created, and each statement's effects).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "schema_oracle/core/overlay.hpp"
#include "schema_oracle/pg/guard.hpp"

namespace schema_oracle::pg {

struct CheckRow {
    int file;          // 1-based index of the migration file
    int statement;     // 1-based statement number in the file
    int line, column;  // of the finding (the statement's first token, or the exact position)
    std::string excerpt, rule, severity, level, lock, lock_on, message, detail, fix, waiver;
};

// Judges the files in order, as consecutive migrations: what an earlier
// file creates exists for the later ones.
std::vector<CheckRow> check_migrations(const std::vector<std::string_view>& files,
                                       core::TransactionMode mode);

// Test-only shadow of the live guard (src/pg/guard.cpp, test/cluster/check_shadow.sh):
// judges the statement the guard is judging from its source text
// (debug_query_string when it holds exactly this one statement), with the
// live transaction state, and writes to the server log whether check()'s
// rules are the live guard's. C land; never raises for a difference.
struct CheckShadowState {
    bool in_transaction_block;
    bool lock_timeout_reported;
    const char* ae_table;  // statement_after_access_exclusive pending (nullptr: no)
    Oid ae_relid;
    const char** live_rules;  // the rules the guard reports for the statement
    int live_count;
};
void check_shadow(Node* stmt, const CheckShadowState* state);

// --- shared with check_catalog.cpp (C-style; may ereport) --------------------

// An object the statement names that does not exist once the file's earlier
// statements ran (the statement would fail).
struct CheckUnknown {
    int location;       // byte offset in the parsed string, -1 unknown
    char message[512];  // PostgreSQL's wording: relation "x" does not exist
};
struct CheckUnknownList {
    CheckUnknown items[8];
    int count;
};

// The overlay the C-style code consults (set by check_migration).
extern core::Overlay* check_overlay;
extern bool check_out_of_memory;  // an overlay update failed to allocate
extern bool check_live_locks;     // the shadow: locks are the backend's own

// Installs / removes the guard's overlay hooks (pg/guard.hpp).
void check_hooks_install();
void check_hooks_remove();

// Unknown relations and columns the statement names.
void check_unknown_objects(Node* stmt, CheckUnknownList* out);

// Actions on relations the file created (the guard's extractor sees only
// the catalog), appended to `out`.
void check_file_actions(Node* stmt, ActionList* out);

// The locks the statement takes, by relation, into the overlay, and what
// it does to relations and columns; the foreign keys it adds and the
// indexes it builds (positions from check_statement).
struct CheckStatementRef {
    int file, statement;
    std::size_t at, start, end;
};
extern CheckStatementRef check_statement;
void check_apply_effects(Node* stmt, const ActionList* actions);

// Whether the statement creates, alters or drops an object outside the
// relations the overlay follows (a function, type, operator, cast, access
// method, extension, ...) or may do so (a DO block):
// core::Overlay::note_outside_relations_changed.
bool check_changes_outside_relations(Node* stmt);

// The valid indexes of a catalog table, by key column names (raw; "" for an
// expression), for the foreign keys of a file.
struct CheckIndexKeys {
    int nkeys;
    char** keys;
    bool btree;
    bool partial;
};
int check_catalog_indexes(Oid relid, CheckIndexKeys** out);

// guard_statement_adds_no_lock_time through the overlay: the statement only
// changes the catalog, on relations the file's transaction created or
// already holds locked in the mode it needs (statement_after_access_exclusive
// is not said for it, as live: a table swap's final RENAME, a DROP DEFAULT
// after ADD COLUMN).
bool check_statement_adds_no_lock_time(Node* stmt);

// The catalog relation a name denotes once the file's earlier statements
// ran (search_path order, renames followed); InvalidOid for a relation the
// file created, or none.
Oid check_catalog_relation(RangeVar* rv);

// An UPDATE or DELETE of the file that changes every row of a catalog
// table (no WHERE, no FROM / USING: check() does not plan, so only this
// form has a row count it knows without the planner), with the table's
// size from pg_class (a partitioned table: its partitions', summed). For
// large_dml_in_migration (src/pg/check_dml.cpp). Returns false for any
// other statement, a relation the file created, a temporary or empty table.
struct CheckWholeTableDml {
    bool update;
    bool partitioned;
    double rows;
    int64 bytes;
    char* table;  // quoted, qualified
    char** key;   // a partitioned DELETE: the primary key's columns, quoted
    int nkey;
};
bool check_whole_table_dml(Node* stmt, CheckWholeTableDml* out);

}  // namespace schema_oracle::pg
