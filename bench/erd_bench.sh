#!/usr/bin/env bash
# erd_bench.sh: how fast are schema_oracle.erd() and data_dictionary() on a
# large schema, written in C++ (what users call) and by the SQL reference
# implementation they replaced (schema_oracle._erd_sql(),
# _erd_data_dictionary_sql(), kept in extension/0.2.0/40-erd.sql)?
#
#   bash bench/erd_bench.sh [SIZES]        default SIZES="1000 10000"
#
# For each size N it creates a fresh database on one throwaway cluster with N
# tables spread over 20 schemas (each: a bigint primary key, 7 more columns,
# a UNIQUE column, two foreign keys to the two tables before it, one of them
# nullable, an index on the first; every 3rd table and column commented),
# then, for each call, both implementations on the same database: the median
# of 5 warm calls (one session, after one untimed call; 2 for the SQL
# data_dictionary(), the slow one) and a new session's first call (cold
# caches) for:
#   erd(format => 'mermaid'), erd(format => 'dot'), erd(keys_only => true),
#   erd(around => a table in the middle, depth => 2),
#   data_dictionary(format => 'markdown'), data_dictionary(format => 'json');
# the backend's CPU time per warm call (robust on a shared machine), the
# size of each output, the speed-up (SQL warm / C++ warm), a check that both
# wrote the same text, and, as the floor to compare with, a plain query
# that reads the same catalog rows (every column of every table with its
# type, and every foreign key) without writing any text: ratio = call / floor.
# At the end: the growth from the smallest to the largest size (warm CPU
# time per call, large / small), for both implementations.
# Measures this checkout's build in the test runner's private PostgreSQL copy
# (build/pg), never the machine-wide install. Not part of the test suite;
# wall-clock numbers vary by machine and load.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

sizes=${1:-"1000 10000"}
# This checkout's build, installed into the private PostgreSQL copy the test
# runner uses (scripts/lib/private_pg.sh, build/pg), never the machine-wide
# install; the extension is created with CREATE EXTENSION as users do.
. scripts/lib/private_pg.sh
so_private_pg_stage "$(pwd)/build/pg"
make -s -j2 >/dev/null
make -s install PG_CONFIG=/usr/bin/pg_config DESTDIR="$(pwd)/build/pg" >/dev/null
chmod -R a+rX build/pg
export PATH=$(so_private_pg_bindir "$(pwd)/build/pg"):$PATH
PGBIN=$(pg_config --bindir)

