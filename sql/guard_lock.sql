-- guard_lock: missing_lock_timeout and statement_after_access_exclusive.
SET schema_oracle.guard = warn;
CREATE SCHEMA gl;
SET search_path = gl;
CREATE TABLE hot (id bigint PRIMARY KEY, v int);
CREATE TABLE other (id bigint);
INSERT INTO hot VALUES (1, 1);
-- other is in use though empty: read once (sql/guard_forms.sql: an empty
-- table nobody ever read or wrote is not in use).
SELECT count(*) AS n FROM other \gset
SELECT pg_stat_force_next_flush() AS flushed \gset

-- lock_timeout = 0 and a lock that blocks writes: fires, at any size.
SET lock_timeout = 0;
ALTER TABLE hot ALTER COLUMN v SET DEFAULT 0;
-- A new table with a foreign key locks the referenced table SHARE ROW
-- EXCLUSIVE; so does CREATE TRIGGER: both fire.
CREATE TABLE child (id bigint, hot_id bigint REFERENCES hot (id));
CREATE FUNCTION gl.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER hot_noop BEFORE UPDATE ON hot FOR EACH ROW EXECUTE FUNCTION gl.noop();
-- CREATE TABLE ... PARTITION OF locks the parent ACCESS EXCLUSIVE until
-- the end of the transaction (PostgreSQL 15 DefineRelation: the parent's
-- partition descriptor changes): fires once the parent is in use, silent
-- while it is empty and untouched.
CREATE TABLE measures (at int, v int) PARTITION BY RANGE (at);
CREATE TABLE measures_1 PARTITION OF measures FOR VALUES FROM (0) TO (100);
INSERT INTO measures VALUES (1, 1);
CREATE TABLE measures_2 PARTITION OF measures FOR VALUES FROM (100) TO (200);
-- ... and the lock is held until COMMIT: what follows is
-- statement_after_access_exclusive.
SET lock_timeout = '5s';
BEGIN;
CREATE TABLE measures_3 PARTITION OF measures FOR VALUES FROM (200) TO (300);
INSERT INTO measures SELECT g, g FROM generate_series(200, 299) g;
COMMIT;
SET lock_timeout = 0;
-- ... but not for a table created in the same transaction.
BEGIN;
CREATE TABLE parent2 (id bigint PRIMARY KEY);
CREATE TABLE child2 (id bigint, parent_id bigint REFERENCES parent2);
CREATE TRIGGER parent2_noop BEFORE UPDATE ON parent2 FOR EACH ROW EXECUTE FUNCTION gl.noop();
COMMIT;
-- SHARE UPDATE EXCLUSIVE blocks no reads or writes: silent.
ALTER TABLE hot SET (autovacuum_enabled = off);
-- Silent with a lock_timeout.
SET lock_timeout = '5s';
ALTER TABLE hot ALTER COLUMN v SET DEFAULT 1;
-- Silent on a table created in this transaction, and when the lock is
-- already held.
SET lock_timeout = 0;
BEGIN;
CREATE TABLE fresh (id bigint);
ALTER TABLE fresh ADD COLUMN v int;
LOCK TABLE other IN ACCESS EXCLUSIVE MODE;
ALTER TABLE other ADD COLUMN v int;
COMMIT;

-- Further statements after ACCESS EXCLUSIVE on an existing table: reported
-- once per transaction.
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE hot ADD COLUMN w int;
ALTER TABLE other ADD COLUMN w int;
CREATE TABLE later (id bigint);
COMMIT;
-- One statement per transaction: silent.
ALTER TABLE hot ADD COLUMN x int;
ALTER TABLE other ADD COLUMN x int;

-- Only a lock still held counts: a statement rolled back to a savepoint, or
-- blocked by the guard, or failed in an EXCEPTION block, released its lock,
-- so the next statement is silent; the next table locked is the one reported.
BEGIN;
SAVEPOINT s;
ALTER TABLE hot ADD COLUMN y int;
ROLLBACK TO s;
ALTER TABLE other ADD COLUMN y int;
CREATE TABLE later2 (id bigint);
COMMIT;
BEGIN;
SET LOCAL schema_oracle.rule_levels = 'rename_column=block';
SAVEPOINT s;
ALTER TABLE hot RENAME COLUMN v TO v2;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
ALTER TABLE other ADD COLUMN z int;
COMMIT;
BEGIN;
DO $$
BEGIN
    ALTER TABLE gl.hot ADD COLUMN q int NOT NULL;
EXCEPTION WHEN not_null_violation THEN
    RAISE NOTICE 'ALTER TABLE failed: %', SQLERRM;
END $$;
ALTER TABLE other ADD COLUMN q int;
COMMIT;
SELECT count(*) AS hot_has_y FROM pg_attribute
WHERE attrelid = 'gl.hot'::regclass AND attname IN ('y', 'v2', 'q');

-- missing_lock_timeout is about the session, not the statement: it speaks
-- once per transaction (a migration of 20 ALTERs gets one warning), and
-- again in the next transaction.
SET lock_timeout = 0;
BEGIN;
ALTER TABLE hot ADD COLUMN m1 int;
ALTER TABLE other ADD COLUMN m1 int;
CREATE INDEX ON other (id);
ROLLBACK;
ALTER TABLE other ADD COLUMN m2 int;
RESET lock_timeout;

SET schema_oracle.guard = off;
DROP SCHEMA gl CASCADE;
