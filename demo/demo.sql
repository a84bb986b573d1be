-- demo.sql: a tour of schema_oracle on the sample schema (run by scripts/demo.sh).
\set ON_ERROR_STOP on
\pset footer off
\echo
\echo '== 1. Install the extension (once per database, as a superuser)'
CREATE EXTENSION schema_oracle;
SELECT schema_oracle.version();

\echo
\echo '== 2. The rule catalog: one vocabulary for the guard, the report and the docs'
SELECT category, count(*) AS rules, string_agg(rule, ', ' ORDER BY rule) AS ids
FROM schema_oracle.rules GROUP BY category ORDER BY category;

\echo
\echo '== 3. Every rule explains itself'
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.explain_rule('create_index_not_concurrently');
\pset format aligned
\pset tuples_only off
