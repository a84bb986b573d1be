-- guard_user_code: nothing the user wrote runs inside the guard's analysis
-- (issue 8, item 1; docs/guard.md, "What the guard never runs"). The guard
-- decides rewrites, scans and partition bounds from expression trees; a
-- user's IMMUTABLE function in a USING clause, a partition bound or a CHECK
-- is never folded or evaluated while it judges (its NOTICE must not appear
-- before the guard's verdict), and DDL such a function issues when
-- PostgreSQL itself runs it is judged like any other. When the analysis
-- cannot decide without user code, schema_oracle.fail_closed decides; its
-- default (auto) blocks wherever the guard blocks.
SET schema_oracle.guard = off;
CREATE SCHEMA guc;
SET search_path = guc;
CREATE TABLE big (id bigint PRIMARY KEY, v int, w text);
INSERT INTO big SELECT g, g, 'w' || g FROM generate_series(1, 1000) g;
CREATE TABLE other_big (id bigint PRIMARY KEY, w text);
INSERT INTO other_big SELECT g, 'w' || g FROM generate_series(1, 1000) g;
CREATE TABLE parted (id bigint, n int) PARTITION BY RANGE (n);
CREATE TABLE part_new (id bigint, n int);
INSERT INTO part_new SELECT g, g FROM generate_series(1, 99) g;
-- An IMMUTABLE function that says when it runs, one that issues DDL.
CREATE FUNCTION noisy(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'noisy(%) ran', i;
    RETURN i;
END $$;
-- (PL/pgSQL runs a non-volatile function read-only, so the DDL is in a
-- volatile helper it calls.)
CREATE FUNCTION do_ddl() RETURNS void VOLATILE LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE 'CREATE INDEX IF NOT EXISTS other_big_w_idx ON guc.other_big (w)';
END $$;
CREATE FUNCTION smuggle(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'smuggle(%) ran', i;
    PERFORM guc.do_ddl();
    RETURN i;
END $$;
-- A domain whose CHECK calls the function: a literal of an array of it runs
-- the CHECK while the literal is read.
CREATE DOMAIN positive AS int CHECK (noisy(VALUE) > 0);
ANALYZE big, other_big, part_new;
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
SHOW schema_oracle.fail_closed;

-- USING: planning would fold noisy(1). Judged as the rewrite it is, and
-- noisy never runs (PostgreSQL does not run the blocked statement).
ALTER TABLE big ALTER COLUMN v TYPE bigint USING v + noisy(1);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A partition bound: transforming it evaluates noisy(1) and noisy(100).
-- Not constant, so the bound is unknown and the scan is assumed.
ALTER TABLE parted ATTACH PARTITION part_new FOR VALUES FROM (noisy(1)) TO (noisy(100));
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A CHECK over noisy(0): proving SET NOT NULL from the CHECKs simplifies
-- them (eval_const_expressions). Not proved: the scan is assumed.
SET schema_oracle.guard = off;
ALTER TABLE big ADD CONSTRAINT big_v_check CHECK (v > noisy(0));
SET schema_oracle.guard = block;
ALTER TABLE big ALTER COLUMN w SET NOT NULL;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- The other CHECKs still prove it: a validated CHECK (w IS NOT NULL) lets
-- SET NOT NULL skip its scan, and the guard says nothing. (The NOTICE is
-- PostgreSQL's own proof, which simplifies every CHECK, noisy(0) included.)
SET schema_oracle.guard = off;
ALTER TABLE big ADD CONSTRAINT big_w_not_null CHECK (w IS NOT NULL);
SET schema_oracle.guard = block;
ALTER TABLE big ALTER COLUMN w SET NOT NULL;
-- A DEFAULT is cooked, never evaluated, by the guard: the one NOTICE is
-- PostgreSQL's own evaluation of the (non-volatile) default.
ALTER TABLE big ADD COLUMN d int DEFAULT noisy(5);

-- DDL a user function issues is judged when PostgreSQL runs the function,
-- never smuggled through the guard's analysis. In warn mode the statement
-- runs: the guard judges it without calling smuggle(); PostgreSQL then
-- calls it, and the CREATE INDEX it issues gets its own warning.
SET schema_oracle.guard = warn;
ALTER TABLE big ALTER COLUMN v TYPE bigint USING v + smuggle(0);
SELECT indexrelid::regclass AS index FROM pg_index WHERE indrelid = 'guc.other_big'::regclass
ORDER BY 1;

-- A path the expression walker does not foresee (the domain's CHECK, run
-- while the literal '{1,2}' is read) is stopped by the fmgr hook: the
-- analysis fails instead of calling noisy().
SET schema_oracle.guard = block;
ALTER TABLE big ADD COLUMN p positive[] DEFAULT '{1,2}';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- fail_closed = auto blocks it in block mode; warn mode warns and lets it run.
SET schema_oracle.guard = warn;
ALTER TABLE big ADD COLUMN p positive[] DEFAULT '{1,2}';
-- fail_closed = off lets it run in block mode too; on blocks it in warn mode.
SET schema_oracle.guard = block;
SET schema_oracle.fail_closed = off;
ALTER TABLE big ADD COLUMN p2 positive[] DEFAULT '{3}';
SET schema_oracle.guard = warn;
SET schema_oracle.fail_closed = on;
ALTER TABLE big ADD COLUMN p3 positive[] DEFAULT '{4}';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET schema_oracle.fail_closed;
-- An injected fault while gathering facts (schema_oracle_test): under the
-- default, blocked in block mode, allowed with a WARNING in warn mode.
SET schema_oracle.guard = block;
SELECT schema_oracle_test.guard_fault('pg_error');
CREATE INDEX big_w_idx ON big (w);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard = warn;
CREATE INDEX big_w_idx ON big (w);
SELECT schema_oracle_test.guard_fault('none');
-- Defence in depth: a call of user code, or DDL, inside the analysis on a
-- path nothing above foresaw (injected by the test module) is refused,
-- never run. The DDL is not kept, even where the statement then proceeds.
CREATE FUNCTION public.so_fault_user_code() RETURNS int VOLATILE LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'so_fault_user_code() ran';
    RETURN 1;
END $$;
SET schema_oracle.guard = block;
SELECT schema_oracle_test.guard_fault('user_code');
CREATE INDEX big_w_idx2 ON big (w);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.guard_fault('ddl');
CREATE INDEX big_w_idx2 ON big (w);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard = warn;
CREATE INDEX big_w_idx2 ON big (w);
SELECT schema_oracle_test.guard_fault('none');
SELECT to_regclass('public.so_fault_smuggled') AS smuggled_table,
       to_regclass('guc.big_w_idx2') AS index_built;
DROP FUNCTION public.so_fault_user_code();
-- A sub-command over a column an earlier one adds (the catalog does not
-- have it yet): the guard analyses the CHECK with the added column, and
-- had that analysis failed, the error would count as the guard's own, not
-- as PostgreSQL's refusal (fail_closed = auto blocks). Either way the unique
-- index built beside it under ACCESS EXCLUSIVE (no rewrite, so no
-- table_rewrite backstop) is not let through unjudged.
SET schema_oracle.guard = block;
ALTER TABLE big ADD COLUMN x int, ADD CONSTRAINT big_w_key UNIQUE (w),
    ADD CONSTRAINT big_x_check CHECK (x > 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- A single sub-command whose expression PostgreSQL refuses stays PostgreSQL's.
ALTER TABLE big ADD CONSTRAINT big_nope_check CHECK (nope > 0);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- An ordinary role cannot loosen it (PGC_SUSET), nor turn the guard off.
SET ROLE so_app;
SET schema_oracle.fail_closed = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SET schema_oracle.guard = off;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT attname FROM pg_attribute WHERE attrelid = 'guc.big'::regclass AND attnum > 0
ORDER BY attnum;

RESET lock_timeout;
RESET schema_oracle.size_threshold;
SET schema_oracle.guard = off;
RESET search_path;
DROP SCHEMA guc CASCADE;
RESET schema_oracle.guard;
