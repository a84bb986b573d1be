// backfill_run.cpp: the batch driver of backfill() and backfill_resume().
//
// One batch = one transaction: find the last key of the next N keys, UPDATE
// the key range (last key done, that key] with the user's clauses, record the
// new last key in the job's row, COMMIT. Because the job row changes in the
// batch's own transaction, what it says is always exactly what has been
// committed: a resume after a cancel, a killed backend or a crash continues
// after the last committed key and updates every row exactly once.
//
// Each step runs inside an internal subtransaction (as PL/pgSQL runs a block
// with an EXCEPTION clause), so a failed batch is rolled back on its own: a
// lock timeout, deadlock or serialization failure is retried after a backoff
// with a smaller batch; any other error marks the job failed (a cancel:
// cancelled) in a transaction of its own, then is re-raised unchanged.
//
// This file is C in C++ clothing on purpose: it commits and catches
// PostgreSQL errors, so no C++ object with a destructor lives in these
// frames (docs/development.md). The pure pacing is a trivially destructible
// struct from core/backfill.hpp; strings from the core cross cpp_boundary.
#include <type_traits>

#include "schema_oracle/core/backfill.hpp"
#include "schema_oracle/pg/backfill.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_authid_d.h"
#include "catalog/pg_type.h"
#include "common/pg_prng.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "storage/lock.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
}

namespace schema_oracle::pg::backfill {

namespace cb = core::backfill;
static_assert(std::is_trivially_destructible_v<cb::Pacer>,
              "the pacer lives in frames that PostgreSQL errors may longjmp through");

namespace {

// pg_locks shows a running job as an advisory lock (classid, objid, 2) =
// (this key, job_id): docs/backfill.md.
constexpr int32 advisory_key = 0x536F4246;  // "SoBF"

struct Driver {
    int job_id;
    const char* job_label;  // "backfill job 7" or "backfill job 7 (name)"
    Table t;
    Statements sql;
    Options o;
    const char* set_clause;
    const char* where_clause;
    const char* search_path;
    bool locked;

    SPIPlanPtr fetch_first, fetch_next, update_first, update_next, job_update, predicate;
    MemoryContext run_cxt, batch_cxt, err_cxt, key_cxt[2];
    int key_slot;  // key_cxt[key_slot] holds lo
    Datum* lo;
    bool have_lo;
    Datum* end;
    bool have_end;

    // one batch
    Datum* hi;
    bool got_hi;
    int64 batch_rows;
    TimestampTz batch_t0;  // when the batch started (its row's max_batch_ms)
    double throttled_s;    // waited since the last recorded batch
    // throttling
    const char* throttle_reason;
    int throttle_kind;  // 1 replica, 2 autovacuum, 3 throttle_while
    double sleep_ms;
    // finishing
    const char* final_state;
    const char* final_error;
    // retries
    const char* retry_error;

    cb::Pacer pacer;
    int64 rows_before, keys_before, batches_before;
    int64 rows_run, keys_run, batches_run, retries_run;
    double max_batch_ms;
    double throttled_total_s;
    TimestampTz started, last_progress;
};

double ms_since(TimestampTz t) {
    return static_cast<double>(GetCurrentTimestamp() - t) / 1000.0;
}

// --- protected steps -------------------------------------------------------

using Step = void (*)(Driver*);

// Runs one step in an internal subtransaction. Returns NULL, or the error
// (copied into err_cxt) after the subtransaction was rolled back.
ErrorData* protect(Driver* d, Step step) {
    MemoryContext cxt = CurrentMemoryContext;
    ResourceOwner owner = CurrentResourceOwner;
    ErrorData* volatile edata = nullptr;
    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(cxt);
    PG_TRY();
    {
        step(d);
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
    }
    PG_CATCH();
    {
        MemoryContextSwitchTo(d->err_cxt);
        edata = CopyErrorData();
        FlushErrorState();
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
    }
    PG_END_TRY();
    return edata;
}

bool retryable(const ErrorData* e) {
    return e->sqlerrcode == ERRCODE_LOCK_NOT_AVAILABLE ||
           e->sqlerrcode == ERRCODE_T_R_DEADLOCK_DETECTED ||
           e->sqlerrcode == ERRCODE_T_R_SERIALIZATION_FAILURE;
}

void set_lock_timeout(const Driver* d) {
    char buf[32];
    snprintf(buf, sizeof buf, "%d", static_cast<int>(d->o.lock_timeout_ms));
    (void)set_config_option("lock_timeout", buf, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true,
                            0, false);
}

// Key values <-> the text[] kept in the job row, in the pinned output
// formats (push_internal_settings), so a resume in a session with another
// DateStyle reads them back exactly.
Datum keys_to_text_array(const Driver* d, const Datum* keys) {
    Datum* texts = static_cast<Datum*>(palloc(sizeof(Datum) * d->t.nkeys));
    for (int i = 0; i < d->t.nkeys; ++i)
        texts[i] = CStringGetTextDatum(OidOutputFunctionCall(d->t.key_output[i], keys[i]));
    return PointerGetDatum(construct_array(texts, d->t.nkeys, TEXTOID, -1, false, TYPALIGN_INT));
}

Datum* text_array_to_keys(const Driver* d, Datum array, MemoryContext into) {
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(DatumGetArrayTypeP(array), TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls,
                      &n);
    if (n != d->t.nkeys)
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("%s has a recorded key of %d columns; the primary key has %d",
                               d->job_label, n, d->t.nkeys)));
    MemoryContext old = MemoryContextSwitchTo(into);
    Datum* keys = static_cast<Datum*>(palloc(sizeof(Datum) * n));
    int level = push_internal_settings();
    for (int i = 0; i < n; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                            errmsg("%s has a NULL in its recorded key", d->job_label)));
        keys[i] = OidInputFunctionCall(d->t.key_input[i], TextDatumGetCString(elems[i]),
                                       d->t.key_ioparam[i], -1);
    }
    pop_settings(level);
    MemoryContextSwitchTo(old);
    return keys;
}

