-- ddl_log_batch: the committing path writes the log's rows in batches
-- (heap_multi_insert, then each index entry). A migration of many
-- statements in one transaction, one of them long enough to be toasted,
-- must leave every row in the heap and in both indexes, pointing at the
-- right tuple. The shipped log has one index, a BRIN on (logged_at, id);
-- a unique B-tree on id, which an administrator may add (the log has no
-- primary key), is added here for the test: amcheck's heapallindexed check
-- of it (every heap tuple has its index entry, with its TID) and scans
-- through each index say so; the BRIN index is read before and after its
-- ranges are summarized, and after rows were added to a summarized range
-- (the insert then updates the summary).
SET schema_oracle.guard = warn;
SET schema_oracle.ddl_log = 'all';
SET client_min_messages = error;
CREATE EXTENSION IF NOT EXISTS amcheck;
DELETE FROM schema_oracle.ddl_log;
CREATE UNIQUE INDEX ddl_log_id_check ON schema_oracle.ddl_log (id);
CREATE SCHEMA dlb;
CREATE TABLE dlb.t (id bigint PRIMARY KEY, note text);
BEGIN;
DO $$
BEGIN
    FOR i IN 1..70 LOOP
        EXECUTE format('COMMENT ON TABLE dlb.t IS %L', 'comment ' || i);
    END LOOP;
END $$;
-- about 20 kB of text that compresses badly: the row is stored toasted
SELECT format('COMMENT ON COLUMN dlb.t.note IS %L',
              (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 640) g)) \gexec
DO $$
BEGIN
    FOR i IN 71..150 LOOP
        EXECUTE format('COMMENT ON TABLE dlb.t IS %L', 'comment ' || i);
    END LOOP;
END $$;
COMMIT;
-- and one such statement alone (a transaction of one row: heap_insert)
SELECT format('COMMENT ON COLUMN dlb.t.note IS %L',
              (SELECT string_agg(md5((g * 7)::text), '') FROM generate_series(1, 640) g))
       AS long_comment \gset
:long_comment;
RESET client_min_messages;
SELECT command_tag, left(statement, 40) AS statement, length(statement), objects FROM schema_oracle.ddl_log WHERE objects = '{dlb.t.note}' ORDER BY id;
SELECT pg_relation_size(reltoastrelid) > 0 AS stored_out_of_line
FROM pg_class WHERE oid = 'schema_oracle.ddl_log'::regclass;
SELECT count(*) AS rows, count(DISTINCT id) AS ids, max(length(statement)) > 20000 AS long_one
FROM schema_oracle.ddl_log WHERE command_tag = 'COMMENT';
SELECT bt_index_check('schema_oracle.ddl_log_id_check', true);
SELECT amname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
WHERE c.oid = 'schema_oracle.ddl_log_logged_at_id_idx'::regclass;
-- Through each index, every row is the one it stands for.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS by_id FROM schema_oracle.ddl_log l
WHERE l.id IN (SELECT id FROM schema_oracle.ddl_log) AND l.command_tag = 'COMMENT';
RESET enable_bitmapscan;
SET client_min_messages = error;
DROP INDEX schema_oracle.ddl_log_id_check;
RESET client_min_messages;
SET enable_indexscan = off;  -- BRIN: bitmap scans only
-- by id through the BRIN index: every row found by its own id
EXPLAIN (COSTS OFF) SELECT * FROM schema_oracle.ddl_log WHERE id = 1;
SELECT count(*) AS by_id_brin FROM schema_oracle.ddl_log l
WHERE l.command_tag = 'COMMENT'
  AND EXISTS (SELECT FROM schema_oracle.ddl_log m WHERE m.id = l.id AND m.logged_at = l.logged_at);
CREATE FUNCTION pg_temp.by_time() RETURNS TABLE (rows bigint, long_found boolean)
LANGUAGE sql AS $$
    SELECT count(*), bool_or(length(statement) > 20000) FROM schema_oracle.ddl_log
    WHERE logged_at BETWEEN now() - interval '1 hour' AND now() + interval '1 hour'
      AND command_tag = 'COMMENT' $$;
EXPLAIN (COSTS OFF) SELECT * FROM schema_oracle.ddl_log
WHERE logged_at BETWEEN now() - interval '1 hour' AND now() + interval '1 hour';
SELECT * FROM pg_temp.by_time();
-- The shipped index starts unsummarized: summarized now, read again, and
-- written into by two more transactions (each insert widens the summary).
SELECT brin_summarize_range('schema_oracle.ddl_log_logged_at_id_idx', 0) AS ranges_summarized;
SELECT * FROM pg_temp.by_time();
BEGIN;
COMMENT ON TABLE dlb.t IS 'after the summary';
COMMIT;
BEGIN;
COMMENT ON TABLE dlb.t IS 'after the summary, again';
COMMIT;
SELECT * FROM pg_temp.by_time();
SELECT count(*) AS outside FROM schema_oracle.ddl_log
WHERE logged_at < now() - interval '1 hour' OR logged_at > now() + interval '1 hour';
SELECT brin_desummarize_range('schema_oracle.ddl_log_logged_at_id_idx', 0);
RESET enable_seqscan;
RESET enable_indexscan;

-- The committing path builds the findings' jsonb itself; the worker (for a
-- rolled-back migration) parses the JSON text of the same findings. The
-- same statements, committed and rolled back, log the same findings, a
-- waived one (with its reason) and a warned one (with its fix) among them.
SET schema_oracle.size_threshold = 0;
SET client_min_messages = error;
INSERT INTO dlb.t SELECT g, 'x' FROM generate_series(1, 100) g;
ANALYZE dlb.t;  -- the messages quote the row estimate
DELETE FROM schema_oracle.ddl_log;
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'a "quoted" reason, with \ and
a line break');
CREATE INDEX t_note_idx ON dlb.t (note);
DROP INDEX dlb.t_note_idx;
COMMIT;
CREATE INDEX t_note_idx ON dlb.t (note);
DROP INDEX dlb.t_note_idx;
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'a "quoted" reason, with \ and
a line break');
CREATE INDEX t_note_idx ON dlb.t (note);
DROP INDEX dlb.t_note_idx;
ROLLBACK;
BEGIN;
CREATE INDEX t_note_idx ON dlb.t (note);
ROLLBACK;
DO $$ BEGIN
    FOR i IN 1..600 LOOP
        EXIT WHEN (SELECT count(*) FROM schema_oracle.ddl_log
                   WHERE command_tag = 'CREATE INDEX' AND outcome = 'rolled back') = 2;
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
RESET client_min_messages;
SELECT action, count(*) AS rows, count(DISTINCT findings) AS distinct_findings,
       count(DISTINCT objects) AS distinct_objects,
       min(jsonb_array_length(findings)) AS findings,
       bool_and(findings @> '[{"rule": "create_index_not_concurrently"}]') AS has_rule
FROM schema_oracle.ddl_log WHERE command_tag = 'CREATE INDEX'
GROUP BY action ORDER BY action;
DROP SCHEMA dlb CASCADE;
DROP EXTENSION amcheck;
DELETE FROM schema_oracle.ddl_log;
