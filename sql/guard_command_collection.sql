-- guard_command_collection: with the DDL log off, the guard turns off
-- PostgreSQL's collection of a statement's commands (a parse-tree copy per
-- command) when only its own ddl_command_end would read them and it will
-- not (src/pg/command_collection.cpp). Any other event trigger keeps the
-- collection on: what it reads from pg_event_trigger_ddl_commands() is
-- complete. A trigger that is disabled does not count, and counts again
-- when enabled. Nested DDL, REFRESH MATERIALIZED VIEW CONCURRENTLY (which
-- switches the collection itself) and the commit check's findings still
-- work.
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET schema_oracle.ddl_log = 'off';
SET lock_timeout = '5s';
SET client_min_messages = notice;
CREATE SCHEMA gcc;
SET search_path = gcc;
BEGIN;
CREATE TABLE seen (n bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tag text, identity text,
    created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER seen_set BEFORE UPDATE ON seen FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
CREATE TABLE parent (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER parent_set BEFORE UPDATE ON parent FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;
CREATE FUNCTION note_commands() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO gcc.seen (tag, identity)
    SELECT command_tag, object_identity FROM pg_event_trigger_ddl_commands()
    WHERE object_identity NOT LIKE 'gcc.seen%';
END $$;
CREATE EVENT TRIGGER gcc_note ON ddl_command_end EXECUTE FUNCTION note_commands();

-- Another trigger reads the commands: every statement's are there.
BEGIN;
CREATE TABLE a (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE INDEX a_created_idx ON a (created_at);
COMMENT ON TABLE a IS 'table a';
ALTER TABLE a ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE a ADD CONSTRAINT a_status_check CHECK (status <> '');
CREATE TRIGGER a_set BEFORE UPDATE ON a FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;
SELECT tag, identity FROM seen ORDER BY n;
DELETE FROM seen;

-- Disabled, it reads nothing and does not count: nothing is collected
-- (nothing to see). Enabled again, it sees the commands again.
ALTER EVENT TRIGGER gcc_note DISABLE;
CREATE INDEX a_status_idx ON a (status);
COMMENT ON INDEX a_status_idx IS 'by status';
ALTER EVENT TRIGGER gcc_note ENABLE;
CREATE INDEX a_status_created_idx ON a (status, created_at);
COMMENT ON INDEX a_status_created_idx IS 'by status and time';
SELECT tag, identity FROM seen ORDER BY n;
DROP EVENT TRIGGER gcc_note;

-- Only ours: statements whose commands nobody reads. The commit check still
-- judges the tables they create (from the tree), and an ALTER TABLE adding
-- a foreign key (whose commands it reads) to an existing table.
BEGIN;
CREATE TABLE b (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent,
    created_at timestamptz, updated_at timestamptz);
CREATE INDEX b_created_idx ON b (created_at);
COMMENT ON TABLE b IS 'table b';
CREATE TRIGGER b_set BEFORE UPDATE ON b FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
COMMIT;
ALTER TABLE a ADD COLUMN parent_id bigint REFERENCES parent;

-- A statement run by a function inside another DDL statement (a volatile
-- default evaluated while ALTER TABLE rewrites the table): its own
-- collection, decided at its own ddl_command_start; the table it creates is
-- judged at commit, and the outer statement completes.
CREATE FUNCTION make_side_table() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    CREATE TABLE IF NOT EXISTS gcc.side (id bigint PRIMARY KEY, parent_id bigint REFERENCES gcc.parent,
        created_at timestamptz, updated_at timestamptz);
    RETURN 1;
END $$;
SET client_min_messages = warning;
BEGIN;
CREATE TABLE c (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE TRIGGER c_set BEFORE UPDATE ON c FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
INSERT INTO c (id) VALUES (1);
ALTER TABLE c ADD COLUMN v int DEFAULT make_side_table();
COMMIT;
SELECT v FROM c;
SELECT count(*) FROM pg_class WHERE oid = 'gcc.side'::regclass;

-- REFRESH MATERIALIZED VIEW CONCURRENTLY turns the collection off and on
-- around its own inner commands: with and without another trigger.
CREATE MATERIALIZED VIEW mv AS SELECT id FROM parent;
CREATE UNIQUE INDEX mv_id ON mv (id);
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
CREATE EVENT TRIGGER gcc_note ON ddl_command_end EXECUTE FUNCTION note_commands();
DELETE FROM seen;
REFRESH MATERIALIZED VIEW CONCURRENTLY mv;
SELECT tag, identity FROM seen ORDER BY n;
DROP EVENT TRIGGER gcc_note;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA gcc CASCADE;
RESET client_min_messages;
