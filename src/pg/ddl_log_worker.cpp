// ddl_log_worker.cpp: writing DDL log rows in a transaction of their own,
// through a dynamic background worker fed by a DSM segment (the way
// pg_background runs SQL in another backend): no shared_preload_libraries
// needed, one worker per write, waited for.
//
// Used when the writing transaction will not commit: a blocked statement
// (written and waited for before its ERROR is raised) and an aborting
// transaction (launched from XACT_EVENT_ABORT and not waited for: the
// backend still holds the transaction's locks there, which the worker may
// need, and the rows are already in the segment). The worker
// connects to the same database and runs, as the log's owner, the same
// INSERT as the committing path (ddl_log_insert_sql()).
#include "schema_oracle/pg/ddl_log.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "port/atomics.h"
#include "postmaster/bgworker.h"
#include "storage/dsm.h"
#include "storage/ipc.h"
#include "storage/proc.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/wait_event.h"
#include "storage/latch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

PGDLLEXPORT void schema_oracle_bgw_ddl_log(Datum main_arg);
}

namespace schema_oracle::pg {

namespace {

constexpr uint32 segment_magic = 0x534f444c;  // "SODL"

struct Segment {
    uint32 magic;
    Oid database;
    Oid role;
    volatile int status;  // 0 = not done, 1 = written
    bool pinned;          // launched without waiting: the worker unpins it
    Size length;          // of the JSON text that follows
    char error[256];      // the worker's error, if any
    char json[FLEXIBLE_ARRAY_MEMBER];
};

}  // namespace

namespace {

// A segment holding `rows_json`, mapped for the session (no resource owner:
// this may run while the transaction's resource owner is being released),
// or NULL with the reason in `why`.
dsm_segment* segment_with(const char* rows_json, Oid owner, bool waited, char* why,
                          size_t why_len) {
    const Size length = strlen(rows_json);
    ResourceOwner saved_owner = CurrentResourceOwner;
    CurrentResourceOwner = nullptr;
    dsm_segment* seg =
        dsm_create(offsetof(Segment, json) + length + 1, DSM_CREATE_NULL_IF_MAXSEGMENTS);
    CurrentResourceOwner = saved_owner;
    if (seg == nullptr) {
        strlcpy(why, "no dynamic shared memory segment available", why_len);
        return nullptr;
    }
    auto* s = static_cast<Segment*>(dsm_segment_address(seg));
    s->magic = segment_magic;
    s->database = MyDatabaseId;
    s->role = owner;
    s->status = 0;
    s->pinned = !waited;
    s->length = length;
    s->error[0] = '\0';
    memcpy(s->json, rows_json, length + 1);
    return seg;
}

void describe_worker(BackgroundWorker* worker, dsm_segment* seg, bool waited) {
    memset(worker, 0, sizeof *worker);
    worker->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
    worker->bgw_start_time = BgWorkerStart_ConsistentState;
    worker->bgw_restart_time = BGW_NEVER_RESTART;
    strlcpy(worker->bgw_library_name, "schema_oracle", BGW_MAXLEN);
    strlcpy(worker->bgw_function_name, "schema_oracle_bgw_ddl_log", BGW_MAXLEN);
    snprintf(worker->bgw_name, BGW_MAXLEN, "schema_oracle ddl_log writer for PID %d", MyProcPid);
    strlcpy(worker->bgw_type, "schema_oracle ddl_log writer", BGW_MAXLEN);
    worker->bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));
    worker->bgw_notify_pid = waited ? MyProcPid : 0;
}

}  // namespace

bool ddl_log_write_in_worker(const char* rows_json, Oid owner, char* why, size_t why_len) {
    dsm_segment* seg = segment_with(rows_json, owner, true, why, why_len);
    if (seg == nullptr)
        return false;
    auto* s = static_cast<Segment*>(dsm_segment_address(seg));
    BackgroundWorker worker;
    describe_worker(&worker, seg, true);
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    BackgroundWorkerHandle* handle = nullptr;
    bool ok = RegisterDynamicBackgroundWorker(&worker, &handle);
    MemoryContextSwitchTo(old);
    if (!ok) {
        strlcpy(why, "no background worker slot free (max_worker_processes)", why_len);
        dsm_detach(seg);
        return false;
    }
    // Bounded wait: the worker may need a lock this backend holds (a
    // catalog an earlier statement of the transaction locked), and the
    // deadlock detector cannot see a backend waiting on its worker. The
    // worker gives up on locks after lock_timeout; past max_wait we stop it.
    constexpr long max_wait_ms = 10000;
    long waited = 0;
    bool timed_out = false;
    BgwHandleStatus status;
    for (;;) {
        pid_t pid;
        status = GetBackgroundWorkerPid(handle, &pid);
        if (status == BGWH_STOPPED || status == BGWH_POSTMASTER_DIED)
            break;
        if (waited >= max_wait_ms) {
            TerminateBackgroundWorker(handle);
            timed_out = true;
            break;
        }
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50,
                        PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
        waited += 50;
    }
    pfree(handle);
    pg_read_barrier();
    bool written = status == BGWH_STOPPED && s->status == 1;
    if (!written)
        snprintf(why, why_len, "%s%s%s",
                 timed_out ? "the background worker did not finish within 10 s"
                           : "the background worker failed",
                 s->error[0] ? ": " : "", s->error);
    dsm_detach(seg);
    return written;
}

