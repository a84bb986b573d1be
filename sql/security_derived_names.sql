-- security_derived_names: the names the guard's hints derive (a _new copy,
-- a serial's _seq, a _not_null or _bound check, a column's _new twin, the
-- add_primary_key / add_unique_constraint recipes' index names) are cut to
-- 63 bytes the way PostgreSQL cuts them (makeObjectName) and are free
-- against every relation kind and type of the namespace (views,
-- materialized views, composite types, foreign tables), every constraint
-- of the namespace, and the table's columns: the hints, applied with
-- \gexec by an ordinary role, really create their objects. Also: the
-- pg_repack lines are shell words (a table named Order$(touch x) runs
-- nothing when pasted into bash). Was sql/security_known_defects.sql.
SET schema_oracle.guard = off;
CREATE SCHEMA sec_names;
GRANT USAGE, CREATE ON SCHEMA sec_names TO so_app;
CREATE FOREIGN DATA WRAPPER sec_names_fdw;
CREATE SERVER sec_names_srv FOREIGN DATA WRAPPER sec_names_fdw;
GRANT USAGE ON FOREIGN SERVER sec_names_srv TO so_app;
SET ROLE so_app;
SET search_path = sec_names;
CREATE TABLE "Order$(touch /tmp/so_pwned)" (id bigint PRIMARY KEY, v int);
INSERT INTO "Order$(touch /tmp/so_pwned)" SELECT g, g FROM generate_series(1, 100) g;
-- A 62-byte table name (t62); every name PostgreSQL would derive from it
-- by plain concatenation is longer than 63 bytes.
SELECT repeat('t', 62) AS t62 \gset
CREATE TABLE :"t62" (c bigint NOT NULL, v int, w int, v_new int);
INSERT INTO :"t62" SELECT g, g, g FROM generate_series(1, 100) g;
-- The first choice of each derived name is taken by another kind of object.
SELECT repeat('t', 59) || '_new' AS new0, repeat('t', 58) || '_new1' AS new1,
       repeat('t', 58) || '_new2' AS new2,
       repeat('t', 57) || '_s_seq' AS seq0, repeat('t', 52) || '_v_not_null' AS nn0,
       repeat('p', 57) || '_bound' AS bound0, repeat('p', 62) AS p62 \gset
CREATE VIEW :"new0" AS SELECT 1 AS one;
CREATE TYPE :"new1" AS (a int);
CREATE FOREIGN TABLE :"seq0" (a int) SERVER sec_names_srv;
CREATE TABLE other (x int CONSTRAINT :"nn0" CHECK (x > 0) CONSTRAINT :"bound0" CHECK (x < 9));
CREATE MATERIALIZED VIEW :"new2" AS SELECT 1 AS one;
CREATE TABLE parted (c bigint NOT NULL) PARTITION BY RANGE (c);
CREATE TABLE :"p62" (c bigint NOT NULL);
INSERT INTO :"p62" SELECT g FROM generate_series(1, 100) g;
CREATE TABLE hints (n serial, hint text);
CREATE FUNCTION capture(stmt text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
    EXECUTE stmt;
EXCEPTION WHEN SQLSTATE 'SO001' THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    INSERT INTO hints (hint) VALUES (h);
END $$;
RESET ROLE;
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET allow_in_place_tablespaces = on;
SET lock_timeout = '5s';
CREATE TABLESPACE "sec_names $(id)" LOCATION '';
GRANT CREATE ON TABLESPACE "sec_names $(id)" TO so_app;
SET ROLE so_app;
SELECT capture($s$CLUSTER "Order$(touch /tmp/so_pwned)" USING "Order$(touch /tmp/so_pwned)_pkey"$s$);
-- (VACUUM FULL gives the same pg_repack line, but PostgreSQL refuses VACUUM
-- inside capture()'s subtransaction, and the guard leaves that to it:
-- guard_text runs it at the top level.)
SELECT capture($s$ALTER TABLE "Order$(touch /tmp/so_pwned)" SET TABLESPACE "sec_names $(id)"$s$);
-- 1. The shell command line, with its single-quoted words taken out, holds
--    no $, backtick, double quote or backslash for bash to expand.
SELECT line AS pg_repack_line,
       regexp_replace(line, '''[^'']*''', '', 'g') !~ '[$`"\\]' AS shell_safe
FROM hints, regexp_split_to_table(hint, E'\n') AS line
WHERE line LIKE 'pg_repack %';
DELETE FROM hints;
SELECT capture(format('ALTER TABLE %I ADD PRIMARY KEY (c)', :'t62'));
SELECT capture(format('ALTER TABLE %I ADD UNIQUE (v, w)', :'t62'));
SELECT capture(format('ALTER TABLE %I SET UNLOGGED', :'t62'));
SELECT capture(format('ALTER TABLE %I ALTER COLUMN v SET NOT NULL', :'t62'));
SELECT capture(format('ALTER TABLE %I ADD COLUMN s bigserial', :'t62'));
SELECT capture(format('ALTER TABLE %I ALTER COLUMN v TYPE bigint', :'t62'));
SELECT capture(format('ALTER TABLE parted ATTACH PARTITION %I FOR VALUES FROM (0) TO (1000)', :'p62'));
-- 2. Every identifier a hint creates fits in 63 bytes and is the one
--    PostgreSQL itself would choose.
SELECT m[1] AS created, octet_length(m[1]) AS bytes
FROM hints, regexp_matches(hint,
    '(?:CREATE (?:UNIQUE INDEX CONCURRENTLY|UNLOGGED TABLE|SEQUENCE) (?:sec_names\.)?|ADD CONSTRAINT |ADD COLUMN )([^ ]+)', 'g') AS m
ORDER BY n, 1;
-- 3. Applied with \gexec, every SQL line creates what it names; afterwards
--    the statements the guard judged are done, and the names are new.
RESET ROLE;
SET schema_oracle.guard = warn;
SET ROLE so_app;
SET client_min_messages = error;
\o /dev/null
SELECT line FROM hints, regexp_split_to_table(hint, E'\n') WITH ORDINALITY AS l(line, k)
WHERE k > 1 AND btrim(line) <> '' AND line !~ '^\s*--' AND line !~ '<[a-z ]+>'
ORDER BY n, k \gexec
\o
RESET client_min_messages;
SELECT conname, contype, octet_length(conname) AS bytes
FROM pg_constraint WHERE conrelid = :'t62'::regclass ORDER BY conname;
SELECT attname, attnotnull FROM pg_attribute
WHERE attrelid = :'t62'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum;
SELECT relname, relkind, relpersistence, octet_length(relname) AS bytes
FROM pg_class WHERE relnamespace = 'sec_names'::regnamespace AND (relname LIKE 'tttt%' OR relname LIKE 'pppp%')
ORDER BY relname;
SELECT pg_get_expr(adbin, adrelid) AS s_default FROM pg_attrdef
WHERE adrelid = :'t62'::regclass AND adnum = (SELECT attnum FROM pg_attribute
    WHERE attrelid = :'t62'::regclass AND attname = 's');
SELECT :'p62'::regclass IN (SELECT inhrelid FROM pg_inherits) AS attached;
RESET ROLE;
RESET schema_oracle.size_threshold;
SET schema_oracle.guard = off;
DROP SCHEMA sec_names CASCADE;
DROP SERVER sec_names_srv;
DROP FOREIGN DATA WRAPPER sec_names_fdw;
DROP TABLESPACE "sec_names $(id)";
RESET allow_in_place_tablespaces;
RESET lock_timeout;
RESET search_path;
RESET schema_oracle.guard;
