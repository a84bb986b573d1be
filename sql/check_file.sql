-- check_file: schema_oracle.check() on the file as text: syntax errors
-- (later statements still judged), unknown objects, ignore comments,
-- positions, bad arguments, and nothing locked, created or left behind.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA cf;
SET search_path = cf;
CREATE TABLE hot (id bigint PRIMARY KEY, name text);
INSERT INTO hot VALUES (1, 'a');

-- Syntax errors: reported at the parser's line and column; the statements
-- before and after are judged. A ';' inside a literal or a comment does
-- not split statements.
SELECT statement, line, col, rule, excerpt, message
FROM schema_oracle.check($m$ALTER TABLE hot ADD COLUMN note text DEFAULT ';';
-- a comment; with a semicolon
CREATE INDEX hot_name_idx ON hot (name);
ALTER TABLE hot ADD COLUMN;
  CREAT TABLE t (id int);
ALTER TABLE hot RENAME COLUMN name TO title;
$m$, 'per_statement');
-- An unterminated literal at the end; a multibyte name before the error.
SELECT statement, line, col, rule, message
FROM schema_oracle.check(E'CREATE TABLE "täble" (id bigint);\nSELECT ''é'' + ;\nSELECT \'open');
-- Empty text, comments only.
SELECT count(*) FROM schema_oracle.check('');
SELECT count(*) FROM schema_oracle.check(E'-- nothing\n/* nothing /* nested */ */');

-- Unknown objects: the migration would fail. IF EXISTS is fine; objects
-- created earlier in the file are known.
SELECT statement, line, col, rule, message
FROM schema_oracle.check($$
ALTER TABLE nope ADD COLUMN x int;
ALTER TABLE IF EXISTS nope ADD COLUMN x int;
ALTER TABLE hot ALTER COLUMN nosuch SET NOT NULL;
ALTER TABLE hot DROP COLUMN IF EXISTS nosuch;
CREATE INDEX ON hot (nosuch);
ALTER TABLE hot ADD CONSTRAINT hot_fk FOREIGN KEY (id) REFERENCES parent (id);
CREATE TABLE child (id bigint REFERENCES parent, self_id bigint REFERENCES child);
DROP TABLE nope;
DROP TABLE IF EXISTS nope;
DROP INDEX nope_idx;
TRUNCATE nope;
CREATE TABLE parent (id bigint PRIMARY KEY);
CREATE TABLE child2 (parent_id bigint REFERENCES parent);
DROP TABLE parent CASCADE;
ALTER TABLE parent ADD COLUMN x int;
ALTER TABLE other.hot ADD COLUMN x int;
$$, 'per_statement');

-- Ignore comments: a waiver with a reason turns the finding into a notice
-- and says why; without a reason, or naming an unknown rule, it is itself
-- a finding and waives nothing. Other comments are ignored.
SELECT statement, rule, level, waiver
FROM schema_oracle.check($$
-- schema_oracle: allow rename_column -- column unused since v42
ALTER TABLE hot RENAME COLUMN name TO title;
-- schema_oracle: allow rename_column
ALTER TABLE hot RENAME COLUMN title TO name;
-- schema_oracle: allow no_such_rule -- because
-- schema_oracle: allow fk_missing_index -- report's rule
ALTER TABLE hot RENAME COLUMN name TO title;
-- schema_oracle: allow drop_column, rename_column -- both reviewed in PR 7
ALTER TABLE hot RENAME COLUMN title TO name;
-- just a comment mentioning schema_oracle: allow rename_column -- nope
ALTER TABLE hot RENAME COLUMN name TO title;
/* schema_oracle: allow rename_column -- block comments are not ignore comments */
ALTER TABLE hot RENAME COLUMN title TO name;
$$, 'per_statement');

-- Policy: per-rule levels apply as they would live; guard = block blocks.
SET schema_oracle.rule_levels = 'rename_column=block, syntax_error=notice';
SELECT statement, rule, level FROM schema_oracle.check('ALTER TABLE hot RENAME COLUMN name TO n; SELEC;');
RESET schema_oracle.rule_levels;
SET schema_oracle.guard = block;
SELECT statement, rule, severity, level FROM schema_oracle.check('ALTER TABLE hot DROP COLUMN name; BEGIN; SELEC;');
SET schema_oracle.guard = warn;

-- Bad arguments.
SELECT * FROM schema_oracle.check('SELECT 1', 'twice');
SELECT * FROM schema_oracle.check(NULL);

-- Nothing is locked, created or changed: inside one transaction, after a
-- check() over DDL on hot, this backend holds no lock on hot, and the
-- catalog is as before.
SELECT (SELECT count(*) FROM pg_class) AS classes, (SELECT count(*) FROM pg_attribute) AS attrs,
       (SELECT count(*) FROM pg_constraint) AS cons \gset
BEGIN;
SELECT count(*) > 0 AS found FROM schema_oracle.check($$
CREATE TABLE newt (id bigint);
ALTER TABLE hot ADD COLUMN z int;
ALTER TABLE hot ALTER COLUMN z TYPE text USING z::text;
ALTER TABLE hot ADD CONSTRAINT hot_z CHECK (z <> '') NOT VALID;
CREATE INDEX hot_expr ON hot (lower(name)) WHERE id > 0;
DROP TABLE hot;
$$);
SELECT locktype, mode FROM pg_locks
WHERE pid = pg_backend_pid() AND relation = 'cf.hot'::regclass;
COMMIT;
SELECT (SELECT count(*) FROM pg_class) = :classes AS same_classes,
       (SELECT count(*) FROM pg_attribute) = :attrs AS same_attributes,
       (SELECT count(*) FROM pg_constraint) = :cons AS same_constraints,
       to_regclass('cf.newt') IS NULL AS no_newt;
SELECT attname FROM pg_attribute WHERE attrelid = 'cf.hot'::regclass AND attnum > 0 ORDER BY attnum;

-- A non-superuser may check (it reads only what it may read).
SET ROLE so_app;
SELECT statement, rule FROM schema_oracle.check('ALTER TABLE cf.hot RENAME COLUMN name TO n;');
RESET ROLE;

SET schema_oracle.guard = off;
DROP SCHEMA cf CASCADE;
RESET search_path;