// Copies row 0 of SPI_tuptable's key columns into `into`.
Datum* copy_keys(const Driver* d, MemoryContext into) {
    MemoryContext old = MemoryContextSwitchTo(into);
    Datum* keys = static_cast<Datum*>(palloc(sizeof(Datum) * d->t.nkeys));
    for (int i = 0; i < d->t.nkeys; ++i) {
        bool isnull;
        Datum v = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &isnull);
        if (isnull)
            elog(ERROR, "primary key column %s is NULL", d->t.key_sql[i]);
        keys[i] = datumCopy(v, d->t.key_typbyval[i], d->t.key_typlen[i]);
    }
    MemoryContextSwitchTo(old);
    return keys;
}

void spi_check(int rc, const char* what) {
    if (rc < 0)
        elog(ERROR, "SPI failed (%d) in %s", rc, what);
}

// One batch: the last key of the next batch, the UPDATE, the job row.
void step_batch(Driver* d) {
    const int n = d->t.nkeys;
    Datum* args = static_cast<Datum*>(palloc(sizeof(Datum) * (2 * n + 1)));
    int nargs = 0;
    if (d->have_lo)
        for (int i = 0; i < n; ++i) args[nargs++] = d->lo[i];
    for (int i = 0; i < n; ++i) args[nargs++] = d->end[i];
    args[nargs++] = Int64GetDatum(d->pacer.batch_size);

    int level = push_internal_settings();
    set_lock_timeout(d);
    spi_check(
        SPI_execute_plan(d->have_lo ? d->fetch_next : d->fetch_first, args, nullptr, false, 1),
        "fetch");
    d->got_hi = SPI_processed > 0;
    if (d->got_hi) {
        MemoryContextReset(d->key_cxt[1 - d->key_slot]);
        d->hi = copy_keys(d, d->key_cxt[1 - d->key_slot]);
    }
    SPI_freetuptable(SPI_tuptable);
    pop_settings(level);
    if (!d->got_hi)
        return;

    nargs = 0;
    if (d->have_lo)
        for (int i = 0; i < n; ++i) args[nargs++] = d->lo[i];
    for (int i = 0; i < n; ++i) args[nargs++] = d->hi[i];
    level = push_user_search_path(d->search_path);
    set_lock_timeout(d);
    spi_check(
        SPI_execute_plan(d->have_lo ? d->update_next : d->update_first, args, nullptr, false, 0),
        "update");
    d->batch_rows = static_cast<int64>(SPI_processed);
    pop_settings(level);

    level = push_internal_settings();
    Datum jargs[8] = {Int32GetDatum(d->job_id),
                      keys_to_text_array(d, d->hi),
                      Int64GetDatum(d->batch_rows),
                      Int64GetDatum(d->pacer.batch_size),
                      Int32GetDatum(static_cast<int32>(d->pacer.batch_size)),
                      Float8GetDatum(ms_since(d->batch_t0)),
                      Float8GetDatum(d->throttled_s),
                      Int32GetDatum(MyProcPid)};
    spi_check(SPI_execute_plan(d->job_update, jargs, nullptr, false, 0), "job update");
    if (SPI_processed != 1)
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("%s: its row in schema_oracle.backfill_jobs is gone", d->job_label)));
    pop_settings(level);
}

void step_sleep(Driver* d) {
    TimestampTz until = GetCurrentTimestamp() + static_cast<int64>(d->sleep_ms * 1000.0);
    for (;;) {
        CHECK_FOR_INTERRUPTS();
        long left = TimestampDifferenceMilliseconds(GetCurrentTimestamp(), until);
        if (left <= 0)
            break;
        (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
                        left > 1000 ? 1000 : left, PG_WAIT_EXTENSION);
        ResetLatch(MyLatch);
    }
}

const char* size_text(double bytes) {
    if (bytes >= 1024.0 * 1024 * 1024)
        return psprintf("%.1f GB", bytes / (1024.0 * 1024 * 1024));
    if (bytes >= 1024.0 * 1024)
        return psprintf("%.1f MB", bytes / (1024.0 * 1024));
    if (bytes >= 1024.0)
        return psprintf("%.1f kB", bytes / 1024.0);
    return psprintf("%.0f bytes", bytes);
}

