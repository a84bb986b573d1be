#!/usr/bin/env bash
# report_bench.sh: how fast is schema_oracle.report() on a large catalog,
# compared with the plain-SQL checks a DBA would write, and how does it grow?
#
#   bash bench/report_bench.sh [SIZES]        default SIZES="1000 10000 50000"
#
#   SO_BEFORE=DIR       also measure an older build (DIR holds its
#                       schema_oracle.so and schema_oracle--<version>.sql, e.g.
#                       copied from a checkout of main): both sides run on the
#                       same cluster, on identical copies of each database, and
#                       the after/before ratios are printed.
#   SPLINTER_DIR=DIR    a checkout of supabase/splinter: its lints 0001
#                       (unindexed FK), 0004 (no primary key) and 0009
#                       (duplicate index) are timed against report() for the
#                       same three rules. Without it that column says skipped;
#                       above SPLINTER_MAX_TABLES (default 10000) too.
#   SO_RULE_SIZE=N      the size at which every rule is also timed alone
#                       (default 10000; 0 = never).
#   SO_BENCH_CLOCK=cpu|wall  what a time is: the backend's CPU time per call
#                       (default; robust on a shared machine) or wall clock.
#
# For each size N (tables) it creates a fresh database on one throwaway
# cluster with N tables, ~2N foreign keys and 5N indexes (every table: a key,
# an index covering its first FK, (a, b), and either a redundant (a) plus
# (b, p2) leaving its second FK uncovered, or, every 7th table, a duplicate
# pair on (c); every 10th table has a UNIQUE key instead of a primary key),
# then prints:
#   - report() (all rules, every finding returned): the first call in a new
#     session (cold caches) and the median of 5 warm calls;
#   - the plain-SQL trio (FK without index, table without primary key,
#     duplicate indexes; the queries are below, as found in the PostgreSQL
#     wiki and DBA blogs): median of 5 warm runs of each, summed;
#   - the ratio trio / report();
#   - both again as a new session's first call (cold caches: what a CI job
#     that connects, checks and disconnects pays), and their ratio;
#   - report()'s peak memory: growth of the backend's peak RSS (VmHWM, reset
#     through /proc/PID/clear_refs just before the call; needs root) over its
#     RSS right before a warm call;
#   - report(rules => the three splinter also has) against splinter's three
#     lints (warm medians) and their ratio;
#   - at SO_RULE_SIZE tables: every report() rule alone (warm median each),
#     the slowest one named;
#   - the floor: a count(*) of every catalog report() reads (warm, and in a
#     new session) plus sending report()'s rows from a plain table, and how
#     much of report()'s time is above it.
# The tables are generated once per size without the extension; each side
# then gets its own copy of that database (CREATE DATABASE ... TEMPLATE) with
# its install script run as plain SQL.
# Measures this checkout's build (make first), loaded by absolute path, so it
# never touches the machine-wide install. Not part of the test suite;
# wall-clock numbers vary by machine (and with whatever else it runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

sizes=${1:-"1000 10000 50000"}
rule_size=${SO_RULE_SIZE:-10000}
before_dir=${SO_BEFORE:-}
splinter_dir=${SPLINTER_DIR:-}
splinter_max=${SPLINTER_MAX_TABLES:-10000}

# This checkout's build, loaded by absolute path: the benchmark neither needs
# nor touches the machine-wide install (which another checkout may replace at
# any time). The install script is run as plain SQL in schema schema_oracle
# (not as an extension), so report() also sees its own few objects.
[ -f schema_oracle.so ] || { echo "build first: make (or bash scripts/test.sh)" >&2; exit 1; }
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" schema_oracle.control)

