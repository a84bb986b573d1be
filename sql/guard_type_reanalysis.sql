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
-- CheckMutability plans the expression before it asks: planning inlines a
-- VOLATILE SQL function whose body is immutable, and folds a strict call
-- over an IMMUTABLE call that returns NULL. PostgreSQL accepts these, so
-- the guard judges them: blocked here (a false "refused" let them run
-- unjudged in block mode).
SET schema_oracle.guard = off;
CREATE FUNCTION plus_one(bigint) RETURNS bigint LANGUAGE sql AS 'SELECT $1 + 1';
CREATE FUNCTION nothing() RETURNS int IMMUTABLE LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
CREATE TABLE u (id int PRIMARY KEY, w int);
INSERT INTO u SELECT g, g FROM generate_series(1, 2000) g;
CREATE INDEX u_plus_one ON u (plus_one(w));
SET schema_oracle.guard = block;
CREATE INDEX u_plus_one_again ON u (plus_one(w));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE INDEX u_folded ON u ((nothing() + (random() * 10)::int));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ALTER TABLE u ALTER COLUMN w TYPE bigint;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Planning keeps only the field selected from a ROW(), and varchar's
-- support function drops its other arguments: accepted, so judged.
CREATE INDEX u_field ON u (((ROW(w, random())).f1));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
CREATE INDEX u_support ON u (pg_catalog.varchar(w::text, -1, random() < random()));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- Nothing planning could inline or fold: certainly refused, PostgreSQL's
-- own error. (A constant subexpression, even random() * 10, makes it not
-- certain: folded constants can be NULL, and a strict call over NULL folds.)
CREATE INDEX u_random ON u ((w + random()::int));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT statement, rule FROM schema_oracle.check($$
ALTER TABLE u ALTER COLUMN w TYPE bigint;
$$, 'per_statement') WHERE rule = 'statement_would_fail';
RESET schema_oracle.guard;
DROP SCHEMA gtr CASCADE;
