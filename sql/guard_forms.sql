-- guard_forms: forms judged by what PostgreSQL 15 really does (issue 8,
-- item 5): CREATE INDEX ON ONLY a partitioned table builds nothing;
-- DROP ... CASCADE judged by what pg_depend says it drops; enum value
-- renames and ADD VALUE inside a transaction block; empty tables nobody
-- has read or written are not in use (activity statistics); a table swap's
-- DROP TABLE; every sub-command of a multi-command ALTER TABLE.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gf;
SET search_path = gf;
SET client_min_messages = warning;
-- CREATE INDEX ... ON ONLY a partitioned parent: an invalid index on the
-- parent alone, no build: silent (lock discipline only). Without ONLY the
-- build over every partition fires.
CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events SELECT g, '2025-06-01' FROM generate_series(1, 100) g;
CREATE INDEX events_id_idx ON ONLY events (id);
CREATE INDEX events_at_idx ON events (at);
-- DROP ... CASCADE lists what PostgreSQL's "drop cascades to" would list.
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE orders (id bigint PRIMARY KEY, m mood, note text);
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders,
                          parent bigint REFERENCES order_lines);
CREATE VIEW order_moods AS SELECT id, m FROM orders;
CREATE VIEW sad_orders AS SELECT * FROM order_moods WHERE m = 'sad';
INSERT INTO orders VALUES (1, 'ok', 'x');
INSERT INTO order_lines VALUES (1, 1, NULL);
BEGIN;
ALTER TABLE orders DROP CONSTRAINT orders_pkey CASCADE;
ROLLBACK;
BEGIN;
DROP TYPE mood CASCADE;
ROLLBACK;
BEGIN;
ALTER TABLE orders DROP COLUMN m CASCADE;
ROLLBACK;
BEGIN;
DROP VIEW order_moods CASCADE;
ROLLBACK;
-- Nothing else depends (the self-reference is part of the table): only drop_table.
BEGIN;
DROP TABLE order_lines CASCADE;
ROLLBACK;
-- Objects created in this transaction: silent.
BEGIN;
CREATE TYPE fresh_mood AS ENUM ('a');
CREATE TABLE fresh_t (m fresh_mood);
DROP TYPE fresh_mood CASCADE;
ROLLBACK;
-- Enum values: a rename breaks clients; ADD VALUE inside a transaction
-- block cannot be used before COMMIT (silent outside a block, for a
-- value that already exists with IF NOT EXISTS, and for a type created in
-- the same transaction, whose new values are usable at once).
ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';
BEGIN;
ALTER TYPE mood ADD VALUE 'happy';
ROLLBACK;
ALTER TYPE mood ADD VALUE 'happy';
BEGIN;
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'happy';
CREATE TYPE size AS ENUM ('s');
ALTER TYPE size ADD VALUE 'm';
ROLLBACK;
-- Activity statistics: an empty table nobody has read or written (a CI
-- replay's) is not in use; an empty table that serves reads still is.
RESET lock_timeout;
CREATE TABLE idle_t (id int);
CREATE TABLE busy_t (id int);
SELECT count(*) FROM busy_t;
SELECT pg_stat_force_next_flush();
SELECT seq_scan, n_tup_ins FROM pg_stat_user_tables WHERE relid = 'busy_t'::regclass;
ALTER TABLE idle_t ADD COLUMN x int;
ALTER TABLE busy_t ADD COLUMN x int;
BEGIN;
ALTER TABLE idle_t RENAME COLUMN x TO y;
DROP TABLE idle_t;
ROLLBACK;
BEGIN;
ALTER TABLE busy_t RENAME COLUMN x TO y;
ROLLBACK;
SET lock_timeout = '5s';
-- A table swap: the DROP of the old table is not told it destroys its data.
BEGIN;
CREATE TABLE orders_copy (LIKE orders INCLUDING ALL);
INSERT INTO orders_copy SELECT * FROM orders;
DROP TABLE orders CASCADE;
ALTER TABLE orders_copy RENAME TO orders;
ROLLBACK;
-- The swap's final RENAME (silent above) changes only the catalog, on the
-- table this transaction created: it cannot wait for a lock nor run long,
-- so it adds no time to the ACCESS EXCLUSIVE held; nor does a catalog-only
-- statement on the table already locked. A statement that reads or writes
-- the data after the lock still counts.
BEGIN;
CREATE TABLE orders_next (LIKE orders INCLUDING ALL);
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
ALTER TABLE orders_next RENAME TO orders_swap;
ALTER TABLE orders_swap RENAME COLUMN note TO remark;
ALTER TABLE orders ALTER COLUMN note SET DEFAULT '';
INSERT INTO orders_swap SELECT * FROM orders;
ROLLBACK;
-- Every sub-command of a multi-command ALTER TABLE: the rewrite behind a
-- harmless first one is found.
CREATE TABLE accounts (id int PRIMARY KEY, note text);
INSERT INTO accounts SELECT g, 'n' FROM generate_series(1, 100) g;
ALTER TABLE accounts ALTER COLUMN note SET DEFAULT '', ALTER COLUMN id TYPE bigint;
-- Hints that cannot apply are not given: a partitioned index cannot be
-- dropped CONCURRENTLY; an index renamed with ALTER TABLE gets no view.
SET schema_oracle.guard = off;
CREATE INDEX events_at_2 ON events (at);
SET schema_oracle.guard = warn;
DROP INDEX events_at_2;
ALTER TABLE accounts_pkey RENAME TO accounts_pk;
ALTER INDEX accounts_pk RENAME TO accounts_pkey;
-- A sequence type change below the values already issued: PostgreSQL 15
-- refuses it itself (RESTART value ... cannot be greater than MAXVALUE), so
-- the guard leaves it to PostgreSQL, in block mode too.
SET schema_oracle.guard = block;
CREATE SEQUENCE issued;
SELECT setval('issued', 40000);
ALTER SEQUENCE issued AS smallint;
SET schema_oracle.guard = warn;
-- Fixes that would always fail are not given: PRIMARY KEY USING INDEX over
-- an index with a non-default operator class or collation (PostgreSQL
-- refuses it), ADD COLUMN on a typed table.
SET schema_oracle.guard = off;
CREATE TABLE u_ops (code text NOT NULL);
CREATE UNIQUE INDEX u_ops_code ON u_ops (code text_pattern_ops);
CREATE TABLE u_coll (code text NOT NULL);
CREATE UNIQUE INDEX u_coll_code ON u_coll (code COLLATE "C");
CREATE TABLE u_plain (code text NOT NULL);
CREATE UNIQUE INDEX u_plain_code ON u_plain (code);
CREATE TYPE person AS (name text);
CREATE TABLE people OF person;
SELECT rule, object_identity, fix
FROM schema_oracle.report(include_schemas => '{gf}',
                          rules => '{missing_primary_key,missing_audit_columns}')
WHERE object_identity ~ '^gf\.(u_|people)' ORDER BY 1, 2;
SELECT fix FROM schema_oracle.report(include_schemas => '{gf}', rules => '{missing_primary_key}')
WHERE object_identity ~ '^gf\.u_' AND fix IS NOT NULL \gexec
SELECT object_identity FROM schema_oracle.report(include_schemas => '{gf}', rules => '{missing_primary_key}')
WHERE object_identity ~ '^gf\.u_' ORDER BY 1;
RESET client_min_messages;
SET schema_oracle.guard = off;
DROP SCHEMA gf CASCADE;
RESET schema_oracle.guard;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
RESET search_path;
