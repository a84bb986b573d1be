-- check_overlay: schema_oracle.check() judges statements that depend on
-- earlier ones in the same file: tables created earlier are new, columns
-- added earlier exist with their type, NOT VALID then VALIDATE, SET
-- lock_timeout earlier, BEGIN/COMMIT in the file, and each transaction mode.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;   -- every existing table counts as big
SET lock_timeout = 0;
CREATE SCHEMA co;
SET search_path = co;
CREATE TABLE hot (id bigint PRIMARY KEY, name text, price int);
INSERT INTO hot VALUES (1, 'a', 1);
CREATE TABLE cold (id bigint PRIMARY KEY);
-- cold is empty but in use: read once (an empty table nobody ever read or
-- wrote is not in use, for check() as for the live guard).
SELECT count(*) AS n FROM cold \gset
SELECT pg_stat_force_next_flush() AS flushed \gset
-- A compact view of the findings: the rule, where, the level and the lock.
CREATE FUNCTION co.f(migration text, tx text DEFAULT 'single')
RETURNS TABLE(stmt int, line int, col int, rule text, level text, lock_mode text, lock_on text)
LANGUAGE sql AS $$
    SELECT statement, line, col, rule, level, lock_mode, lock_on
    FROM schema_oracle.check(migration, tx) $$;

-- A table created earlier in the file is new: only type hygiene speaks.
SELECT * FROM co.f($$
CREATE TABLE fresh (id bigint PRIMARY KEY, payload json);
CREATE INDEX fresh_payload_idx ON fresh ((payload::text));
ALTER TABLE fresh ADD COLUMN required int NOT NULL;
ALTER TABLE fresh ADD COLUMN seen timestamp;
ALTER TABLE fresh RENAME COLUMN seen TO seen_at;
DROP TABLE fresh;
$$);

-- ... and the same statements on an existing table do speak.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
CREATE INDEX hot_name_idx ON hot (name);
ALTER TABLE hot ADD COLUMN required int NOT NULL;
$$);

-- A column added earlier exists with its type: SET NOT NULL scans the big
-- table, a type change of it is judged, an index on it is no unknown object.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
ALTER TABLE hot ADD COLUMN flag int;
ALTER TABLE hot ALTER COLUMN flag SET NOT NULL;
ALTER TABLE hot ALTER COLUMN flag TYPE bigint;
CREATE INDEX CONCURRENTLY hot_flag_idx ON hot (flag);
$$, 'per_statement');

-- A column dropped or renamed earlier is gone.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
-- schema_oracle: allow drop_column -- not read since v41
ALTER TABLE hot DROP COLUMN price;
ALTER TABLE hot ALTER COLUMN price SET NOT NULL;
-- schema_oracle: allow rename_column -- clients moved to title in v42
ALTER TABLE hot RENAME COLUMN name TO title;
CREATE INDEX CONCURRENTLY hot_name_idx2 ON hot (name);
CREATE INDEX CONCURRENTLY hot_title_idx ON hot (title);
$$, 'as_written');

-- NOT VALID, then VALIDATE in the same transaction: the strong lock of the
-- ADD CONSTRAINT is still held. In separate transactions: silent.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
ALTER TABLE hot ADD CONSTRAINT hot_price_positive CHECK (price > 0) NOT VALID;
ALTER TABLE hot VALIDATE CONSTRAINT hot_price_positive;
$$, 'single');
SELECT * FROM co.f($$
SET lock_timeout = '5s';
ALTER TABLE hot ADD CONSTRAINT hot_price_positive CHECK (price > 0) NOT VALID;
ALTER TABLE hot VALIDATE CONSTRAINT hot_price_positive;
$$, 'per_statement');
SELECT * FROM co.f($$
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE hot ADD CONSTRAINT hot_id_fk FOREIGN KEY (id) REFERENCES cold (id) NOT VALID;
COMMIT;
ALTER TABLE hot VALIDATE CONSTRAINT hot_id_fk;
$$, 'as_written');

