// alter_type_indexes.cpp: which indexes ALTER COLUMN ... TYPE rebuilds when
// it does not rewrite the table, mirrored from PostgreSQL 15:
//
// - tablecmds.c, ATExecAlterColumnType / RememberIndexForRebuilding: every
//   index (and constraint index) that depends on the column is noted with
//   its definition from pg_get_indexdef_string; ATPostAlterTypeCleanup
//   drops and re-creates them all;
// - tablecmds.c, ATPostAlterTypeParse / TryReuseIndex: when the table is
//   not rewritten, an index keeps its storage (no rebuild) only if
//   indexcmds.c CheckIndexCompatible accepts the re-parsed definition;
// - indexcmds.c, CheckIndexCompatible: an index with expressions or a
//   predicate, or an invalid one, is never compatible ("We don't assess
//   expressions or predicates; assume incompatibility"); otherwise every key
//   column's operator class and collation must stay the same, and a
//   polymorphic operator class must see the same type;
// - ruleutils.c, pg_get_indexdef_worker: the re-parsed definition names a
//   key column's operator class only when it is not the default for the
//   column's old type, and a COLLATE only when it differs from the column's
//   old collation, so an unnamed one follows the column: the new type's
//   default operator class, and the column's new collation (the COLLATE
//   clause of the ALTER, else the new type's default collation:
//   ATPrepAlterColumnType, GetColumnDefCollation).
//
// So varchar(20) -> text keeps a plain index on the column but rebuilds an
// expression or partial index over it; a collation change rebuilds every
// index on the column.
#include "schema_oracle/upstream/alter_type_indexes.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// The index's expressions and predicate name the column.
bool expressions_use(HeapTuple tup, AttrNumber attnum) {
    static const int columns[] = {Anum_pg_index_indexprs, Anum_pg_index_indpred};
    for (int anum : columns) {
        bool isnull;
        Datum d = SysCacheGetAttr(INDEXRELID, tup, anum, &isnull);
        if (isnull)
            continue;
        Node* n = (Node*)stringToNode(TextDatumGetCString(d));
        Bitmapset* used = nullptr;
        pull_varattnos(n, 1, &used);
        if (bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, used))
            return true;
    }
    return false;
}

Oid index_am(Oid indexoid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(indexoid));
    if (!HeapTupleIsValid(tup))
        return InvalidOid;
    Oid am = ((Form_pg_class)GETSTRUCT(tup))->relam;
    ReleaseSysCache(tup);
    return am;
}

Oid opclass_input_type(Oid opclass) {
    HeapTuple tup = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (!HeapTupleIsValid(tup))
        return InvalidOid;
    Oid t = ((Form_pg_opclass)GETSTRUCT(tup))->opcintype;
    ReleaseSysCache(tup);
    return t;
}

// CheckIndexCompatible over the definition pg_get_indexdef_string gives.
bool rebuilt(HeapTuple tup, AttrNumber attnum, Oid oldtype, Oid oldcoll, Oid newtype, Oid newcoll) {
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    bool uses = false;
    for (int i = 0; i < ind->indnatts; ++i)
        if (ind->indkey.values[i] == attnum)
            uses = true;
    const bool has_expr = !heap_attisnull(tup, Anum_pg_index_indexprs, nullptr) ||
                          !heap_attisnull(tup, Anum_pg_index_indpred, nullptr);
    if (!uses && !(has_expr && expressions_use(tup, attnum)))
        return false;  // does not depend on the column: untouched
    if (has_expr || !ind->indisvalid)
        return true;
    bool isnull;
    oidvector* indclass = (oidvector*)DatumGetPointer(
        SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indclass, &isnull));
    oidvector* indcoll = (oidvector*)DatumGetPointer(
        SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indcollation, &isnull));
    const Oid am = index_am(ind->indexrelid);
    for (int i = 0; i < ind->indnkeyatts; ++i) {
        if (ind->indkey.values[i] != attnum)
            continue;
        const Oid old_opclass = indclass->values[i];
        const Oid new_opclass = old_opclass == GetDefaultOpClass(oldtype, am)
                                    ? GetDefaultOpClass(newtype, am)
                                    : old_opclass;
        const Oid old_collation = indcoll->values[i];
        const Oid new_collation = !OidIsValid(old_collation) || old_collation == oldcoll
                                      ? (type_is_collatable(newtype) ? newcoll : InvalidOid)
                                      : old_collation;
        if (new_opclass != old_opclass || new_collation != old_collation)
            return true;
        if (IsPolymorphicType(opclass_input_type(new_opclass)) && newtype != oldtype)
            return true;
    }
    return false;
}

}  // namespace

List* indexes_rebuilt_by_type_change(Oid relid, AttrNumber attnum, Oid oldtype, Oid oldcoll,
                                     Oid newtype, Oid newcoll) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return NIL;
    List* indexes = RelationGetIndexList(rel);
    RelationClose(rel);
    List* out = NIL;
    ListCell* lc;
    foreach (lc, indexes) {
        const Oid idx = lfirst_oid(lc);
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
        if (!HeapTupleIsValid(tup))
            continue;
        if (rebuilt(tup, attnum, oldtype, oldcoll, newtype, newcoll))
            out = lappend_oid(out, idx);
        ReleaseSysCache(tup);
    }
    return out;
}

}  // namespace schema_oracle::pg::upstream
