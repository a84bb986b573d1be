// refusals.cpp: what PostgreSQL 15 refuses before the guard's judgement
// matters (include/schema_oracle/upstream/refusals.hpp). Each check follows
// a named function of src/backend/commands/tablecmds.c or indexcmds.c
// (PostgreSQL 15) and stops at the first refusal; the order is PostgreSQL's
// where the order changes the answer (an IF NOT EXISTS that makes a refused
// sub-command a no-op, say). Read the upstream source again before
// changing anything here.
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/upstream/refusals.hpp"

#include <initializer_list>

extern "C" {
#include "access/amapi.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/reloptions.h"
#include "access/table.h"
#include "catalog/catalog.h"
#include "catalog/heap.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_am.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_policy.h"
#include "catalog/pg_publication.h"
#include "catalog/pg_publication_rel.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_statistic_ext.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/tablespace.h"
#include "commands/trigger.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "storage/lmgr.h"
#include "parser/parse_type.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

// --- what check() knows --------------------------------------------------------

bool catalog_changed_by_file(Oid relid) {
    return guard_overlay != nullptr && guard_overlay->changed(relid);
}

namespace {

// Ownership and privileges are the role's that runs the statement: known
// to the live guard (and to its shadow), not to check(), which does not know
// the role that will run the migration file.
bool role_known() {
    return guard_overlay == nullptr || guard_overlay->session_role;
}

// The relation a name denotes in namespace nsp once the file's earlier
// statements ran: its OID (InvalidOid when none); *file_made when the
// migration file created it (the catalog knows nothing of it), and when it
// is a catalog index of a table the file changed (a dropped constraint may
// have taken it along): then InvalidOid, and *file_made means "not known".
Oid relation_in(const char* name, Oid nsp, bool* file_made, bool* stale_index = nullptr) {
    *file_made = false;
    if (stale_index != nullptr)
        *stale_index = false;
    if (guard_overlay == nullptr)
        return get_relname_relid(name, nsp);
    char* schema = get_namespace_name(nsp);
    if (schema == nullptr)
        return InvalidOid;
    RangeVar* rv = makeRangeVar(schema, pstrdup(name), -1);
    const Oid oid = guard_overlay->resolve(rv);
    *file_made = !OidIsValid(oid) && !guard_overlay->file_relation(rv).empty();
    // A catalog index of a table the file changed may be gone (a dropped
    // constraint takes its index along): not known.
    if (OidIsValid(oid) && !*file_made) {
        const char kind = get_rel_relkind(oid);
        if ((kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX) &&
            catalog_changed_by_file(IndexGetRelation(oid, true))) {
            *file_made = true;
            if (stale_index != nullptr)
                *stale_index = true;
            return InvalidOid;
        }
    }
    return oid;
}

// Whether the name is taken: by a catalog relation or one the file made
// (an index that may be gone with a constraint the file dropped: not known,
// so not taken).
bool relation_name_taken(const char* name, Oid nsp) {
    bool file_made = false, stale_index = false;
    const Oid oid = relation_in(name, nsp, &file_made, &stale_index);
    return OidIsValid(oid) || (file_made && !stale_index);
}

// A RangeVar as the statement will find it (catalog OID, InvalidOid when
// none); *file_made as above.
Oid relation_of(RangeVar* rv, bool* file_made) {
    *file_made = false;
    if (guard_overlay == nullptr)
        return RangeVarGetRelid(rv, NoLock, true);
    const Oid oid = guard_overlay->resolve(rv);
    *file_made = !OidIsValid(oid) && !guard_overlay->file_relation(rv).empty();
    return oid;
}

Oid owning_relation(Oid classid, Oid objid);

// A dependent object the refusals count: always live; under check(), not
// when the file changed the relation it belongs to (it may have dropped it).
bool dependent_counts(Oid classid, Oid objid) {
    if (guard_overlay == nullptr)
        return true;
    const Oid owner = owning_relation(classid, objid);
    return !OidIsValid(owner) || !catalog_changed_by_file(owner);
}

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
};

bool name_in(List* names, const char* name) {
    ListCell* lc;
    foreach (lc, names)
        if (strcmp((const char*)lfirst(lc), name) == 0)
            return true;
    return false;
}

// Whether an earlier sub-command of the statement changed the column with
// one of the given forms (its catalog row no longer says what this one
// finds).
bool touched_by(const Earlier* earlier, const char* column,
                std::initializer_list<AlterTableType> forms) {
    for (AlterTableType t : forms)
        if (name_in(earlier->touched, psprintf("%d:%s", (int)t, column)))
            return true;
    return false;
}

void note_touched(Earlier* earlier, AlterTableType t, const char* column) {
    earlier->touched = lappend(earlier->touched, psprintf("%d:%s", (int)t, column));
}

Column column_of(Oid relid, const char* name, const Earlier* earlier) {
    Column c = {false, false, 0, 0, InvalidOid, -1, '\0', '\0', false, false};
    if (name == nullptr)
        return c;
    if (earlier != nullptr && name_in(earlier->added, name)) {
        c.found = true;
        c.attnum = 1;  // a new user column: no dependencies yet
        ListCell* n;
        ListCell* t;
        forboth(n, earlier->added, t,
                earlier->added_types) if (strcmp((const char*)lfirst(n), name) == 0) c.type =
            lfirst_oid(t);
        return c;
    }
    if (earlier != nullptr && name_in(earlier->dropped, name))
        return c;
    GuardColumn gc;
    if (!guard_column(relid, name, &gc))
        return c;
    c.found = true;
    c.attnum = gc.attnum;
    c.type = gc.type;
    c.typmod = gc.typmod;
    if (gc.from_file)
        return c;  // the migration file added it: nothing else is known
    HeapTuple tup = SearchSysCacheAttName(relid, name);
    if (HeapTupleIsValid(tup)) {
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(tup);
        c.known = true;
        c.inhcount = att->attinhcount;
        c.identity = att->attidentity;
        c.generated = att->attgenerated;
        c.has_default = att->atthasdef;
        c.not_null = att->attnotnull;
        ReleaseSysCache(tup);
    }
    return c;
}

// A user column that exists: the statement's own check of a named column
// (tablecmds.c: "column ... does not exist", "cannot alter system column").
bool user_column(Oid relid, const char* name, const Earlier* earlier) {
    Column c = column_of(relid, name, earlier);
    return c.found && c.attnum > 0;
}

// has_partition_attrs (catalog/partition.c), for a partitioned table's own key.
bool in_partition_key(Relation rel, AttrNumber attnum) {
    if (rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE || attnum <= 0)
        return false;
    bool used_in_expr = false;
    return has_partition_attrs(rel, bms_make_singleton(attnum - FirstLowInvalidHeapAttributeNumber),
                               &used_in_expr);
}

// Inheritance children or partitions (under check(), those the file has
// not changed: it may have dropped or detached them).
bool has_children(Oid relid) {
    ListCell* lc;
    foreach (lc, find_inheritance_children(relid, NoLock))
        if (!catalog_changed_by_file(lfirst_oid(lc)))
            return true;
    return false;
}

// DefineIndex (PostgreSQL 15): a unique index, primary key or unique
// constraint on a partitioned table must include every partition key column
// ("unique constraint on partitioned table must include all partitioning
// columns"), and the key may not be an expression ("unsupported ...
// constraint with partition key definition"). `names` holds the key's
// column names (char*).
bool covers_partition_key(Relation rel, List* names) {
    if (rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
        return true;
    PartitionKey key = RelationGetPartitionKey(rel);
    if (key == nullptr)
        return false;
    for (int i = 0; i < key->partnatts; ++i) {
        if (key->partattrs[i] == 0)
            return false;
        const char* col = get_attname(RelationGetRelid(rel), key->partattrs[i], true);
        if (col == nullptr || !name_in(names, col))
            return false;
    }
    return true;
}

List* string_names(List* strings) {
    List* out = NIL;
    ListCell* lc;
    foreach (lc, strings) out = lappend(out, strVal(lfirst(lc)));
    return out;
}

// --- dependencies ------------------------------------------------------------

// Calls fn(classid, objid, deptype) for every pg_depend row that references
// the column (attnum > 0) or the relation (attnum 0, any column).
template <typename Fn>
void for_each_dependent(Oid relid, AttrNumber attnum, Fn fn) {
    Relation dep = table_open(DependRelationId, AccessShareLock);
    ScanKeyData key[3];
    int nkeys = 2;
    ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(RelationRelationId));
    ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(relid));
    if (attnum > 0) {
        ScanKeyInit(&key[2], Anum_pg_depend_refobjsubid, BTEqualStrategyNumber, F_INT4EQ,
                    Int32GetDatum((int32)attnum));
        nkeys = 3;
    }
    SysScanDesc scan = systable_beginscan(dep, DependReferenceIndexId, true, nullptr, nkeys, key);
    HeapTuple tup;
    while (HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_depend d = (Form_pg_depend)GETSTRUCT(tup);
        if (!fn(d->classid, d->objid, d->deptype))
            break;
    }
    systable_endscan(scan);
    table_close(dep, AccessShareLock);
}

// The column a pg_attrdef row belongs to (0 when unknown).
AttrNumber attrdef_column(Oid attrdef) {
    Relation rel = table_open(AttrDefaultRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_attrdef_oid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(attrdef));
    SysScanDesc scan = systable_beginscan(rel, AttrDefaultOidIndexId, true, nullptr, 1, &key);
    HeapTuple tup = systable_getnext(scan);
    AttrNumber adnum = HeapTupleIsValid(tup) ? ((Form_pg_attrdef)GETSTRUCT(tup))->adnum : 0;
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return adnum;
}

// tablecmds.c, RememberAllDependentForRebuilding (PostgreSQL 15), for ALTER
// COLUMN TYPE: indexes, sequences, constraints and statistics are rebuilt;
// a view or rule, a trigger, a policy, a publication's column list or row
// filter, or another column's generation expression over the column is an
// error ("cannot alter type of a column used by a view or rule", ...), and
// so is any other kind of object ("unexpected object depending on column").
bool type_change_blocked_by_dependents(Oid relid, AttrNumber attnum) {
    bool blocked = false;
    for_each_dependent(relid, attnum, [&](Oid classid, Oid objid, char) {
        if (classid == RelationRelationId || classid == ConstraintRelationId ||
            classid == StatisticExtRelationId || !dependent_counts(classid, objid))
            return true;
        if (classid == AttrDefaultRelationId && attrdef_column(objid) == attnum)
            return true;  // the column's own default: rebuilt
        blocked = true;   // rewrite rule, trigger, policy, publication, generated column, other
        return false;
    });
    return blocked;
}

// dependency.c, findDependentObjects (PostgreSQL 15) under RESTRICT: a
// normal dependency on the column makes DROP COLUMN fail ("cannot drop
// column ... because other objects depend on it"); automatic and internal
// ones (its indexes, constraints, defaults, owned sequences, statistics,
// generated columns) are dropped with it.
bool drop_blocked_by_dependents(Oid relid, AttrNumber attnum) {
    bool blocked = false;
    for_each_dependent(relid, attnum, [&](Oid classid, Oid objid, char deptype) {
        if (deptype != DEPENDENCY_NORMAL || !dependent_counts(classid, objid))
            return true;
        blocked = true;
        return false;
    });
    return blocked;
}

