-- schema_oracle 0.2.0: the schema as a picture and as a document, the SQL
-- reference implementation.
--
--   schema_oracle._erd_sql(format => 'mermaid' | 'dot', ...)                   RETURNS text
--   schema_oracle._erd_data_dictionary_sql(format => 'markdown' | 'json', ...) RETURNS text
--
-- Users call schema_oracle.erd() and data_dictionary() (41-erd-speed.sql),
-- which write the same text in C++ about 10 times faster (bench/erd_bench.sh);
-- these stay as their specification: sql/erd_equivalence.sql checks that
-- both write the same bytes. Both are read straight from pg_catalog with
-- set-based SQL (one pass per catalog, aggregated with string_agg). They run with the caller's
-- privileges and show only what the caller may see: a table when the caller
-- owns it or holds any privilege on it or on one of its columns, a column
-- when the caller owns the table or holds a privilege on that column (the
-- rule of information_schema.tables / .columns). No user code runs: names,
-- comments and definitions come from the catalog and pg_get_*def().
--
-- Text that goes into a diagram or a document is escaped for the language
-- it is pasted into (docs/erd.md "Names of any kind"): DOT quoted IDs and
-- HTML-like labels, Mermaid's erDiagram grammar (entity ids are safe words,
-- the real name is the quoted alias; text is entity-coded so that neither
-- the lexer nor Mermaid's markdown labels interpret it), Markdown (backslash
-- escapes, code spans), JSON (jsonb). Control characters are shown as their
-- Unicode control pictures (a newline in a name is drawn as U+240A).
--
-- The helpers below are internal (schema_oracle._erd_*). Those written as
-- SQL-standard bodies (RETURN ... / BEGIN ATOMIC) are parsed when they are
-- created, so every name in them is bound then and no search_path at run
-- time can redirect them; the set-returning ones carry no SET clause on
-- purpose, because a SET clause stops PostgreSQL from inlining a function
-- into its caller's query, which made _erd_columns() 4x slower. The PL/pgSQL
-- functions pin search_path.

-------------------------------------------------------------------------------
-- escaping
-------------------------------------------------------------------------------

