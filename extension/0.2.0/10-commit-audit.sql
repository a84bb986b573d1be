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