// Whether `blocked` holds for the column of that name in any descendant
// (partition or inheritance child, at any depth) the file has not changed.
bool descendant_column_blocked(Oid relid, const char* name, bool (*blocked)(Oid, AttrNumber)) {
    ListCell* lc;
    foreach (lc, find_all_inheritors(relid, NoLock, nullptr)) {
        const Oid child = lfirst_oid(lc);
        if (child == relid || catalog_changed_by_file(child))
            continue;
        const AttrNumber att = get_attnum(child, name);
        if (att > 0 && blocked(child, att))
            return true;
    }
    return false;
}

// --- ALTER TABLE sub-commands (tablecmds.c, ATPrepCmd / ATExecCmd) -------------

bool type_exists(TypeName* tn, Oid* typid, int32* typmod) {
    Type tup = LookupTypeName(nullptr, tn, typmod, true);
    if (tup == nullptr)
        return false;
    *typid = typeTypeId(tup);
    ReleaseSysCache(tup);
    return true;
}

bool is_serial(TypeName* tn) {
    if (tn == nullptr || tn->names == NIL || list_length(tn->names) > 2 || tn->arrayBounds != NIL)
        return false;
    if (list_length(tn->names) == 2 && strcmp(strVal(linitial(tn->names)), "pg_catalog") != 0)
        return false;
    const char* n = strVal(llast(tn->names));
    static const char* const serials[] = {"smallserial", "serial2",   "serial",
                                          "serial4",     "bigserial", "serial8"};
    for (const char* s : serials)
        if (strcmp(n, s) == 0)
            return true;
    return false;
}

bool foreign_key_accepted(Relation rel, Constraint* c, const Earlier* earlier);

// ATExecAddColumn's recursion: a child that has a column of the name merges
// it (same type and typmod, else "child table ... has different type for
// column ...") and is not recursed into further; one that has not gets the
// column and recurses on. Children the file changed are not known.
bool child_column_differs(Oid relid, const char* name, Oid typid, int32 typmod) {
    ListCell* lc;
    foreach (lc, find_inheritance_children(relid, NoLock)) {
        const Oid child = lfirst_oid(lc);
        if (catalog_changed_by_file(child))
            continue;
        HeapTuple tup = SearchSysCacheAttName(child, name);
        if (!HeapTupleIsValid(tup)) {
            if (child_column_differs(child, name, typid, typmod))
                return true;
            continue;
        }
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(tup);
        const bool same = att->atttypid == typid && att->atttypmod == typmod;
        ReleaseSysCache(tup);
        if (!same)
            return true;
    }
    return false;
}

// ATPrepAddColumn + ATExecAddColumn + check_for_column_name_collision.
Verdict add_column(Relation rel, AlterTableCmd* cmd, bool recurse, Earlier* earlier) {
    ColumnDef* cd = (ColumnDef*)cmd->def;
    const Oid relid = RelationGetRelid(rel);
    if (OidIsValid(rel->rd_rel->reloftype))
        return Verdict::refused;  // "cannot add column to typed table"
    if (rel->rd_rel->relispartition)
        return Verdict::refused;  // "cannot add column to a partition"
    if (!recurse && has_children(relid))
        return Verdict::refused;  // "column must be added to child tables too"
    if (SystemAttributeByName(cd->colname) != nullptr)
        return Verdict::refused;  // "column name ... conflicts with a system column name"
    if (column_of(relid, cd->colname, earlier).found)
        return cmd->missing_ok ? Verdict::noop : Verdict::refused;  // "already exists"
    Oid typid = InvalidOid;
    int32 typmod = -1;
    if (!is_serial(cd->typeName) && !type_exists(cd->typeName, &typid, &typmod))
        return Verdict::refused;  // "type ... does not exist"
    earlier->added = lappend(earlier->added, cd->colname);
    earlier->added_types = lappend_oid(earlier->added_types, typid);
    // The column's own constraints (transformColumnDefinition,
    // transformIndexConstraint, ATAddForeignKeyConstraint).
    bool has_default = cd->raw_default != nullptr || cd->cooked_default != nullptr;
    bool identity = cd->identity != '\0';
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        switch (c->contype) {
            case CONSTR_DEFAULT:
                if (has_default || is_serial(cd->typeName))
                    return Verdict::refused;  // "multiple default values specified for column"
                has_default = true;
                break;
            case CONSTR_IDENTITY:
                identity = true;
                break;
            case CONSTR_GENERATED:
                if (cd->typeName != nullptr && is_serial(cd->typeName))
                    return Verdict::refused;  // "both default and generation expression specified"
                has_default = true;
                break;
            case CONSTR_PRIMARY:
            case CONSTR_UNIQUE:
                if (!covers_partition_key(rel, list_make1(cd->colname)))
                    return Verdict::refused;  // "unique constraint on partitioned table must
                                              // include all partitioning columns"
                if (c->contype == CONSTR_PRIMARY &&
                    ((!catalog_changed_by_file(relid) &&
                      OidIsValid(RelationGetPrimaryKeyIndex(rel))) ||
                     earlier->pk_added))
                    return Verdict::refused;  // "multiple primary keys for table ... are not
                                              // allowed"
                if (c->conname != nullptr &&
                    relation_name_taken(c->conname, RelationGetNamespace(rel)))
                    return Verdict::refused;  // "relation ... already exists"
                earlier->key_added = true;
                earlier->pk_added = earlier->pk_added || c->contype == CONSTR_PRIMARY;
                break;
            case CONSTR_FOREIGN: {
                Constraint* fk = (Constraint*)copyObjectImpl(c);
                fk->fk_attrs = list_make1(makeString(cd->colname));
                if (!foreign_key_accepted(rel, fk, earlier))
                    return Verdict::refused;
                break;
            }
            default:
                break;
        }
    }
    if (identity && (has_default || is_serial(cd->typeName)))
        return Verdict::refused;  // "both default and identity specified for column"
    // ATPrepAddColumn: "cannot recursively add identity column to table
    // that has child tables".
    if (identity && recurse && has_children(relid))
        return Verdict::refused;
    // MergeAttributesIntoExisting, as the new column recurses into the
    // children: a child's column of that name must have its type ("child
    // table ... has different type for column ...").
    if (recurse && !is_serial(cd->typeName) &&
        child_column_differs(relid, cd->colname, typid, typmod))
        return Verdict::refused;
    return Verdict::runs;
}

// ATPrepAlterColumnType, then RememberAllDependentForRebuilding.
Verdict alter_type(Relation rel, AlterTableCmd* cmd, bool recurse, Earlier* earlier) {
    const Oid relid = RelationGetRelid(rel);
    ColumnDef* def = (ColumnDef*)cmd->def;
    Column c = column_of(relid, cmd->name, earlier);
    if (!c.found)
        return Verdict::refused;  // "column ... does not exist"
    if (c.attnum <= 0)
        return Verdict::refused;  // "cannot alter system column"
    if (OidIsValid(rel->rd_rel->reloftype))
        return Verdict::refused;  // "cannot alter column type of typed table"
    if (c.inhcount > 0)
        return Verdict::refused;  // "cannot alter inherited column"
    if (!c.known)
        return Verdict::runs;  // added by the file or this statement
    if (in_partition_key(rel, c.attnum))
        return Verdict::refused;  // "cannot alter column ... because it is part of the partition
                                  // key"
    if (!recurse && has_children(relid))
        return Verdict::refused;  // "type of inherited column ... must be changed in child tables
                                  // too"
    Oid newtype;
    int32 newtypmod;
    if (!type_exists(def->typeName, &newtype, &newtypmod))
        return Verdict::refused;  // "type ... does not exist"
    // Without USING, the column must be coercible by assignment ("column
    // ... cannot be cast automatically to type ..."); a USING expression is
    // analysed by the extractor (its errors are the statement's).
    if (def->raw_default == nullptr && c.type != newtype &&
        !can_coerce_type(1, &c.type, &newtype, COERCION_ASSIGNMENT))
        return Verdict::refused;
    if (type_change_blocked_by_dependents(relid, c.attnum))
        return Verdict::refused;
    // The change recurses into the children (partitions, inheritance
    // children): what depends on their column blocks it the same way.
    if (recurse && descendant_column_blocked(relid, cmd->name, type_change_blocked_by_dependents))
        return Verdict::refused;
    // ATExecAlterColumnType: the column's default must coerce to the new
    // type by assignment ("default for column ... cannot be cast
    // automatically to type ...").
    if (c.has_default && c.generated == '\0' && rel->rd_att->constr != nullptr &&
        !touched_by(earlier, cmd->name, {AT_ColumnDefault, AT_AlterColumnType})) {
        TupleConstr* constr = rel->rd_att->constr;
        for (int i = 0; i < constr->num_defval; ++i) {
            if (constr->defval[i].adnum != c.attnum)
                continue;
            Node* defexpr = strip_implicit_coercions((Node*)stringToNode(constr->defval[i].adbin));
            Oid deftype = exprType(defexpr);
            if (deftype != newtype && !can_coerce_type(1, &deftype, &newtype, COERCION_ASSIGNMENT))
                return Verdict::refused;
        }
    }
    return Verdict::runs;
}

// ATExecDropColumn (PostgreSQL 15) and ATPrepDropColumn.
Verdict drop_column(Relation rel, AlterTableCmd* cmd, bool recurse, Earlier* earlier) {
    const Oid relid = RelationGetRelid(rel);
    if (OidIsValid(rel->rd_rel->reloftype))
        return Verdict::refused;  // "cannot drop column from typed table"
    Column c = column_of(relid, cmd->name, earlier);
    if (!c.found)
        return cmd->missing_ok ? Verdict::noop : Verdict::refused;
    if (c.attnum <= 0)
        return Verdict::refused;  // "cannot drop system column"
    if (c.inhcount > 0)
        return Verdict::refused;  // "cannot drop inherited column"
    if (c.known) {
        if (in_partition_key(rel, c.attnum))
            return Verdict::refused;  // "cannot drop column named in partition key"
        if (!recurse && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE && has_children(relid))
            return Verdict::refused;  // "... from only the partitioned table when partitions exist"
        if (cmd->behavior != DROP_CASCADE && drop_blocked_by_dependents(relid, c.attnum))
            return Verdict::refused;  // "other objects depend on it"
        if (cmd->behavior != DROP_CASCADE && recurse &&
            descendant_column_blocked(relid, cmd->name, drop_blocked_by_dependents))
            return Verdict::refused;
    }
    earlier->dropped = lappend(earlier->dropped, cmd->name);
    return Verdict::runs;
}

