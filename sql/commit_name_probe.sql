-- commit_name_probe: the index names the commit check's fixes generate are
-- confirmed against pg_class one by one (the lookup PostgreSQL's
-- ChooseRelationName makes), instead of reading every relation name that
-- starts with each judged table's name at every commit. Each hint must
-- name an index that CREATE INDEX CONCURRENTLY IF NOT EXISTS really
-- creates, exactly as report() names it:
--   - a name taken by a relation whose name does not start with the
--     table's (a long table name cut to fit a long column name) is avoided;
--   - a name taken in another schema is not;
--   - a name taken by a relation created in a savepoint that rolled back is
--     free again; one created earlier in the same transaction is taken;
--   - several collisions in one commit: each fix gets the next free name.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET lock_timeout = '5s';
SET schema_oracle.ddl_log = 'off';
SET client_min_messages = notice;
CREATE SCHEMA cnq;
CREATE SCHEMA cnq_other;
SET search_path = cnq;
BEGIN;
CREATE TABLE parent (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER parent_set_updated_at BEFORE UPDATE ON parent FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;

-- PostgreSQL names an index on this pair
-- orders_with_a_really_long_des_customer_account_reference_id_idx: the
-- table's name cut to 29 bytes. A view holds that name (and one in another
-- schema): the fix takes the next name, cut to fit idx1.
CREATE VIEW orders_with_a_really_long_des_customer_account_reference_id_idx AS SELECT 1 AS x;
CREATE VIEW cnq_other.orders_with_a_really_long_des_customer_account_reference_id_idx AS
    SELECT 1 AS x;
BEGIN;
CREATE TABLE orders_with_a_really_long_descriptive_name_for_the_test (id bigint PRIMARY KEY,
    customer_account_reference_identifier_with_long_name bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER o_set BEFORE UPDATE ON orders_with_a_really_long_descriptive_name_for_the_test
    FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;
-- report() names it the same.
SELECT rule, fix FROM schema_oracle.report(include_schemas => ARRAY['cnq'],
    rules => ARRAY['fk_missing_index']) ORDER BY 1, 2;

-- a relation created in a rolled-back savepoint does not hold the name; one
-- created before it in the same transaction does (s1_parent_id_idx1 then);
-- one in another schema does not (cnq_other.s1_parent_id_idx1).
CREATE SEQUENCE cnq_other.s1_parent_id_idx1;
BEGIN;
CREATE SEQUENCE s1_parent_id_idx;
SAVEPOINT a;
CREATE SEQUENCE s1_parent_id_idx1;
ROLLBACK TO SAVEPOINT a;
CREATE SEQUENCE s2_parent_id_idx;
SAVEPOINT b;
CREATE TABLE s2_parent_id_idx1 ();
ROLLBACK TO SAVEPOINT b;
CREATE TABLE s1 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE TABLE s2 (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER s1_set BEFORE UPDATE ON s1 FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
CREATE TRIGGER s2_set BEFORE UPDATE ON s2 FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;

-- several names taken for one table's two foreign keys (and idx1, idx2 of
-- the first): each fix the next free name, all different.
CREATE SEQUENCE m_a_idx;
CREATE SEQUENCE m_a_idx1;
CREATE SEQUENCE m_a_idx2;
CREATE SEQUENCE m_b_idx;
BEGIN;
CREATE TABLE m (id bigint PRIMARY KEY, a bigint REFERENCES parent, b bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER m_set BEFORE UPDATE ON m FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;

-- the fixes, pasted, make the findings disappear.
SET client_min_messages = warning;
SELECT fix FROM schema_oracle.report(include_schemas => ARRAY['cnq'],
    rules => ARRAY['fk_missing_index']) ORDER BY 1 \gexec
SELECT rule, object_identity FROM schema_oracle.report(include_schemas => ARRAY['cnq'],
    rules => ARRAY['fk_missing_index']) ORDER BY 1, 2;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cnq CASCADE;
DROP SCHEMA cnq_other CASCADE;
RESET client_min_messages;
