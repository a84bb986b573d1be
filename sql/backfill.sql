-- backfill: CALL schema_oracle.backfill() end to end: batches, the job row,
-- composite and unusual keys, where_clause, adaptive sizing, resume after a
-- cancel (statement_timeout), the
-- INOUT job_id, backfill_plan(). Progress NOTICEs carry timings in their
-- DETAIL, so VERBOSITY terse hides it. Own schema; dropped at the end.
-- Job ids from 101 on, whatever ran before.
SELECT setval(pg_get_serial_sequence('schema_oracle.backfill_jobs', 'job_id'), 100) AS job_ids_from;
CREATE SCHEMA bf;
SET search_path = bf, public;
\set VERBOSITY terse

CREATE TABLE items (id bigint PRIMARY KEY, counter int NOT NULL DEFAULT 0, label text);
INSERT INTO items SELECT g, 0, NULL FROM generate_series(1, 100) g;

-- Fixed batches of 30: 4 batches, a NOTICE after each (progress_interval 0).
CALL schema_oracle.backfill('items', 'counter = counter + 1', batch_size => 30,
                            progress_interval => '0', job_name => 'first');
SELECT count(*) AS rows, min(counter), max(counter) FROM items;
SELECT job_name, owner = current_user AS mine, tbl, key_columns, set_clause, where_clause,
       search_path, state, rows_done, keys_done, batches_done, last_key, end_key,
       current_batch_size, pid, last_error, finished_at IS NOT NULL AS finished
FROM schema_oracle.backfill_jobs WHERE job_name = 'first';

-- where_clause: only matching rows are updated (and counted), every key
-- range is still walked.
CALL schema_oracle.backfill('items', 'label = ''even''', 'id % 2 = 0', batch_size => 7);
SELECT count(*) FILTER (WHERE label = 'even') AS even, count(*) FILTER (WHERE label IS NULL) AS odd
FROM items;
SELECT rows_done, batches_done FROM schema_oracle.backfill_jobs
WHERE job_id = (SELECT max(job_id) FROM schema_oracle.backfill_jobs);

-- A trailing comment in a clause ends with its line.
CALL schema_oracle.backfill('items', 'counter = counter + 1 -- bump', 'id <= 10 -- first ten');
SELECT count(*) FILTER (WHERE counter = 2) AS bumped FROM items;

-- Adaptive batches (the default): the job runs to the end whatever the sizes.
CALL schema_oracle.backfill('items', 'counter = 0');
SELECT count(*) FILTER (WHERE counter = 0) AS reset FROM items;

-- Composite key, text and a mixed-case, quoted name; a partitioned table.
CREATE TABLE "Pairs" ("Tenant" text, n int, v int, PRIMARY KEY ("Tenant", n));
INSERT INTO "Pairs" SELECT t, n, 0 FROM unnest('{a,b,"c d",É}'::text[]) t, generate_series(1, 9) n;
CALL schema_oracle.backfill('"Pairs"', 'v = v + n', batch_size => 4);
SELECT count(*) FILTER (WHERE v = n) AS ok, count(*) AS total FROM "Pairs";
SELECT last_key, end_key, key_columns FROM schema_oracle.backfill_jobs
WHERE tbl = '"Pairs"'::regclass;

CREATE TABLE events (at timestamptz, id uuid, seen boolean, PRIMARY KEY (at, id))
    PARTITION BY RANGE (at);
CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2024-02-01 00:00+00');
CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM ('2024-02-01 00:00+00') TO ('2024-03-01 00:00+00');
INSERT INTO events
SELECT timestamptz '2024-01-01 00:00+00' + g * interval '7 hours',
       ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, false
FROM generate_series(1, 200) g;
-- Keys are recorded in fixed formats: a session with another DateStyle and
-- TimeZone resumes from the same keys.
SET datestyle = 'SQL, DMY';
SET timezone = 'America/New_York';
CALL schema_oracle.backfill('events', 'seen = true', batch_size => 50);
RESET datestyle;
RESET timezone;
SELECT count(*) FILTER (WHERE seen) AS seen, count(*) AS total FROM events;
SELECT last_key FROM schema_oracle.backfill_jobs WHERE tbl = 'events'::regclass;

