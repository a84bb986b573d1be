-- commit_created_indexes: for a table created in the committing transaction,
-- the commit check reads its indexes' pg_index and pg_class rows from their
-- relcache entries (PostgreSQL keeps a relation created in the running
-- transaction there, rebuilt at each invalidation), not from the syscache.
-- What it sees must be the catalog as it stands at COMMIT:
--   - an index created in a savepoint that rolled back is gone, one in a
--     released savepoint stays, one created and dropped is gone;
--   - TRUNCATE and REINDEX of the new table (new files) change nothing;
--   - a renamed index is known by its new name (the fix's generated name
--     keeps away from it);
--   - partial (WHERE fk IS NOT NULL covers, another predicate does not) and
--     expression indexes, read from the entry's pg_index tuple;
--   - a unique index on NOT NULL columns: missing_primary_key's fix promotes
--     it (its sort order read from the same tuple).
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.ddl_log = 'off';
SET schema_oracle.rule_levels = 'missing_audit_columns=off, updated_at_no_trigger=off';
SET client_min_messages = notice;
CREATE SCHEMA cci;
SET search_path = cci;
CREATE TABLE parent (id bigint PRIMARY KEY);

-- fires: the covering index was created in a savepoint that rolled back.
BEGIN;
CREATE TABLE s_rolled (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
SAVEPOINT a;
CREATE INDEX s_rolled_parent_idx ON s_rolled (parent_id);
ROLLBACK TO SAVEPOINT a;
COMMIT;

-- silent: created in a released savepoint.
BEGIN;
CREATE TABLE s_released (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
SAVEPOINT a;
CREATE INDEX s_released_parent_idx ON s_released (parent_id);
RELEASE SAVEPOINT a;
COMMIT;

-- fires: created, then dropped.
BEGIN;
CREATE TABLE s_dropped (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX s_dropped_parent_idx ON s_dropped (parent_id);
DROP INDEX s_dropped_parent_idx;
COMMIT;

-- silent: TRUNCATE and REINDEX give the table and its indexes new files.
BEGIN;
CREATE TABLE s_truncated (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX s_truncated_parent_idx ON s_truncated (parent_id);
TRUNCATE s_truncated;
REINDEX TABLE s_truncated;
COMMIT;

-- fires, and the fix keeps away from the index renamed to the name it
-- would generate (s_renamed_parent_id_idx1).
BEGIN;
CREATE TABLE s_renamed (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent, other bigint);
CREATE INDEX s_renamed_other ON s_renamed (other);
ALTER INDEX s_renamed_other RENAME TO s_renamed_parent_id_idx;
COMMIT;

-- silent: a partial index WHERE parent_id IS NOT NULL covers.
BEGIN;
CREATE TABLE s_partial_nn (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX s_partial_nn_idx ON s_partial_nn (parent_id) WHERE parent_id IS NOT NULL;
COMMIT;

-- fires: another predicate, and an expression index, do not.
BEGIN;
CREATE TABLE s_partial (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX s_partial_idx ON s_partial (parent_id) WHERE parent_id > 10;
CREATE TABLE s_expression (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE INDEX s_expression_idx ON s_expression ((parent_id + 0));
COMMIT;

-- missing_primary_key: the unique index on a NOT NULL column is promoted.
BEGIN;
CREATE TABLE s_unique (code text NOT NULL, note text);
CREATE UNIQUE INDEX s_unique_code ON s_unique (code);
COMMIT;

-- the same verdicts from report(), which reads the catalog itself.
SELECT rule, object_identity FROM schema_oracle.report(include_schemas => ARRAY['cci'],
    rules => ARRAY['fk_missing_index', 'missing_primary_key']) ORDER BY 1, 2;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cci CASCADE;
RESET client_min_messages;
