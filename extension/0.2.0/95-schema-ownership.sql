-- 95-schema-ownership: refuse to install into (or upgrade in) a schema that
-- an ordinary role controls (docs/security.md, "The extension's schema").
--
-- The control file names the schema, and CREATE EXTENSION reuses a schema
-- of that name if one exists. A role with CREATE on the database could
-- create "schema_oracle" before a superuser installs: as the schema's owner
-- it could later rename it and plant a look-alike whose functions and
-- tables the extension's qualified references (schema_oracle.rule_catalog(),
-- schema_oracle.exemptions, ...) would then reach, running its code as the
-- superuser; or it could leave overloads there that capture those calls.
-- So the schema must belong to the installing role or a superuser, and hold
-- no function, relation, type or operator the extension does not own.
-- Runs last, after every object of the release exists; an error rolls back
-- the whole CREATE EXTENSION / ALTER EXTENSION UPDATE.
DO $$
DECLARE
    ns oid := 'schema_oracle'::regnamespace;
    owner_name name;
    owner_ok boolean;
    foreign_objects text;
BEGIN
    SELECT r.rolname, r.rolname = current_user OR r.rolsuper
    INTO owner_name, owner_ok
    FROM pg_catalog.pg_namespace n JOIN pg_catalog.pg_roles r ON r.oid = n.nspowner
    WHERE n.oid = ns;
    IF NOT owner_ok THEN
        RAISE EXCEPTION 'schema_oracle: schema "schema_oracle" belongs to role %, not to a superuser', owner_name
            USING ERRCODE = '42501',
                  DETAIL = 'Its owner could rename it and plant objects the extension would run as a superuser.',
                  HINT = 'Inspect the schema, then drop it (DROP SCHEMA schema_oracle) or give it to the installing role (ALTER SCHEMA schema_oracle OWNER TO CURRENT_USER), and run CREATE EXTENSION again.';
    END IF;
    -- Objects in the schema that are not the extension's own members (nor
    -- parts of one: a table's row type, an array type, an index).
    SELECT pg_catalog.string_agg(pg_catalog.pg_describe_object(o.classid, o.objid, 0), ', '
                                 ORDER BY o.classid, o.objid)
    INTO foreign_objects
    FROM (SELECT 'pg_catalog.pg_proc'::regclass AS classid, p.oid AS objid
          FROM pg_catalog.pg_proc p WHERE p.pronamespace = ns
          UNION ALL
          SELECT 'pg_catalog.pg_class'::regclass, c.oid
          FROM pg_catalog.pg_class c WHERE c.relnamespace = ns AND c.relkind NOT IN ('i', 'I', 't')
          UNION ALL
          SELECT 'pg_catalog.pg_type'::regclass, t.oid
          FROM pg_catalog.pg_type t WHERE t.typnamespace = ns AND t.typrelid = 0 AND t.typelem = 0
          UNION ALL
          SELECT 'pg_catalog.pg_operator'::regclass, o.oid
          FROM pg_catalog.pg_operator o WHERE o.oprnamespace = ns) o
    WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                      WHERE d.classid = o.classid AND d.objid = o.objid AND d.objsubid = 0
                        AND d.deptype OPERATOR(pg_catalog.=) ANY (ARRAY['e', 'i', 'a']::"char"[]));
    IF foreign_objects IS NOT NULL THEN
        RAISE EXCEPTION 'schema_oracle: schema "schema_oracle" holds objects that are not the extension''s: %', foreign_objects
            USING ERRCODE = '42501',
                  DETAIL = 'Their owners could capture calls the extension makes as a superuser.',
                  HINT = 'Move or drop them, then run the command again.';
    END IF;
END
$$;
