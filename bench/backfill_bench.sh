#!/usr/bin/env bash
# backfill_bench.sh: schema_oracle.backfill() against the two usual ways of
# running the same UPDATE over a 1,000,000-row table, in one run on one
# throwaway cluster:
#   (a) one UPDATE statement;
#   (b) CALL schema_oracle.backfill() (adaptive batches, 200 ms target);
#   (c) the loop tutorials recommend: a procedure that runs
#       UPDATE ... WHERE id IN (SELECT id ... ORDER BY id LIMIT 1000 OFFSET n)
#       and COMMITs after each batch. It is quadratic, so it runs for at most
#       OFFSET_SECONDS (default 60) and its total is extrapolated from a
#       least-squares fit of its per-batch times (batch i costs a + c*i).
# It prints the throughput ratios and backfill()'s longest batch. Then, with
# pgbench updating random rows of the same table (4 clients), it runs (a)
# and (b) again and prints pgbench's p99 latency over the transactions
# scheduled while each ran. pgbench runs at a fixed rate (-R), so a client
# stuck behind a row lock does not hide the stall: its latency counts from
# the transaction's scheduled start (no coordinated omission).
#
#   bash bench/backfill_bench.sh [ROWS]      default ROWS=1000000
#
# Uses the private PostgreSQL copy that scripts/test.sh stages under build/pg
# (with this checkout's build installed), never the system's. Not part of the
# test suite; wall-clock numbers depend on the machine and its load.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rows=${1:-1000000}
offset_seconds=${OFFSET_SECONDS:-60}
bindir=$root/build/pg/usr/lib/postgresql/15/bin
[ -x "$bindir/postgres" ] || { echo "run bash scripts/test.sh first (it stages build/pg)" >&2; exit 1; }
export PATH=$bindir:$PATH PGBIN=$bindir
. scripts/lib/cluster.sh

work=$(mktemp -d /tmp/schema_oracle_bfbench.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
so_cluster_init "$work/cluster" "shared_buffers = 512MB" "autovacuum = off" \
    "max_wal_size = 8GB" "checkpoint_timeout = 30min" "max_connections = 20"
so_cluster_start "$work/cluster" "$port"
P() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/cluster" -p "$port" -U postgres -d postgres "$@"; }
Q() { P -At -c "$1"; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

P <<SQL
SET client_min_messages = warning;
CREATE EXTENSION schema_oracle;
ALTER DATABASE postgres SET schema_oracle.guard = off;
CREATE TABLE bench (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0,
                    other int NOT NULL DEFAULT 0, pad text);
INSERT INTO bench SELECT g, 0, 0, repeat('x', 60) FROM generate_series(1, $rows) g;
CREATE TABLE offset_log (batch int, done_at timestamptz);
CREATE PROCEDURE offset_loop(batch_size int, max_seconds float8) LANGUAGE plpgsql AS \$\$
DECLARE
    off bigint := 0;
    n bigint;
    i int := 0;
    started timestamptz := clock_timestamp();
BEGIN
    LOOP
        UPDATE bench SET counter = counter + 1
        WHERE id IN (SELECT id FROM bench ORDER BY id LIMIT batch_size OFFSET off);
        GET DIAGNOSTICS n = ROW_COUNT;
        EXIT WHEN n = 0;
        off := off + batch_size;
        i := i + 1;
        INSERT INTO offset_log VALUES (i, clock_timestamp());
        COMMIT;
        EXIT WHEN extract(epoch FROM clock_timestamp() - started) > max_seconds;
    END LOOP;
    INSERT INTO offset_log VALUES (0, started);
END \$\$;
SQL

fresh() { P -c "VACUUM (ANALYZE) bench" -c "CHECKPOINT"; }

# (a) one UPDATE
fresh
t0=$(now); Q "UPDATE bench SET counter = counter + 1" >/dev/null; t1=$(now)
single_s=$(calc "$t1 - $t0")

# (b) backfill()
fresh
t0=$(now)
P -c "CALL schema_oracle.backfill('bench', 'counter = counter + 1', job_name => 'bench')" \
    >"$work/backfill.log" 2>&1
t1=$(now)
backfill_s=$(calc "$t1 - $t0")
longest_ms=$(sed -n 's/.*longest batch \([0-9]*\) ms.*/\1/p' "$work/backfill.log" | tail -n 1)
read -r batches final_size <<<"$(Q "SELECT batches_done, current_batch_size FROM schema_oracle.backfill_jobs WHERE job_name = 'bench'" | tr '|' ' ')"

# (c) the OFFSET/LIMIT loop, time-limited, extrapolated
fresh
t0=$(now); P -c "CALL offset_loop(1000, $offset_seconds)"; t1=$(now)
offset_run_s=$(calc "$t1 - $t0")
read -r offset_batches offset_est_s <<<"$(Q "
    WITH t AS (
        SELECT batch AS i, extract(epoch FROM done_at - lag(done_at) OVER (ORDER BY batch)) AS s
        FROM offset_log),
    fit AS (SELECT regr_intercept(s, i) AS a, regr_slope(s, i) AS c, count(*) AS n
            FROM t WHERE i > 0 AND s IS NOT NULL)
    SELECT n + 1, round((($rows / 1000.0) * a + c * ($rows / 1000.0) * ($rows / 1000.0 + 1) / 2)::numeric, 1)
    FROM fit" | tr '|' ' ')"
offset_done=$((offset_batches * 1000))
[ "$offset_done" -gt "$rows" ] && offset_done=$rows

# pgbench updating random rows during (a) and during (b)
cat >"$work/writer.sql" <<SQL
\\set id random(1, $rows)
UPDATE bench SET other = other + 1 WHERE id = :id;
SQL
chmod 0644 "$work/writer.sql"
# p99_during START END LOGPREFIX: p99 and max latency (ms) of the pgbench
# transactions scheduled in [START, END] (with -R, the logged latency counts
# from the scheduled start), and their number.
p99_during() {
    cat "$3".* | awk -v s="$1" -v e="$2" '{ lat = $3 / 1e6; done = $5 + $6 / 1e6; st = done - lat;
        if (st >= s && st <= e) print $3 / 1000 }' | sort -n |
        awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a n/a 0"; exit } i = int(NR * 0.99); if (i < 1) i = 1;
            printf "%.1f %.1f %d\n", v[i], v[NR], NR }'
}
with_writers() {  # with_writers NAME SECONDS SQL...: runs SQL while pgbench writes
    local name=$1 secs=$2; shift 2
    fresh
    (cd "$work" && so_as_postgres "$bindir/pgbench" -n -h "$work/cluster" -p "$port" -U postgres \
        -c 4 -j 2 -R 400 -T "$secs" -f "$work/writer.sql" --log --log-prefix="$work/pgb_$name" postgres \
        >"$work/pgbench_$name.log" 2>&1) &
    local bench_pid=$!
    sleep 2
    local s e
    s=$(now)
    P "$@" >"$work/$name.writers.log" 2>&1
    e=$(now)
    wait "$bench_pid"
    echo "$s $e"
}
chmod 0777 "$work"
span_a=$(printf '%.0f' "$(calc "$single_s * 2 + 8")")
span_b=$(printf '%.0f' "$(calc "$backfill_s * 2 + 8")")
read -r as ae <<<"$(with_writers single "$span_a" -c "UPDATE bench SET counter = counter + 1")"
read -r bs be <<<"$(with_writers backfill "$span_b" -c "CALL schema_oracle.backfill('bench', 'counter = counter + 1', job_name => 'bench writers')")"
read -r p99_a max_a n_a <<<"$(p99_during "$as" "$ae" "$work/pgb_single")"
read -r p99_b max_b n_b <<<"$(p99_during "$bs" "$be" "$work/pgb_backfill")"
longest_w_ms=$(sed -n 's/.*longest batch \([0-9]*\) ms.*/\1/p' "$work/backfill.writers.log" | tail -n 1)
retries_w=$(Q "SELECT retries FROM schema_oracle.backfill_jobs WHERE job_name = 'bench writers'")
single_w_s=$(calc "$ae - $as")
backfill_w_s=$(calc "$be - $bs")

