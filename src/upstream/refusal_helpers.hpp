// refusal_helpers.hpp: what the refusal checks of src/upstream share, internal
// to them (the public entry points are include/schema_oracle/upstream/
// refusals.hpp). How a relation, a column or a dependent object looks once
// the migration file's earlier statements ran (check(), the GuardOverlay
// seam), and the checks more than one statement makes. Defined in
// refusal_helpers.cpp except where a section names its file; the checks of
// one statement family live in alter_table_refusals.cpp,
// alter_table_link_refusals.cpp, foreign_key_refusals.cpp and
// statement_refusals.cpp. Lookups only: nothing here takes a lock on the
// user's relations or runs user code.
#pragma once

#include <initializer_list>

#include "schema_oracle/upstream/refusals.hpp"

extern "C" {
#include "utils/rel.h"
}

namespace schema_oracle::pg::upstream::refusal {

// --- why a statement is refused (check()'s statement_would_fail) -----------------

// A certain refusal: notes PostgreSQL's message (its words, "..." for the
// names) for refusal_reason() and refuses. A check that refuses only
// because a fact cannot be confirmed notes nothing (check() then stays
// silent, as the guard does).
Verdict refused(const char* reason);
bool refused_true(const char* reason);
bool rejected(const char* reason);  // the same for an "accepted" check: false
// A certain refusal decided by the statement's own text, whatever the
// catalog says ("cannot alter type of column ... twice"): true of the last
// refusal noted (refusal_by_statement()), so that the doubts of another
// sub-command's pass order do not apply to it.
Verdict refused_by_statement(const char* reason);
bool refusal_by_statement();
void forget_refusal_by_statement();  // before the next check
// CheckMutability's verdict where it is certain without planning: the
// expression calls a mutable function that planning could not inline, expand
// or fold away (check_mutability.cpp). False when not certain.
bool certainly_mutable_after_planning(Node* expr);

// A reason certain for the live catalog only: about an object check()'s
// overlay does not follow (a type, an access method), which the migration
// file may create earlier. Under check() nullptr: no reason, silent.
const char* live_catalog_only(const char* reason);
// A reason read from objects outside relations that the catalog has (a
// function's volatility, a cast, an operator, a type, an access method):
// still certain under check() while the migration file has changed no such
// object, else nullptr (GuardOverlay::outside_relations_changed: the file
// ran ALTER FUNCTION ... IMMUTABLE, CREATE CAST, DROP TYPE, a DO block, ...
// before the statement).
const char* unless_file_changed_objects(const char* reason);
// Whether it has (then what the catalog says of those objects is unknown).
bool file_changed_objects();

// --- sub-commands of one ALTER TABLE (subcommand_overlap.cpp) -------------------

// Whether another sub-command of `cmds` names what cmd's refusal may read (a
// column, a constraint or index name, an unnamed constraint, a dropped
// column's dependents, the table's parents or type): PostgreSQL runs them
// pass by pass, not in written order, so the written-order refusal of cmd
// is not certain.
bool subcommands_overlap(Oid relid, List* cmds, const AlterTableCmd* cmd);

// --- what check() knows ----------------------------------------------------------

// Ownership and privileges are the role's that runs the statement: known
// to the live guard (and to its shadow), not to check(), which does not know
// the role that will run the migration file.
bool role_known();

// The relation a name denotes in namespace nsp once the file's earlier
// statements ran: its OID (InvalidOid when none); *file_made when the
// migration file created it (the catalog knows nothing of it), and when it
// is a catalog index of a table the file changed (a dropped constraint may
// have taken it along): then InvalidOid, and *file_made means "not known".
Oid relation_in(const char* name, Oid nsp, bool* file_made, bool* stale_index = nullptr);

// Whether the name is taken: by a catalog relation or one the file made
// (an index that may be gone with a constraint the file dropped: not known,
// so not taken).
bool relation_name_taken(const char* name, Oid nsp);

// A RangeVar as the statement will find it (catalog OID, InvalidOid when
// none); *file_made as above.
Oid relation_of(RangeVar* rv, bool* file_made);

// The relation that owns a dependent object (a view's rule, a table's
// constraint, trigger, policy or default; a relation itself), or
// InvalidOid for an object outside any relation (a function, a domain's
// constraint, ...).
Oid owning_relation(Oid classid, Oid objid);

// A dependent object the refusals count: always live; under check(), not
// when the file changed the relation it belongs to (it may have dropped it).
bool dependent_counts(Oid classid, Oid objid);

// --- columns ---------------------------------------------------------------

// A column as the statement will find it: the catalog's, seen through the
// check() overlay (a column the migration file added or dropped), and
// through the earlier sub-commands of the same ALTER TABLE.
struct Column {
    bool found;
    bool known;  // from the catalog (dependencies, inheritance can be read)
    AttrNumber attnum;
    int16 inhcount;
    Oid type;
    int32 typmod;
    char identity;   // pg_attribute.attidentity (known columns)
    char generated;  // pg_attribute.attgenerated
    bool has_default;
    bool not_null;
};

// The names the earlier sub-commands of this statement added or dropped,
// and whether one of them adds a key (a self-referencing foreign key may
// reference it).
struct Earlier {
    List* added;
    List* dropped;
    bool key_added;
    bool pk_added;
    bool recurse;       // without ONLY
    List* touched;      // "subtype:column" of the earlier sub-commands that named a column
    List* added_types;  // the type of each column in `added` (InvalidOid: not known)
    // The statement changes one column's type and drops nothing: the
    // definitions over it can be re-analysed with its new type alone
    // (dependent_definitions_refused).
    bool lone_type_change;
    List* cmds;  // all the statement's sub-commands (AlterTableCmd*), in written order
};

// Whether any sub-command of the statement, wherever written, changes the
// column's type (ALTER COLUMN ... TYPE).
bool statement_alters_type(const Earlier* earlier, const char* column);

// Whether `name` (char*) is in the list.
bool name_in(List* names, const char* name);

// Whether an earlier sub-command of the statement changed the column with
// one of the given forms (its catalog row no longer says what this one
// finds).
bool touched_by(const Earlier* earlier, const char* column,
                std::initializer_list<AlterTableType> forms);

// Notes that this sub-command named the column with form t (touched_by).
void note_touched(Earlier* earlier, AlterTableType t, const char* column);

// The column of that name as the statement finds it (found false: none).
Column column_of(Oid relid, const char* name, const Earlier* earlier);

// A user column that exists: the statement's own check of a named column
// (tablecmds.c: "column ... does not exist", "cannot alter system column").
bool user_column(Oid relid, const char* name, const Earlier* earlier);

// has_partition_attrs (catalog/partition.c), for a partitioned table's own key.
bool in_partition_key(Relation rel, AttrNumber attnum);

// Inheritance children or partitions (under check(), those the file has
// not changed: it may have dropped or detached them).
bool has_children(Oid relid);

// DefineIndex (PostgreSQL 15): a unique index, primary key or unique
// constraint on a partitioned table must include every partition key column
// ("unique constraint on partitioned table must include all partitioning
// columns"), and the key may not be an expression ("unsupported ...
// constraint with partition key definition"). `names` holds the key's
// column names (char*).
bool covers_partition_key(Relation rel, List* names);

// The strings (char*) of a List of String nodes.
List* string_names(List* strings);

// --- dependencies ------------------------------------------------------------

// tablecmds.c, RememberAllDependentForRebuilding (PostgreSQL 15), for ALTER
// COLUMN TYPE: indexes, sequences, constraints and statistics are rebuilt;
// a view or rule, a trigger, a policy, a publication's column list or row
// filter, or another column's generation expression over the column is an
// error ("cannot alter type of a column used by a view or rule", ...), and
// so is any other kind of object ("unexpected object depending on column").
bool type_change_blocked_by_dependents(Oid relid, AttrNumber attnum);

// dependency.c, findDependentObjects (PostgreSQL 15) under RESTRICT: a
// normal dependency on the column makes DROP COLUMN fail ("cannot drop
// column ... because other objects depend on it"); automatic and internal
// ones (its indexes, constraints, defaults, owned sequences, statistics,
// generated columns) are dropped with it.
bool drop_blocked_by_dependents(Oid relid, AttrNumber attnum);

// Whether `blocked` holds for the column of that name in any descendant
// (partition or inheritance child, at any depth) the file has not changed.
bool descendant_column_blocked(Oid relid, const char* name, bool (*blocked)(Oid, AttrNumber));

// --- shared by several statements --------------------------------------------

// The type a TypeName resolves to (LookupTypeName): its OID and typmod.
bool type_exists(TypeName* tn, Oid* typid, int32* typmod);

// ALTER TABLE ... CLUSTER ON and REPLICA IDENTITY USING INDEX name an index
// of the table (ATExecClusterOn + check_index_is_clusterable in cluster.c;
// ATExecReplicaIdentity): it exists in the table's schema and belongs to the
// table ("index ... for table ... does not exist", "... is not an index for
// table ..."); CLUSTER ON: its access method clusters, it is not partial and
// valid; REPLICA IDENTITY: unique, immediate, not partial, no expressions,
// every key column NOT NULL. An index the file created is not known.
bool index_use_refused(Relation rel, const char* name, bool cluster);

// RangeVarCallbackForAlterRelation / RangeVarCallbackOwnsRelation
// (PostgreSQL 15), which run while the name is looked up, before the lock:
// the current user must own the relation, which must not be a system
// catalog or another session's temporary table. Under check() the
// migration file's role is not known (role_known): ownership is not
// checked there.
bool relation_refused(Relation rel);

// The opening every refusal of a statement on one relation shares: the
// relation open (refused when it is gone), relation_refused(), then
// read(rel, refused) -> refused, which takes what the caller needs while it
// is open, then closed again. `read` is a lambda capturing by reference:
// trivially destructible, so an ereport longjmp through it skips nothing.
template <typename Read>
bool relation_read_refused(Oid relid, Read&& read) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return true;
    const bool refused = read(rel, relation_refused(rel));
    RelationClose(rel);
    return refused;
}

