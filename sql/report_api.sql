-- report_api: arguments, filters, exclusions, identities (compared with
-- pg_identify_object for every finding), the view, exemptions, JSON and
-- SARIF output, a non-superuser caller. Own schemas; dropped at the end.
CREATE SCHEMA rpt_api;
CREATE SCHEMA rpt_api_other;
SET search_path = rpt_api;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

-- One object per rule.
CREATE TABLE "Users" (id int PRIMARY KEY, "Email" varchar(255), password text, born_on text,
                      settings json, seen timestamp, code char(3), updated_at timestamptz);
CREATE TABLE orders (id int PRIMARY KEY, user_id bigint, created_at timestamptz,
                     updated_at timestamptz, note text);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES "Users" NOT VALID;
CREATE INDEX orders_note_a ON orders (note);
CREATE INDEX orders_note_b ON orders (note);
CREATE INDEX orders_note_id ON orders (note, id);
CREATE TABLE nopk (x int);
CREATE TABLE dupes (v int);
INSERT INTO dupes VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON dupes (v);
CREATE TABLE counters (id serial PRIMARY KEY);
SELECT setval('counters_id_seq', 2000000000) IS NOT NULL AS set;
CREATE FUNCTION rpt_api.definer(text) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE TABLE rpt_api_other.elsewhere (x int);

SET schema_oracle.max_indexes_per_table = 2;
SELECT DISTINCT rule FROM schema_oracle.report(include_schemas => '{rpt_api}') ORDER BY 1;

-- Identities and object types are exactly pg_identify_object()'s.
SELECT r.rule, r.object_type, r.object_identity, o.type, o.identity
FROM schema_oracle.report_objects(include_schemas => '{rpt_api,rpt_api_other}') r,
     LATERAL pg_identify_object(r.classid, r.objid, r.objsubid) o
WHERE r.object_identity IS DISTINCT FROM o.identity OR r.object_type IS DISTINCT FROM o.type;
SELECT count(*) > 0 AS compared
FROM schema_oracle.report_objects(include_schemas => '{rpt_api,rpt_api_other}');
-- table_identity is the identity of the table the object belongs to
SELECT r.rule, r.object_identity, r.table_identity
FROM schema_oracle.report_objects(include_schemas => '{rpt_api}') r
WHERE r.object_type <> 'function'
  AND r.table_identity IS DISTINCT FROM
      (SELECT (pg_identify_object('pg_class'::regclass, t.oid, 0)).identity
       FROM pg_class t
       WHERE t.oid = CASE WHEN r.classid = 'pg_constraint'::regclass
                          THEN (SELECT conrelid FROM pg_constraint WHERE oid = r.objid)
                          WHEN r.object_type = 'index'
                          THEN (SELECT indrelid FROM pg_index WHERE indexrelid = r.objid)
                          WHEN r.object_type = 'sequence'
                          THEN (SELECT refobjid FROM pg_depend WHERE objid = r.objid AND deptype = 'a')
                          ELSE r.objid END);

-- Filters: schemas, minimum severity, rule list.
SELECT count(*) FILTER (WHERE object_identity LIKE 'rpt_api_other.%') AS other,
       count(*) FILTER (WHERE object_identity NOT LIKE 'rpt_api_other.%') AS not_other
FROM schema_oracle.report(include_schemas => '{rpt_api,rpt_api_other}',
                          exclude_schemas => '{rpt_api}');
SELECT DISTINCT severity FROM schema_oracle.report(include_schemas => '{rpt_api}',
                                                   min_severity => 'warning') ORDER BY 1;
SELECT DISTINCT severity FROM schema_oracle.report(include_schemas => '{rpt_api}',
                                                   min_severity => 'error');
SELECT rule, object_identity FROM schema_oracle.report(include_schemas => '{rpt_api}',
                                                       rules => '{missing_primary_key,invalid_index}');
-- Never system schemas or extension-owned objects (schema_oracle.exemptions has no
-- audit columns, pg_catalog has tables without primary keys).
SELECT count(*) AS system_or_extension
FROM schema_oracle.report()
WHERE object_identity ~ '^(pg_catalog|information_schema|schema_oracle|pg_toast)\.';

-- Bad arguments: clear errors, SQLSTATE 22023, before any catalog is read.
\set VERBOSITY default
SELECT * FROM schema_oracle.report(rules => '{no_such_rule}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM schema_oracle.report(rules => '{create_index_not_concurrently}');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT * FROM schema_oracle.report(min_severity => 'fatal');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- The view: most severe first, then rule, then identity.
SELECT bool_and(ok) AS ordered FROM (
    SELECT (CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule, object_identity)
           >= lag((CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule,
                   object_identity)) OVER () IS NOT FALSE AS ok
    FROM schema_oracle.report) s;
SELECT severity, rule, object_identity FROM schema_oracle.report
WHERE object_identity LIKE 'rpt_api.%' AND rule IN ('sequence_near_overflow', 'invalid_index', 'duplicate_index');

-- Exemptions: only privileged roles manage them; the rule is checked; exempted
-- findings are hidden unless asked for.
SET ROLE so_app;
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('missing_primary_key', 'rpt_api.nopk', 'append-only log');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) >= 0 AS so_app_can_read FROM schema_oracle.exemptions;
RESET ROLE;
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('no_such_rule', 'rpt_api.%', 'typo');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('missing_primary_key', 'rpt_api.nopk', '');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set VERBOSITY default
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('missing_primary_key', 'rpt_api.nopk', 'append-only log'),
       ('json_column', 'rpt_api."Users".%', 'legacy API payloads');
