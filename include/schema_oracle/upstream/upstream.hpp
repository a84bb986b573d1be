// upstream.hpp: code that mirrors PostgreSQL's own decisions (HypoPG's
// import/ idea). Everything in src/upstream/ follows a named function of the
// PostgreSQL source, cited with its file and major version (15), so a port
// to PostgreSQL 16/17 knows exactly what to re-check there; differences
// between versions belong in pg/compat.hpp only. Read the upstream source
// again before changing anything here.
//
// C-style like the extractors that call it: PostgreSQL calls here may
// ereport (the caller runs inside the guard's internal subtransaction).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "catalog/objectaddress.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::upstream {

// --- index naming (src/backend/commands/indexcmds.c, PostgreSQL 15) -------
// ChooseIndexColumnNames over DefineIndex's allIndexParams (key columns,
// then INCLUDE columns): each column's name, "expr" for an expression,
// with a numeric suffix when it repeats an earlier one.
List* index_column_names(IndexStmt* stmt);
// ChooseIndexNameAddition: the names joined by "_", cut near NAMEDATALEN.
char* index_name_addition(List* colnames);
// ChooseIndexName: table_cols_idx (pkey / key / excl for constraints),
// truncated to 63 bytes and given a numeric suffix while the name is taken
// in the namespace. All three are the core's naming (upstream/naming.hpp),
// given the two facts below. `also_taken`: "<namespace oid>.<name>" strings
// a hint creates before this index (they count as taken too).
char* choose_index_name(const char* tabname, Oid namespace_id, List* colnames, IndexStmt* stmt,
                        List* also_taken = NIL);
// ChooseRelationName(name1, name2, label, namespace_id, false): the core's
// naming, free among the namespace's relations.
char* choose_relation_name(const char* name1, const char* name2, const char* label,
                           Oid namespace_id);
// pg_mbcliplen in the database encoding, for the core's naming (no error).
std::size_t database_clip(std::string_view text, std::size_t limit) noexcept;
// Whether `name` is taken in the namespace, as ChooseRelationName asks: by a
// relation of any relkind, and for `constraint` also by a constraint. Called
// from C++ (a failed lookup throws PgError: pg_call).
bool name_taken_in(Oid namespace_id, const std::string& name, bool constraint);

// --- partition indexes (src/upstream/partition_index_match.cpp) -------------
// The existing index of partition `child` that DefineIndex (PostgreSQL 15)
// would attach to new index `s` of partitioned table `parent` instead of
// building one, as a qualified name (palloc'd), or nullptr: the first index
// in RelationGetIndexList()'s order that is no other index's partition and
// that CompareIndexInfo() finds equal (access method, uniqueness, NULLS NOT
// DISTINCT, key and INCLUDE columns by name, each key's collation and
// operator family; not ordering, reloptions or tablespace). Plain column
// indexes only (expressions and predicates would have to be planned, which
// may run user functions); nullptr when that first match is invalid or not
// ready (DefineIndex would attach it and leave the parent invalid), and
// under check() when the file changed the partition or the index earlier
// (dropped, renamed, altered: the catalog is not what the file leaves).
const char* reusable_partition_index(Oid child, Oid parent, IndexStmt* s);
// The column an index element names: `a`, or `(a)`, which ComputeIndexAttrs
// takes for the plain column too (its expression is a bare Var); nullptr
// for any other expression (a COLLATE inside the parentheses included).
const char* index_elem_column(IndexElem* e);

// --- domains (src/upstream/domain_check.cpp) ---------------------------------
// typecmds.c domainAddConstraint (PostgreSQL 15): the CHECK expression of
// ALTER DOMAIN ... ADD CONSTRAINT, analysed as PostgreSQL does (VALUE the
// domain's base-type value) and deparsed. May ereport (an invalid
// expression: PostgreSQL's own error).
char* deparse_domain_check(Oid domain, Node* raw_expr);

// --- names the guard's hints derive (src/upstream/choose_names.cpp) --------
// indexcmds.c ChooseRelationName (PostgreSQL 15), free against every
// relation kind and every type of the namespace.
char* choose_free_relation_name(const char* name1, const char* name2, const char* label,
                                Oid namespace_id);
// pg_constraint.c ChooseConstraintName (PostgreSQL 15), PostgreSQL's own.
char* choose_free_constraint_name(const char* name1, const char* name2, const char* label,
                                  Oid namespace_id);
// makeObjectName with ChooseRelationName's numbered labels, free among the
// table's columns.
char* choose_free_column_name(const char* name1, const char* name2, const char* label, Oid relid);

// The name PostgreSQL gives a constraint added without a name (PRIMARY
// KEY, UNIQUE, EXCLUDE, FOREIGN KEY, CHECK; see choose_names.cpp), free in
// the namespace; `column` names an inline column constraint's column.
// `freed`: names (char*) the same ALTER TABLE's drops free before the
// constraint is added (PostgreSQL runs the drops first), so free here;
// `taken`: names (char*) the statement's earlier sub-commands gave their
// constraints (PostgreSQL names each after the ones before it ran), so
// taken here.
char* default_constraint_name(Oid relid, Constraint* c, const char* column, List* freed = NIL,
                              List* taken = NIL);
