-- check_refused: schema_oracle.check() judges what PostgreSQL would refuse
-- as the live guard does (src/upstream/refusals.cpp), reading the catalog
-- as the migration file's earlier statements leave it: a statement refused
-- by the catalog's facts gives no guard finding, but one
-- statement_would_fail saying PostgreSQL's error is coming, in its words
-- (it used to be silent: the migration would fail with no word from
-- check()); one that an earlier statement of the file makes valid again (a
-- view dropped, a partition detached, a constraint dropped) is judged.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;   -- every existing table counts as big
CREATE SCHEMA cr;
SET search_path = cr;
CREATE TABLE t (id bigint PRIMARY KEY, v int, w text, CONSTRAINT t_w_key UNIQUE (w));
INSERT INTO t SELECT g, g, 'w' || g FROM generate_series(1, 100) g;
CREATE VIEW t_view AS SELECT id, v FROM t;
CREATE TABLE t_child (t_id bigint REFERENCES t (id));
CREATE TABLE parted (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE parted_default PARTITION OF parted DEFAULT;
INSERT INTO parted SELECT g, '2026-01-01'::date + g % 300 FROM generate_series(1, 100) g;
CREATE TABLE loose (id bigint, at date);
INSERT INTO loose SELECT g, '2026-06-01' FROM generate_series(1, 100) g;
ANALYZE t, parted, loose;
CREATE FUNCTION cr.f(migration text)
RETURNS TABLE(stmt int, rule text, level text)
LANGUAGE sql AS $$
    SELECT statement, rule, level FROM schema_oracle.check(migration, 'per_statement') $$;

-- Refused by what the catalog says: one statement_would_fail each (the
-- guard's rules stay silent; PostgreSQL's error is the answer when the
-- migration runs).
-- One file each: a statement of the file on a table makes what the catalog
-- says of the table unknown for the statements after it.
SELECT s AS statement, (SELECT count(*) FROM cr.f('SET lock_timeout = ''5s''; ' || s)) AS findings
FROM unnest(ARRAY[
    'ALTER TABLE t ALTER COLUMN v TYPE bigint',
    'ALTER TABLE t ADD CONSTRAINT t_w_key UNIQUE (v)',
    'ALTER TABLE t ADD PRIMARY KEY (v)',
    'CREATE INDEX t_w_key ON t (v)',
    'ALTER TABLE parted ATTACH PARTITION loose FOR VALUES FROM (''2026-06-01'') TO (''2027-06-01'')',
    'CREATE TABLE parted_2026b PARTITION OF parted FOR VALUES FROM (''2026-12-01'') TO (''2027-02-01'')',
    'ALTER TABLE parted ATTACH PARTITION loose FOR VALUES IN (''2027-01-01'')',
    'DROP TABLE t',
    'TRUNCATE t',
    'ALTER TABLE t RENAME TO t_view',
    -- and, for contrast, statements PostgreSQL runs:
    'ALTER TABLE t ALTER COLUMN w TYPE varchar(10)',
    'TRUNCATE t, t_child',
    'ALTER TABLE parted ATTACH PARTITION loose FOR VALUES FROM (''2027-01-01'') TO (''2028-01-01'')',
    'CREATE TABLE parted_2027 PARTITION OF parted FOR VALUES FROM (''2027-01-01'') TO (''2028-01-01'')'
]) s;

-- What check() says, in PostgreSQL's words (names elided).
SELECT statement, rule, level, message
FROM schema_oracle.check($$
SET lock_timeout = '5s';
ALTER TABLE t ADD PRIMARY KEY (v);
DROP TABLE t;
ALTER TABLE parted ATTACH PARTITION loose FOR VALUES IN ('2027-01-01');
ALTER TABLE t ALTER COLUMN w TYPE integer;
ALTER TABLE t_child ADD FOREIGN KEY (t_id) REFERENCES t (v);
$$, 'per_statement');

-- A type or domain the file creates is not in the catalog (the overlay does
-- not follow types): its use is no "statement would fail".
SELECT statement, rule FROM schema_oracle.check($$
SET lock_timeout = '5s';
CREATE TYPE cr_mood AS ENUM ('ok', 'sad');
CREATE DOMAIN cr_posint AS int CHECK (VALUE > 0);
ALTER TABLE loose ADD COLUMN m cr_mood;
ALTER TABLE loose ALTER COLUMN id TYPE cr_posint;
$$, 'single') WHERE rule = 'statement_would_fail';

-- Each made valid by an earlier statement of the file: judged.
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
DROP VIEW t_view;
ALTER TABLE t ALTER COLUMN v TYPE bigint;
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE t DROP CONSTRAINT t_w_key;
ALTER TABLE t ADD CONSTRAINT t_w_key UNIQUE (v);
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE parted DETACH PARTITION parted_2026;
ALTER TABLE parted ATTACH PARTITION loose FOR VALUES FROM ('2026-06-01') TO ('2027-06-01');
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
DROP VIEW t_view;
DROP TABLE t_child;
-- schema_oracle: allow drop_table -- replaced by t2 in v12
DROP TABLE t;
$$);

