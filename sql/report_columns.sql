-- report_columns: json_column, timestamp_without_time_zone, char_column,
-- varchar_255, date_stored_as_text, plaintext_password_column,
-- security_definer_search_path. Own schema; dropped at the end.
CREATE SCHEMA rpt_col;
SET search_path = rpt_col;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

CREATE TABLE things (
    id int PRIMARY KEY,
    payload json,                 -- json_column
    doc jsonb,                    -- silent
    happened timestamp,           -- timestamp_without_time_zone
    happened_tz timestamptz,      -- silent
    country char(2),              -- char_column
    flag bpchar,                  -- silent: no length, no padding
    email varchar(255),           -- varchar_255
    nick varchar(100),            -- silent
    "Title" varchar(255),         -- varchar_255, quoted identity
    created_at text,              -- date_stored_as_text
    shipped_on varchar(20),       -- date_stored_as_text
    birthday text,                -- date_stored_as_text
    format text,                  -- silent
    add_on_date date,             -- silent: a date
    password text,                -- plaintext_password_column
    password_hash text,           -- silent
    api_secret varchar(64),       -- plaintext_password_column
    client_secret_digest text,    -- silent
    encrypted_pwd bytea,          -- silent: not text
    pwd_changed_at timestamptz    -- silent: not text
);
-- columns of a partition or an inheritance child are judged once, on the parent
CREATE TABLE logs (id int, at date NOT NULL, payload json) PARTITION BY RANGE (at);
CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE base (stamp timestamp);
CREATE TABLE child (extra json) INHERITS (base);

SELECT rule, severity, category, object_type, object_identity, message, fix
FROM schema_oracle.report(include_schemas => '{rpt_col}',
    rules => '{json_column,timestamp_without_time_zone,char_column,varchar_255,date_stored_as_text,plaintext_password_column}');
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_col}', rules => '{varchar_255}')
WHERE fix IS NOT NULL \gexec
SELECT count(*) AS varchar_255_left
FROM schema_oracle.report(include_schemas => '{rpt_col}', rules => '{varchar_255}');

-- security_definer_search_path
CREATE FUNCTION definer(a integer, b text) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION definer_pinned() RETURNS int LANGUAGE sql SECURITY DEFINER
    SET search_path = rpt_col, pg_temp AS 'SELECT 1';
CREATE FUNCTION invoker() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE definer_proc(x things) LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION "Odd Name"(int[]) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
SELECT severity, object_type, object_identity, message, fix
FROM schema_oracle.report(include_schemas => '{rpt_col}', rules => '{security_definer_search_path}');
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_col}', rules => '{security_definer_search_path}')
WHERE fix IS NOT NULL \gexec
SELECT count(*) AS definers_left
FROM schema_oracle.report(include_schemas => '{rpt_col}', rules => '{security_definer_search_path}');

RESET search_path;
DROP SCHEMA rpt_col CASCADE;