// The name PostgreSQL gives an unnamed CHECK whose expression names only
// `column` (nullptr: none or several): <table>_<column>_check or
// <table>_check, free after the drops (`freed`, `taken` as above).
char* check_constraint_name(Oid relid, const char* column, List* freed = NIL, List* taken = NIL);

// --- USING INDEX (parse_utilcmd.c, PostgreSQL 15; src/upstream/using_index.cpp)
// transformIndexConstraint's test: every key column has default sorting
// behavior (no option, the column's collation, its type's default opclass
// for the index's access method), so ADD PRIMARY KEY / UNIQUE USING INDEX
// accepts the index.
// `memo` (zero-initialised, optional) keeps GetDefaultOpClass()'s answers
// (a pg_opclass index scan each) across the calls of one caller's loop.
struct DefaultOpclassMemo {
    int n;
    Oid type[32], am[32], opclass[32];
};
bool index_has_default_sorting(Oid indexrelid, Oid relid, const int16* keys, const Oid* opclasses,
                               const Oid* collations, const int16* options, int nkey,
                               DefaultOpclassMemo* memo = nullptr);

// --- DROP ... CASCADE (src/backend/catalog/dependency.c, PostgreSQL 15) ----
// The objects DROP ... CASCADE of `targets` would drop besides them, as
// "drop cascades to" lists them (findDependentObjects,
// reportDependentObjects), read from pg_depend: one getObjectDescription
// text per line (palloc'd), and how many in `count`.
char* describe_cascade(const ObjectAddress* targets, int ntargets, int* count);

// --- ALTER COLUMN TYPE (src/backend/commands/tablecmds.c, PostgreSQL 15) ---
enum class TypeChange { rewrite, no_rewrite, fails, unknown };
// ATPrepAlterColumnType's transformation (the USING expression or the bare
// column, coerced by assignment to the new type, planned), then
// ATColumnChangeRequiresRewrite. `fails`: no coercion without USING (the
// statement itself fails); `unknown`: the USING expression could not be
// analysed without waiting for a lock (judge it as a rewrite).
TypeChange column_type_change(Oid relid, AttrNumber attnum, Oid oldtype, int32 oldtypmod,
                              Oid oldcoll, Node* raw_using, Oid newtype, int32 newtypmod);

// --- ADD COLUMN (tablecmds.c ATExecAddColumn, PostgreSQL 15) ---------------
// The cooked default (cookDefault) and whether it needs a rewrite for being
// volatile (contain_volatile_functions); nullptr if it cannot be cooked.
Node* cook_column_default(Node* raw_default, Oid typid, int32 typmod, const char* colname,
                          bool* is_volatile);

// --- SET NOT NULL (tablecmds.c NotNullImpliedByRelConstraints, PostgreSQL 15)
// Whether the table's validated CHECK constraints prove the column NOT NULL,
// so SET NOT NULL skips its scan.
bool not_null_implied_by_constraints(Relation rel, AttrNumber attnum, Oid typid, int32 typmod,
                                     Oid collation);

// --- constraint proofs (tablecmds.c PartConstraintImpliedByRelConstraint /
// ConstraintImpliedByRelConstraint, PostgreSQL 15) --------------------------
// Whether the relation's NOT NULL columns and validated CHECKs imply `test`,
// leaving out the CHECKs that call user code (never folded: pg/user_code.hpp).
bool implied_by_relation_constraints(Relation rel, List* test);

// --- ATTACH PARTITION (tablecmds.c ATExecAttachPartition, PostgreSQL 15) ---
// Whether every value of a raw partition bound is a literal (possibly
// cast) or MINVALUE / MAXVALUE, so that transformPartitionBound only
// coerces constants and evaluates no expression of the user's.
bool bound_is_constant(PartitionBoundSpec* bound);

// The partition constraint from the transformed bound plus the parent's own
// (deparsed in `constraint_sql`; "" when there is none), the bound itself
// (`bound_sql`), and whether the partition's validated constraints imply
// it, so that the scan is skipped (PartConstraintImpliedByRelConstraint).
struct AttachFacts {
    char* bound_sql;
    char* constraint_sql;
    bool implied;
};
void attach_partition_facts(Relation parent, Relation partition, PartitionBoundSpec* bound,
                            AttachFacts* out);

// --- sequence state (src/backend/commands/sequence.c, PostgreSQL 15) ------
// The last value of an open sequence relation as pg_sequence_last_value()
// reads it (read_seq_tuple: page 0, first item, Form_pg_sequence_data after
// the tuple header), under a share lock on the buffer only. False when the
// sequence was never called (is_called = false, nextval not yet run) or the
// item is not a normal one. The caller holds a lock on the relation and has
// checked the privilege, the relkind and, for an unlogged sequence, that
// the server is not in recovery (a standby has no data for it).
bool sequence_last_value(Relation seqrel, int64* last_value);

}  // namespace schema_oracle::pg::upstream
