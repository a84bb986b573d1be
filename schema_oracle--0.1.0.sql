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
-- report(): the whole database's schema health in one catalog pass
-- (docs/report.md). Runs with the caller's rights, read-only (works on a
-- hot standby). Fixes are returned, not executed:
--     SELECT fix FROM schema_oracle.report WHERE fix IS NOT NULL \gexec

CREATE TABLE schema_oracle.exemptions (
    rule           text        NOT NULL,
    object_pattern text        NOT NULL,
    reason         text        NOT NULL CHECK (reason <> ''),
    created_by     name        NOT NULL DEFAULT current_user,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (rule, object_pattern)
);
COMMENT ON TABLE schema_oracle.exemptions IS
    'Findings report() hides: rule plus a LIKE pattern on object_identity, with the reason';
REVOKE ALL ON schema_oracle.exemptions FROM PUBLIC;
GRANT SELECT ON schema_oracle.exemptions TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('schema_oracle.exemptions', '');

CREATE FUNCTION schema_oracle.exemptions_check_rule()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM schema_oracle.rule_catalog() r
                   WHERE r.rule = NEW.rule AND r.judged_by LIKE '%report%') THEN
        RAISE EXCEPTION 'schema_oracle: report() has no rule "%"', NEW.rule
            USING ERRCODE = '22023',
                  HINT = 'SELECT rule FROM schema_oracle.rules WHERE judged_by LIKE ''%report%'' lists them.';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER exemptions_check_rule BEFORE INSERT OR UPDATE OF rule ON schema_oracle.exemptions
    FOR EACH ROW EXECUTE FUNCTION schema_oracle.exemptions_check_rule();

CREATE FUNCTION schema_oracle.report(
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL,
    min_severity    text   DEFAULT 'info',
    rules           text[] DEFAULT NULL,
    show_exempted   boolean DEFAULT false)
RETURNS TABLE(rule text, severity text, category text, object_type text, object_identity text,
              table_identity text, message text, detail text, fix text, exempted boolean)
LANGUAGE C STABLE ROWS 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_report';
COMMENT ON FUNCTION schema_oracle.report(text[], text[], text, text[], boolean) IS
    'Schema health findings for the whole database, most severe first, each with a runnable fix or NULL';

CREATE FUNCTION schema_oracle.report_objects(
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL,
    min_severity    text   DEFAULT 'info',
    rules           text[] DEFAULT NULL,
    show_exempted   boolean DEFAULT false)
RETURNS TABLE(rule text, severity text, category text, object_type text, object_identity text,
              table_identity text, message text, detail text, fix text, exempted boolean,
              classid oid, objid oid, objsubid integer)
LANGUAGE C STABLE ROWS 100
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_report';
COMMENT ON FUNCTION schema_oracle.report_objects(text[], text[], text, text[], boolean) IS
    'report() plus each finding''s object address (classid, objid, objsubid) for pg_identify_object()';

CREATE VIEW schema_oracle.report WITH (security_invoker = true) AS
    SELECT r.rule, r.severity, r.category, r.object_type, r.object_identity, r.table_identity,
           r.message, r.detail, r.fix, r.exempted
    FROM schema_oracle.report() r
    ORDER BY CASE r.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
             r.rule, r.object_identity;
COMMENT ON VIEW schema_oracle.report IS
    'schema_oracle.report() with default options, most severe first';

CREATE FUNCTION schema_oracle.report_json(
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL,
    min_severity    text   DEFAULT 'info',
    rules           text[] DEFAULT NULL,
    show_exempted   boolean DEFAULT false)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT jsonb_build_object(
        'tool', 'schema_oracle',
        'version', schema_oracle.version(),
        'database', current_database(),
        'summary', jsonb_build_object(
            'error', count(*) FILTER (WHERE r.severity = 'error' AND NOT r.exempted),
            'warning', count(*) FILTER (WHERE r.severity = 'warning' AND NOT r.exempted),
            'info', count(*) FILTER (WHERE r.severity = 'info' AND NOT r.exempted)),
        'findings', COALESCE(jsonb_agg(jsonb_build_object(
            'rule', r.rule, 'severity', r.severity, 'category', r.category,
            'object_type', r.object_type, 'object_identity', r.object_identity,
            'table_identity', r.table_identity, 'message', r.message, 'detail', r.detail,
            'fix', r.fix, 'exempted', r.exempted) ORDER BY r.n), '[]'::jsonb))
    FROM schema_oracle.report(include_schemas, exclude_schemas, min_severity, rules,
                              show_exempted) WITH ORDINALITY AS r(rule, severity, category,
        object_type, object_identity, table_identity, message, detail, fix, exempted, n)
