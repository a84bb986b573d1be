-- commit_created_table: a CREATE TABLE whose objects the DDL log does not
-- want (ddl_log = off, or findings without a finding of the statement) notes
-- its table for the commit check from the tree, without reading
-- pg_event_trigger_ddl_commands(): the same tables are judged as with the
-- log on. The extension's membership of a table created in the transaction,
-- and the extension dropped meanwhile, are judged exactly.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
SET schema_oracle.ddl_log = 'off';
CREATE SCHEMA cct;
SET search_path = cct;
CREATE TABLE parent (id bigint PRIMARY KEY);

-- fires: autocommit, qualified.
CREATE TABLE cct.c_auto (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
-- fires: in a transaction block, unqualified.
BEGIN;
CREATE TABLE c_block (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
-- silent: the index follows in the same transaction.
BEGIN;
CREATE TABLE c_later (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX ON c_later (parent_id);
COMMIT;

-- An unqualified name goes to the search_path's creation schema even where
-- a temporary table of that name comes first in the lookup: the permanent
-- table is the one judged (fires), the temporary one never is.
CREATE TEMP TABLE c_shadow (id bigint);
BEGIN;
CREATE TABLE c_shadow (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
DROP TABLE pg_temp.c_shadow;

-- silent: IF NOT EXISTS over a table created in an earlier transaction
-- creates nothing (the existing table is not judged again).
CREATE TABLE IF NOT EXISTS c_auto (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
-- fires: IF NOT EXISTS that creates the table.
CREATE TABLE IF NOT EXISTS c_ine (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
-- fires once: IF NOT EXISTS over a table this same transaction created.
BEGIN;
CREATE TABLE c_ine_twice (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE TABLE IF NOT EXISTS c_ine_twice (id bigint PRIMARY KEY);
COMMIT;

-- A partition is judged at its partitioned root: the root fires when it is
-- created, and the partition's commit repeats nothing (said once a session).
CREATE TABLE p_root (id bigint, parent_id bigint REFERENCES parent, PRIMARY KEY (id)) PARTITION BY RANGE (id);
BEGIN;
CREATE TABLE p_one PARTITION OF p_root FOR VALUES FROM (0) TO (100);
COMMIT;

-- silent: temporary tables.
CREATE TEMP TABLE t_parent (id bigint PRIMARY KEY);
CREATE TEMP TABLE c_temp (id bigint PRIMARY KEY, parent_id bigint REFERENCES t_parent);

-- ddl_log = findings: a CREATE TABLE without a finding of its own takes the
-- same path; its commit finding fires and is logged.
SET schema_oracle.ddl_log = 'findings';
DELETE FROM schema_oracle.ddl_log;
CREATE TABLE c_findings (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
SELECT command_tag, objects, action, outcome,
       (SELECT array_agg(f->>'rule') FROM jsonb_array_elements(findings) f) AS rules
FROM schema_oracle.ddl_log ORDER BY id;
SET schema_oracle.ddl_log = 'off';

-- silent: a table the transaction created and then made a member of an
-- extension (report() leaves extension members alone).
BEGIN;
CREATE TABLE c_member (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
ALTER EXTENSION schema_oracle ADD TABLE c_member;
COMMIT;
ALTER EXTENSION schema_oracle DROP TABLE c_member;

-- silent: the extension dropped after the table was noted (in a database of
-- its own, so the other tests keep theirs).
CREATE DATABASE so_commit_created_table;
\c so_commit_created_table
SET client_min_messages = warning;
CREATE EXTENSION schema_oracle;
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET schema_oracle.ddl_log = 'off';
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
CREATE TABLE parent (id bigint PRIMARY KEY);
BEGIN;
CREATE TABLE c_dropped (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
DROP EXTENSION schema_oracle;
COMMIT;
-- and fires again once it is back.
CREATE EXTENSION schema_oracle;
CREATE TABLE c_back (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
\c so_regression
DROP DATABASE so_commit_created_table;

SET client_min_messages = warning;
DROP SCHEMA cct CASCADE;
