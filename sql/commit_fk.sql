-- commit_fk: fk_missing_index judged at commit, with report()'s coverage
-- rule, over the tables the transaction created or altered.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
CREATE SCHEMA cfk;
SET search_path = cfk;
CREATE TABLE parent (id bigint PRIMARY KEY, k bigint, UNIQUE (id, k));

-- fires: a new table whose foreign key no index covers.
BEGIN;
CREATE TABLE c_none (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;

-- silent: the index comes two statements later, in the same transaction.
BEGIN;
CREATE TABLE c_later (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMENT ON TABLE c_later IS 'the index follows';
CREATE INDEX c_later_parent_idx ON c_later (parent_id);
COMMIT;

-- silent: a composite index whose leading columns are the FK's, reordered.
BEGIN;
CREATE TABLE c_comp (id bigint PRIMARY KEY, parent_id bigint, k bigint, at timestamptz,
    FOREIGN KEY (parent_id, k) REFERENCES parent (id, k));
CREATE INDEX c_comp_idx ON c_comp (k, parent_id, at);
COMMIT;

-- silent: a partial index WHERE fk IS NOT NULL (the rows the FK needs).
BEGIN;
CREATE TABLE c_nn (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX c_nn_idx ON c_nn (parent_id) WHERE parent_id IS NOT NULL;
COMMIT;

-- fires: another partial index.
BEGIN;
CREATE TABLE c_partial (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent, active bool);
CREATE INDEX c_partial_idx ON c_partial (parent_id) WHERE active;
COMMIT;

-- fires: the FK column only second.
BEGIN;
CREATE TABLE c_second (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent, at timestamptz);
CREATE INDEX c_second_idx ON c_second (at, parent_id);
COMMIT;

-- fires: an expression index, and an INCLUDE column.
BEGIN;
CREATE TABLE c_expr (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX c_expr_idx ON c_expr ((parent_id + 0));
CREATE INDEX c_expr_incl ON c_expr (id) INCLUDE (parent_id);
COMMIT;

-- fires: DROP INDEX on an existing table leaves its FK uncovered.
DROP INDEX c_later_parent_idx;
-- silent: dropping an index the FK does not need.
CREATE INDEX c_nn_extra ON c_nn (id, parent_id);
DROP INDEX c_nn_extra;

-- fires: ALTER TABLE ADD FOREIGN KEY on an existing table, autocommit (its
-- own transaction).
CREATE TABLE c_alter (id bigint PRIMARY KEY, parent_id bigint);
ALTER TABLE c_alter ADD FOREIGN KEY (parent_id) REFERENCES parent;

-- The generated name avoids existing relations (c_taken_parent_id_idx is a
-- table), the way ChooseRelationName does.
CREATE TABLE c_taken_parent_id_idx (x int);
CREATE TABLE c_taken (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);

-- The fix, applied with \gexec, makes the finding disappear.
SELECT 'CREATE INDEX CONCURRENTLY IF NOT EXISTS c_taken_parent_id_idx1 ON cfk.c_taken (parent_id)' \gexec
ALTER TABLE c_taken ADD CONSTRAINT c_taken_parent_fk2 FOREIGN KEY (parent_id) REFERENCES parent;

-- Partitioned: judged once, at the parent (no finding per partition).
BEGIN;
CREATE TABLE p_events (id bigint, parent_id bigint REFERENCES parent, at date) PARTITION BY RANGE (at);
CREATE TABLE p_events_2026 PARTITION OF p_events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE p_events_2027 PARTITION OF p_events FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
COMMIT;
-- silent: a partitioned index on the parent covers.
BEGIN;
CREATE TABLE p_ok (id bigint, parent_id bigint REFERENCES parent, at date) PARTITION BY RANGE (at);
CREATE TABLE p_ok_2026 PARTITION OF p_ok FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX p_ok_parent_idx ON p_ok (parent_id);
COMMIT;

-- Rolled back to a savepoint: forgotten.
BEGIN;
SAVEPOINT s;
CREATE TABLE c_undone (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
ROLLBACK TO SAVEPOINT s;
COMMIT;
-- A failed EXCEPTION block: forgotten too.
DO $$ BEGIN
    CREATE TABLE c_undone2 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN NULL;
END $$;
-- RELEASE SAVEPOINT keeps it.
BEGIN;
SAVEPOINT s;
CREATE TABLE c_released (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
RELEASE SAVEPOINT s;
COMMIT;

-- Temporary tables are nobody else's business.
CREATE TEMP TABLE t_parent (id bigint PRIMARY KEY);
CREATE TEMP TABLE c_temp (id bigint PRIMARY KEY, parent_id bigint REFERENCES t_parent);

-- A transaction without DDL: nothing judged.
BEGIN;
INSERT INTO parent VALUES (1, 1);
COMMIT;

-- report() agrees (the same coverage rule): the same tables fire there.
SELECT object_identity FROM schema_oracle.report(rules => ARRAY['fk_missing_index'])
WHERE object_identity LIKE '%cfk.%' ORDER BY 1;

-- DROP INDEX CONCURRENTLY runs outside a transaction block and commits
-- inside itself: it is judged at its first internal commit, once it has
-- marked the index invalid. Fires when it leaves the FK uncovered.
CREATE TABLE c_conc (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX c_conc_parent_idx ON c_conc (parent_id);
CREATE INDEX c_conc_extra ON c_conc (id, parent_id);
DROP INDEX CONCURRENTLY c_conc_extra;  -- silent: c_conc_parent_idx still covers
DROP INDEX CONCURRENTLY c_conc_parent_idx;
-- In block mode that commit fails: the index stays, valid.
CREATE INDEX c_conc_parent_idx ON c_conc (parent_id);
SET schema_oracle.rule_levels = 'fk_missing_index=block, missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';
DROP INDEX CONCURRENTLY c_conc_parent_idx;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT indisvalid, indisready FROM pg_index WHERE indexrelid = 'cfk.c_conc_parent_idx'::regclass;
SET schema_oracle.rule_levels = 'missing_primary_key=off, missing_audit_columns=off, updated_at_no_trigger=off';

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cfk CASCADE;
RESET client_min_messages;
RESET schema_oracle.rule_levels;