-- Control characters (U+0001..U+001F, U+007F) as control pictures.
CREATE FUNCTION schema_oracle._erd_visible(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN pg_catalog.translate(s,
    E'\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f',
    U&'\2401\2402\2403\2404\2405\2406\2407\2408\2409\240A\240B\240C\240D\240E\240F\2410\2411\2412\2413\2414\2415\2416\2417\2418\2419\241A\241B\241C\241D\241E\241F\2421');

-- Graphviz HTML-like label text (an XML fragment): & < > " as entities.
CREATE FUNCTION schema_oracle._erd_html(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.textregexeq(s, '^[A-Za-z0-9_ .,()]*$') THEN s
    ELSE pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
        schema_oracle._erd_visible(s), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;') END;

-- A DOT quoted ID (with its quotes) that maps every name to a distinct ID.
-- In a DOT quoted string only \" is an escape and a backslash pair is read as
-- a pair, so: backslashes are doubled, a control picture already in the name
-- is marked with a single backslash ("\p"), control characters become
-- pictures (raw ones would make the SVG's <title> invalid XML), quotes \".
CREATE FUNCTION schema_oracle._erd_dot_id(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN pg_catalog.concat('"', CASE
    WHEN pg_catalog.textregexeq(s, U&'^[^\\\\"\2400-\2426\0001-\001F\007F]*$') THEN s
    ELSE pg_catalog.replace(schema_oracle._erd_visible(
        pg_catalog.regexp_replace(pg_catalog.replace(s, '\', '\\'), U&'([\2400-\2426])', '\\p\1', 'g')),
        '"', '\"') END, '"');

-- Mermaid text, slow path: characters become #<code>; entity codes, which
-- Mermaid turns into character references only after parsing and after its
-- markdown pass over labels, so the text is neither syntax nor markup:
--   - the characters of Mermaid's grammar and of markdown inline syntax:
--     " # $ % & * < > [ \ ] _ ` { | } ~ (and the ASCII first character of
--     the text, unless it is a letter: "1. x", "- x", "    x" and "> x" would
--     be markdown blocks);
--   - the characters of Mermaid's own entity placeholders (U+FB02, U+00B0,
--     U+00B6, U+00DF; the pairs U+FB02 U+00B0 and U+00B6 U+00DF also get a
--     WORD JOINER U+2060 between them, as mermaid-cli decodes its
--     placeholders twice and would turn them into "&" and ";");
--   - when the text says "direction", every white space (the lexer's
--     "direction TB" rule matches anywhere in a line).
-- Punctuation of ordinary prose (, . ( ) ' : ; ? ! - / = + @ ^) stays.
CREATE FUNCTION schema_oracle._erd_mermaid_coded(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
    SELECT pg_catalog.string_agg(
        CASE WHEN pg_catalog.textregexeq(x.c, U&'["#$%&*<>\\[\\\\\\]_`{|}~\FB02\00B0\00B6\00DF]')
                  OR (x.n = 1 AND pg_catalog.textregexeq(x.c, '[ -@\[-`{-~]'))
                  OR (pg_catalog.texticregexeq(s, 'direction')
                      AND pg_catalog.textregexeq(x.c, U&'[[:space:]\00A0\1680\2000-\200A\2028\2029\202F\205F\3000\FEFF]'))
             THEN pg_catalog.concat('#', pg_catalog.ascii(x.c), ';')
             ELSE x.c END, '' ORDER BY x.n)
    FROM pg_catalog.regexp_split_to_table(
             pg_catalog.replace(pg_catalog.replace(schema_oracle._erd_visible(s), U&'\FB02\00B0', U&'\FB02\2060\00B0'),
                                U&'\00B6\00DF', U&'\00B6\2060\00DF'), '') WITH ORDINALITY AS x(c, n);
END;

-- Mermaid text: plain words (a letter, then letters, digits, underscores:
-- with no underscore after a non-word character, none can open markdown
-- emphasis) and SQL type names built of them (spaces, one (n) or (n,m), []
-- suffixes; no type name says "direction" followed by a space) pass
-- unchanged; anything else is entity-coded.
CREATE FUNCTION schema_oracle._erd_mermaid(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.textregexeq(s, '^[A-Za-z][A-Za-z0-9_]*$') THEN s
    ELSE schema_oracle._erd_mermaid_coded(s) END;

CREATE FUNCTION schema_oracle._erd_mermaid_type(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.textregexeq(s, '^[A-Za-z][A-Za-z0-9_ ]*(\([0-9,]+\))?[a-z ]*(\[\])*$')
         AND pg_catalog.strpos(s, 'direction') = 0
    THEN s
    ELSE schema_oracle._erd_mermaid_coded(s) END;

-- A Mermaid entity id: schema__table when both parts are plain words (no
-- leading, trailing or doubled underscore, so "__" separates them and ids
-- never collide), otherwise t<n> (n = the table's position in the diagram).
CREATE FUNCTION schema_oracle._erd_mermaid_id(nsp text, rel text, n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.textregexeq(nsp, '^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$')
         AND pg_catalog.textregexeq(rel, '^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$')
    THEN pg_catalog.concat(nsp, '__', rel)
    ELSE pg_catalog.concat('t', n) END;

-- Markdown inline text: ASCII punctuation backslash-escaped (CommonMark
-- allows it before any ASCII punctuation; GFM tables need \| even in code),
-- plain words unchanged.
CREATE FUNCTION schema_oracle._erd_md(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.textregexeq(s, '^[A-Za-z][A-Za-z0-9_]*$') THEN s
    ELSE pg_catalog.regexp_replace(schema_oracle._erd_visible(s), '([!-/:-@\[-`{-~])', '\\\1', 'g') END;

-- A Markdown code span: fenced by one backtick more than the longest run
-- inside, padded when the text starts or ends with a backtick, | escaped.
CREATE FUNCTION schema_oracle._erd_md_code_fenced(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
BEGIN ATOMIC
    SELECT pg_catalog.concat(f.fence, ' ', pg_catalog.replace(schema_oracle._erd_visible(s), '|', '\|'), ' ', f.fence)
    FROM (SELECT pg_catalog.repeat('`', pg_catalog.max(pg_catalog.length(m.m[1])) + 1) AS fence
          FROM pg_catalog.regexp_matches(s, '(`+)', 'g') AS m(m)) AS f;
END;

CREATE FUNCTION schema_oracle._erd_md_code(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN CASE
    WHEN pg_catalog.strpos(s, '`') = 0
    THEN pg_catalog.concat('`', pg_catalog.replace(schema_oracle._erd_visible(s), '|', '\|'), '`')
    ELSE schema_oracle._erd_md_code_fenced(s) END;

-------------------------------------------------------------------------------
-- the catalog model
-------------------------------------------------------------------------------

-- The tables the caller may see (ordinary, partitioned and foreign tables;
-- partitions are folded into their root), in user schemas, not members of an
-- extension, after the schema filters; in schema, table order (C collation).
CREATE FUNCTION schema_oracle._erd_relations(include_schemas text[], exclude_schemas text[])
RETURNS TABLE(relid oid, ord bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.oid, row_number() OVER (ORDER BY n.nspname COLLATE "C", c.relname COLLATE "C")
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f')
      AND NOT c.relispartition
      AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
      AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
      AND (include_schemas IS NULL OR n.nspname = ANY (include_schemas))
      AND (exclude_schemas IS NULL OR NOT n.nspname = ANY (exclude_schemas))
      AND NOT EXISTS (SELECT FROM pg_depend d
                      WHERE d.deptype = 'e' AND d.refclassid = 'pg_extension'::regclass
                        AND ((d.classid = 'pg_class'::regclass AND d.objid = c.oid)
                          OR (d.classid = 'pg_namespace'::regclass AND d.objid = n.oid)))
      AND (pg_has_role(c.relowner, 'USAGE')
           OR has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
           OR has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
    ORDER BY 2;
END;

-- The foreign keys among the given tables: one per constraint the user
-- declared (clones on partitions, conparentid <> 0, are skipped), both ends
-- mapped to their partition root. fk_unique: a valid, non-partial unique
-- index on the referencing table has only FK columns as keys (so each parent
-- row has at most one child); fk_nullable: an FK column may be NULL (so a
-- child may have no parent, MATCH SIMPLE).
CREATE FUNCTION schema_oracle._erd_foreign_keys(rels oid[])
RETURNS TABLE(conid oid, conname name, child oid, parent oid, fk_columns text[],
              fk_unique boolean, fk_nullable boolean, on_delete text, on_update text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    -- set-based (hash joins over all foreign keys at once, no subplan per
    -- key): this is most of erd()'s time on a large schema
    WITH r AS (SELECT u.relid FROM unnest(rels) AS u(relid)),
    fk AS (
        SELECT k.oid, k.conname, k.conrelid, k.conkey, k.confdeltype, k.confupdtype,
               CASE WHEN cc.relispartition THEN pg_partition_root(cc.oid) ELSE cc.oid END AS child,
               CASE WHEN pc.relispartition THEN pg_partition_root(pc.oid) ELSE pc.oid END AS parent
        FROM pg_constraint k
        JOIN pg_class cc ON cc.oid = k.conrelid
        JOIN pg_class pc ON pc.oid = k.confrelid
        WHERE k.contype = 'f' AND k.conparentid = 0),
    mine AS (
        SELECT fk.* FROM fk JOIN r rc ON rc.relid = fk.child JOIN r rp ON rp.relid = fk.parent),
    cols AS (
        SELECT m.oid, array_agg(a.attname::text ORDER BY u.i) AS names, bool_or(NOT a.attnotnull) AS nullable
        FROM mine m, unnest(m.conkey) WITH ORDINALITY AS u(attnum, i), pg_attribute a
        WHERE a.attrelid = m.conrelid AND a.attnum = u.attnum
        GROUP BY m.oid),
    uniq AS (
        SELECT DISTINCT m.oid
        FROM mine m JOIN pg_index i ON i.indrelid = m.conrelid
        WHERE i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
          AND (i.indkey::int2[])[0:i.indnkeyatts - 1] <@ m.conkey)
    SELECT m.oid, m.conname, m.child, m.parent, cols.names, uniq.oid IS NOT NULL, cols.nullable,
           CASE m.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                              WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END,
           CASE m.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                              WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END
    FROM mine m
    JOIN cols ON cols.oid = m.oid
    LEFT JOIN uniq ON uniq.oid = m.oid;
END;

-- The columns of the given tables the caller may see, with their key
-- markers: pk (in the primary key), fk (in a foreign key), uq (a key column
-- of a valid, non-partial unique index or UNIQUE constraint other than the
-- primary key), nn (NOT NULL).
CREATE FUNCTION schema_oracle._erd_columns(rels oid[], with_defaults boolean)
RETURNS TABLE(relid oid, attnum smallint, attname name, type text, pk boolean, fk boolean,
              uq boolean, nn boolean, default_expr text, identity "char", generated "char",
              comment text)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH r AS (SELECT u.relid, c.relowner FROM unnest(rels) AS u(relid) JOIN pg_class c ON c.oid = u.relid),
    owned AS (SELECT r.relid, pg_has_role(r.relowner, 'USAGE') AS owner FROM r),
    keys AS (
        SELECT k.conrelid AS relid, u.attnum, bool_or(k.contype = 'p') AS pk, bool_or(k.contype = 'f') AS fk
        FROM r JOIN pg_constraint k ON k.conrelid = r.relid AND k.contype IN ('p', 'f'),
             unnest(k.conkey) AS u(attnum)
        GROUP BY 1, 2),
    uniq AS (
        SELECT i.indrelid AS relid, u.attnum, true AS uq
        FROM r JOIN pg_index i ON i.indrelid = r.relid AND i.indisunique AND NOT i.indisprimary
                                  AND i.indisvalid AND i.indpred IS NULL,
             unnest(i.indkey::int2[]) WITH ORDINALITY AS u(attnum, n)
        WHERE u.n <= i.indnkeyatts AND u.attnum > 0
        GROUP BY 1, 2)
    SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
           COALESCE(keys.pk, false), COALESCE(keys.fk, false), COALESCE(uniq.uq, false), a.attnotnull,
           CASE WHEN with_defaults AND a.atthasdef THEN pg_get_expr(ad.adbin, ad.adrelid) END,
           a.attidentity, a.attgenerated, d.description
    FROM owned o
    JOIN pg_attribute a ON a.attrelid = o.relid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN keys ON keys.relid = a.attrelid AND keys.attnum = a.attnum
    LEFT JOIN uniq ON uniq.relid = a.attrelid AND uniq.attnum = a.attnum
    LEFT JOIN pg_attrdef ad ON with_defaults AND ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = a.attrelid
                               AND d.objsubid = a.attnum
    WHERE o.owner OR has_column_privilege(a.attrelid, a.attnum, 'SELECT, INSERT, UPDATE, REFERENCES')
    ORDER BY a.attrelid, a.attnum;
END;

-- The tables around one table: every table reachable over at most `depth`
-- foreign keys, in either direction, within the given tables.
CREATE FUNCTION schema_oracle._erd_neighbourhood(rels oid[], root oid, depth integer)
RETURNS TABLE(relid oid)
LANGUAGE sql STABLE
BEGIN ATOMIC
    -- the bare edges (no names, no cardinality), computed once
    WITH RECURSIVE r AS (SELECT u.relid FROM unnest(rels) AS u(relid)),
    fk AS MATERIALIZED (
        SELECT f.child, f.parent
        FROM (SELECT CASE WHEN cc.relispartition THEN pg_partition_root(cc.oid) ELSE cc.oid END AS child,
                     CASE WHEN pc.relispartition THEN pg_partition_root(pc.oid) ELSE pc.oid END AS parent
              FROM pg_constraint k
              JOIN pg_class cc ON cc.oid = k.conrelid
              JOIN pg_class pc ON pc.oid = k.confrelid
              WHERE k.contype = 'f' AND k.conparentid = 0) f
        JOIN r rc ON rc.relid = f.child JOIN r rp ON rp.relid = f.parent),
    e AS MATERIALIZED (
        SELECT fk.child AS a, fk.parent AS b FROM fk
        UNION
        SELECT fk.parent, fk.child FROM fk),
    walk(relid, hops) AS (
        SELECT root, 0
        UNION
        SELECT e.b, w.hops + 1 FROM walk w JOIN e ON e.a = w.relid WHERE w.hops < depth)
    SELECT DISTINCT w.relid FROM walk w;
END;

-------------------------------------------------------------------------------
-- erd(): DOT
-------------------------------------------------------------------------------

-- Tables are HTML-like labels (one row per column: markers, name, type,
-- comment) in one cluster per schema; foreign keys are edges from the
-- referencing to the referenced table with crow's-foot ends. The findings
-- arrays come from report_objects(): the table of each finding, its text,
-- and the foreign keys fk_missing_index found uncovered.
CREATE FUNCTION schema_oracle._erd_dot(rels oid[], keys_only boolean,
                                       finding_rel oid[], finding_text text[], uncovered oid[])
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
-- a generic plan: a custom one would plan with the 10,000-element arrays as
-- constants, which costs more than the query (bench/erd_bench.sh)
SET plan_cache_mode = force_generic_plan
AS $body$
BEGIN
    RETURN (WITH t AS (
        SELECT u.relid, u.ord, n.nspname, c.relname, c.relkind,
               schema_oracle._erd_dot_id(format('%I.%I', n.nspname, c.relname)) AS id,
               (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid AND c.relkind = 'p') AS parts,
               d.description AS comment
        FROM unnest(rels) WITH ORDINALITY AS u(relid, ord)
        JOIN pg_class c ON c.oid = u.relid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0),
    f AS (
        SELECT fr.relid, fr.n, fr.text FROM unnest(finding_rel, finding_text) WITH ORDINALITY AS fr(relid, text, n)),
    rows AS (
        SELECT col.relid, bool_or(col.comment IS NOT NULL) AS commented,
               string_agg(format('<TR><TD ALIGN="LEFT">%s</TD><TD ALIGN="LEFT">%s</TD><TD ALIGN="LEFT">%s</TD>%s</TR>',
                                 concat_ws(' ', CASE WHEN col.pk THEN 'PK' END, CASE WHEN col.fk THEN 'FK' END,
                                           CASE WHEN col.uq THEN 'UQ' END, CASE WHEN col.nn AND NOT col.pk THEN 'NN' END),
                                 CASE WHEN col.pk THEN concat('<B>', schema_oracle._erd_html(col.attname), '</B>')
                                      ELSE schema_oracle._erd_html(col.attname) END,
                                 schema_oracle._erd_html(col.type),
                                 CASE WHEN col.comment IS NOT NULL
                                      THEN concat('<TD ALIGN="LEFT"><I>', schema_oracle._erd_html(col.comment), '</I></TD>')
                                      WHEN col.table_commented THEN '<TD></TD>' ELSE '' END),
                          '' ORDER BY col.attnum) AS html
        FROM (SELECT c.*, bool_or(c.comment IS NOT NULL) OVER (PARTITION BY c.relid) AS table_commented
              FROM schema_oracle._erd_columns(rels, false) c
              WHERE NOT keys_only OR c.pk OR c.fk OR c.uq) col
        GROUP BY col.relid),
    notes AS (
        SELECT f.relid, string_agg(format('[%s]', f.n), ' ' ORDER BY f.n) AS refs FROM f GROUP BY f.relid),
    nodes AS (
        SELECT t.nspname, min(t.ord) AS ord,
               string_agg(replace(format(E'    %s [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"><TR><TD COLSPAN="4" BGCOLOR="%s"><B>%s</B>%s</TD></TR>%s%s%s</TABLE>>];\n',
                                 t.id,
                                 CASE WHEN notes.refs IS NOT NULL THEN '#f4c7c3' ELSE '#dbe6f4' END,
                                 schema_oracle._erd_html(concat(t.nspname, '.', t.relname)),
                                 CASE WHEN notes.refs IS NOT NULL THEN concat(' <FONT COLOR="#b03a2e">&#9888; ', notes.refs, '</FONT>') ELSE '' END,
                                 CASE t.relkind WHEN 'p' THEN format('<TR><TD COLSPAN="4"><I>partitioned table, %s partition%s</I></TD></TR>', t.parts, CASE WHEN t.parts = 1 THEN '' ELSE 's' END)
                                                WHEN 'f' THEN '<TR><TD COLSPAN="4"><I>foreign table</I></TD></TR>' ELSE '' END,
                                 CASE WHEN t.comment IS NOT NULL
                                      THEN format('<TR><TD COLSPAN="4" ALIGN="LEFT"><I>%s</I></TD></TR>', schema_oracle._erd_html(t.comment)) ELSE '' END,
                                 COALESCE(rows.html, '')),
                                  -- the header rows span the columns' 3 or 4 cells
                                  'COLSPAN="4"', CASE WHEN rows.commented THEN 'COLSPAN="4"' ELSE 'COLSPAN="3"' END),
                          '' ORDER BY t.ord) AS body
        FROM t LEFT JOIN rows ON rows.relid = t.relid LEFT JOIN notes ON notes.relid = t.relid
        GROUP BY t.nspname),
    clusters AS (
        SELECT string_agg(format(E'  subgraph %s {\n    label=<<B>%s</B>>; style="rounded"; color="#8c8c8c"; fontcolor="#404040";\n%s  }\n',
                                 schema_oracle._erd_dot_id(concat('cluster_', nodes.nspname)),
                                 schema_oracle._erd_html(nodes.nspname), nodes.body),
                          '' ORDER BY nodes.ord) AS text
        FROM nodes),
    edges AS (
        SELECT string_agg(format(E'  %s -> %s [label=<%s%s (%s)<BR/>ON DELETE %s>, arrowtail=%s, arrowhead=%s%s];\n',
                                 tc.id, tp.id,
                                 CASE WHEN k.conid = ANY (uncovered) THEN 'no index: ' ELSE '' END,
                                 schema_oracle._erd_html(k.conname),
                                 schema_oracle._erd_html(array_to_string(k.fk_columns, ', ')),
                                 k.on_delete,
                                 CASE WHEN k.fk_unique THEN 'teeodot' ELSE 'crowodot' END,
                                 CASE WHEN k.fk_nullable THEN 'teeodot' ELSE 'teetee' END,
                                 CASE WHEN k.conid = ANY (uncovered)
                                      THEN ', style=dashed, color="#b03a2e", fontcolor="#b03a2e", penwidth=1.6' ELSE '' END),
                          '' ORDER BY tc.ord, k.conname COLLATE "C", k.conid) AS text
        FROM schema_oracle._erd_foreign_keys(rels) k
        JOIN t tc ON tc.relid = k.child JOIN t tp ON tp.relid = k.parent),
    legend AS (
        SELECT format(E'  "findings" [label=<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="3"><TR><TD BGCOLOR="#f4c7c3" ALIGN="LEFT"><B>Findings (schema_oracle.report)</B></TD></TR>%s</TABLE>>];\n',
                      string_agg(format('<TR><TD ALIGN="LEFT">[%s] %s</TD></TR>', f.n, schema_oracle._erd_html(f.text)), '' ORDER BY f.n)) AS text
        FROM f HAVING count(*) > 0)
    SELECT concat(E'digraph erd {\n',
                  E'  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.4, ranksep=1.2];\n',
                  E'  node [shape=plain, fontname="Helvetica", fontsize=11];\n',
                  E'  edge [fontname="Helvetica", fontsize=9, color="#555555", dir=both];\n',
                  (SELECT clusters.text FROM clusters),
                  (SELECT legend.text FROM legend),
                  (SELECT edges.text FROM edges),
                  E'}\n'));
END
$body$;

-------------------------------------------------------------------------------
-- erd(): Mermaid
-------------------------------------------------------------------------------

-- Mermaid erDiagram: an entity per table with a safe id and the real name as
-- its quoted alias; attributes `type` `name` PK, FK, UK "NOT NULL; comment"
-- (backquoted words may hold anything but a backquote, which is coded);
-- relationships parent ||--o{ child with the cardinality of the catalog;
-- a table's comment and the findings as %% comment lines; tables with
-- findings in class "finding", uncovered foreign keys dashed (..).
CREATE FUNCTION schema_oracle._erd_mermaid_text(rels oid[], keys_only boolean,
                                                finding_rel oid[], finding_text text[], uncovered oid[])
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
-- a generic plan: a custom one would plan with the 10,000-element arrays as
-- constants, which costs more than the query (bench/erd_bench.sh)
SET plan_cache_mode = force_generic_plan
AS $body$
BEGIN
    RETURN (WITH t AS (
        SELECT u.relid, u.ord, n.nspname, c.relname, c.relkind,
               schema_oracle._erd_mermaid_id(n.nspname, c.relname, u.ord) AS id,
               (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid AND c.relkind = 'p') AS parts,
               d.description AS comment
        FROM unnest(rels) WITH ORDINALITY AS u(relid, ord)
        JOIN pg_class c ON c.oid = u.relid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0),
    f AS (
        SELECT fr.relid, fr.n, fr.text FROM unnest(finding_rel, finding_text) WITH ORDINALITY AS fr(relid, text, n)),
    notes AS (SELECT f.relid, count(*) AS n FROM f GROUP BY f.relid),
    rows AS (
        SELECT col.relid,
               string_agg(concat(E'        `', schema_oracle._erd_mermaid_type(col.type), '` `',
                                 schema_oracle._erd_mermaid(col.attname), '`',
                                 CASE WHEN col.pk OR col.fk OR col.uq
                                      THEN concat(' ', concat_ws(', ', CASE WHEN col.pk THEN 'PK' END,
                                                                 CASE WHEN col.fk THEN 'FK' END,
                                                                 CASE WHEN col.uq THEN 'UK' END)) END,
                                 CASE WHEN (col.nn AND NOT col.pk) OR col.comment IS NOT NULL
                                      THEN concat(' "', concat_ws('; ', CASE WHEN col.nn AND NOT col.pk THEN 'NOT NULL' END,
                                                                  schema_oracle._erd_mermaid(col.comment)), '"') END,
                                 E'\n'),
                          '' ORDER BY col.attnum) AS text
        FROM schema_oracle._erd_columns(rels, false) col
        WHERE NOT keys_only OR col.pk OR col.fk OR col.uq
        GROUP BY col.relid),
    entities AS (
        SELECT string_agg(concat(
                   CASE WHEN t.comment IS NOT NULL
                        THEN concat('    %% ', schema_oracle._erd_visible(concat(t.nspname, '.', t.relname)), ': ',
                                    schema_oracle._erd_visible(t.comment), E'\n') END,
                   '    ', t.id, '["', schema_oracle._erd_mermaid(t.nspname), '.', schema_oracle._erd_mermaid(t.relname),
                   CASE t.relkind WHEN 'p' THEN format(' (partitioned, %s partition%s)', t.parts, CASE WHEN t.parts = 1 THEN '' ELSE 's' END)
                                  WHEN 'f' THEN ' (foreign table)' END,
                   CASE WHEN notes.n IS NOT NULL THEN format(U&' \26A0 %s', notes.n) END,
                   '"]',
                   CASE WHEN rows.text IS NOT NULL THEN concat(E' {\n', rows.text, '    }') END,
                   E'\n'),
                   '' ORDER BY t.ord) AS text
        FROM t LEFT JOIN rows ON rows.relid = t.relid LEFT JOIN notes ON notes.relid = t.relid),
    rels_text AS (
        SELECT string_agg(format(E'    %s %s%s%s %s : "%s%s %s, ON DELETE %s"\n',
                                 tp.id,
                                 CASE WHEN k.fk_nullable THEN '|o' ELSE '||' END,
                                 CASE WHEN k.conid = ANY (uncovered) THEN '..' ELSE '--' END,
                                 CASE WHEN k.fk_unique THEN 'o|' ELSE 'o{' END,
                                 tc.id,
                                 CASE WHEN k.conid = ANY (uncovered) THEN U&'\26A0 no index: ' ELSE '' END,
                                 schema_oracle._erd_mermaid(k.conname),
                                 concat('(', (SELECT string_agg(schema_oracle._erd_mermaid(c.c), ', ' ORDER BY c.i)
                                              FROM unnest(k.fk_columns) WITH ORDINALITY AS c(c, i)), ')'),
                                 k.on_delete),
                          '' ORDER BY tc.ord, k.conname COLLATE "C", k.conid) AS text
        FROM schema_oracle._erd_foreign_keys(rels) k
        JOIN t tc ON tc.relid = k.child JOIN t tp ON tp.relid = k.parent),
    classes AS (
        SELECT concat(E'    classDef finding fill:#f4c7c3,stroke:#b03a2e,stroke-width:2px\n',
                      '    class ', string_agg(t.id, ',' ORDER BY t.ord), E' finding\n',
                      (SELECT string_agg(format(E'    %%%% [%s] %s\n', f.n, schema_oracle._erd_visible(f.text)), '' ORDER BY f.n) FROM f)) AS text
        FROM t JOIN notes ON notes.relid = t.relid HAVING count(*) > 0)
    SELECT concat(E'erDiagram\n',
                  (SELECT entities.text FROM entities),
                  (SELECT rels_text.text FROM rels_text),
                  (SELECT classes.text FROM classes)));
END
$body$;

-------------------------------------------------------------------------------
-- erd()
-------------------------------------------------------------------------------

-- The argument checks erd() and its SQL reference share: format (returned
-- in lower case) and depth (22023 when wrong), and the table around names,
-- read as in a query, a partition meaning its partitioned table (NULL when
-- around is NULL or names no relation; the callers check that it is drawn).
CREATE FUNCTION schema_oracle._erd_arguments(
    format text, depth integer, around text, OUT fmt text, OUT root oid)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    fmt := lower(_erd_arguments.format);
    IF fmt IS NULL OR fmt NOT IN ('mermaid', 'dot') THEN
        RAISE EXCEPTION 'unknown erd format "%"', _erd_arguments.format
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use format => ''mermaid'' or format => ''dot''.';
    END IF;
    IF _erd_arguments.depth IS NULL OR _erd_arguments.depth < 0 THEN
        RAISE EXCEPTION 'depth must be 0 or more, not %', coalesce(_erd_arguments.depth::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF _erd_arguments.around IS NOT NULL THEN
        root := to_regclass(_erd_arguments.around);
        IF root IS NOT NULL AND (SELECT c.relispartition FROM pg_class c WHERE c.oid = root) THEN
            root := pg_partition_root(root);
        END IF;
    END IF;
END
$$;

-- The SQL reference of erd() (41-erd-speed.sql has the C++ one users call):
-- the same arguments and text; kept for the regression test erd_equivalence
-- and bench/erd_bench.sh.
CREATE FUNCTION schema_oracle._erd_sql(
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
    rels oid[];
    root oid;
    f_rel oid[] := '{}';
    f_text text[] := '{}';
    uncovered oid[] := '{}';
BEGIN
    SELECT a.fmt, a.root INTO fmt, root
      FROM schema_oracle._erd_arguments(_erd_sql.format, _erd_sql.depth, _erd_sql.around) a;
    rels := ARRAY(SELECT r.relid FROM schema_oracle._erd_relations(_erd_sql.include_schemas, _erd_sql.exclude_schemas) r ORDER BY r.ord);
    IF _erd_sql.around IS NOT NULL THEN
        IF root IS NULL OR NOT root = ANY (rels) THEN
            RAISE EXCEPTION 'table "%" is not in the diagram', _erd_sql.around
                USING ERRCODE = 'undefined_table',
                      HINT = 'around => names a table (schema-qualified, as in a query) that you may see, in the schemas drawn.';
        END IF;
        rels := ARRAY(SELECT u.relid FROM unnest(rels) WITH ORDINALITY AS u(relid, ord)
                      WHERE u.relid IN (SELECT n.relid FROM schema_oracle._erd_neighbourhood(rels, root, _erd_sql.depth) n)
                      ORDER BY u.ord);
    END IF;
    IF _erd_sql.findings THEN
        -- one report() run: the findings of the tables drawn, and the
        -- foreign keys its fk_missing_index rule found without an index
        SELECT coalesce(array_agg(x.relid ORDER BY x.ord, x.sev, x.rule, x.object_identity), '{}'),
               coalesce(array_agg(x.text ORDER BY x.ord, x.sev, x.rule, x.object_identity), '{}'),
               coalesce(array_agg(x.objid) FILTER (WHERE x.rule = 'fk_missing_index'
                                                   AND x.classid = 'pg_constraint'::regclass), '{}')
          INTO f_rel, f_text, uncovered
          FROM (SELECT u.relid, u.ord, r.rule, r.object_identity, r.classid, r.objid,
                       CASE r.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END AS sev,
                       concat(r.severity, ' ', r.rule, ': ', r.message) AS text
                  FROM schema_oracle.report_objects(_erd_sql.include_schemas, _erd_sql.exclude_schemas) r
                  -- table_identity is pg_identify_object()'s quoted name; matched as
                  -- text (to_regclass would need USAGE on the schema); a finding on
                  -- a partition marks the partitioned table it is drawn in
                  JOIN (SELECT format('%I.%I', n.nspname, c.relname) AS identity,
                               CASE WHEN c.relispartition THEN pg_partition_root(c.oid) ELSE c.oid END AS relid
                        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE c.relkind IN ('r', 'p', 'f')) m ON m.identity = r.table_identity
                  JOIN unnest(rels) WITH ORDINALITY AS u(relid, ord) ON u.relid = m.relid) x;
    END IF;
    IF fmt = 'dot' THEN
        RETURN schema_oracle._erd_dot(rels, _erd_sql.keys_only, f_rel, f_text, uncovered);
    END IF;
    RETURN schema_oracle._erd_mermaid_text(rels, _erd_sql.keys_only, f_rel, f_text, uncovered);
END
$$;
COMMENT ON FUNCTION schema_oracle._erd_sql(text, text[], text[], text, integer, boolean, boolean) IS
    'The SQL reference implementation of erd() (for tests and benchmarks)';

-------------------------------------------------------------------------------
-- data_dictionary()
-------------------------------------------------------------------------------

-- One JSON document per table, in diagram order: the model both formats of
-- data_dictionary() are written from.
CREATE FUNCTION schema_oracle._erd_dictionary_tables(rels oid[])
RETURNS TABLE(ord bigint, doc jsonb)
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH t AS (
        SELECT u.relid, u.ord, n.nspname, c.relname, c.relkind, c.reltuples, d.description AS comment
        FROM unnest(rels) WITH ORDINALITY AS u(relid, ord)
        JOIN pg_class c ON c.oid = u.relid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_description d ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0),
    cols AS (
        SELECT col.relid, jsonb_agg(jsonb_build_object(
                   'name', col.attname, 'type', col.type, 'nullable', NOT col.nn,
                   'default', CASE WHEN col.generated = '' THEN col.default_expr END,
                   'generated', CASE WHEN col.generated = 's' THEN col.default_expr END,
                   'identity', CASE col.identity WHEN 'a' THEN 'ALWAYS' WHEN 'd' THEN 'BY DEFAULT' END,
                   'primary_key', col.pk, 'foreign_key', col.fk, 'unique', col.uq,
                   'comment', col.comment) ORDER BY col.attnum) AS doc
        FROM schema_oracle._erd_columns(rels, true) col GROUP BY col.relid),
    -- foreign keys in, grouped once (pg_constraint has no index on
    -- confrelid: a subquery per table would scan it once per table)
    refs AS (
        SELECT k.confrelid AS relid, jsonb_agg(jsonb_build_object(
                   'name', k.conname, 'schema', cn.nspname, 'table', cc.relname,
                   'columns', (SELECT jsonb_agg(a.attname ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, i)
                               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum),
                   'definition', pg_get_constraintdef(k.oid))
               ORDER BY cn.nspname COLLATE "C", cc.relname COLLATE "C", k.conname COLLATE "C") AS doc
        FROM pg_constraint k
        JOIN t ON t.relid = k.confrelid
        JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
        WHERE k.contype = 'f' AND k.conparentid = 0
          -- only from tables the caller may see (as _erd_relations)
          AND (pg_has_role(cc.relowner, 'USAGE')
               OR has_table_privilege(cc.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
               OR has_any_column_privilege(cc.oid, 'SELECT, INSERT, UPDATE, REFERENCES'))
        GROUP BY k.confrelid)
    SELECT t.ord, jsonb_build_object(
        'schema', t.nspname,
        'name', t.relname,
        'kind', CASE t.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END,
        'partitions', CASE WHEN t.relkind = 'p' THEN (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = t.relid) END,
        'comment', t.comment,
        'size_bytes', CASE WHEN t.relkind = 'p'
                           THEN (SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(t.relid) p)
                           WHEN t.relkind = 'r' THEN pg_total_relation_size(t.relid) END,
        'row_estimate', CASE WHEN t.relkind = 'p'
                             THEN (SELECT sum(pc.reltuples)::bigint FROM pg_partition_tree(t.relid) p
                                   JOIN pg_class pc ON pc.oid = p.relid WHERE p.isleaf AND pc.reltuples >= 0)
                             WHEN t.reltuples >= 0 THEN t.reltuples::bigint END,
        'columns', COALESCE(cols.doc, '[]'),
        'constraints', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'name', k.conname,
                       'type', CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' WHEN 'c' THEN 'CHECK'
                                              WHEN 'x' THEN 'EXCLUDE' WHEN 't' THEN 'TRIGGER' END,
                       'definition', pg_get_constraintdef(k.oid), 'validated', k.convalidated)
                   ORDER BY k.contype, k.conname COLLATE "C")
            FROM pg_constraint k WHERE k.conrelid = t.relid AND k.contype <> 'f'), '[]'),
        'indexes', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'name', ic.relname, 'definition', pg_get_indexdef(i.indexrelid),
                       'unique', i.indisunique, 'primary', i.indisprimary, 'valid', i.indisvalid)
                   ORDER BY ic.relname COLLATE "C")
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = t.relid), '[]'),
        'foreign_keys', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'name', k.conname,
                       'columns', (SELECT jsonb_agg(a.attname ORDER BY u.i) FROM unnest(k.conkey) WITH ORDINALITY AS u(attnum, i)
                                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum),
                       'references_schema', pn.nspname, 'references_table', pc.relname,
                       'references_columns', (SELECT jsonb_agg(a.attname ORDER BY u.i) FROM unnest(k.confkey) WITH ORDINALITY AS u(attnum, i)
                                              JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum),
                       'definition', pg_get_constraintdef(k.oid), 'validated', k.convalidated)
                   ORDER BY k.conname COLLATE "C")
            FROM pg_constraint k JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE k.conrelid = t.relid AND k.contype = 'f'), '[]'),
        'referenced_by', COALESCE(refs.doc, '[]'),
        'triggers', COALESCE((
            SELECT jsonb_agg(jsonb_build_object(
                       'name', g.tgname, 'definition', pg_get_triggerdef(g.oid),
                       'enabled', CASE g.tgenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'
                                                   WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END)
                   ORDER BY g.tgname COLLATE "C")
            FROM pg_trigger g WHERE g.tgrelid = t.relid AND NOT g.tgisinternal), '[]'))
    FROM t LEFT JOIN cols ON cols.relid = t.relid LEFT JOIN refs ON refs.relid = t.relid
    ORDER BY t.ord;
END;

-- The documentation coverage of the tables: counts and what lacks a comment.
CREATE FUNCTION schema_oracle._erd_dictionary_coverage(tables jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT jsonb_build_object(
        'tables', (SELECT count(*) FROM jsonb_array_elements(tables)),
        'tables_with_comment', (SELECT count(*) FROM jsonb_array_elements(tables) e WHERE e->>'comment' IS NOT NULL),
        'columns', (SELECT count(*) FROM jsonb_array_elements(tables) e, jsonb_array_elements(e->'columns')),
        'columns_with_comment', (SELECT count(*) FROM jsonb_array_elements(tables) e, jsonb_array_elements(e->'columns') c
                                 WHERE c->>'comment' IS NOT NULL),
        'tables_without_comment', COALESCE((SELECT jsonb_agg(jsonb_build_object('schema', e->>'schema', 'table', e->>'name') ORDER BY i)
                                            FROM jsonb_array_elements(tables) WITH ORDINALITY AS x(e, i)
                                            WHERE e->>'comment' IS NULL), '[]'),
        'columns_without_comment', COALESCE((SELECT jsonb_agg(jsonb_build_object('schema', e->>'schema', 'table', e->>'name',
                                                                                 'columns', u.cols) ORDER BY i)
                                             FROM jsonb_array_elements(tables) WITH ORDINALITY AS x(e, i),
                                                  LATERAL (SELECT jsonb_agg(c->>'name' ORDER BY j) AS cols
                                                           FROM jsonb_array_elements(e->'columns') WITH ORDINALITY AS y(c, j)
                                                           WHERE c->>'comment' IS NULL) u
                                             WHERE u.cols IS NOT NULL), '[]'));
END;

-- Markdown: a table cell (inline text, or an em dash when empty) and a
-- list of names.
CREATE FUNCTION schema_oracle._erd_md_cell(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN COALESCE(schema_oracle._erd_md(s), U&'\2014');

CREATE FUNCTION schema_oracle._erd_md_names(names jsonb) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT string_agg(schema_oracle._erd_md(x.v), ', ' ORDER BY x.i)
    FROM jsonb_array_elements_text(names) WITH ORDINALITY AS x(v, i);
END;

CREATE FUNCTION schema_oracle._erd_dictionary_markdown(tables jsonb, coverage jsonb)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT concat(
        format(E'# Data dictionary: %s\n\n', schema_oracle._erd_md(current_database())),
        E'## Documentation coverage\n\n| | with a comment | total | coverage |\n|---|---:|---:|---:|\n',
        format(E'| tables | %s | %s | %s |\n', coverage->>'tables_with_comment', coverage->>'tables',
               CASE WHEN (coverage->>'tables')::bigint = 0 THEN U&'\2014'
                    ELSE concat(round(100.0 * (coverage->>'tables_with_comment')::bigint / (coverage->>'tables')::bigint), ' %') END),
        format(E'| columns | %s | %s | %s |\n\n', coverage->>'columns_with_comment', coverage->>'columns',
               CASE WHEN (coverage->>'columns')::bigint = 0 THEN U&'\2014'
                    ELSE concat(round(100.0 * (coverage->>'columns_with_comment')::bigint / (coverage->>'columns')::bigint), ' %') END),
        CASE WHEN jsonb_array_length(coverage->'tables_without_comment') > 0 THEN concat(
            E'Tables without a comment:\n\n',
            (SELECT string_agg(format(E'- %s.%s\n', schema_oracle._erd_md(e->>'schema'), schema_oracle._erd_md(e->>'table')), '' ORDER BY i)
             FROM jsonb_array_elements(coverage->'tables_without_comment') WITH ORDINALITY AS x(e, i)), E'\n') END,
        CASE WHEN jsonb_array_length(coverage->'columns_without_comment') > 0 THEN concat(
            E'Columns without a comment:\n\n| table | columns |\n|---|---|\n',
            (SELECT string_agg(format(E'| %s.%s | %s |\n', schema_oracle._erd_md(e->>'schema'), schema_oracle._erd_md(e->>'table'),
                                      schema_oracle._erd_md_names(e->'columns')), '' ORDER BY i)
             FROM jsonb_array_elements(coverage->'columns_without_comment') WITH ORDINALITY AS x(e, i)), E'\n') END,
        (SELECT string_agg(concat(
            format(E'## %s.%s\n\n', schema_oracle._erd_md(e->>'schema'), schema_oracle._erd_md(e->>'name')),
            CASE WHEN e->>'comment' IS NOT NULL THEN format(E'%s\n\n', schema_oracle._erd_md(e->>'comment'))
                 ELSE E'*No comment.*\n\n' END,
            format(E'%s%s · size %s · rows (estimate) %s\n\n',
                   e->>'kind',
                   CASE WHEN e->>'partitions' IS NOT NULL
                        THEN format(' (%s partition%s)', e->>'partitions', CASE WHEN e->>'partitions' = '1' THEN '' ELSE 's' END)
                        ELSE '' END,
                   COALESCE(pg_size_pretty((e->>'size_bytes')::bigint), U&'\2014'),
                   COALESCE(e->>'row_estimate', 'unknown (never analyzed)')),
            E'| column | type | null | default | comment |\n|---|---|---|---|---|\n',
            COALESCE((SELECT string_agg(format(E'| %s%s | %s | %s | %s | %s |\n',
                                               schema_oracle._erd_md(c->>'name'),
                                               CASE WHEN (c->>'primary_key')::boolean THEN ' (PK)' ELSE '' END,
                                               schema_oracle._erd_md_code(c->>'type'),
                                               CASE WHEN (c->>'nullable')::boolean THEN 'yes' ELSE 'NOT NULL' END,
                                               CASE WHEN c->>'identity' IS NOT NULL THEN concat('identity ', c->>'identity')
                                                    WHEN c->>'generated' IS NOT NULL THEN concat('generated ', schema_oracle._erd_md_code(c->>'generated'))
                                                    WHEN c->>'default' IS NOT NULL THEN schema_oracle._erd_md_code(c->>'default')
                                                    ELSE '' END,
                                               COALESCE(schema_oracle._erd_md(c->>'comment'), '')), '' ORDER BY j)
                      FROM jsonb_array_elements(e->'columns') WITH ORDINALITY AS y(c, j)), ''),
            E'\n',
            (SELECT concat(E'Constraints:\n\n| name | type | definition |\n|---|---|---|\n',
                           string_agg(format(E'| %s | %s | %s%s |\n', schema_oracle._erd_md(k->>'name'), k->>'type',
                                             schema_oracle._erd_md_code(k->>'definition'),
                                             CASE WHEN (k->>'validated')::boolean THEN '' ELSE ' (not validated)' END), '' ORDER BY j), E'\n')
             FROM jsonb_array_elements(e->'constraints') WITH ORDINALITY AS y(k, j) HAVING count(*) > 0),
            (SELECT concat(E'Indexes:\n\n| name | definition |\n|---|---|\n',
                           string_agg(format(E'| %s | %s%s |\n', schema_oracle._erd_md(k->>'name'),
                                             schema_oracle._erd_md_code(k->>'definition'),
                                             CASE WHEN (k->>'valid')::boolean THEN '' ELSE ' (invalid)' END), '' ORDER BY j), E'\n')
             FROM jsonb_array_elements(e->'indexes') WITH ORDINALITY AS y(k, j) HAVING count(*) > 0),
            (SELECT concat(E'Foreign keys:\n\n| name | columns | references | definition |\n|---|---|---|---|\n',
                           string_agg(format(E'| %s | %s | %s.%s (%s) | %s |\n', schema_oracle._erd_md(k->>'name'),
                                             schema_oracle._erd_md_names(k->'columns'),
                                             schema_oracle._erd_md(k->>'references_schema'), schema_oracle._erd_md(k->>'references_table'),
                                             schema_oracle._erd_md_names(k->'references_columns'),
                                             schema_oracle._erd_md_code(k->>'definition')), '' ORDER BY j), E'\n')
             FROM jsonb_array_elements(e->'foreign_keys') WITH ORDINALITY AS y(k, j) HAVING count(*) > 0),
            (SELECT concat(E'Referenced by:\n\n| table | columns | constraint |\n|---|---|---|\n',
                           string_agg(format(E'| %s.%s | %s | %s |\n', schema_oracle._erd_md(k->>'schema'), schema_oracle._erd_md(k->>'table'),
                                             schema_oracle._erd_md_names(k->'columns'), schema_oracle._erd_md(k->>'name')), '' ORDER BY j), E'\n')
             FROM jsonb_array_elements(e->'referenced_by') WITH ORDINALITY AS y(k, j) HAVING count(*) > 0),
            (SELECT concat(E'Triggers:\n\n| name | definition |\n|---|---|\n',
                           string_agg(format(E'| %s | %s%s |\n', schema_oracle._erd_md(k->>'name'),
                                             schema_oracle._erd_md_code(k->>'definition'),
                                             CASE k->>'enabled' WHEN 'origin' THEN '' ELSE concat(' (', k->>'enabled', ')') END), '' ORDER BY j), E'\n')
             FROM jsonb_array_elements(e->'triggers') WITH ORDINALITY AS y(k, j) HAVING count(*) > 0)),
            '' ORDER BY i)
         FROM jsonb_array_elements(tables) WITH ORDINALITY AS x(e, i)));
END;

-- The SQL reference of data_dictionary() (41-erd-speed.sql has the C++ one
-- users call), kept for the regression test erd_equivalence and
-- bench/erd_bench.sh.
CREATE FUNCTION schema_oracle._erd_data_dictionary_sql(
    format          text   DEFAULT 'markdown',
    include_schemas text[] DEFAULT NULL,
    exclude_schemas text[] DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    fmt text := lower(_erd_data_dictionary_sql.format);
    tables jsonb;
    coverage jsonb;
BEGIN
    IF fmt IS NULL OR fmt NOT IN ('markdown', 'json') THEN
        RAISE EXCEPTION 'unknown data dictionary format "%"', _erd_data_dictionary_sql.format
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use format => ''markdown'' or format => ''json''.';
    END IF;
    SELECT COALESCE(jsonb_agg(d.doc ORDER BY d.ord), '[]') INTO tables
    FROM schema_oracle._erd_dictionary_tables(ARRAY(
        SELECT r.relid FROM schema_oracle._erd_relations(_erd_data_dictionary_sql.include_schemas,
                                                         _erd_data_dictionary_sql.exclude_schemas) r ORDER BY r.ord)) d;
    coverage := schema_oracle._erd_dictionary_coverage(tables);
    IF fmt = 'json' THEN
        RETURN jsonb_pretty(jsonb_build_object('database', current_database(), 'coverage', coverage, 'tables', tables));
    END IF;
    RETURN schema_oracle._erd_dictionary_markdown(tables, coverage);
END
$$;
COMMENT ON FUNCTION schema_oracle._erd_data_dictionary_sql(text, text[], text[]) IS
    'The SQL reference implementation of data_dictionary() (for tests and benchmarks)';
