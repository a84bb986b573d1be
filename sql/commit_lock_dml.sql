-- commit_lock_dml: the guard's former gaps: statement_after_access_exclusive
-- also sees DML and SELECT (the ExecutorStart hook), and LOCK TABLE obeys
-- the lock discipline (missing_lock_timeout, the ACCESS EXCLUSIVE note).
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
CREATE SCHEMA cld;
SET search_path = cld;
CREATE TABLE big (id bigint PRIMARY KEY, v int) WITH (autovacuum_enabled = off);
INSERT INTO big SELECT g, g FROM generate_series(1, 100) g;
SET lock_timeout = '5s';

-- The "add a column, then backfill in the same transaction" mistake: the
-- UPDATE runs while ACCESS EXCLUSIVE holds every reader off.
BEGIN;
ALTER TABLE big ADD COLUMN flag boolean;
UPDATE big SET flag = true WHERE id <= 50;
SELECT count(*) FROM big;  -- said once per transaction and lock
COMMIT;

-- A plain SELECT after the lock is a statement that holds it longer too.
BEGIN;
ALTER TABLE big RENAME COLUMN flag TO seen;
SELECT count(*) FROM big WHERE seen;
ROLLBACK;

-- Without such a lock, DML is not judged.
BEGIN;
UPDATE big SET v = v + 1 WHERE id = 1;
COMMIT;

-- LOCK TABLE in a blocking mode without lock_timeout: missing_lock_timeout.
RESET lock_timeout;
BEGIN;
LOCK TABLE big IN ACCESS EXCLUSIVE MODE;
-- and what follows while it is held is statement_after_access_exclusive.
DELETE FROM big WHERE id = 100;
ROLLBACK;
BEGIN;
LOCK TABLE big IN SHARE MODE;
ROLLBACK;
-- Modes that block no ordinary reader or writer, NOWAIT (it never queues)
-- and a lock_timeout are silent.
BEGIN;
LOCK TABLE big IN ROW EXCLUSIVE MODE;
ROLLBACK;
BEGIN;
LOCK TABLE big IN ACCESS EXCLUSIVE MODE NOWAIT;
ROLLBACK;
SET lock_timeout = '5s';
BEGIN;
LOCK TABLE big IN ACCESS EXCLUSIVE MODE;
COMMIT;
-- A table created in the transaction is nobody else's yet.
BEGIN;
CREATE TABLE fresh (id int);
LOCK TABLE fresh IN ACCESS EXCLUSIVE MODE;
INSERT INTO fresh VALUES (1);
COMMIT;
-- The guard off: nothing.
SET schema_oracle.guard = off;
BEGIN;
LOCK TABLE big IN ACCESS EXCLUSIVE MODE;
SELECT count(*) FROM big;
COMMIT;
SET schema_oracle.guard = warn;

-- large_dml_in_migration: an UPDATE / DELETE in a transaction that ran DDL,
-- judged from the planner's estimate against the size threshold, with the
-- batched alternative built from its own SET and WHERE.
ANALYZE big;
BEGIN;
ALTER TABLE big ADD COLUMN status text;
COMMIT;
BEGIN;
COMMENT ON COLUMN big.status IS 'workflow state';
UPDATE big SET status = 'new' WHERE status IS NULL AND id > 0;
DELETE FROM big WHERE id > 90;
COMMIT;
-- Silent: below the threshold, no DDL in the transaction, a new table, waived.
SET schema_oracle.size_threshold = '1GB';
BEGIN;
COMMENT ON COLUMN big.status IS 'state';
UPDATE big SET status = 'old';
COMMIT;
SET schema_oracle.size_threshold = 0;
UPDATE big SET status = 'new';
BEGIN;
CREATE TABLE staging AS SELECT * FROM big;
UPDATE staging SET status = 'x';
SELECT schema_oracle.allow('large_dml_in_migration', 'big has 100 rows');
UPDATE big SET status = 'y';
COMMIT;
-- Blocked: the UPDATE never runs.
SET schema_oracle.rule_levels = 'large_dml_in_migration=block';
BEGIN;
COMMENT ON COLUMN big.status IS 'workflow state';
UPDATE big SET status = 'z';
ROLLBACK;
RESET schema_oracle.rule_levels;

-- A partitioned table: judged and named at its root (ModifyTable's
-- rootRelation, not the first partition it changes), sized from those
-- partitions; the batched DELETE keys on the primary key, since a ctid
-- repeats across partitions. Without a primary key: no recipe.
CREATE TABLE pbig (id bigint, region int, note text, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
CREATE TABLE pbig_1 PARTITION OF pbig FOR VALUES IN (1);
CREATE TABLE pbig_2 PARTITION OF pbig FOR VALUES IN (2);
INSERT INTO pbig SELECT g, 1 + g % 2, 'x' FROM generate_series(1, 200) g;
CREATE TABLE pnokey (id bigint, region int) PARTITION BY LIST (region);
CREATE TABLE pnokey_1 PARTITION OF pnokey FOR VALUES IN (1);
INSERT INTO pnokey SELECT g, 1 FROM generate_series(1, 200) g;
ANALYZE pbig, pnokey;
BEGIN;
COMMENT ON TABLE pbig IS 'partitioned';
UPDATE pbig SET note = 'y' WHERE id > 0;
COMMIT;
BEGIN;
COMMENT ON TABLE pbig IS 'partitioned';
DELETE FROM pbig WHERE id > 190;
COMMIT;
BEGIN;
COMMENT ON TABLE pnokey IS 'partitioned, no key';
DELETE FROM pnokey WHERE id > 190;
COMMIT;

RESET search_path;
SET client_min_messages = error;
DROP SCHEMA cld CASCADE;
RESET client_min_messages;
RESET schema_oracle.size_threshold;
