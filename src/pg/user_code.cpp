// user_code.cpp: the guard's analysis never runs a function the user wrote
// (include/schema_oracle/pg/user_code.hpp): the walker that tells an
// expression calls user code, and the fmgr hook that refuses to start such a
// function while the analysis runs.
#include "schema_oracle/pg/user_code.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "fmgr.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
}

namespace schema_oracle::pg {

namespace {

// How many analyses that refuse user code are running (they may nest: the
// guard's extraction and check()'s).
int refusing = 0;
bool callback_registered = false;
needs_fmgr_hook_type previous_needs_hook = nullptr;
fmgr_hook_type previous_hook = nullptr;

void on_xact_end(XactEvent event, void*) {
    if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
        event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
        event == XACT_EVENT_PREPARE)
        refusing = 0;
}

bool user_code_checker(Oid funcid, void*) {
    return function_is_user_code(funcid);
}

bool walker(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (check_functions_in_node(node, user_code_checker, context))
        return true;
    // A domain's CHECK constraints run when the coercion is evaluated, and
    // they may call anything: the expression is not known to be safe.
    if (IsA(node, CoerceToDomain) && DomainHasConstraints(((CoerceToDomain*)node)->resulttype))
        return true;
    // Subqueries are refused by PostgreSQL in the expressions the guard
    // analyses; if one shows up, it is not folded either.
    if (IsA(node, SubLink) || IsA(node, SubPlan) || IsA(node, Query))
        return true;
    return expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(walker)), context);
}

// needs_fmgr_hook: asked whenever PostgreSQL looks a non-built-in function
// up to call it. Only while an analysis runs does the guard want to see the
// call (the lookup is then routed through fmgr_security_definer, which calls
// fmgr_hook before the function starts).
bool needs_hook(Oid fn_oid) {
    if (previous_needs_hook != nullptr && previous_needs_hook(fn_oid))
        return true;
    return refusing > 0 && function_is_user_code(fn_oid);
}

void hook(FmgrHookEventType event, FmgrInfo* flinfo, Datum* arg) {
    // A lookup made during an analysis may be cached (a type's or a
    // relation's cache entry) and called later: only a call that starts
    // while an analysis runs is refused.
    if (event == FHET_START && refusing > 0 && function_is_user_code(flinfo->fn_oid))
        ereport(ERROR,
                (errcode(SO_ERRCODE_USER_CODE_REFUSED),
                 errmsg("schema_oracle: the guard's analysis does not run user code (function %s)",
                        format_procedure(flinfo->fn_oid)),
                 errdetail("Deciding this statement's facts would call a function written in a "
                           "procedural or SQL language; the guard never runs the user's code.")));
    if (previous_hook != nullptr)
        previous_hook(event, flinfo, arg);
}

}  // namespace

bool function_is_user_code(Oid funcid) {
    if (funcid < FirstNormalObjectId)
        return false;  // PostgreSQL's own (initdb)
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(funcid));
    if (!HeapTupleIsValid(tup))
        return true;
    const Oid lang = ((Form_pg_proc)GETSTRUCT(tup))->prolang;
    ReleaseSysCache(tup);
    return lang != INTERNALlanguageId && lang != ClanguageId;
}

bool expression_runs_user_code(Node* expr) {
    return walker(expr, nullptr);
}

void user_code_refused_begin() {
    ++refusing;
}

void user_code_refused_end() {
    if (refusing > 0)
        --refusing;
}

bool user_code_refused() {
    return refusing > 0;
}

void init_user_code_hooks() {
    if (callback_registered)
        return;
    previous_needs_hook = needs_fmgr_hook;
    previous_hook = fmgr_hook;
    needs_fmgr_hook = needs_hook;
    fmgr_hook = hook;
    RegisterXactCallback(on_xact_end, nullptr);
    callback_registered = true;
}

}  // namespace schema_oracle::pg
