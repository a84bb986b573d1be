#!/usr/bin/env bash
# updated_at_bench.sh: what keeping updated_at current costs an UPDATE-heavy
# workload, for four ways of doing it, in one run on one cluster:
#   none        no trigger (the baseline)
#   floor       suppress_redundant_updates_trigger(): the cost of any row trigger
#   so          schema_oracle.set_updated_at()          (C, this extension)
#   moddatetime contrib moddatetime(updated_at)         (C, PostgreSQL's contrib)
#   plpgsql     BEGIN NEW.updated_at := now(); RETURN NEW; END
#
# One table; before each measurement the trigger of the variant is put in
# place and the table vacuumed, so every variant starts from the same state.
# Rounds interleave the variants (the order rotates every round), and the
# median and the minimum (the least disturbed sample on a busy machine) of
# each are compared with the baseline's. Workloads (MODES):
#   bulk          UPDATE of every row of a ROWS-row table in one statement:
#                 the per-row cost of the trigger, in ns per row (wall clock)
#   instructions  the same per-row cost in executed instructions, counted by
#                 valgrind (lackey) in the backend: immune to a busy
#                 machine. Each variant runs a session that UPDATEs every
#                 row and one that UPDATEs a single row; the difference,
#                 divided by ROWS - 1, is the per-row cost with the
#                 connection and statement set-up cancelled out.
#   single        pgbench, one client, single-row UPDATEs by primary key for
#                 SECONDS_EACH seconds: adds the per-statement set-up; the
#                 trigger's microsecond is far below the noise of a shared
#                 machine, so it is not run by default
#
#   bash bench/updated_at_bench.sh
#   ROWS=500000 ROUNDS=9 bash bench/updated_at_bench.sh
#   MODES="bulk single" SECONDS_EACH=5 bash bench/updated_at_bench.sh
#
# Uses the private PostgreSQL that scripts/test.sh stages under build/pg
# (run it first), else the one pg_config finds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -x "$root/build/pg/usr/lib/postgresql/15/bin/postgres" ]; then
    export PATH=$root/build/pg/usr/lib/postgresql/15/bin:$PATH
fi
export PGBIN=$(pg_config --bindir)
. scripts/lib/cluster.sh

lib=$(pg_config --pkglibdir)/schema_oracle.so
grep -q schema_oracle_set_updated_at "$lib" \
    || { echo "$lib has no set_updated_at: run scripts/test.sh first" >&2; exit 1; }
[ -f "$(pg_config --sharedir)/extension/moddatetime.control" ] \
    || { echo "contrib moddatetime is not installed (Debian: postgresql-15)" >&2; exit 1; }

ROWS=${ROWS:-200000}
ROUNDS=${ROUNDS:-7}
SECONDS_EACH=${SECONDS_EACH:-3}
MODES=${MODES:-"bulk instructions"}
VG_ROWS=${VG_ROWS:-10000}
VARIANTS=${VARIANTS:-"none floor so moddatetime plpgsql"}

