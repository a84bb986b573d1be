-- commit_name_prefix: a transaction that creates tables whose names start
-- with another judged table's name (t2, t20, t200; orders, orders_items)
-- judges every one of them. The names a generated index name could collide
-- with are read after the judged tables' own rows: read first, t2's names
-- held t20 as a bare name, and t20's foreign key and columns went unjudged.
-- Also: a judged table's pg_class row (read from the relcache), and the
-- updated_at trigger functions looked up only when a judged table has such
-- a column, still give the same findings and fixes.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.ddl_log = 'off';
SET client_min_messages = notice;
CREATE SCHEMA cnp;
SET search_path = cnp;
BEGIN;
CREATE TABLE parent (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER parent_set_updated_at BEFORE UPDATE ON parent FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;

-- every table fires fk_missing_index and missing_audit_columns, t20 and
-- t200 included.
BEGIN;
CREATE TABLE t2 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE TABLE t20 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
CREATE TABLE t200 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent);
COMMIT;

-- the longer name first: orders_items is judged, and orders too.
BEGIN;
CREATE TABLE orders_items (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE TABLE orders (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
COMMIT;

-- the generated index name keeps away from t3_parent_id_idx, which exists
-- (the hint says t3_parent_id_idx1), and t30's finding is there too.
BEGIN;
CREATE TABLE t3_parent_id_idx (id bigint PRIMARY KEY, created_at timestamptz,
    updated_at timestamptz);
CREATE TRIGGER t_set BEFORE UPDATE ON t3_parent_id_idx FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;
BEGIN;
CREATE TABLE t3 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz);
CREATE TABLE t30 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz);
COMMIT;

-- the updated_at fix names the trigger function: set_updated_at() while
-- the extension has it; an autocommit CREATE TABLE with no such column
-- needs none (only its other findings).
CREATE TABLE plain (id bigint PRIMARY KEY, created_at timestamptz, updated_on timestamptz);
CREATE TABLE no_maintained (id bigint PRIMARY KEY, created_at timestamptz);

-- the fixes, pasted, make the findings disappear.
CREATE INDEX CONCURRENTLY t2_parent_id_idx ON cnp.t2 (parent_id);
CREATE INDEX CONCURRENTLY t20_parent_id_idx ON cnp.t20 (parent_id);
CREATE INDEX CONCURRENTLY t3_parent_id_idx1 ON cnp.t3 (parent_id);
SELECT rule, object_identity FROM schema_oracle.report(include_schemas => ARRAY['cnp'],
    rules => ARRAY['fk_missing_index', 'updated_at_no_trigger'])
ORDER BY 1, 2;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cnp CASCADE;
RESET client_min_messages;
