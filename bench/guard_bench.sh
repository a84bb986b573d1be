#!/usr/bin/env bash
# guard_bench.sh: what the live DDL guard costs a real migration.
#
# Starts a throwaway cluster, creates two databases (one with the extension,
# one without), generates a migration of TABLES * 8 statements (CREATE TABLE
# with foreign keys, ALTER TABLE, indexes on the new tables, COMMENTs) and
# runs it ROUNDS times in each database, alternating, in one run on the same
# cluster. Prints the median and minimum times and the ratios with/without
# (the minimum is the least disturbed run on a busy machine).
#
#   bash bench/guard_bench.sh                 # 300 tables (2400 statements), 11 rounds
#   TABLES=500 ROUNDS=9 bash bench/guard_bench.sh
#
# Two modes, both printed:
#   transaction  the whole migration in one transaction (psql -1), as most
#                migration tools run it: every table is new to the transaction
#   autocommit   one transaction per statement: later ALTERs and indexes hit
#                tables that already exist, so the guard measures and judges
#                them (the migration sets lock_timeout, as it should)
# The extension must be installed (make install, or scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh
. bench/lib/migration.sh

# Hold the lock of the installed library for the whole run, so that the
# installed library cannot change under us, and check it is the guard's.
lib=$(pg_config --pkglibdir)/schema_oracle.so
# One lock per installed library (a checkout's private build/pg has its own),
# so benchmarks of different checkouts do not wait for each other.
exec 9>"/tmp/schema_oracle-bench-$(printf '%s' "$lib" | md5sum | cut -c1-12).lock"
flock 9
grep -q schema_oracle_guard_ddl_command_start "$lib" \
    || { echo "the installed $lib has no guard: run scripts/test.sh first" >&2; exit 1; }

TABLES=${TABLES:-300}
ROUNDS=${ROUNDS:-11}
work=$(mktemp -d /tmp/schema_oracle_bench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT

so_cluster_init "$work/cluster" "shared_preload_libraries = ''" >/dev/null
so_cluster_start "$work/cluster" "$port"
psql_() { so_as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/cluster" -p "$port" -U postgres "$@"; }

psql_ -d postgres -c "CREATE DATABASE bench_with" -c "CREATE DATABASE bench_without"
psql_ -d bench_with -c "CREATE EXTENSION schema_oracle"
# WITH_SETUP: optional SQL run in the extension's database after CREATE
# EXTENSION, to measure variants (e.g. "ALTER DATABASE bench_with SET
# schema_oracle.guard = off" isolates PostgreSQL's event-trigger cost).
[ -z "${WITH_SETUP:-}" ] || psql_ -d bench_with -c "$WITH_SETUP"

# The migration (bench/lib/migration.sh).
migration=$work/migration.sql
so_bench_migration "$TABLES" "$migration"
statements=$(grep -c ';$' "$migration")

run() {  # run DB MODE -> seconds (wall clock of the psql run)
    local db=$1 mode=$2 flags=()
    [ "$mode" = transaction ] && flags=(-1)
    psql_ -d "$db" -c "DROP SCHEMA IF EXISTS bench CASCADE" 2>/dev/null
    local t0 t1
    t0=$(date +%s%N)
    psql_ -d "$db" "${flags[@]}" -f "$migration" >/dev/null
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}

minimum() { sort -n | head -n 1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "migration: $statements statements ($TABLES tables), $ROUNDS rounds per side, alternating"
for mode in ${MODES:-transaction autocommit}; do
    with=()
    without=()
    run bench_with "$mode" >/dev/null      # warm-up, not counted
    run bench_without "$mode" >/dev/null
    for r in $(seq 1 "$ROUNDS"); do
        with+=("$(run bench_with "$mode")")
        without+=("$(run bench_without "$mode")")
    done
    mw=$(printf '%s\n' "${with[@]}" | median)
    mo=$(printf '%s\n' "${without[@]}" | median)
    ratio=$(awk -v a="$mw" -v b="$mo" 'BEGIN { printf "%.3f", a / b }')
    # The minimum is the run least disturbed by other load on the machine.
    nw=$(printf '%s\n' "${with[@]}" | minimum)
    no=$(printf '%s\n' "${without[@]}" | minimum)
    ratio_min=$(awk -v a="$nw" -v b="$no" 'BEGIN { printf "%.3f", a / b }')
    printf '%-12s median with: %ss without: %ss ratio %sx | minimum with: %ss without: %ss ratio %sx\n' \
        "$mode" "$mw" "$mo" "$ratio" "$nw" "$no" "$ratio_min"
    if [ -n "${VERBOSE:-}" ]; then  # every run, in order: with/without pairs
        for i in "${!with[@]}"; do echo "    round $((i + 1)): with ${with[$i]}s without ${without[$i]}s"; done
    fi
done
