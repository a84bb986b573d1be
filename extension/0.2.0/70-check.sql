-- check(): judge a migration file against the live catalog without running
-- it (docs/check.md). One row per finding: where it is in the file, the
-- rule, the level the live policy would give it, the lock it would take,
-- and the fix. Read-only: it parses, reads the catalog, and takes only the
-- brief ACCESS SHARE locks the guard takes (never waiting, released at once).

CREATE FUNCTION schema_oracle.check(
    migration   text,
    transaction text DEFAULT 'single')
RETURNS TABLE(statement integer, line integer, col integer, excerpt text, rule text,
              severity text, level text, lock_mode text, lock_on text, message text,
              detail text, fix text, waiver text)
LANGUAGE C STABLE ROWS 20
-- No pinned search_path: the migration's unqualified names must resolve the
-- way they will when it runs, in the caller's search_path. check() runs no
-- SQL and calls no user function, so no search_path can hijack it
-- (docs/security.md).
AS 'MODULE_PATHNAME', 'schema_oracle_check';
COMMENT ON FUNCTION schema_oracle.check(text, text) IS
    'Findings for a migration file judged by the guard''s rules against the live catalog, without running it';

-- Several migration files in order, each a migration of its own (what an
-- earlier one creates exists for the later ones); `migration` is the
-- 1-based index into the array. The command-line client
-- schema_oracle_check calls this one.
CREATE FUNCTION schema_oracle.check(
    migrations  text[],
    transaction text DEFAULT 'single')
RETURNS TABLE(migration integer, statement integer, line integer, col integer, excerpt text,
              rule text, severity text, level text, lock_mode text, lock_on text, message text,
              detail text, fix text, waiver text)
LANGUAGE C STABLE ROWS 20
AS 'MODULE_PATHNAME', 'schema_oracle_check_files';
COMMENT ON FUNCTION schema_oracle.check(text[], text) IS
    'Findings for consecutive migration files judged by the guard''s rules against the live catalog, without running them';