// transformFkeyCheckAttrs / transformFkeyGetPrimaryKey (PostgreSQL 15): the
// referenced columns must be those of the primary key (none named) or,
// as a set, those of a valid, immediate, non-partial unique index without
// expressions.
bool referenced_key_exists(Relation pkrel, List* pk_attrs, int nfk, Oid* found = nullptr) {
    List* indexes = RelationGetIndexList(pkrel);
    const Oid pkindex = pkrel->rd_pkindex;
    int npk = list_length(pk_attrs);
    AttrNumber wanted[INDEX_MAX_KEYS];
    if (npk > INDEX_MAX_KEYS)
        return false;
    int i = 0;
    ListCell* lc;
    foreach (lc, pk_attrs) {
        GuardColumn gc;
        if (!guard_column(RelationGetRelid(pkrel), strVal(lfirst(lc)), &gc) || gc.attnum <= 0)
            return false;
        if (gc.from_file)
            return true;  // a column the migration file added: not known
        for (int j = 0; j < i; ++j)
            if (wanted[j] == gc.attnum)
                return false;  // "... must not contain duplicates"
        wanted[i++] = gc.attnum;
    }
    foreach (lc, indexes) {
        const Oid idx = lfirst_oid(lc);
        if (pk_attrs == NIL && idx != pkindex)
            continue;
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
        if (!HeapTupleIsValid(tup))
            continue;
        Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
        bool ok = ind->indisunique && ind->indimmediate && ind->indisvalid &&
                  heap_attisnull(tup, Anum_pg_index_indpred, nullptr) &&
                  heap_attisnull(tup, Anum_pg_index_indexprs, nullptr);
        if (ok && pk_attrs == NIL) {
            ok = ind->indnkeyatts == nfk;
        } else if (ok) {
            ok = ind->indnkeyatts == npk;
            for (int k = 0; ok && k < ind->indnkeyatts; ++k) {
                bool match = false;
                for (int j = 0; j < npk; ++j) match = match || ind->indkey.values[k] == wanted[j];
                ok = match;
            }
        }
        ReleaseSysCache(tup);
        if (ok) {
            if (found != nullptr)
                *found = idx;
            return true;
        }
    }
    return false;
}

// ATAddForeignKeyConstraint (PostgreSQL 15), the equality operators: for
// each referencing column, the referenced key column's operator class (of
// the unique index found) must have an equality operator from its input
// type to the referencing column's base type, or that type must coerce to
// the input type implicitly ("foreign key constraint ... cannot be
// implemented: Key columns ... are of incompatible types").
bool foreign_key_types_match(Relation rel, Constraint* c, Oid index, const Earlier* earlier) {
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tup))
        return true;
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    bool isnull = true;
    Datum d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indclass, &isnull);
    if (isnull) {
        ReleaseSysCache(tup);
        return true;
    }
    oidvector* classes = (oidvector*)DatumGetPointer(d);
    const Oid pk = ind->indrelid;
    bool ok = true;
    int i = 0;
    ListCell* lc;
    foreach (lc, c->fk_attrs) {
        if (!ok || i >= ind->indnkeyatts)
            break;
        // The key column paired with this referencing column.
        int pos = i;
        if (c->pk_attrs != NIL && i < list_length(c->pk_attrs)) {
            const AttrNumber att = get_attnum(pk, strVal(list_nth(c->pk_attrs, i)));
            pos = -1;
            for (int k = 0; k < ind->indnkeyatts; ++k)
                if (ind->indkey.values[k] == att)
                    pos = k;
        }
        ++i;
        Column fk = column_of(RelationGetRelid(rel), strVal(lfirst(lc)), earlier);
        if (pos < 0 || !fk.found || !OidIsValid(fk.type))
            continue;  // not known
        const Oid opclass = classes->values[pos];
        const Oid family = get_opclass_family(opclass);
        const Oid opcintype = get_opclass_input_type(opclass);
        Oid fktype = getBaseType(fk.type);
        const Oid eq = get_opfamily_member(family, opcintype, fktype, BTEqualStrategyNumber);
        ok = OidIsValid(eq) || can_coerce_type(1, &fktype, (Oid*)&opcintype, COERCION_IMPLICIT);
    }
    ReleaseSysCache(tup);
    return ok;
}

// The same test when the referenced key's index is not known yet (this
// statement adds it: a self-reference to a UNIQUE added before it), with
// the default btree operator class of each referenced column's type, which
// is the one a key this statement adds gets unless it names another.
bool foreign_key_default_types_match(Relation rel, Constraint* c, Oid pk, const Earlier* earlier) {
    const Earlier* pk_earlier = pk == RelationGetRelid(rel) ? earlier : nullptr;
    ListCell* f;
    ListCell* p;
    forboth(f, c->fk_attrs, p, c->pk_attrs) {
        Column fk = column_of(RelationGetRelid(rel), strVal(lfirst(f)), earlier);
        Column key = column_of(pk, strVal(lfirst(p)), pk_earlier);
        if (!fk.found || !key.found || !OidIsValid(fk.type) || !OidIsValid(key.type))
            continue;
        const Oid opclass = GetDefaultOpClass(key.type, BTREE_AM_OID);
        if (!OidIsValid(opclass))
            continue;
        const Oid opcintype = get_opclass_input_type(opclass);
        Oid fktype = getBaseType(fk.type);
        if (!OidIsValid(get_opfamily_member(get_opclass_family(opclass), opcintype, fktype,
                                            BTEqualStrategyNumber)) &&
            !can_coerce_type(1, &fktype, (Oid*)&opcintype, COERCION_IMPLICIT))
            return false;
    }
    return true;
}

// checkFkeyPermissions (tablecmds.c, PostgreSQL 15): REFERENCES on the
// referenced table, or on each referenced column ("permission denied for
// table ..."). With no columns named, they are the primary key's.
bool references_allowed(Relation pkrel, List* pk_attrs) {
    if (!role_known())
        return true;
    const Oid pk = RelationGetRelid(pkrel);
    if (pg_class_aclcheck(pk, GetUserId(), ACL_REFERENCES) == ACLCHECK_OK)
        return true;
    if (pk_attrs != NIL) {
        ListCell* lc;
        foreach (lc, pk_attrs) {
            const AttrNumber att = get_attnum(pk, strVal(lfirst(lc)));
            if (att == InvalidAttrNumber ||
                pg_attribute_aclcheck(pk, att, GetUserId(), ACL_REFERENCES) != ACLCHECK_OK)
                return false;
        }
        return true;
    }
    const Oid pkindex = RelationGetPrimaryKeyIndex(pkrel);
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkindex));
    if (!HeapTupleIsValid(tup))
        return false;  // no primary key: refused for that anyway
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    bool ok = true;
    for (int k = 0; ok && k < ind->indnkeyatts; ++k)
        ok = pg_attribute_aclcheck(pk, ind->indkey.values[k], GetUserId(), ACL_REFERENCES) ==
             ACLCHECK_OK;
    ReleaseSysCache(tup);
    return ok;
}

// ATAddForeignKeyConstraint (PostgreSQL 15) on the referenced table: a
// table (not a view...), of a persistence the referencing table may
// reference, on which the role has REFERENCES. `persistence` is the
// referencing table's.
bool foreign_key_target_accepted(Relation pkrel, char persistence, List* pk_attrs) {
    const char kind = pkrel->rd_rel->relkind;
    const char pkpers = pkrel->rd_rel->relpersistence;
    if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
        return false;  // "referenced relation ... is not a table"
    if ((persistence == RELPERSISTENCE_PERMANENT && pkpers != RELPERSISTENCE_PERMANENT) ||
        (persistence == RELPERSISTENCE_UNLOGGED && pkpers == RELPERSISTENCE_TEMP) ||
        (persistence == RELPERSISTENCE_TEMP && pkpers != RELPERSISTENCE_TEMP))
        return false;  // "constraints on permanent tables may reference only permanent tables", ...
    if (RELATION_IS_OTHER_TEMP(pkrel))
        return false;  // "constraints on temporary tables must involve temporary tables of this
                       // session"
    return references_allowed(pkrel, pk_attrs);
}

