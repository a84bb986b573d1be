-- guard_refused: statements PostgreSQL itself refuses are left to
-- PostgreSQL (docs/guard.md): in block mode, with every guard rule set to
-- block and every table judged, each statement below fails with
-- PostgreSQL's own error and SQLSTATE, never SO001 and an alternative for a
-- statement that cannot run anyway.
SET schema_oracle.guard = off;
CREATE SCHEMA grf;
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
ANALYZE t, parted, typed, other;
SELECT string_agg(rule || '=block', ',' ORDER BY rule) AS levels
FROM schema_oracle.rules WHERE judged_by LIKE '%guard%' \gset
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET schema_oracle.rule_levels = :'levels';
SET lock_timeout = '5s';

-- A missing column.
ALTER TABLE t ALTER COLUMN nope TYPE bigint;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN nope SET NOT NULL;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t DROP COLUMN nope;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t RENAME COLUMN nope TO nope2;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD CONSTRAINT t_nope_check CHECK (nope > 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD CONSTRAINT t_nope_fkey FOREIGN KEY (nope) REFERENCES t (id);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD PRIMARY KEY (nope);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE INDEX t_nope_idx ON t (nope);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A missing table, type or access method.
ALTER TABLE nope ADD COLUMN x int DEFAULT random();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD COLUMN x nope_type;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN v TYPE nope_type;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE INDEX t_v_idx ON t USING nope (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t SET ACCESS METHOD nope;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A foreign key to a view, and to columns without a unique constraint.
ALTER TABLE other ADD CONSTRAINT other_view_fkey FOREIGN KEY (id) REFERENCES t_view (id);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE other ADD CONSTRAINT other_v_fkey FOREIGN KEY (v) REFERENCES t (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ADD COLUMN on a partition and on a typed table.
ALTER TABLE parted_2026 ADD COLUMN x timestamptz NOT NULL DEFAULT clock_timestamp();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE typed ADD COLUMN x timestamptz NOT NULL DEFAULT clock_timestamp();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE typed ALTER COLUMN a TYPE bigint;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A system column.
ALTER TABLE t ALTER COLUMN xmin TYPE bigint;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN ctid SET NOT NULL;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t DROP COLUMN ctid;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t RENAME COLUMN xmax TO y;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE INDEX t_ctid_idx ON t (ctid);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A column a view depends on.
ALTER TABLE t ALTER COLUMN v TYPE bigint;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t DROP COLUMN v;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Other statements PostgreSQL refuses on what exists.
ALTER TABLE t ADD COLUMN v int NOT NULL DEFAULT 0;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ADD PRIMARY KEY (v);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN w TYPE int;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t RENAME TO t_view;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t_view ADD COLUMN x int DEFAULT random();
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t DROP CONSTRAINT nope;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE parted DETACH PARTITION other;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE parted ATTACH PARTITION other FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
DROP TABLE nope;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Nothing changed.
SELECT attname FROM pg_attribute WHERE attrelid = 'grf.t'::regclass AND attnum > 0 ORDER BY attnum;
RESET schema_oracle.rule_levels;
RESET schema_oracle.size_threshold;
RESET lock_timeout;
SET schema_oracle.guard = off;
RESET search_path;
DROP SCHEMA grf CASCADE;
RESET schema_oracle.guard;