runs=5
work=$(mktemp -d /tmp/schema_oracle_bench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT

# stage_side NAME SO SQL: the module and its install script under $work/NAME.
stage_side() {
    mkdir -p "$work/$1"
    chmod 0755 "$work/$1"
    install -m 0755 "$2" "$work/$1/schema_oracle.so"
    # Run as plain SQL in a schema the benchmark creates: the release's
    # schema-ownership check (extension/0.2.0/95-schema-ownership.sql, the
    # script's last part) guards CREATE EXTENSION and would refuse that.
    sed -e '/^\\echo Use/d' -e "s|MODULE_PATHNAME|$work/$1/schema_oracle.so|g" \
        -e '/pg_extension_config_dump/d' -e '/^-- 95-schema-ownership/,$d' "$3" >"$work/$1/install.sql"
    chmod 0644 "$work/$1/install.sql"
}
sides="after"
stage_side after schema_oracle.so "schema_oracle--$version.sql"
if [ -n "$before_dir" ]; then
    before_sql=$(ls "$before_dir"/schema_oracle--*.sql | grep -v -- '--.*--' | sort -V | tail -n 1)
    stage_side before "$before_dir/schema_oracle.so" "$before_sql"
    sides="before after"
fi
so_cluster_init "$work/cluster" "shared_buffers = 2GB" "max_locks_per_transaction = 4096" \
    "synchronous_commit = off" "autovacuum = off" "max_connections = 20" "work_mem = 64MB" \
    "checkpoint_timeout = 30min" "max_wal_size = 8GB"
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

# splinter's three lints as plain queries (the view header and the final
# semicolon removed).
splinter_sql() {  # splinter_sql FILE-STEM
    local f
    f=$(ls "$splinter_dir"/lints/"$1"*.sql 2>/dev/null | head -n 1)
    [ -n "$f" ] || return 1
    sed -e '/^create view/d' "$f" | sed -e ':a;N;$!ba;s/;[[:space:]]*$//'
}
have_splinter=0
if [ -n "$splinter_dir" ] && splinter_sql 0001 >/dev/null && splinter_sql 0004 >/dev/null &&
    splinter_sql 0009 >/dev/null; then
    have_splinter=1
    q_sp1=$(splinter_sql 0001)
    q_sp4=$(splinter_sql 0004)
    q_sp9=$(splinter_sql 0009)
fi
# The trio, written the way a DBA would (no extension).
q_fk="SELECT c.conrelid::regclass AS table_name, c.conname
FROM pg_constraint c
WHERE c.contype = 'f'
  AND NOT EXISTS (
      SELECT 1 FROM pg_index i
      WHERE i.indrelid = c.conrelid
        AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] @> c.conkey
        AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] <@ c.conkey)"
q_pk="SELECT n.nspname, c.relname
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p')"
q_dup="SELECT pg_size_pretty(sum(pg_relation_size(idx))::bigint) AS size,
       (array_agg(idx))[1] AS idx1, (array_agg(idx))[2] AS idx2
FROM (SELECT indexrelid::regclass AS idx,
             (indrelid::text || E'\n' || indclass::text || E'\n' || indkey::text || E'\n' ||
              coalesce(indexprs::text, '') || E'\n' || coalesce(indpred::text, '')) AS key
      FROM pg_index) sub
GROUP BY key HAVING count(*) > 1
ORDER BY sum(pg_relation_size(idx)) DESC"
q_report="SELECT * FROM schema_oracle.report()"
q_three="SELECT * FROM schema_oracle.report(rules => ARRAY['fk_missing_index', 'missing_primary_key', 'duplicate_index'])"

