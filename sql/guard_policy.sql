-- guard_policy: off/warn/block, per-rule levels, who may change them,
-- waivers, SQLSTATE SO001, internal errors and fail_closed.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gp;
GRANT USAGE, CREATE ON SCHEMA gp TO so_app;
SET search_path = gp;
CREATE TABLE t (id bigint, v int, j json);
INSERT INTO t VALUES (1, 1, '{}');
ALTER TABLE t OWNER TO so_app;

-- The guard's settings and their defaults.
SELECT name, setting, unit, context FROM pg_settings
WHERE name IN ('schema_oracle.guard', 'schema_oracle.rule_levels',
               'schema_oracle.size_threshold', 'schema_oracle.fail_closed')
ORDER BY name;

-- warn: error-severity rules warn (and the statement runs); block: they
-- raise SO001 (and it does not).
CREATE INDEX t_v_idx ON t (v);
DROP INDEX CONCURRENTLY t_v_idx;
SET schema_oracle.guard = block;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Warning-severity rules only warn, even under block.
ALTER TABLE t RENAME COLUMN v TO w;
ALTER TABLE t RENAME COLUMN w TO v;
-- off: nothing at all.
SET schema_oracle.guard = off;
CREATE INDEX t_v_idx ON t (v);
DROP INDEX t_v_idx;

-- Per-rule levels win over the defaults, in both directions.
SET schema_oracle.guard = warn;
SET schema_oracle.rule_levels = 'rename_column=block, create_index_not_concurrently=off';
CREATE INDEX t_v_idx ON t (v);
ALTER TABLE t RENAME COLUMN v TO w;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.rule_levels = 'drop_index_not_concurrently = notice';
DROP INDEX t_v_idx;
-- Malformed lists are rejected when set.
SET schema_oracle.rule_levels = 'no_such_rule=off';
SET schema_oracle.rule_levels = 'rename_column=loud';
SET schema_oracle.rule_levels = 'rename_column';
SET schema_oracle.rule_levels = 'fk_missing_index=off';
RESET schema_oracle.rule_levels;

-- Who may change what: the enforcement settings are superuser-only
-- (PGC_SUSET), so the application role cannot switch enforcement off.
SET schema_oracle.guard = block;
SET ROLE so_app;
SET schema_oracle.guard = off;
SET schema_oracle.rule_levels = 'create_index_not_concurrently=off';
SET schema_oracle.size_threshold = '100GB';
SET schema_oracle.fail_closed = off;
SHOW schema_oracle.guard;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Waivers need EXECUTE on schema_oracle.allow(), which PUBLIC lacks.
SELECT schema_oracle.allow('create_index_not_concurrently', 'tiny table');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT EXECUTE ON FUNCTION schema_oracle.allow(text, text) TO so_app;
SET ROLE so_app;
-- A waiver lasts until the end of the transaction, needs a reason and a
-- known rule, and is logged with the role and the reason.
SET client_min_messages = log;
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'orders is empty in production');
CREATE INDEX t_v_idx ON t (v);
COMMIT;
RESET client_min_messages;
DROP INDEX CONCURRENTLY t_v_idx;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', '   ');
ROLLBACK;
BEGIN;
SELECT schema_oracle.allow('no_such_rule', 'because');
ROLLBACK;
BEGIN;
SELECT schema_oracle.allow('fk_missing_index', 'report rule');
ROLLBACK;
-- Outside a transaction block the waiver ends at once: a warning says so.
SELECT schema_oracle.allow('create_index_not_concurrently', 'too late');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION schema_oracle.allow(text, text) FROM so_app;

