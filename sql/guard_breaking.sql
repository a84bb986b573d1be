-- guard_breaking: RENAME COLUMN/TABLE, DROP COLUMN/TABLE, DROP SCHEMA CASCADE,
-- ALTER SEQUENCE ... RESTART below the values issued.
SET schema_oracle.guard = warn;
SET lock_timeout = '5s';
CREATE SCHEMA gb;
SET search_path = gb;
CREATE TABLE users (id bigint, name text, legacy text);
CREATE TABLE old_things (id bigint);
CREATE SCHEMA gb_staging;
CREATE TABLE gb_staging.imports (id bigint);
-- In use: read once (an empty table nobody ever read or wrote is not in
-- use, and the breaking rules skip it: sql/guard_forms.sql).
SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM old_things) AS n \gset
SELECT pg_stat_force_next_flush() AS flushed \gset

-- Breaking rules do not depend on size: they fire on tiny tables too.
ALTER TABLE users RENAME COLUMN name TO display_name;
ALTER TABLE users RENAME TO accounts;
ALTER TABLE accounts DROP COLUMN legacy;
DROP TABLE old_things;
DROP SCHEMA gb_staging CASCADE;
-- DROP SCHEMA without CASCADE is not this rule.
CREATE SCHEMA gb_empty;
DROP SCHEMA gb_empty;

-- Silent for objects created in the same transaction.
BEGIN;
CREATE TABLE scratch (id bigint, v text);
ALTER TABLE scratch RENAME COLUMN v TO w;
ALTER TABLE scratch DROP COLUMN w;
ALTER TABLE scratch RENAME TO scratch2;
DROP TABLE scratch2;
CREATE SCHEMA gb_tmp;
DROP SCHEMA gb_tmp CASCADE;
COMMIT;

-- ALTER SEQUENCE ... RESTART back over values already issued to a column
-- (measured on PostgreSQL 15: serial PRIMARY KEY, 100 rows; RESTART WITH 50
-- and RESTART alone both make the next INSERT fail on the duplicate key;
-- setval(seq, max(id)) makes it return 101). Judged from the sequence's own
-- state (its last value), never by scanning the table.
CREATE TABLE tickets (id serial PRIMARY KEY, v int);
INSERT INTO tickets (v) SELECT g FROM generate_series(1, 100) g;
ALTER SEQUENCE tickets_id_seq RESTART WITH 50;
-- (RESTART leaves the sequence uncalled: until its next nextval() it no
-- longer records what it issued, and a second RESTART is not judged.)
SELECT setval('tickets_id_seq', 100);
ALTER SEQUENCE tickets_id_seq RESTART;
-- ... and an identity column's sequence, through ALTER TABLE.
CREATE TABLE "Badges" ("Id" int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int);
INSERT INTO "Badges" (v) SELECT g FROM generate_series(1, 10) g;
ALTER TABLE "Badges" ALTER COLUMN "Id" RESTART WITH 3;
-- ... a descending sequence goes back upwards.
CREATE SEQUENCE countdown INCREMENT BY -1 START WITH 1000 MAXVALUE 1000;
CREATE TABLE launches (n int DEFAULT nextval('countdown'));
ALTER SEQUENCE countdown OWNED BY launches.n;
INSERT INTO launches DEFAULT VALUES;
INSERT INTO launches DEFAULT VALUES;
ALTER SEQUENCE countdown RESTART WITH 1000;
-- ... a sequence a column DEFAULT draws from without owning it.
CREATE SEQUENCE invoice_numbers;
CREATE TABLE invoices (invoice_no bigint DEFAULT nextval('invoice_numbers') UNIQUE);
INSERT INTO invoices SELECT FROM generate_series(1, 5);
ALTER SEQUENCE invoice_numbers RESTART;
-- Silent: forward of everything issued; the fix as given; a sequence no
-- column owns; a table with no rows; a sequence never used; one created in
-- this transaction; a RESTART PostgreSQL refuses (its own error).
ALTER SEQUENCE tickets_id_seq RESTART WITH 500;
SELECT setval('gb.tickets_id_seq', max(id)) FROM gb.tickets;
INSERT INTO tickets (v) VALUES (0) RETURNING id;
CREATE SEQUENCE loose;
SELECT nextval('loose') AS n \gset
ALTER SEQUENCE loose RESTART;
CREATE TABLE empty_tickets (id serial PRIMARY KEY);
SELECT nextval('empty_tickets_id_seq') AS n \gset
ALTER SEQUENCE empty_tickets_id_seq RESTART;
BEGIN;
CREATE TABLE new_tickets (id serial PRIMARY KEY);
INSERT INTO new_tickets DEFAULT VALUES;
ALTER SEQUENCE new_tickets_id_seq RESTART;
ROLLBACK;
ALTER SEQUENCE tickets_id_seq RESTART WITH 0;
-- ... and in block mode it warns (a warning-level rule) but never blocks.
SET schema_oracle.guard = block;
ALTER SEQUENCE tickets_id_seq RESTART WITH 2;
SET schema_oracle.guard = warn;

SET schema_oracle.guard = off;
DROP SCHEMA gb CASCADE;