// ATAddForeignKeyConstraint (PostgreSQL 15), up to the key's lookup.
bool foreign_key_accepted(Relation rel, Constraint* c, const Earlier* earlier) {
    const Oid relid = RelationGetRelid(rel);
    if (c->skip_validation && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
        return false;  // "cannot add NOT VALID foreign key on partitioned table"
    if (!earlier->recurse && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
        return false;  // "cannot use ONLY for foreign key on partitioned table ..."
    ListCell* lc;
    foreach (lc, c->fk_attrs)
        if (!user_column(relid, strVal(lfirst(lc)), earlier))
            return false;  // "column ... referenced in foreign key constraint does not exist"
    bool file_made = false;
    const Oid pk = relation_of(c->pktable, &file_made);
    if (!OidIsValid(pk))
        return file_made;  // "relation ... does not exist", or the file's own: not known
    Relation pkrel = RelationIdGetRelation(pk);
    if (pkrel == nullptr)
        return false;
    bool ok = foreign_key_target_accepted(pkrel, rel->rd_rel->relpersistence, c->pk_attrs);
    // A unique key the file added to the referenced table is not in the
    // catalog: not known then.
    Oid key_index = InvalidOid;
    if (ok && !catalog_changed_by_file(pk) &&
        (pk != relid || (earlier->added == NIL && !earlier->key_added)))
        ok = referenced_key_exists(pkrel, c->pk_attrs, list_length(c->fk_attrs), &key_index);
    else if (ok && pk == relid && c->pk_attrs == NIL && !earlier->pk_added &&
             !catalog_changed_by_file(pk) && !OidIsValid(RelationGetPrimaryKeyIndex(pkrel)))
        ok = false;  // transformFkeyGetPrimaryKey: "there is no primary key for referenced table"
    if (ok && OidIsValid(key_index))
        ok = foreign_key_types_match(rel, c, key_index, earlier);
    else if (ok && c->pk_attrs != NIL)
        ok = foreign_key_default_types_match(rel, c, pk, earlier);
    if (ok && c->pk_attrs != NIL && list_length(c->pk_attrs) != list_length(c->fk_attrs))
        ok = false;  // "number of referencing and referenced columns for foreign key disagree"
    RelationClose(pkrel);
    return ok;
}

// ADD CONSTRAINT: transformIndexConstraint / ATExecAddIndexConstraint,
// ATAddForeignKeyConstraint, ChooseConstraintName's collision check.
Verdict add_constraint(Relation rel, AlterTableCmd* cmd, Earlier* earlier) {
    if (!IsA(cmd->def, Constraint))
        return Verdict::runs;
    Constraint* c = (Constraint*)cmd->def;
    const Oid relid = RelationGetRelid(rel);
    if (c->conname != nullptr && !catalog_changed_by_file(relid) &&
        ConstraintNameIsUsed(CONSTRAINT_RELATION, relid, c->conname))
        return Verdict::refused;  // "constraint ... for relation ... already exists"
    ListCell* lc;
    switch (c->contype) {
        case CONSTR_FOREIGN:
            return foreign_key_accepted(rel, c, earlier) ? Verdict::runs : Verdict::refused;
        case CONSTR_PRIMARY:
        case CONSTR_UNIQUE:
        case CONSTR_EXCLUSION: {
            if (c->contype == CONSTR_EXCLUSION && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
                return Verdict::refused;  // "exclusion constraints are not supported on partitioned
                                          // tables"
            if (c->contype == CONSTR_PRIMARY &&
                ((!catalog_changed_by_file(relid) && OidIsValid(RelationGetPrimaryKeyIndex(rel))) ||
                 earlier->pk_added))
                return Verdict::refused;  // "multiple primary keys for table ... are not allowed"
            if (c->indexname != nullptr) {
                bool file_made = false;
                const Oid idx = relation_in(c->indexname, RelationGetNamespace(rel), &file_made);
                if (!file_made && (!OidIsValid(idx) || IndexGetRelation(idx, true) != relid))
                    return Verdict::refused;  // "index ... does not exist" / "... is not an index
                                              // for table"
                // index_check_primary_key / transformIndexConstraint for USING
                // INDEX: a valid unique index without expressions or
                // predicate ("... is not a unique index", "index ... contains
                // expressions", "... is a partial index", "... is not valid").
                if (!file_made && OidIsValid(idx)) {
                    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
                    bool usable = false;
                    if (HeapTupleIsValid(tup)) {
                        Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
                        usable = ind->indisunique && ind->indisvalid &&
                                 heap_attisnull(tup, Anum_pg_index_indexprs, nullptr) &&
                                 heap_attisnull(tup, Anum_pg_index_indpred, nullptr);
                        ReleaseSysCache(tup);
                    }
                    if (!usable)
                        return Verdict::refused;
                }
            }
            foreach (lc, c->keys) {
                if (!user_column(relid, strVal(lfirst(lc)), earlier))
                    return Verdict::refused;  // "column ... named in key does not exist"
                ListCell* other;
                for_each_from(other, c->keys,
                              foreach_current_index(lc) +
                                  1) if (strcmp(strVal(lfirst(other)), strVal(lfirst(lc))) ==
                                         0) return Verdict::refused;  // "column ... appears twice
                                                                      // in ... constraint"
            }
            // The index takes the constraint's name (DefineIndex, or the
            // rename of USING INDEX): "relation ... already exists".
            if (c->conname != nullptr &&
                (c->indexname == nullptr || strcmp(c->indexname, c->conname) != 0) &&
                relation_name_taken(c->conname, RelationGetNamespace(rel)))
                return Verdict::refused;
            foreach (lc, c->including)
                if (!user_column(relid, strVal(lfirst(lc)), earlier))
                    return Verdict::refused;
            // An exclusion constraint's elements: (IndexElem, operator) pairs.
            foreach (lc, c->exclusions) {
                IndexElem* e = (IndexElem*)linitial((List*)lfirst(lc));
                if (e->name != nullptr && !user_column(relid, e->name, earlier))
                    return Verdict::refused;  // "column ... named in key does not exist"
            }
            if (c->contype != CONSTR_EXCLUSION && c->indexname == nullptr &&
                !covers_partition_key(rel, string_names(c->keys)))
                return Verdict::refused;
            if (c->contype == CONSTR_PRIMARY)
                earlier->key_added = earlier->pk_added = true;
            if (c->contype == CONSTR_UNIQUE)
                earlier->key_added = true;
            return Verdict::runs;
        }
        case CONSTR_CHECK:
            // ATAddCheckConstraint: with ONLY, a table with children
            // refuses an inherited CHECK ("constraint must be added to
            // child tables too").
            if (!c->is_no_inherit && !earlier->recurse && has_children(relid))
                return Verdict::refused;
            return Verdict::runs;  // its expression is analysed by the extractor
        default:
            return Verdict::runs;
    }
}

// The sub-commands that name one column and only read or change its
// attributes (ATExecColumnDefault, ATExecDropNotNull, ATExecSetNotNull,
// ATExecSetStatistics, ATExecSetOptions, ATExecSetStorage,
// ATExecSetCompression, the identity forms): the column must exist and not
// be a system column ("cannot alter system column").
bool names_one_column(AlterTableType t) {
    switch (t) {
        case AT_ColumnDefault:
        case AT_CookedColumnDefault:
        case AT_DropNotNull:
        case AT_SetNotNull:
        case AT_SetStatistics:
        case AT_SetOptions:
        case AT_ResetOptions:
        case AT_SetStorage:
        case AT_SetCompression:
        case AT_AddIdentity:
        case AT_SetIdentity:
        case AT_DropIdentity:
        case AT_DropExpression:
            return true;
        default:
            return false;
    }
}

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
bool attach_accepted(Relation parent, PartitionCmd* pc) {
    if (parent->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
        return false;  // "table ... is not partitioned"
    bool file_made = false;
    const Oid partid = relation_of(pc->name, &file_made);
    if (!OidIsValid(partid))
        return file_made;
    Relation part = RelationIdGetRelation(partid);
    if (part == nullptr)
        return false;
    const char kind = part->rd_rel->relkind;
    const bool temp = part->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    const bool parent_temp = parent->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    bool ok = (kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE ||
               kind == RELKIND_FOREIGN_TABLE) &&
              !part->rd_rel->relispartition && !OidIsValid(part->rd_rel->reloftype) &&
              partid != RelationGetRelid(parent) &&
              temp == parent_temp &&  // "cannot attach a temporary relation as partition of
                                      // permanent relation", and the converse
              !RELATION_IS_OTHER_TEMP(part) && !RELATION_IS_OTHER_TEMP(parent);
    const bool known =
        !catalog_changed_by_file(partid) && !catalog_changed_by_file(RelationGetRelid(parent));
    if (ok && known) {
        // "cannot attach inheritance child as partition" / "... parent ...".
        Relation inh = table_open(InheritsRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(partid));
        SysScanDesc scan =
            systable_beginscan(inh, InheritsRelidSeqnoIndexId, true, nullptr, 1, &key);
        if (HeapTupleIsValid(systable_getnext(scan)))
            ok = false;
        systable_endscan(scan);
        table_close(inh, AccessShareLock);
        if (ok && kind == RELKIND_RELATION && has_children(partid))
            ok = false;
        // The same columns, by name, type, typmod and collation.
        TupleDesc pd = RelationGetDescr(parent), cd = RelationGetDescr(part);
        int parent_cols = 0, child_cols = 0;
        for (int i = 0; ok && i < pd->natts; ++i) {
            Form_pg_attribute pa = TupleDescAttr(pd, i);
            if (pa->attisdropped)
                continue;
            ++parent_cols;
            bool matched = false;
            for (int j = 0; j < cd->natts && !matched; ++j) {
                Form_pg_attribute ca = TupleDescAttr(cd, j);
                if (ca->attisdropped || strcmp(NameStr(ca->attname), NameStr(pa->attname)) != 0)
                    continue;
                matched = true;
                ok = ca->atttypid == pa->atttypid && ca->atttypmod == pa->atttypmod &&
                     ca->attcollation == pa->attcollation;
            }
            ok = ok && matched;
        }
        for (int j = 0; j < cd->natts; ++j)
            if (!TupleDescAttr(cd, j)->attisdropped)
                ++child_cols;
        ok = ok && parent_cols == child_cols;
    }
    RelationClose(part);
    return ok && !partition_bound_refused(parent, pc->bound, partid);
}

// ATExecDetachPartition (PostgreSQL 15): the table must be a partition of
// this one ("relation ... is not a partition of relation ...").
bool detach_accepted(Relation parent, PartitionCmd* pc) {
    bool file_made = false;
    const Oid partid = relation_of(pc->name, &file_made);
    if (!OidIsValid(partid))
        return file_made;
    if (catalog_changed_by_file(partid) || catalog_changed_by_file(RelationGetRelid(parent)))
        return true;  // the file may have attached it
    return get_rel_relispartition(partid) &&
           get_partition_parent(partid, true) == RelationGetRelid(parent);
}

// ATPrepChangePersistence (PostgreSQL 15): a temporary table cannot change
// ("cannot change logged status of table ... because it is temporary"), and
// foreign keys keep permanent tables from referencing unlogged ones: SET
// LOGGED needs every table this one references to be permanent ("could not
// change table ... to logged because it references unlogged table ..."),
// SET UNLOGGED needs no permanent table to reference this one ("... to
// unlogged because it references logged table ..."); self-references do not
// count. Under check(), a table the file changed may have other foreign
// keys: not known.
bool persistence_change_refused(Relation rel, bool to_logged) {
    const char pers = rel->rd_rel->relpersistence;
    if (pers == RELPERSISTENCE_TEMP)
        return true;
    if ((pers == RELPERSISTENCE_PERMANENT) == to_logged)
        return false;  // already so: nothing to do
    const Oid relid = RelationGetRelid(rel);
    if (!to_logged && GetRelationPublications(relid) != NIL)
        return true;  // "cannot change table ... to unlogged because it is part of a publication"
    if (catalog_changed_by_file(relid))
        return false;
    bool refused = false;
    Relation con = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, to_logged ? Anum_pg_constraint_conrelid : Anum_pg_constraint_confrelid,
                BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
    // pg_constraint has an index on conrelid only.
    SysScanDesc scan =
        systable_beginscan(con, ConstraintRelidTypidNameIndexId, to_logged, nullptr, 1, &key);
    HeapTuple tup;
    while (!refused && HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_constraint c = (Form_pg_constraint)GETSTRUCT(tup);
        const Oid other = to_logged ? c->confrelid : c->conrelid;
        if (c->contype != CONSTRAINT_FOREIGN || other == relid || catalog_changed_by_file(other))
            continue;
        const bool other_permanent = get_rel_persistence(other) == RELPERSISTENCE_PERMANENT;
        refused = to_logged ? !other_permanent : other_permanent;
    }
    systable_endscan(scan);
    table_close(con, AccessShareLock);
    return refused;
}

bool has_parents(Oid relid);

// ATExecAddOf (PostgreSQL 15): not an inheritance child ("typed tables
// cannot inherit"), not a partition or partitioned table, a composite type
// whose attributes are the table's columns in order, by name and type
// ("table is missing column ...", "table has column ... where type requires
// ...", "table ... has different type for column ...", "table has extra
// column ...").
bool add_of_accepted(Relation rel, TypeName* tn) {
    const Oid relid = RelationGetRelid(rel);
    if (has_parents(relid) || rel->rd_rel->relispartition ||
        rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
        return false;
    Oid typid;
    int32 typmod;
    if (tn == nullptr || !type_exists(tn, &typid, &typmod))
        return false;  // "type ... does not exist"
    const Oid typrel = get_typ_typrelid(typid);
    if (!OidIsValid(typrel) || get_rel_relkind(typrel) != RELKIND_COMPOSITE_TYPE)
        return false;  // "type ... is not a composite type"
    if (catalog_changed_by_file(relid))
        return true;
    Relation type = RelationIdGetRelation(typrel);
    if (type == nullptr)
        return false;
    TupleDesc td = RelationGetDescr(type), cd = RelationGetDescr(rel);
    bool ok = true;
    int j = 0;
    for (int i = 0; ok && i < td->natts; ++i) {
        Form_pg_attribute ta = TupleDescAttr(td, i);
        if (ta->attisdropped)
            continue;
        while (j < cd->natts && TupleDescAttr(cd, j)->attisdropped) ++j;
        if (j >= cd->natts) {
            ok = false;  // missing column
            break;
        }
        Form_pg_attribute ca = TupleDescAttr(cd, j++);
        ok = strcmp(NameStr(ta->attname), NameStr(ca->attname)) == 0 &&
             ta->atttypid == ca->atttypid && ta->atttypmod == ca->atttypmod &&
             ta->attcollation == ca->attcollation;
    }
    for (; ok && j < cd->natts; ++j)
        ok = TupleDescAttr(cd, j)->attisdropped;  // "table has extra column ..."
    RelationClose(type);
    return ok;
}

// Whether the relation inherits from another (pg_inherits.inhrelid).
bool has_parents(Oid relid) {
    Relation inh = table_open(InheritsRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(inh, InheritsRelidSeqnoIndexId, true, nullptr, 1, &key);
    const bool found = HeapTupleIsValid(systable_getnext(scan));
    systable_endscan(scan);
    table_close(inh, AccessShareLock);
    return found;
}

// ALTER TABLE ... CLUSTER ON and REPLICA IDENTITY USING INDEX name an index
// of the table (ATExecClusterOn + check_index_is_clusterable in cluster.c;
// ATExecReplicaIdentity): it exists in the table's schema and belongs to the
// table ("index ... for table ... does not exist", "... is not an index for
// table ..."); CLUSTER ON: its access method clusters, it is not partial and
// valid; REPLICA IDENTITY: unique, immediate, not partial, no expressions,
// every key column NOT NULL. An index the file created is not known.
bool index_use_refused(Relation rel, const char* name, bool cluster) {
    if (name == nullptr)
        return false;
    bool file_made = false;
    const Oid idx = relation_in(name, RelationGetNamespace(rel), &file_made);
    if (file_made)
        return false;
    if (!OidIsValid(idx) || IndexGetRelation(idx, true) != RelationGetRelid(rel))
        return true;
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
    if (!HeapTupleIsValid(tup))
        return true;
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    const bool partial = !heap_attisnull(tup, Anum_pg_index_indpred, nullptr);
    bool refused = partial;
    if (cluster) {
        refused = refused || !ind->indisvalid;
        Relation irel = RelationIdGetRelation(idx);
        if (irel != nullptr) {
            refused = refused || irel->rd_indam == nullptr || !irel->rd_indam->amclusterable;
            RelationClose(irel);
        }
    } else {
        refused = refused || !ind->indisunique || !ind->indimmediate ||
                  !heap_attisnull(tup, Anum_pg_index_indexprs, nullptr);
        TupleDesc desc = RelationGetDescr(rel);
        for (int k = 0; !refused && k < ind->indnkeyatts; ++k) {
            const AttrNumber att = ind->indkey.values[k];
            refused = att <= 0 || !TupleDescAttr(desc, att - 1)->attnotnull;
        }
    }
    ReleaseSysCache(tup);
    return refused;
}

// ATPrepAddInherit / ATExecAddInherit / ATExecDropInherit (PostgreSQL 15):
// a partition, a partitioned or typed table cannot change its inheritance
// ("cannot change inheritance of a partition", ...); the parent exists, is a
// plain table of the same persistence kind, is not the table or one of its
// descendants ("circular inheritance not allowed") or already its parent;
// the child has each of the parent's columns with the same type, typmod and
// collation, NOT NULL where the parent's is (MergeAttributesIntoExisting).
// NO INHERIT: the table must be a child of it ("relation ... is not a parent
// of relation ..."). Under check(), tables the file changed are not known.
bool inherit_accepted(Relation rel, AlterTableCmd* cmd) {
    const char kind = rel->rd_rel->relkind;
    if (rel->rd_rel->relispartition || kind == RELKIND_PARTITIONED_TABLE ||
        OidIsValid(rel->rd_rel->reloftype))
        return false;
    bool file_made = false;
    const Oid parentid = relation_of((RangeVar*)cmd->def, &file_made);
    if (!OidIsValid(parentid))
        return file_made;
    const Oid relid = RelationGetRelid(rel);
    if (catalog_changed_by_file(parentid) || catalog_changed_by_file(relid))
        return true;
    List* parents = NIL;
    {
        Relation inh = table_open(InheritsRelationId, AccessShareLock);
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(relid));
        SysScanDesc scan =
            systable_beginscan(inh, InheritsRelidSeqnoIndexId, true, nullptr, 1, &key);
        HeapTuple tup;
        while (HeapTupleIsValid(tup = systable_getnext(scan)))
            parents = lappend_oid(parents, ((Form_pg_inherits)GETSTRUCT(tup))->inhparent);
        systable_endscan(scan);
        table_close(inh, AccessShareLock);
    }
    if (cmd->subtype == AT_DropInherit)
        return list_member_oid(parents, parentid);
    if (list_member_oid(parents, parentid) || parentid == relid ||
        list_member_oid(find_all_inheritors(relid, NoLock, nullptr), parentid))
        return false;  // "would be inherited from more than once", "circular inheritance"
    Relation parent = RelationIdGetRelation(parentid);
    if (parent == nullptr)
        return false;
    // "cannot inherit from partitioned table", "... from a partition",
    // "cannot inherit from temporary relation" (into a permanent one), "...
    // of another session".
    bool ok = (parent->rd_rel->relkind == RELKIND_RELATION ||
               parent->rd_rel->relkind == RELKIND_FOREIGN_TABLE) &&
              !parent->rd_rel->relispartition &&
              !(parent->rd_rel->relpersistence == RELPERSISTENCE_TEMP &&
                rel->rd_rel->relpersistence != RELPERSISTENCE_TEMP) &&
              !RELATION_IS_OTHER_TEMP(parent);
    // MergeConstraintsIntoExisting: each inherited CHECK of the parent has a
    // constraint of the same name in the child ("child table is missing
    // constraint ...").
    TupleConstr* pc = RelationGetDescr(parent)->constr;
    for (int i = 0; ok && pc != nullptr && i < pc->num_check; ++i)
        if (!pc->check[i].ccnoinherit)
            ok = ConstraintNameIsUsed(CONSTRAINT_RELATION, relid, pc->check[i].ccname);
    TupleDesc pd = RelationGetDescr(parent), cd = RelationGetDescr(rel);
    for (int i = 0; ok && i < pd->natts; ++i) {
        Form_pg_attribute pa = TupleDescAttr(pd, i);
        if (pa->attisdropped)
            continue;
        bool matched = false;
        for (int j = 0; j < cd->natts && !matched; ++j) {
            Form_pg_attribute ca = TupleDescAttr(cd, j);
            if (ca->attisdropped || strcmp(NameStr(ca->attname), NameStr(pa->attname)) != 0)
                continue;
            matched = true;
            ok = ca->atttypid == pa->atttypid && ca->atttypmod == pa->atttypmod &&
                 ca->attcollation == pa->attcollation && (!pa->attnotnull || ca->attnotnull);
        }
        ok = ok && matched;  // "child table is missing column ..."
    }
    RelationClose(parent);
    return ok;
}

// The column forms that need more than the column's existence
// (ATExecAddIdentity, ATExecSetIdentity, ATExecDropIdentity,
// ATPrepDropExpression, ATExecSetStorage, ATExecSetCompression), for a
// column of the catalog.
Verdict column_form_accepted(Relation rel, AlterTableCmd* cmd, const Column& c,
                             const Earlier* earlier) {
    const char* col = cmd->name;
    switch (cmd->subtype) {
        case AT_ColumnDefault: {
            // ATExecColumnDefault -> cookDefault: the new default must
            // coerce to the column's type by assignment ("column ... is of
            // type ... but default expression is of type ..."). Analysed
            // without the relation (a DEFAULT refers to no column); nothing
            // runs.
            // "column ... is an identity column", "... is a generated
            // column" (SET and DROP DEFAULT alike).
            if (touched_by(
                    earlier, col,
                    {AT_AlterColumnType, AT_AddIdentity, AT_DropIdentity, AT_DropExpression}))
                return Verdict::runs;
            if (c.identity != '\0' || c.generated != '\0')
                return Verdict::refused;
            if (cmd->def == nullptr || !OidIsValid(c.type))
                return Verdict::runs;
            ParseState* ps = make_parsestate(nullptr);
            Node* expr =
                transformExpr(ps, (Node*)copyObjectImpl(cmd->def), EXPR_KIND_COLUMN_DEFAULT);
            free_parsestate(ps);
            Oid deftype = exprType(expr);
            Oid coltype = c.type;
            return deftype == coltype || deftype == UNKNOWNOID ||
                           can_coerce_type(1, &deftype, &coltype, COERCION_ASSIGNMENT)
                       ? Verdict::runs
                       : Verdict::refused;
        }
        case AT_DropNotNull: {
            // ATPrepDropNotNull: "cannot remove constraint from only the
            // partitioned table when partitions exist".
            if (!earlier->recurse && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE &&
                has_children(RelationGetRelid(rel)))
                return Verdict::refused;
            // ATExecDropNotNull: "column ... is an identity column", "column
            // ... is in a primary key".
            if (touched_by(earlier, col, {AT_AddIdentity, AT_DropIdentity}))
                return Verdict::runs;
            if (c.identity != '\0')
                return Verdict::refused;
            const Oid pkindex = RelationGetPrimaryKeyIndex(rel);
            if (!OidIsValid(pkindex) || catalog_changed_by_file(RelationGetRelid(rel)))
                return Verdict::runs;
            HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkindex));
            bool in_key = false;
            if (HeapTupleIsValid(tup)) {
                Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
                for (int k = 0; k < ind->indnkeyatts; ++k)
                    in_key = in_key || ind->indkey.values[k] == c.attnum;
                ReleaseSysCache(tup);
            }
            return in_key ? Verdict::refused : Verdict::runs;
        }
        case AT_SetNotNull: {
            // ATPrepSetNotNull: with ONLY on a partitioned table, each
            // partition's column must be NOT NULL already (AT_CheckNotNull:
            // "constraint must be added to child tables too"), unless the
            // parent's is (nothing to do then).
            if (earlier->recurse || rel->rd_rel->relkind != RELKIND_PARTITIONED_TABLE ||
                c.not_null || touched_by(earlier, col, {AT_SetNotNull, AT_DropNotNull}))
                return Verdict::runs;
            ListCell* lc;
            foreach (lc, find_inheritance_children(RelationGetRelid(rel), NoLock)) {
                const Oid child = lfirst_oid(lc);
                if (catalog_changed_by_file(child))
                    continue;
                HeapTuple tup = SearchSysCacheAttName(child, col);
                if (!HeapTupleIsValid(tup))
                    continue;
                const bool nn = ((Form_pg_attribute)GETSTRUCT(tup))->attnotnull;
                ReleaseSysCache(tup);
                if (!nn)
                    return Verdict::refused;
            }
            return Verdict::runs;
        }
        case AT_AddIdentity:
            // The type ("identity column type must be smallint, integer, or
            // bigint") is the catalog's unless this statement changes it.
            if (!touched_by(earlier, col, {AT_AlterColumnType}) && c.type != INT2OID &&
                c.type != INT4OID && c.type != INT8OID)
                return Verdict::refused;
            if (touched_by(earlier, col,
                           {AT_SetNotNull, AT_DropNotNull, AT_ColumnDefault, AT_AddIdentity,
                            AT_DropIdentity, AT_AlterColumnType}))
                return Verdict::runs;
            // "column ... is already an identity column", "column ... of
            // relation ... must be declared NOT NULL before identity can be
            // added", "column ... already has a default value", and the
            // type ("identity column type must be smallint, integer, or
            // bigint").
            if (c.identity != '\0' || c.has_default ||
                (c.type != INT2OID && c.type != INT4OID && c.type != INT8OID))
                return Verdict::refused;
            return c.not_null ? Verdict::runs : Verdict::refused;
        case AT_SetIdentity:
            if (touched_by(earlier, col, {AT_AddIdentity, AT_DropIdentity}))
                return Verdict::runs;
            return c.identity != '\0' ? Verdict::runs : Verdict::refused;
        case AT_DropIdentity:
            if (touched_by(earlier, col, {AT_AddIdentity, AT_DropIdentity}))
                return Verdict::runs;
            if (c.identity != '\0')
                return Verdict::runs;
            return cmd->missing_ok ? Verdict::noop : Verdict::refused;
        case AT_DropExpression:
            // "cannot drop generation expression from inherited column",
            // "ALTER TABLE / DROP EXPRESSION must be applied to child tables
            // too", "column ... is not a stored generated column" (IF
            // EXISTS: a NOTICE).
            if (c.inhcount > 0 || (!earlier->recurse && has_children(RelationGetRelid(rel))))
                return Verdict::refused;
            if (c.generated != ATTRIBUTE_GENERATED_STORED &&
                !touched_by(earlier, col, {AT_DropExpression}))
                return cmd->missing_ok ? Verdict::noop : Verdict::refused;
            return Verdict::runs;
        case AT_SetStorage:
        case AT_SetCompression: {
            // "column data type ... can only have storage PLAIN", "... does
            // not support compression": types that cannot be toasted.
            if (!OidIsValid(c.type) || get_typstorage(c.type) != TYPSTORAGE_PLAIN ||
                touched_by(earlier, col, {AT_AlterColumnType}))
                return Verdict::runs;
            if (cmd->subtype == AT_SetCompression)
                return cmd->def != nullptr && strcmp(strVal(cmd->def), "default") != 0
                           ? Verdict::refused
                           : Verdict::runs;
            const char* storage = cmd->def != nullptr ? strVal(cmd->def) : "plain";
            return pg_strcasecmp(storage, "plain") == 0 ? Verdict::runs : Verdict::refused;
        }
        default:
            return Verdict::runs;
    }
}

Verdict sub_command(Relation rel, AlterTableCmd* cmd, bool recurse, Earlier* earlier) {
    const Oid relid = RelationGetRelid(rel);
    switch (cmd->subtype) {
        case AT_AddColumn:
            return add_column(rel, cmd, recurse, earlier);
        case AT_AlterColumnType: {
            // ATPrepAlterColumnType: "cannot alter type of column ... twice".
            if (touched_by(earlier, cmd->name, {AT_AlterColumnType}))
                return Verdict::refused;
            const Verdict v = alter_type(rel, cmd, recurse, earlier);
            note_touched(earlier, AT_AlterColumnType, cmd->name);
            return v;
        }
        case AT_DropColumn:
            return drop_column(rel, cmd, recurse, earlier);
        case AT_AddConstraint:
            return add_constraint(rel, cmd, earlier);
        case AT_DropConstraint:
            // ATExecDropConstraint: "constraint ... does not exist" (or a
            // NOTICE under IF EXISTS). A constraint the migration file added
            // is not known to the catalog.
            if (catalog_changed_by_file(relid) ||
                OidIsValid(get_relation_constraint_oid(relid, cmd->name, true)))
                return Verdict::runs;
            return cmd->missing_ok ? Verdict::noop : Verdict::refused;
        case AT_ValidateConstraint:
            return catalog_changed_by_file(relid) ||
                           OidIsValid(get_relation_constraint_oid(relid, cmd->name, true))
                       ? Verdict::runs
                       : Verdict::refused;
        case AT_SetTableSpace:
            // ATPrepSetTableSpace: "cannot have multiple SET TABLESPACE subcommands".
            if (touched_by(earlier, "", {AT_SetTableSpace}))
                return Verdict::refused;
            note_touched(earlier, AT_SetTableSpace, "");
            return OidIsValid(get_tablespace_oid(cmd->name, true)) ? Verdict::runs
                                                                   : Verdict::refused;
        case AT_SetAccessMethod:
            // ATPrepSetAccessMethod; partitioned tables have no access
            // method in PostgreSQL 15 ("cannot change access method of a
            // partitioned table").
            if (rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
                return Verdict::refused;
            return OidIsValid(get_table_am_oid(cmd->name, true)) ? Verdict::runs : Verdict::refused;
        case AT_AttachPartition:
            return attach_accepted(rel, (PartitionCmd*)cmd->def) ? Verdict::runs : Verdict::refused;
        case AT_DetachPartition:
        case AT_DetachPartitionFinalize:
            return detach_accepted(rel, (PartitionCmd*)cmd->def) ? Verdict::runs : Verdict::refused;
        case AT_EnableTrig:
        case AT_EnableAlwaysTrig:
        case AT_EnableReplicaTrig:
        case AT_DisableTrig:
            // ATExecEnableDisableTrigger: "trigger ... for table ... does not exist".
            return catalog_changed_by_file(relid) ||
                           OidIsValid(get_trigger_oid(relid, cmd->name, true))
                       ? Verdict::runs
                       : Verdict::refused;
        case AT_EnableRule:
        case AT_EnableAlwaysRule:
        case AT_EnableReplicaRule:
        case AT_DisableRule:
            // EnableDisableRule: "rule ... for relation ... does not exist".
            return catalog_changed_by_file(relid) ||
                           SearchSysCacheExists2(RULERELNAME, ObjectIdGetDatum(relid),
                                                 CStringGetDatum(cmd->name))
                       ? Verdict::runs
                       : Verdict::refused;
        case AT_AlterConstraint: {
            // ATExecAlterConstraint: the constraint exists and is a foreign
            // key ("constraint ... of relation ... is not a foreign key
            // constraint").
            if (catalog_changed_by_file(relid))
                return Verdict::runs;
            Constraint* c = (Constraint*)cmd->def;
            const Oid con = get_relation_constraint_oid(relid, c->conname, true);
            if (!OidIsValid(con))
                return Verdict::refused;
            HeapTuple tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(con));
            bool fk = false;
            if (HeapTupleIsValid(tup)) {
                fk = ((Form_pg_constraint)GETSTRUCT(tup))->contype == CONSTRAINT_FOREIGN;
                ReleaseSysCache(tup);
            }
            return fk ? Verdict::runs : Verdict::refused;
        }
        case AT_ClusterOn:
            if (rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
                return Verdict::refused;  // "cannot mark index clustered in partitioned table"
            return index_use_refused(rel, cmd->name, true) ? Verdict::refused : Verdict::runs;
        case AT_ReplicaIdentity: {
            ReplicaIdentityStmt* ri = (ReplicaIdentityStmt*)cmd->def;
            return ri->identity_type == REPLICA_IDENTITY_INDEX &&
                           index_use_refused(rel, ri->name, false)
                       ? Verdict::refused
                       : Verdict::runs;
        }
        case AT_SetLogged:
        case AT_SetUnLogged:
            // ATPrepCmd: "cannot change persistence setting twice".
            if (touched_by(earlier, "", {AT_SetLogged, AT_SetUnLogged}))
                return Verdict::refused;
            note_touched(earlier, cmd->subtype, "");
            return persistence_change_refused(rel, cmd->subtype == AT_SetLogged) ? Verdict::refused
                                                                                 : Verdict::runs;
        case AT_DropCluster:
            // ATExecDropCluster -> mark_index_clustered: "cannot mark index
            // clustered in partitioned table".
            return rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE ? Verdict::refused
                                                                     : Verdict::runs;
        case AT_DropOf:
            // ATExecDropOf: "... is not a typed table".
            return OidIsValid(rel->rd_rel->reloftype) ? Verdict::runs : Verdict::refused;
        case AT_AddOf:
            return add_of_accepted(rel, (TypeName*)cmd->def) ? Verdict::runs : Verdict::refused;
        case AT_SetRelOptions:
        case AT_ResetRelOptions:
        case AT_ReplaceRelOptions: {
            // ATExecSetRelOptions: the options are validated for the
            // relation's kind (a partitioned table takes none of a heap's:
            // "unrecognized parameter ..."). The validation raises
            // PostgreSQL's own error (class 22), which the guard leaves to it.
            if (cmd->subtype == AT_ResetRelOptions)
                return Verdict::runs;
            static char toast[] = "toast";
            char* validnsps[] = {toast, nullptr};  // HEAP_RELOPT_NAMESPACES
            Datum opts =
                transformRelOptions((Datum)0, (List*)cmd->def, nullptr, validnsps, false, false);
            const char kind = rel->rd_rel->relkind;
            if (kind == RELKIND_PARTITIONED_TABLE)
                (void)partitioned_table_reloptions(opts, true);
            else if (kind == RELKIND_RELATION || kind == RELKIND_MATVIEW)
                (void)heap_reloptions(kind, opts, true);
            return Verdict::runs;
        }
        case AT_AddInherit:
        case AT_DropInherit:
            return inherit_accepted(rel, cmd) ? Verdict::runs : Verdict::refused;
        default:
            break;
    }
    if (names_one_column(cmd->subtype) && cmd->name != nullptr) {
        Column c = column_of(relid, cmd->name, earlier);
        if (!c.found || c.attnum <= 0)
            return Verdict::refused;  // "column ... does not exist", "cannot alter system column"
        const Verdict v = c.known ? column_form_accepted(rel, cmd, c, earlier) : Verdict::runs;
        if (v == Verdict::runs)  // a no-op (IF EXISTS) changes nothing
            note_touched(earlier, cmd->subtype, cmd->name);
        return v;
    }
    return Verdict::runs;
}

// RangeVarCallbackForAlterRelation / RangeVarCallbackOwnsRelation
// (PostgreSQL 15), which run while the name is looked up, before the lock:
// the current user must own the relation, which must not be a system
// catalog or another session's temporary table. Under check() the
// migration file's role is not known (role_known): ownership is not
// checked there.
bool relation_refused(Relation rel) {
    if (role_known() && !pg_class_ownercheck(RelationGetRelid(rel), GetUserId()))
        return true;  // "must be owner of table ..."
    if (!allowSystemTableMods && IsSystemRelation(rel))
        return true;  // "permission denied: ... is a system catalog"
    return RELATION_IS_OTHER_TEMP(rel);
}

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

}  // namespace

bool alter_table_refused(Oid relid, AlterTableStmt* stmt, Verdict** verdicts) {
    const int n = list_length(stmt->cmds);
    Verdict* out = nullptr;
    const bool refused = relation_read_refused(relid, [&](Relation rel, bool refused) {
        out = (Verdict*)palloc0(sizeof(Verdict) * (n > 0 ? n : 1));
        Earlier earlier = {NIL, NIL, false, false, true, NIL, NIL};
        const bool recurse = stmt->relation == nullptr || stmt->relation->inh;
        earlier.recurse = recurse;
        int i = 0;
        ListCell* lc;
        foreach (lc, stmt->cmds) {
            if (refused)
                break;
            out[i] = sub_command(rel, (AlterTableCmd*)lfirst(lc), recurse, &earlier);
            refused = out[i] == Verdict::refused;
            ++i;
        }
        return refused;
    });
    if (out == nullptr)
        return true;  // the relation is gone
    if (verdicts != nullptr)
        *verdicts = out;
    return refused;
}

// DefineIndex (indexcmds.c, PostgreSQL 15) up to the build: the access
// method and its capabilities, the key and INCLUDE columns, operator
// classes (ResolveOpClass), the name, and what partitioned tables refuse.
namespace {

// ComputeIndexAttrs and CheckPredicate (indexcmds.c, PostgreSQL 15): the
// index's expressions and predicate, analysed over the table, may call only
// IMMUTABLE functions ("functions in index expression must be marked
// IMMUTABLE", "... in index predicate ..."). Parse analysis resolves names,
// operators and types and runs nothing; PostgreSQL's own errors in it (an
// unknown column, COALESCE over types that do not match) are the
// statement's. PostgreSQL plans the expression first (CheckMutability); the
// guard does not (planning folds the user's IMMUTABLE functions), so it
// reads the volatility of what is written. Analysis needs ACCESS SHARE on
// the table: taken only if it is free right now, else the expressions are
// not known (extract/common.cpp, deparse_over). Columns the migration file
// added are not in the relation: not known either.
bool index_expressions_refused(Oid relid, IndexStmt* stmt) {
    bool any = stmt->whereClause != nullptr;
    ListCell* lc;
    foreach (lc, stmt->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        any = any || e->expr != nullptr;
    }
    if (!any || (guard_overlay != nullptr && catalog_changed_by_file(relid)))
        return false;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return false;
    if (!ConditionalLockRelationOid(relid, AccessShareLock)) {
        RelationClose(rel);
        return false;
    }
    ParseState* ps = make_parsestate(nullptr);
    ParseNamespaceItem* nsi =
        addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
    addNSItemToQuery(ps, nsi, false, true, true);
    bool refused = false;
    foreach (lc, stmt->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->expr == nullptr || refused)
            continue;
        Node* expr = transformExpr(ps, (Node*)copyObjectImpl(e->expr), EXPR_KIND_INDEX_EXPRESSION);
        refused = contain_mutable_functions(expr);
    }
    if (!refused && stmt->whereClause != nullptr) {
        Node* pred =
            transformExpr(ps, (Node*)copyObjectImpl(stmt->whereClause), EXPR_KIND_INDEX_PREDICATE);
        refused = contain_mutable_functions(pred);
    }
    free_parsestate(ps);
    UnlockRelationOid(relid, AccessShareLock);
    RelationClose(rel);
    return refused;
}

}  // namespace

bool create_index_refused(Oid relid, IndexStmt* stmt) {
    bool partitioned = false;
    Oid nsp = InvalidOid;
    const bool refused = relation_read_refused(relid, [&](Relation rel, bool refused) {
        partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
        nsp = RelationGetNamespace(rel);
        if (!refused && stmt->unique && partitioned) {
            List* names = NIL;
            ListCell* lc;
            foreach (lc, stmt->indexParams) {
                IndexElem* e = (IndexElem*)lfirst(lc);
                if (e->name != nullptr)
                    names = lappend(names, e->name);
            }
            refused = !covers_partition_key(rel, names);
        }
        return refused;
    });
    if (refused)
        return true;
    if (partitioned && (stmt->concurrent || stmt->excludeOpNames != NIL))
        return true;  // "cannot create index on partitioned table ... concurrently", exclusion
    const char* am_name = stmt->accessMethod ? stmt->accessMethod : DEFAULT_INDEX_TYPE;
    const Oid am = get_index_am_oid(am_name, true);
    if (!OidIsValid(am))
        return true;  // "access method ... does not exist"
    IndexAmRoutine* routine = GetIndexAmRoutineByAmId(am, true);
    if (routine == nullptr)
        return true;
    if ((stmt->unique && !routine->amcanunique) ||
        (list_length(stmt->indexParams) > 1 && !routine->amcanmulticol) ||
        (stmt->indexIncludingParams != NIL && !routine->amcaninclude))
        return true;  // "access method ... does not support unique indexes", ...
    // index_create: "relation ... already exists", or under IF NOT EXISTS a
    // NOTICE and nothing built (a no-op: nothing to judge either).
    if (stmt->idxname != nullptr && relation_name_taken(stmt->idxname, nsp))
        return true;
    ListCell* lc;
    foreach (lc, stmt->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->name == nullptr)
            continue;  // an expression: analysed by the extractor
        Column c = column_of(relid, e->name, nullptr);
        if (!c.found)
            return true;  // "column ... does not exist"
        if (c.attnum <= 0)
            return true;  // "index creation on system columns is not supported"
        if (!OidIsValid(c.type))
            continue;
        // ResolveOpClass: a named class of this access method, or the
        // type's default one ("data type ... has no default operator class
        // for access method ...").
        const Oid opclass = e->opclass != NIL ? get_opclass_oid(am, e->opclass, true)
                                              : GetDefaultOpClass(c.type, am);
        if (!OidIsValid(opclass))
            return true;
    }
    foreach (lc, stmt->indexIncludingParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->name != nullptr && !user_column(relid, e->name, nullptr))
            return true;
    }
    return index_expressions_refused(relid, stmt);
}