work=$(mktemp -d /tmp/schema_oracle_bench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
so_cluster_init "$work/cluster" "shared_preload_libraries = ''" "autovacuum = off" >/dev/null
so_cluster_start "$work/cluster" "$port"
psql_() { so_as_postgres "$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$work/cluster" -p "$port" -U postgres -d bench "$@"; }
so_as_postgres "$PGBIN/createdb" -h "$work/cluster" -p "$port" -U postgres bench

psql_ <<SQL
CREATE EXTENSION schema_oracle;
ALTER DATABASE bench SET schema_oracle.guard = off;  -- measuring the trigger, not the guard
CREATE EXTENSION moddatetime;
CREATE FUNCTION touch_plpgsql() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
\$\$;
CREATE TABLE bench_t (id int PRIMARY KEY, v int NOT NULL, note text, updated_at timestamptz)
    WITH (fillfactor = 50);
INSERT INTO bench_t SELECT g, 0, 'row ' || g, now() FROM generate_series(1, $ROWS) g;
VACUUM ANALYZE bench_t;
SQL

use_variant() {  # use_variant NAME: the variant's trigger, nothing else
    local create=""
    case "$1" in
        none) ;;
        # The floor: the cheapest C row trigger PostgreSQL ships (compares the
        # row with the old one and returns it unchanged). What any BEFORE
        # UPDATE row trigger costs before its own work: the old row is
        # fetched and locked for the trigger, the new row materialised.
        floor) create="CREATE TRIGGER touch BEFORE UPDATE ON bench_t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();" ;;
        so) create="CREATE TRIGGER touch BEFORE UPDATE ON bench_t FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();" ;;
        moddatetime) create="CREATE TRIGGER touch BEFORE UPDATE ON bench_t FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at);" ;;
        plpgsql) create="CREATE TRIGGER touch BEFORE UPDATE ON bench_t FOR EACH ROW EXECUTE FUNCTION touch_plpgsql();" ;;
    esac
    psql_ -c "SET client_min_messages = warning" -c "DROP TRIGGER IF EXISTS touch ON bench_t" \
        ${create:+-c "$create"} -c "VACUUM bench_t" >/dev/null
}

bulk_seconds() {  # one UPDATE of every row, timed inside the server
    psql_ <<'SQL'
DO $$
DECLARE t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    UPDATE bench_t SET v = v + 1;
    RAISE NOTICE '%', extract(epoch FROM clock_timestamp() - t0);
END $$;
SQL
}

