-- guard_utility_hook: VACUUM FULL, CLUSTER, REINDEX and TRUNCATE, which
-- PostgreSQL 15 runs without event triggers, are judged by the
-- ProcessUtility hook once the library is loaded.
LOAD 'schema_oracle';
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gu;
SET search_path = gu;
CREATE TABLE t (id bigint PRIMARY KEY, v int);
INSERT INTO t VALUES (1, 1), (2, 2);
ANALYZE t;

VACUUM FULL t;
VACUUM (FULL, ANALYZE) t;
VACUUM t;
CLUSTER t USING t_pkey;
-- pg_repack's fix orders as CLUSTER does: by the table's clustered index
-- (its default), or by another index's key columns, with their DESC /
-- NULLS / collation, as an ORDER BY list quoted for the shell.
CLUSTER t;
CREATE TABLE t2 (id bigint PRIMARY KEY, v int, s text);
INSERT INTO t2 VALUES (1, 1, 'a');
ANALYZE t2;
CREATE INDEX t2_v_idx ON t2 (v DESC NULLS LAST, s COLLATE "C", (v + 1) NULLS FIRST, id DESC);
CLUSTER t2 USING t2_v_idx;
-- A partitioned table: pg_repack repacks it as the parent of its partitions.
CREATE TABLE pt (id bigint PRIMARY KEY) PARTITION BY RANGE (id);
CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (100);
INSERT INTO pt VALUES (1), (2);
ANALYZE pt_1;
VACUUM FULL pt;
CLUSTER pt USING pt_pkey;
-- Without a table list: the database's name, not a placeholder (blocked,
-- so it does not run).
SET schema_oracle.rule_levels = 'cluster_table=block, vacuum_full=block';
CLUSTER;
VACUUM FULL;
RESET schema_oracle.rule_levels;
REINDEX TABLE t;
REINDEX INDEX t_pkey;
REINDEX TABLE CONCURRENTLY t;
BEGIN;
REINDEX INDEX CONCURRENTLY t_pkey;
ROLLBACK;
TRUNCATE t;
-- Block mode applies too; the table keeps its rows.
INSERT INTO t VALUES (3, 3);
SET schema_oracle.guard = block;
VACUUM FULL t;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard = warn;
-- TRUNCATE of a table created in this transaction is silent.
BEGIN;
CREATE TABLE fresh (id bigint);
TRUNCATE fresh;
COMMIT;
-- Inside a function, too.
CREATE FUNCTION gu.wipe() RETURNS void LANGUAGE sql AS 'TRUNCATE gu.t';
SELECT gu.wipe();

-- The hook's "is the extension here?" answer does not outlive a rolled-back
-- DROP EXTENSION: after ROLLBACK TO SAVEPOINT the statement is judged again.
INSERT INTO t VALUES (4, 4);
BEGIN;
SAVEPOINT s;
SET LOCAL client_min_messages = warning;
DROP EXTENSION schema_oracle CASCADE;
TRUNCATE gu.no_such_table;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
RESET client_min_messages;
TRUNCATE t;
ROLLBACK;

-- In a database without the extension the hook does nothing.
CREATE DATABASE so_guard_noext;
\c so_guard_noext
LOAD 'schema_oracle';
SET schema_oracle.size_threshold = 0;
CREATE TABLE t (id bigint);
INSERT INTO t VALUES (1);
TRUNCATE t;
VACUUM FULL t;
SELECT count(*) AS extensions FROM pg_extension WHERE extname = 'schema_oracle';
\c so_regression
DROP DATABASE so_guard_noext;
SET schema_oracle.guard = off;
DROP SCHEMA gu CASCADE;