namespace {

// The relation that owns a dependent object (a view's rule, a table's
// constraint, trigger, policy or default; a relation itself), or
// InvalidOid for an object outside any relation (a function, a domain's
// constraint, ...).
Oid owning_relation(Oid classid, Oid objid) {
    if (classid == RelationRelationId)
        return objid;
    // Read through each catalog's OID index (get_catalog_object_by_oid
    // knows only the catalogs of objectaddress.c; pg_attrdef is not one).
    struct OwnedBy {
        Oid catalog, index;
        AttrNumber oidcol, relcol;
    };
    static const OwnedBy owned_by[] = {
        {RewriteRelationId, RewriteOidIndexId, Anum_pg_rewrite_oid, Anum_pg_rewrite_ev_class},
        {ConstraintRelationId, ConstraintOidIndexId, Anum_pg_constraint_oid,
         Anum_pg_constraint_conrelid},
        {TriggerRelationId, TriggerOidIndexId, Anum_pg_trigger_oid, Anum_pg_trigger_tgrelid},
        {PolicyRelationId, PolicyOidIndexId, Anum_pg_policy_oid, Anum_pg_policy_polrelid},
        {AttrDefaultRelationId, AttrDefaultOidIndexId, Anum_pg_attrdef_oid,
         Anum_pg_attrdef_adrelid},
    };
    const OwnedBy* layout = nullptr;
    for (const OwnedBy& o : owned_by)
        if (o.catalog == classid)
            layout = &o;
    if (layout == nullptr)
        return InvalidOid;
    const Oid index = layout->index;
    const AttrNumber oidcol = layout->oidcol, relcol = layout->relcol;
    Relation catalog = table_open(classid, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, oidcol, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(objid));
    SysScanDesc scan = systable_beginscan(catalog, index, true, nullptr, 1, &key);
    HeapTuple tup = systable_getnext(scan);
    Oid owner = InvalidOid;
    if (HeapTupleIsValid(tup)) {
        bool isnull = false;
        Datum d = heap_getattr(tup, relcol, RelationGetDescr(catalog), &isnull);
        if (!isnull)
            owner = DatumGetObjectId(d);
    }
    systable_endscan(scan);
    table_close(catalog, AccessShareLock);
    return owner;
}

// Calls fn(row) for the pg_depend rows of one object, any sub-object, until
// it returns false: through `index` (DependReferenceIndexId: the rows
// referencing the object; DependDependerIndexId: the object's own), whose
// first two columns `classcol` and `objcol` are the object's class and OID.
template <typename Fn>
void for_each_depend_row(Oid index, AttrNumber classcol, AttrNumber objcol, Oid classid, Oid objid,
                         Fn fn) {
    Relation dep = table_open(DependRelationId, AccessShareLock);
    ScanKeyData key[2];
    ScanKeyInit(&key[0], classcol, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(classid));
    ScanKeyInit(&key[1], objcol, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(objid));
    SysScanDesc scan = systable_beginscan(dep, index, true, nullptr, 2, key);
    HeapTuple tup;
    while (HeapTupleIsValid(tup = systable_getnext(scan)))
        if (!fn((Form_pg_depend)GETSTRUCT(tup)))
            break;
    systable_endscan(scan);
    table_close(dep, AccessShareLock);
}

// Calls fn(classid, objid, deptype) for every pg_depend row referencing the
// object (refclassid, refobjid), any sub-object.
template <typename Fn>
void for_each_dependent_of(Oid refclassid, Oid refobjid, Fn fn) {
    for_each_depend_row(DependReferenceIndexId, Anum_pg_depend_refclassid, Anum_pg_depend_refobjid,
                        refclassid, refobjid,
                        [&](Form_pg_depend d) { return fn(d->classid, d->objid, d->deptype); });
}

// dependency.c, findDependentObjects under RESTRICT (PostgreSQL 15): an
// object that depends normally on the relation (or on its row type) and
// does not go with one of the relations dropped makes the DROP fail
// ("cannot drop table ... because other objects depend on it"); an index
// that a constraint or a parent index requires cannot be dropped by itself
// ("... because constraint ... requires it").
bool drop_blocked(Oid relid, List* dropped) {
    bool blocked = false;
    auto normal_outside = [&](Oid classid, Oid objid, char deptype) {
        if (deptype != DEPENDENCY_NORMAL)
            return true;
        const Oid owner = owning_relation(classid, objid);
        if (OidIsValid(owner) &&
            (list_member_oid(dropped, owner) || catalog_changed_by_file(owner)))
            return true;  // goes with the drop, or under check() the file may have dropped it
        blocked = true;
        return false;
    };
    for_each_dependent_of(RelationRelationId, relid, normal_outside);
    const Oid rowtype = get_rel_type_id(relid);
    if (!blocked && OidIsValid(rowtype))
        for_each_dependent_of(TypeRelationId, rowtype, normal_outside);
    if (!blocked && get_rel_relkind(relid) != RELKIND_RELATION &&
        get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE) {
        // The index's own dependencies: what it belongs to.
        for_each_depend_row(DependDependerIndexId, Anum_pg_depend_classid, Anum_pg_depend_objid,
                            RelationRelationId, relid, [&](Form_pg_depend d) {
                                blocked = d->deptype == DEPENDENCY_INTERNAL ||
                                          d->deptype == DEPENDENCY_PARTITION_PRI;
                                return !blocked;
                            });
    }
    return blocked;
}

// RangeVarCallbackForDropRelation (PostgreSQL 15): the owner of the
// relation or of its schema may drop it ("must be owner of table ...").
bool may_drop(Oid relid) {
    return !role_known() || pg_class_ownercheck(relid, GetUserId()) ||
           pg_namespace_ownercheck(get_rel_namespace(relid), GetUserId());
}

}  // namespace

