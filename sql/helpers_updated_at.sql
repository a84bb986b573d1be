-- helpers_updated_at: the set_updated_at() trigger (options, misuse, its
-- per-trigger cache across ALTER TABLE), enable_updated_at() and
-- enable_updated_at_all(), and report() recognising the trigger.
CREATE SCHEMA hlp_ua;
SET search_path = hlp_ua;
\set SHOW_CONTEXT never

CREATE TABLE items (id int PRIMARY KEY, v int, updated_at timestamptz, seen timestamp);
INSERT INTO items VALUES (1, 1, '2000-01-01', '2000-01-01'), (2, 2, NULL, NULL);

-- Default column updated_at; a timestamp (no zone) column by argument.
CREATE TRIGGER a BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
CREATE TRIGGER b BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('seen');
BEGIN;
UPDATE items SET v = v + 1;
SELECT id, updated_at = now() AS tz_is_now, seen = localtimestamp(6) AS ts_is_now,
       seen = now()::timestamp AS ts_is_local_now FROM items ORDER BY id;
-- The time zone is the session's at the time of the UPDATE.
SET LOCAL TIME ZONE 'Asia/Tokyo';
UPDATE items SET v = v + 1;
SELECT id, seen = now()::timestamp AS ts_in_tokyo FROM items ORDER BY id;
ROLLBACK;
-- An INSERT is left alone (the trigger fires on UPDATE only).
INSERT INTO items VALUES (3, 3, NULL, NULL);
SELECT updated_at IS NULL AS untouched FROM items WHERE id = 3;

-- keep_explicit: an UPDATE that sets the column keeps its value; one that
-- does not gets now(). Without it the value is always overwritten.
CREATE OR REPLACE TRIGGER a BEFORE UPDATE ON items FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at', 'keep_explicit');
BEGIN;
UPDATE items SET updated_at = '1999-01-01' WHERE id = 1;
UPDATE items SET v = 5 WHERE id = 2;
SELECT id, updated_at = '1999-01-01' AS kept, updated_at = now() AS is_now FROM items WHERE id IN (1, 2) ORDER BY id;
ROLLBACK;
CREATE OR REPLACE TRIGGER a BEFORE UPDATE ON items FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');
BEGIN;
UPDATE items SET updated_at = '1999-01-01' WHERE id = 1;
SELECT updated_at = now() AS overwritten FROM items WHERE id = 1;
ROLLBACK;

-- Clocks: transaction (now(), the default), statement, clock.
CREATE OR REPLACE TRIGGER a BEFORE UPDATE ON items FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at', 'clock');
BEGIN;
SELECT pg_sleep(0.01);
UPDATE items SET v = 1 WHERE id = 1;
SELECT updated_at > now() AS after_transaction_start, updated_at <= clock_timestamp() AS not_future
FROM items WHERE id = 1;
ROLLBACK;
CREATE OR REPLACE TRIGGER a BEFORE UPDATE ON items FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at', 'statement');
BEGIN;
SELECT pg_sleep(0.01);
UPDATE items SET v = 1 WHERE id = 1;
SELECT updated_at > now() AS after_transaction_start FROM items WHERE id = 1;
ROLLBACK;

-- BEFORE INSERT OR UPDATE: an INSERT gets now(); with keep_explicit a
-- non-NULL value given by the INSERT is kept.
CREATE TABLE events (id int, updated_at timestamptz DEFAULT '2001-01-01');
CREATE TRIGGER e BEFORE INSERT OR UPDATE ON events FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
BEGIN;
INSERT INTO events VALUES (1, DEFAULT), (2, '1990-01-01');
SELECT id, updated_at = now() AS is_now FROM events ORDER BY id;
ROLLBACK;
CREATE OR REPLACE TRIGGER e BEFORE INSERT OR UPDATE ON events FOR EACH ROW
    EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at', 'keep_explicit');
BEGIN;
INSERT INTO events VALUES (1, NULL), (2, '1990-01-01');
SELECT id, updated_at = '1990-01-01' AS kept, updated_at = now() AS is_now FROM events ORDER BY id;
ROLLBACK;

-- Misuse: clear errors, each with its SQLSTATE.
CREATE TABLE misuse (id int, updated_at timestamptz, n int, "Mixed" timestamptz,
                     g timestamptz GENERATED ALWAYS AS (updated_at) STORED);
