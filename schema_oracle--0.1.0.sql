-- schema_oracle 0.1.0: install script.
--
-- Every object lives in schema schema_oracle (relocatable = false). Functions
-- pin search_path; SQL built from identifiers uses format('%I') / quote_ident.
-- Upgrade convention: every release X ships schema_oracle--<prev>--X.sql
-- beside this file, and a fresh install of X must equal an install of the
-- previous version upgraded to X (docs/development.md).

\echo Use "CREATE EXTENSION schema_oracle" to load this file. \quit

-------------------------------------------------------------------------------
-- Catalog: version and rules
-------------------------------------------------------------------------------

CREATE FUNCTION schema_oracle.version()
RETURNS text
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_version';
COMMENT ON FUNCTION schema_oracle.version() IS
    'Version of the schema_oracle library that is loaded';

CREATE FUNCTION schema_oracle.rule_catalog(
    OUT rule text, OUT category text, OUT severity text, OUT judged_by text, OUT summary text)
RETURNS SETOF record
LANGUAGE C STRICT STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_rules';
COMMENT ON FUNCTION schema_oracle.rule_catalog() IS
    'Every rule schema_oracle knows, with its category, default severity and summary';

CREATE VIEW schema_oracle.rules AS
    SELECT rule, category, severity, judged_by, summary
    FROM schema_oracle.rule_catalog();
COMMENT ON VIEW schema_oracle.rules IS
    'The rule catalog: one row per rule (see schema_oracle.explain_rule)';

CREATE FUNCTION schema_oracle.explain_rule(rule text)
RETURNS text
LANGUAGE C STRICT STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_explain_rule';
COMMENT ON FUNCTION schema_oracle.explain_rule(text) IS
    'Full documentation of a rule: what it detects, why it hurts, the lock, the safe alternative';

GRANT USAGE ON SCHEMA schema_oracle TO PUBLIC;
GRANT SELECT ON schema_oracle.rules TO PUBLIC;

-------------------------------------------------------------------------------
-- Guard (issue: live DDL guard)
-------------------------------------------------------------------------------

-- The event trigger functions read the user's own search_path (to resolve
-- the names in the statement being judged), so they do not pin it; they run
-- no SQL. Both triggers are ENABLE ALWAYS, so they also fire under
-- session_replication_role = replica. See docs/guard.md.
CREATE FUNCTION schema_oracle.guard_ddl_command_start()
RETURNS event_trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_guard_ddl_command_start';
COMMENT ON FUNCTION schema_oracle.guard_ddl_command_start() IS
    'Live DDL guard: judges each DDL statement before it takes any lock';

CREATE FUNCTION schema_oracle.guard_table_rewrite()
RETURNS event_trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_guard_table_rewrite';
COMMENT ON FUNCTION schema_oracle.guard_table_rewrite() IS
    'Live DDL guard: exact backstop for table rewrites no rule judged';

CREATE EVENT TRIGGER schema_oracle_guard_ddl_command_start ON ddl_command_start
    EXECUTE FUNCTION schema_oracle.guard_ddl_command_start();
ALTER EVENT TRIGGER schema_oracle_guard_ddl_command_start ENABLE ALWAYS;

CREATE EVENT TRIGGER schema_oracle_guard_table_rewrite ON table_rewrite
    EXECUTE FUNCTION schema_oracle.guard_table_rewrite();
ALTER EVENT TRIGGER schema_oracle_guard_table_rewrite ENABLE ALWAYS;

-- Waivers: trusted migration roles only (the administrator GRANTs EXECUTE).
CREATE FUNCTION schema_oracle.allow(rule text, reason text)
RETURNS void
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_allow';
COMMENT ON FUNCTION schema_oracle.allow(text, text) IS
    'Waive one guard rule until the end of the current transaction; the reason is logged';
REVOKE ALL ON FUNCTION schema_oracle.allow(text, text) FROM PUBLIC;

-------------------------------------------------------------------------------
-- Report (issue: schema_oracle.report())
-------------------------------------------------------------------------------
