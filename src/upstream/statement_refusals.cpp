// statement_refusals.cpp: what PostgreSQL 15 refuses of the statements
// other than ALTER TABLE before the guard's judgement matters
// (include/schema_oracle/upstream/refusals.hpp): CREATE INDEX (indexcmds.c,
// DefineIndex, ComputeIndexAttrs, CheckPredicate, ResolveOpClass), DROP
// TABLE / DROP INDEX (tablecmds.c, RemoveRelations and
// RangeVarCallbackForDropRelation; dependency.c, findDependentObjects),
// TRUNCATE (tablecmds.c, ExecuteTruncate, heap_truncate_check_FKs), RENAME
// (renameatt, RenameRelation, RenameTypeInternal), CREATE TABLE
// (DefineRelation, MergeAttributes) and CLUSTER (cluster.c, cluster,
// check_index_is_clusterable). Each stops at the first refusal, in
// PostgreSQL's order where the order changes the answer. Read the upstream
// source again before changing anything here.
#include "schema_oracle/pg/guard.hpp"
#include "refusal_helpers.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/amapi.h"
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/heap.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/partition.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

using namespace refusal;

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
// calls the refusal certain only where planning could not remove the
// mutable call (check_mutability.cpp). Analysis needs ACCESS SHARE on
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
    // check(): not after the file changed the table, or a function,
    // operator or type the expressions may call (ALTER FUNCTION ... IMMUTABLE).
    if (!any || (guard_overlay != nullptr && catalog_changed_by_file(relid)) ||
        file_changed_objects())
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
        refused = certainly_mutable_after_planning(expr);
    }
    if (!refused && stmt->whereClause != nullptr) {
        Node* pred =
            transformExpr(ps, (Node*)copyObjectImpl(stmt->whereClause), EXPR_KIND_INDEX_PREDICATE);
        refused = certainly_mutable_after_planning(pred);
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
                // (a) is the column a, as ComputeIndexAttrs reads it.
                const char* column = index_elem_column((IndexElem*)lfirst(lc));
                if (column != nullptr)
                    names = lappend(names, const_cast<char*>(column));
            }
            refused = !covers_partition_key(rel, names);
        }
        return refused;
    });
    if (refused)
        return true;
    if (partitioned && (stmt->concurrent || stmt->excludeOpNames != NIL))
        return refused_true(
            "cannot create this index on partitioned table ...");  // CONCURRENTLY, exclusion
    const char* am_name = stmt->accessMethod ? stmt->accessMethod : DEFAULT_INDEX_TYPE;
    if (strcmp(am_name, "rtree") == 0)
        am_name = "gist";  // DefineIndex: "substituting access method "gist" for obsolete method"
    const Oid am = get_index_am_oid(am_name, true);
    if (!OidIsValid(am))
        return refused_true(live_catalog_only("access method ... does not exist"));
    IndexAmRoutine* routine = GetIndexAmRoutineByAmId(am, true);
    if (routine == nullptr)
        return true;
    // Not certain once check()'s file changed objects it does not follow:
    // then judged, not refused.
    if (!file_changed_objects() &&
        ((stmt->unique && !routine->amcanunique) ||
         (list_length(stmt->indexParams) > 1 && !routine->amcanmulticol) ||
         (stmt->indexIncludingParams != NIL && !routine->amcaninclude)))
        return refused_true("access method ... does not support this index");  // unique, INCLUDE
    // index_create: "relation ... already exists", or under IF NOT EXISTS a
    // NOTICE and nothing built (a no-op: nothing to judge either).
    if (stmt->idxname != nullptr && relation_name_taken(stmt->idxname, nsp))
        return stmt->if_not_exists ? true : refused_true("relation ... already exists");
    ListCell* lc;
    foreach (lc, stmt->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->name == nullptr)
            continue;  // an expression: analysed by the extractor
        Column c = column_of(relid, e->name, nullptr);
        if (!c.found)
            return refused_true("column ... does not exist");
        if (c.attnum <= 0)
            return refused_true("index creation on system columns is not supported");
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
        // A partition's index goes with its parent index when the same DROP
        // lists that (or one of its ancestors): findDependentObjects finds
        // the owner among the objects being deleted.
        bool ancestor_dropped = false;
        bool ancestors_read = false;
        for_each_depend_row(DependDependerIndexId, Anum_pg_depend_classid, Anum_pg_depend_objid,
                            RelationRelationId, relid, [&](Form_pg_depend d) {
                                if (d->deptype == DEPENDENCY_PARTITION_PRI && !ancestors_read) {
                                    ancestors_read = true;
                                    ListCell* lc;
                                    foreach (lc, get_partition_ancestors(relid))
                                        ancestor_dropped = ancestor_dropped ||
                                                           list_member_oid(dropped, lfirst_oid(lc));
                                }
                                blocked =
                                    d->deptype == DEPENDENCY_INTERNAL ||
                                    (d->deptype == DEPENDENCY_PARTITION_PRI && !ancestor_dropped);
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
                return refused_true("table ... does not exist");
            continue;
        }
        const char kind = get_rel_relkind(relid);
        const bool table = kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
        const bool index = kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX;
        if ((stmt->removeType == OBJECT_TABLE && !table) ||
            (stmt->removeType == OBJECT_INDEX && !index))
            return refused_true("... is not a table, or not an index");
        if (!may_drop(relid))
            return true;
        if (index && stmt->concurrent && kind == RELKIND_PARTITIONED_INDEX)
            return refused_true("cannot drop partitioned index ... concurrently");
        relids = lappend_oid(relids, relid);
    }
    if (stmt->behavior == DROP_CASCADE)
        return false;
    // An index goes with its table, so dropping both is fine; a table's
    // indexes, constraints and the like are its own. Under check(), the
    // dependents of a relation the file changed are not known.
    foreach (lc, relids)
        if (!catalog_changed_by_file(lfirst_oid(lc)) && drop_blocked(lfirst_oid(lc), relids))
            return refused_true("cannot drop ... because other objects depend on it");
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
            return refused_true("relation ... does not exist");
        const char kind = get_rel_relkind(relid);
        // truncate_check_rel (PostgreSQL 15) also takes a foreign table: its
        // wrapper decides (ExecForeignTruncate), so the statement is judged.
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE &&
            kind != RELKIND_FOREIGN_TABLE)
            return refused_true("... is not a table");
        if (role_known() && pg_class_aclcheck(relid, GetUserId(), ACL_TRUNCATE) != ACLCHECK_OK)
            return refused_true("permission denied for table ...");
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
            return refused_true("cannot truncate a table referenced in a foreign key constraint");
    }
    return false;
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
            return refused_true("cannot rename column of typed table");
        Column c = column_of(relid, stmt->subname, nullptr);
        if (!c.found || c.attnum <= 0 || c.inhcount > 0)
            return true;  // does not exist, "cannot rename system column", "... inherited column"
        if (c.known && stmt->relation != nullptr && !stmt->relation->inh && has_children(relid))
            return refused_true("inherited column ... must be renamed in child tables too");
        // check_for_column_name_collision reads pg_attribute: views (and
        // composite types) have no system columns there, so "xmin" is free.
        const char kind = get_rel_relkind(relid);
        const bool system_columns = kind != RELKIND_VIEW && kind != RELKIND_COMPOSITE_TYPE;
        if ((system_columns && SystemAttributeByName(stmt->newname) != nullptr) ||
            column_of(relid, stmt->newname, nullptr).found)
            return refused_true("column ... already exists");
        return false;
    }
    // RangeVarCallbackForAlterRelation: ALTER VIEW names a view, ALTER
    // MATERIALIZED VIEW a materialized view, ALTER FOREIGN TABLE a foreign
    // table ("... is not a view"); ALTER TABLE takes any of them.
    const char kind = get_rel_relkind(relid);
    if (stmt->renameType == OBJECT_VIEW && kind != RELKIND_VIEW)
        return refused_true("... is not a view");
    if (stmt->renameType == OBJECT_MATVIEW && kind != RELKIND_MATVIEW)
        return refused_true("... is not a materialized view");
    if (stmt->renameType == OBJECT_FOREIGN_TABLE && kind != RELKIND_FOREIGN_TABLE)
        return refused_true("... is not a foreign table");
    if (stmt->renameType == OBJECT_TABLE || stmt->renameType == OBJECT_VIEW ||
        stmt->renameType == OBJECT_MATVIEW || stmt->renameType == OBJECT_FOREIGN_TABLE) {
        if (relation_name_taken(stmt->newname, nsp))
            return refused_true("relation ... already exists");
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
            // Any other type is the catalog's; check()'s overlay does not
            // follow types (DROP TYPE mood; ALTER TABLE feelings RENAME TO
            // mood runs): not certain once the file changed such objects,
            // and then judged.
            if ((!OidIsValid(elem) || get_array_type(elem) != typ) && !file_changed_objects())
                return refused_true("type ... already exists");
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
            return stmt->if_not_exists ? true : refused_true("relation ... already exists");
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
                return refused_true("relation ... does not exist");
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
