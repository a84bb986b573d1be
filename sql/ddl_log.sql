-- ddl_log: the DDL audit log: one row per judged DDL statement, with its own
-- text, objects, findings, action and the transaction's outcome; blocked
-- statements and rolled-back migrations survive (a background worker writes
-- them); who may read and write; retention.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET schema_oracle.ddl_log = 'all';
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
SET schema_oracle.rule_levels = 'missing_audit_columns=off, updated_at_no_trigger=off, missing_primary_key=off';
DELETE FROM schema_oracle.ddl_log;
CREATE SCHEMA dlog;
GRANT USAGE, CREATE ON SCHEMA dlog TO so_app;
SET search_path = dlog;
CREATE VIEW last_rows AS
SELECT command_tag, objects, statement, action, waiver_reason, outcome,
       (SELECT array_agg(f->>'rule' || ':' || (f->>'level') ORDER BY f->>'rule')
        FROM jsonb_array_elements(findings) f) AS findings
FROM schema_oracle.ddl_log ORDER BY id;

-- allowed, and each statement's own text out of a multi-statement string.
CREATE TABLE parent (id bigint PRIMARY KEY); CREATE TABLE big (id bigint PRIMARY KEY, v int) WITH (autovacuum_enabled = off);
INSERT INTO big SELECT g, g FROM generate_series(1, 1000) g;
-- warned (the statement runs), with the finding's fix in the log.
CREATE INDEX big_v_idx ON big (v);
SELECT f->>'rule' AS rule, f->>'fix' AS fix FROM schema_oracle.ddl_log, jsonb_array_elements(findings) f
WHERE command_tag = 'CREATE INDEX';
-- waived, with the reason.
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'big is a test table');
CREATE INDEX big_v2_idx ON big (v, id);
COMMIT;
-- blocked: the statement never ran, its row survives the rollback.
SET schema_oracle.guard = block;
BEGIN;
CREATE TABLE child (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX big_v3_idx ON big (v);
ROLLBACK;
SET schema_oracle.guard = warn;
-- a migration rolled back: every statement is there, as rolled back.
BEGIN;
ALTER TABLE big ADD COLUMN note text;
COMMENT ON COLUMN big.note IS 'free text';
ROLLBACK;
-- Those rows are written by a worker launched at the rollback, which
-- nothing waits for (the next statement runs at once): wait for them here.
DO $$ BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN EXISTS (SELECT FROM schema_oracle.ddl_log
                          WHERE command_tag = 'COMMENT' AND outcome = 'rolled back');
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
-- a statement rolled back to a savepoint, in a migration that commits.
BEGIN;
SAVEPOINT s;
CREATE TABLE undone (id bigint PRIMARY KEY);
ROLLBACK TO SAVEPOINT s;
CREATE TABLE kept (id bigint PRIMARY KEY);
COMMIT;
-- blocked at COMMIT (a verdict of the commit check): the COMMIT row and the
-- migration's rows survive.
SET schema_oracle.rule_levels = 'fk_missing_index=block, missing_audit_columns=off, updated_at_no_trigger=off, missing_primary_key=off';
BEGIN;
CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.rule_levels = 'missing_audit_columns=off, updated_at_no_trigger=off, missing_primary_key=off';
SELECT * FROM last_rows;
-- The row's session facts.
SELECT DISTINCT session_role, active_role, database = current_database() AS this_database,
       application_name, pid = pg_backend_pid() AS this_session,
       bool_and(xid IS NOT NULL) OVER () AS all_have_xid
FROM schema_oracle.ddl_log WHERE command_tag = 'CREATE INDEX';

-- findings: only statements with findings are logged.
DELETE FROM schema_oracle.ddl_log;
SET schema_oracle.ddl_log = 'findings';
CREATE TABLE quiet (id bigint PRIMARY KEY);
CREATE INDEX big_v4_idx ON big (v);
SELECT command_tag, action FROM schema_oracle.ddl_log ORDER BY id;
SET schema_oracle.ddl_log = 'all';

-- Who may do what: every role reads the history view (no statement text,
-- no client address); only the owner writes; the purge is the owner's.
SET ROLE so_app;
SELECT count(*) > 0 AS can_read_history FROM schema_oracle.ddl_history;
SELECT statement FROM schema_oracle.ddl_log LIMIT 1;
INSERT INTO schema_oracle.ddl_log (logged_at, pid, session_role, active_role, database,
    command_tag, action, outcome)
VALUES (now(), 1, 'x', 'x', 'x', 'DROP TABLE', 'allowed', 'committed');
UPDATE schema_oracle.ddl_log SET action = 'allowed';
DELETE FROM schema_oracle.ddl_log;
SELECT schema_oracle.ddl_log_purge();
-- Its own DDL is logged like anybody's, as its role.
CREATE TABLE app_t (id bigint PRIMARY KEY);
RESET ROLE;
SELECT session_role, active_role, command_tag FROM schema_oracle.ddl_log
WHERE statement LIKE 'CREATE TABLE app_t%';

-- Retention: the purge deletes rows older than schema_oracle.ddl_log_retention.
SHOW schema_oracle.ddl_log_retention;
UPDATE schema_oracle.ddl_log SET logged_at = now() - interval '100 days'
WHERE command_tag = 'CREATE TABLE';
SELECT schema_oracle.ddl_log_purge() > 0 AS purged_old_rows;
SELECT count(*) AS old_rows_left FROM schema_oracle.ddl_log WHERE logged_at < now() - interval '90 days';
SET schema_oracle.ddl_log_retention = '1 day';
SELECT schema_oracle.ddl_log_purge(interval '-1 day');
RESET schema_oracle.ddl_log_retention;
-- The log has no primary key: it is REPLICA IDENTITY FULL, so the purge's
-- DELETE works under a publication FOR ALL TABLES, which includes it.
SELECT relreplident FROM pg_class WHERE oid = 'schema_oracle.ddl_log'::regclass;
SET client_min_messages = error;  -- wal_level is not logical here: a WARNING
CREATE PUBLICATION dl_all FOR ALL TABLES;
RESET client_min_messages;
UPDATE schema_oracle.ddl_log SET logged_at = now() - interval '100 days'
WHERE command_tag = 'CREATE PUBLICATION';
SELECT schema_oracle.ddl_log_purge() AS purged_under_publication;
SET client_min_messages = error;
DROP PUBLICATION dl_all;
RESET client_min_messages;

-- pg_dump keeps the rows.
SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid) JOIN pg_class c ON c.oid = t.oid
WHERE e.extname = 'schema_oracle' ORDER BY 1;

