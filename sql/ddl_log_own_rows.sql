-- ddl_log_own_rows: the log's rows are written when the transaction
-- commits, but a query of the migration that reads the log (or the
-- ddl_history view) sees the migration's own earlier statements: they are
-- inserted ahead of the commit, in the transaction, and each row is still
-- written exactly once, whatever follows (a commit, a savepoint rolled back
-- after the read, a rollback). A failure to write the rows at COMMIT fails
-- the COMMIT (the rows then survive, as rolled back).
SET schema_oracle.guard = warn;
SET schema_oracle.ddl_log = 'all';
SET schema_oracle.rule_levels = 'missing_audit_columns=off, updated_at_no_trigger=off, missing_primary_key=off';
SET client_min_messages = error;
DELETE FROM schema_oracle.ddl_log;
CREATE SCHEMA own;
GRANT USAGE, CREATE ON SCHEMA own TO so_app;
CREATE VIEW own.rows AS
SELECT command_tag, objects, action, outcome FROM schema_oracle.ddl_log ORDER BY id;
RESET client_min_messages;
DELETE FROM schema_oracle.ddl_log;

-- Read in the migration: its statements so far, through the table, the view
-- and a function; written once at the commit.
BEGIN;
CREATE TABLE own.a (id bigint PRIMARY KEY);
COMMENT ON TABLE own.a IS 'first';
SELECT * FROM own.rows;
CREATE TABLE own.a2 (id bigint PRIMARY KEY);
SELECT count(*) AS history_rows FROM schema_oracle.ddl_history;
DO $$ BEGIN
    RAISE NOTICE 'rows seen inside a function: %', (SELECT count(*) FROM schema_oracle.ddl_log);
END $$;
COMMENT ON TABLE own.a IS 'second';
COMMIT;
SELECT * FROM own.rows;
SELECT count(*) AS rows, count(DISTINCT id) AS ids,
       bool_and(id >> 20 = xid::text::bigint) AS ids_of_the_transaction
FROM schema_oracle.ddl_log;

-- A savepoint rolled back after the read: the insert made inside it is
-- undone with it; the statement before the savepoint is written again as
-- committed, the one inside it as rolled back, each once.
DELETE FROM schema_oracle.ddl_log;
BEGIN;
CREATE TABLE own.b (id bigint PRIMARY KEY);
SAVEPOINT s;
CREATE TABLE own.c (id bigint PRIMARY KEY);
SELECT * FROM own.rows;
ROLLBACK TO SAVEPOINT s;
SELECT * FROM own.rows;
CREATE TABLE own.d (id bigint PRIMARY KEY);
SAVEPOINT t;
SELECT count(*) AS rows_in_t FROM schema_oracle.ddl_log;
RELEASE SAVEPOINT t;
COMMIT;
SELECT * FROM own.rows;
SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM schema_oracle.ddl_log;

-- A migration that reads the log and then rolls back: the rows inserted for
-- the read go with it; the worker writes each row once, as rolled back.
DELETE FROM schema_oracle.ddl_log;
BEGIN;
CREATE TABLE own.e (id bigint PRIMARY KEY);
SELECT * FROM own.rows;
COMMENT ON TABLE own.e IS 'gone';
ROLLBACK;
DO $$ BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN (SELECT count(*) FROM schema_oracle.ddl_log) >= 2;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT * FROM own.rows;

-- An ordinary role's migration reads its own rows through the view (it
-- cannot write the log itself).
DELETE FROM schema_oracle.ddl_log;
SET ROLE so_app;
BEGIN;
CREATE TABLE own.f (id bigint PRIMARY KEY);
SELECT command_tag, objects, active_role, outcome FROM schema_oracle.ddl_history;
COMMIT;
RESET ROLE;
SELECT * FROM own.rows;

