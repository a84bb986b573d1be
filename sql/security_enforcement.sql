-- security_enforcement: an ordinary role cannot lower the guard's
-- enforcement (docs/security.md). Every enforcement setting is PGC_SUSET;
-- waivers need EXECUTE on allow(); the event triggers, the extension and
-- its tables belong to the superuser who created it.
CREATE SCHEMA sec_enf;
GRANT USAGE, CREATE ON SCHEMA sec_enf TO so_app;
CREATE TABLE sec_enf.big (id bigint PRIMARY KEY, v int);
INSERT INTO sec_enf.big SELECT g, g FROM generate_series(1, 1000) g;
ALTER TABLE sec_enf.big OWNER TO so_app;
-- The administrator's policy for so_app's sessions: block, every table
-- (a role default: what RESET and RESET ALL return to).
DO $$ BEGIN
    EXECUTE format('ALTER ROLE so_app IN DATABASE %I SET schema_oracle.guard = block', current_database());
    EXECUTE format('ALTER ROLE so_app IN DATABASE %I SET schema_oracle.size_threshold = 0', current_database());
    EXECUTE format('ALTER ROLE so_app IN DATABASE %I SET lock_timeout = ''5s''', current_database());
END $$;
\c - so_app
-- A fresh session has not loaded the library yet, so the settings are
-- placeholders, which PostgreSQL lets anyone set. When the library loads
-- (here: at the first DDL statement), PostgreSQL 15 re-checks each
-- placeholder value against the role that set it and drops it with a
-- WARNING: the statement is still judged by the policy.
SET schema_oracle.guard = off;
SET schema_oracle.rule_levels = 'create_index_not_concurrently=off';
SHOW schema_oracle.guard;
CREATE INDEX big_v_idx ON sec_enf.big (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SHOW schema_oracle.guard;
-- Settings: SET, SET LOCAL, set_config(), RESET, SET ... TO DEFAULT.
SET schema_oracle.guard = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard = warn;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
BEGIN;
SET LOCAL schema_oracle.guard = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
SELECT set_config('schema_oracle.guard', 'off', false);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT set_config('schema_oracle.guard', 'off', true);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET schema_oracle.guard;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard TO DEFAULT;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.fail_closed = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.size_threshold = '1TB';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.rule_levels = 'create_index_not_concurrently=off';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- RESET ALL returns to the policy (PostgreSQL resets to the role's and
-- database's defaults, which the administrator set).
RESET ALL;
SHOW schema_oracle.guard;
-- A function with its own SET clause is checked the same way.
CREATE FUNCTION sec_enf.lowered() RETURNS void LANGUAGE sql
    SET schema_oracle.guard = off AS 'SELECT';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Per-role and per-database defaults, and the server's configuration.
ALTER ROLE so_app SET schema_oracle.guard = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DO $$ BEGIN
    EXECUTE format('ALTER ROLE so_app IN DATABASE %I SET schema_oracle.guard = off', current_database());
END $$;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER ROLE CURRENT_USER SET schema_oracle.size_threshold = '1TB';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET schema_oracle.guard = off', current_database());
END $$;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER SYSTEM SET schema_oracle.guard = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Event triggers never fire in replica mode unless ENABLE ALWAYS (ours are),
-- and only a superuser may switch the mode anyway.
SET session_replication_role = replica;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The event triggers and the extension: owner (superuser) only.
ALTER EVENT TRIGGER schema_oracle_guard_ddl_command_start DISABLE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP EVENT TRIGGER schema_oracle_guard_ddl_command_start;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER EXTENSION schema_oracle DROP EVENT TRIGGER schema_oracle_guard_table_rewrite;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP EXTENSION schema_oracle;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE EVENT TRIGGER sec_enf_mine ON ddl_command_start EXECUTE FUNCTION schema_oracle.guard_ddl_command_start();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Nothing can be created in, or replaced in, the extension's schema.
CREATE OR REPLACE FUNCTION schema_oracle.allow(rule text, reason text) RETURNS void
    LANGUAGE sql AS 'SELECT';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE FUNCTION schema_oracle.guard_ddl_command_start(x int) RETURNS int LANGUAGE sql AS 'SELECT 1';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE TABLE schema_oracle.mine (id int);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Loading the library by hand is for superusers (it is not in $libdir/plugins).
LOAD 'schema_oracle';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Waivers need EXECUTE on allow(), which PUBLIC does not have...
SELECT schema_oracle.allow('create_index_not_concurrently', 'I want it');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... also through a SECURITY DEFINER function of its own (it runs as so_app).
CREATE FUNCTION sec_enf.waive() RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT schema_oracle.allow('create_index_not_concurrently', 'via definer') $$;
SELECT sec_enf.waive();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Exemptions (which hide report() findings) are read-only for everyone
-- but the owner.
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason) VALUES ('fk_missing_index', '%', 'all');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
UPDATE schema_oracle.exemptions SET reason = 'x';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DELETE FROM schema_oracle.exemptions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
TRUNCATE schema_oracle.exemptions;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE schema_oracle.exemptions DISABLE TRIGGER exemptions_check_rule;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- After all of it, the policy still holds: so_app's own table, blocked.
SHOW schema_oracle.guard;
CREATE INDEX big_v_idx ON sec_enf.big (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS big_v_idx_exists FROM pg_class WHERE relname = 'big_v_idx';
\c - postgres
-- The administrator's way is GRANT, per role and per parameter (PG15).
GRANT SET ON PARAMETER schema_oracle.guard TO so_app;
SET ROLE so_app;
SET schema_oracle.guard = warn;
SHOW schema_oracle.guard;
RESET ROLE;
REVOKE SET ON PARAMETER schema_oracle.guard FROM so_app;
DO $$ BEGIN
    EXECUTE format('ALTER ROLE so_app IN DATABASE %I RESET ALL', current_database());
END $$;
DROP SCHEMA sec_enf CASCADE;
