// new_columns.cpp: expressions over columns that the same ALTER TABLE adds.
//
// `ALTER TABLE t ADD COLUMN c int CHECK (c > 0)` and `ALTER TABLE t ADD
// COLUMN c int, ADD CHECK (c > 0)` name a column the relation does not have
// yet, so analysing the CHECK over the relation fails ("column does not
// exist") and the guard would go silent on a statement that scans the whole
// table. Here the expression is analysed over the relation with the added
// columns appended after its own (a post-columnref hook resolves their names
// to Vars of their declared types), and deparsed against a range-table entry
// whose column names are the relation's followed by the added ones, so the
// hint rebuilds the CHECK exactly as the user wrote it. Nothing is executed:
// transformExpr only resolves names, operators and types.
#include "extract.hpp"

extern "C" {
#include "catalog/pg_attribute.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "nodes/plannodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_expr.h"
#include "parser/parse_relation.h"
#include "parser/parse_type.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
}

namespace schema_oracle::pg::extract {

namespace {

struct AddedColumns {
    List* columns;  // ColumnDef* of the ADD COLUMN sub-commands so far
    int natts;      // the relation's own attribute count
    bool used;      // the expression names one of them
};

// The type ADD COLUMN gives the column (serial types are integers).
bool added_column_type(ColumnDef* cd, Oid* typid, int32* typmod) {
    switch (serial_kind(cd->typeName)) {
        case 2:
            *typid = INT2OID;
            *typmod = -1;
            return true;
        case 4:
            *typid = INT4OID;
            *typmod = -1;
            return true;
        case 8:
            *typid = INT8OID;
            *typmod = -1;
            return true;
        default:
            return type_of(cd->typeName, typid, typmod);
    }
}

// Called only for a name the relation does not have (var == nullptr).
Node* resolve_added_column(ParseState* ps, ColumnRef* cref, Node* var) {
    if (var != nullptr)
        return nullptr;
    AddedColumns* added = static_cast<AddedColumns*>(ps->p_ref_hook_state);
    Node* last = (Node*)llast(cref->fields);
    if (!IsA(last, String) || list_length(cref->fields) > 3)
        return nullptr;
    const char* name = strVal(last);
    int k = 0;
    ListCell* lc;
    foreach (lc, added->columns) {
        ColumnDef* cd = (ColumnDef*)lfirst(lc);
        ++k;
        if (strcmp(cd->colname, name) != 0)
            continue;
        Oid typid;
        int32 typmod;
        if (!added_column_type(cd, &typid, &typmod))
            return nullptr;  // PostgreSQL reports the unknown type itself
        added->used = true;
        return (Node*)makeVar(1, (AttrNumber)(added->natts + k), typid, typmod,
                              get_typcollation(typid), 0);
    }
    return nullptr;
}

}  // namespace

char* deparse_with_added_columns(Node* raw, Oid relid, List* added, ParseExprKind kind,
                                 bool* used_added, const char** only_column) {
    if (used_added != nullptr)
        *used_added = false;
    if (only_column != nullptr)
        *only_column = nullptr;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return pstrdup("...");
    if (!lock_for_analysis(relid)) {
        RelationClose(rel);
        return pstrdup("...");
    }
    AddedColumns state = {added, RelationGetNumberOfAttributes(rel), false};
    ParseState* ps = make_parsestate(nullptr);
    ParseNamespaceItem* nsi =
        addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
    addNSItemToQuery(ps, nsi, false, true, true);
    if (added != NIL) {
        ps->p_post_columnref_hook = resolve_added_column;
        ps->p_ref_hook_state = &state;
    }
    Node* e = transformExpr(ps, (Node*)copyObjectImpl(raw), kind);

    // The one column the expression names, if only one: PostgreSQL names an
    // unnamed CHECK <table>_<column>_check then, else <table>_check
    // (AddRelationNewConstraints, heap.c, PostgreSQL 15).
    List* vars = list_union(NIL, pull_var_clause(e, 0));
    if (only_column != nullptr && list_length(vars) == 1) {
        const AttrNumber attnum = ((Var*)linitial(vars))->varattno;
        if (attnum > 0 && attnum <= state.natts)
            *only_column = get_attname(relid, attnum, true);
        else if (attnum > state.natts && attnum - state.natts <= list_length(added))
            *only_column = ((ColumnDef*)list_nth(added, attnum - state.natts - 1))->colname;
    }

    List* ctx;
    if (!state.used) {
        ctx = deparse_context_for(RelationGetRelationName(rel), relid);
    } else {
        // The relation's columns, then the added ones, as one range-table
        // entry whose names ruleutils reads from eref (it reads a
        // relation's from its tuple descriptor, which has no room for them).
        List* names = NIL;
        TupleDesc desc = RelationGetDescr(rel);
        for (int i = 0; i < desc->natts; ++i) {
            Form_pg_attribute att = TupleDescAttr(desc, i);
            names =
                lappend(names, makeString(pstrdup(att->attisdropped ? "" : NameStr(att->attname))));
        }
        ListCell* lc;
        foreach (lc, added)
            names = lappend(names, makeString(pstrdup(((ColumnDef*)lfirst(lc))->colname)));
        RangeTblEntry* rte = makeNode(RangeTblEntry);
        rte->rtekind = RTE_VALUES;
        rte->eref = makeAlias(RelationGetRelationName(rel), names);
        rte->inFromCl = true;
        PlannedStmt* plan = makeNode(PlannedStmt);
        plan->rtable = list_make1(rte);
        ctx =
            deparse_context_for_plan_tree(plan, list_make1(pstrdup(RelationGetRelationName(rel))));
    }
    char* s = deparse_expression(e, ctx, false, false);
    if (used_added != nullptr)
        *used_added = state.used;
    free_parsestate(ps);
    unlock_after_analysis(relid);
    RelationClose(rel);
    return s;
}

}  // namespace schema_oracle::pg::extract
