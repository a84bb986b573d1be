// utility_hook.cpp: the ProcessUtility hook, for the statements PostgreSQL 15
// runs without firing event triggers (VACUUM FULL, CLUSTER, REINDEX,
// TRUNCATE). Installed whenever the library is loaded (shared_ or
// session_preload_libraries, LOAD, or the first call of one of our
// functions); see docs/guard.md for making that true in every session.
//
// Which statements it judges comes from the one table of statement kinds
// (src/pg/statement_kinds.cpp), so no statement is judged by both this hook
// and the ddl_command_start event trigger. The judging itself runs its C++
// inside the boundary (guard_judge_statement). In a database
// without the extension it does nothing beyond one cached lookup.
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/postgres.hpp"
#include "schema_oracle/pg/user_code.hpp"

extern "C" {
#include "access/xact.h"
#include "commands/defrem.h"
#include "commands/extension.h"
#include "storage/proc.h"
#include "tcop/utility.h"
}

namespace schema_oracle::pg {

namespace {

ProcessUtility_hook_type previous_hook = nullptr;

// "Is the extension created in this database?", cached per transaction,
// subtransaction and command id: any catalog change in the transaction
// (CREATE/DROP EXTENSION included) advances the command id and forces a new
// lookup. ROLLBACK TO SAVEPOINT undoes catalog changes without advancing the
// command id, but it starts a new subtransaction (subtransaction ids are
// never reused within a transaction), so the subtransaction id catches it.
LocalTransactionId cached_lxid = InvalidLocalTransactionId;
SubTransactionId cached_subid = InvalidSubTransactionId;
CommandId cached_cid = InvalidCommandId;
bool cached_present = false;

bool extension_present() {
    LocalTransactionId lxid = MyProc->lxid;
    SubTransactionId subid = GetCurrentSubTransactionId();
    CommandId cid = GetCurrentCommandId(false);
    if (lxid != cached_lxid || subid != cached_subid || cid != cached_cid) {
        cached_present = OidIsValid(get_extension_oid("schema_oracle", true));
        cached_lxid = lxid;
        cached_subid = subid;
        cached_cid = cid;
    }
    return cached_present;
}

void guard_process_utility(PlannedStmt* pstmt, const char* query_string, bool read_only_tree,
                           ProcessUtilityContext context, ParamListInfo params,
                           QueryEnvironment* query_env, DestReceiver* dest, QueryCompletion* qc) {
    Node* stmt = pstmt->utilityStmt;
    guard_refuse_during_analysis(stmt);  // nothing runs unjudged inside the guard's analysis
    // DDL log: the statement's own text, for its row and for the event
    // triggers it fires (pushed first: the row of a statement judged here
    // takes its text from it too).
    ddl_log_push_statement(stmt, query_string, pstmt->stmt_location, pstmt->stmt_len,
                           context == PROCESS_UTILITY_SUBCOMMAND);
    PG_TRY();
    {
        if (context != PROCESS_UTILITY_SUBCOMMAND && guard_judged_by_utility_hook(stmt) &&
            guard_active() && extension_present()) {
            ddl_log_begin_statement(stmt, true);  // DDL log row (no ddl_command_end follows)
            guard_judge_statement(stmt);
        }
        if (previous_hook)
            previous_hook(pstmt, query_string, read_only_tree, context, params, query_env, dest,
                          qc);
        else
            standard_ProcessUtility(pstmt, query_string, read_only_tree, context, params, query_env,
                                    dest, qc);
    }
    PG_FINALLY();
    { ddl_log_pop_statement(); }
    PG_END_TRY();
}

}  // namespace

void init_hooks() {
    previous_hook = ProcessUtility_hook;
    ProcessUtility_hook = guard_process_utility;
    init_executor_hook();  // statement_after_access_exclusive sees DML (src/pg/executor_hook.cpp)
    init_guard_state();
    init_user_code_hooks();  // the guard's analysis never runs user code (src/pg/user_code.cpp)
}

}  // namespace schema_oracle::pg