bool drop_refused(DropStmt* stmt) {
    if (stmt->removeType != OBJECT_TABLE && stmt->removeType != OBJECT_INDEX)
        return false;
    List* relids = NIL;
    ListCell* lc;
    foreach (lc, stmt->objects) {
        RangeVar* rv = makeRangeVarFromNameList((List*)lfirst(lc));
        bool file_made = false;
        const Oid relid = relation_of(rv, &file_made);
        if (file_made)
            continue;  // check(): the file's own relation, not in the catalog
        if (!OidIsValid(relid)) {
            if (!stmt->missing_ok)
                return true;  // "table ... does not exist"
            continue;
        }
        const char kind = get_rel_relkind(relid);
        const bool table = kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
        const bool index = kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX;
        if ((stmt->removeType == OBJECT_TABLE && !table) ||
            (stmt->removeType == OBJECT_INDEX && !index))
            return true;  // "... is not a table" / "... is not an index"
        if (!may_drop(relid))
            return true;
        if (index && stmt->concurrent && kind == RELKIND_PARTITIONED_INDEX)
            return true;  // "cannot drop partitioned index ... concurrently"
        relids = lappend_oid(relids, relid);
    }
    if (stmt->behavior == DROP_CASCADE)
        return false;
    // An index goes with its table, so dropping both is fine; a table's
    // indexes, constraints and the like are its own. Under check(), the
    // dependents of a relation the file changed are not known.
    foreach (lc, relids)
        if (!catalog_changed_by_file(lfirst_oid(lc)) && drop_blocked(lfirst_oid(lc), relids))
            return true;
    return false;
}

