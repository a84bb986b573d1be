// check_mutability.cpp: whether PostgreSQL's CheckMutability (indexcmds.c,
// PostgreSQL 15) certainly refuses an index expression or predicate, decided
// without planning it.
//
// CheckMutability runs expression_planner() first and then asks
// contain_mutable_functions(). Planning inlines SQL functions (a VOLATILE SQL
// function whose body is immutable passes), fills in default arguments, and
// folds constants (eval_const_expressions in clauses.c: an IMMUTABLE call
// over constants becomes a constant, a strict call with a NULL input becomes
// NULL whatever its volatility, COALESCE / CASE / AND / OR drop what a
// constant decides, a field selected from a ROW() keeps only that field;
// simplify_function lets a support function rewrite a call, and
// varchar_support drops arguments). Any of these can remove the mutable call, so the
// statement is accepted. The guard may not plan (that would run the user's
// IMMUTABLE functions), so it calls the refusal certain only where none of
// them can apply: a mutable call, and nothing in the tree that planning could
// inline, expand or fold. Everything else is "not certain": the statement is
// judged, and a refusal comes from PostgreSQL after the guard's findings (the
// safe direction; a false "refused" would let the statement past block mode
// unjudged).
#include "refusal_helpers.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/clauses.h"
#include "optimizer/optimizer.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream::refusal {

namespace {

// A function planning could inline (SQL language), complete with its
// defaults (inline_function, expand_function_arguments in clauses.c), or
// let its support function simplify (SupportRequestSimplify in
// simplify_function: varchar_support drops its other arguments).
bool planning_rewrites_call(Oid funcid, void*) {
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
    if (!HeapTupleIsValid(tup))
        return true;  // not known: not certain
    const Form_pg_proc proc = (Form_pg_proc)GETSTRUCT(tup);
    const bool rewrites =
        proc->prolang == SQLlanguageId || proc->pronargdefaults > 0 || OidIsValid(proc->prosupport);
    ReleaseSysCache(tup);
    return rewrites;
}

// True where eval_const_expressions could fold part of the tree away.
bool could_fold(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (IsA(node, Const))
        return ((Const*)node)->constisnull;  // a strict call over NULL folds
    if (IsA(node, Param) || IsA(node, CoalesceExpr) || IsA(node, CaseExpr) || IsA(node, BoolExpr) ||
        IsA(node, NullTest) || IsA(node, BooleanTest) || IsA(node, MinMaxExpr) ||
        IsA(node, FieldSelect))  // (ROW(a, now())).f1 plans to a
        return true;
    if (check_functions_in_node(node, planning_rewrites_call, context))
        return true;
    // A subtree of constants and immutable calls is evaluated to a constant,
    // which may be NULL (then a strict caller folds too).
    if (!IsA(node, Var) && !contain_var_clause(node) && !contain_mutable_functions(node))
        return true;
    return expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(could_fold)), context);
}

}  // namespace

bool certainly_mutable_after_planning(Node* expr) {
    return expr != nullptr && contain_mutable_functions(expr) && !could_fold(expr, nullptr);
}

}  // namespace schema_oracle::pg::upstream::refusal
