// extract.hpp: what the guard's fact extractors share (private to src/pg).
//
// One extractor file per statement family (create_table.cpp, index.cpp,
// alter_table.cpp + columns.cpp / constraints.cpp / partitions.cpp,
// breaking.cpp, maintenance.cpp); statement_kinds.cpp says which statement
// goes where. Shared here: the action list, lock facts, name resolution,
// size facts (common.cpp), parse analysis for deparsed hints, and text.
//
// All of it is C-style on purpose: PostgreSQL calls here may ereport, so no
// C++ object with a destructor is ever alive in these frames. Extraction
// runs inside an internal subtransaction (guard.cpp, through the boundary),
// so an ERROR is survivable. Facts hold text as core::Text views of
// palloc'd strings in the statement's memory context: any length, never
// cut. Nothing here takes a lock that can wait: names are resolved with
// NoLock, relations are read through the relcache, and the exact block
// count and parse analysis (which PostgreSQL requires a lock for) are done
// only under ConditionalLockRelationOid, released at once.
#pragma once

#include "schema_oracle/core/facts.hpp"
#include "schema_oracle/pg/guard.hpp"

extern "C" {
#include "lib/stringinfo.h"
#include "nodes/parsenodes.h"
#include "parser/parse_node.h"
#include "storage/lockdefs.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::extract {

using core::Action;
using core::ActionFacts;
using core::Lock;
using core::TableFacts;
using core::Text;

// --- text -----------------------------------------------------------------
// A palloc'd copy of s as Text ("" for null).
Text copy_text(const char* s);
// quote_identifier(s), palloc'd (quote_identifier may return s itself).
Text quoted(const char* ident);
// The relation's schema-qualified, quoted name.
Text qualified_name(Oid relid);
// What a StringInfo holds, as Text (the buffer is palloc'd and kept).
inline Text text_of(const StringInfoData& buf) {
    return Text(buf.data, buf.len);
}
// Appends "a, b, c" (quoted) for a list of String names.
void append_name_list(StringInfo buf, List* names);

// --- the action list -------------------------------------------------------
// A new, value-initialised action at the end of the list. Pointers to
// earlier actions are invalidated (the array may move).
ActionFacts* new_action(ActionList* list, Action action);
inline void drop_last_action(ActionList* list) {
    --list->count;
}

// --- relations and locks ---------------------------------------------------
Oid resolve(RangeVar* rv);  // NoLock, missing_ok
// The relation a RangeVar names, looked up without permission checks or
// errors (InvalidOid when unsure: the caller then takes the full path).
Oid resolve_quietly(RangeVar* rv);
bool is_table(Oid relid);  // a table or a partitioned table
bool is_table_or_matview(Oid relid);
bool new_in_xact(Oid relid);  // created in this transaction, or temporary
// Whether a size-dependent rule can fire for this table at all: the
// expensive analysis (cooking defaults, planning coercions, deparsing) is
// done only then.
bool size_rules_apply(const TableFacts& t);
// An existing table below the size threshold, when lock_timeout is set:
// only size-independent rules could still fire (triage).
bool small_existing_table(Oid relid, TableFacts* t);  // without t->untouched
// guard_table_facts(), with or without the activity statistics (untouched).
void table_facts(Oid relid, TableFacts* t, bool with_activity);
// t.untouched as guard_table_facts() finds it, for facts read without it.
bool table_untouched(Oid relid, const TableFacts& t);
Oid fill_table(ActionFacts* a, RangeVar* rv);  // resolves rv, fills a->table
Lock to_lock(LOCKMODE mode);
LOCKMODE held_at_least(Oid relid, LOCKMODE mode);
void fill_lock(ActionFacts* a, Oid relid, LOCKMODE mode);
// An action of lock discipline only (Action::other) on the table rv names,
// if it is an existing table.
void add_lock_action(ActionList* out, RangeVar* rv, LOCKMODE mode);

// --- parse analysis ----------------------------------------------------------
// Parse analysis over a relation needs AccessShareLock on it: taken only if
// free right now, released as soon as the analysis is done.
bool lock_for_analysis(Oid relid);
void unlock_after_analysis(Oid relid);
// Deparses a raw expression over a relation (analysed as the command would
// analyse it), for hints; "..." when the relation cannot be locked at once.
char* deparse_over(Node* raw, Relation rel, ParseExprKind kind);
char* deparse_over_oid(Node* raw, Oid relid, ParseExprKind kind);

// Index definitions as the user wrote them (index.cpp), for the hints that
// rebuild them: " (name = 'value', ...)" reloptions / operator class options;
// one index element (column or expression, COLLATE, operator class and its
// options, DESC, NULLS); " INCLUDE (a, b)" (nothing for NIL).
void append_reloptions(StringInfo buf, List* options);
// Whether the table has a primary key (schema_oracle.backfill() batches on it).
bool has_primary_key(Oid relid);
void append_index_elem(StringInfo buf, IndexElem* e, Relation rel);
void append_including(StringInfo buf, List* including);

// An index (or a key: `constraint`) on partitioned table `parent`, built
// partition by partition: the steps of core::CreateIndexFacts::
// partition_steps (an index: 'c' ON ONLY a sub-partitioned table, 'l'
// CONCURRENTLY on a leaf, 'a' attach to `parent_index`) or of
// AddConstraintFacts::partition_steps (a key: 'l' a leaf's index and key
// USING it, 'c' a sub-partitioned table's own key after its partitions').
// Children in pg_inherits' order, each index named by ChooseIndexName over
// the child as DefineIndex names it, among the names in *taken (which grows).
// `s` nullptr: the partitions alone ('l' a leaf, 'c' a sub-partitioned
// table after its partitions; no name), for a foreign key's steps.
// Fields are NUL-terminated (no identifier contains NUL; every other byte
// may be in a quoted one). Returns false when a partition is a foreign
// table: DefineIndex skips it, so an index built ON ONLY the parent could
// never become valid (a unique one PostgreSQL refuses outright).
bool partition_index_steps(Oid parent, const char* parent_index, IndexStmt* s, List* colnames,
                           List** taken, bool constraint, StringInfo out);
// Whether a partition of partitioned table `relid`, at any depth, is a
// foreign table.
bool has_foreign_partition(Oid relid);

// --- type facts ----------------------------------------------------------------
bool type_of(TypeName* tn, Oid* typid, int32* typmod);
int serial_kind(TypeName* tn);  // 0 none, 2 smallserial, 4 serial, 8 bigserial
// Could a type-hygiene rule fire for this type name? Pure name test.
bool hygiene_candidate(TypeName* tn);
// Appends a column_type action for a column definition if a type-hygiene
// rule may fire on it.
void hygiene(ActionList* out, Text table_qname, const char* column, TypeName* tn, bool is_key);
bool column_is_key_inline(ColumnDef* cd);
// The integer / smallint key columns of ADD PRIMARY KEY / FOREIGN KEY
// (int4_key); error-free lookups, so triage can count them too. Appends
// actions when `out` is not null.
int int_key_columns(Oid relid, Text table_qname, Constraint* c, ActionList* out);
// Adds one relation's size (max(relpages, block count), reltuples) to t;
// *bytes_unknown when neither the block count nor pg_class can tell it.
void add_relation_size(Oid relid, TableFacts* t, bool* tuples_unknown, bool* bytes_unknown);
// Sets t's bytes and tuples: the relation's own, or (descendants) summed
// over it and every table that inherits from it, partitions or plain
// inheritance children. -1 bytes when some part's size cannot be read.
void sum_tree_sizes(Oid relid, bool descendants, TableFacts* t);
// A plain table with inheritance children (not a partitioned table).
bool has_inheritance_children(Oid relid);

// --- activity (activity.cpp) ------------------------------------------------------
// Empty (bytes == 0, every partition or child) and never scanned or written
// by the activity statistics: TableFacts::untouched.
bool relation_untouched(Oid relid, char relkind, int64 bytes);

// --- table swap (swap.cpp) --------------------------------------------------------
// A table this transaction created in the same schema with the same columns
// as relid (the copy of a table swap), qualified; "" none.
Text swap_replacement(Oid relid);

// --- derived names (derived_names.cpp) --------------------------------------------
// Chooses, free in the catalog, the name each action's hint creates
// (core::derived_name_spec), after the statement's actions are extracted.
void fill_derived_names(ActionList* list);

// --- triage ----------------------------------------------------------------------
// Where a skipped statement reports the ACCESS EXCLUSIVE it takes on an
// existing table (statement_after_access_exclusive).
struct TriageNote {
    bool wanted;  // the caller wants the note
    Text table;   // qualified name ("" none)
    Oid relid;
};

// --- the families (one file each) --------------------------------------------------
void extract_create_table(Node* stmt, ActionList* out);
bool create_table_is_trivial(Node* stmt, TriageNote* note);
void extract_create_index(Node* stmt, ActionList* out);
bool create_index_is_trivial(Node* stmt, TriageNote* note);
void extract_reindex(Node* stmt, ActionList* out);
void extract_drop(Node* stmt, ActionList* out);
bool drop_is_trivial(Node* stmt, TriageNote* note);
void extract_rename(Node* stmt, ActionList* out);
bool rename_is_trivial(Node* stmt, TriageNote* note);
void extract_truncate(Node* stmt, ActionList* out);
void extract_lock_table(Node* stmt, ActionList* out);  // lock_table.cpp
void extract_alter_table(Node* stmt, ActionList* out);
bool alter_table_is_trivial(Node* stmt, TriageNote* note);
void extract_create_trigger(Node* stmt, ActionList* out);
bool create_trigger_is_trivial(Node* stmt, TriageNote* note);
void extract_refresh_matview(Node* stmt, ActionList* out);
void extract_alter_domain(Node* stmt, ActionList* out);
void extract_vacuum(Node* stmt, ActionList* out);
void extract_cluster(Node* stmt, ActionList* out);
void extract_alter_sequence(Node* stmt, ActionList* out);  // sequences.cpp
// tablespace_moves.cpp: ALTER INDEX / MATERIALIZED VIEW ... SET TABLESPACE,
// and ALTER TABLE / INDEX / MATERIALIZED VIEW ALL IN TABLESPACE.
void extract_alter_relation_tablespace(AlterTableStmt* s, ActionList* out);
void extract_move_all(Node* stmt, ActionList* out);

// ALTER TABLE: what every sub-command extractor gets.
struct AlterTarget {
    Oid relid;
    TableFacts table;  // the table itself
    // The table and, when the statement recurses (no ONLY) into plain
    // inheritance children, every descendant's size summed in: what SET NOT
    // NULL, ADD CHECK, ALTER TYPE and ADD COLUMN really scan or rewrite (a
    // partitioned table's `table` already sums its partitions).
    TableFacts tree;
    LOCKMODE mode;  // AlterTableGetLockLevel of the whole statement
    List* added;    // ColumnDef* of the ADD COLUMN sub-commands up to this one
    List* drops;    // AlterTableCmd* of its DROP COLUMN / CONSTRAINT sub-commands (all of them)
    // The constraint names (char*) the sub-commands before this one give:
    // PostgreSQL names an unnamed constraint after those ran, so they are
    // taken for it (ADD CHECK (a > 0), ADD CHECK (a < 9): t_a_check, then
    // t_a_check1). Appended to by the extractors through the pointer.
    List** named;
    bool inh;  // the statement names the table without ONLY
};
// Notes a constraint name this sub-command gives (see AlterTarget::named).
void note_constraint_name(const AlterTarget& t, const char* name);
// PostgreSQL runs an ALTER TABLE's DROP COLUMN / DROP CONSTRAINT before its
// other sub-commands (AT_PASS_DROP), so a hint for a sub-command that adds
// back a name they free (the column, the constraint) or replaces the
// primary key they drop must carry them (pass_order.cpp): the relevant
// drops, deparsed ("DROP CONSTRAINT accounts_pkey"); "" none. `column`,
// `constraint` (unquoted) may be nullptr.
Text drops_before(const AlterTarget& t, const char* column, const char* constraint,
                  bool primary_key);
// The index and constraint names (char*) the statement's drops free.
List* names_freed_by_drops(const AlterTarget& t);
// ADD PRIMARY KEY / UNIQUE whose name (unquoted) a relation still has
// before the statement's drops free it: a free name for the index the hint
// builds concurrently first (name_new), quoted; "" when `name` is free.
Text index_built_first(const AlterTarget& t, const char* name);
// An expression over the relation and the columns its ALTER TABLE adds
// (new_columns.cpp), deparsed for hints; "..." when the relation cannot be
// locked at once. *used_added (if given) says whether it names an added
// column, *only_column the one column it names (nullptr: none or several).
char* deparse_with_added_columns(Node* raw, Oid relid, List* added, ParseExprKind kind,
                                 bool* used_added, const char** only_column);
// The parent's DEFAULT partition, which a new partition with this bound
// makes PostgreSQL scan (InvalidOid: none; error-free), and the action
// judging that scan (default_partition.cpp). `newpart`: the table being
// attached (InvalidOid for CREATE TABLE ... PARTITION OF).
Oid default_partition_scanned(Oid parentid, PartitionBoundSpec* bound, Oid newpart);
void add_default_partition_scan(ActionList* out, Oid parentid, PartitionBoundSpec* bound,
                                Oid newpart, Text new_partition);
// ALTER COLUMN ... TYPE that keeps the data but rebuilds indexes over the
// column: the rebuild_indexes action (index_rebuilds.cpp).
void add_index_rebuilds(const AlterTarget& t, AlterTableCmd* cmd, Oid oldtype, Oid oldcoll,
                        Oid newtype, int32 newtypmod, ActionList* out);
// ... and the foreign keys of other tables it validates again: the
// revalidate_foreign_key actions (index_rebuilds.cpp).
void add_fk_revalidations(const AlterTarget& t, AlterTableCmd* cmd, Oid oldtype, Oid newtype,
                          int32 newtypmod, ActionList* out);
// Another table has a foreign key to relid (error-free; for triage too).
bool referenced_by_foreign_key(Oid relid);
// "FOREIGN KEY (a) REFERENCES t (id) ON DELETE CASCADE" (constraints.cpp).
Text foreign_key_definition(List* fk_attrs, Constraint* c, Text referenced);
// Lock discipline on the table a new foreign key references (SHARE ROW
// EXCLUSIVE), whatever the referencing table (constraints.cpp).
void add_referenced_lock(ActionList* out, Constraint* c);
void extract_add_column(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_alter_type(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_set_not_null(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_add_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_validate_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_set_persistence(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_set_tablespace(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_set_access_method(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_attach_partition(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_detach_partition(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_drop_column(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_set_identity(const AlterTarget& t, AlterTableCmd* cmd,
                          ActionList* out);  // sequences.cpp

// The `extract` and `triage` columns of the ALTER TABLE sub-command table
// (src/pg/statement_kinds.cpp), read by alter_table.cpp.
using SubExtractor = void (*)(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
// How a sub-command bears on skipping the statement without a
// subtransaction (triage): the statement is skipped only on a table created
// in this transaction, or a small existing one under lock_timeout.
enum class SubcommandTriage : std::uint8_t {
    neutral,         // only size-dependent rules: skippable on fresh and small tables
    fresh_only,      // a rule fires at any size: skippable on fresh tables only
    never,           // may concern another, existing table (ATTACH PARTITION)
    add_column,      // type hygiene; NOT NULL without a default on an existing table
    alter_type,      // type hygiene
    add_constraint,  // int4_key on an integer primary or foreign key
};

// dependents.cpp: DROP ... CASCADE judged by what pg_depend says it drops;
// ALTER TYPE ... ADD VALUE / RENAME VALUE.
void extract_drop_cascade(DropStmt* s, ActionList* out);
void extract_drop_column_cascade(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_drop_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out);
void extract_alter_enum(Node* stmt, ActionList* out);

}  // namespace schema_oracle::pg::extract