INSERT INTO misuse (id) VALUES (1);
CREATE TRIGGER m AFTER UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE UPDATE ON misuse FOR EACH STATEMENT EXECUTE FUNCTION schema_oracle.set_updated_at();
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE DELETE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
DELETE FROM misuse;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m ON misuse;
CREATE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('missing');
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
-- Trigger arguments are matched exactly, as moddatetime does: "mixed" is not "Mixed".
CREATE OR REPLACE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at(mixed);
UPDATE misuse SET id = 1;
CREATE OR REPLACE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('Mixed');
UPDATE misuse SET id = 1;
SELECT "Mixed" IS NOT NULL AS mixed_set FROM misuse;
CREATE OR REPLACE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('n');
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
CREATE OR REPLACE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('g');
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
CREATE OR REPLACE TRIGGER m BEFORE UPDATE ON misuse FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at', 'sometimes');
UPDATE misuse SET id = 1;
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m ON misuse;
SELECT schema_oracle.set_updated_at();
\echo :LAST_ERROR_SQLSTATE
CREATE VIEW misuse_v AS SELECT * FROM misuse;
CREATE TRIGGER m INSTEAD OF UPDATE ON misuse_v FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
UPDATE misuse_v SET id = 1;
\echo :LAST_ERROR_SQLSTATE

-- The cache follows the table: the same backend, the same trigger, after
-- the column moved, changed type, or was dropped and added again.
CREATE TABLE shifty (id int, a int, updated_at timestamptz);
INSERT INTO shifty VALUES (1, 1, NULL);
CREATE TRIGGER s BEFORE UPDATE ON shifty FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
UPDATE shifty SET id = 1;
ALTER TABLE shifty DROP COLUMN a;
BEGIN;
UPDATE shifty SET updated_at = NULL;
SELECT updated_at = now() AS still_set FROM shifty;
COMMIT;
ALTER TABLE shifty ALTER COLUMN updated_at TYPE timestamp;
BEGIN;
UPDATE shifty SET id = 1;
SELECT updated_at = localtimestamp(6) AS set_as_timestamp FROM shifty;
COMMIT;
ALTER TABLE shifty ALTER COLUMN updated_at TYPE text;
UPDATE shifty SET id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shifty DROP COLUMN updated_at;
UPDATE shifty SET id = 1;
\echo :LAST_ERROR_SQLSTATE
ALTER TABLE shifty ADD COLUMN updated_at timestamptz;
BEGIN;
UPDATE shifty SET id = 1;
SELECT updated_at = now() AS set_again FROM shifty;
COMMIT;
ALTER TABLE shifty RENAME COLUMN updated_at TO changed_at;
UPDATE shifty SET id = 1;
\echo :LAST_ERROR_SQLSTATE

-- The new value is written at the column's place in a copy of the row:
-- every other column stays exactly as it was, whatever comes before it
-- (NULLs, short and long and toasted varlena, odd alignments, a dropped column).
CREATE TABLE layout (b bool, s int2, t text, gone int, n numeric, big text, c "char",
                     updated_at timestamptz, after_it text, seen timestamp);
ALTER TABLE layout DROP COLUMN gone;
INSERT INTO layout VALUES
    (true, 1, 'x', 1.5, repeat('long ', 3000), 'a', '2000-01-01', 'tail', '2000-01-01'),
    (NULL, NULL, NULL, NULL, NULL, NULL, '2000-01-01', NULL, NULL),
    (false, 2, repeat('y', 200), 12345678901234567890.5, 'short', NULL, NULL, 'z', '2000-01-01'),
    (NULL, 3, '', NULL, md5('a'), 'b', '2000-01-01', '', NULL);
CREATE TEMP TABLE layout_before AS
    SELECT ctid AS old_ctid, md5(row(b, s, t, n, big, c, after_it)::text) AS others FROM layout;
CREATE TRIGGER l BEFORE UPDATE ON layout FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
CREATE TRIGGER l2 BEFORE UPDATE ON layout FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('seen');
BEGIN;
UPDATE layout SET s = s;
SELECT count(*) AS rows, bool_and(updated_at = now()) AS all_now, bool_and(seen = localtimestamp(6)) AS seen_now,
       bool_and(md5(row(b, s, t, n, big, c, after_it)::text) IN (SELECT others FROM layout_before)) AS others_unchanged,
       count(DISTINCT md5(row(b, s, t, n, big, c, after_it)::text)) AS distinct_rows
FROM layout;
-- updated twice in one transaction: already current, the row is returned as it is
UPDATE layout SET s = s;
SELECT bool_and(updated_at = now()) AS all_now FROM layout;
COMMIT;
DROP TABLE layout;

-- A row older than ADD COLUMN does not store the column; a trigger that
-- returns OLD before ours hands such a row on.
CREATE TABLE aged (id int, note text);
INSERT INTO aged VALUES (1, 'a'), (2, NULL);
ALTER TABLE aged ADD COLUMN updated_at timestamptz DEFAULT '2000-01-01';
CREATE FUNCTION keep_old() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$;
CREATE TRIGGER a_keep_old BEFORE UPDATE ON aged FOR EACH ROW EXECUTE FUNCTION keep_old();
CREATE TRIGGER b_touch BEFORE UPDATE ON aged FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
BEGIN;
UPDATE aged SET note = 'changed';
SELECT id, note, updated_at = now() AS is_now FROM aged ORDER BY id;
ROLLBACK;
DROP TABLE aged;

