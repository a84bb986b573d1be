-- guard_enum_values: a value ALTER TYPE ... ADD VALUE adds cannot be used
-- in the same transaction: PostgreSQL refuses every use with 55P04 "unsafe
-- use of new value" while it analyses the using statement. The guard warns
-- at ADD VALUE (enum_value_in_transaction); at the point of use it leaves
-- the statement to PostgreSQL's own error (its analysis meets the same
-- refusal; it used to report "internal error while judging", and block the
-- statement with SO001 under fail_closed = auto). Hints keep where the new
-- value sorts (BEFORE / AFTER), and are pasted.
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gev;
SET search_path = gev, regress_helpers;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE feelings (id bigint PRIMARY KEY, m mood);
INSERT INTO feelings SELECT g, 'ok' FROM generate_series(1, 2000) g;
SET schema_oracle.guard = block;
SET schema_oracle.rule_levels = 'enum_value_in_transaction=notice';
BEGIN;
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';
-- Each use fails with PostgreSQL's own error, in block mode too.
SAVEPOINT s;
ALTER TABLE feelings ADD COLUMN m2 mood DEFAULT 'meh';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
ALTER TABLE feelings ADD CONSTRAINT not_meh CHECK (m <> 'meh');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
CREATE INDEX feelings_meh ON feelings (id) WHERE m = 'meh';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
ALTER TABLE feelings ALTER COLUMN m TYPE mood USING 'meh';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
ALTER TABLE feelings ALTER COLUMN m SET DEFAULT 'meh';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK TO s;
UPDATE feelings SET m = 'meh' WHERE id = 1;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
-- warn mode: PostgreSQL's error, and no word of an internal error.
SET schema_oracle.guard = warn;
BEGIN;
ALTER TYPE mood ADD VALUE 'meh' BEFORE 'sad';
ALTER TABLE feelings ADD COLUMN m2 mood DEFAULT 'meh';
\echo SQLSTATE :LAST_ERROR_SQLSTATE
ROLLBACK;
-- The hint keeps the new value where the statement puts it, and runs.
SET schema_oracle.guard = block;
SET schema_oracle.rule_levels = 'enum_value_in_transaction=block';
BEGIN;
SELECT hint_of('ALTER TYPE mood ADD VALUE ''meh'' BEFORE ''sad''') AS hint \gset
ROLLBACK;
\echo :hint
SELECT paste(:'hint') \gexec
SELECT enum_range(NULL::mood);
-- A rename's hint adds the new label next to the old one.
SET schema_oracle.rule_levels = 'rename_enum_value=block';
SELECT hint_of('ALTER TYPE mood RENAME VALUE ''sad'' TO ''blue''') AS hint \gset
\echo :hint
SELECT line FROM paste(:'hint') line WHERE line LIKE 'ALTER TYPE%' \gexec
SELECT enum_range(NULL::mood);
-- ... and moves the rows of every column of the type over, in batches
-- (the table's own column; arrays of the type and partitions are not).
UPDATE feelings SET m = 'sad' WHERE id <= 10;
SET schema_oracle.guard = warn;
SET client_min_messages = warning;
\o /dev/null
SELECT line FROM paste(:'hint', true) line WHERE line LIKE 'CALL%' \gexec
\o
RESET client_min_messages;
SET schema_oracle.guard = block;
SELECT m, count(*) FROM feelings GROUP BY m ORDER BY m;
RESET schema_oracle.rule_levels;
-- check() over a migration file: a value the file adds and uses in the same
-- transaction is PostgreSQL's 55P04, in its words; used after the adding
-- transaction committed, the use runs, so no error is reported (the
-- catalog does not have the value, so check() cannot analyse that use; it
-- used to report "invalid input value for enum" as a statement that fails).
SELECT statement, rule, message FROM schema_oracle.check($$
BEGIN;
ALTER TYPE mood ADD VALUE 'calm' AFTER 'ok';
ALTER TABLE feelings ADD CONSTRAINT not_calm CHECK (m <> 'calm');
COMMIT;
$$, 'as_written');
SELECT statement, rule, message FROM schema_oracle.check($$
ALTER TYPE mood ADD VALUE 'calm' AFTER 'ok';
ALTER TABLE feelings ADD COLUMN m2 mood DEFAULT 'calm';
CREATE INDEX CONCURRENTLY feelings_calm ON feelings (id) WHERE m = 'calm';
$$, 'per_statement');
RESET schema_oracle.guard;
DROP SCHEMA gev CASCADE;