-- A name the file itself takes earlier: refused.
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
CREATE INDEX t_v_idx ON t (v);
CREATE INDEX t_v_idx ON t (w);
$$);

-- Ownership and privileges are the role's that will run the file, which
-- check() does not know: judged as written, whoever calls check().
CREATE ROLE cr_reader;
GRANT USAGE ON SCHEMA cr TO cr_reader;
GRANT EXECUTE ON FUNCTION cr.f(text) TO cr_reader;
SET ROLE cr_reader;
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE t ALTER COLUMN w TYPE varchar(10);
$$);
RESET ROLE;

-- What the overlay does not follow (functions, types, casts, operators,
-- access methods): a refusal read from them in the catalog is certain only
-- while the file has changed none of them. The index over cr_f(n) needs
-- cr_f(bigint) IMMUTABLE once n is a bigint (ALTER TYPE re-analyses it;
-- plpgsql: planning cannot inline it away); the one over cr_g(m) needs a
-- cr_g(bigint) at all.
SET schema_oracle.guard = off;
CREATE FUNCTION cr_f(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1';
CREATE FUNCTION cr_f(bigint) RETURNS bigint STABLE LANGUAGE plpgsql AS 'BEGIN RETURN $1; END';
CREATE FUNCTION cr_g(int) RETURNS int IMMUTABLE LANGUAGE sql AS 'SELECT $1';
CREATE TABLE fn (id bigint PRIMARY KEY, n int, m int);
INSERT INTO fn SELECT g, g, g FROM generate_series(1, 100) g;
CREATE INDEX fn_f ON fn (cr_f(n));
CREATE INDEX fn_g ON fn (cr_g(m));
CREATE TYPE cr_mood AS ENUM ('ok', 'sad');
CREATE TABLE feelings (id int);
SET schema_oracle.guard = warn;
-- Alone: refused, as before.
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE fn ALTER COLUMN n TYPE bigint;
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE fn ALTER COLUMN m TYPE bigint;
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER TABLE feelings RENAME TO cr_mood;
$$);
-- After the file changed the function, made one, or dropped the type: no
-- statement_would_fail (it used to say PostgreSQL refuses them; they run).
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER FUNCTION cr_f(bigint) IMMUTABLE;
ALTER TABLE fn ALTER COLUMN n TYPE bigint;
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
CREATE FUNCTION cr_g(bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS 'SELECT $1';
ALTER TABLE fn ALTER COLUMN m TYPE bigint;
$$);
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
DROP TYPE cr_mood;
ALTER TABLE feelings RENAME TO cr_mood;
$$);
-- An index over a function the file made IMMUTABLE first is judged, not
-- taken for refused (it was silent: no finding at all).
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
ALTER FUNCTION cr_f(bigint) IMMUTABLE;
CREATE INDEX fn_f_id ON fn (cr_f(id));
$$);
-- ... and they do run, in that order.
BEGIN;
SET LOCAL schema_oracle.guard = off;
ALTER FUNCTION cr_f(bigint) IMMUTABLE;
ALTER TABLE fn ALTER COLUMN n TYPE bigint;
CREATE FUNCTION cr_g(bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS 'SELECT $1';
ALTER TABLE fn ALTER COLUMN m TYPE bigint;
DROP TYPE cr_mood;
ALTER TABLE feelings RENAME TO cr_mood;
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
WHERE attrelid = 'fn'::regclass AND attname IN ('n', 'm') ORDER BY attname;
ROLLBACK;
-- A DO block may change anything: what follows it is not certain either.
SELECT * FROM cr.f($$
SET lock_timeout = '5s';
DO 'BEGIN NULL; END';
ALTER TABLE feelings RENAME TO cr_mood;
$$);

RESET search_path;
DROP SCHEMA cr CASCADE;
DROP ROLE cr_reader;
RESET schema_oracle.size_threshold;
RESET schema_oracle.guard;
