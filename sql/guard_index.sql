-- guard_index: CREATE/DROP INDEX, REINDEX and CONCURRENTLY in a transaction.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gi;
SET search_path = gi;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note text);
INSERT INTO orders SELECT g, g % 10, 'n' FROM generate_series(1, 100) g;
ANALYZE orders;

-- Fires: a plain CREATE INDEX on an existing table.
CREATE INDEX orders_customer_idx ON orders (customer_id);
-- Fires with the generated name, the method, expressions and the predicate.
CREATE UNIQUE INDEX ON orders USING btree (lower(note), id DESC) WHERE customer_id > 3;
-- Silent: CONCURRENTLY outside a transaction block.
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);

-- Fires: USING rtree, which PostgreSQL builds as gist (and the hint says so).
CREATE TABLE shapes (id bigint PRIMARY KEY, area box);
INSERT INTO shapes VALUES (1, box(point(0, 0), point(1, 1)));
ANALYZE shapes;
BEGIN;
CREATE INDEX shapes_area_idx ON shapes USING rtree (area);
ROLLBACK;

-- Fires: CONCURRENTLY inside a transaction block (it would fail anyway).
BEGIN;
CREATE INDEX CONCURRENTLY orders_note2_idx ON orders (note);
ROLLBACK;

-- Silent: the table was created in this transaction.
BEGIN;
CREATE TABLE fresh (id bigint, v int);
CREATE INDEX fresh_v_idx ON fresh (v);
DROP INDEX fresh_v_idx;
COMMIT;

-- DROP INDEX: fires without CONCURRENTLY; silent with it.
DROP INDEX orders_customer_idx;
DROP INDEX CONCURRENTLY orders_note_idx;

