-- helpers_lock_retries: CALL schema_oracle.with_lock_retries(sql, ...): what it
-- runs, what it refuses, and that the live guard still judges the statement.
-- Waiting for a lock another session holds is in the isolation spec
-- helpers_lock_retries.
CREATE SCHEMA hlp_lr;
SET search_path = hlp_lr;
\set SHOW_CONTEXT never

CREATE TABLE accounts (id int PRIMARY KEY, v int);
INSERT INTO accounts VALUES (1, 1);

-- One DDL statement, run in the caller's search_path; the caller's
-- lock_timeout is untouched afterwards.
SET lock_timeout = '7s';
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN note text');
SHOW lock_timeout;
SELECT attname FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attnum > 0 ORDER BY attnum;
RESET lock_timeout;
-- Inside: lock_timeout is the one given.
CREATE FUNCTION show_lock_timeout() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'lock_timeout during the statement: %', current_setting('lock_timeout'); END $$;
CREATE EVENT TRIGGER hlp_lr_show ON ddl_command_end WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION show_lock_timeout();
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN note2 text', lock_timeout => '250ms');
DROP EVENT TRIGGER hlp_lr_show;

-- Refused, with clear errors.
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN a int; ALTER TABLE accounts ADD COLUMN b int');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('UPDATE accounts SET v = 2');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('COMMIT');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('CREATE INDEX CONCURRENTLY ON accounts (v)');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('VACUUM accounts');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries(NULL);
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int', lock_timeout => '0');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int', lock_timeout => 'soon');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int', max_attempts => 0);
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int', base_delay => '5s', max_delay => '1s');
\echo :LAST_ERROR_SQLSTATE
-- inside a transaction block: it could not commit between attempts
BEGIN;
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- errors other than lock_not_available are not retried
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN v int');
\echo :LAST_ERROR_SQLSTATE

-- The guard judges the statement on the ordinary ProcessUtility path.
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ALTER COLUMN v TYPE bigint');
\echo :LAST_ERROR_SQLSTATE
SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'accounts'::regclass AND attname = 'v';
-- and with lock_timeout set, it has nothing to say about a safe one
CALL schema_oracle.with_lock_retries('ALTER TABLE accounts ADD COLUMN c int');
RESET schema_oracle.guard;
RESET schema_oracle.size_threshold;

-- The backoff: doubling from base_delay up to max_delay; jitter within [0.5, 1.5).
SELECT attempt, schema_oracle._helpers_backoff(attempt, '100ms', '1s', false) AS seconds
FROM generate_series(1, 6) attempt;
SELECT bool_and(d >= 0.05 AND d < 0.15) AS jitter_in_range
FROM (SELECT schema_oracle._helpers_backoff(1, '100ms', '10s', true) AS d FROM generate_series(1, 200)) s;

RESET search_path;
DROP SCHEMA hlp_lr CASCADE;
