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
#include "refusal_helpers.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"
#include "parser/parse_relation.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/ruleutils.h"
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

namespace {

// The altered column, as the re-analysis resolves its name.
struct Retyped {
    const char* column;
    AttrNumber attnum;
    Oid type;
    int32 typmod;
    Oid collation;
};

// p_pre_columnref_hook: the column's bare name (deparse_expression writes
// the table's columns unqualified) is a Var of its new type.
Node* retyped_column(ParseState* ps, ColumnRef* cref) {
    const Retyped* r = static_cast<const Retyped*>(ps->p_ref_hook_state);
    if (list_length(cref->fields) != 1 || !IsA(linitial(cref->fields), String) ||
        strcmp(strVal(linitial(cref->fields)), r->column) != 0)
        return nullptr;
    return (Node*)makeVar(1, r->attnum, r->type, r->typmod, r->collation, 0);
}

// One stored expression (an index's, a CHECK's), as PostgreSQL rebuilds it:
// deparsed, parsed, analysed over the table with the new column type.
Node* reanalysed(Relation rel, Node* stored, ParseExprKind kind, Retyped* r) {
    List* context = deparse_context_for(RelationGetRelationName(rel), RelationGetRelid(rel));
    char* text = deparse_expression(stored, context, false, false);
    List* parsed = raw_parser(psprintf("SELECT %s", text), RAW_PARSE_DEFAULT);
    SelectStmt* select = (SelectStmt*)((RawStmt*)linitial(parsed))->stmt;
    Node* raw = ((ResTarget*)linitial(select->targetList))->val;
    ParseState* ps = make_parsestate(nullptr);
    ParseNamespaceItem* nsi =
        addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
    addNSItemToQuery(ps, nsi, false, true, true);
    ps->p_pre_columnref_hook = retyped_column;
    ps->p_ref_hook_state = r;
    Node* expr = transformExpr(ps, raw, kind);
    if (kind == EXPR_KIND_CHECK_CONSTRAINT)
        expr = coerce_to_boolean(ps, expr, "CHECK");
    free_parsestate(ps);
    return expr;
}

bool uses_column(Node* expr, AttrNumber attnum) {
    Bitmapset* used = nullptr;
    pull_varattnos(expr, 1, &used);
    return bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, used);
}

}  // namespace

bool dependent_definitions_refused(Relation rel, AttrNumber attnum, const char* column, Oid newtype,
                                   int32 newtypmod, const char** reason) {
    Retyped r = {column, attnum, newtype, newtypmod, get_typcollation(newtype)};
    ListCell* lc;
    foreach (lc, RelationGetIndexList(rel)) {
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
        if (!HeapTupleIsValid(tup))
            continue;
        if (!expressions_use(tup, attnum)) {
            ReleaseSysCache(tup);
            continue;
        }
        List* exprs = NIL;
        Node* pred = nullptr;
        bool isnull;
        Datum d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indexprs, &isnull);
        if (!isnull)
            exprs = (List*)stringToNode(TextDatumGetCString(d));
        d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indpred, &isnull);
        if (!isnull)
            pred = (Node*)stringToNode(TextDatumGetCString(d));
        ReleaseSysCache(tup);
        ListCell* ec;
        foreach (ec, exprs)
            if (refusal::certainly_mutable_after_planning(
                    reanalysed(rel, (Node*)lfirst(ec), EXPR_KIND_INDEX_EXPRESSION, &r))) {
                *reason = "functions in index expression must be marked IMMUTABLE";
                return true;
            }
        if (pred != nullptr && refusal::certainly_mutable_after_planning(
                                   reanalysed(rel, pred, EXPR_KIND_INDEX_PREDICATE, &r))) {
            *reason = "functions in index predicate must be marked IMMUTABLE";
            return true;
        }
    }
    TupleConstr* constr = rel->rd_att->constr;
    for (int i = 0; constr != nullptr && i < constr->num_check; ++i) {
        Node* stored = (Node*)stringToNode(constr->check[i].ccbin);
        if (uses_column(stored, attnum))
            (void)reanalysed(rel, stored, EXPR_KIND_CHECK_CONSTRAINT, &r);
    }
    return false;
}

}  // namespace schema_oracle::pg::upstream