-- The log never records itself (DDL on it is not logged).
DELETE FROM schema_oracle.ddl_log;
COMMENT ON TABLE schema_oracle.ddl_log IS 'DDL audit log: one row per judged DDL statement, including blocked and rolled-back ones';
SELECT count(*) AS rows_about_the_log FROM schema_oracle.ddl_log;

-- Committed rows are inserted into the log's heap and indexes directly; a
-- log table that code does not know (here a column added by hand) gets them
-- through the SQL INSERT instead: the same row either way. (The database
-- name is the session's, also after earlier transactions.)
BEGIN;
CREATE TABLE direct_path (id bigint PRIMARY KEY);
COMMIT;
SET client_min_messages = error;
ALTER TABLE schema_oracle.ddl_log ADD COLUMN note text;
RESET client_min_messages;
BEGIN;
CREATE TABLE sql_path (id bigint PRIMARY KEY);
COMMIT;
-- A transaction made read-only after its DDL still commits with its row.
BEGIN;
CREATE TABLE sql_path_read_only (id bigint PRIMARY KEY);
SET TRANSACTION READ ONLY;
COMMIT;
SET client_min_messages = error;
ALTER TABLE schema_oracle.ddl_log DROP COLUMN note;
RESET client_min_messages;
SELECT command_tag, objects, statement, action, outcome, findings, xid IS NOT NULL AS has_xid,
       database = current_database() AS this_database, pid = pg_backend_pid() AS this_session
FROM schema_oracle.ddl_log WHERE command_tag = 'CREATE TABLE' ORDER BY id;

-- Writing the log takes no sequence value: lastval() stays the session's own.
SELECT lastval();

-- An administrator's expression index, partial index and extra CHECK on the
-- log: the rows go through SQL (PostgreSQL maintains and enforces them).
SET client_min_messages = error;
CREATE INDEX ddl_log_tag_expr_idx ON schema_oracle.ddl_log ((lower(command_tag)));
CREATE INDEX ddl_log_blocked_idx ON schema_oracle.ddl_log (id) WHERE action = 'blocked';
ALTER TABLE schema_oracle.ddl_log ADD CONSTRAINT ddl_log_admin_check CHECK (pid > 0);
CREATE TABLE dlog.shaped (id int);
RESET client_min_messages;
SET enable_seqscan = off;  -- read through the expression index: it holds the row
SELECT count(*) AS logged FROM schema_oracle.ddl_log
WHERE lower(command_tag) = 'create table' AND 'dlog.shaped' = ANY (objects);
RESET enable_seqscan;
SET client_min_messages = error;
SET schema_oracle.ddl_log = off;
DROP INDEX schema_oracle.ddl_log_tag_expr_idx, schema_oracle.ddl_log_blocked_idx;
ALTER TABLE schema_oracle.ddl_log DROP CONSTRAINT ddl_log_admin_check;
RESET schema_oracle.ddl_log;
RESET client_min_messages;

-- A statement blocked inside a savepoint the migration rolls back to, after
-- a query of the log wrote the earlier row ahead of the commit: every row
-- once, the blocked one rolled back, the others committed. The same when a
-- PL/pgSQL EXCEPTION block catches the block and nothing was written yet.
SET schema_oracle.ddl_log = 'all';
DELETE FROM schema_oracle.ddl_log;
BEGIN;
CREATE TABLE before_block (id bigint PRIMARY KEY);
SELECT count(*) AS own_rows FROM schema_oracle.ddl_log;
SET LOCAL schema_oracle.guard = block;
SAVEPOINT s;
CREATE INDEX big_v6_idx ON big (v);
ROLLBACK TO SAVEPOINT s;
CREATE TABLE after_block (id bigint PRIMARY KEY);
COMMIT;
BEGIN;
CREATE TABLE before_catch (id bigint PRIMARY KEY);
SET LOCAL schema_oracle.guard = block;
DO $$
BEGIN
    CREATE INDEX big_v7_idx ON big (v);
EXCEPTION WHEN SQLSTATE 'SO001' THEN
    RAISE NOTICE 'caught: %', SQLERRM;
END $$;
COMMIT;
-- Each statement's own text also for a statement run from a PL/pgSQL
-- block (PostgreSQL runs a copy of its cached tree) and for one the
-- ProcessUtility hook judges (TRUNCATE) in a multi-statement string.
DO $$ BEGIN CREATE TABLE in_block (id bigint PRIMARY KEY); END $$;
CREATE TABLE truncated (id bigint PRIMARY KEY); TRUNCATE truncated;
-- LOCK TABLE is recorded in the modes that block writes (SHARE and
-- stronger, which the guard judges for lock_timeout); in weaker ones
-- (pg_dump's ACCESS SHARE) only with a finding.
BEGIN;
LOCK TABLE big IN ACCESS SHARE MODE;
LOCK TABLE big IN SHARE MODE;
COMMIT;
SELECT command_tag, statement, action, outcome FROM schema_oracle.ddl_log
WHERE command_tag <> 'COMMIT' ORDER BY statement;
-- A statement nested deeper than the 32 running statements kept (a
-- procedure calling itself): its text is the whole query string's.
CREATE PROCEDURE nest(n int) LANGUAGE plpgsql AS $$
BEGIN
    IF n > 0 THEN CALL nest(n - 1); ELSE CREATE TABLE deep (id bigint PRIMARY KEY); END IF;
END $$;
CALL nest(40);
SELECT statement FROM schema_oracle.ddl_log WHERE 'dlog.deep' = ANY (objects);
-- A COMMIT that fails after the log's rows were written (PostgreSQL's ON
-- COMMIT actions run later): the rows are written again, as rolled back.
BEGIN;
CREATE TEMP TABLE on_commit_keys (id bigint PRIMARY KEY) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE on_commit_refs (id bigint REFERENCES on_commit_keys);
COMMIT;
DO $$ BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN (SELECT count(*) FROM schema_oracle.ddl_log WHERE statement LIKE '%on_commit_%') = 2;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT statement, action, outcome FROM schema_oracle.ddl_log
WHERE statement LIKE '%on_commit_%' ORDER BY statement;

-- DDL that a function runs inside a statement whose own commands the log
-- takes from its tree (VALIDATE CONSTRAINT of a CHECK calling it): the
-- nested statement's objects are still recorded.
CREATE TABLE side_source (x int);
INSERT INTO side_source VALUES (1);
CREATE FUNCTION side(int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'CREATE TABLE IF NOT EXISTS side_copy (LIKE side_source)';
    RETURN true;
END $$;
ALTER TABLE side_source ADD CONSTRAINT side_check CHECK (side(x)) NOT VALID;
ALTER TABLE side_source VALIDATE CONSTRAINT side_check;
SELECT command_tag, objects, statement FROM schema_oracle.ddl_log
WHERE statement LIKE '%side_copy%' OR statement LIKE '%VALIDATE%' ORDER BY id;

RESET search_path;
SET client_min_messages = error;
SET schema_oracle.ddl_log = off;
DROP SCHEMA dlog CASCADE;
RESET client_min_messages;
RESET schema_oracle.rule_levels;