single_us() {  # pgbench single-row UPDATEs: microseconds per transaction
    echo "\\set id random(1, $ROWS)
UPDATE bench_t SET v = v + 1 WHERE id = :id;" >"$work/single.sql"
    chmod a+r "$work/single.sql"
    so_as_postgres "$PGBIN/pgbench" -n -h "$work/cluster" -p "$port" -U postgres -c 1 -j 1 \
        -T "$SECONDS_EACH" -f "$work/single.sql" bench 2>&1 \
        | sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p' | awk '{ printf "%.3f\n", $1 * 1000 }'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "updated_at trigger benchmark: $ROWS rows, $ROUNDS rounds, variants interleaved (order rotates)"
echo "$(postgres --version)"
for mode in $MODES; do
    [ "$mode" = instructions ] && continue
    declare -A samples=()
    variants=($VARIANTS)
    # warm-up, not counted
    for v in "${variants[@]}"; do
        use_variant "$v"
        if [ "$mode" = bulk ]; then bulk_seconds >/dev/null 2>&1; else SECONDS_EACH=1 single_us >/dev/null; fi
    done
    for r in $(seq 1 "$ROUNDS"); do
        n=${#variants[@]}
        for i in $(seq 0 $((n - 1))); do
            v=${variants[$(((i + r) % n))]}
            use_variant "$v"
            if [ "$mode" = bulk ]; then
                s=$(bulk_seconds 2>&1 | sed -n 's/^NOTICE:  //p')
            else
                s=$(single_us)
            fi
            samples[$v]="${samples[$v]:-} $s"
        done
    done
    base=$(echo ${samples[none]} | tr ' ' '\n' | median)
    echo
    if [ "$mode" = bulk ]; then
        echo "== bulk: UPDATE bench_t SET v = v + 1 ($ROWS rows per statement), median of $ROUNDS"
        printf "%-12s %10s %16s %14s %20s\n" variant seconds "overhead ns/row" "vs plpgsql" "min: ns/row, vs pl"
    else
        echo "== single: pgbench, 1 client, single-row UPDATE by primary key, ${SECONDS_EACH}s per sample, median of $ROUNDS"
        printf "%-12s %10s %16s %14s %20s\n" variant "us/update" "overhead us" "vs plpgsql" "min: us, vs pl"
    fi
    plpgsql_med=$(echo ${samples[plpgsql]} | tr ' ' '\n' | median)
    base_min=$(echo ${samples[none]} | tr ' ' '\n' | sort -n | head -n 1)
    plpgsql_min=$(echo ${samples[plpgsql]} | tr ' ' '\n' | sort -n | head -n 1)
    for v in "${variants[@]}"; do
        med=$(echo ${samples[$v]} | tr ' ' '\n' | median)
        min=$(echo ${samples[$v]} | tr ' ' '\n' | sort -n | head -n 1)
        awk -v v="$v" -v m="$med" -v b="$base" -v p="$plpgsql_med" -v mi="$min" -v bmi="$base_min" \
            -v pmi="$plpgsql_min" -v rows="$ROWS" -v mode="$mode" 'BEGIN {
            scale = (mode == "bulk") ? 1e9 / rows : 1
            over = m - b; pover = p - b; mover = mi - bmi; pmover = pmi - bmi
            ratio = (pover != 0 && v != "none") ? sprintf("%.2f", over / pover) : "-"
            mratio = (pmover != 0 && v != "none") ? sprintf("%.2f", mover / pmover) : "-"
            printf "%-12s %10.4f %16.1f %14s %13.1f, %5s\n", v, m, over * scale, ratio, mover * scale, mratio
        }'
    done
    echo "samples:"
    for v in "${variants[@]}"; do echo "  $v:${samples[$v]}"; done
    unset samples
done
if [[ " $MODES " == *" instructions "* ]]; then
    command -v valgrind >/dev/null || { echo "valgrind is not installed: no instruction counts" >&2; exit 1; }
    so_cluster_stop "$work/cluster"
    chmod 0777 "$work"
    vport=$(so_free_port)
    so_as_postgres valgrind --tool=lackey --basic-counts=yes --trace-children=yes \
        --log-file="$work/vg.%p" "$PGBIN/postgres" -D "$work/cluster/data" -p "$vport" \
        >"$work/vg-postmaster.log" 2>&1 &
    trap 'so_as_postgres "$PGBIN/pg_ctl" -D "$work/cluster/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
    for _ in $(seq 300); do
        so_as_postgres "$PGBIN/pg_isready" -q -h "$work/cluster" -p "$vport" && break
        sleep 1
    done
    port=$vport
    psql_ -c "TRUNCATE bench_t" -c "INSERT INTO bench_t SELECT g, 0, 'row ' || g, now() FROM generate_series(1, $VG_ROWS) g" >/dev/null
    session_instructions() {  # session_instructions WHERE: instructions of one session's UPDATE
        local pid
        pid=$(psql_ -c "SELECT pg_backend_pid()" -c "UPDATE bench_t SET v = v + 1 WHERE $1" | head -n 1)
        for _ in $(seq 1800); do grep -q "guest instrs:" "$work/vg.$pid" 2>/dev/null && break; sleep 1; done
        grep -m 1 "guest instrs:" "$work/vg.$pid" | awk '{ gsub(",", "", $NF); print $NF }'
    }
    echo
    echo "== instructions: per-row cost of UPDATE bench_t SET v = v + 1 ($VG_ROWS rows), valgrind lackey"
    printf "%-12s %16s %18s %14s\n" variant "instr/row" "overhead instr/row" "vs plpgsql"
    declare -A per_row=()
    for v in $VARIANTS; do
        use_variant "$v"
        all=$(session_instructions "true")
        use_variant "$v"
        one=$(session_instructions "id = 1")
        per_row[$v]=$(awk -v a="$all" -v b="$one" -v n="$VG_ROWS" 'BEGIN { printf "%.1f", (a - b) / (n - 1) }')
    done
    for v in $VARIANTS; do
        awk -v v="$v" -v m="${per_row[$v]}" -v b="${per_row[none]}" -v p="${per_row[plpgsql]}" 'BEGIN {
            over = m - b; pover = p - b
            ratio = (pover != 0 && v != "none") ? sprintf("%.2f", over / pover) : "-"
            printf "%-12s %16.1f %18.1f %14s\n", v, m, over, ratio
        }'
    done
fi

echo
echo "overhead = median(variant) - median(none) (min: the same with minimums); 'vs plpgsql' = overhead / plpgsql's overhead"
echo "target: so <= moddatetime, and so < 0.5 x plpgsql"
