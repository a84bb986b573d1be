// refusal_helpers.cpp: what the refusal checks share (refusal_helpers.hpp):
// names, relations and columns as the statement finds them, seen through the
// check() overlay (GuardOverlay) and the earlier sub-commands of the same
// ALTER TABLE; the pg_depend readings the checks make (dependency.c,
// findDependentObjects; tablecmds.c, RememberAllDependentForRebuilding);
// the relation's ownership check (RangeVarCallbackForAlterRelation) and an
// index named for CLUSTER or REPLICA IDENTITY (cluster.c,
// check_index_is_clusterable; tablecmds.c, ATExecReplicaIdentity); all
// PostgreSQL 15. Read the upstream source again before changing anything
// here.
#include "schema_oracle/pg/guard.hpp"
#include "refusal_helpers.hpp"

extern "C" {
#include "access/amapi.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/catalog.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_policy.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_statistic_ext.h"
#include "catalog/pg_trigger.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
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

}  // namespace schema_oracle::pg::upstream

namespace schema_oracle::pg::upstream {

namespace {
const char* last_refusal_reason = nullptr;  // a static string
bool last_refusal_by_statement = false;     // refused_by_statement()
}  // namespace

const char* refusal_reason() {
    return last_refusal_reason;
}

void clear_refusal_reason() {
    last_refusal_reason = nullptr;
    last_refusal_by_statement = false;
}

namespace refusal {

Verdict refused(const char* reason) {
    last_refusal_reason = reason;
    last_refusal_by_statement = false;
    return Verdict::refused;
}

bool refused_true(const char* reason) {
    last_refusal_reason = reason;
    last_refusal_by_statement = false;
    return true;
}

Verdict refused_by_statement(const char* reason) {
    const Verdict v = refused(reason);
    last_refusal_by_statement = true;
    return v;
}

bool refusal_by_statement() {
    return last_refusal_reason != nullptr && last_refusal_by_statement;
}

void forget_refusal_by_statement() {
    last_refusal_by_statement = false;
}

bool rejected(const char* reason) {
    last_refusal_reason = reason;
    return false;
}

const char* live_catalog_only(const char* reason) {
    return guard_overlay != nullptr ? nullptr : reason;
}

bool file_changed_objects() {
    return guard_overlay != nullptr && guard_overlay->outside_relations_changed;
}

const char* unless_file_changed_objects(const char* reason) {
    return file_changed_objects() ? nullptr : reason;
}

}  // namespace refusal

}  // namespace schema_oracle::pg::upstream

namespace schema_oracle::pg::upstream::refusal {

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
Oid relation_in(const char* name, Oid nsp, bool* file_made, bool* stale_index) {
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

// A dependent object the refusals count: always live; under check(), not
// when the file changed the relation it belongs to (it may have dropped it).
bool dependent_counts(Oid classid, Oid objid) {
    if (guard_overlay == nullptr)
        return true;
    const Oid owner = owning_relation(classid, objid);
    return !OidIsValid(owner) || !catalog_changed_by_file(owner);
}

// --- columns ---------------------------------------------------------------

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
bool statement_alters_type(const Earlier* earlier, const char* column) {
    ListCell* lc;
    foreach (lc, earlier->cmds) {
        const auto* cmd = (const AlterTableCmd*)lfirst(lc);
        if (cmd->subtype == AT_AlterColumnType && cmd->name != nullptr && column != nullptr &&
            strcmp(cmd->name, column) == 0)
            return true;
    }
    return false;
}

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

namespace {

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

}  // namespace

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

// --- shared by several statements --------------------------------------------

bool type_exists(TypeName* tn, Oid* typid, int32* typmod) {
    Type tup = LookupTypeName(nullptr, tn, typmod, true);
    if (tup == nullptr)
        return false;
    *typid = typeTypeId(tup);
    ReleaseSysCache(tup);
    return true;
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

// RangeVarCallbackForAlterRelation / RangeVarCallbackOwnsRelation
// (PostgreSQL 15), which run while the name is looked up, before the lock:
// the current user must own the relation, which must not be a system
// catalog or another session's temporary table. Under check() the
// migration file's role is not known (role_known): ownership is not
// checked there.
bool relation_refused(Relation rel) {
    if (role_known() && !pg_class_ownercheck(RelationGetRelid(rel), GetUserId()))
        return refused_true("must be owner of table ...");
    if (!allowSystemTableMods && IsSystemRelation(rel))
        return refused_true("permission denied: ... is a system catalog");
    return RELATION_IS_OTHER_TEMP(rel);
}

}  // namespace schema_oracle::pg::upstream::refusal
