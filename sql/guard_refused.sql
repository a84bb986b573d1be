-- guard_refused: statements PostgreSQL itself refuses are left to
-- PostgreSQL (docs/guard.md): in block mode, with every guard rule set to
-- block and every table judged, each statement below fails with
-- PostgreSQL's own error and SQLSTATE, never SO001 and an alternative for a
-- statement that cannot run anyway.
SET schema_oracle.guard = off;
CREATE SCHEMA grf;
GRANT USAGE ON SCHEMA grf TO so_app;
SET search_path = grf;
CREATE TABLE t (id bigint PRIMARY KEY, v int, w text);
INSERT INTO t SELECT g, g, 'w' || g FROM generate_series(1, 1000) g;
CREATE VIEW t_view AS SELECT id, v FROM t;
CREATE TABLE parted (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO parted SELECT g, '2026-01-01'::date + g % 300 FROM generate_series(1, 1000) g;
CREATE TYPE pair AS (a int, b int);
CREATE TABLE typed OF pair;
INSERT INTO typed SELECT g, g FROM generate_series(1, 1000) g;
CREATE TABLE other (id bigint, v int);
CREATE TABLE t_child (t_id bigint REFERENCES t (id));
-- Partitioned tables of every strategy, each with a DEFAULT partition where
-- the strategy allows one (a new partition makes PostgreSQL scan it), and
-- tables with rows to attach (ATTACH scans them).
CREATE TABLE parted_default PARTITION OF parted DEFAULT;
INSERT INTO parted_default VALUES (0, '2030-01-01');
CREATE TABLE listed (id bigint, kind text) PARTITION BY LIST (kind);
CREATE TABLE listed_ab PARTITION OF listed FOR VALUES IN ('a', 'b');
CREATE TABLE listed_null PARTITION OF listed FOR VALUES IN (NULL);
CREATE TABLE listed_default PARTITION OF listed DEFAULT;
INSERT INTO listed SELECT g, (ARRAY['a', 'b', NULL, 'z'])[g % 4 + 1] FROM generate_series(1, 1000) g;
CREATE TABLE hashed (id bigint) PARTITION BY HASH (id);
CREATE TABLE hashed_0 PARTITION OF hashed FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE loose (id bigint, at date);
INSERT INTO loose SELECT g, '2026-06-01'::date + g % 300 FROM generate_series(1, 1000) g;
CREATE TABLE loose_l (id bigint, kind text);
INSERT INTO loose_l SELECT g, 'b' FROM generate_series(1, 1000) g;
CREATE TABLE loose_h (id bigint);
INSERT INTO loose_h SELECT g FROM generate_series(1, 1000) g;
CREATE TEMP TABLE loose_temp (id bigint, at date);
INSERT INTO loose_temp SELECT g, '2031-01-01' FROM generate_series(1, 1000) g;
-- A table of so_app's with rows, for a foreign key to t, on which so_app
-- has no REFERENCES privilege.
CREATE TABLE app_child (t_id bigint);
INSERT INTO app_child SELECT g FROM generate_series(1, 1000) g;
ALTER TABLE app_child OWNER TO so_app;
GRANT CREATE ON SCHEMA grf TO so_app;
CREATE INDEX other_v_idx ON other (v);
CREATE TABLE defaults (id bigint, at timestamptz DEFAULT now());
INSERT INTO defaults SELECT g FROM generate_series(1, 1000) g;
ANALYZE t, parted, typed, other, t_child, listed, hashed, loose, loose_l, loose_h, loose_temp, app_child, defaults;
SELECT string_agg(rule || '=block', ',' ORDER BY rule) AS levels
FROM schema_oracle.rules WHERE judged_by LIKE '%guard%' \gset
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET schema_oracle.rule_levels = :'levels';
SET lock_timeout = '5s';

-- Block mode.
\i test/guard_refused/statements.sql
-- Warn mode: PostgreSQL's error alone, no WARNING from the guard before it.
SET schema_oracle.guard = warn;
\i test/guard_refused/statements.sql
-- Nothing changed.
SELECT attname FROM pg_attribute WHERE attrelid = 'grf.t'::regclass AND attnum > 0 ORDER BY attnum;
RESET schema_oracle.rule_levels;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
SET schema_oracle.guard = off;
RESET search_path;
DROP SCHEMA grf CASCADE;
RESET schema_oracle.guard;