// Why the next batch must wait, or NULL.
void step_throttle(Driver* d) {
    d->throttle_reason = nullptr;
    d->throttle_kind = 0;
    int level = push_internal_settings();
    if (d->o.max_lag_ms >= 0 || d->o.max_lag_bytes >= 0) {
        // Physical standbys only: a logical walsender always streams from a
        // logical slot.
        spi_check(
            SPI_execute("SELECT r.application_name, "
                        "pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), r.replay_lsn)"
                        "::pg_catalog.float8, "
                        "(pg_catalog.date_part('epoch', r.replay_lag) * 1000)::pg_catalog.float8 "
                        "FROM pg_catalog.pg_stat_replication r "
                        "WHERE r.replay_lsn IS NOT NULL AND NOT EXISTS (SELECT FROM "
                        "pg_catalog.pg_replication_slots s WHERE s.active_pid = r.pid "
                        "AND s.slot_type = 'logical')",
                        true, 0),
            "replica lag");
        for (uint64 i = 0; i < SPI_processed && d->throttle_reason == nullptr; ++i) {
            HeapTuple tup = SPI_tuptable->vals[i];
            bool null_bytes, null_lag;
            double bytes =
                DatumGetFloat8(SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &null_bytes));
            double lag = DatumGetFloat8(SPI_getbinval(tup, SPI_tuptable->tupdesc, 3, &null_lag));
            const char* name = SPI_getvalue(tup, SPI_tuptable->tupdesc, 1);
            if (name == nullptr || *name == '\0')
                name = "(no application_name)";
            d->throttle_kind = 1;
            if (!null_bytes && d->o.max_lag_bytes >= 0 && bytes > d->o.max_lag_bytes)
                d->throttle_reason =
                    psprintf("replica \"%s\" has %s of WAL still to replay (limit %s)", name,
                             size_text(bytes), size_text(d->o.max_lag_bytes));
            else if (!null_lag && d->o.max_lag_ms >= 0 && lag > d->o.max_lag_ms)
                d->throttle_reason = psprintf("replica \"%s\" replay lag is %.1f s (limit %.1f s)",
                                              name, lag / 1000.0, d->o.max_lag_ms / 1000.0);
        }
        SPI_freetuptable(SPI_tuptable);
    }
    if (d->throttle_reason == nullptr && d->o.throttle_autovacuum) {
        Oid argtypes[1] = {OIDOID};
        Datum args[1] = {ObjectIdGetDatum(d->t.relid)};
        spi_check(SPI_execute_with_args(
                      "SELECT p.pid, p.relid::pg_catalog.regclass::pg_catalog.text "
                      "FROM pg_catalog.pg_stat_progress_vacuum p "
                      "JOIN pg_catalog.pg_stat_activity a ON a.pid = p.pid "
                      "WHERE a.backend_type = 'autovacuum worker' AND (p.relid = $1 OR p.relid IN "
                      "(SELECT relid FROM pg_catalog.pg_partition_tree($1))) LIMIT 1",
                      1, argtypes, args, nullptr, true, 1),
                  "autovacuum");
        if (SPI_processed > 0)
            d->throttle_kind = 2;
        if (SPI_processed > 0)
            d->throttle_reason =
                psprintf("autovacuum (PID %s) is vacuuming %s",
                         SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1),
                         SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
        SPI_freetuptable(SPI_tuptable);
    }
    pop_settings(level);
    if (d->throttle_reason == nullptr && d->predicate != nullptr) {
        level = push_user_search_path(d->search_path);
        spi_check(SPI_execute_plan(d->predicate, nullptr, nullptr, false, 1), "throttle_while");
        bool isnull;
        bool wait =
            SPI_processed > 0 &&
            DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) &&
            !isnull;
        SPI_freetuptable(SPI_tuptable);
        pop_settings(level);
        if (wait)
            d->throttle_kind = 3;
        if (wait)
            d->throttle_reason = psprintf("throttle_while is true: %s", d->o.throttle_while);
    }
}

void step_note_retry(Driver* d) {
    int level = push_internal_settings();
    Oid types[2] = {INT4OID, TEXTOID};
    Datum args[2] = {Int32GetDatum(d->job_id), CStringGetTextDatum(d->retry_error)};
    spi_check(SPI_execute_with_args(
                  "UPDATE schema_oracle.backfill_jobs SET retries = retries + 1, last_error = $2, "
                  "updated_at = pg_catalog.clock_timestamp() WHERE job_id = $1",
                  2, types, args, nullptr, false, 0),
              "job retry");
    pop_settings(level);
}

void step_finish(Driver* d) {
    int level = push_internal_settings();
    Oid types[3] = {INT4OID, TEXTOID, TEXTOID};
    Datum args[3] = {Int32GetDatum(d->job_id), CStringGetTextDatum(d->final_state),
                     d->final_error ? CStringGetTextDatum(d->final_error) : 0};
    char nulls[3] = {' ', ' ', d->final_error ? ' ' : 'n'};
    spi_check(SPI_execute_with_args(
                  "UPDATE schema_oracle.backfill_jobs SET state = $2, "
                  "last_error = COALESCE($3, last_error), pid = NULL, "
                  "finished_at = CASE WHEN $2 = 'done' THEN pg_catalog.clock_timestamp() END, "
                  "updated_at = pg_catalog.clock_timestamp() WHERE job_id = $1",
                  3, types, args, nulls, false, 0),
              "job finish");
    pop_settings(level);
}

// --- the job lock ----------------------------------------------------------

void job_locktag(LOCKTAG* tag, int job_id) {
    SET_LOCKTAG_ADVISORY(*tag, MyDatabaseId, static_cast<uint32>(advisory_key),
                         static_cast<uint32>(job_id), 2);
}