-- A partitioned table: the trigger is cloned to each partition.
CREATE TABLE parted (id int, at date, updated_at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE parted_2 (updated_at timestamptz, at date, id int);  -- other column order
ALTER TABLE parted ATTACH PARTITION parted_2 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO parted VALUES (1, '2024-06-01'), (2, '2025-06-01');
CREATE TRIGGER p BEFORE UPDATE ON parted FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
BEGIN;
UPDATE parted SET id = id;
SELECT id, updated_at = now() AS is_now FROM parted ORDER BY id;
-- moving a row to another partition: it is re-inserted there, set by the
-- BEFORE UPDATE trigger of the partition it came from
UPDATE parted SET at = '2025-02-01', updated_at = NULL WHERE id = 1;
SELECT id, tableoid::regclass, updated_at = now() AS is_now FROM parted ORDER BY id;
ROLLBACK;

-- A non-superuser owner uses it on their own table.
SET ROLE so_app;
CREATE TABLE public.hlp_ua_owned (id int, updated_at timestamptz);
INSERT INTO public.hlp_ua_owned VALUES (1, NULL);
CREATE TRIGGER o BEFORE UPDATE ON public.hlp_ua_owned FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
UPDATE public.hlp_ua_owned SET id = 2;
SELECT updated_at IS NOT NULL AS set_by_non_superuser FROM public.hlp_ua_owned;
DROP TABLE public.hlp_ua_owned;
RESET ROLE;

-- enable_updated_at(): validates, creates set_<column>, is idempotent.
CREATE TABLE orders (id int PRIMARY KEY, note text, updated_at timestamptz, "Changed At" timestamp, n int);
CALL schema_oracle.enable_updated_at('orders');
CALL schema_oracle.enable_updated_at('orders');
CALL schema_oracle.enable_updated_at('orders', 'Changed At', on_insert => true, clock => 'clock');
CALL schema_oracle.enable_updated_at('orders', 'Changed At', on_insert => true, clock => 'clock');
-- different options: the same trigger, replaced in place
CALL schema_oracle.enable_updated_at('orders', 'Changed At', keep_explicit => true);
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'orders'::regclass ORDER BY tgname;
CALL schema_oracle.enable_updated_at('orders', 'nope');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.enable_updated_at('orders', 'n');
\echo :LAST_ERROR_SQLSTATE
CALL schema_oracle.enable_updated_at('orders', clock => 'sundial');
\echo :LAST_ERROR_SQLSTATE
CREATE VIEW orders_v AS SELECT * FROM orders;
CALL schema_oracle.enable_updated_at('orders_v');
\echo :LAST_ERROR_SQLSTATE
BEGIN;
CALL schema_oracle.enable_updated_at('orders');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
-- a trigger named set_updated_at that runs something else is left alone
CREATE TABLE other_trigger (id int, updated_at timestamptz);
CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON other_trigger FOR EACH ROW EXECUTE FUNCTION noop();
CALL schema_oracle.enable_updated_at('other_trigger');
\echo :LAST_ERROR_SQLSTATE
DROP TABLE other_trigger;
BEGIN;
UPDATE orders SET note = 'x';
COMMIT;

-- report() recognises set_updated_at: no argument = updated_at; an argument
-- naming another column does not maintain updated_at.
CREATE TABLE rec_default (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER r BEFORE UPDATE ON rec_default FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
CREATE TABLE rec_other (id int PRIMARY KEY, updated_at timestamptz, modified_at timestamptz);
CREATE TRIGGER r BEFORE UPDATE ON rec_other FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at('modified_at');
CREATE TABLE rec_after (id int PRIMARY KEY, updated_at timestamptz);
CREATE TRIGGER r AFTER UPDATE ON rec_after FOR EACH ROW EXECUTE FUNCTION schema_oracle.set_updated_at();
CREATE TABLE rec_none (id int PRIMARY KEY, updated_at timestamptz, updated_on date);
DROP TABLE misuse CASCADE;
DROP TABLE shifty;
SELECT object_identity, detail
FROM schema_oracle.report(include_schemas => '{hlp_ua}', rules => '{updated_at_no_trigger}')
ORDER BY object_identity;

-- enable_updated_at_all(): every flagged column, printed; then none.
CALL schema_oracle.enable_updated_at_all(include_schemas => '{hlp_ua}', dry_run => true);
CALL schema_oracle.enable_updated_at_all(include_schemas => '{hlp_ua}');
SELECT object_identity
FROM schema_oracle.report(include_schemas => '{hlp_ua}', rules => '{updated_at_no_trigger}');
CALL schema_oracle.enable_updated_at_all(include_schemas => '{hlp_ua}');
SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = 'hlp_ua'::regnamespace AND t.tgname LIKE 'set\_%' ORDER BY 1, 2;

RESET search_path;
DROP SCHEMA hlp_ua CASCADE;
