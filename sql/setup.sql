-- setup: the extension and the test-only module (boundary probes, fault
-- injection: test/modules/schema_oracle_test, installed by scripts/test.sh
-- only), for the suites that follow in this database.
CREATE EXTENSION schema_oracle;
CREATE EXTENSION schema_oracle_test;
SELECT extname, extversion, extrelocatable, n.nspname AS schema
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE extname = 'schema_oracle';
-- A non-superuser role for the security tests.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'so_app') THEN
        CREATE ROLE so_app LOGIN;
    END IF;
END $$;
GRANT CREATE ON SCHEMA public TO so_app;
-- The live DDL guard stays off in this database unless a test turns it on
-- (the guard_* tests do), so other suites' DDL produces no guard messages.
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET schema_oracle.guard = off', current_database());
    -- and the checks at commit stay off unless a test turns them on (commit_*).
    EXECUTE format('ALTER DATABASE %I SET schema_oracle.commit_checks = off', current_database());
    -- and the DDL log records nothing unless a test turns it on (ddl_log*).
    EXECUTE format('ALTER DATABASE %I SET schema_oracle.ddl_log = off', current_database());
END $$;
-- Helpers of the guard_* tests that paste hints (guard_text, guard_pass_order,
-- guard_enum_values put regress_helpers on their search_path):
-- hint_of(stmt): the HINT of a statement blocked with SO001, NULL if it ran;
-- paste(hint): the hint's statements, line by line, without its first line
-- (prose) and its comments, for \gexec; without the batched data moves
-- (CALL schema_oracle.backfill(...)) unless with_backfill, so that the
-- tests of schema changes keep their tables' sizes.
CREATE SCHEMA regress_helpers;
CREATE FUNCTION regress_helpers.hint_of(stmt text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    h text;
BEGIN
    EXECUTE stmt;
    RETURN NULL;
EXCEPTION WHEN SQLSTATE 'SO001' THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    RETURN h;
END
$$;
CREATE FUNCTION regress_helpers.paste(hint text, with_backfill boolean DEFAULT false)
RETURNS SETOF text LANGUAGE sql AS $$
    SELECT line FROM unnest(string_to_array(hint, E'\n')) WITH ORDINALITY AS l(line, n)
    WHERE n > 1 AND line NOT LIKE '--%'
      AND (with_backfill OR line NOT LIKE 'CALL schema_oracle.backfill(%')
    ORDER BY n
$$;
