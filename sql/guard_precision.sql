-- guard_precision: same-transaction exemption, size threshold, partitioned
-- tables speak once, DDL in DO blocks and functions, replica mode,
-- extension scripts.
SET schema_oracle.guard = warn;
SET lock_timeout = '5s';
CREATE SCHEMA gr;
SET search_path = gr;
CREATE TABLE big (id bigint, v int, note varchar(10));
INSERT INTO big SELECT g, g, 'x' FROM generate_series(1, 2000) g;
ANALYZE big;

-- The size threshold (default 10MB) skips small tables for lock and rewrite
-- rules: all silent here.
SHOW schema_oracle.size_threshold;
CREATE INDEX big_v_idx ON big (v);
ALTER TABLE big ALTER COLUMN v TYPE bigint;
-- A threshold just below the table's size judges it, just above skips it.
SET schema_oracle.size_threshold = '64kB';
ALTER TABLE big ADD COLUMN r float8 DEFAULT random();
SET schema_oracle.size_threshold = '128kB';
ALTER TABLE big ADD COLUMN r2 float8 DEFAULT random();
SET schema_oracle.size_threshold = 0;

-- Nothing fires for tables created in the current transaction.
BEGIN;
CREATE TABLE fresh (id int, v int, note varchar(10));
INSERT INTO fresh VALUES (1, 1, 'a');
CREATE INDEX fresh_v_idx ON fresh (v);
ALTER TABLE fresh ADD COLUMN r float8 DEFAULT random();
ALTER TABLE fresh ALTER COLUMN v TYPE bigint;
ALTER TABLE fresh ALTER COLUMN note SET NOT NULL;
ALTER TABLE fresh ADD CHECK (v > 0);
ALTER TABLE fresh RENAME COLUMN note TO label;
-- (a type-hygiene candidate takes the full path; still silent but for hygiene)
ALTER TABLE fresh ADD COLUMN code varchar(300) DEFAULT random()::text UNIQUE;
COMMIT;

-- Partitioned tables: one finding for the parent, none per partition, and
-- the table_rewrite backstop stays quiet for the judged rewrite.
CREATE TABLE parted (id bigint, v int) PARTITION BY RANGE (id);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
CREATE TABLE parted_2 PARTITION OF parted FOR VALUES FROM (100) TO (200);
CREATE TABLE parted_3 PARTITION OF parted FOR VALUES FROM (200) TO (300);
INSERT INTO parted SELECT g, g FROM generate_series(0, 299) g;
ANALYZE parted;
ALTER TABLE parted ALTER COLUMN v TYPE bigint;
ANALYZE parted;
ALTER TABLE parted ALTER COLUMN v SET NOT NULL;

-- DDL inside DO blocks and functions is judged like any other.
DO $$ BEGIN
    EXECUTE 'CREATE INDEX big_note_idx ON gr.big (note)';
END $$;
CREATE FUNCTION gr.migrate() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    ALTER TABLE gr.big RENAME COLUMN note TO label;
END $$;
SELECT gr.migrate();
-- A blocked statement inside a DO block aborts the block.
SET schema_oracle.guard = block;
DO $$ BEGIN
    CREATE INDEX big_id_idx ON gr.big (id);
    RAISE NOTICE 'not reached';
END $$;
\echo SQLSTATE :LAST_ERROR_SQLSTATE
-- ... and can be caught like any error.
DO $$ BEGIN
    CREATE INDEX big_id_idx ON gr.big (id);
EXCEPTION WHEN sqlstate 'SO001' THEN
    RAISE NOTICE 'caught a policy block: %', left(SQLERRM, 40);
END $$;
SET schema_oracle.guard = warn;

-- Temporary tables are exempt: no other session can wait on them.
CREATE TEMP TABLE scratch (id int, v int);
INSERT INTO scratch VALUES (1, 1);
CREATE INDEX scratch_v_idx ON scratch (v);
ALTER TABLE scratch ADD COLUMN r float8 DEFAULT random();
ALTER TABLE scratch RENAME COLUMN v TO w;
DROP TABLE scratch;

-- Statements PostgreSQL refuses get PostgreSQL's own error, no finding.
ALTER TABLE big ATTACH PARTITION fresh FOR VALUES IN (1);
ALTER TABLE big RENAME COLUMN no_such_column TO other;
ALTER TABLE big SET TABLESPACE no_such_space;
ALTER TABLE big ADD FOREIGN KEY (id) REFERENCES no_such_table (id);
ALTER TABLE big ALTER COLUMN id TYPE no_such_type;

-- The triggers are ENABLE ALWAYS: replica mode is judged too.
SELECT evtname, evtevent, evtenabled FROM pg_event_trigger
WHERE evtname LIKE 'schema_oracle%' ORDER BY evtname;
SET session_replication_role = replica;
ALTER TABLE big RENAME COLUMN label TO note;
RESET session_replication_role;

-- Extension scripts are not judged (their DDL runs while creating_extension).
CREATE EXTENSION IF NOT EXISTS plpgsql;

SET schema_oracle.guard = off;
DROP SCHEMA gr CASCADE;
