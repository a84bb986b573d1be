-- catalog: version(), the rules view and explain_rule().
SELECT schema_oracle.version() = extversion AS version_matches_extension
FROM pg_extension WHERE extname = 'schema_oracle';

-- Every rule has a known category and severity, and ids are snake_case.
SELECT count(*) > 0 AS has_rules,
       bool_and(category IN ('lock', 'rewrite', 'breaking', 'timeout', 'integrity',
                             'performance', 'type_hygiene', 'security')) AS categories_ok,
       bool_and(severity IN ('info', 'warning', 'error')) AS severities_ok,
       bool_and(rule ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$') AS ids_ok,
       count(DISTINCT rule) = count(*) AS ids_unique
FROM schema_oracle.rules;

SELECT rule, category, severity, judged_by
FROM schema_oracle.rules
WHERE rule IN ('create_index_not_concurrently', 'fk_missing_index', 'json_column')
ORDER BY rule;

-- explain_rule returns the full page, the same text as docs/rules/<rule>.md.
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.explain_rule('create_index_not_concurrently');
\pset format aligned
\pset tuples_only off

-- Every rule explains itself.
SELECT count(*) AS undocumented
FROM schema_oracle.rules
WHERE schema_oracle.explain_rule(rule) NOT LIKE '# ' || rule || E'\n%';

-- Unknown rule: a clear error with SQLSTATE 42704 and a hint.
SELECT schema_oracle.explain_rule('no_such_rule');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle.explain_rule(NULL) IS NULL AS null_in_null_out;

-- Ordinary roles can read the catalog.
SET ROLE so_app;
SELECT count(*) > 0 AS app_sees_rules FROM schema_oracle.rules;
RESET ROLE;

-- The extension cannot be relocated.
ALTER EXTENSION schema_oracle SET SCHEMA public;