SELECT rule, object_identity, exempted FROM schema_oracle.report(include_schemas => '{rpt_api}',
    rules => '{missing_primary_key,json_column}');
SELECT rule, object_identity, exempted FROM schema_oracle.report(include_schemas => '{rpt_api}',
    rules => '{missing_primary_key,json_column}', show_exempted => true);
SELECT extconfig::regclass[] FROM pg_extension WHERE extname = 'schema_oracle';

-- JSON: summary counts match, findings in report order.
SELECT j->'summary' AS summary, jsonb_array_length(j->'findings') AS findings,
       j->'findings'->0->>'severity' AS first_severity
FROM schema_oracle.report_json(include_schemas => '{rpt_api}') j;

-- SARIF 2.1.0: rule metadata for every report rule, levels, locations, fixes.
WITH s AS (SELECT schema_oracle.report_sarif(include_schemas => '{rpt_api}') AS doc)
SELECT doc->>'version' AS version,
       doc->'runs'->0->'tool'->'driver'->>'name' AS tool,
       jsonb_array_length(doc->'runs'->0->'tool'->'driver'->'rules') =
           (SELECT count(*) FROM schema_oracle.rules WHERE judged_by LIKE '%report%') AS all_rules,
       jsonb_array_length(doc->'runs'->0->'results') =
           (SELECT count(*) FROM schema_oracle.report(include_schemas => '{rpt_api}')) AS all_results
FROM s;
WITH s AS (SELECT schema_oracle.report_sarif(include_schemas => '{rpt_api}', rules => '{fk_missing_index,sequence_near_overflow}') AS doc)
SELECT r->>'ruleId' AS rule, r->>'level' AS level,
       r->'locations'->0->'logicalLocations'->0->>'fullyQualifiedName' AS name,
       r->'properties'->>'fix' AS fix,
       (doc->'runs'->0->'tool'->'driver'->'rules'->((r->>'ruleIndex')::int)->>'id') = r->>'ruleId' AS index_ok
FROM s, jsonb_array_elements(doc->'runs'->0->'results') r;
WITH s AS (SELECT schema_oracle.report_sarif() AS doc)
SELECT d->>'id' AS id, d->'defaultConfiguration'->>'level' AS level,
       d->'help'->>'text' LIKE '# ' || (d->>'id') || '%' AS has_help
FROM s, jsonb_array_elements(doc->'runs'->0->'tool'->'driver'->'rules') d
WHERE d->>'id' IN ('fk_missing_index', 'unused_index', 'json_column');

-- moddatetime maintains the column it is given, and only that one.
CREATE EXTENSION moddatetime SCHEMA rpt_api_other;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION rpt_api_other.moddatetime(updated_at);
CREATE TRIGGER users_touch BEFORE UPDATE ON "Users" FOR EACH ROW EXECUTE FUNCTION rpt_api_other.moddatetime(seen);
SELECT object_identity FROM schema_oracle.report(include_schemas => '{rpt_api}',
                                                 rules => '{updated_at_no_trigger}');

-- A non-superuser gets the same findings on objects it can see.
GRANT USAGE ON SCHEMA rpt_api TO so_app;
SET ROLE so_app;
SELECT count(*) AS so_app_findings FROM schema_oracle.report(include_schemas => '{rpt_api}',
    rules => '{fk_missing_index,duplicate_index,missing_primary_key,invalid_index}');
RESET ROLE;
SELECT count(*) AS owner_findings FROM schema_oracle.report(include_schemas => '{rpt_api}',
    rules => '{fk_missing_index,duplicate_index,missing_primary_key,invalid_index}');

-- schema_oracle.report_keep_memory: how much freed memory a backend keeps for
-- its next call; 0 (the default) returns it after every call. Either way the
-- same findings.
SHOW schema_oracle.report_keep_memory;
SET schema_oracle.report_keep_memory = '256MB';
SELECT count(*) AS owner_findings FROM schema_oracle.report(include_schemas => '{rpt_api}',
    rules => '{fk_missing_index,duplicate_index,missing_primary_key,invalid_index}');
SET schema_oracle.report_keep_memory = '1GB';
SHOW schema_oracle.report_keep_memory;
SET schema_oracle.report_keep_memory = -1;
RESET schema_oracle.report_keep_memory;

DELETE FROM schema_oracle.exemptions;
RESET schema_oracle.max_indexes_per_table;
RESET search_path;
REVOKE USAGE ON SCHEMA rpt_api FROM so_app;
DROP SCHEMA rpt_api CASCADE;
DROP EXTENSION moddatetime;
DROP SCHEMA rpt_api_other CASCADE;
