#!/usr/bin/env bash
# report_bench.sh: how fast is schema_oracle.report() on a large catalog,
# compared with the plain-SQL checks a DBA would write, and how does it grow?
#
#   bash bench/report_bench.sh [SIZES]        default SIZES="1000 10000 50000"
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
#     RSS right before a warm call.
# Measures this checkout's build (make first), loaded by absolute path, so it
# never touches the machine-wide install. Not part of the test suite;
# wall-clock numbers vary by machine (and with whatever else it runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

sizes=${1:-"1000 10000 50000"}

# This checkout's build, loaded by absolute path: the benchmark neither needs
# nor touches the machine-wide install (which another checkout may replace at
# any time). The install script is run as plain SQL in schema schema_oracle
# (not as an extension), so report() also sees its own few objects.
[ -f schema_oracle.so ] || { echo "build first: make (or bash scripts/test.sh)" >&2; exit 1; }

runs=5
work=$(mktemp -d /tmp/schema_oracle_bench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
install -m 0755 schema_oracle.so "$work/schema_oracle.so"
sed -e '/^\\echo Use/d' -e "s|MODULE_PATHNAME|$work/schema_oracle.so|g" \
    -e '/pg_extension_config_dump/d' "schema_oracle--$(sed -n "s/^default_version = '\(.*\)'/\1/p" schema_oracle.control).sql" >"$work/install.sql"
chmod 0644 "$work/install.sql"
so_cluster_init "$work/cluster" "shared_buffers = 2GB" "max_locks_per_transaction = 4096" \
    "synchronous_commit = off" "autovacuum = off" "max_connections = 20" "work_mem = 64MB" \
    "checkpoint_timeout = 30min" "max_wal_size = 8GB"
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

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

generate() {  # generate DB N
    local db=$1 n=$2 batch=500 lo hi
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA schema_oracle; CREATE SCHEMA bench;"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$work/install.sql" >/dev/null
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
    psql -X -q -d "$db" -c "VACUUM ANALYZE pg_class, pg_attribute, pg_index, pg_constraint, pg_depend, pg_trigger, pg_proc, pg_type" >/dev/null
}

# times_of DB SQL: one line per run, milliseconds, from one warm session
# (one untimed warm-up first).
times_of() {
    local db=$1 sql=$2
    {
        echo "\\o /dev/null"
        echo "$sql;"
        echo "\\timing on"
        for _ in $(seq 1 $runs); do echo "$sql;"; done
    } | psql -X -q -d "$db" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

cold_time() {  # first call in a new session
    { echo "\\o /dev/null"; echo "\\timing on"; echo "$2;"; } | psql -X -q -d "$1" 2>&1 \
        | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}

peak_kb() {  # peak RSS growth of a warm report() call, kB
    local db=$1
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

printf "\n%-8s %8s %8s %8s %7s %9s %9s %9s %9s %9s %7s %9s %9s %7s %8s\n" tables fks indexes \
    findings gen_s report_ms fk_ms nopk_ms dup_ms trio_ms ratio cold_rep cold_trio ratio peak_MB
results=()
for n in $sizes; do
    db=bench_$n
    start=$(date +%s)
    generate "$db" "$n"
    gen=$(( $(date +%s) - start ))
    fks=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
    idx=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'bench'")
    findings=$(psql -X -At -d "$db" -c "SELECT count(*) FROM schema_oracle.report()")
    cold=$(cold_time "$db" "$q_report")
    rep=$(times_of "$db" "$q_report" | median)
    peak=$(peak_kb "$db")
    fk=$(times_of "$db" "$q_fk" | median)
    pk=$(times_of "$db" "$q_pk" | median)
    dup=$(times_of "$db" "$q_dup" | median)
    trio=$(awk -v a="$fk" -v b="$pk" -v c="$dup" 'BEGIN {printf "%.1f", a + b + c}')
    ratio=$(awk -v t="$trio" -v r="$rep" 'BEGIN {printf "%.1f", t / r}')
    ctrio=$(awk -v a="$(cold_time "$db" "$q_fk")" -v b="$(cold_time "$db" "$q_pk")" \
        -v c="$(cold_time "$db" "$q_dup")" 'BEGIN {printf "%.1f", a + b + c}')
    cratio=$(awk -v t="$ctrio" -v r="$cold" 'BEGIN {printf "%.1f", t / r}')
    peak_mb=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
    printf "%-8s %8s %8s %8s %7s %9.1f %9.1f %9.1f %9.1f %9s %7s %9.1f %9s %7s %8s\n" "$n" "$fks" \
        "$idx" "$findings" "$gen" "$rep" "$fk" "$pk" "$dup" "$trio" "${ratio}x" "$cold" "$ctrio" \
        "${cratio}x" "$peak_mb"
    results+=("$n $rep")
    psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
done

# Growth: measured time ratio against linear and n log n between sizes.
if [ ${#results[@]} -gt 1 ]; then
    echo
    echo "growth of report() (warm median) between sizes:"
    for ((k = 1; k < ${#results[@]}; k++)); do
        read -r n0 t0 <<<"${results[0]}"
        read -r n1 t1 <<<"${results[$k]}"
        awk -v n0="$n0" -v t0="$t0" -v n1="$n1" -v t1="$t1" 'BEGIN {
            printf "  %d -> %d tables: time x%.1f (linear x%.1f, n log n x%.1f)\n",
                n0, n1, t1 / t0, n1 / n0, (n1 * log(n1)) / (n0 * log(n0)) }'
    done
fi
