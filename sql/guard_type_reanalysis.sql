-- guard_type_reanalysis: ALTER COLUMN ... TYPE makes PostgreSQL re-create
-- every index and CHECK over the column from its deparsed definition,
-- analysed again with the new type, before the table is rewritten
-- (tablecmds.c ATPostAlterTypeParse). A definition that no longer analyses
-- (COALESCE over varchar and integer, lower() of a bigint) or whose index
-- expression is no longer IMMUTABLE makes PostgreSQL refuse the statement
-- at once: the guard leaves it to PostgreSQL's own error, in block mode too
-- (it used to block it as a rewrite, SO001, with a recipe for a statement
-- that cannot run); check() reports it as statement_would_fail. Definitions
-- that still analyse are judged as before.
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gtr;
SET search_path = gtr;
CREATE TABLE t (id bigint PRIMARY KEY, v varchar(20), w int, d timestamp, b text);
INSERT INTO t SELECT g, 'x' || g, g, '2026-01-01', 'b' FROM generate_series(1, 2000) g;
CREATE INDEX t_coalesce ON t (coalesce(w, 1));
CREATE INDEX t_lower_v ON t (lower(v));
CREATE INDEX t_day ON t ((d::date));
CREATE INDEX t_b_partial ON t (id) WHERE lower(b) = 'b';
ALTER TABLE t ADD CONSTRAINT t_b_like CHECK (b LIKE 'b%');
SET schema_oracle.guard = block;
-- Refused by PostgreSQL when it re-analyses: its own error, never SO001.
ALTER TABLE t ALTER COLUMN w TYPE varchar(10);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN d TYPE timestamptz;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t ALTER COLUMN b TYPE bigint USING 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Still analyses (lower((v)::text) takes a bigint's text): judged, blocked.
ALTER TABLE t ALTER COLUMN v TYPE bigint USING 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Two type changes, or a drop beside it: the definitions PostgreSQL
-- re-creates are not the catalog's, so nothing is refused on their account
-- (judged: a rewrite; PostgreSQL's own error follows in warn mode).
ALTER TABLE t ALTER COLUMN w TYPE bigint, ALTER COLUMN d TYPE timestamptz;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE t DROP CONSTRAINT t_b_like, ALTER COLUMN b TYPE bigint USING 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- check() says so before the migration runs.
SELECT statement, rule, message FROM schema_oracle.check($$
SET lock_timeout = '5s';
ALTER TABLE t ALTER COLUMN w TYPE varchar(10);
ALTER TABLE t ALTER COLUMN d TYPE timestamptz;
$$, 'per_statement');
RESET schema_oracle.guard;
DROP SCHEMA gtr CASCADE;