// ExecuteTruncate / ExecuteTruncateGuts (PostgreSQL 15): each relation
// exists, is a table, and the user may TRUNCATE it
// (truncate_check_perms); under RESTRICT, no foreign key from a table
// outside the set references one of them (heap_truncate_check_FKs: "cannot
// truncate a table referenced in a foreign key constraint").
bool truncate_refused(TruncateStmt* stmt) {
    List* relids = NIL;
    bool known = true;  // every relation's foreign keys are the catalog's
    ListCell* lc;
    foreach (lc, stmt->relations) {
        RangeVar* rv = (RangeVar*)lfirst(lc);
        bool file_made = false;
        const Oid relid = relation_of(rv, &file_made);
        if (file_made) {
            known = false;  // check(): the file's own table
            continue;
        }
        if (!OidIsValid(relid))
            return true;  // "relation ... does not exist"
        const char kind = get_rel_relkind(relid);
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
            return true;  // "... is not a table" (foreign tables: not judged anyway)
        if (role_known() && pg_class_aclcheck(relid, GetUserId(), ACL_TRUNCATE) != ACLCHECK_OK)
            return true;  // "permission denied for table ..."
        known = known && !catalog_changed_by_file(relid);
        relids = rv->inh ? list_concat(relids, find_all_inheritors(relid, NoLock, nullptr))
                         : lappend_oid(relids, relid);
    }
    if (stmt->behavior == DROP_CASCADE || !known)
        return false;
    bool refused = false;
    foreach (lc, relids) {
        const Oid relid = lfirst_oid(lc);
        for_each_dependent_of(RelationRelationId, relid, [&](Oid classid, Oid objid, char) {
            if (classid != ConstraintRelationId)
                return true;
            HeapTuple tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(objid));
            if (!HeapTupleIsValid(tup))
                return true;
            Form_pg_constraint con = (Form_pg_constraint)GETSTRUCT(tup);
            refused = con->contype == CONSTRAINT_FOREIGN && con->confrelid == relid &&
                      !list_member_oid(relids, con->conrelid) &&
                      !catalog_changed_by_file(con->conrelid);
            ReleaseSysCache(tup);
            return !refused;
        });
        if (refused)
            break;
    }
    return refused;
}

