#!/usr/bin/env bash
# backfill_throttle: backfill() waits on real signals and says why.
#   1. A streaming standby (pg_basebackup -R) whose replay is paused with
#      pg_wal_replay_pause(): once its replay is max_replica_lag_bytes
#      behind, the backfill waits, naming the replica and the lag; it goes
#      on when replay resumes, and every row is updated once.
#   2. Autovacuum working on the target table (slowed down to a crawl): the
#      backfill waits, naming the worker, and goes on once it is gone.
# Both clusters live under $SO_WORK/backfill_throttle and are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

base=${SO_WORK:?}/backfill_throttle
primary=$base/primary
standby=$base/standby
pport=$(so_free_port)
sport=$((pport + 1))
cleanup() { so_cluster_stop "$standby"; so_cluster_stop "$primary"; }
trap cleanup EXIT

so_cluster_init "$primary" "wal_level = replica" "max_wal_senders = 4" "hot_standby = on" \
    "autovacuum_naptime = 1"
so_cluster_start "$primary" "$pport"
PRIMARY_PORT=$pport so_standby_init "$primary" "$standby" \
    "wal_receiver_status_interval = 1" "cluster_name = 'so_standby'"
so_cluster_start "$standby" "$sport"

P() { psql -X -q -v ON_ERROR_STOP=1 -h "$primary" -p "$pport" -U postgres -d postgres "$@"; }
S() { psql -X -q -v ON_ERROR_STOP=1 -h "$standby" -p "$sport" -U postgres -d postgres "$@"; }
Q() { P -At -c "$1"; }

P <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE TABLE lagged (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0, pad text);
INSERT INTO lagged SELECT g, 0, repeat('x', 100) FROM generate_series(1, 200000) g;
VACUUM ANALYZE lagged;
SQL
for _ in $(seq 1 100); do
    [ "$(Q "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 1 ] && break
    sleep 0.2
done

# The standby first replays everything the setup wrote.
lsn=$(Q "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 150); do
    [ "$(S -At -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")" = t ] && break
    sleep 0.2
done
for _ in $(seq 1 150); do
    [ "$(Q "SELECT replay_lsn >= '$lsn'::pg_lsn FROM pg_stat_replication")" = t ] && break
    sleep 0.2
done

# 1. Replay paused: the backfill waits for the replica.
S -c "SELECT pg_wal_replay_pause()" >/dev/null
P -c "CALL schema_oracle.backfill('lagged', 'counter = counter + 1', batch_size => 10000,
        max_replica_lag_bytes => 1048576, throttle_check_interval => '100 ms',
        progress_interval => '1 s', job_name => 'lagged')" >"$base/lagged.log" 2>&1 &
job_pid=$!
for _ in $(seq 1 300); do
    grep -q 'waits: replica' "$base/lagged.log" && break
    sleep 0.1
done
grep -q 'waits: replica "so_standby" has .* of WAL still to replay (limit 1.0 MB)' "$base/lagged.log" \
    || { echo "backfill did not wait for the paused replica:"; cat "$base/lagged.log"; exit 1; }
before=$(Q "SELECT rows_done FROM schema_oracle.backfill_jobs WHERE job_name = 'lagged'")
sleep 2
after=$(Q "SELECT rows_done FROM schema_oracle.backfill_jobs WHERE job_name = 'lagged'")
[ "$before" = "$after" ] || { echo "backfill went on while replay was paused ($before -> $after)"; exit 1; }
[ "$after" -gt 0 ] || { echo "backfill waited before its first batch"; exit 1; }
[ "$after" -lt 200000 ] || { echo "backfill finished although replay was paused"; exit 1; }
S -c "SELECT pg_wal_replay_resume()" >/dev/null
wait "$job_pid" || { echo "backfill failed:"; cat "$base/lagged.log"; exit 1; }
grep -q 'goes on: nothing holds it back' "$base/lagged.log" || { cat "$base/lagged.log"; exit 1; }
got=$(Q "SELECT count(*) FILTER (WHERE counter = 1), count(*) FILTER (WHERE counter <> 1) FROM lagged")
[ "$got" = "200000|0" ] || { echo "after the replica throttle: $got"; exit 1; }
echo "replica: $(grep -m1 -o 'waits: .*' "$base/lagged.log"); waited at $after rows, then finished"

# 2. Autovacuum on the table: slowed to a crawl so that it is still there
#    when the backfill starts.
P <<'SQL'
CREATE TABLE vacuumed (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0);
INSERT INTO vacuumed SELECT g, 0 FROM generate_series(1, 100000) g;
DELETE FROM vacuumed WHERE id % 2 = 0;
ALTER TABLE vacuumed SET (autovacuum_vacuum_threshold = 0, autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_cost_delay = 100, autovacuum_vacuum_cost_limit = 1);
SQL
for _ in $(seq 1 300); do
    [ "$(Q "SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = 'vacuumed'::regclass")" = 1 ] && break
    sleep 0.1
done
[ "$(Q "SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = 'vacuumed'::regclass")" = 1 ] \
    || { echo "autovacuum never started on the table"; exit 1; }
P -c "CALL schema_oracle.backfill('vacuumed', 'counter = counter + 1', throttle_check_interval => '100 ms',
        progress_interval => '1 h', job_name => 'vacuumed')" >"$base/vacuumed.log" 2>&1 &
job_pid=$!
for _ in $(seq 1 100); do
    grep -q 'waits: autovacuum' "$base/vacuumed.log" && break
    sleep 0.1
done
grep -q 'waits: autovacuum (PID [0-9]*) is vacuuming public.vacuumed' "$base/vacuumed.log" \
    || { echo "backfill did not wait for autovacuum:"; cat "$base/vacuumed.log"; exit 1; }
[ "$(Q "SELECT rows_done FROM schema_oracle.backfill_jobs WHERE job_name = 'vacuumed'")" = 0 ] \
    || { echo "backfill updated rows while autovacuum ran"; exit 1; }
# Autovacuum yields to the lock this ALTER needs, and then stays away.
P -c "ALTER TABLE vacuumed SET (autovacuum_enabled = false)"
wait "$job_pid" || { echo "backfill failed:"; cat "$base/vacuumed.log"; exit 1; }
grep -q 'goes on: nothing holds it back' "$base/vacuumed.log" || { cat "$base/vacuumed.log"; exit 1; }
got=$(Q "SELECT count(*) FILTER (WHERE counter = 1), count(*) FILTER (WHERE counter <> 1) FROM vacuumed")
[ "$got" = "50000|0" ] || { echo "after the autovacuum throttle: $got"; exit 1; }
echo "autovacuum: $(grep -m1 -o 'waits: .*' "$base/vacuumed.log"); then finished"
echo "backfill_throttle: ok"
