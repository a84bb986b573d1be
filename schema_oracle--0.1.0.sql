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

-------------------------------------------------------------------------------
-- Report (issue: schema_oracle.report())
-------------------------------------------------------------------------------