# generate DB N: the tables, without the extension (each side installs its
# own copy into a clone of this database: install_side).
generate() {
    local db=$1 n=$2 batch=500 lo hi
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA bench;"
    for ((lo = 1; lo <= n; lo += batch)); do
        hi=$((lo + batch - 1)); [ $hi -le $n ] || hi=$n
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
DO \$\$
DECLARE t text;
BEGIN
    FOR i IN $lo..$hi LOOP
        t := 'bench.t' || i;
        IF i % 10 = 0 THEN
            EXECUTE format('CREATE TABLE %s (id bigint NOT NULL UNIQUE, p1 bigint, p2 bigint, a int, b int, c int, note text, created_at timestamptz, updated_at timestamptz)', t);
        ELSE
            EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, p1 bigint, p2 bigint, a int, b int, c int, note text, created_at timestamptz, updated_at timestamptz)', t);
        END IF;
        EXECUTE format('CREATE INDEX ON %s (p1)', t);
        EXECUTE format('CREATE INDEX ON %s (a, b)', t);
        IF i % 7 = 0 THEN
            EXECUTE format('CREATE INDEX ON %s (c)', t);
            EXECUTE format('CREATE INDEX ON %s (c)', t);
        ELSE
            EXECUTE format('CREATE INDEX ON %s (a)', t);
            EXECUTE format('CREATE INDEX ON %s (b, p2)', t);
        END IF;
        IF i > 2 THEN
            EXECUTE format('ALTER TABLE %s ADD FOREIGN KEY (p1) REFERENCES bench.t%s (id), ADD FOREIGN KEY (p2) REFERENCES bench.t%s (id)', t, i - 1, i - 2);
        END IF;
    END LOOP;
END \$\$;
SQL
    done
}

install_side() {  # install_side TEMPLATE-DB SIDE: database ${TEMPLATE}_${SIDE}
    local db=${1}_$2
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db TEMPLATE $1"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA schema_oracle;"
    PGOPTIONS="-c client_min_messages=error" \
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/$2/install.sql" >/dev/null
    psql -X -q -d "$db" -c "VACUUM ANALYZE pg_class, pg_attribute, pg_index, pg_constraint, pg_depend, pg_trigger, pg_proc, pg_type" >/dev/null
}

