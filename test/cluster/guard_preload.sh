#!/usr/bin/env bash
# guard_preload: the ProcessUtility hook judges VACUUM FULL, CLUSTER, REINDEX
# and TRUNCATE in every session once an administrator preloads the library
# (docs/guard.md): per database with session_preload_libraries, or for the
# cluster with shared_preload_libraries. Without either, a fresh session that
# runs no other DDL first is not judged: that is why the preload is needed.
# Uses the installed extension; installs nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

dir=${SO_WORK:?SO_WORK must name a scratch directory}/guard_preload
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir" "log_min_messages = warning"
so_cluster_start "$dir" "$port"
psql_() { so_as_postgres "$PGBIN/psql" -X -q -h "$dir" -p "$port" -U postgres "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

for db in app plain; do
    psql_ -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db"
    psql_ -d "$db" -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE TABLE t (id bigint PRIMARY KEY);
INSERT INTO t SELECT generate_series(1, 1000);
SQL
done
psql_ -d postgres -v ON_ERROR_STOP=1 \
    -c "ALTER DATABASE app SET session_preload_libraries = 'schema_oracle'" \
    -c "ALTER DATABASE app SET schema_oracle.size_threshold = 0" \
    -c "ALTER DATABASE plain SET schema_oracle.size_threshold = 0"

# The guard's messages start "WARNING:  schema_oracle:" (or NOTICE/ERROR); match
# that, not the bare name, which a checkout path may contain.
# A fresh session whose first statement is VACUUM FULL: judged in app.
out=$(psql_ -d app -c "SET lock_timeout = '5s'" -c "VACUUM FULL t" 2>&1)
echo "$out"
grep -q "\[vacuum_full\]" <<<"$out" || fail "app: VACUUM FULL was not judged with session_preload_libraries"

# ... and not in plain, where nothing loaded the library first.
out=$(psql_ -d plain -c "SET lock_timeout = '5s'" -c "VACUUM FULL t" 2>&1)
echo "$out"
! grep -qE "(WARNING|NOTICE|ERROR):  schema_oracle:" <<<"$out" || fail "plain: judged without the library loaded?"

# Enforcement set by the administrator for the database applies to the
# preloaded hook too: a blocked statement fails with SQLSTATE SO001.
psql_ -d postgres -v ON_ERROR_STOP=1 -c "ALTER DATABASE app SET schema_oracle.guard = 'block'"
out=$(psql_ -d app <<'SQL' 2>&1
SET lock_timeout = '5s';
CLUSTER t USING t_pkey;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SQL
)
echo "$out"
grep -q "SQLSTATE SO001" <<<"$out" || fail "app: CLUSTER was not blocked with SO001"

# shared_preload_libraries: after a restart every session of every database
# has the hook, including plain.
so_cluster_stop "$dir"
echo "shared_preload_libraries = 'schema_oracle'" | so_as_postgres tee -a "$dir/data/postgresql.conf" >/dev/null
so_cluster_start "$dir" "$port"
out=$(psql_ -d plain -c "SET lock_timeout = '5s'" -c "TRUNCATE t" 2>&1)
echo "$out"
grep -q "\[truncate_table\]" <<<"$out" || fail "plain: TRUNCATE was not judged with shared_preload_libraries"

# And a database without the extension stays untouched by the hook.
psql_ -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE noext"
out=$(psql_ -d noext -c "CREATE TABLE t (id int)" -c "INSERT INTO t VALUES (1)" -c "TRUNCATE t" -c "VACUUM FULL t" 2>&1)
echo "$out"
! grep -qE "(WARNING|NOTICE|ERROR):  schema_oracle:" <<<"$out" || fail "noext: the hook judged a database without the extension"

[ -z "$(so_crash_lines "$dir/server.log")" ] || fail "a backend crashed"
echo "guard_preload: ok"
