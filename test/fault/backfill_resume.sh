#!/usr/bin/env bash
# backfill_resume: exactly-once resume of a non-idempotent backfill after a
# killed backend and after an immediate shutdown (a crash, for the data:
# recovery replays WAL). Each run backfills counter = counter + 1 over
# 1,000,000 rows, is interrupted mid-run, and must leave exactly as many rows
# at 1 as the job row says were done (the job row commits with each batch);
# backfill_resume() then brings every row to exactly 1.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

base=${SO_WORK:?}/backfill_resume
port=$(so_free_port)
cleanup() { so_cluster_stop "$base"; }
trap cleanup EXIT
so_cluster_init "$base"
so_cluster_start "$base" "$port"

P() { psql -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d postgres "$@"; }
Q() { P -At -c "$1"; }

P <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE TABLE killed (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);
INSERT INTO killed SELECT g, 0 FROM generate_series(1, 1000000) g;
CREATE TABLE crashed (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);
INSERT INTO crashed SELECT g, 0 FROM generate_series(1, 1000000) g;
VACUUM ANALYZE killed;
VACUUM ANALYZE crashed;
SQL

# start_job TABLE: runs the backfill in the background, waits until it has
# committed at least 100,000 rows, prints the job id.
start_job() {
    local tbl=$1
    P -c "CALL schema_oracle.backfill('$tbl', 'counter = counter + 1', job_name => '$tbl', target_batch_time => '50 ms')" \
        >"$base/$tbl.log" 2>&1 &
    bg_pid=$!
    for _ in $(seq 1 600); do
        done_rows=$(Q "SELECT rows_done FROM schema_oracle.backfill_jobs WHERE job_name = '$tbl'" 2>/dev/null || true)
        [ -n "$done_rows" ] && [ "$done_rows" -ge 100000 ] && break
        sleep 0.1
    done
    [ -n "$done_rows" ] && [ "$done_rows" -ge 100000 ] || { echo "job on $tbl did not progress"; cat "$base/$tbl.log"; exit 1; }
    [ "$done_rows" -lt 1000000 ] || { echo "job on $tbl finished before it could be interrupted"; exit 1; }
}

# check_exact TABLE: the rows at 1 are exactly the job's rows_done, none above.
check_exact() {
    local tbl=$1 state=$2
    local got
    got=$(Q "SELECT j.state, j.rows_done = (SELECT count(*) FROM $tbl WHERE counter = 1),
                    (SELECT count(*) FROM $tbl WHERE counter > 1), j.rows_done < 1000000
             FROM schema_oracle.backfill_jobs j WHERE job_name = '$tbl'")
    [ "$got" = "$state|t|0|t" ] || { echo "$tbl after interruption: $got (want $state|t|0|t)"; exit 1; }
}

resume_and_check() {
    local tbl=$1
    local job
    job=$(Q "SELECT job_id FROM schema_oracle.backfill_jobs WHERE job_name = '$tbl'")
    P -c "CALL schema_oracle.backfill_resume($job)" >"$base/$tbl.resume.log" 2>&1 \
        || { cat "$base/$tbl.resume.log"; exit 1; }
    local got
    got=$(Q "SELECT count(*) FILTER (WHERE counter = 1), count(*) FILTER (WHERE counter <> 1) FROM $tbl")
    [ "$got" = "1000000|0" ] || { echo "$tbl after resume: $got (want 1000000|0)"; exit 1; }
    got=$(Q "SELECT state, rows_done FROM schema_oracle.backfill_jobs WHERE job_id = $job")
    [ "$got" = "done|1000000" ] || { echo "$tbl job after resume: $got"; exit 1; }
    echo "$tbl: $(grep -o 'resumes after [0-9]* rows' "$base/$tbl.resume.log"), all 1000000 rows at exactly 1"
}

# 1. The backend is terminated mid-run.
start_job killed
Q "SELECT pg_terminate_backend(pid) FROM schema_oracle.backfill_jobs WHERE job_name = 'killed'" >/dev/null
wait "$bg_pid" || true
grep -q "terminating connection due to administrator command" "$base/killed.log" \
    || { echo "backend was not terminated:"; cat "$base/killed.log"; exit 1; }
check_exact killed running
resume_and_check killed

# 2. The server stops with an immediate shutdown mid-run, then recovers.
start_job crashed
so_as_postgres "$PGBIN/pg_ctl" -D "$base/data" -m immediate -w stop >/dev/null
wait "$bg_pid" || true
so_cluster_start "$base" "$port"
check_exact crashed running
resume_and_check crashed

# 3. pg_dump keeps the job rows (pg_extension_config_dump): a restore into a
#    new database has the same jobs, with their keys and states.
want=$(Q "SELECT string_agg(format('%s|%s|%s|%s', job_name, state, rows_done, last_key), ',' ORDER BY job_id) FROM schema_oracle.backfill_jobs")
P -c "CREATE DATABASE restored"
so_as_postgres "$PGBIN/pg_dump" -h "$base" -p "$port" -U postgres -d postgres >"$base/dump.sql"
psql -X -q -v ON_ERROR_STOP=1 -h "$base" -p "$port" -U postgres -d restored -f "$base/dump.sql" \
    >"$base/restore.log" 2>&1 || { cat "$base/restore.log"; exit 1; }
got=$(psql -X -At -h "$base" -p "$port" -U postgres -d restored -c "SELECT string_agg(format('%s|%s|%s|%s', job_name, state, rows_done, last_key), ',' ORDER BY job_id) FROM schema_oracle.backfill_jobs")
[ "$got" = "$want" ] || { echo "jobs after dump and restore: $got (want $want)"; exit 1; }
echo "pg_dump: the restored database has the same jobs ($got)"
echo "backfill_resume: ok"
