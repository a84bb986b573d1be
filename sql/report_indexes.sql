-- report_indexes: duplicate_index, redundant_index, invalid_index,
-- unused_index, too_many_indexes. Own schema; dropped at the end.
CREATE SCHEMA rpt_ix;
SET search_path = rpt_ix;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

-- duplicate_index: a plain index duplicating a UNIQUE constraint's index
-- fires on the plain one, keeps the constraint's
CREATE TABLE users (id int PRIMARY KEY, email text, CONSTRAINT users_email_key UNIQUE (email));
CREATE INDEX users_email_idx ON users (email);
-- two identical plain indexes: the newer is reported
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text, note text, placed date);
CREATE INDEX orders_status_a ON orders (status);
CREATE INDEX orders_status_b ON orders (status);
-- not duplicates: other opclass, predicate, collation, order, access method, INCLUDE
CREATE INDEX orders_note_pattern ON orders (note text_pattern_ops);
CREATE INDEX orders_note_plain ON orders (note);
CREATE INDEX orders_note_partial ON orders (note) WHERE note IS NOT NULL;
CREATE INDEX orders_note_c ON orders (note COLLATE "C");
CREATE INDEX orders_placed_desc ON orders (placed DESC);
CREATE INDEX orders_placed_hash ON orders USING hash (placed);
CREATE INDEX orders_placed_incl ON orders (placed) INCLUDE (status);
-- a plain unique index and a plain index on the same column: keep the unique one
CREATE TABLE codes (code text NOT NULL, label text);
CREATE INDEX codes_code_idx ON codes (code);
CREATE UNIQUE INDEX codes_code_uniq ON codes (code);
-- identical expression indexes are duplicates; different expressions are not
CREATE INDEX users_lower_email_a ON users (lower(email));
CREATE INDEX users_lower_email_b ON users (lower(email));
CREATE INDEX users_upper_email ON users (upper(email));
-- partitioned: duplicates are reported once, at the parent index
CREATE TABLE events (id bigint, kind text, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX events_kind_a ON events (kind);
CREATE INDEX events_kind_b ON events (kind);

SELECT object_identity, table_identity, message, detail, fix
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{duplicate_index}');

-- redundant_index: (a) is redundant to (a, b); not to (b, a), not to a column
-- named "ab", not attnum 1 to attnum 12 (integer arrays, never text)
CREATE TABLE wide (a int, b int, ab int, c4 int, c5 int, c6 int, c7 int, c8 int, c9 int,
                   c10 int, c11 int, c12 int, u int);
CREATE INDEX wide_a ON wide (a);
CREATE INDEX wide_a_b ON wide (a, b);
CREATE INDEX wide_b ON wide (b);
CREATE INDEX wide_ab ON wide (ab);
CREATE INDEX wide_c12_a ON wide (c12, a);
-- (b) is a true prefix of (b, a): redundant
CREATE INDEX wide_b_a ON wide (b, a);
-- never a unique index, even if a longer one starts with it
CREATE UNIQUE INDEX wide_u ON wide (u);
CREATE INDEX wide_u_a ON wide (u, a);
-- a DESC index is not redundant to an ASC one
CREATE INDEX wide_c4_desc ON wide (c4 DESC);
CREATE INDEX wide_c4_c5 ON wide (c4, c5);
-- a partial index is not redundant to a non-partial one
CREATE INDEX wide_c6_part ON wide (c6) WHERE c6 > 0;
CREATE INDEX wide_c6_c7 ON wide (c6, c7);
-- (x) alone beside (y, x) and a column named "xy": nothing is redundant
CREATE TABLE pairs (x int, y int, xy int);
CREATE INDEX pairs_x ON pairs (x);
CREATE INDEX pairs_y_x ON pairs (y, x);
CREATE INDEX pairs_xy ON pairs (xy);
SELECT object_identity, message, fix
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{redundant_index}');

-- invalid_index: a failed CREATE UNIQUE INDEX CONCURRENTLY leaves one behind
CREATE TABLE dupes (id int, v int);
INSERT INTO dupes VALUES (1, 1), (2, 1);
CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON dupes (v);
SELECT object_identity, message, detail, fix
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{invalid_index}');
DELETE FROM dupes WHERE id = 2;
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{invalid_index}')
WHERE fix IS NOT NULL \gexec
SELECT count(*) AS invalid_left
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{invalid_index}');

-- unused_index: an index never scanned fires; unique, primary key and
-- FK-covering indexes never do; a scanned index does not
CREATE TABLE parents (id int PRIMARY KEY);
CREATE TABLE usage (id int PRIMARY KEY, parent_id int REFERENCES parents, code int UNIQUE,
                    never int, often int);
CREATE INDEX usage_parent_idx ON usage (parent_id);
CREATE INDEX usage_never_idx ON usage (never);
CREATE INDEX usage_often_idx ON usage (often);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM usage WHERE often = 1;
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT pg_stat_force_next_flush();
SELECT object_identity, message, detail LIKE 'size about % kB; statistics %' AS detail_ok, fix
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{unused_index}')
WHERE table_identity = 'rpt_ix.usage';
-- the same under stats_fetch_consistency = snapshot (read through the
-- transaction's snapshot instead of each shared entry)
SET stats_fetch_consistency = snapshot;
SELECT object_identity
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{unused_index}')
WHERE table_identity = 'rpt_ix.usage';
RESET stats_fetch_consistency;

-- too_many_indexes: above the setting fires; partitions are judged at the parent
SET schema_oracle.max_indexes_per_table = 1;
SELECT object_identity, message
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{too_many_indexes}');
SET schema_oracle.max_indexes_per_table = 0;
SELECT count(*) AS off
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{too_many_indexes}');
RESET schema_oracle.max_indexes_per_table;

-- the duplicate fixes run, and the rule falls silent
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{duplicate_index}')
WHERE fix IS NOT NULL \gexec
SELECT count(*) AS duplicates_left
FROM schema_oracle.report(include_schemas => '{rpt_ix}', rules => '{duplicate_index}');

RESET search_path;
DROP SCHEMA rpt_ix CASCADE;