// --- foreign keys (foreign_key_refusals.cpp) -----------------------------------

// transformFkeyCheckAttrs / transformFkeyGetPrimaryKey (PostgreSQL 15): the
// referenced columns must be those of the primary key (none named) or,
// as a set, those of a valid, immediate, non-partial unique index without
// expressions.
bool referenced_key_exists(Relation pkrel, List* pk_attrs, int nfk, Oid* found = nullptr);

// ATAddForeignKeyConstraint (PostgreSQL 15) on the referenced table: a
// table (not a view...), of a persistence the referencing table may
// reference, on which the role has REFERENCES. `persistence` is the
// referencing table's.
bool foreign_key_target_accepted(Relation pkrel, char persistence, List* pk_attrs);

// ATAddForeignKeyConstraint (PostgreSQL 15), up to the key's lookup.
bool foreign_key_accepted(Relation rel, Constraint* c, const Earlier* earlier);

// --- what ties the table to others (alter_table_link_refusals.cpp) -------------

// ATExecAttachPartition (PostgreSQL 15), up to the bound: the table exists,
// is a plain or partitioned (or foreign) table, is not a partition, typed
// table or inheritance child or parent, is temporary exactly when the parent
// is (and of this session), and has exactly the parent's columns with the
// same types and collations (MergeAttributesIntoExisting: "table ...
// contains column ... not found in parent", "child table is missing column
// ...", "... has different type for column ..."); then the bound
// (partition_bound_refused: transformPartitionBound,
// check_new_partition_bound). Under check(), what the catalog says of a
// table the file changed (its columns, parents, children) is not known.
bool attach_accepted(Relation parent, PartitionCmd* pc);