runs=5
work=$(mktemp -d /tmp/schema_oracle_erd_bench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
so_cluster_init "$work/cluster" "shared_buffers = 1GB" "max_locks_per_transaction = 4096" \
    "synchronous_commit = off" "autovacuum = off" "max_connections = 20" "work_mem = 64MB" \
    "checkpoint_timeout = 30min" "max_wal_size = 8GB"
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

generate() {  # generate DB N
    local db=$1 n=$2 batch=500 lo hi
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION schema_oracle"
    # the live guard would judge every CREATE TABLE of the generator
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "ALTER DATABASE $db SET schema_oracle.guard = off" \
        -c "DO \$\$ BEGIN FOR g IN 0..19 LOOP EXECUTE format('CREATE SCHEMA s%s', g); END LOOP; END \$\$"
    for ((lo = 1; lo <= n; lo += batch)); do
        hi=$((lo + batch - 1)); [ $hi -le $n ] || hi=$n
        psql -X -q -v ON_ERROR_STOP=1 -d "$db" <<SQL
DO \$\$
DECLARE t text;
BEGIN
    FOR i IN $lo..$hi LOOP
        t := format('s%s.t%s', i % 20, i);
        EXECUTE format('CREATE TABLE %s (id bigint PRIMARY KEY, p1 bigint NOT NULL, p2 bigint, code text UNIQUE, amount numeric(20,2) NOT NULL DEFAULT 0, note varchar(200), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz)', t);
        EXECUTE format('CREATE INDEX ON %s (p1)', t);
        IF i > 2 THEN
            EXECUTE format('ALTER TABLE %s ADD FOREIGN KEY (p1) REFERENCES s%s.t%s (id), ADD FOREIGN KEY (p2) REFERENCES s%s.t%s (id) ON DELETE SET NULL',
                           t, (i - 1) % 20, i - 1, (i - 2) % 20, i - 2);
        END IF;
        IF i % 3 = 0 THEN
            EXECUTE format('COMMENT ON TABLE %s IS %L', t, 'Table number ' || i);
            EXECUTE format('COMMENT ON COLUMN %s.amount IS %L', t, 'Amount in cents, table ' || i);
        END IF;
    END LOOP;
END \$\$;
SQL
    done
    psql -X -q -d "$db" -c "VACUUM ANALYZE pg_class, pg_attribute, pg_index, pg_constraint, pg_depend, pg_description, pg_attrdef, pg_trigger" >/dev/null
}

times_of() {  # times_of DB SQL: one line per warm run, milliseconds
    {
        echo "\\o /dev/null"
        echo "$2;"
        echo "\\timing on"
        for _ in $(seq 1 $runs); do echo "$2;"; done
    } | psql -X -q -d "$1" 2>&1 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
cpu_of() {  # cpu_of DB SQL: the backend's CPU time (user + system) per warm run, ms
    # (from /proc/PID/stat, 10 ms ticks; wall-clock time on a loaded machine
    # mostly measures the other processes)
    {
        echo "\\o /dev/null"
        echo "$2;"
        echo "SELECT pg_backend_pid() AS pid \\gset"
        echo "\\setenv BPID :pid"
        echo "\\! awk '{print \$14 + \$15}' /proc/\$BPID/stat >$work/cpu0"
        for _ in $(seq 1 $runs); do echo "$2;"; done
        echo "\\! awk -v b=\$(cat $work/cpu0) -v n=$runs '{printf \"cpu %.0f\\n\", (\$14 + \$15 - b) * 10 / n}' /proc/\$BPID/stat"
    } | psql -X -q -d "$1" 2>&1 | sed -n 's/^cpu //p'
}
cold_time() {  # first call in a new session
    { echo "\\o /dev/null"; echo "\\timing on"; echo "$2;"; } | psql -X -q -d "$1" 2>&1 \
        | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

q_floor="SELECT count(*), sum(length(a.attname)), sum(length(format_type(a.atttypid, a.atttypmod)))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'p') AND n.nspname ~ '^s[0-9]+\$'
UNION ALL SELECT count(*), sum(length(conname)), 0 FROM pg_constraint WHERE contype = 'f'"

declare -A cpu_at  # "impl|call|N" -> warm CPU ms per call
first_n=""
last_n=""
calls=("erd(format => 'mermaid')" "erd(format => 'dot')" "erd(format => 'dot', keys_only => true)"
       "erd(format => 'dot', around => 'MID', depth => 2)"
       "data_dictionary(format => 'markdown')" "data_dictionary(format => 'json')")
sql_name() {  # the SQL reference of a call
    case $1 in
        erd*) echo "schema_oracle._erd_sql${1#erd}" ;;
        data_dictionary*) echo "schema_oracle._erd_data_dictionary_sql${1#data_dictionary}" ;;
    esac
}

for n in $sizes; do
    db=erd_bench_$n
    start=$(date +%s)
    generate "$db" "$n"
    gen=$(( $(date +%s) - start ))
    mid=$(( n / 2 ))
    fks=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")
    cols=$(psql -X -At -d "$db" -c "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname ~ '^s[0-9]+\$' AND c.relkind = 'r' AND a.attnum > 0")
    echo
    echo "== $n tables in 20 schemas, $cols columns, $fks foreign keys (generated in ${gen}s)"
    floor=$(times_of "$db" "$q_floor" | median)
    printf "%-58s %-4s %9s %9s %8s %11s %7s %8s %5s\n" call impl warm_ms cold_ms cpu_ms output_bytes ratio speedup same
    printf "%-58s %-4s %9.1f %9.1f %8s %11s %7s %8s %5s\n" "floor: read the same catalog rows, no text" - "$floor" \
        "$(cold_time "$db" "$q_floor")" "$(cpu_of "$db" "$q_floor")" - 1.0x - -
    for call in "${calls[@]}"; do
        call=${call/MID/s$((mid % 20)).t$mid}
        key=${call/s$((mid % 20)).t$mid/MID}
        cpp="schema_oracle.$call"
        ref=$(sql_name "$call")
        same=$(psql -X -At -d "$db" -c "SELECT md5($cpp) = md5($ref)")
        cpp_warm=""
        for impl in c++ sql; do
            if [ $impl = c++ ]; then expr=$cpp; else expr=$ref; fi
            sql="SELECT $expr"
            case $impl$call in sqldata_dictionary*) runs=2 ;; *) runs=5 ;; esac
            warm=$(times_of "$db" "$sql" | median)
            cold=$(cold_time "$db" "$sql")
            cpu=$(cpu_of "$db" "$sql")
            bytes=$(psql -X -At -d "$db" -c "SELECT octet_length($expr)")
            ratio=$(awk -v a="$warm" -v b="$floor" 'BEGIN {printf "%.1f", a / b}')
            if [ $impl = c++ ]; then
                cpp_warm=$warm
                speedup=-
            else
                speedup=$(awk -v a="$warm" -v b="$cpp_warm" 'BEGIN {printf "%.1fx", a / b}')
            fi
            printf "%-58s %-4s %9.1f %9.1f %8s %11s %7s %8s %5s\n" "$call" "$impl" "$warm" "$cold" "$cpu" "$bytes" \
                "${ratio}x" "$speedup" "$same"
            cpu_at["$impl|$key|$n"]=$cpu
        done
    done
    psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
    [ -n "$first_n" ] || first_n=$n
    last_n=$n
done

if [ "$first_n" != "$last_n" ]; then
    echo
    echo "== growth from $first_n to $last_n tables (warm CPU ms per call; ideal: $((last_n / first_n))x)"
    printf "%-58s %-4s %9s %9s %8s\n" call impl "cpu@$first_n" "cpu@$last_n" growth
    for call in "${calls[@]}"; do
        for impl in c++ sql; do
            a=${cpu_at["$impl|$call|$first_n"]:-nan}
            b=${cpu_at["$impl|$call|$last_n"]:-nan}
            g=$(awk -v a="$a" -v b="$b" 'BEGIN {if (a + 0 > 0) printf "%.1fx", b / a; else print "-"}')
            printf "%-58s %-4s %9s %9s %8s\n" "$call" "$impl" "$a" "$b" "$g"
        done
    done
fi