-- lock_timeout: missing, said once per transaction; SET earlier silences
-- it; SET LOCAL lasts until the end of its transaction; RESET undoes it.
SELECT * FROM co.f($$
ALTER TABLE hot ALTER COLUMN name SET DEFAULT 'x';
ALTER TABLE cold ALTER COLUMN id SET DEFAULT 1;
$$);
SELECT * FROM co.f($$
ALTER TABLE hot ALTER COLUMN name SET DEFAULT 'x';
ALTER TABLE cold ALTER COLUMN id SET DEFAULT 1;
$$, 'per_statement');
SELECT * FROM co.f($$
BEGIN;
SET LOCAL lock_timeout = '2s';
ALTER TABLE hot ALTER COLUMN name SET DEFAULT 'x';
COMMIT;
ALTER TABLE hot ALTER COLUMN name SET DEFAULT 'y';
SET lock_timeout = '5s';
ALTER TABLE hot ALTER COLUMN name SET DEFAULT 'z';
RESET lock_timeout;
ALTER TABLE cold ALTER COLUMN id SET DEFAULT 1;
$$, 'as_written');

-- CONCURRENTLY: fails inside a transaction (single, or BEGIN in the file),
-- fine on its own.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY hot_name_c ON hot (name);
$$, 'single');
SELECT * FROM co.f($$
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY hot_name_c ON hot (name);
BEGIN;
DROP INDEX CONCURRENTLY hot_name_c;
ROLLBACK;
DROP INDEX CONCURRENTLY hot_name_c;
$$, 'as_written');
-- ... also on a table the file created in the same transaction.
SELECT * FROM co.f($$
CREATE TABLE fresh (id bigint);
CREATE INDEX CONCURRENTLY fresh_id ON fresh (id);
$$, 'single');

-- A table created in an earlier transaction of the file exists (empty) when
-- a later one runs: breaking rules apply to it again.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
CREATE TABLE fresh (id bigint, name text);
ALTER TABLE fresh RENAME COLUMN name TO title;
$$, 'per_statement');

-- ROLLBACK in the file undoes what the block created.
SELECT * FROM co.f($$
BEGIN;
CREATE TABLE gone (id bigint);
ROLLBACK;
ALTER TABLE gone ADD COLUMN x int;
$$, 'as_written');

-- A table renamed earlier: the old name is unknown, the new one is the
-- same (big) table.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
-- schema_oracle: allow rename_table -- views keep the old name until v43
ALTER TABLE cold RENAME TO frozen;
CREATE INDEX cold_id_idx ON cold (id);
CREATE INDEX frozen_id_idx ON frozen (id);
$$);

-- Statement after ACCESS EXCLUSIVE on an existing table, once per transaction.
SELECT * FROM co.f($$
SET lock_timeout = '5s';
ALTER TABLE hot ADD COLUMN a int;
ALTER TABLE cold ADD COLUMN b int;
ALTER TABLE cold ADD COLUMN c int;
$$);

-- Several files in order (the text[] form): each is a migration of its own,
-- and what an earlier one creates exists, committed, for the later ones.
SELECT migration, statement, line, rule, level
FROM schema_oracle.check(ARRAY[$$SET lock_timeout = '5s';
CREATE TABLE t2 (id bigint, name text);
CREATE INDEX t2_name ON t2 (name);$$,
$$ALTER TABLE t2 RENAME COLUMN name TO title;
CREATE INDEX CONCURRENTLY t2_id ON t2 (id);$$], 'single');

