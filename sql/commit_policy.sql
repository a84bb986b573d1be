-- commit_policy: the commit check under the guard's policy: block fails the
-- COMMIT with SO001 and rolls everything back, waivers, PREPARE TRANSACTION,
-- missing_primary_key / missing_audit_columns for new tables, guard = off.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
CREATE SCHEMA cpol;
GRANT USAGE, CREATE ON SCHEMA cpol TO so_app;
SET search_path = cpol;
BEGIN;
CREATE TABLE parent (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER parent_touch BEFORE UPDATE ON parent FOR EACH ROW EXECUTE FUNCTION touch();
COMMIT;

-- New tables: missing_primary_key (warning), missing_audit_columns (info).
CREATE TABLE loose (v text);
-- An existing table is not asked for a primary key or audit columns.
ALTER TABLE loose ADD COLUMN w text;

-- The rules are the guard's now: per-rule levels and waivers accept them.
SELECT rule, judged_by FROM schema_oracle.rules
WHERE rule IN ('fk_missing_index', 'updated_at_no_trigger', 'missing_primary_key',
               'missing_audit_columns') ORDER BY rule;
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, fk_missing_index=block';

-- block: the COMMIT fails with SO001; nothing of the migration remains.
BEGIN;
CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
INSERT INTO orders VALUES (1, NULL);
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT to_regclass('cpol.orders') AS orders_after_blocked_commit;
-- An autocommit statement is its own transaction: it fails the same way.
CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT to_regclass('cpol.orders') AS orders_after_blocked_statement;
-- PL/pgSQL sees SO001 at COMMIT too (a procedure committing).
CREATE PROCEDURE migrate() LANGUAGE plpgsql AS $$
BEGIN
    CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES cpol.parent);
    COMMIT;
END $$;
CALL migrate();
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The index later in the same transaction: the COMMIT succeeds.
BEGIN;
CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX orders_parent_idx ON orders (parent_id);
COMMIT;

-- A waiver: reported as a NOTICE, and the COMMIT succeeds.
BEGIN;
SELECT schema_oracle.allow('fk_missing_index', 'lines is append-only; parents are never deleted');
CREATE TABLE lines (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
SELECT to_regclass('cpol.lines') AS lines_after_waived_commit;
-- A waiver inside a rolled-back savepoint is gone.
BEGIN;
SAVEPOINT s;
SELECT schema_oracle.allow('fk_missing_index', 'only for a moment');
ROLLBACK TO SAVEPOINT s;
CREATE TABLE lines2 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- PREPARE TRANSACTION is judged like COMMIT.
BEGIN;
CREATE TABLE prep (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
PREPARE TRANSACTION 'cpol_blocked';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS prepared FROM pg_prepared_xacts WHERE gid = 'cpol_blocked';
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off';
BEGIN;
CREATE TABLE prep (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
PREPARE TRANSACTION 'cpol_warned';
COMMIT PREPARED 'cpol_warned';
SELECT to_regclass('cpol.prep') AS prep_after_commit_prepared;

-- guard = block alone does not block warning-severity rules (as for every
-- rule); off judges nothing.
SET schema_oracle.guard = block;
CREATE TABLE quiet_block (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
SET schema_oracle.guard = off;
CREATE TABLE quiet_off (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
SET schema_oracle.guard = warn;

-- A non-superuser migration role gets the same verdicts.
SET ROLE so_app;
CREATE TABLE app_child (id bigint PRIMARY KEY, parent_id bigint);
ALTER TABLE app_child ADD FOREIGN KEY (parent_id) REFERENCES app_child;
RESET ROLE;

-- Extension scripts are not judged.
CREATE EXTENSION moddatetime SCHEMA cpol;
DROP EXTENSION moddatetime;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cpol CASCADE;
RESET client_min_messages;
RESET schema_oracle.rule_levels;
