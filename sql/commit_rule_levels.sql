-- commit_rule_levels: a commit rule whose level is off is not judged at
-- all (its findings would be dropped), and with every commit rule off the
-- commit check reads nothing. What the user sees is what the levels say:
-- no finding of a rule at off, every finding of the others, block mode
-- blocking only on a rule that is on, a waiver still reported.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.ddl_log = 'off';
SET client_min_messages = notice;
SET schema_oracle.rule_levels = 'fk_missing_index=off, missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
CREATE SCHEMA crl;
SET search_path = crl;
CREATE TABLE parent (id bigint PRIMARY KEY);

-- all four off: silent.
BEGIN;
CREATE TABLE c_none (id bigint, parent_id bigint REFERENCES parent, updated_at timestamptz);
COMMIT;

-- only fk_missing_index.
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
BEGIN;
CREATE TABLE c_fk (id bigint, parent_id bigint REFERENCES parent, updated_at timestamptz);
COMMIT;

-- missing_primary_key and updated_at_no_trigger, not the other two.
SET schema_oracle.rule_levels = 'fk_missing_index=off, missing_audit_columns=off';
BEGIN;
CREATE TABLE c_pk (id bigint, parent_id bigint REFERENCES parent, updated_at timestamptz);
COMMIT;

-- block mode: a rule at off does not fail the COMMIT; one at block does.
SET schema_oracle.guard = block;
SET schema_oracle.rule_levels = 'fk_missing_index=off, missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
BEGIN;
CREATE TABLE c_block_off (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
SELECT count(*) FROM pg_class WHERE relname = 'c_block_off';
SET schema_oracle.rule_levels = 'fk_missing_index=block, missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
BEGIN;
CREATE TABLE c_block_on (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
SELECT count(*) FROM pg_class WHERE relname = 'c_block_on';

-- waived: reported as waived, and the COMMIT goes through (the rule still
-- at block).
BEGIN;
SELECT schema_oracle.allow('fk_missing_index', 'the parent is never deleted from');
CREATE TABLE c_waived (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;
SELECT count(*) FROM pg_class WHERE relname = 'c_waived';
SET schema_oracle.guard = warn;

RESET schema_oracle.rule_levels;
RESET search_path;
SET client_min_messages = error;
DROP SCHEMA crl CASCADE;
RESET client_min_messages;