// renameatt_internal / RenameRelation (tablecmds.c, PostgreSQL 15).
bool rename_refused(Oid relid, RenameStmt* stmt) {
    bool typed = false;
    Oid nsp = InvalidOid;
    const bool refused = relation_read_refused(relid, [&](Relation rel, bool refused) {
        typed = OidIsValid(rel->rd_rel->reloftype);
        nsp = RelationGetNamespace(rel);
        return refused;
    });
    if (refused)
        return true;
    if (stmt->renameType == OBJECT_COLUMN) {
        if (typed)
            return true;  // "cannot rename column of typed table"
        Column c = column_of(relid, stmt->subname, nullptr);
        if (!c.found || c.attnum <= 0 || c.inhcount > 0)
            return true;  // does not exist, "cannot rename system column", "... inherited column"
        if (c.known && stmt->relation != nullptr && !stmt->relation->inh && has_children(relid))
            return true;  // "inherited column ... must be renamed in child tables too"
        if (SystemAttributeByName(stmt->newname) != nullptr ||
            column_of(relid, stmt->newname, nullptr).found)
            return true;  // "column ... already exists"
        return false;
    }
    if (stmt->renameType == OBJECT_TABLE) {
        if (relation_name_taken(stmt->newname, nsp))
            return true;  // "relation ... already exists"
        // RenameTypeInternal: the row type takes the new name too; a type of
        // that name is in the way unless it is an array type PostgreSQL can
        // move aside (moveArrayTypeName). Under check(), a relation's row
        // type counts only while the file has not changed (dropped,
        // renamed) that relation.
        const Oid typ = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
                                        CStringGetDatum(stmt->newname), ObjectIdGetDatum(nsp));
        const Oid typrel = OidIsValid(typ) ? get_typ_typrelid(typ) : InvalidOid;
        if (OidIsValid(typ) && !(OidIsValid(typrel) && catalog_changed_by_file(typrel))) {
            const Oid elem = get_element_type(typ);
            if (!OidIsValid(elem) || get_array_type(elem) != typ)
                return true;  // "type ... already exists"
        }
    }
    return false;
}

// DefineRelation and MergeAttributes (tablecmds.c, PostgreSQL 15), before
// the new table exists: its name is free in the schema it is created in
// (heap_create_with_catalog: "relation ... already exists"; under IF NOT
// EXISTS a NOTICE and nothing made); a partition's parent exists, is
// partitioned, is temporary exactly when the new table is ("cannot create a
// temporary relation as partition of permanent relation", and the
// converse), and takes the bound (partition_bound_refused); each foreign
// key's referenced table is one the new table may reference
// (ATAddForeignKeyConstraint, as for ALTER TABLE).
bool create_table_refused(CreateStmt* stmt) {
    RangeVar* rv = stmt->relation;
    const bool temp = rv->relpersistence == RELPERSISTENCE_TEMP;
    if (!temp) {
        Oid nsp = InvalidOid;
        if (rv->schemaname != nullptr) {
            nsp = get_namespace_oid(rv->schemaname, true);
        } else {
            List* path = fetch_search_path(false);
            if (path != NIL)
                nsp = linitial_oid(path);
        }
        if (OidIsValid(nsp) && relation_name_taken(rv->relname, nsp))
            return true;
    }
    if (stmt->partbound != nullptr && list_length(stmt->inhRelations) == 1) {
        bool file_made = false;
        const Oid parentid = relation_of((RangeVar*)linitial(stmt->inhRelations), &file_made);
        if (!OidIsValid(parentid))
            return !file_made;  // "relation ... does not exist"
        Relation parent = RelationIdGetRelation(parentid);
        if (parent == nullptr)
            return true;
        const bool parent_temp = parent->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
        const bool refused = temp != parent_temp || RELATION_IS_OTHER_TEMP(parent) ||
                             partition_bound_refused(parent, stmt->partbound, InvalidOid);
        RelationClose(parent);
        if (refused)
            return true;
    }
    // Column constraints and table constraints alike.
    List* constraints = NIL;
    ListCell* lc;
    foreach (lc, stmt->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, ColumnDef))
            constraints = list_concat(constraints, ((ColumnDef*)n)->constraints);
        else if (IsA(n, Constraint))
            constraints = lappend(constraints, n);
    }
    foreach (lc, constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype != CONSTR_FOREIGN || c->pktable == nullptr)
            continue;
        if (strcmp(c->pktable->relname, rv->relname) == 0 &&
            (c->pktable->schemaname == nullptr || rv->schemaname == nullptr ||
             strcmp(c->pktable->schemaname, rv->schemaname) == 0))
            continue;  // the new table itself (or one of its name elsewhere: not known)
        bool file_made = false;
        const Oid pk = relation_of(c->pktable, &file_made);
        if (!OidIsValid(pk)) {
            if (!file_made)
                return true;  // "relation ... does not exist"
            continue;
        }
        Relation pkrel = RelationIdGetRelation(pk);
        if (pkrel == nullptr)
            return true;
        // A column constraint's referencing column is the column itself.
        const int nfk = c->fk_attrs != NIL ? list_length(c->fk_attrs) : 1;
        bool ok = foreign_key_target_accepted(pkrel, rv->relpersistence, c->pk_attrs) &&
                  (catalog_changed_by_file(pk) || referenced_key_exists(pkrel, c->pk_attrs, nfk));
        if (ok && c->pk_attrs != NIL && list_length(c->pk_attrs) != nfk)
            ok = false;
        RelationClose(pkrel);
        if (!ok)
            return true;
    }
    return false;
}

// cluster() and cluster_rel (cluster.c, PostgreSQL 15) for CLUSTER table
// [USING index]: the table is the user's (RangeVarCallbackOwnsTable), not
// another session's temporary table; the index named is one of the table's
// that can cluster it (check_index_is_clusterable), or without USING the
// table has an index marked clustered ("there is no previously clustered
// index for table ...").
bool cluster_refused(Oid relid, ClusterStmt* stmt) {
    return relation_read_refused(relid, [&](Relation rel, bool refused) {
        if (refused)
            return true;
        if (stmt->indexname != nullptr)
            return index_use_refused(rel, stmt->indexname, true);
        if (catalog_changed_by_file(relid))
            return false;
        bool clustered = false;
        ListCell* lc;
        foreach (lc, RelationGetIndexList(rel)) {
            HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
            if (!HeapTupleIsValid(tup))
                continue;
            clustered = clustered || ((Form_pg_index)GETSTRUCT(tup))->indisclustered;
            ReleaseSysCache(tup);
        }
        return !clustered;
    });
}

}  // namespace schema_oracle::pg::upstream
