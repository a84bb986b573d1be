-- guard_facts: size and "created here" facts that cannot be fooled (issue 8,
-- item 3). Plain inheritance children are summed where PostgreSQL recurses
-- into them; "created in this transaction" for schemas and domains comes
-- from the guard's own record of the transaction's CREATE commands, never
-- from a catalog row's xmin, which a GRANT or ALTER rewrites.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = '64kB';
SET lock_timeout = '5s';
CREATE SCHEMA gf;
SET search_path = gf;

-- An empty parent with two populated plain-inheritance children.
CREATE TABLE events (id bigint, kind int, note text);
CREATE TABLE events_a () INHERITS (events);
CREATE TABLE events_b () INHERITS (events);
INSERT INTO events_a SELECT g, g, 'a' FROM generate_series(1, 10000) g;
INSERT INTO events_b SELECT g, g, 'b' FROM generate_series(1, 10000) g;
ANALYZE events, events_a, events_b;

-- PostgreSQL recurses into every child: the sizes are summed (the parent
-- alone is 0 bytes, below the threshold, and used to pass silently).
ALTER TABLE events ALTER COLUMN kind SET NOT NULL;
ALTER TABLE events ADD CONSTRAINT events_kind_pos CHECK (kind > 0);
-- The rewrite is judged once, on the parent: the children's table_rewrite
-- events are part of it.
ALTER TABLE events ALTER COLUMN kind TYPE bigint;
ALTER TABLE events ADD COLUMN stamp int DEFAULT (random() * 10)::int;
-- ONLY, and NO INHERIT constraints, stay on the (empty) parent: silent.
ALTER TABLE ONLY events ADD CONSTRAINT events_only CHECK (id > 0) NO INHERIT;
ALTER TABLE ONLY events ALTER COLUMN kind DROP NOT NULL;
-- A foreign key, UNIQUE or PRIMARY KEY is the parent's own: silent.
ALTER TABLE events ADD CONSTRAINT events_id_key UNIQUE (id);

-- "Created in this transaction", schemas: a GRANT (or ALTER SCHEMA) on an
-- old schema rewrites its pg_namespace row in this transaction; DROP SCHEMA
-- ... CASCADE must still be judged (it used to pass as "new").
CREATE SCHEMA gf_old;
CREATE TABLE gf_old.kept (id bigint);
BEGIN;
GRANT USAGE ON SCHEMA gf_old TO PUBLIC;
DROP SCHEMA gf_old CASCADE;
ROLLBACK;
-- ... and a schema this transaction created is exempt, GRANT or not.
BEGIN;
CREATE SCHEMA gf_new;
CREATE TABLE gf_new.scratch (id bigint);
GRANT USAGE ON SCHEMA gf_new TO PUBLIC;
DROP SCHEMA gf_new CASCADE;
ROLLBACK;
-- ... also when an earlier savepoint created and rolled back one of the name.
BEGIN;
SAVEPOINT s;
CREATE SCHEMA gf_new;
ROLLBACK TO s;
CREATE SCHEMA gf_new;
DROP SCHEMA gf_new CASCADE;
ROLLBACK;

-- Domains: the same with ALTER DOMAIN ... ADD CONSTRAINT.
CREATE DOMAIN gf_amount AS int;
CREATE TABLE uses_amount (a gf_amount);
BEGIN;
GRANT USAGE ON DOMAIN gf_amount TO PUBLIC;
ALTER DOMAIN gf_amount ADD CONSTRAINT gf_amount_pos CHECK (VALUE > 0);
ROLLBACK;
BEGIN;
CREATE DOMAIN gf_fresh AS int;
ALTER DOMAIN gf_fresh OWNER TO CURRENT_USER;
GRANT USAGE ON DOMAIN gf_fresh TO PUBLIC;
ALTER DOMAIN gf_fresh ADD CONSTRAINT gf_fresh_pos CHECK (VALUE > 0);
ROLLBACK;

SET schema_oracle.guard = off;
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA gf, gf_old CASCADE;