-- A waiver granted in a subtransaction ends with it, like the rest of the
-- subtransaction's work: ROLLBACK TO SAVEPOINT drops it (and the statement
-- is blocked), RELEASE SAVEPOINT keeps it.
BEGIN;
SAVEPOINT s;
SELECT schema_oracle.allow('create_index_not_concurrently', 'rolled back');
ROLLBACK TO s;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
SAVEPOINT s;
SELECT schema_oracle.allow('create_index_not_concurrently', 'released savepoint');
RELEASE SAVEPOINT s;
CREATE INDEX t_v_idx ON t (v);
ROLLBACK;
-- Nested: a released inner savepoint hands the waiver to the outer one,
-- so rolling the outer one back drops it.
BEGIN;
SAVEPOINT outer_sp;
SAVEPOINT inner_sp;
SELECT schema_oracle.allow('create_index_not_concurrently', 'inner, then outer rolled back');
RELEASE SAVEPOINT inner_sp;
ROLLBACK TO outer_sp;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
-- Waiving again inside a savepoint that is rolled back restores the outer
-- waiver and its reason.
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'outer reason');
SAVEPOINT s;
SELECT schema_oracle.allow('create_index_not_concurrently', 'inner reason');
ROLLBACK TO s;
CREATE INDEX t_v_idx ON t (v);
ROLLBACK;
-- A PL/pgSQL EXCEPTION block that fails drops the waivers granted in it;
-- one that succeeds keeps them.
BEGIN;
DO $$
BEGIN
    BEGIN
        PERFORM schema_oracle.allow('create_index_not_concurrently', 'failed block');
        RAISE EXCEPTION 'step failed';
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
END $$;
CREATE INDEX t_v_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
BEGIN;
DO $$
BEGIN
    BEGIN
        PERFORM schema_oracle.allow('create_index_not_concurrently', 'block that succeeded');
    EXCEPTION WHEN raise_exception THEN
        NULL;
    END;
END $$;
CREATE INDEX t_v_idx ON t (v);
ROLLBACK;

-- An administrator may delegate one setting with GRANT SET ON PARAMETER.
GRANT SET ON PARAMETER schema_oracle.size_threshold TO so_app;
SET ROLE so_app;
SET schema_oracle.size_threshold = '1GB';
CREATE INDEX t_v_idx ON t (v);
DROP INDEX t_v_idx;
RESET schema_oracle.size_threshold;
RESET ROLE;
REVOKE SET ON PARAMETER schema_oracle.size_threshold FROM so_app;
SET schema_oracle.size_threshold = 0;

-- An internal failure while judging does not break the statement: the
-- guard warns and lets PostgreSQL run it. (Faults injected by the test
-- module schema_oracle_test, created by setup.)
SET schema_oracle.guard = warn;
SELECT schema_oracle_test.guard_fault('pg_error');
CREATE INDEX t_fault_idx ON t (v);
SELECT schema_oracle_test.guard_fault('cpp_exception');
CREATE INDEX t_fault2_idx ON t (v);
SELECT count(*) AS indexes_built FROM pg_class WHERE relname IN ('t_fault_idx', 't_fault2_idx');
-- fail_closed blocks instead.
SET schema_oracle.fail_closed = on;
CREATE INDEX t_fault3_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.guard_fault('pg_error');
CREATE INDEX t_fault3_idx ON t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET schema_oracle.fail_closed;
-- The same for the table_rewrite backstop (a rewrite no rule judged at
-- ddl_command_start): a failure while gathering its facts is survived.
CREATE TYPE pair AS (a int, b int);
CREATE TABLE typed OF pair;
INSERT INTO typed VALUES (1, 2);
SELECT schema_oracle_test.guard_fault('rewrite_pg_error');
ALTER TYPE pair ALTER ATTRIBUTE a TYPE bigint CASCADE;
SELECT format_type(atttypid, atttypmod) AS a_type FROM pg_attribute
WHERE attrelid = 'gp.typed'::regclass AND attname = 'a';
SET schema_oracle.fail_closed = on;
ALTER TYPE pair ALTER ATTRIBUTE b TYPE bigint CASCADE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET schema_oracle.fail_closed;
SELECT schema_oracle_test.guard_fault('none');
SET schema_oracle.guard = off;
DROP TABLE typed;
DROP TYPE pair;
SET schema_oracle.guard = warn;
-- An error in the statement itself is not the guard's failure: it stays
-- silent and PostgreSQL reports the error, also under fail_closed.
SET schema_oracle.fail_closed = on;
ALTER TABLE t ADD COLUMN n bigint DEFAULT nextval('gp.no_such_seq');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD COLUMN n int DEFAULT 'abc';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET schema_oracle.fail_closed;

-- Type-hygiene rules are NOTICEs by default and never block by default.
SET schema_oracle.guard = block;
ALTER TABLE t ADD COLUMN j2 json;
SET schema_oracle.guard = off;
DROP SCHEMA gp CASCADE;
