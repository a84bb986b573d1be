-- check_dml: schema_oracle.check() follows the DML of a migration file the
-- way the live guard's ExecutorStart hook judges it:
-- statement_after_access_exclusive for any DML or SELECT while the file's
-- transaction holds ACCESS EXCLUSIVE on an existing table (the "add a
-- column, then backfill it in the same transaction" mistake), and
-- large_dml_in_migration for an UPDATE / DELETE of every row (no WHERE, no
-- FROM / USING) in a transaction that ran DDL: without planning (which
-- would fold the user's functions) that is the one row count check() knows.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;   -- every existing table counts as big
SET lock_timeout = '5s';
CREATE SCHEMA cd;
SET search_path = cd;
CREATE TABLE accounts (id bigint PRIMARY KEY, plan text, credit int);
INSERT INTO accounts SELECT g, 'free', 0 FROM generate_series(1, 5000) g;
CREATE TABLE events (id bigint, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events SELECT g, date '2025-01-01' + g % 700 FROM generate_series(1, 3000) g;
CREATE TABLE never_analyzed (id bigint PRIMARY KEY);
ANALYZE accounts, events, events_2025, events_2026;
CREATE FUNCTION cd.f(migration text, tx text DEFAULT 'single')
RETURNS TABLE(stmt int, rule text, level text, lock_mode text, lock_on text, message text)
LANGUAGE sql AS $$
    SELECT statement, rule, level, lock_mode, lock_on, message
    FROM schema_oracle.check(migration, tx) $$;

-- Add a column, then backfill it in the same transaction: the UPDATE keeps
-- the ACCESS EXCLUSIVE lock for as long as it runs, and holds a row lock on
-- every row until COMMIT. The fix is the batched backfill, with the
-- statement's own SET (and WHERE: true).
SELECT * FROM cd.f($$
ALTER TABLE accounts ADD COLUMN tier int;
UPDATE accounts SET tier = 1;
SELECT count(*) FROM accounts;
$$);
SELECT fix FROM schema_oracle.check($$
ALTER TABLE accounts ADD COLUMN tier int;
UPDATE accounts SET tier = 1;
$$) WHERE rule = 'large_dml_in_migration';

-- A WHERE clause: check() does not know how many rows it matches (only the
-- planner would), so only the held lock speaks.
SELECT * FROM cd.f($$
ALTER TABLE accounts ADD COLUMN tier int;
UPDATE accounts SET tier = 1 WHERE plan = 'pro';
$$);

-- UPDATE ... FROM and DELETE ... USING join: their row count is unknown too.
SELECT * FROM cd.f($$
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
UPDATE accounts a SET credit = 1 FROM (VALUES (1)) v(x);
DELETE FROM accounts USING (VALUES (1)) v(x);
$$);

-- Every statement its own transaction: no DDL before the UPDATE in its
-- transaction, so it is not a migration's DML; likewise a file without DDL.
SELECT * FROM cd.f($$
ALTER TABLE accounts ADD COLUMN tier int;
UPDATE accounts SET tier = 1;
$$, 'per_statement');
SELECT * FROM cd.f($$
UPDATE accounts SET credit = 0;
$$);

-- BEGIN / COMMIT as written: the DDL's transaction ended before the UPDATE.
SELECT * FROM cd.f($$
BEGIN;
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
COMMIT;
UPDATE accounts SET credit = 0;
BEGIN;
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 1;
UPDATE accounts SET credit = 1;
DELETE FROM accounts;
COMMIT;
$$, 'as_written');

-- Only DDL that fires event triggers makes a transaction a migration, as
-- live: LOCK TABLE takes ACCESS EXCLUSIVE (the held lock speaks) but is not
-- DDL.
SELECT * FROM cd.f($$
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
UPDATE accounts SET credit = 0;
$$);

-- A table the file created is new: nobody else waits on its rows. A table
-- never analyzed has no row estimate: silent, as the planner's guess is not
-- the guard's to make.
SELECT * FROM cd.f($$
CREATE TABLE fresh (id bigint PRIMARY KEY, v int);
INSERT INTO fresh SELECT g, g FROM generate_series(1, 10) g;
UPDATE fresh SET v = 0;
UPDATE never_analyzed SET id = id;
$$);

-- A partitioned table: the rows of its partitions, summed; the batched
-- DELETE keys on the primary key (ctid repeats across partitions). ONLY a
-- partitioned table has no rows of its own.
SELECT * FROM cd.f($$
CREATE INDEX events_at_idx ON events_2025 (at);
DELETE FROM events;
DELETE FROM ONLY events;
$$);
SELECT fix FROM schema_oracle.check($$
CREATE INDEX events_at_idx ON events_2025 (at);
DELETE FROM events;
$$) WHERE rule = 'large_dml_in_migration';

-- Said once per transaction and table, as live; a waiver comment waives it
-- (a notice); a rule turned off gives no row; below the size threshold it
-- is silent.
SELECT * FROM cd.f($$
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
UPDATE accounts SET credit = 0;
UPDATE accounts SET credit = 1;
$$);
SELECT stmt, rule, level FROM cd.f($$
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
-- schema_oracle: allow large_dml_in_migration -- accounts is a lookup table, 5000 rows
UPDATE accounts SET credit = 0;
$$);
SET schema_oracle.rule_levels = 'large_dml_in_migration=off';
SELECT * FROM cd.f($$
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
UPDATE accounts SET credit = 0;
$$);
RESET schema_oracle.rule_levels;
SET schema_oracle.size_threshold = '1GB';
SELECT * FROM cd.f($$
ALTER TABLE accounts ALTER COLUMN credit SET DEFAULT 0;
UPDATE accounts SET credit = 0;
$$);
RESET schema_oracle.size_threshold;

-- A statement that only changes the catalog of a table the transaction
-- already holds locked adds no lock time, and is not told to commit first
-- (as live): Django's DROP DEFAULT after ADD COLUMN ... DEFAULT. The
-- foreign key after it locks accounts and scans never_analyzed: it is.
SELECT stmt, rule FROM cd.f($$
ALTER TABLE accounts ADD COLUMN active boolean DEFAULT true NOT NULL;
ALTER TABLE accounts ALTER COLUMN active DROP DEFAULT;
ALTER TABLE never_analyzed ADD COLUMN account_id bigint REFERENCES accounts;
$$);

-- The live guard, on the same migration, says the same.
SET schema_oracle.size_threshold = 0;
SET client_min_messages = warning;
BEGIN;
ALTER TABLE accounts ADD COLUMN tier int;
UPDATE accounts SET tier = 1;
ROLLBACK;
BEGIN;
ALTER TABLE accounts ADD COLUMN active boolean DEFAULT true NOT NULL;
ALTER TABLE accounts ALTER COLUMN active DROP DEFAULT;
ALTER TABLE never_analyzed ADD COLUMN account_id bigint REFERENCES accounts;
ROLLBACK;
RESET client_min_messages;

RESET schema_oracle.size_threshold;
SET schema_oracle.guard = off;
DROP SCHEMA cd CASCADE;