// ATExecDetachPartition (PostgreSQL 15): the table must be a partition of
// this one ("relation ... is not a partition of relation ...").
bool detach_accepted(Relation parent, PartitionCmd* pc);

// ATPrepChangePersistence (PostgreSQL 15): a temporary table cannot change
// ("cannot change logged status of table ... because it is temporary"), and
// foreign keys keep permanent tables from referencing unlogged ones: SET
// LOGGED needs every table this one references to be permanent ("could not
// change table ... to logged because it references unlogged table ..."),
// SET UNLOGGED needs no permanent table to reference this one ("... to
// unlogged because it references logged table ..."); self-references do not
// count. Under check(), a table the file changed may have other foreign
// keys: not known.
bool persistence_change_refused(Relation rel, bool to_logged);

// ATExecAddOf (PostgreSQL 15): not an inheritance child ("typed tables
// cannot inherit"), not a partition or partitioned table, a composite type
// whose attributes are the table's columns in order, by name and type
// ("table is missing column ...", "table has column ... where type requires
// ...", "table ... has different type for column ...", "table has extra
// column ...").
bool add_of_accepted(Relation rel, TypeName* tn);

// ATPrepAddInherit / ATExecAddInherit / ATExecDropInherit (PostgreSQL 15):
// a partition, a partitioned or typed table cannot change its inheritance
// ("cannot change inheritance of a partition", ...); the parent exists, is a
// plain table of the same persistence kind, is not the table or one of its
// descendants ("circular inheritance not allowed") or already its parent;
// the child has each of the parent's columns with the same type, typmod and
// collation, NOT NULL where the parent's is (MergeAttributesIntoExisting).
// NO INHERIT: the table must be a child of it ("relation ... is not a parent
// of relation ..."). Under check(), tables the file changed are not known.
bool inherit_accepted(Relation rel, AlterTableCmd* cmd);

}  // namespace schema_oracle::pg::upstream::refusal