bool try_lock_job(int job_id) {
    LOCKTAG tag;
    job_locktag(&tag, job_id);
    return LockAcquire(&tag, ExclusiveLock, true, true) != LOCKACQUIRE_NOT_AVAIL;
}

void unlock_job(Driver* d) {
    if (!d->locked)
        return;
    LOCKTAG tag;
    job_locktag(&tag, d->job_id);
    LockRelease(&tag, ExclusiveLock, true);
    d->locked = false;
}

// The PID holding a job's lock, 0 if none is visible.
int job_lock_holder(int job_id) {
    Oid types[2] = {OIDOID, OIDOID};
    Datum args[2] = {ObjectIdGetDatum(static_cast<Oid>(advisory_key)),
                     ObjectIdGetDatum(static_cast<Oid>(job_id))};
    int level = push_internal_settings();
    int pid = 0;
    if (SPI_execute_with_args("SELECT pid FROM pg_catalog.pg_locks WHERE locktype = 'advisory' "
                              "AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted "
                              "AND pid <> pg_catalog.pg_backend_pid() LIMIT 1",
                              2, types, args, nullptr, true, 1) >= 0 &&
        SPI_processed > 0) {
        bool isnull;
        pid =
            DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    }
    pop_settings(level);
    return pid;
}

// --- setup -----------------------------------------------------------------

SPIPlanPtr prepare(const char* sql, int nargs, Oid* types) {
    SPIPlanPtr plan = SPI_prepare_cursor(sql, nargs, types, CURSOR_OPT_CUSTOM_PLAN);
    if (plan == nullptr)
        elog(ERROR, "could not prepare backfill statement: %s", SPI_result_code_string(SPI_result));
    return plan;
}

// Checks everything and prepares every statement: bad input fails here,
// before any row is touched.
void setup(Driver* d) {
    const int n = d->t.nkeys;
    check_options(&d->o);
    check_clauses(&d->t, d->set_clause, d->where_clause, d->o.throttle_while);
    build_statements(&d->t, d->set_clause, d->where_clause, &d->sql);

    Oid* types = static_cast<Oid*>(palloc(sizeof(Oid) * (2 * n + 1)));
    for (int i = 0; i < n; ++i) types[i] = types[n + i] = d->t.key_types[i];
    int level = push_internal_settings();
    types[n] = INT8OID;
    d->fetch_first = prepare(d->sql.fetch_first, n + 1, types);
    types[n] = d->t.key_types[0];
    types[2 * n] = INT8OID;
    d->fetch_next = prepare(d->sql.fetch_next, 2 * n + 1, types);
    Oid jtypes[8] = {INT4OID, TEXTARRAYOID, INT8OID,   INT8OID,
                     INT4OID, FLOAT8OID,    FLOAT8OID, INT4OID};
    d->job_update = prepare(
        "UPDATE schema_oracle.backfill_jobs SET last_key = $2, rows_done = rows_done + $3, "
        "keys_done = keys_done + $4, batches_done = batches_done + 1, current_batch_size = $5, "
        "max_batch_ms = GREATEST(max_batch_ms, $6), "
        "throttled_seconds = throttled_seconds + $7, pid = $8, "
        "updated_at = pg_catalog.clock_timestamp() WHERE job_id = $1",
        8, jtypes);
    pop_settings(level);

    level = push_user_search_path(d->search_path);
    d->update_first = prepare(d->sql.update_first, n, types + n);
    d->update_next = prepare(d->sql.update_next, 2 * n, types);
    if (d->o.throttle_while)
        d->predicate = prepare(
            psprintf("SELECT CASE WHEN (\n%s\n) THEN true ELSE false END", d->o.throttle_while), 0,
            nullptr);
    pop_settings(level);
    // Kept (out of SPI's memory, across commits) only once all are prepared:
    // a statement that fails to prepare leaves nothing behind.
    SPIPlanPtr plans[] = {d->fetch_first,  d->fetch_next,  d->job_update,
                          d->update_first, d->update_next, d->predicate};
    for (SPIPlanPtr p : plans)
        if (p != nullptr && SPI_keepplan(p) != 0)
            elog(ERROR, "SPI_keepplan failed");

    if ((d->o.max_lag_ms >= 0 || d->o.max_lag_bytes >= 0 || d->o.throttle_autovacuum) &&
        !has_privs_of_role(GetUserId(), ROLE_PG_READ_ALL_STATS))
        ereport(WARNING,
                (errmsg("backfill() cannot see replica lag or autovacuum progress as role %s",
                        GetUserNameFromId(GetUserId(), false)),
                 errdetail("pg_stat_replication and pg_stat_progress_vacuum show other roles' "
                           "sessions only to members of pg_read_all_stats, so those throttles "
                           "never fire."),
                 errhint("GRANT pg_monitor TO %s;",
                         quote_identifier(GetUserNameFromId(GetUserId(), false)))));

    cb::PacerConfig pc;
    pc.fixed_batch = d->o.batch_size;
    pc.target_ms = d->o.target_ms;
    pc.max_batch = d->o.max_batch_size;
    pc.initial_batch = d->o.batch_size > 0 ? d->o.batch_size : 1000;
    d->pacer = cb::make_pacer(pc);

    d->run_cxt = CurrentMemoryContext;
    d->batch_cxt = AllocSetContextCreate(d->run_cxt, "backfill batch", ALLOCSET_DEFAULT_SIZES);
    d->err_cxt = AllocSetContextCreate(d->run_cxt, "backfill error", ALLOCSET_DEFAULT_SIZES);
    d->key_cxt[0] = AllocSetContextCreate(d->run_cxt, "backfill key", ALLOCSET_SMALL_SIZES);
    d->key_cxt[1] = AllocSetContextCreate(d->run_cxt, "backfill key", ALLOCSET_SMALL_SIZES);
}

