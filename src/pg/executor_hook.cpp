// executor_hook.cpp: the ExecutorStart hook, installed (chained) wherever the
// library is loaded, so that statement_after_access_exclusive also sees DML
// and SELECT: a migration that took ACCESS EXCLUSIVE on a big existing table
// and then runs a long UPDATE on it holds every reader off for the whole
// UPDATE. The hook costs one test of a flag unless such a lock is pending.
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/commit_check.hpp"

extern "C" {
#include "executor/executor.h"
}

namespace schema_oracle::pg {

void judge_large_dml(QueryDesc* query);  // src/pg/large_dml.cpp

namespace {

ExecutorStart_hook_type previous_executor_start = nullptr;

void guard_executor_start(QueryDesc* query, int eflags) {
    // A query reading the DDL log sees this transaction's own rows.
    if (!(eflags & EXEC_FLAG_EXPLAIN_ONLY) && query->plannedstmt != nullptr)
        ddl_log_before_query(query->plannedstmt->rtable, query->snapshot);
    // large_dml_in_migration: an UPDATE / DELETE in a transaction that ran DDL.
    if (commit_check_transaction_ran_ddl() && !(eflags & EXEC_FLAG_EXPLAIN_ONLY) &&
        !ddl_log_writing() && !inside_ddl_statement() && guard_active())
        judge_large_dml(query);
    if (guard_access_exclusive_pending() && !(eflags & EXEC_FLAG_EXPLAIN_ONLY) &&
        !ddl_log_writing() && !inside_ddl_statement() && guard_active() &&
        query->plannedstmt != nullptr && query->plannedstmt->commandType != CMD_UTILITY) {
        ddl_log_leave_statement();  // the DDL log records DDL only
        guard_judge_statement(reinterpret_cast<Node*>(query->plannedstmt));
    }
    if (previous_executor_start)
        previous_executor_start(query, eflags);
    else
        standard_ExecutorStart(query, eflags);
}

}  // namespace

void init_executor_hook() {
    previous_executor_start = ExecutorStart_hook;
    ExecutorStart_hook = guard_executor_start;
}

}  // namespace schema_oracle::pg
