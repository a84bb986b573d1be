-- guard_text: hints are whole and safe to paste. Text of any length (a
-- 5,000-character CHECK, a long expression index, a 300-byte qualified
-- name) comes back complete and runs; default index names are PostgreSQL's
-- own (ChooseIndexName: every column, 63 bytes, a suffix when taken); shell
-- commands are quoted for the shell.
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gt;
SET search_path = gt, regress_helpers;  -- hint_of(): sql/setup.sql

-- A schema and a table whose quoted, qualified name is 256 bytes (every
-- quote doubled), and a 5,000-character CHECK.
CREATE SCHEMA """""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""""";
SELECT nspname AS long_schema FROM pg_namespace WHERE nspname LIKE '"%' \gset
SELECT format('%I.%I', :'long_schema', 'T' || repeat('"', 62)) AS long_table \gset
SELECT length(:'long_table') AS qualified_name_bytes;
SELECT format('CREATE TABLE %s (id bigint, v int)', :'long_table') \gexec
SELECT format('INSERT INTO %s SELECT g, g FROM generate_series(1, 100) g', :'long_table') \gexec
SELECT 'v > ' || string_agg(g::text, ' + ') || ' OR v IS NULL' AS long_check
FROM generate_series(1, 1200) g \gset
SELECT length(:'long_check') AS check_chars;

SET schema_oracle.rule_levels = 'add_check_validated=block';
SELECT hint_of(format('ALTER TABLE %s ADD CONSTRAINT long_check CHECK (%s)', :'long_table',
                      :'long_check')) AS hint \gset
-- The NOT VALID step, whole: the table's name and the CHECK, not cut.
SELECT split_part(:'hint', E'\n', 3) AS not_valid_step \gset
SELECT length(:'not_valid_step') > 5000 + 256 AS complete,
       position(:'long_table' IN :'not_valid_step') > 0 AS names_the_table,
       right(:'not_valid_step', 40) AS ends_with;
-- ... and it runs, creating exactly the constraint asked for.
SET schema_oracle.guard = off;
SELECT :'not_valid_step' \gexec
CREATE TABLE reference (id bigint, v int);
SELECT format('ALTER TABLE reference ADD CONSTRAINT long_check CHECK (%s) NOT VALID', :'long_check') \gexec
SET schema_oracle.guard = block;
SELECT count(DISTINCT pg_get_constraintdef(oid)) = 1 AS same_check, bool_or(convalidated) AS validated,
       min(length(pg_get_constraintdef(oid))) > 5000 AS long
FROM pg_constraint WHERE conname = 'long_check';

-- A long expression index: the CONCURRENTLY alternative holds the whole
-- expression, under PostgreSQL's own default name.
SET schema_oracle.rule_levels = '';
CREATE TABLE docs (id bigint, body text, title text);
INSERT INTO docs SELECT g, 'b' || g, 't' FROM generate_series(1, 100) g;
SELECT hint_of(format('CREATE INDEX ON docs ((body || %L))', repeat('x', 3000))) AS hint \gset
SELECT split_part(:'hint', E'\n', 3) AS build_step \gset
SELECT length(:'build_step') > 3000 AS complete, left(:'build_step', 50) AS starts_with,
       right(:'build_step', 20) AS ends_with;
SET schema_oracle.guard = off;
SELECT replace(:'build_step', ' CONCURRENTLY', '') \gexec
SET schema_oracle.guard = block;
SELECT indexrelid::regclass AS built, position(repeat('x', 3000) IN pg_get_indexdef(indexrelid)) > 0 AS whole
FROM pg_index WHERE indrelid = 'docs'::regclass;

-- Default names as PostgreSQL chooses them: every column (INCLUDE ones
-- too), "lower" for lower(...), a numeric suffix when the name is taken,
-- and 63 bytes at most.
SET schema_oracle.guard = warn;
CREATE INDEX docs_id_title_idx ON docs (id);  -- takes the first choice
SET schema_oracle.guard = block;
SELECT split_part(hint_of('CREATE INDEX ON docs (id, title)'), E'\n', 3);
SELECT split_part(hint_of('CREATE UNIQUE INDEX ON docs (lower(title)) INCLUDE (id)'), E'\n', 3);
CREATE TABLE a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk (id bigint, v int);
INSERT INTO a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk VALUES (1, 1);
SELECT split_part(hint_of('CREATE INDEX ON a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk (v)'),
                  E'\n', 3);

