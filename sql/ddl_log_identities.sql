-- ddl_log_identities: the object identities in schema_oracle.ddl_log are
-- exactly what pg_event_trigger_ddl_commands() reports (object_identity, in
-- order, each once), for the statements whose identity the log computes
-- from the parse tree (a named CREATE INDEX, COMMENT, ALTER TABLE with
-- subcommands that run no statement of their own) and for the neighbours
-- that read the function (unnamed and IF NOT EXISTS indexes, serial and
-- identity columns, PRIMARY KEY and UNIQUE constraints, IF EXISTS of a
-- missing table). A user's own ddl_command_end trigger records the
-- function's answer for every statement; the two lists must match row by
-- row. (COMMIT rows, the commit check's, have no objects.)
SET schema_oracle.guard = warn;
SET schema_oracle.commit_checks = on;
SET schema_oracle.ddl_log = 'all';
SET client_min_messages = error;
CREATE SCHEMA dlid;
SET search_path = dlid;
CREATE TABLE seen (n bigserial PRIMARY KEY, tag text, objects text[]);
CREATE FUNCTION record_commands() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dlid.seen (tag, objects)
    SELECT tg_tag, coalesce(array_agg(identity ORDER BY first), '{}')
    FROM (SELECT object_identity AS identity, min(ord) AS first
          FROM pg_event_trigger_ddl_commands() WITH ORDINALITY AS c(classid, objid, objsubid,
               command_tag, object_type, schema_name, object_identity, in_extension, command, ord)
          WHERE object_identity IS NOT NULL
          GROUP BY object_identity) s;
END $$;
CREATE EVENT TRIGGER dlid_record ON ddl_command_end EXECUTE FUNCTION record_commands();
DELETE FROM schema_oracle.ddl_log;
TRUNCATE seen;
DELETE FROM schema_oracle.ddl_log;

CREATE TABLE "Odd Table" (id bigint PRIMARY KEY, "Odd Col" text, n int);
CREATE TABLE part (id bigint, k int) PARTITION BY RANGE (k);
CREATE TABLE part_1 PARTITION OF part FOR VALUES FROM (0) TO (10);
-- named indexes (from the tree), unnamed and IF NOT EXISTS (the function)
CREATE INDEX "Odd Index" ON "Odd Table" ("Odd Col");
CREATE INDEX ON "Odd Table" (n);
CREATE INDEX IF NOT EXISTS "Odd Index" ON "Odd Table" (n);
CREATE INDEX IF NOT EXISTS odd_n2 ON "Odd Table" (n);
CREATE INDEX part_k ON part (k);
CREATE UNIQUE INDEX odd_id_n ON dlid."Odd Table" (id, n) WHERE n > 0;
CREATE INDEX CONCURRENTLY odd_cc ON "Odd Table" (n, id);
-- COMMENT on many kinds of object (a missing database: the function)
COMMENT ON TABLE "Odd Table" IS 'odd';
COMMENT ON COLUMN "Odd Table"."Odd Col" IS 'odd column';
COMMENT ON COLUMN dlid.part.k IS 'key';
COMMENT ON INDEX "Odd Index" IS 'odd index';
COMMENT ON SCHEMA dlid IS 'schema';
COMMENT ON FUNCTION record_commands() IS 'recorder';
COMMENT ON CONSTRAINT "Odd Table_pkey" ON "Odd Table" IS 'pk';
COMMENT ON DATABASE no_such_database_here IS 'nothing';
COMMENT ON TABLE "Odd Table" IS NULL;
-- ALTER TABLE from the tree
ALTER TABLE "Odd Table" ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE "Odd Table" ADD CONSTRAINT odd_status_check CHECK (status <> '');
ALTER TABLE "Odd Table" ADD COLUMN IF NOT EXISTS status text;
ALTER TABLE "Odd Table" ADD COLUMN ref bigint REFERENCES "Odd Table" (id),
    ADD COLUMN g int GENERATED ALWAYS AS (n * 2) STORED;
ALTER TABLE "Odd Table" ALTER COLUMN status SET DEFAULT 'old', ALTER COLUMN n SET NOT NULL;
ALTER TABLE "Odd Table" DROP COLUMN IF EXISTS no_such_column;
ALTER TABLE "Odd Table" DROP CONSTRAINT odd_status_check;
ALTER TABLE part ADD COLUMN note text;
ALTER TABLE ONLY part ALTER COLUMN note SET STORAGE EXTERNAL;
ALTER TABLE dlid."Odd Table" ADD COLUMN q1 int CHECK (q1 > 0);
ALTER TABLE IF EXISTS dlid."Odd Table" ADD COLUMN q2 int;
CREATE INDEX "q Idx" ON dlid.part (id);
-- temporary tables: identities say pg_temp, however the statement named it
CREATE TEMP TABLE tmp_t (a int);
CREATE INDEX tmp_i ON tmp_t (a);
CREATE INDEX tmp_i2 ON pg_temp.tmp_t (a);
ALTER TABLE pg_temp.tmp_t ADD COLUMN b int;
ALTER TABLE tmp_t ADD COLUMN c int;
COMMENT ON COLUMN pg_temp.tmp_t.a IS 'temporary';
COMMENT ON TABLE tmp_t IS 'temporary';
-- ALTER TABLE through the function: statements of its own, or none
ALTER TABLE "Odd Table" ADD COLUMN s serial;
ALTER TABLE "Odd Table" ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE "Odd Table" ADD CONSTRAINT odd_uniq UNIQUE (n);
ALTER TABLE "Odd Table" ADD COLUMN u int UNIQUE;
ALTER TABLE IF EXISTS no_such_table ADD COLUMN x int;
ALTER TABLE "Odd Table" ALTER COLUMN "Odd Col" TYPE varchar(100);

DROP EVENT TRIGGER dlid_record;
-- Row by row: the log's objects against the function's.
WITH logged AS (
    SELECT row_number() OVER (ORDER BY id) AS k, command_tag, statement, objects
    FROM schema_oracle.ddl_log WHERE command_tag NOT IN ('DROP EVENT TRIGGER', 'COMMIT')),
recorded AS (SELECT row_number() OVER (ORDER BY n) AS k, tag, objects FROM seen)
SELECT l.k, l.command_tag, l.objects, l.objects IS NOT DISTINCT FROM r.objects AS same,
       CASE WHEN l.objects IS DISTINCT FROM r.objects THEN r.objects END AS function_says
FROM logged l FULL JOIN recorded r USING (k) ORDER BY k;

-- Only the guard's own event triggers now: PostgreSQL's collection of
-- commands is switched off for the statements whose one identity the log
-- takes from the tree (src/pg/command_collection.cpp), as nothing else
-- reads them; their objects are the same as with the collection on.
DELETE FROM schema_oracle.ddl_log;
CREATE INDEX "Odd Index 2" ON "Odd Table" ("Odd Col");
CREATE INDEX part_k2 ON part (k);
CREATE INDEX "q Idx2" ON dlid.part (id);
CREATE INDEX tmp_i3 ON tmp_t (a);
COMMENT ON TABLE "Odd Table" IS 'odd again';
COMMENT ON COLUMN dlid.part.k IS 'key again';
COMMENT ON COLUMN pg_temp.tmp_t.a IS 'temporary again';
COMMENT ON CONSTRAINT "Odd Table_pkey" ON "Odd Table" IS 'pk again';
ALTER TABLE "Odd Table" ADD COLUMN status2 text NOT NULL DEFAULT 'new';
ALTER TABLE "Odd Table" ADD CONSTRAINT odd_status2_check CHECK (status2 <> '');
ALTER TABLE IF EXISTS dlid."Odd Table" ADD COLUMN q3 int;
ALTER TABLE IF EXISTS no_such_table ADD COLUMN x int;
ALTER TABLE tmp_t ADD COLUMN d int;
-- and one that reads the function (collection on): unchanged
CREATE INDEX ON "Odd Table" (q3);
SELECT command_tag, statement, objects FROM schema_oracle.ddl_log
WHERE command_tag <> 'COMMIT' ORDER BY id;
RESET client_min_messages;
DROP SCHEMA dlid CASCADE;
DELETE FROM schema_oracle.ddl_log;
RESET search_path;
