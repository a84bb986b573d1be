-- security_hijack: an ordinary role plants objects named like the ones the
-- extension's code uses -- earlier on search_path, as operators, as a type,
-- in pg_temp, and as the extension's own schema before it is installed --
-- and none of them ever runs or is read (docs/security.md).
\set regress_db :DBNAME

-- 1. The extension's schema, created by an ordinary role before a superuser
--    installs the extension: the schema's owner could rename it and plant a
--    look-alike whose functions the extension's code would then call as the
--    superuser. CREATE EXTENSION refuses a schema it would not own.
CREATE DATABASE so_hijack;
GRANT CREATE ON DATABASE so_hijack TO so_app;
\c so_hijack so_app
CREATE SCHEMA schema_oracle;
-- An overload that a call the extension makes could resolve to.
CREATE FUNCTION schema_oracle.rule_catalog(rule text) RETURNS SETOF record LANGUAGE sql AS 'SELECT NULL::record';
\c so_hijack postgres
CREATE EXTENSION schema_oracle;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS extension_installed FROM pg_extension WHERE extname = 'schema_oracle';
-- Given to the superuser, but still holding so_app's overload: refused too.
ALTER SCHEMA schema_oracle OWNER TO postgres;
CREATE EXTENSION schema_oracle;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Owned by the installing superuser and holding nothing else: installs.
DROP FUNCTION schema_oracle.rule_catalog(text);
CREATE EXTENSION schema_oracle;
SELECT extname FROM pg_extension WHERE extname = 'schema_oracle';
\c :regress_db postgres
DROP DATABASE so_hijack;

-- 2. Look-alikes earlier on search_path, planted by so_app in public.
CREATE SCHEMA sec_hij;
CREATE TABLE sec_hij.parent (id bigint PRIMARY KEY);
CREATE TABLE sec_hij.child (id bigint PRIMARY KEY, parent_id bigint REFERENCES sec_hij.parent);
INSERT INTO sec_hij.parent SELECT generate_series(1, 100);
INSERT INTO sec_hij.child SELECT g, g FROM generate_series(1, 100) g;
SET ROLE so_app;
CREATE FUNCTION public.hijacked(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    RAISE WARNING 'HIJACKED: % ran as %', what, current_user;
    RETURN true;
END $$;
CREATE FUNCTION public.hijack_eq(a text, b text) RETURNS boolean LANGUAGE sql
    AS $$ SELECT public.hijacked('operator =') $$;
CREATE OPERATOR public.= (leftarg = text, rightarg = text, function = public.hijack_eq);
CREATE FUNCTION public.hijack_like(a text, b text) RETURNS boolean LANGUAGE sql
    AS $$ SELECT public.hijacked('operator ~~') $$;
CREATE OPERATOR public.~~ (leftarg = text, rightarg = text, function = public.hijack_like);
CREATE FUNCTION public.quote_ident(text) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('quote_ident') THEN $1 END $$;
CREATE FUNCTION public.quote_literal(text) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('quote_literal') THEN $1 END $$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('format') THEN $1 END $$;
CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('lower') THEN $1 END $$;
CREATE FUNCTION public.jsonb_build_object(text, text) RETURNS jsonb LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('jsonb_build_object') THEN '{}'::jsonb END $$;
CREATE FUNCTION public.current_database() RETURNS name LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('current_database') THEN 'x'::name END $$;
CREATE FUNCTION public.version() RETURNS text LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('version') THEN 'x' END $$;
CREATE FUNCTION public.rule_catalog() RETURNS SETOF record LANGUAGE sql
    AS $$ SELECT NULL::record WHERE public.hijacked('rule_catalog') $$;
CREATE DOMAIN public.text AS pg_catalog.text CHECK (public.hijacked('domain text'));
-- Tables named like ours, in public and in pg_temp, that exempt everything.
CREATE TABLE public.exemptions (rule text, object_pattern text, reason text);
INSERT INTO public.exemptions VALUES ('fk_missing_index', '%', 'hijack');
CREATE TEMP TABLE exemptions (rule text, object_pattern text, reason text);
INSERT INTO pg_temp.exemptions VALUES ('fk_missing_index', '%', 'hijack');
CREATE TEMP TABLE rules (rule text);
CREATE VIEW public.rules AS SELECT 'hijack'::pg_catalog.text AS rule WHERE public.hijacked('view rules');
RESET ROLE;

-- Every entry point, called by so_app and by a superuser with the planted
-- objects first on search_path: no HIJACKED warning, and exemptions come
-- from schema_oracle.exemptions only (fk_missing_index is still reported).
SET ROLE so_app;
SET search_path = pg_temp, public, pg_catalog;
SELECT count(*) AS fk_findings FROM schema_oracle.report(include_schemas => '{sec_hij}', rules => '{fk_missing_index}');
SELECT count(*) > 0 AS view_rows FROM schema_oracle.report;
SELECT jsonb_typeof(schema_oracle.report_json(include_schemas => '{sec_hij}')) AS json;
SELECT jsonb_typeof(schema_oracle.report_sarif(include_schemas => '{sec_hij}')) AS sarif;
SELECT count(*) > 40 AS rules FROM schema_oracle.rules;
SELECT length(schema_oracle.explain_rule('fk_missing_index')) > 0 AS explained;
SELECT schema_oracle.version() IS NOT NULL AS versioned;
RESET search_path;
RESET ROLE;
SET search_path = pg_temp, public, pg_catalog;
SELECT count(*) AS fk_findings FROM schema_oracle.report(include_schemas => '{sec_hij}', rules => '{fk_missing_index}');
SELECT jsonb_typeof(schema_oracle.report_sarif(include_schemas => '{sec_hij}')) AS sarif;
-- The exemptions trigger, as the table's owner.
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
VALUES ('fk_missing_index', '%sec_hij.child%', 'a real exemption');
SELECT count(*) AS fk_findings_after_exemption
FROM schema_oracle.report(include_schemas => '{sec_hij}', rules => '{fk_missing_index}');
DELETE FROM schema_oracle.exemptions WHERE reason OPERATOR(pg_catalog.=) 'a real exemption';
-- The guard, judging and writing hints with the planted objects first on the
-- path (warn mode, every table).
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET client_min_messages = warning;
SET lock_timeout = '5s';
CREATE INDEX child_parent_idx ON sec_hij.child (parent_id);
ALTER TABLE sec_hij.child ADD COLUMN note pg_catalog.text DEFAULT 'x';
ALTER TABLE sec_hij.child ADD CONSTRAINT note_short CHECK (pg_catalog.length(note) < 10);
ALTER TABLE sec_hij.child ALTER COLUMN note TYPE varchar(20);
ALTER TABLE sec_hij.child RENAME COLUMN note TO remark;
RESET client_min_messages;
RESET schema_oracle.guard;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
RESET search_path;

-- 3. The DDL log's SQL INSERT (taken for a log table an administrator
--    reshaped, here with a column of their own), with operators planted for
--    its arithmetic: they never run, not even for a superuser's migration.
SET ROLE so_app;
CREATE FUNCTION public.hijack_mul(a int8, b int4) RETURNS int8 LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('operator *') THEN 0::int8 END $$;
CREATE OPERATOR public.* (leftarg = int8, rightarg = int4, function = public.hijack_mul);
CREATE FUNCTION public.hijack_add(a int8, b int8) RETURNS int8 LANGUAGE sql
    AS $$ SELECT CASE WHEN public.hijacked('operator +') THEN 0::int8 END $$;