void free_plans(Driver* d) {
    SPIPlanPtr* plans[] = {&d->fetch_first, &d->fetch_next, &d->update_first,
                           &d->update_next, &d->job_update, &d->predicate};
    for (SPIPlanPtr* p : plans)
        if (*p != nullptr) {
            SPI_freeplan(*p);
            *p = nullptr;
        }
}

const char* label(int job_id, const char* name) {
    return name ? psprintf("backfill job %d (%s)", job_id, name)
                : psprintf("backfill job %d", job_id);
}

cb::Progress progress(const Driver* d) {
    cb::Progress p;
    p.rows_done = d->rows_before + d->rows_run;
    p.keys_done = d->keys_run;
    p.keys_before = d->keys_before;
    p.keys_estimate = d->t.reltuples >= 0 ? static_cast<int64_t>(d->t.reltuples) : -1;
    p.elapsed_s = ms_since(d->started) / 1000.0;
    p.batch_size = d->pacer.batch_size;
    p.batches = d->batches_before + d->batches_run;
    return p;
}

char* progress_text(const Driver* d) {
    cb::Progress p = progress(d);
    return cpp_boundary("backfill", [&] { return to_cstring(cb::progress_detail(p)); });
}

// Marks the job failed or cancelled, releases it and re-raises `err`.
[[noreturn]] void fail(Driver* d, ErrorData* err) {
    d->final_state = err->sqlerrcode == ERRCODE_QUERY_CANCELED ? "cancelled" : "failed";
    d->final_error = err->message;
    if (protect(d, step_finish) == nullptr)
        SPI_commit();
    unlock_job(d);
    free_plans(d);
    ReThrowError(err);
}

// The loop: throttle, batch (with retries), commit, pace, pause.
void run(Driver* d) {
    d->started = d->last_progress = GetCurrentTimestamp();
    for (;;) {
        // Throttle: wait, saying why, until no signal holds the batch back.
        TimestampTz wait_started = 0, last_said = 0;
        int said = 0;
        for (;;) {
            MemoryContextReset(d->err_cxt);
            MemoryContextReset(d->batch_cxt);
            MemoryContextSwitchTo(d->batch_cxt);
            ErrorData* err = protect(d, step_throttle);
            MemoryContextSwitchTo(d->run_cxt);
            if (err)
                fail(d, err);
            SPI_commit();
            if (d->throttle_reason == nullptr)
                break;
            TimestampTz now = GetCurrentTimestamp();
            if (wait_started == 0)
                wait_started = now;
            // Said once per cause, then again every progress_interval.
            if (said != d->throttle_kind ||
                static_cast<double>(now - last_said) / 1000.0 >= d->o.progress_interval_ms) {
                ereport(NOTICE, (errmsg("%s waits: %s", d->job_label, d->throttle_reason)));
                said = d->throttle_kind;
                last_said = now;
            }
            d->sleep_ms = d->o.check_interval_ms;
            if ((err = protect(d, step_sleep)) != nullptr)
                fail(d, err);
        }
        if (wait_started != 0) {
            double waited = static_cast<double>(GetCurrentTimestamp() - wait_started) / 1e6;
            d->throttled_s += waited;
            d->throttled_total_s += waited;
            ereport(NOTICE, (errmsg("%s goes on: nothing holds it back any more", d->job_label),
                             errdetail("It waited %.1f s.", waited)));
        }

        // The batch, retried on lock timeouts, deadlocks and serialization
        // failures with a smaller size after a jittered backoff.
        int attempt = 0;
        TimestampTz t0;
        for (;;) {
            MemoryContextReset(d->err_cxt);
            MemoryContextReset(d->batch_cxt);
            MemoryContextSwitchTo(d->batch_cxt);
            t0 = d->batch_t0 = GetCurrentTimestamp();
            ErrorData* err = protect(d, step_batch);
            MemoryContextSwitchTo(d->run_cxt);
            if (err == nullptr) {
                SPI_commit();
                break;
            }
            if (!retryable(err) || attempt >= d->o.max_retries)
                fail(d, err);
            ++attempt;
            ++d->retries_run;
            cb::after_conflict(d->pacer);
            double wait = cb::backoff_ms(attempt, 50, 10000, pg_prng_double(&pg_global_prng_state));
            ereport(NOTICE, (errmsg("%s: batch rolled back (%s), retry %d of %d", d->job_label,
                                    err->message, attempt, d->o.max_retries),
                             errdetail("Next try in %.0f ms with %lld keys.", wait,
                                       static_cast<long long>(d->pacer.batch_size))));
            d->retry_error = err->message;
            ErrorData* e2 = protect(d, step_note_retry);
            if (e2)
                fail(d, e2);
            SPI_commit();
            d->sleep_ms = wait;
            if ((e2 = protect(d, step_sleep)) != nullptr)
                fail(d, e2);
        }
        double ms = ms_since(t0);
        if (!d->got_hi)
            break;
        d->throttled_s = 0;
        if (ms > d->max_batch_ms)
            d->max_batch_ms = ms;
        d->rows_run += d->batch_rows;
        d->keys_run += d->pacer.batch_size;
        d->batches_run++;
        d->key_slot = 1 - d->key_slot;
        d->lo = d->hi;
        d->have_lo = true;
        cb::after_batch(d->pacer, d->pacer.batch_size, ms);

        TimestampTz now = GetCurrentTimestamp();
        if (static_cast<double>(now - d->last_progress) / 1000.0 >= d->o.progress_interval_ms) {
            d->last_progress = now;
            char* detail = progress_text(d);
            ereport(NOTICE, (errmsg("%s: %lld rows updated in %lld batches", d->job_label,
                                    static_cast<long long>(d->rows_before + d->rows_run),
                                    static_cast<long long>(d->batches_before + d->batches_run)),
                             errdetail("%s", detail)));
        }
        if (d->o.pause_ms > 0) {
            d->sleep_ms = d->o.pause_ms;
            ErrorData* err = protect(d, step_sleep);
            if (err)
                fail(d, err);
        }
    }

    d->final_state = "done";
    d->final_error = nullptr;
    ErrorData* err = protect(d, step_finish);
    if (err)
        fail(d, err);
    SPI_commit();
    unlock_job(d);
    free_plans(d);
    double secs = ms_since(d->started) / 1000.0;
    ereport(NOTICE,
            (errmsg("%s done: %lld rows updated in %lld batches", d->job_label,
                    static_cast<long long>(d->rows_before + d->rows_run),
                    static_cast<long long>(d->batches_before + d->batches_run)),
             errdetail("This run: %lld rows in %.1f s (%.0f rows/s), longest batch %.0f ms, "
                       "%lld retries, throttled %.1f s.",
                       static_cast<long long>(d->rows_run), secs,
                       secs > 0 ? static_cast<double>(d->rows_run) / secs : 0.0, d->max_batch_ms,
                       static_cast<long long>(d->retries_run), d->throttled_total_s)));
}

