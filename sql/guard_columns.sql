-- guard_columns: ADD COLUMN, ALTER COLUMN TYPE, SET NOT NULL, table_rewrite.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
SET timezone = 'UTC';
CREATE SCHEMA gc;
SET search_path = gc;
CREATE TABLE items (id bigint PRIMARY KEY, name varchar(20), price numeric(10,2),
                    code char(5), doc jsonb, seen timestamp, qty int);
INSERT INTO items VALUES (1, 'a', 1.50, 'x', '{}', '2026-01-01', 1), (2, 'b', 2.50, 'y', '[]', '2026-01-02', 2);
ANALYZE items;

-- ADD COLUMN with a volatile default: fires, for each kind of volatility.
ALTER TABLE items ADD COLUMN r float8 DEFAULT random();
ALTER TABLE items ADD COLUMN t timestamptz DEFAULT clock_timestamp();
ALTER TABLE items ADD COLUMN u uuid DEFAULT gen_random_uuid();
CREATE SEQUENCE items_seq;
ALTER TABLE items ADD COLUMN n bigint DEFAULT nextval('items_seq');
ALTER TABLE items ADD COLUMN s bigserial;
ALTER TABLE items ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY;
-- GENERATED ... STORED: fires.
CREATE TABLE prices (price numeric, qty int);
INSERT INTO prices VALUES (1, 2);
ALTER TABLE prices ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;
-- Safe: constants, now(), casts, no default at all.
ALTER TABLE items ADD COLUMN c1 int DEFAULT 0;
ALTER TABLE items ADD COLUMN c2 timestamptz DEFAULT now();
ALTER TABLE items ADD COLUMN c3 text DEFAULT 'x'::text || 'y';
ALTER TABLE items ADD COLUMN c4 text;

-- NOT NULL without a default: fires on a table with rows, silent when empty
-- and when a default is given.
ALTER TABLE items ADD COLUMN must text NOT NULL;
ALTER TABLE items ADD COLUMN must text NOT NULL DEFAULT 'x';
CREATE TABLE empty_one (id bigint);
ALTER TABLE empty_one ADD COLUMN must text NOT NULL;

-- ALTER COLUMN TYPE, decided as PostgreSQL decides.
-- Silent (no rewrite):
ALTER TABLE items ALTER COLUMN name TYPE varchar(40);
ALTER TABLE items ALTER COLUMN name TYPE text;
ALTER TABLE items ALTER COLUMN price TYPE numeric(12,2);
ALTER TABLE items ALTER COLUMN seen TYPE timestamptz;
-- Fires (rewrite):
ALTER TABLE items ALTER COLUMN qty TYPE bigint;
CREATE TABLE shrink (v varchar(20), c char(5), p numeric(10,2), j jsonb, k int);
INSERT INTO shrink VALUES ('a', 'b', 1, '{}', 1);
ALTER TABLE shrink ALTER COLUMN v TYPE varchar(5);
ALTER TABLE shrink ALTER COLUMN c TYPE text;
ALTER TABLE shrink ALTER COLUMN p TYPE numeric(10,3);
ALTER TABLE shrink ALTER COLUMN j TYPE json;
ALTER TABLE shrink ALTER COLUMN k TYPE int USING k + 1;
-- A USING that reduces to the column is no rewrite by itself.
ALTER TABLE shrink ALTER COLUMN k TYPE int USING k;
ALTER TABLE shrink ALTER COLUMN k TYPE int USING k::integer;
ALTER TABLE shrink ALTER COLUMN v TYPE text USING v::text;
-- timestamp -> timestamptz rewrites when the session time zone is not UTC.
SET timezone = 'Europe/Paris';
CREATE TABLE stamps (at timestamp);
INSERT INTO stamps VALUES ('2026-01-01');
ALTER TABLE stamps ALTER COLUMN at TYPE timestamptz;
SET timezone = 'UTC';

-- SET NOT NULL: fires without a validated CHECK; silent with one, and when
-- the column is already NOT NULL.
ALTER TABLE items ALTER COLUMN code SET NOT NULL;
ALTER TABLE items ADD CONSTRAINT items_code_nn CHECK (code IS NOT NULL) NOT VALID;
ALTER TABLE items ALTER COLUMN code SET NOT NULL;
ALTER TABLE items VALIDATE CONSTRAINT items_code_nn;
ALTER TABLE items ALTER COLUMN code SET NOT NULL;
ALTER TABLE items ALTER COLUMN id SET NOT NULL;

-- Names that need quoting are quoted in the safe statements, new names too.
CREATE TABLE "Mixed Case" ("Id" bigint);
INSERT INTO "Mixed Case" VALUES (1);
ALTER TABLE "Mixed Case" ALTER COLUMN "Id" SET NOT NULL;
ALTER TABLE "Mixed Case" ALTER COLUMN "Id" TYPE int;

-- The table_rewrite backstop: a rewrite no rule judged at ddl_command_start
-- (here ALTER TYPE of a composite type rewrites the table typed by it).
CREATE TYPE pair AS (a int, b int);
CREATE TABLE typed OF pair;
INSERT INTO typed VALUES (1, 2);
ALTER TYPE pair ALTER ATTRIBUTE a TYPE bigint CASCADE;
-- A rewrite a rule already judged is not reported twice (one warning above
-- for ALTER COLUMN qty TYPE bigint, none from the backstop).
-- In block mode the backstop stops the rewrite before the new heap is built.
SET schema_oracle.guard = block;
ALTER TYPE pair ALTER ATTRIBUTE b TYPE bigint CASCADE;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT format_type(atttypid, atttypmod) AS b_type FROM pg_attribute
WHERE attrelid = 'typed'::regclass AND attname = 'b';
SET schema_oracle.guard = warn;

SET schema_oracle.guard = off;
DROP SCHEMA gc CASCADE;