CREATE OPERATOR public.+ (leftarg = int8, rightarg = int8, function = public.hijack_add);
RESET ROLE;
SET client_min_messages = error;
SET schema_oracle.ddl_log = off;
ALTER TABLE schema_oracle.ddl_log ADD COLUMN note pg_catalog.text;
RESET client_min_messages;
SET schema_oracle.ddl_log = 'all';
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = off;
SET search_path = pg_temp, public, pg_catalog;
BEGIN;
CREATE TABLE sec_hij.logged (id bigint PRIMARY KEY);
COMMIT;
RESET search_path;
SET client_min_messages = error;
SET schema_oracle.ddl_log = off;
ALTER TABLE schema_oracle.ddl_log DROP COLUMN note;
RESET client_min_messages;
RESET schema_oracle.commit_checks;
RESET schema_oracle.guard;
SELECT count(*) AS logged FROM schema_oracle.ddl_log WHERE 'sec_hij.logged' = ANY (objects);
SELECT count(*) AS planted_ids FROM schema_oracle.ddl_log WHERE id = 0;
RESET schema_oracle.ddl_log;
SET schema_oracle.guard = off;
DROP SCHEMA sec_hij CASCADE;
DROP VIEW public.rules;
DROP TABLE public.exemptions;
DROP DOMAIN public.text;
DROP OPERATOR public.= (text, text);
DROP OPERATOR public.~~ (text, text);
DROP OPERATOR public.* (int8, int4);
DROP OPERATOR public.+ (int8, int8);
DROP FUNCTION public.hijack_mul(int8, int4), public.hijack_add(int8, int8);
DROP FUNCTION public.hijack_eq(text, text), public.hijack_like(text, text), public.quote_ident(text),
    public.quote_literal(text), public.format(text, text), public.lower(text),
    public.jsonb_build_object(text, text), public.current_database(), public.version(),
    public.rule_catalog(), public.hijacked(text);
RESET schema_oracle.guard;