// Runs the job with its lock released on any error on the way out.
void run_locked(Driver* d) {
    PG_TRY();
    { run(d); }
    PG_CATCH();
    {
        unlock_job(d);
        free_plans(d);
        PG_RE_THROW();
    }
    PG_END_TRY();
}

Options options_from_args(FunctionCallInfo fcinfo) {
    Options o{};
    auto ms_or = [&](int arg, double none) {
        return PG_ARGISNULL(arg) ? none : interval_ms(PG_GETARG_DATUM(arg));
    };
    o.batch_size = PG_ARGISNULL(4) ? 0 : PG_GETARG_INT32(4);
    if (!PG_ARGISNULL(4) && o.batch_size <= 0)
        o.batch_size = -1;
    o.target_ms = ms_or(5, 200);
    o.max_batch_size = PG_ARGISNULL(6) ? 1000000 : PG_GETARG_INT32(6);
    o.pause_ms = ms_or(7, 0);
    o.lock_timeout_ms = ms_or(8, 0);
    o.max_retries = PG_ARGISNULL(9) ? 0 : PG_GETARG_INT32(9);
    o.max_lag_ms = ms_or(10, -1);
    o.max_lag_bytes = PG_ARGISNULL(11) ? -1 : static_cast<double>(PG_GETARG_INT64(11));
    o.throttle_autovacuum = PG_ARGISNULL(12) ? false : PG_GETARG_BOOL(12);
    o.throttle_while = PG_ARGISNULL(13) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(13));
    o.check_interval_ms = ms_or(14, 1000);
    o.progress_interval_ms = ms_or(15, 5000);
    return o;
}

Datum interval_arg(FunctionCallInfo fcinfo, int arg, bool* isnull) {
    *isnull = PG_ARGISNULL(arg);
    return *isnull ? 0 : PG_GETARG_DATUM(arg);
}

}  // namespace

