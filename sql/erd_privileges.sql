-- erd_privileges: erd() and data_dictionary() run with the caller's
-- privileges and show only what the caller may see: a table it owns or holds
-- any privilege on (or on one of its columns), and of a table only the
-- columns it owns or holds a privilege on; no foreign key to or from a hidden
-- table. As a non-superuser (so_app, from setup).
CREATE SCHEMA erd_priv;
SET client_min_messages = error;
CREATE TABLE erd_priv.accounts (id bigint PRIMARY KEY, secret text, name text);
CREATE TABLE erd_priv.hidden (id bigint PRIMARY KEY, account_id bigint REFERENCES erd_priv.accounts);
CREATE TABLE erd_priv.partly (id bigint PRIMARY KEY, account_id bigint REFERENCES erd_priv.accounts,
                              salary numeric);
COMMENT ON TABLE erd_priv.hidden IS 'nobody but the owner sees this';
GRANT USAGE ON SCHEMA erd_priv TO so_app;
GRANT SELECT, REFERENCES ON erd_priv.accounts TO so_app;
GRANT SELECT (id, account_id) ON erd_priv.partly TO so_app;
GRANT CREATE ON SCHEMA erd_priv TO so_app;
SET ROLE so_app;
CREATE TABLE erd_priv.mine (id bigint PRIMARY KEY, account_id bigint REFERENCES erd_priv.accounts);
RESET client_min_messages;
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.erd(include_schemas => '{erd_priv}');
SELECT schema_oracle.erd(format => 'dot', include_schemas => '{erd_priv}', keys_only => true);
SELECT schema_oracle.erd(include_schemas => '{erd_priv}', findings => true, keys_only => true);
\pset tuples_only off
-- what so_app does not see is not named anywhere
SELECT position('hidden' IN schema_oracle.erd(include_schemas => '{erd_priv}')) AS erd_mentions_hidden,
       position('salary' IN schema_oracle.erd(include_schemas => '{erd_priv}')) AS erd_mentions_salary,
       position('hidden' IN schema_oracle.data_dictionary(include_schemas => '{erd_priv}')) AS dictionary_mentions_hidden,
       position('salary' IN schema_oracle.data_dictionary(include_schemas => '{erd_priv}', format => 'json')) AS json_mentions_salary;
SELECT t->>'name' AS "table", jsonb_array_length(t->'columns') AS columns,
       jsonb_array_length(t->'referenced_by') AS referenced_by
FROM jsonb_array_elements(schema_oracle.data_dictionary(format => 'json', include_schemas => '{erd_priv}')::jsonb->'tables') t;
-- around a table the caller may not see: as if it did not exist
\set VERBOSITY terse
SELECT schema_oracle.erd(around => 'erd_priv.hidden');
\set VERBOSITY default
RESET ROLE;
-- the owner sees all
SELECT count(*) AS entities FROM regexp_matches(schema_oracle.erd(include_schemas => '{erd_priv}'), '\["', 'g');
SET client_min_messages = error;
DROP SCHEMA erd_priv CASCADE;
