-- guard_accepted: statements PostgreSQL 15 accepts that the guard's mirrors
-- of its refusals (src/upstream/*refusals.cpp) once took for refused, and so
-- let pass unjudged. Each is judged now: in block mode it is blocked with
-- SO001 (the rule in the message), without running; a warning-level rule
-- warns, in a transaction rolled back.
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gac;
SET search_path = gac, regress_helpers;
SET schema_oracle.guard = off;
-- A unique index on a partitioned table names its key column as (a):
-- ComputeIndexAttrs takes the bare column, so the key is covered.
CREATE TABLE parts (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (100);
INSERT INTO parts SELECT g, g FROM generate_series(1, 99) g;
-- A partition's index dropped together with its parent index.
CREATE INDEX parts_b_idx ON parts (b);
-- A view's column renamed to a system column's name (views have none).
CREATE TABLE base (id int, a int);
INSERT INTO base VALUES (1, 1);
CREATE VIEW v AS SELECT id, a FROM base;
-- TRUNCATE of a table and a foreign table: PostgreSQL 15 truncates both
-- (the wrapper decides; postgres_fdw can).
CREATE EXTENSION postgres_fdw;
CREATE SERVER far FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'nowhere');
CREATE FOREIGN TABLE ft (a int) SERVER far;
SET schema_oracle.guard = block;
SELECT left(hint_of('CREATE UNIQUE INDEX parts_a_key ON parts ((a))'), 40) AS unique_paren_column;
SELECT left(hint_of('DROP INDEX parts_1_b_idx, parts_b_idx'), 40) AS drop_partition_index_with_parent;
SELECT left(hint_of('DROP INDEX parts_b_idx, parts_1_b_idx'), 40) AS drop_parent_index_with_partition;
SET schema_oracle.guard = warn;
BEGIN;
ALTER VIEW v RENAME COLUMN a TO xmin;
ROLLBACK;
-- ALTER VIEW / MATERIALIZED VIEW spell the renames ALTER TABLE spells: the
-- same clients break (a view's column has no add-and-backfill recipe).
CREATE MATERIALIZED VIEW mv AS SELECT id FROM base;
BEGIN;
ALTER VIEW v RENAME COLUMN id TO ident;
ALTER VIEW v RENAME TO v2;
ALTER MATERIALIZED VIEW mv RENAME TO mv2;
ROLLBACK;
-- ALTER VIEW on a table is PostgreSQL's error.
ALTER VIEW base RENAME TO base2;
-- (the foreign table's server does not exist: PostgreSQL's own error after
-- the guard's warning)
BEGIN;
TRUNCATE base, ft;
ROLLBACK;
-- ... and the statements PostgreSQL refuses stay PostgreSQL's errors.
SET schema_oracle.guard = warn;
DROP INDEX parts_1_b_idx;
ALTER TABLE base RENAME COLUMN a TO xmin;
SET schema_oracle.guard = off;
DROP SCHEMA gac CASCADE;
RESET search_path;
RESET schema_oracle.guard;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
