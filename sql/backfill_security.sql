-- backfill_security: backfill() runs with the caller's privileges (UPDATE
-- on the table is required), and the job table lets an ordinary role see
-- and touch only its own jobs (docs/security.md, "backfill").
-- Job ids from 301 on, whatever ran before.
SELECT setval(pg_get_serial_sequence('schema_oracle.backfill_jobs', 'job_id'), 300) AS job_ids_from;
CREATE SCHEMA bfs;
CREATE TABLE bfs.owned (id bigint PRIMARY KEY, x int NOT NULL DEFAULT 0);
INSERT INTO bfs.owned SELECT g, 0 FROM generate_series(1, 10) g;
GRANT USAGE ON SCHEMA bfs TO so_app;
GRANT SELECT ON bfs.owned TO so_app;
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'so_other') THEN
        CREATE ROLE so_other LOGIN;
    END IF;
END $$;
GRANT USAGE ON SCHEMA bfs TO so_other;
\set VERBOSITY terse

-- A superuser's job.
CALL schema_oracle.backfill('bfs.owned', 'x = 1', job_name => 'admin job');
SELECT job_id AS admin_job FROM schema_oracle.backfill_jobs WHERE job_name = 'admin job' \gset

SET ROLE so_app;
-- No UPDATE privilege: refused before any work.
CALL schema_oracle.backfill('bfs.owned', 'x = 2');
\echo :LAST_ERROR_SQLSTATE
-- Other roles' jobs are invisible, cannot be resumed, changed or deleted.
SELECT count(*) AS visible FROM schema_oracle.backfill_jobs;
CALL schema_oracle.backfill_resume(:admin_job);
\echo :LAST_ERROR_SQLSTATE
UPDATE schema_oracle.backfill_jobs SET set_clause = 'x = 99' WHERE job_id = :admin_job;
DELETE FROM schema_oracle.backfill_jobs WHERE job_id = :admin_job;
-- A row claiming another owner is refused.
INSERT INTO schema_oracle.backfill_jobs (owner, tbl, key_columns, set_clause, search_path,
    target_batch_time, max_batch_size, pause, lock_timeout, max_retries,
    throttle_on_autovacuum, throttle_check_interval, progress_interval)
VALUES ('postgres', 'bfs.owned', '{id}', 'x = 99', 'public', '1s', 1, '0', '0', 0, false, '1s', '1s');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;

-- With UPDATE granted, so_app runs its own job; without pg_read_all_stats
-- it is warned that the replica and autovacuum throttles cannot see.
GRANT UPDATE ON bfs.owned TO so_app;
SET ROLE so_app;
CALL schema_oracle.backfill('bfs.owned', 'x = x + 1', job_name => 'app job');
SELECT job_name, owner, state, rows_done FROM schema_oracle.backfill_jobs;
-- Its own job: it may change it (its own privileges bound what a resume does).
UPDATE schema_oracle.backfill_jobs SET job_name = 'renamed' WHERE job_name = 'app job';
-- but not give it away.
UPDATE schema_oracle.backfill_jobs SET owner = 'so_other' WHERE job_name = 'renamed';
\echo :LAST_ERROR_SQLSTATE
SELECT job_id AS app_job FROM schema_oracle.backfill_jobs WHERE job_name = 'renamed' \gset
RESET ROLE;

-- The grant is taken away: a resume re-checks the caller's privilege.
UPDATE schema_oracle.backfill_jobs SET state = 'cancelled', last_key = NULL WHERE job_id = :app_job;
REVOKE UPDATE ON bfs.owned FROM so_app;
SET ROLE so_app;
CALL schema_oracle.backfill_resume(:app_job);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SET ROLE so_other;
SELECT count(*) AS visible_to_other FROM schema_oracle.backfill_jobs;
RESET ROLE;
SELECT job_name, owner, state FROM schema_oracle.backfill_jobs ORDER BY job_id;
SELECT x, count(*) FROM bfs.owned GROUP BY x;

-- pg_dump keeps the job rows (pg_extension_config_dump).
SELECT c.relname, e.extcondition
FROM pg_extension e, unnest(e.extconfig) WITH ORDINALITY AS cfg(oid, n)
JOIN pg_class c ON c.oid = cfg.oid
LEFT JOIN LATERAL (SELECT e.extcondition[cfg.n]) AS e2(x) ON true
WHERE e.extname = 'schema_oracle' ORDER BY 1;

-- Not SECURITY DEFINER, no SET clause (it could not commit): the caller's
-- privileges, and search_path pinned inside.
SELECT proname, prosecdef, proconfig FROM pg_proc
WHERE pronamespace = 'schema_oracle'::regnamespace AND proname LIKE 'backfill%' ORDER BY 1;

\set VERBOSITY default
DELETE FROM schema_oracle.backfill_jobs;
SET client_min_messages = warning;
DROP SCHEMA bfs CASCADE;
DROP ROLE so_other;
RESET client_min_messages;
