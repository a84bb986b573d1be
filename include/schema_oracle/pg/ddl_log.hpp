// ddl_log.hpp: the DDL audit log schema_oracle.ddl_log (docs/ddl-log.md).
//
// Rows are collected in session memory while statements run (begun at
// ddl_command_start or in the ProcessUtility hook, findings added where the
// guard reports them, object identities at ddl_command_end) and written:
//   - at PRE_COMMIT, in the committing transaction (outcome "committed");
//   - when a statement or a COMMIT is blocked, before the ERROR is raised
//     (waited for), and when a transaction aborts (launched at abort, not
//     waited for), through a dynamic background worker in a transaction of
//     its own (outcome "rolled back"), so they survive the rollback; with no
//     worker slot free, to the server log instead.
#pragma once

#include "schema_oracle/pg/ddl_commands.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/xact.h"
#include "nodes/nodes.h"
#include "nodes/pg_list.h"
#include "utils/snapshot.h"
}

namespace schema_oracle::pg {

// ProcessUtility hook: the statement being run, so that its own text (its
// slice of a multi-statement query string) can be logged; subcommand: run
// as part of the statement below it (PROCESS_UTILITY_SUBCOMMAND).
void ddl_log_push_statement(Node* stmt, const char* query_string, int location, int length,
                            bool subcommand = false);
void ddl_log_pop_statement();
// The running utility statements: how many, and the one at `level` (0 the
// outermost; NULL beyond what is kept).
int ddl_log_running_depth();
Node* ddl_log_running_statement(int level, bool* subcommand);

// A CREATE TABLE's object identities, noted as it creates its relations
// (src/pg/ddl_log_created.cpp): begun with the statement's row, forgotten
// at every statement end, abort, and at the rollback of the subtransaction
// it began in.
void ddl_log_created_begin(Node* parsetree);
void ddl_log_created_forget();
void ddl_log_created_subxact_abort(SubTransactionId mine);
// At ddl_command_end of a CREATE TABLE: what pg_event_trigger_ddl_commands()
// would report (classid, objid, command tag, object identity; each object
// once, in order), without calling it. False when this statement's
// relations were not all noted exactly (the caller then reads the function).
bool ddl_log_created_table_commands(Node* parsetree, DdlCommand** out, int* n);

// A DDL statement begins (ddl_command_start, or the hook for VACUUM FULL,
// CLUSTER, REINDEX, TRUNCATE: those fire no ddl_command_end, so pass
// fires_no_end_event). Raises nothing of its own beyond palloc.
void ddl_log_begin_statement(Node* parsetree, bool fires_no_end_event);
// A row for the verdicts judged at COMMIT / PREPARE TRANSACTION.
void ddl_log_begin_commit(bool prepare);
// A finding the guard reports for the current row (elevel NOTICE, WARNING
// or ERROR; waiver_reason non-NULL if waived).
void ddl_log_note_finding(const char* rule, int elevel, const char* waiver_reason,
                          const char* message, const char* detail, const char* hint);
// The current statement is about to be blocked (ERROR SO001): its row is
// written now, through the worker, as rolled back; at the top level (the
// error rolls the whole transaction back) every row of the transaction.
void ddl_log_blocking();
// ddl_command_end: the statement's objects (none: n = 0).
void ddl_log_end_statement(const DdlCommand* commands, int n);
// Whether the statement ending now has a row the log will write, which
// needs its object identities.
bool ddl_log_wants_objects();

// Transaction ends (called from the commit check's transaction callback).
// Writes the rows in the committing transaction; an error fails the COMMIT
// (the rows then go to the worker as rolled back).
void ddl_log_pre_commit();
// XACT_EVENT_COMMIT / PREPARE: the written rows are forgotten only now, once
// nothing can fail the commit any more (a serialization failure, another
// extension's pre-commit callback: the abort then writes them as rolled back).
void ddl_log_committed();
// ExecutorStart: a query whose range table reads the log sees the rows of
// its own transaction's earlier statements, inserted now (ahead of the
// commit) when it has some; a test of a counter otherwise.
void ddl_log_before_query(const List* range_table, Snapshot snapshot);
// XACT_EVENT_ABORT: the rows go to a background worker launched here and
// not waited for (no catalog access, no wait while the transaction's locks
// are still held); never raises.
void ddl_log_abort();
void ddl_log_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent);

// The worker's side (src/pg/ddl_log_worker.cpp): writes a JSON array of rows
// in a transaction of its own and waits for it. Returns false with the reason
// in `why` (no slot free, worker failed).
bool ddl_log_write_in_worker(const char* rows_json, Oid owner, char* why, size_t why_len);
// The same, launched and not waited for (the rows are in a pinned segment
// the worker releases); false with the reason if it could not be started.
// Takes no catalog access: usable while a transaction aborts.
bool ddl_log_launch_worker(const char* rows_json, Oid owner, char* why, size_t why_len);
// What the guard reports next belongs to no DDL row (a DML statement judged
// by the ExecutorStart hook).
void ddl_log_leave_statement();
// Whether the innermost running utility statement is DDL that runs queries
// of its own (REFRESH MATERIALIZED VIEW, CREATE TABLE AS): the executor hook
// leaves those alone; it judges what DO, CALL, EXPLAIN ANALYZE, EXECUTE run.
bool inside_ddl_statement();
// Whether the log's own INSERT is running now (hooks leave it alone).
bool ddl_log_writing();
// The INSERT both paths run, $1 = the JSON array of rows (text).
const char* ddl_log_insert_sql();

}  // namespace schema_oracle::pg
