-- guard_reindex_scope: REINDEX SCHEMA / DATABASE / SYSTEM are judged like
-- REINDEX TABLE (reindex_not_concurrently), against the summed size of the
-- tables they would rebuild, each table in a transaction of its own.
LOAD 'schema_oracle';
SET schema_oracle.guard = warn;
SET lock_timeout = '5s';
CREATE SCHEMA gr;
CREATE SCHEMA "gr empty";
CREATE TABLE gr.a (id bigint PRIMARY KEY, v text);
CREATE TABLE gr.b (id bigint PRIMARY KEY);
CREATE MATERIALIZED VIEW gr.m AS SELECT id FROM gr.b;
CREATE INDEX m_id_idx ON gr.m (id);
CREATE VIEW gr.v AS SELECT 1 AS one;   -- no storage, no index: not counted
INSERT INTO gr.a SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g;
INSERT INTO gr.b SELECT generate_series(1, 500);
REFRESH MATERIALIZED VIEW gr.m;
ANALYZE gr.a, gr.b, gr.m;

-- Fires: two tables and a materialized view, their sizes summed.
SET schema_oracle.size_threshold = 0;
REINDEX SCHEMA gr;
-- Silent: CONCURRENTLY, an empty schema, and a sum below the threshold.
REINDEX SCHEMA CONCURRENTLY gr;
REINDEX SCHEMA "gr empty";
SET schema_oracle.size_threshold = '1MB';
REINDEX SCHEMA gr;
-- Fires: every table is below 150 kB, their sum is not (the sum decides,
-- as for a partitioned table's partitions).
SELECT relname, pg_relation_size(oid) < 150 * 1024 AS below_150kb
FROM pg_class WHERE relnamespace = 'gr'::regnamespace AND relkind IN ('r', 'm') ORDER BY 1;
SET schema_oracle.size_threshold = '150kB';
REINDEX (VERBOSE false) SCHEMA gr;
-- Without lock_timeout, missing_lock_timeout names the scope.
SET schema_oracle.size_threshold = 0;
SET lock_timeout = 0;
REINDEX SCHEMA gr;
SET lock_timeout = '5s';

-- DATABASE and SYSTEM: blocked in block mode before anything is rebuilt
-- (their sizes depend on the catalogs, so the messages are not shown; the
-- log keeps the rule and the fix).
SET schema_oracle.guard = block;
SET schema_oracle.ddl_log = 'all';
DELETE FROM schema_oracle.ddl_log;
\set VERBOSITY sqlstate
SELECT format('REINDEX DATABASE %I', current_database()) \gexec
SELECT format('REINDEX SYSTEM %I', current_database()) \gexec
\set VERBOSITY default
SELECT command_tag, action, f->>'rule' AS rule,
       replace(f->>'fix', quote_ident(current_database()), '<db>') AS fix
FROM schema_oracle.ddl_log, jsonb_array_elements(findings) f
WHERE command_tag = 'REINDEX' ORDER BY id;
-- CONCURRENTLY skips the catalogs: REINDEX DATABASE CONCURRENTLY is the
-- alternative, and it is not judged (it is not run here: it would rebuild
-- every index of the regression database).
SET schema_oracle.guard = warn;
-- Another database's name: PostgreSQL refuses it, the guard stays out.
REINDEX DATABASE postgres_elsewhere;
-- Inside a transaction block PostgreSQL refuses all three itself.
BEGIN;
REINDEX SCHEMA gr;
ROLLBACK;

SET client_min_messages = error;
DROP SCHEMA gr CASCADE;
DROP SCHEMA "gr empty";
RESET client_min_messages;
RESET schema_oracle.size_threshold;
DELETE FROM schema_oracle.ddl_log;
