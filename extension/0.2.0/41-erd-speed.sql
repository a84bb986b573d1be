-- schema_oracle 0.2.0: erd() and data_dictionary() written in C++.
--
-- The text is written by the C++ core (src/core/erd_*.cpp) from one scan of
-- each catalog (src/pg/erd_catalog.cpp), with the caller's privileges and
-- the same visibility rules as the SQL implementation in 40-erd.sql, which
-- stays as the reference: the regression test erd_equivalence compares the
-- two byte for byte, and bench/erd_bench.sh times both.

-- erd()'s text, from the catalog: the tables of the selected schemas the
-- caller may see (around => its neighbourhood), with the findings given.
-- search_path is pinned for format_type(), which schema-qualifies the types
-- not on it.
CREATE FUNCTION schema_oracle._erd_write(
    format text, include_schemas text[], exclude_schemas text[], around text, around_root oid,
    depth integer, keys_only boolean, finding_rel oid[], finding_text text[], uncovered oid[])
RETURNS text
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_erd_write';

CREATE FUNCTION schema_oracle.erd(
    format          text    DEFAULT 'mermaid',
    include_schemas text[]  DEFAULT NULL,
    exclude_schemas text[]  DEFAULT NULL,
    around          text    DEFAULT NULL,
    depth           integer DEFAULT 1,
    keys_only       boolean DEFAULT false,
    findings        boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fmt text;
    root oid;
    f_rel oid[] := '{}';
    f_text text[] := '{}';
    uncovered oid[] := '{}';
BEGIN
    -- the C++ side checks that around's table is drawn (42P01 otherwise)
    SELECT a.fmt, a.root INTO fmt, root
      FROM schema_oracle._erd_arguments(erd.format, erd.depth, erd.around) a;
    IF erd.findings THEN
        -- one report() run: the findings by the table they are drawn on, in
        -- report order (the C++ side numbers them in table order), and the
        -- foreign keys its fk_missing_index rule found without an index
        SELECT coalesce(array_agg(x.relid ORDER BY x.sev, x.rule, x.object_identity), '{}'),
               coalesce(array_agg(x.text ORDER BY x.sev, x.rule, x.object_identity), '{}'),
               coalesce(array_agg(x.objid) FILTER (WHERE x.rule = 'fk_missing_index'
                                                   AND x.classid = 'pg_constraint'::regclass), '{}')
          INTO f_rel, f_text, uncovered
          FROM (SELECT m.relid, r.rule, r.object_identity, r.classid, r.objid,
                       CASE r.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END AS sev,
                       concat(r.severity, ' ', r.rule, ': ', r.message) AS text
                  FROM schema_oracle.report_objects(erd.include_schemas, erd.exclude_schemas) r
                  -- table_identity is pg_identify_object()'s quoted name; matched as
                  -- text (to_regclass would need USAGE on the schema); a finding on
                  -- a partition marks the partitioned table it is drawn in
                  JOIN (SELECT format('%I.%I', n.nspname, c.relname) AS identity,
                               CASE WHEN c.relispartition THEN pg_partition_root(c.oid) ELSE c.oid END AS relid
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p', 'f')) m ON m.identity = r.table_identity) x;
    END IF;
    RETURN schema_oracle._erd_write(fmt, erd.include_schemas, erd.exclude_schemas, erd.around, root,
                                    erd.depth, erd.keys_only, f_rel, f_text, uncovered);
END
$$;
COMMENT ON FUNCTION schema_oracle.erd(text, text[], text[], text, integer, boolean, boolean) IS
    'The schema as an entity-relationship diagram (Mermaid erDiagram or Graphviz DOT), optionally around one table and with report() findings';

-- data_dictionary()'s text, from the catalog (the same tables as erd()).
-- search_path is pinned for format_type() and the pg_get_*def() functions,
-- which schema-qualify the names not on it.
CREATE FUNCTION schema_oracle._erd_dictionary_write(format text, include_schemas text[], exclude_schemas text[])
RETURNS text
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'schema_oracle_erd_dictionary_write';

CREATE FUNCTION schema_oracle.data_dictionary(
    format          text   DEFAULT 'markdown',
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fmt text := lower(data_dictionary.format);
BEGIN
    IF fmt IS NULL OR fmt NOT IN ('markdown', 'json') THEN
        RAISE EXCEPTION 'unknown data dictionary format "%"', data_dictionary.format
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use format => ''markdown'' or format => ''json''.';
    END IF;
    RETURN schema_oracle._erd_dictionary_write(fmt, data_dictionary.include_schemas, data_dictionary.exclude_schemas);
END
$$;
COMMENT ON FUNCTION schema_oracle.data_dictionary(text, text[], text[]) IS
    'Every table and column the caller may see, with comments, sizes, constraints, indexes, foreign keys and triggers, and the documentation coverage (Markdown or JSON)';