int start_job(FunctionCallInfo fcinfo) {
    require_nonatomic(fcinfo, "schema_oracle.backfill");
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("tbl and set_clause of backfill() must not be NULL")));
    if (!PG_ARGISNULL(16))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("job_id is an output of backfill()"),
                        errhint("To continue a job, CALL schema_oracle.backfill_resume(job_id).")));
    if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");

    auto* d = static_cast<Driver*>(palloc0(sizeof(Driver)));
    Oid relid = PG_GETARG_OID(0);
    d->set_clause = text_to_cstring(PG_GETARG_TEXT_PP(1));
    d->where_clause = PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2));
    const char* job_name = PG_ARGISNULL(3) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(3));
    d->o = options_from_args(fcinfo);
    d->search_path = pstrdup(GetConfigOption("search_path", false, false));
    describe_table(relid, &d->t);
    setup(d);

    // The end of the walk: rows inserted later, above it, are new writes
    // (the application or a column default must cover them).
    int level = push_internal_settings();
    spi_check(SPI_execute(d->sql.max_key, true, 1), "end key");
    d->have_end = SPI_processed > 0;
    if (d->have_end)
        d->end = copy_keys(d, d->run_cxt);
    Datum end_text = d->have_end ? keys_to_text_array(d, d->end) : 0;
    SPI_freetuptable(SPI_tuptable);

    // The job's row, committed before the first batch so that the job can
    // be found (and resumed) whatever happens next.
    Datum key_names[INDEX_MAX_KEYS];
    for (int i = 0; i < d->t.nkeys; ++i) key_names[i] = CStringGetTextDatum(d->t.key_names[i]);
    Datum keys_array =
        PointerGetDatum(construct_array(key_names, d->t.nkeys, TEXTOID, -1, false, TYPALIGN_INT));
    Oid types[20] = {TEXTOID,     OIDOID,      TEXTARRAYOID, TEXTOID,      TEXTOID,
                     TEXTOID,     INT4OID,     INTERVALOID,  INT4OID,      INTERVALOID,
                     INTERVALOID, INT4OID,     INTERVALOID,  INT8OID,      BOOLOID,
                     TEXTOID,     INTERVALOID, INTERVALOID,  TEXTARRAYOID, INT4OID};
    Datum args[20];
    char nulls[21];
    memset(nulls, ' ', sizeof nulls);
    nulls[20] = '\0';
    bool isnull;
    args[0] = job_name ? CStringGetTextDatum(job_name) : 0;
    if (!job_name)
        nulls[0] = 'n';
    args[1] = ObjectIdGetDatum(relid);
    args[2] = keys_array;
    args[3] = CStringGetTextDatum(d->set_clause);
    args[4] = d->where_clause ? CStringGetTextDatum(d->where_clause) : 0;
    if (!d->where_clause)
        nulls[4] = 'n';
    args[5] = CStringGetTextDatum(d->search_path);
    args[6] = Int32GetDatum(d->o.batch_size);
    if (d->o.batch_size == 0)
        nulls[6] = 'n';
    const int interval_args[] = {5, 7, 8, 10, 14, 15};
    const int interval_cols[] = {7, 9, 10, 12, 16, 17};
    const char* interval_defaults[] = {"200 ms", "0", "0", nullptr, "1 s", "5 s"};
    for (int i = 0; i < 6; ++i) {
        args[interval_cols[i]] = interval_arg(fcinfo, interval_args[i], &isnull);
        if (isnull) {
            if (interval_defaults[i] == nullptr)
                nulls[interval_cols[i]] = 'n';
            else
                args[interval_cols[i]] =
                    DirectFunctionCall3(interval_in, CStringGetDatum(interval_defaults[i]),
                                        ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
        }
    }
    args[8] = Int32GetDatum(d->o.max_batch_size);
    args[11] = Int32GetDatum(d->o.max_retries);
    args[13] = Int64GetDatum(static_cast<int64>(d->o.max_lag_bytes));
    if (d->o.max_lag_bytes < 0)
        nulls[13] = 'n';
    args[14] = BoolGetDatum(d->o.throttle_autovacuum);
    args[15] = d->o.throttle_while ? CStringGetTextDatum(d->o.throttle_while) : 0;
    if (!d->o.throttle_while)
        nulls[15] = 'n';
    args[18] = end_text;
    if (!d->have_end)
        nulls[18] = 'n';
    args[19] = Int32GetDatum(MyProcPid);
    spi_check(SPI_execute_with_args(
                  "INSERT INTO schema_oracle.backfill_jobs (job_name, tbl, key_columns, "
                  "set_clause, where_clause, search_path, batch_size, target_batch_time, "
                  "max_batch_size, pause, lock_timeout, max_retries, max_replica_lag, "
                  "max_replica_lag_bytes, throttle_on_autovacuum, throttle_while, "
                  "throttle_check_interval, progress_interval, end_key, pid) VALUES ($1, $2, $3, "
                  "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) "
                  "RETURNING job_id",
                  20, types, args, nulls, false, 1),
              "job insert");
    d->job_id =
        DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
    pop_settings(level);
    d->job_label = label(d->job_id, job_name);
    d->locked = try_lock_job(d->job_id);
    SPI_commit();

    if (!d->have_end) {
        // An empty table: nothing to walk.
        d->final_state = "done";
        ErrorData* err = protect(d, step_finish);
        if (err) {
            unlock_job(d);  // a session lock outlives the abort
            ReThrowError(err);
        }
        SPI_commit();
        unlock_job(d);
        free_plans(d);
        ereport(NOTICE, (errmsg("%s done: the table is empty", d->job_label)));
    } else {
        run_locked(d);
    }
    int job_id = d->job_id;
    SPI_finish();
    return job_id;
}