-- In findings mode only the statements with findings are inserted for the
-- read, as at the commit.
CREATE TABLE own.g (id bigint PRIMARY KEY, v int);
INSERT INTO own.g SELECT g, g FROM generate_series(1, 100) g;
DELETE FROM schema_oracle.ddl_log;
SET schema_oracle.ddl_log = 'findings';
SET schema_oracle.size_threshold = 0;
SET client_min_messages = error;
BEGIN;
CREATE TABLE own.g2 (id bigint PRIMARY KEY);
CREATE INDEX g_v_idx ON own.g (v);
SELECT command_tag, objects, action FROM schema_oracle.ddl_log;
COMMIT;
RESET client_min_messages;
SELECT command_tag, objects, action FROM schema_oracle.ddl_log;
RESET schema_oracle.size_threshold;
SET schema_oracle.ddl_log = 'all';

-- A log table the direct insert does not know (a column added by hand):
-- the rows for the read go through the SQL INSERT, once as well.
SET client_min_messages = error;
ALTER TABLE schema_oracle.ddl_log ADD COLUMN note text;
RESET client_min_messages;
DELETE FROM schema_oracle.ddl_log;
BEGIN;
CREATE TABLE own.i (id bigint PRIMARY KEY);
SELECT * FROM own.rows;
COMMENT ON TABLE own.i IS 'after the read';
COMMIT;
SELECT * FROM own.rows;
SELECT count(*) AS rows, count(DISTINCT id) AS ids FROM schema_oracle.ddl_log;
SET client_min_messages = error;
ALTER TABLE schema_oracle.ddl_log DROP COLUMN note;
RESET client_min_messages;

-- A row that cannot be written at COMMIT (here its id is taken: an
-- administrator added a unique index on id, which the log does not ship,
-- and the owner wrote a row by hand with the id the transaction's first row
-- gets) fails the COMMIT with the error's own SQLSTATE, and the
-- transaction's rows are then written as rolled back. (The error's CONTEXT
-- line says so: "schema_oracle: writing the DDL audit log
-- schema_oracle.ddl_log at COMMIT ..."; its DETAIL names the id, which
-- differs from run to run.)
DELETE FROM schema_oracle.ddl_log;
SET client_min_messages = error;
CREATE UNIQUE INDEX ddl_log_id_unique ON schema_oracle.ddl_log (id);
RESET client_min_messages;
BEGIN;
INSERT INTO schema_oracle.ddl_log (id, logged_at, pid, session_role, active_role, database,
    command_tag, action, outcome)
SELECT pg_current_xact_id()::text::bigint * 1048576 + 1, now(), 1, 'x', 'x', 'x',
       'BY HAND', 'allowed', 'committed';
CREATE TABLE own.h (id bigint PRIMARY KEY);
\set VERBOSITY terse
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
SELECT to_regclass('own.h') AS table_after_failed_commit;
DO $$ BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN EXISTS (SELECT FROM schema_oracle.ddl_log);
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT * FROM own.rows;
SET client_min_messages = error;
DROP INDEX schema_oracle.ddl_log_id_unique;
RESET client_min_messages;

-- A query inside a STABLE function shares its caller's snapshot: it does
-- not flush (the caller must not see its own writes), and the rows are
-- written at the commit, once.
DELETE FROM schema_oracle.ddl_log;
CREATE FUNCTION own.log_rows() RETURNS bigint LANGUAGE sql STABLE
    AS 'SELECT count(*) FROM schema_oracle.ddl_log';
CREATE TABLE own.copy (n int);
INSERT INTO own.copy VALUES (1), (2);
BEGIN;
CREATE TABLE own.k (id bigint PRIMARY KEY);
INSERT INTO own.copy SELECT n FROM own.copy WHERE own.log_rows() >= 0;
UPDATE own.copy SET n = n + 10 WHERE own.log_rows() >= 0;
COMMIT;
SELECT count(*) AS copied_rows, min(n) AS lowest FROM own.copy;
SELECT count(*) AS log_rows_for_k FROM schema_oracle.ddl_log
WHERE command_tag = 'CREATE TABLE' AND statement LIKE '%own.k%';

SET client_min_messages = error;
SET schema_oracle.ddl_log = off;
DROP SCHEMA own CASCADE;
DELETE FROM schema_oracle.ddl_log;
RESET client_min_messages;
RESET schema_oracle.ddl_log;
RESET schema_oracle.rule_levels;
