-- backfill_errors: bad input is refused before any work, with a proper
-- SQLSTATE: no primary key, unknown table or column, clauses that are not a
-- single SET list / expression (checked with PostgreSQL's raw parser),
-- data-modifying subqueries, assigning the key, bad options, a CALL that
-- cannot commit. No job row is created by any of them.
-- Job ids from 201 on, whatever ran before.
SELECT setval(pg_get_serial_sequence('schema_oracle.backfill_jobs', 'job_id'), 200) AS job_ids_from;
CREATE SCHEMA bfe;
SET search_path = bfe, public;
CREATE TABLE t (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0, note text);
INSERT INTO t SELECT g, 0 FROM generate_series(1, 10) g;
CREATE TABLE other (id int);
CREATE TABLE nopk (a int, b text);
CREATE VIEW v AS SELECT * FROM t;
\set VERBOSITY default

-- Unknown table (regclass), not a table, no primary key.
CALL schema_oracle.backfill('no_such_table', 'x = 1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('v', 'counter = 1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('nopk', 'a = 1');
\echo :LAST_ERROR_SQLSTATE

-- Unknown column, type errors, a condition that is not boolean.
CALL schema_oracle.backfill('t', 'nope = 1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'missing_col > 0');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = ''abc''');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'counter + 1');
\echo :LAST_ERROR_SQLSTATE

-- Not a single SET list / expression.
CALL schema_oracle.backfill('t', 'counter = 1; DROP TABLE bfe.other');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'true; DROP TABLE bfe.other');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1 FROM bfe.other');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1 WHERE id = 1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1 RETURNING *');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'true) RETURNING (1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'true) OR (true');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1 /*');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', ')');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', '   ');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', '');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', NULL);
\echo :LAST_ERROR_SQLSTATE

-- Data-modifying or locking subqueries.
CALL schema_oracle.backfill('t', 'counter = (WITH d AS (DELETE FROM bfe.other RETURNING 1) SELECT 1)');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'id IN (WITH i AS (INSERT INTO bfe.other VALUES (1) RETURNING id) SELECT id FROM i)');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = (SELECT 1 FROM bfe.other FOR UPDATE)');
\echo :LAST_ERROR_SQLSTATE
-- Parameters would be the batch's key bounds.
CALL schema_oracle.backfill('t', 'counter = $1');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', 'id > $2');
\echo :LAST_ERROR_SQLSTATE
-- (A reading subquery is fine: sql/backfill.sql runs one.)

-- Assigning the primary key would move rows across batches.
CALL schema_oracle.backfill('t', 'id = id + 100');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', '(counter, id) = (1, 2)');
\echo :LAST_ERROR_SQLSTATE

-- throttle_while must be one boolean expression.
CALL schema_oracle.backfill('t', 'counter = 1', throttle_while => 'true; DROP TABLE bfe.other');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', throttle_while => '1) FROM bfe.other WHERE (true');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', throttle_while => '42');
\echo :LAST_ERROR_SQLSTATE

-- Bad options.
CALL schema_oracle.backfill('t', 'counter = 1', batch_size => 0);
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', target_batch_time => '0');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', pause => '-1 s');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', max_retries => -1);
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', throttle_check_interval => '0');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill('t', 'counter = 1', job_id => 5);
\echo :LAST_ERROR_SQLSTATE

-- A CALL that cannot commit: in a transaction block, from a function.
BEGIN;
CALL schema_oracle.backfill('t', 'counter = counter + 1');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
CALL schema_oracle.backfill_resume(1);
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
CREATE FUNCTION run_backfill() RETURNS int LANGUAGE plpgsql AS $$
DECLARE j int;
BEGIN
    CALL schema_oracle.backfill('bfe.t', 'counter = counter + 1', job_id => j);
    RETURN j;
END $$;
SELECT run_backfill();
\echo :LAST_ERROR_SQLSTATE
-- A procedure with a SET clause is atomic too.
CREATE PROCEDURE run_pinned() LANGUAGE plpgsql SET work_mem = '4MB' AS $$
DECLARE j int;
BEGIN
    CALL schema_oracle.backfill('bfe.t', 'counter = counter + 1', job_id => j);
END $$;
CALL run_pinned();
\echo :LAST_ERROR_SQLSTATE

-- Resume: unknown job, NULL.
CALL schema_oracle.backfill_resume(999999);
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.backfill_resume(NULL);
\echo :LAST_ERROR_SQLSTATE

-- Nothing above did any work.
SELECT count(*) AS jobs FROM schema_oracle.backfill_jobs;
SELECT count(*) FILTER (WHERE counter <> 0) AS touched FROM t;
SELECT count(*) AS still_there FROM other;

-- The same checks guard backfill_plan().
SELECT * FROM schema_oracle.backfill_plan('nopk', 'a = 1');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM schema_oracle.backfill_plan('t', 'counter = 1; DELETE FROM bfe.t');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM schema_oracle.backfill_plan('t', 'nope = 1');
\echo :LAST_ERROR_SQLSTATE

RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA bfe CASCADE;
RESET client_min_messages;