bool ddl_log_launch_worker(const char* rows_json, Oid owner, char* why, size_t why_len) {
    dsm_segment* seg = segment_with(rows_json, owner, false, why, why_len);
    if (seg == nullptr)
        return false;
    // Pinned: the segment outlives our detaching below; the worker unpins
    // it once attached, and it goes away when the worker detaches.
    dsm_pin_segment(seg);
    const dsm_handle handle = dsm_segment_handle(seg);
    BackgroundWorker worker;
    describe_worker(&worker, seg, false);
    if (!RegisterDynamicBackgroundWorker(&worker, nullptr)) {
        strlcpy(why, "no background worker slot free (max_worker_processes)", why_len);
        dsm_unpin_segment(handle);
        dsm_detach(seg);
        return false;
    }
    dsm_detach(seg);
    return true;
}

}  // namespace schema_oracle::pg

using namespace schema_oracle::pg;

// The worker: attach, connect, insert, report, exit. Errors end the
// process (the backend then falls back to the server log).
void schema_oracle_bgw_ddl_log(Datum main_arg) {
    pqsignal(SIGTERM, die);
    BackgroundWorkerUnblockSignals();
    dsm_segment* seg = dsm_attach(DatumGetUInt32(main_arg));
    if (seg == nullptr)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("schema_oracle: DDL log segment is gone")));
    auto* s = static_cast<Segment*>(dsm_segment_address(seg));
    if (s->magic != segment_magic)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("schema_oracle: bad DDL log segment")));
    // Launched without waiting (a rolled-back transaction): nobody else
    // holds the segment now; it goes away when we detach (or exit).
    if (s->pinned)
        dsm_unpin_segment(dsm_segment_handle(seg));
    // Never wait long for a lock, not even while connecting: the backend
    // that started us may hold one we need, and it waits for us.
    SetConfigOption("lock_timeout", "5s", PGC_SUSET, PGC_S_OVERRIDE);
    SetConfigOption("statement_timeout", "8s", PGC_SUSET, PGC_S_OVERRIDE);
    // A database (or the server) set default_transaction_read_only = on
    // still has its migrations' rows: its sessions ran DDL in read-write
    // transactions, and the log's row of a rolled-back one is written here.
    SetConfigOption("default_transaction_read_only", "off", PGC_SUSET, PGC_S_OVERRIDE);
    PG_TRY();
    {
        // Connected without a role (a background worker then runs as the
        // bootstrap superuser, with no login check), then the INSERT runs as
        // the log's owner: an owner that cannot log in (a NOLOGIN owner role,
        // common for extension owners) would otherwise fail the connection,
        // and the rows would only reach the server log.
        BackgroundWorkerInitializeConnectionByOid(s->database, InvalidOid, 0);
        SetCurrentStatementStartTimestamp();
        StartTransactionCommand();
        Oid saved_user = InvalidOid;
        int saved_context = 0;
        GetUserIdAndSecContext(&saved_user, &saved_context);
        SetUserIdAndSecContext(
            s->role, saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
        PushActiveSnapshot(GetTransactionSnapshot());
        // The aborting backend still holds its locks while it waits for us:
        // never wait long for one.
        SPI_execute("SET LOCAL search_path = pg_catalog, pg_temp", false, 0);
        Oid type = TEXTOID;
        Datum value = CStringGetTextDatum(s->json);
        if (SPI_execute_with_args(ddl_log_insert_sql(), 1, &type, &value, nullptr, false, 0) !=
            SPI_OK_INSERT)
            elog(ERROR, "could not insert into schema_oracle.ddl_log");
        SPI_finish();
        PopActiveSnapshot();
        SetUserIdAndSecContext(saved_user, saved_context);
        CommitTransactionCommand();
    }
    PG_CATCH();
    {
        ErrorData* edata = CopyErrorData();
        strlcpy(s->error, edata->message ? edata->message : "unknown error", sizeof s->error);
        // Nobody waits for a launched worker to fall back for it: the rows
        // go to the server log here, with the error (which follows).
        if (s->pinned)
            ereport(LOG, (errmsg("schema_oracle: could not write DDL log row(s) to "
                                 "schema_oracle.ddl_log (%s); the rows follow",
                                 s->error),
                          errdetail_internal("%s", s->json)));
        PG_RE_THROW();
    }
    PG_END_TRY();
    pg_write_barrier();
    s->status = 1;
    dsm_detach(seg);
    proc_exit(0);
}