-- The definition is the user's, every clause kept: operator class and its
-- options, collation, DESC / NULLS, INCLUDE, NULLS NOT DISTINCT, WITH,
-- TABLESPACE, WHERE. Pasted, each hint builds the index its statement
-- builds (pg_get_indexdef the same but the name).
CREATE TABLE defs (id bigint, title text, tags text);
INSERT INTO defs VALUES (1, 't', 'a');
CREATE TEMP TABLE wanted (n int, stmt text, hint text);
INSERT INTO wanted (n, stmt) VALUES
    (1, 'CREATE INDEX ON defs (title text_pattern_ops DESC NULLS LAST, tags COLLATE "C") WITH (fillfactor = 70, deduplicate_items = off)'),
    (2, 'CREATE UNIQUE INDEX ON defs (title) INCLUDE (id) NULLS NOT DISTINCT TABLESPACE pg_default WHERE id > 0'),
    (3, 'CREATE INDEX ON defs USING hash (tags) WITH (fillfactor = ''80'')'),
    (4, 'CREATE INDEX ON defs ((lower(title)) COLLATE "C" text_pattern_ops NULLS FIRST)');
UPDATE wanted SET hint = split_part(hint_of(stmt), E'\n', 3);
SELECT n, hint FROM wanted ORDER BY n;
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT hint FROM wanted ORDER BY n \gexec
SELECT stmt FROM wanted ORDER BY n \gexec
RESET client_min_messages;
SELECT regexp_replace(pg_get_indexdef(indexrelid), 'INDEX \S+ ON', 'INDEX ON') AS definition,
       count(*) AS built_by_statement_and_hint
FROM pg_index WHERE indrelid = 'defs'::regclass GROUP BY 1 ORDER BY 1;
SET schema_oracle.guard = block;
-- The same for constraints: a UNIQUE constraint's index keeps INCLUDE,
-- NULLS NOT DISTINCT, WITH and its tablespace, the attach keeps
-- DEFERRABLE; an exclusion constraint's new table has the user's whole
-- EXCLUDE clause (it said "EXCLUDE USING gist (...)").
CREATE EXTENSION IF NOT EXISTS btree_gist;
SELECT hint_of('ALTER TABLE defs ADD CONSTRAINT defs_uq UNIQUE NULLS NOT DISTINCT (tags) INCLUDE (id) WITH (fillfactor = 70) USING INDEX TABLESPACE pg_default DEFERRABLE INITIALLY DEFERRED') AS hint \gset
SELECT :'hint' AS unique_hint;
SET schema_oracle.guard = warn;
SELECT paste(:'hint') \gexec
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'defs_uq';
SET schema_oracle.guard = block;
SELECT hint_of('ALTER TABLE defs ADD CONSTRAINT defs_ex EXCLUDE USING gist (tags WITH =, int8range(id, id + 1) WITH OPERATOR(pg_catalog.&&)) INCLUDE (title) WHERE (id > 0) DEFERRABLE') AS hint \gset
SELECT :'hint' AS exclusion_hint;
SET schema_oracle.guard = warn;
SELECT line FROM paste(:'hint') line WHERE line LIKE 'CREATE TABLE%' \gexec
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'defs_new'::regclass AND contype = 'x';
SET schema_oracle.guard = block;

-- Shell commands are quoted for the shell: pasting the pg_repack line into
-- bash runs pg_repack, never $(touch x).
CREATE TABLE "orders$(touch x)" (id bigint);
INSERT INTO "orders$(touch x)" VALUES (1);
-- (At the top level: PostgreSQL refuses VACUUM inside hint_of's
-- subtransaction, and the guard leaves that to it.)
VACUUM FULL "orders$(touch x)";
CREATE TABLE "it's" (id bigint);
INSERT INTO "it's" VALUES (1);
VACUUM FULL "it's";

-- One SQLSTATE for an unknown rule id, everywhere (42704).
\set VERBOSITY terse
SELECT schema_oracle.allow('no_such_rule', 'typo');
\echo allow :LAST_ERROR_SQLSTATE
SELECT schema_oracle.explain_rule('no_such_rule');
\echo explain_rule :LAST_ERROR_SQLSTATE
SELECT count(*) FROM schema_oracle.report(rules => '{no_such_rule}');
\echo report :LAST_ERROR_SQLSTATE
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason) VALUES ('no_such_rule', '%', 'typo');
\echo exemptions :LAST_ERROR_SQLSTATE
\set VERBOSITY default

RESET schema_oracle.rule_levels;
SET schema_oracle.guard = off;
DROP SCHEMA gt CASCADE;
SELECT format('DROP SCHEMA %I CASCADE', :'long_schema') \gexec
RESET schema_oracle.guard;