rate() { printf '%.0f' "$(calc "$1 / $2")"; }
echo "backfill benchmark: $rows rows, SET counter = counter + 1, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '  (a) one UPDATE           %8.2f s  %8s rows/s\n' "$single_s" "$(rate "$rows" "$single_s")"
printf '  (b) backfill()           %8.2f s  %8s rows/s  %s batches, longest %s ms (target 200), last size %s\n' \
    "$backfill_s" "$(rate "$rows" "$backfill_s")" "$batches" "$longest_ms" "$final_size"
printf '  (c) OFFSET/LIMIT loop    %8.2f s for %s rows (time-limited), extrapolated to %s rows: %s s\n' \
    "$offset_run_s" "$offset_done" "$rows" "$offset_est_s"
printf '  backfill / one UPDATE throughput:   %.2fx (target >= 0.8x)\n' "$(calc "$single_s / $backfill_s")"
printf '  backfill vs OFFSET loop:            %.0fx faster (extrapolated; target >= 50x)\n' \
    "$(calc "$offset_est_s / $backfill_s")"
printf '  longest batch / target:             %.2fx (target <= 2x)\n' "$(calc "$longest_ms / 200")"
echo "  with pgbench writers (4 clients, 400 tx/s in all, random single-row UPDATEs of the same table):"
printf '    (a) one UPDATE   %7.2f s; writers p99 %8s ms, max %8s ms over %s transactions\n' "$single_w_s" "$p99_a" "$max_a" "$n_a"
printf '    (b) backfill()   %7.2f s; writers p99 %8s ms, max %8s ms over %s transactions; longest batch %s ms, %s retries\n' \
    "$backfill_w_s" "$p99_b" "$max_b" "$n_b" "$longest_w_ms" "$retries_w"
printf '    writers p99 during backfill / target batch: %.2fx (target <= 2x)\n' "$(calc "$p99_b / 200")"