# times_of DB SQL: one line per run, milliseconds, from one warm session
# (one untimed warm-up first). SO_BENCH_CLOCK=cpu (the default) measures the
# backend's own CPU time per call (/proc/PID/schedstat, nanoseconds), which a
# machine shared with other work disturbs far less than wall-clock time;
# SO_BENCH_CLOCK=wall measures psql's \timing.
clock=${SO_BENCH_CLOCK:-cpu}
times_of() {
    local db=$1 sql=$2
    if [ "$clock" = wall ]; then
        {
            echo "\\o /dev/null"
            echo "$sql;"
            echo "\\timing on"
            for _ in $(seq 1 $runs); do echo "$sql;"; done
        } | psql -X -q -d "$db" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
        return
    fi
    {
        echo "SELECT pg_backend_pid() AS pid \\gset"
        echo "\\setenv BACKEND_PID :pid"
        echo "\\o /dev/null"
        echo "$sql;"
        for _ in $(seq 1 $runs); do
            echo "\\! awk '{print \"CPU\", \$1}' /proc/\$BACKEND_PID/schedstat"
            echo "$sql;"
        done
        echo "\\! awk '{print \"CPU\", \$1}' /proc/\$BACKEND_PID/schedstat"
    } | psql -X -q -d "$db" 2>&1 |
        awk '/^CPU/ {if (prev != "") printf "%.1f\n", ($2 - prev) / 1e6; prev = $2}'
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

cold_time() {  # first call in a new session (the same clock as times_of)
    if [ "$clock" = wall ]; then
        { echo "\\o /dev/null"; echo "\\timing on"; echo "$2;"; } | psql -X -q -d "$1" 2>&1 \
            | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
        return
    fi
    {
        echo "SELECT pg_backend_pid() AS pid \\gset"
        echo "\\setenv BACKEND_PID :pid"
        echo "\\o /dev/null"
        echo "\\! awk '{print \"CPU\", \$1}' /proc/\$BACKEND_PID/schedstat"
        echo "$2;"
        echo "\\! awk '{print \"CPU\", \$1}' /proc/\$BACKEND_PID/schedstat"
    } | psql -X -q -d "$1" 2>&1 |
        awk '/^CPU/ {if (prev != "") printf "%.1f\n", ($2 - prev) / 1e6; prev = $2}'
}

peak_kb() {  # peak RSS growth of a warm report() call, kB
    local db=$1 q_report=${2:-$q_report}
    psql -X -q -d "$db" <<SQL 2>&1 | awk '/^RSS_BEFORE/ {b=$2} /^HWM_AFTER/ {a=$2} END {print a-b}'
\o /dev/null
$q_report;
\o
SELECT pg_backend_pid() AS pid \gset
\setenv BACKEND_PID :pid
\! echo 5 > /proc/\$BACKEND_PID/clear_refs; awk '/^VmRSS/ {print "RSS_BEFORE", \$2}' /proc/\$BACKEND_PID/status
\o /dev/null
$q_report;
\o
\! awk '/^VmHWM/ {print "HWM_AFTER", \$2}' /proc/\$BACKEND_PID/status
SQL
}

rules_of() {  # the rules report() judges, one per line
    psql -X -At -d "$1" -c "SELECT rule FROM schema_oracle.rules WHERE judged_by LIKE '%report%' ORDER BY rule"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "nan"}'; }

declare -A growth
for n in $sizes; do
    base=bench_$n
    start=$(date +%s)
    generate "$base" "$n"
    gen=$(( $(date +%s) - start ))
    for side in $sides; do install_side "$base" "$side"; done
    db=${base}_after
    fks=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
    idx=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'bench'")
    echo
    echo "== $n tables, $fks foreign keys, $idx indexes (generated in ${gen}s); times: $clock ms, median of $runs"
    printf "%-7s %8s %9s %9s %9s %8s %9s %9s\n" side findings all_ms three_ms cold_ms peak_MB \
        trio_ms "trio/all"
    declare -A all three cold
    for side in $sides; do
        db=${base}_$side
        findings=$(psql -X -At -d "$db" -c "SELECT count(*) FROM schema_oracle.report()")
        cold[$side]=$(cold_time "$db" "$q_report")
        all[$side]=$(times_of "$db" "$q_report" | median)
        three[$side]=$(times_of "$db" "$q_three" | median)
        peak=$(peak_kb "$db")
        peak_mb=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
        if [ "$side" = after ]; then
            fk=$(times_of "$db" "$q_fk" | median)
            pk=$(times_of "$db" "$q_pk" | median)
            dup=$(times_of "$db" "$q_dup" | median)
            trio=$(awk -v a="$fk" -v b="$pk" -v c="$dup" 'BEGIN {printf "%.1f", a + b + c}')
        else
            trio=-
        fi
        printf "%-7s %8s %9.1f %9.1f %9.1f %8s %9s %9s\n" "$side" "$findings" "${all[$side]}" \
            "${three[$side]}" "${cold[$side]}" "$peak_mb" "$trio" \
            "$( [ "$trio" = - ] && echo - || echo "$(ratio "$trio" "${all[$side]}")x")"
    done
    # The default returns report()'s freed heap after every call; a session
    # that calls report() again and again may keep it (report_keep_memory).
    kept=$(times_of "${base}_after" "SET schema_oracle.report_keep_memory = '256MB'; $q_report" | median)
    echo "all rules with schema_oracle.report_keep_memory = 256MB (freed heap kept between calls): $kept ms (default 0: ${all[after]} ms)"
    # The floor under an all-rules call, measured on the same database and
    # cluster: scanning the catalogs report() reads (a count(*) of each, in
    # the backend: no parallel workers) and sending the same rows to the
    # client from a plain table (CREATE TABLE AS report(); SELECT * of it).
    # What report() costs above their sum is its own work.
    q_scan="SET max_parallel_workers_per_gather = 0; SELECT (SELECT count(*) FROM pg_namespace) + (SELECT count(*) FROM pg_am) + (SELECT count(*) FROM pg_class) + (SELECT count(*) FROM pg_attribute) + (SELECT count(*) FROM pg_index) + (SELECT count(*) FROM pg_constraint) + (SELECT count(*) FROM pg_trigger) + (SELECT count(*) FROM pg_language) + (SELECT count(*) FROM pg_proc) + (SELECT count(*) FROM pg_sequence)"
    db=${base}_after
    # (client_min_messages: the loaded module's guard comments on both DDL statements)
    PGOPTIONS="-c client_min_messages=error" \
        psql -X -q -d "$db" -c "CREATE TABLE public.report_rows AS SELECT * FROM schema_oracle.report()"
    scan=$(times_of "$db" "$q_scan" | median)
    scan_cold=$(cold_time "$db" "$q_scan")
    send=$(times_of "$db" "SET max_parallel_workers_per_gather = 0; SELECT * FROM public.report_rows" | median)
    PGOPTIONS="-c client_min_messages=error" psql -X -q -d "$db" -c "DROP TABLE public.report_rows"
    awk -v scan="$scan" -v cold="$scan_cold" -v send="$send" -v all="${all[after]}" -v first="${cold[after]}" 'BEGIN {
        printf "floor: catalog scans %.1f ms (new session %.1f) + the same rows sent from a table %.1f ms = %.1f ms;", scan, cold, send, scan + send
        printf " all rules %.1f ms = floor + %.1f ms of report()'"'"'s own work; first call %.1f ms = new-session floor + %.1f ms\n", all, all - scan - send, first, first - cold - send }'
    growth[$n]=${all[after]}
    if [ -n "$before_dir" ]; then
        echo "after/before: all rules x$(ratio "${all[after]}" "${all[before]}"), three rules" \
            "x$(ratio "${three[after]}" "${three[before]}"), first call" \
            "x$(ratio "${cold[after]}" "${cold[before]}")"
    fi
    if [ "$have_splinter" = 1 ] && [ "$n" -gt "$splinter_max" ]; then
        echo "splinter comparison: skipped above $splinter_max tables (SPLINTER_MAX_TABLES; its lint 0001 takes minutes there)"
    elif [ "$have_splinter" = 1 ]; then
        db=${base}_after
        s1=$(times_of "$db" "$q_sp1" | median)
        s4=$(times_of "$db" "$q_sp4" | median)
        s9=$(times_of "$db" "$q_sp9" | median)
        sp=$(awk -v a="$s1" -v b="$s4" -v c="$s9" 'BEGIN {printf "%.1f", a + b + c}')
        echo "splinter 0001+0004+0009: $sp ms (0001 $s1, 0004 $s4, 0009 $s9);" \
            "report() for the same three rules: ${three[after]} ms = 1/$(ratio "$sp" "${three[after]}") of splinter's time"
    else
        echo "splinter comparison: skipped (set SPLINTER_DIR to a checkout of supabase/splinter)"
    fi
    if [ "$n" = "$rule_size" ]; then
        echo "each rule alone, warm median ms:"
        for side in $sides; do
            db=${base}_$side
            worst=0 worst_rule=
            line=""
            for rule in $(rules_of "$db"); do
                t=$(times_of "$db" "SELECT * FROM schema_oracle.report(rules => ARRAY['$rule'])" | median)
                line+=$(printf " %s=%.1f" "$rule" "$t")
                if awk -v a="$t" -v b="$worst" 'BEGIN {exit !(a > b)}'; then worst=$t worst_rule=$rule; fi
            done
            echo "  $side:$line"
            echo "  $side: slowest single rule $worst_rule $worst ms"
        done
    fi
    for side in $sides; do psql -X -q -d postgres -c "DROP DATABASE ${base}_$side" >/dev/null; done
    psql -X -q -d postgres -c "DROP DATABASE $base" >/dev/null
done

# Growth: measured time ratio against linear and n log n between sizes.
set -- $sizes
if [ $# -gt 1 ]; then
    echo
    echo "growth of report() (all rules, warm median, this build) between sizes:"
    prev=$1
    shift
    for n1 in "$@"; do
        awk -v n0="$prev" -v t0="${growth[$prev]}" -v n1="$n1" -v t1="${growth[$n1]}" 'BEGIN {
            printf "  %d -> %d tables: %.1f -> %.1f ms, time x%.1f (linear x%.1f, n log n x%.1f)\n",
                n0, n1, t0, t1, t1 / t0, n1 / n0, (n1 * log(n1)) / (n0 * log(n0)) }'
        prev=$n1
    done
fi
