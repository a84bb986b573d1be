-- backfill_throttle: the throttle_while predicate holds batches back, each
-- wait says why, and the job goes on when it turns false. (Replica lag is
-- tested against a real standby in test/cluster/backfill_throttle.sh, and
-- retries on lock timeouts and deadlocks in the isolation spec
-- backfill_concurrent.) A failing predicate fails the job; a lock timeout
-- that outlasts max_retries too, at its last committed key.
-- Job ids from 401 on, whatever ran before.
SELECT setval(pg_get_serial_sequence('schema_oracle.backfill_jobs', 'job_id'), 400) AS job_ids_from;
CREATE SCHEMA bft;
SET search_path = bft, public;
CREATE TABLE t (id bigint PRIMARY KEY, x int NOT NULL DEFAULT 0);
INSERT INTO t SELECT g, 0 FROM generate_series(1, 20) g;
CREATE SEQUENCE gate;
\set VERBOSITY terse

-- Holds back the first batch twice (the predicate is true while the gate's
-- sequence is below 3), then lets every batch through.
CALL schema_oracle.backfill('t', 'x = x + 1', batch_size => 10,
                            throttle_while => 'nextval(''bft.gate'') < 3',
                            throttle_check_interval => '10 ms', progress_interval => '1 h');
SELECT count(*) FILTER (WHERE x = 1) AS once FROM t;
SELECT state, rows_done, throttled_seconds > 0 AS throttled, throttle_while
FROM schema_oracle.backfill_jobs WHERE tbl = 't'::regclass;

-- A throttle_while that fails is reported and fails the job.
CALL schema_oracle.backfill('t', 'x = x + 1', throttle_while => '1/0 = 1');
\echo :LAST_ERROR_SQLSTATE
SELECT state, rows_done, last_error FROM schema_oracle.backfill_jobs
WHERE tbl = 't'::regclass ORDER BY job_id DESC LIMIT 1;

-- A row held by another transaction (a prepared one, so this session can
-- hold it): each retry times out, then the job fails at its last key.
BEGIN;
UPDATE t SET x = x WHERE id = 15;
PREPARE TRANSACTION 'bft_hold';
CALL schema_oracle.backfill('t', 'x = x + 1', batch_size => 10, lock_timeout => '10 ms',
                            max_retries => 2);
\echo :LAST_ERROR_SQLSTATE
SELECT state, rows_done, retries, last_key, last_error FROM schema_oracle.backfill_jobs
WHERE tbl = 't'::regclass ORDER BY job_id DESC LIMIT 1;
SELECT job_id AS held_job FROM schema_oracle.backfill_jobs ORDER BY job_id DESC LIMIT 1 \gset
ROLLBACK PREPARED 'bft_hold';
-- The lock is gone: the resume finishes the job, each row once.
CALL schema_oracle.backfill_resume(:held_job);
SELECT x, count(*) FROM t GROUP BY x ORDER BY x;
UPDATE t SET x = 1;

-- The autovacuum and replica throttles find nothing here and cost nothing.
CALL schema_oracle.backfill('t', 'x = x + 1', max_replica_lag => '1 ms',
                            max_replica_lag_bytes => 0, throttle_on_autovacuum => true);
SELECT count(*) FILTER (WHERE x = 2) AS twice FROM t;

\set VERBOSITY default
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA bft CASCADE;
RESET client_min_messages;
DELETE FROM schema_oracle.backfill_jobs;