-- A partitioned table: one finding for the parent, and a hint that works
-- (CONCURRENTLY is not possible on a partitioned parent).
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO events VALUES (1, '2025-05-05'), (2, '2026-06-06');
CREATE INDEX events_at_idx ON events (at);
-- The hint spells out every partition, sub-partitions too (their own ON
-- ONLY index, attached once their partitions are), each index named as
-- PostgreSQL names it (ev_2026_kind_idx is taken: ev_2026_kind_idx1);
-- pasted, it ends with one valid index on each.
CREATE TABLE ev (id bigint, at date, kind text) PARTITION BY RANGE (at);
CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (kind);
CREATE TABLE ev_2025_a PARTITION OF ev_2025 FOR VALUES IN ('a');
CREATE TABLE ev_2025_b PARTITION OF ev_2025 FOR VALUES IN ('b');
CREATE TABLE ev_2026 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE ev_2026_kind_idx (x int);
INSERT INTO ev VALUES (1, '2025-05-05', 'a'), (2, '2025-06-06', 'b'), (3, '2026-06-06', 'c');
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('CREATE INDEX ON ev (kind) WHERE id > 0') AS hint \gset
SELECT :'hint' AS partitioned_hint;
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT regress_helpers.paste(:'hint') \gexec
RESET client_min_messages;
SELECT c.relname AS partition, i.indexrelid::regclass AS index, i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE c.relname LIKE 'ev%' ORDER BY 1;
-- A partitioned table's key: neither CREATE INDEX CONCURRENTLY nor ADD ...
-- USING INDEX works on the parent. The hint builds each partition's key
-- concurrently, then each level's own ADD adopts them (no index is built
-- again); pasted, every key is attached to its parent's.
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('ALTER TABLE ev ADD PRIMARY KEY (id, at, kind)') AS hint \gset
SELECT :'hint' AS partitioned_key_hint;
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT regress_helpers.paste(:'hint') \gexec
RESET client_min_messages;
SELECT conrelid::regclass AS tab, conname, conparentid <> 0 AS attached
FROM pg_constraint WHERE contype = 'p' AND conrelid::regclass::text LIKE 'ev%' ORDER BY conrelid::regclass::text;
-- A partitioned table's foreign key: PostgreSQL 15 refuses it NOT VALID on
-- the parent, so the hint adds it NOT VALID to each leaf and validates it
-- there, then each level's ADD adopts the validated keys without a scan.
CREATE TABLE refd (id bigint PRIMARY KEY);
INSERT INTO refd VALUES (1);
ALTER TABLE ev ADD COLUMN r bigint DEFAULT 1;
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('ALTER TABLE ev ADD CONSTRAINT ev_r_fk FOREIGN KEY (r) REFERENCES refd ON DELETE CASCADE') AS hint \gset
SELECT :'hint' AS partitioned_fk_hint;
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT regress_helpers.paste(:'hint') \gexec
RESET client_min_messages;
SELECT conrelid::regclass AS tab, conparentid <> 0 AS attached, convalidated
FROM pg_constraint WHERE conname = 'ev_r_fk' ORDER BY conrelid::regclass::text;
-- ALTER TABLE ONLY ... ADD PRIMARY KEY / UNIQUE builds nothing (pg_dump's
-- form): not blocked. A key the statement replaces on a partitioned table:
-- each partition holds the old one, so the hint is the statement itself,
-- with a bounded wait.
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('ALTER TABLE ONLY ev ADD CONSTRAINT ev_u UNIQUE (id, at, kind)') IS NULL AS only_not_blocked;
SELECT regress_helpers.hint_of('ALTER TABLE ev DROP CONSTRAINT ev_pkey, ADD PRIMARY KEY (id, at, kind)') AS replaced_key_hint;
SET schema_oracle.guard = warn;
-- A partition that already has the index: DefineIndex attaches it instead
-- of building one (ordering and reloptions are not compared; another
-- operator class, or a predicate, is another index), and the hint attaches
-- it too: pasted, no partition gets a second, redundant index, and each
-- partition ends with what PostgreSQL's own CREATE INDEX gives (px).
SET schema_oracle.guard = off;
CREATE TABLE ex (id bigint, at date, k text) PARTITION BY RANGE (at);
CREATE TABLE ex_1 PARTITION OF ex FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE ex_2 PARTITION OF ex FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE ex_3 PARTITION OF ex FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE ex_4 PARTITION OF ex FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
CREATE INDEX ex_1_mine ON ex_1 (k DESC, id);
CREATE INDEX ex_2_partial ON ex_2 (k, id) WHERE id > 0;
CREATE INDEX ex_3_pattern ON ex_3 (k text_pattern_ops, id);
CREATE INDEX ex_4_with ON ex_4 (k, id) WITH (fillfactor = 70);
INSERT INTO ex VALUES (1, '2025-05-05', 'a'), (2, '2026-06-06', 'b'), (3, '2027-07-07', 'c');
CREATE TABLE px (id bigint, at date, k text) PARTITION BY RANGE (at);
CREATE TABLE px_1 PARTITION OF px FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE px_2 PARTITION OF px FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE px_3 PARTITION OF px FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
CREATE TABLE px_4 PARTITION OF px FOR VALUES FROM ('2028-01-01') TO ('2029-01-01');
CREATE INDEX px_1_mine ON px_1 (k DESC, id);
CREATE INDEX px_2_partial ON px_2 (k, id) WHERE id > 0;
CREATE INDEX px_3_pattern ON px_3 (k text_pattern_ops, id);
CREATE INDEX px_4_with ON px_4 (k, id) WITH (fillfactor = 70);
CREATE INDEX px_k_id ON px (k, id);
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('CREATE INDEX ex_k_id ON ex (k, id)') AS hint \gset
SELECT :'hint' AS reused_partition_index_hint;
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT regress_helpers.paste(:'hint') \gexec
RESET client_min_messages;
SELECT c.relname AS partition, i.indexrelid::regclass AS index, i.indisvalid,
       (SELECT inhparent::regclass FROM pg_inherits WHERE inhrelid = i.indexrelid) AS attached_to
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE c.relname ~ '^[ep]x(_|$)' ORDER BY c.relname, i.indexrelid::regclass::text;
SET schema_oracle.guard = off;
DROP TABLE ex, px;
SET schema_oracle.guard = warn;
-- A partition's name may hold any byte but NUL (here U+001F and SQL): the
-- steps carry names NUL-separated, so the hint quotes the name whole and
-- pasting it creates the indexes and drops nothing.
CREATE TABLE victim (id int);
CREATE TABLE pp (a int, b int) PARTITION BY RANGE (a);
CREATE TABLE U&"pp\001F; DROP TABLE victim; --" PARTITION OF pp FOR VALUES FROM (0) TO (10);
INSERT INTO pp SELECT 1, g FROM generate_series(1, 100) g;
SET schema_oracle.guard = block;
SELECT regress_helpers.hint_of('CREATE INDEX ON pp (b)') AS hint \gset
SET schema_oracle.guard = warn;
SET client_min_messages = error;
SELECT regress_helpers.paste(:'hint') \gexec
RESET client_min_messages;
SELECT count(*) AS victim_still_there FROM victim;
SELECT replace(i.indexrelid::regclass::text, U&'\001F', '<US>') AS index, i.indisvalid
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE c.relname LIKE 'pp%' ORDER BY 1;

-- Block mode: SQLSTATE SO001, and nothing was created.
SET schema_oracle.guard = block;
CREATE INDEX orders_blocked_idx ON orders (customer_id);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT count(*) AS blocked_index_exists FROM pg_class WHERE relname = 'orders_blocked_idx';
SET schema_oracle.guard = warn;

-- The size threshold: a table below it is not judged by lock rules.
SET schema_oracle.size_threshold = '1GB';
CREATE INDEX orders_small_idx ON orders (customer_id);
RESET schema_oracle.size_threshold;
SHOW schema_oracle.size_threshold;

SET schema_oracle.guard = off;
DROP SCHEMA gi CASCADE;
