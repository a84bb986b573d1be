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
END $$;
