-- erd_names: names of every kind (spaces, quotes, backslashes, Unicode,
-- reserved and Mermaid words, markup, control characters, 63 bytes) give
-- valid DOT, Mermaid and Markdown that show each name as itself
-- (test/cluster/erd_render.sh renders the same schema for real).
SET client_min_messages = error;
\i test/render/hostile_schema.sql
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.erd(include_schemas => '{we ird,Ünï ☃,select,select.a}');
SELECT schema_oracle.erd(format => 'dot', include_schemas => '{we ird,Ünï ☃,select,select.a}');
-- Mermaid ids never collide, DOT ids are distinct for distinct tables
\pset tuples_only off
SELECT count(*) AS tables,
       count(DISTINCT schema_oracle._erd_mermaid_id(n.nspname, c.relname, r.ord)) AS mermaid_ids,
       count(DISTINCT schema_oracle._erd_dot_id(format('%I.%I', n.nspname, c.relname))) AS dot_ids
FROM schema_oracle._erd_relations('{we ird,Ünï ☃,select,select.a}', NULL) r
JOIN pg_class c ON c.oid = r.relid JOIN pg_namespace n ON n.oid = c.relnamespace;
-- the escapes one by one
SELECT v AS name, schema_oracle._erd_mermaid(v) AS mermaid, schema_oracle._erd_dot_id(v) AS dot_id,
       schema_oracle._erd_html(v) AS html, schema_oracle._erd_md(v) AS markdown, schema_oracle._erd_md_code(v) AS md_code
FROM (VALUES ('plain_name'), ('a b'), ('say "hi"'), ('back\slash\'), (U&'ctl\0001'), (U&'\2401 picture'),
             ('<b>&amp;</b>'), ('`tick` ``two``'), ('a|b'), ('*x* _y_'), ('#quot;'), ('1. item'), ('direction TB'),
             ('Ünï ☃'), (E'line\nbreak'), (U&'\FB02\00B0x\00B6\00DF')) AS t(v);
\pset tuples_only on
SELECT schema_oracle.data_dictionary(include_schemas => '{we ird,Ünï ☃,select,select.a}');
SET client_min_messages = error;
DROP SCHEMA "we ird", "Ünï ☃", "select", "select.a" CASCADE;
