-------------------------------------------------------------------------------
-- Commit checks and the DDL audit log (issue 9): docs/commit-checks.md,
-- docs/ddl-log.md.
-------------------------------------------------------------------------------

-- ddl_command_end: notes the tables each DDL statement created or altered
-- (from pg_event_trigger_ddl_commands()), judged when the transaction
-- commits. Like the other guard triggers it runs no SQL and reads the
-- user's search_path only to name objects, and is ENABLE ALWAYS.
CREATE FUNCTION schema_oracle.guard_ddl_command_end()
RETURNS event_trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_guard_ddl_command_end';
COMMENT ON FUNCTION schema_oracle.guard_ddl_command_end() IS
    'Live DDL guard: notes what each DDL statement touched, for the checks at commit';

CREATE EVENT TRIGGER schema_oracle_guard_ddl_command_end ON ddl_command_end
    EXECUTE FUNCTION schema_oracle.guard_ddl_command_end();
ALTER EVENT TRIGGER schema_oracle_guard_ddl_command_end ENABLE ALWAYS;

-------------------------------------------------------------------------------
-- The DDL audit log (docs/ddl-log.md, docs/security.md)
-------------------------------------------------------------------------------

-- One row per DDL statement the guard judged (and one per commit-time
-- verdict). Rows of blocked statements and rolled-back transactions are
-- written by a background worker in a transaction of its own, so they
-- survive the rollback. Nobody but the extension's owner (and superusers)
-- may write: ordinary roles read through schema_oracle.ddl_history.
CREATE TABLE schema_oracle.ddl_log (
    -- The writing transaction's id * 2^20 + the row's position in it: unique
    -- by construction and in write order, without a sequence (nextval()
    -- would change the session's lastval() behind the user's back). No
    -- primary key: its B-tree entry was the largest part of a row's cost
    -- (docs/ddl-log.md, "Indexes"); the BRIN index below serves lookups.
    id               bigint NOT NULL,
    logged_at        timestamptz NOT NULL,  -- when the statement started
    pid              integer NOT NULL,      -- the session's backend
    session_role     name NOT NULL,
    active_role      name NOT NULL,         -- current_user running the statement
    database         name NOT NULL,
    application_name text,
    client_addr      inet,                  -- NULL for a Unix-socket client
    xid              xid8,                  -- NULL if the transaction had none yet
    command_tag      text NOT NULL,         -- CREATE INDEX, ..., or COMMIT for verdicts at commit
    objects          text[] NOT NULL DEFAULT '{}',  -- identities from pg_event_trigger_ddl_commands()
    statement        text,                  -- the statement's own text
    findings         jsonb NOT NULL DEFAULT '[]',   -- [{rule, severity, level, message, detail, fix}]
    action           text NOT NULL CHECK (action IN ('allowed', 'warned', 'waived', 'blocked')),
    waiver_reason    text,
    outcome          text NOT NULL CHECK (outcome IN ('committed', 'rolled back'))
);
-- Retention (ddl_log_purge) and time-range reads select by logged_at,
-- lookups and joins by id. Rows arrive in about the order of both (each
-- transaction's at its commit), so one BRIN index on the two serves them: a
-- row's entry costs a look at the range's summary (nothing at all while the
-- newest range is unsummarized) instead of a B-tree descent and insert,
-- paid for every statement of every migration. VACUUM (autovacuum)
-- summarizes the ranges filled meanwhile; a range not yet summarized is
-- read whole by a query, which costs a scan of its 128 pages at most.
CREATE INDEX ddl_log_logged_at_id_idx ON schema_oracle.ddl_log USING brin (logged_at, id);
-- Building it on the empty table summarized its first range: every row
-- written there would widen that summary again (a new maximum each time).
SELECT pg_catalog.brin_desummarize_range('schema_oracle.ddl_log_logged_at_id_idx', 0);
-- Without a primary key the table has no replica identity by default, and
-- a publication FOR ALL TABLES (which includes extension tables) then
-- refuses ddl_log_purge()'s DELETE: the whole row identifies it instead.
ALTER TABLE schema_oracle.ddl_log REPLICA IDENTITY FULL;
-- The commit check's row holds every verdict of a migration (two per table
-- for a typical one: several hundred kB of jsonb for a few hundred tables),
-- written in the committing transaction: lz4 compresses it about ten times
-- faster than the default pglz. Only where the server was built with lz4
-- (Debian's and most packagers' are); otherwise the default stays.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE schema_oracle.ddl_log
            ALTER COLUMN findings SET COMPRESSION lz4,
            ALTER COLUMN statement SET COMPRESSION lz4;
    END IF;
END $$;
COMMENT ON TABLE schema_oracle.ddl_log IS
    'DDL audit log: one row per judged DDL statement, including blocked and rolled-back ones';
-- pg_dump keeps the rows (an extension's tables are otherwise dumped empty).
SELECT pg_catalog.pg_extension_config_dump('schema_oracle.ddl_log', '');
REVOKE ALL ON schema_oracle.ddl_log FROM PUBLIC;

-- What every role may read: everything but the statement text (it may hold
-- secrets, e.g. CREATE USER MAPPING ... OPTIONS (password '...')) and the
-- client address.
CREATE VIEW schema_oracle.ddl_history AS
SELECT id, logged_at, pid, session_role, active_role, database, application_name, xid,
       command_tag, objects, findings, action, waiver_reason, outcome
FROM schema_oracle.ddl_log;
COMMENT ON VIEW schema_oracle.ddl_history IS
    'The DDL audit log without statement text and client address, readable by every role';
GRANT SELECT ON schema_oracle.ddl_history TO PUBLIC;

-- Deletes rows older than the retention (schema_oracle.ddl_log_retention,
-- or the interval given). Runs with the caller's rights: only roles that
-- may DELETE from the log (its owner, superusers) can purge.
CREATE FUNCTION schema_oracle.ddl_log_purge(older_than interval DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    keep interval := coalesce(older_than,
                              current_setting('schema_oracle.ddl_log_retention')::interval);
    n bigint;
BEGIN
    IF keep < interval '0' THEN
        RAISE EXCEPTION 'schema_oracle: the retention must not be negative'
            USING ERRCODE = '22023';
    END IF;
    DELETE FROM schema_oracle.ddl_log WHERE logged_at < now() - keep;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
COMMENT ON FUNCTION schema_oracle.ddl_log_purge(interval) IS
    'Deletes DDL log rows older than schema_oracle.ddl_log_retention (or the interval given)';
REVOKE EXECUTE ON FUNCTION schema_oracle.ddl_log_purge(interval) FROM PUBLIC;
