// alter_table_link_refusals.cpp: what PostgreSQL 15 refuses of the ALTER
// TABLE sub-commands that change what ties the table to other relations
// (refusal_helpers.hpp): ATTACH / DETACH PARTITION (tablecmds.c,
// ATExecAttachPartition, ATExecDetachPartition; the bound itself in
// partition_refusals.cpp), SET LOGGED / UNLOGGED (ATPrepChangePersistence:
// the foreign keys between permanent and unlogged tables), OF
// (ATExecAddOf) and INHERIT / NO INHERIT (ATPrepAddInherit,
// ATExecAddInherit, ATExecDropInherit, MergeAttributesIntoExisting). Read
// the upstream source again before changing anything here.
#include "refusal_helpers.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_publication.h"
#include "catalog/pg_type.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::upstream::refusal {

namespace {

// The live (not dropped) column of `desc` named `name`; nullptr if none.
Form_pg_attribute live_column(TupleDesc desc, const char* name) {
    for (int j = 0; j < desc->natts; ++j) {
        Form_pg_attribute a = TupleDescAttr(desc, j);
        if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
            return a;
    }
    return nullptr;
}

// The same type, typmod and collation: what ATTACH PARTITION and INHERIT
// require of a child's column of the parent's name.
bool same_column_type(Form_pg_attribute a, Form_pg_attribute b) {
    return a->atttypid == b->atttypid && a->atttypmod == b->atttypmod &&
           a->attcollation == b->attcollation;
}

}  // namespace

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
        return rejected("table ... is not partitioned");
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
            Form_pg_attribute ca = live_column(cd, NameStr(pa->attname));
            ok = ca != nullptr && same_column_type(ca, pa);
        }
        for (int j = 0; j < cd->natts; ++j)
            if (!TupleDescAttr(cd, j)->attisdropped)
                ++child_cols;
        ok = ok && parent_cols == child_cols;
    }
    RelationClose(part);
    if (!ok)
        return rejected(
            "table ... cannot be attached as a partition of ... (its kind, persistence, "
            "inheritance or columns do not match the parent's)");
    return !partition_bound_refused(parent, pc->bound, partid);
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
        return refused_true(
            "cannot change table ... to unlogged because it is part of a publication");
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

namespace {

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

}  // namespace

namespace {

// A refusal of INHERIT / NO INHERIT / OF that no other sub-command can change:
// noted as certain, and false (not accepted).
bool structurally_refused(const char* reason) {
    (void)refused_by_statement(reason);
    return false;
}

}  // namespace

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
        return structurally_refused("typed tables cannot inherit");
    Oid typid;
    int32 typmod;
    if (tn == nullptr || !type_exists(tn, &typid, &typmod))
        return rejected(live_catalog_only("type ... does not exist"));
    const Oid typrel = get_typ_typrelid(typid);
    if (!OidIsValid(typrel) || get_rel_relkind(typrel) != RELKIND_COMPOSITE_TYPE)
        return rejected(live_catalog_only("type ... is not a composite type"));
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

// ATPrepAddInherit / ATExecAddInherit / ATExecDropInherit (PostgreSQL 15):
// a partition, a partitioned or typed table cannot change its inheritance
// ("cannot change inheritance of a partition", ...); the parent exists, is a
// plain table of the same persistence kind, is not the table or one of its
// descendants ("circular inheritance not allowed") or already its parent;
// the child has each of the parent's columns with the same type, typmod and
// collation, NOT NULL where the parent's is (MergeAttributesIntoExisting).
// NO INHERIT: the table must be a child of it ("relation ... is not a parent
// of relation ..."). Under check(), tables the file changed are not known.
// What the refusals up to the column comparison read (the relations'
// kinds, their inheritance) no other sub-command of an ALTER TABLE changes:
// those are certain whatever else the statement does (refused_by_statement);
// the columns and constraints compared last are not (subcommand_overlap.cpp).
bool inherit_accepted(Relation rel, AlterTableCmd* cmd) {
    const char kind = rel->rd_rel->relkind;
    if (rel->rd_rel->relispartition || kind == RELKIND_PARTITIONED_TABLE ||
        OidIsValid(rel->rd_rel->reloftype))
        return structurally_refused("cannot change inheritance of ...");
    bool file_made = false;
    const Oid parentid = relation_of((RangeVar*)cmd->def, &file_made);
    if (!OidIsValid(parentid))
        return file_made || structurally_refused("relation ... does not exist");
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
        return list_member_oid(parents, parentid) ||
               structurally_refused("relation ... is not a parent of relation ...");
    if (list_member_oid(parents, parentid) || parentid == relid ||
        list_member_oid(find_all_inheritors(relid, NoLock, nullptr), parentid))
        return structurally_refused(
            "relation ... would be inherited from more than once, or circular inheritance");
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
    if (!ok) {
        RelationClose(parent);
        return structurally_refused("cannot inherit from ...");
    }
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
        // "child table is missing column ...", "... has different type ...",
        // "column ... in child table must be marked NOT NULL".
        Form_pg_attribute ca = live_column(cd, NameStr(pa->attname));
        ok = ca != nullptr && same_column_type(ca, pa) && (!pa->attnotnull || ca->attnotnull);
    }
    RelationClose(parent);
    return ok;
}

}  // namespace schema_oracle::pg::upstream::refusal
