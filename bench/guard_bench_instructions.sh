#!/usr/bin/env bash
# guard_bench_instructions.sh: the guard's cost in executed instructions,
# for machines too noisy for wall-clock ratios (bench/guard_bench.sh).
#
# Runs a throwaway cluster under valgrind (lackey, --basic-counts), runs the
# same migration as guard_bench.sh (TABLES * 8 statements) in a database
# with the extension and in one without, and compares the guest instructions
# of the two backends: in one transaction and statement by statement, each
# ROUNDS times. Slow (valgrind): about a minute per 100 tables and run.
# A third database has the extension with the DDL audit log off
# (schema_oracle.ddl_log = off), so one run prints the guard's cost with
# the log on and off against the same baseline.
#
#   TABLES=100 ROUNDS=2 bash bench/guard_bench_instructions.sh
#   TABLES=375 ROUNDS=1 bash bench/guard_bench_instructions.sh   # 3,002 statements
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh
. bench/lib/migration.sh
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

lib=$(pg_config --pkglibdir)/schema_oracle.so
# One lock per installed library (a checkout's private build/pg has its own),
# so benchmarks of different checkouts do not wait for each other.
exec 9>"/tmp/schema_oracle-bench-$(printf '%s' "$lib" | md5sum | cut -c1-12).lock"
flock 9
grep -q schema_oracle_guard_ddl_command_start "$lib" \
    || { echo "the installed $lib has no guard: run scripts/test.sh first" >&2; exit 1; }

TABLES=${TABLES:-100}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d /tmp/schema_oracle_vgbench.XXXXXX)
chmod 0777 "$work"
port=$(so_free_port)
so_cluster_init "$work/cluster" >/dev/null
so_as_postgres valgrind --tool=lackey --basic-counts=yes --trace-children=yes \
    --log-file="$work/vg.%p" "$PGBIN/postgres" -D "$work/cluster/data" -p "$port" \
    >"$work/postmaster.log" 2>&1 &
trap 'so_as_postgres "$PGBIN/pg_ctl" -D "$work/cluster/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
for _ in $(seq 180); do
    so_as_postgres "$PGBIN/pg_isready" -q -h "$work/cluster" -p "$port" && break
    sleep 1
done
psql_() { so_as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$work/cluster" -p "$port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE bench_with" -c "CREATE DATABASE bench_without" \
    -c "CREATE DATABASE bench_with_log_off"
psql_ -d bench_with -c "CREATE EXTENSION schema_oracle"
psql_ -d bench_with_log_off -c "CREATE EXTENSION schema_oracle" \
    -c "ALTER DATABASE bench_with_log_off SET schema_oracle.ddl_log = 'off'"
# WITH_SETUP: optional SQL run after CREATE EXTENSION, as in guard_bench.sh
# (e.g. "ALTER DATABASE bench_with SET schema_oracle.ddl_log = 'off'").
[ -z "${WITH_SETUP:-}" ] || psql_ -d bench_with -c "$WITH_SETUP"

migration=$work/migration.sql
so_bench_migration "$TABLES" "$migration"

instructions() {  # instructions DB MODE: guest instructions of the migration's backend
    local db=$1 mode=$2 flags=() pid
    [ "$mode" = transaction ] && flags=(-1)
    psql_ -d "$db" -c "DROP SCHEMA IF EXISTS bench CASCADE" 2>/dev/null
    pid=$(psql_ -d "$db" -t -A "${flags[@]}" -c "SELECT pg_backend_pid()" -f "$migration" | head -n 1)
    for _ in $(seq 60); do grep -q "guest instrs:" "$work/vg.$pid" 2>/dev/null && break; sleep 1; done
    grep -m 1 "guest instrs:" "$work/vg.$pid" | awk '{ gsub(",", "", $NF); print $NF }'
}

echo "migration: $(grep -c ';$' "$migration") statements ($TABLES tables), $ROUNDS rounds, instructions of the backend"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / b }'; }
for mode in transaction autocommit; do
    for r in $(seq 1 "$ROUNDS"); do
        w=$(instructions bench_with "$mode")
        f=$(instructions bench_with_log_off "$mode")
        o=$(instructions bench_without "$mode")
        printf '%-12s round %d  with (log all): %d  with (log off): %d  without: %d  ratio log all: %s  ratio log off: %s\n' \
            "$mode" "$r" "$w" "$f" "$o" "$(ratio "$w" "$o")" "$(ratio "$f" "$o")"
    done
done
