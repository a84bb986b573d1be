#!/usr/bin/env bash
# ddl_log_survives: rows of blocked statements and rolled-back migrations
# reach schema_oracle.ddl_log through a background worker, written before
# the error is raised; with no worker slot
# free (max_worker_processes = 0) they go to the server log, which says so.
# Uses the installed extension; installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

dir=${SO_WORK:?SO_WORK must name a scratch directory}/ddl_log_survives
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir" "log_min_messages = warning" "max_worker_processes = 8"
so_cluster_start "$dir" "$port"
psql_() { so_as_postgres "$PGBIN/psql" -X -q -h "$dir" -p "$port" -U postgres "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

psql_ -d postgres -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE TABLE big (id bigint PRIMARY KEY);
INSERT INTO big SELECT generate_series(1, 1000);
ALTER DATABASE postgres SET schema_oracle.size_threshold = 0;
SQL

# A blocked statement: its row is in the log although the transaction rolled
# back (the session ends without ever reaching a COMMIT).
out=$(psql_ -d postgres -c "SET schema_oracle.guard = block" -c "SET lock_timeout = '5s'" \
    -c "BEGIN" -c "CREATE INDEX big_idx ON big (id)" 2>&1 || true)
echo "$out"
grep -q "\[create_index_not_concurrently\]" <<<"$out" || fail "the statement was not blocked"
rows=$(psql_ -d postgres -At -c "SELECT count(*) FROM schema_oracle.ddl_log WHERE command_tag = 'CREATE INDEX' AND action = 'blocked' AND outcome = 'rolled back'")
[ "$rows" = 1 ] || fail "the blocked statement's row is missing ($rows rows)"

# No worker slot: the rows go to the server log, which says why.
so_cluster_stop "$dir"
echo "max_worker_processes = 0" >>"$dir/data/postgresql.conf"
so_cluster_start "$dir" "$port"
out=$(psql_ -d postgres -c "SET lock_timeout = '5s'" -c "BEGIN" -c "ALTER TABLE big ADD COLUMN note text" \
    -c "ROLLBACK" 2>&1)
echo "$out"
sleep 1
grep -q "could not write 1 DDL log row(s) to schema_oracle.ddl_log (no background worker slot free (max_worker_processes)); the rows follow" \
    "$dir/server.log" || { tail -n 20 "$dir/server.log"; fail "no fallback message in the server log"; }
grep -q '"tag":"ALTER TABLE"' "$dir/server.log" || fail "the row is not in the server log"
echo "ok"
