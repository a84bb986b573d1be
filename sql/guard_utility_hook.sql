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