-- A foreign key needs an index covering it by the time its transaction
-- commits: one created later in the same transaction counts, as does one in
-- the database or a primary key that leads with the column; a rolled-back
-- foreign key is gone.
SET schema_oracle.guard = off;
CREATE TABLE co.child (id bigint PRIMARY KEY, hot_id bigint, cold_id bigint);
CREATE INDEX child_cold ON co.child (cold_id);
SET schema_oracle.guard = warn;
SELECT stmt, line, rule FROM co.f($$
SET lock_timeout = '5s';
CREATE TABLE orders (id bigint PRIMARY KEY, hot_id bigint REFERENCES hot);
ALTER TABLE child ADD CONSTRAINT child_hot_fk FOREIGN KEY (hot_id) REFERENCES hot NOT VALID;
ALTER TABLE child ADD CONSTRAINT child_cold_fk FOREIGN KEY (cold_id) REFERENCES cold NOT VALID;
CREATE TABLE items (order_id bigint REFERENCES orders, n bigint, PRIMARY KEY (order_id, n));
CREATE TABLE lines (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);
CREATE INDEX ON lines (order_id);
CREATE TABLE notes (id bigint PRIMARY KEY, order_id bigint REFERENCES orders);
CREATE INDEX notes_partial ON notes (order_id) WHERE id > 0;
$$);
SELECT statement, excerpt, message, fix FROM schema_oracle.check($$
CREATE TABLE orders (id bigint PRIMARY KEY, hot_id bigint REFERENCES hot);
$$) WHERE rule = 'fk_missing_index';
SELECT stmt, rule FROM co.f($$
SET lock_timeout = '5s';
BEGIN;
ALTER TABLE child ADD CONSTRAINT child_hot_fk FOREIGN KEY (hot_id) REFERENCES hot NOT VALID;
ROLLBACK;
BEGIN;
ALTER TABLE child ADD CONSTRAINT child_hot_fk FOREIGN KEY (hot_id) REFERENCES hot NOT VALID;
COMMIT;
CREATE INDEX CONCURRENTLY child_hot ON child (hot_id);
$$, 'as_written');
-- Dropping either table drops the foreign key (CASCADE on the referenced side).
SELECT stmt, rule FROM co.f($$
SET lock_timeout = '5s';
CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (a_id bigint REFERENCES a);
CREATE TABLE c (a_id bigint REFERENCES a);
DROP TABLE b;
DROP TABLE a CASCADE;
$$);
-- A later DROP INDEX of an unnamed index uses the name PostgreSQL gives it.
SELECT stmt, rule FROM co.f($$
CREATE INDEX ON hot (name);
DROP INDEX hot_name_idx;
$$, 'per_statement');

-- The full row: message, detail and fix are the live guard's.
SELECT statement, excerpt, rule, severity, level, message, detail, fix
FROM schema_oracle.check($$ALTER TABLE hot ALTER COLUMN price TYPE numeric;$$);

-- Names may contain any byte but NUL: a table the file creates in schema
-- "co<U+001F>x" named "hot" is not the existing co."x<U+001F>hot", whose
-- ALTER takes its ACCESS EXCLUSIVE lock and still speaks.
CREATE SCHEMA U&"co\001Fx";
CREATE TABLE co.U&"x\001Fhot" (id bigint PRIMARY KEY);
INSERT INTO co.U&"x\001Fhot" VALUES (1);
SELECT pg_stat_force_next_flush() AS flushed \gset
SELECT stmt, rule FROM co.f($$
SET lock_timeout = '5s';
CREATE TABLE U&"co\001Fx".hot (id bigint PRIMARY KEY);
ALTER TABLE co.U&"x\001Fhot" ADD COLUMN required int NOT NULL;
$$);
DROP SCHEMA U&"co\001Fx" CASCADE;

-- A partitioned table's CREATE INDEX attaches a partition's existing
-- matching index, as PostgreSQL would; not one the file dropped or renamed
-- earlier (then the partition gets a new one).
SET schema_oracle.guard = off;
CREATE TABLE part (id bigint, a int) PARTITION BY RANGE (id);
CREATE TABLE part_1 PARTITION OF part FOR VALUES FROM (0) TO (100);
CREATE TABLE part_2 PARTITION OF part FOR VALUES FROM (100) TO (200);
CREATE INDEX part_1_a ON part_1 (a);
CREATE INDEX part_2_a ON part_2 (a);
INSERT INTO part VALUES (1, 1), (101, 1);
SET schema_oracle.guard = warn;
SELECT statement, fix FROM schema_oracle.check($$
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY part_1_a;
ALTER INDEX part_2_a RENAME TO part_2_a_old;
CREATE INDEX part_a ON part ((a));
$$, 'per_statement') WHERE rule = 'create_index_not_concurrently';
SELECT statement, fix FROM schema_oracle.check($$
SET lock_timeout = '5s';
CREATE INDEX part_a ON part ((a));
$$) WHERE rule = 'create_index_not_concurrently';
SET schema_oracle.guard = off;
DROP TABLE part;
SET schema_oracle.guard = warn;

SET schema_oracle.guard = off;
DROP SCHEMA co CASCADE;
RESET search_path;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