$$;
COMMENT ON FUNCTION schema_oracle.report_json(text[], text[], text, text[], boolean) IS
    'report() as one JSON document: summary counts and the findings in report order';

-- SARIF 2.1.0 for code-scanning tools. Fixes are text (properties.fix):
-- SARIF's own fix object needs file edits, which a catalog has none of.
CREATE FUNCTION schema_oracle.report_sarif(
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL,
    min_severity    text   DEFAULT 'info',
    rules           text[] DEFAULT NULL,
    show_exempted   boolean DEFAULT false)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH rule_meta AS (
        SELECT c.rule, c.category, c.severity, c.summary,
               schema_oracle.explain_rule(c.rule) AS doc,
               (row_number() OVER (ORDER BY c.rule)) - 1 AS idx
        FROM schema_oracle.rule_catalog() c
        WHERE c.judged_by LIKE '%report%'
    ),
    findings AS (
        SELECT r.*, m.idx
        FROM schema_oracle.report(include_schemas, exclude_schemas, min_severity, rules,
                                  show_exempted) WITH ORDINALITY AS r(rule, severity, category,
             object_type, object_identity, table_identity, message, detail, fix, exempted, n)
        JOIN rule_meta m ON m.rule = r.rule
    )
    SELECT jsonb_build_object(
        '$schema', 'https://json.schemastore.org/sarif-2.1.0.json',
        'version', '2.1.0',
        'runs', jsonb_build_array(jsonb_build_object(
            'tool', jsonb_build_object('driver', jsonb_build_object(
                'name', 'schema_oracle',
                'version', schema_oracle.version(),
                'rules', (SELECT jsonb_agg(jsonb_build_object(
                    'id', m.rule,
                    'name', m.rule,
                    'shortDescription', jsonb_build_object('text', m.summary),
                    'fullDescription', jsonb_build_object('text', m.summary),
                    'help', jsonb_build_object('text', m.doc, 'markdown', m.doc),
                    'defaultConfiguration', jsonb_build_object('level',
                        CASE m.severity WHEN 'error' THEN 'error' WHEN 'warning' THEN 'warning'
                                        ELSE 'note' END),
                    'properties', jsonb_build_object('category', m.category,
                                                     'tags', jsonb_build_array(m.category)))
                    ORDER BY m.idx) FROM rule_meta m))),
            'automationDetails', jsonb_build_object('id', 'schema_oracle/' || current_database()),
            'results', COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                'ruleId', f.rule,
                'ruleIndex', f.idx,
                'level', CASE f.severity WHEN 'error' THEN 'error' WHEN 'warning' THEN 'warning'
                                         ELSE 'note' END,
                'message', jsonb_build_object('text',
                    f.message || COALESCE(' (' || f.detail || ')', '')),
                'locations', jsonb_build_array(jsonb_build_object(
                    'logicalLocations', jsonb_build_array(jsonb_build_object(
                        'fullyQualifiedName', f.object_identity,
                        'kind', f.object_type)))),
                'partialFingerprints', jsonb_build_object('schemaOracle/v1',
                    md5(f.rule || '|' || f.object_identity)),
                'suppressions', CASE WHEN f.exempted THEN jsonb_build_array(jsonb_build_object(
                    'kind', 'external', 'justification', 'schema_oracle.exemptions')) END,
                'properties', jsonb_build_object(
                    'severity', f.severity, 'category', f.category,
                    'objectType', f.object_type, 'tableIdentity', f.table_identity,
                    'detail', f.detail, 'fix', f.fix))) ORDER BY f.n) FROM findings f),
                '[]'::jsonb))))
$$;
COMMENT ON FUNCTION schema_oracle.report_sarif(text[], text[], text, text[], boolean) IS
    'report() as a SARIF 2.1.0 log (rule metadata, levels, help, fixes in properties)';

GRANT SELECT ON schema_oracle.report TO PUBLIC;