-- An empty table is done at once.
CREATE TABLE empty (id int PRIMARY KEY, x int);
CALL schema_oracle.backfill('empty', 'x = 1');
SELECT state, rows_done, end_key FROM schema_oracle.backfill_jobs WHERE tbl = 'empty'::regclass;

-- The user's clauses resolve with the search_path the job started with,
-- also on resume; our own statements use pg_catalog only.
CREATE FUNCTION bf.double_it(int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
CREATE TABLE nums (id int PRIMARY KEY, x int);
INSERT INTO nums SELECT g, g FROM generate_series(1, 20) g;
CALL schema_oracle.backfill('nums', 'x = double_it(x)', batch_size => 5);
SELECT sum(x) AS doubled FROM nums;
-- A subquery that reads another table is fine.
CALL schema_oracle.backfill('nums', 'x = (SELECT max(id) FROM bf.items WHERE id < nums.id * 10)',
                            'id <= 3');
SELECT id, x FROM nums WHERE id <= 4 ORDER BY id;

-- Cancel between batches (statement_timeout acts like pg_cancel_backend):
-- the job is left 'cancelled' at its last committed key, and a resume
-- updates each remaining row exactly once.
CREATE TABLE slow (id int PRIMARY KEY, counter int NOT NULL DEFAULT 0);
INSERT INTO slow SELECT g, 0 FROM generate_series(1, 60) g;
SET statement_timeout = '1s';
CALL schema_oracle.backfill('slow', 'counter = counter + 1', batch_size => 2,
                            pause => '100 ms', job_name => 'slowpoke');
RESET statement_timeout;
SELECT state, last_error, rows_done BETWEEN 1 AND 59 AS partial,
       rows_done = (SELECT count(*) FROM slow WHERE counter = 1) AS exact
FROM schema_oracle.backfill_jobs WHERE job_name = 'slowpoke';
SELECT job_id AS slow_job FROM schema_oracle.backfill_jobs WHERE job_name = 'slowpoke' \gset
SET client_min_messages = warning;
CALL schema_oracle.backfill_resume(:slow_job);
RESET client_min_messages;
SELECT state, rows_done, last_error FROM schema_oracle.backfill_jobs WHERE job_id = :slow_job;
SELECT count(*) FILTER (WHERE counter = 1) AS once, count(*) FILTER (WHERE counter <> 1) AS other
FROM slow;
-- Resuming a finished job does nothing.
CALL schema_oracle.backfill_resume(:slow_job);
SELECT count(*) FILTER (WHERE counter = 1) AS once FROM slow;

-- The INOUT job_id is usable from a top-level DO block (which may commit).
DO $$
DECLARE j int;
BEGIN
    CALL schema_oracle.backfill('bf.nums', 'x = x', batch_size => 10, job_id => j);
    RAISE NOTICE 'job % is %', j > 0, (SELECT state FROM schema_oracle.backfill_jobs WHERE job_id = j);
END $$;

-- backfill_plan(): the dry run changes nothing.
SELECT key_columns, table_rows, matching_rows, estimated_batches, estimated_time > '0' AS timed,
       update_statement
FROM schema_oracle.backfill_plan('items', 'counter = counter + 100', 'id > 90', batch_size => 4);
SELECT max(counter) AS unchanged FROM items;
SELECT key_columns, table_rows, matching_rows, estimated_batches > 0 AS batches,
       estimated_time IS NULL AS no_sample
FROM schema_oracle.backfill_plan('"Pairs"', 'v = 0', sample_rows => 0, batch_size => 10);
SELECT table_rows, estimated_batches, estimated_time IS NOT NULL AS timed
FROM schema_oracle.backfill_plan('items', 'counter = 1');

\set VERBOSITY default
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA bf CASCADE;
RESET client_min_messages;
DELETE FROM schema_oracle.backfill_jobs;
