#!/usr/bin/env bash
# standby_report: report() is read-only, so it runs on a hot standby and
# returns what the primary returns. A streaming replica is made with
# pg_basebackup -R; both clusters live under $SO_WORK/standby_report and are
# stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

base=${SO_WORK:?}/standby_report
primary=$base/primary
standby=$base/standby
pport=$(so_free_port)
sport=$((pport + 1))
cleanup() { so_cluster_stop "$standby"; so_cluster_stop "$primary"; }
trap cleanup EXIT

so_cluster_init "$primary" "wal_level = replica" "max_wal_senders = 4" "hot_standby = on"
so_cluster_start "$primary" "$pport"
PRIMARY_PORT=$pport so_standby_init "$primary" "$standby"
so_cluster_start "$standby" "$sport"

P() { psql -X -q -v ON_ERROR_STOP=1 -h "$primary" -p "$pport" -U postgres -d postgres "$@"; }
S() { psql -X -q -v ON_ERROR_STOP=1 -h "$standby" -p "$sport" -U postgres -d postgres "$@"; }

P <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE SCHEMA app;
CREATE TABLE app.posts (id bigint PRIMARY KEY);
CREATE TABLE app.comments (id bigint PRIMARY KEY, post_id bigint REFERENCES app.posts, body json);
CREATE TABLE app.logs (msg text, created_at text);
CREATE INDEX logs_msg_a ON app.logs (msg);
CREATE INDEX logs_msg_b ON app.logs (msg);
CREATE TABLE app.counters (id serial PRIMARY KEY);
SELECT setval('app.counters_id_seq', 2000000000);
CREATE UNLOGGED SEQUENCE app.scratch_seq;
SELECT nextval('app.scratch_seq');
CREATE FUNCTION app.definer() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('json_column', 'app.comments.%', 'legacy');
SQL

# Wait until the standby has replayed everything the primary wrote.
lsn=$(P -At -c "SELECT pg_current_wal_lsn()")
for _ in $(seq 1 100); do
    replayed=$(S -At -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn")
    [ "$replayed" = "t" ] && break
    sleep 0.2
done
[ "$(S -At -c "SELECT pg_is_in_recovery()")" = "t" ] || { echo "standby is not in recovery"; exit 1; }

query="SELECT rule, severity, object_identity, coalesce(fix, '') FROM schema_oracle.report(include_schemas => '{app}') WHERE rule <> 'unused_index'"
P -At -c "$query" >"$base/primary.txt"
S -At -c "$query" >"$base/standby.txt"
if ! diff -u "$base/primary.txt" "$base/standby.txt"; then
    echo "standby report differs from the primary's"; exit 1
fi
for rule in fk_missing_index duplicate_index sequence_near_overflow security_definer_search_path missing_primary_key; do
    grep -q "^$rule|" "$base/standby.txt" || { echo "standby report lacks $rule"; cat "$base/standby.txt"; exit 1; }
done
if grep -q "^json_column|" "$base/standby.txt"; then echo "exemption ignored on standby"; exit 1; fi
S -At -c "SELECT jsonb_typeof(schema_oracle.report_sarif()), jsonb_typeof(schema_oracle.report_json())" \
    | grep -qx "object|object" || { echo "SARIF/JSON failed on the standby"; exit 1; }
# With the library loaded (its ProcessUtility hook judges LOCK TABLE), a
# read-only transaction on the standby that locks tables, as pg_dump's does,
# commits: the DDL log writes nothing during recovery (it used to ask for a
# transaction id at COMMIT, which a standby cannot give).
S <<'SQL' >/dev/null || { echo "a transaction with LOCK TABLE failed on the standby"; exit 1; }
SET schema_oracle.guard = warn;
SET schema_oracle.ddl_log = 'all';
LOAD 'schema_oracle';
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
LOCK TABLE app.posts, app.comments IN ACCESS SHARE MODE;
SELECT count(*) FROM schema_oracle.ddl_log;
COMMIT;
SQL
PGOPTIONS="-c session_preload_libraries=schema_oracle" \
    pg_dump -h "$standby" -p "$sport" -U postgres -d postgres -f "$base/standby_dump.sql" \
    || { echo "pg_dump of the standby failed"; exit 1; }
echo "standby_report: ok ($(wc -l <"$base/standby.txt") findings on both)"