void resume_job(int job_id) {
    if (SPI_connect_ext(SPI_OPT_NONATOMIC) != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    auto* d = static_cast<Driver*>(palloc0(sizeof(Driver)));
    d->job_id = job_id;
    int level = push_internal_settings();
    Oid types[1] = {INT4OID};
    Datum args[1] = {Int32GetDatum(job_id)};
    spi_check(SPI_execute_with_args(
                  "SELECT tbl::pg_catalog.oid, key_columns, set_clause, where_clause, "
                  "search_path, job_name, batch_size, target_batch_time, max_batch_size, pause, "
                  "lock_timeout, max_retries, max_replica_lag, max_replica_lag_bytes, "
                  "throttle_on_autovacuum, throttle_while, throttle_check_interval, "
                  "progress_interval, state, last_key, end_key, rows_done, keys_done, "
                  "batches_done FROM schema_oracle.backfill_jobs WHERE job_id = $1",
                  1, types, args, nullptr, true, 1),
              "job lookup");
    if (SPI_processed == 0)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_OBJECT),
                        errmsg("backfill job %d does not exist", job_id),
                        errhint("schema_oracle.backfill_jobs lists your jobs (each role sees its "
                                "own).")));
    HeapTuple tup = SPI_copytuple(SPI_tuptable->vals[0]);
    TupleDesc desc = CreateTupleDescCopy(SPI_tuptable->tupdesc);
    SPI_freetuptable(SPI_tuptable);
    pop_settings(level);
    auto col = [&](int i, bool* isnull) { return SPI_getbinval(tup, desc, i, isnull); };
    auto str = [&](int i) { return SPI_getvalue(tup, desc, i); };  // NULL for NULL
    bool isnull;
    const char* job_name = str(6);
    d->job_label = label(job_id, job_name);
    const char* state = str(19);

    if (!try_lock_job(job_id)) {
        int pid = job_lock_holder(job_id);
        ereport(ERROR, (errcode(ERRCODE_OBJECT_IN_USE),
                        errmsg("%s is already running in another session", d->job_label),
                        pid ? errdetail("PID %d holds it.", pid) : 0,
                        errhint("Wait for it to finish, or cancel it with pg_cancel_backend(); "
                                "it stops cleanly between batches.")));
    }
    d->locked = true;
    if (strcmp(state, "done") == 0) {
        unlock_job(d);
        ereport(NOTICE, (errmsg("%s is already done", d->job_label)));
        SPI_finish();
        return;
    }

    PG_TRY();
    {
        Oid relid = DatumGetObjectId(col(1, &isnull));
        if (get_rel_name(relid) == nullptr)
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                            errmsg("the table of %s no longer exists", d->job_label)));
        describe_table(relid, &d->t);
        // The same primary key, or the recorded keys mean nothing.
        Datum* names;
        bool* name_nulls;
        int nnames;
        deconstruct_array(DatumGetArrayTypeP(col(2, &isnull)), TEXTOID, -1, false, TYPALIGN_INT,
                          &names, &name_nulls, &nnames);
        bool same = nnames == d->t.nkeys;
        for (int i = 0; same && i < nnames; ++i)
            same = strcmp(TextDatumGetCString(names[i]), d->t.key_names[i]) == 0;
        if (!same)
            ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                            errmsg("the primary key of %s changed since %s started", d->t.name_sql,
                                   d->job_label),
                            errdetail("The job walks the key it recorded: %s.", str(2))));
        d->set_clause = str(3);
        d->where_clause = str(4);
        d->search_path = str(5);
        Options& o = d->o;
        Datum v = col(7, &isnull);
        o.batch_size = isnull ? 0 : DatumGetInt32(v);
        o.target_ms = interval_ms(col(8, &isnull));
        o.max_batch_size = DatumGetInt32(col(9, &isnull));
        o.pause_ms = interval_ms(col(10, &isnull));
        o.lock_timeout_ms = interval_ms(col(11, &isnull));
        o.max_retries = DatumGetInt32(col(12, &isnull));
        v = col(13, &isnull);
        o.max_lag_ms = isnull ? -1 : interval_ms(v);
        v = col(14, &isnull);
        o.max_lag_bytes = isnull ? -1 : static_cast<double>(DatumGetInt64(v));
        o.throttle_autovacuum = DatumGetBool(col(15, &isnull));
        o.throttle_while = str(16);
        o.check_interval_ms = interval_ms(col(17, &isnull));
        o.progress_interval_ms = interval_ms(col(18, &isnull));
        d->rows_before = DatumGetInt64(col(22, &isnull));
        d->keys_before = DatumGetInt64(col(23, &isnull));
        d->batches_before = DatumGetInt64(col(24, &isnull));
        setup(d);
        v = col(20, &isnull);
        if (!isnull) {
            d->lo = text_array_to_keys(d, v, d->key_cxt[0]);
            d->have_lo = true;
        }
        v = col(21, &isnull);
        d->have_end = !isnull;
        if (d->have_end)
            d->end = text_array_to_keys(d, v, d->run_cxt);

        level = push_internal_settings();
        Oid t2[2] = {INT4OID, INT4OID};
        Datum a2[2] = {Int32GetDatum(job_id), Int32GetDatum(MyProcPid)};
        spi_check(SPI_execute_with_args(
                      "UPDATE schema_oracle.backfill_jobs SET state = 'running', pid = $2, "
                      "finished_at = NULL, updated_at = pg_catalog.clock_timestamp() "
                      "WHERE job_id = $1",
                      2, t2, a2, nullptr, false, 0),
                  "job resume");
        pop_settings(level);
        SPI_commit();
        ereport(NOTICE, (errmsg("%s resumes after %lld rows in %lld batches", d->job_label,
                                static_cast<long long>(d->rows_before),
                                static_cast<long long>(d->batches_before))));
    }
    PG_CATCH();
    {
        unlock_job(d);
        PG_RE_THROW();
    }
    PG_END_TRY();

    if (!d->have_end) {
        d->final_state = "done";
        ErrorData* err = protect(d, step_finish);
        if (err) {
            unlock_job(d);
            ReThrowError(err);
        }
        SPI_commit();
        unlock_job(d);
        free_plans(d);
    } else {
        run_locked(d);
    }
    SPI_finish();
}

}  // namespace schema_oracle::pg::backfill
