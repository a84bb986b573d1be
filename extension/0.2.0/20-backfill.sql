-------------------------------------------------------------------------------
-- Batched backfill (issue 10): schema_oracle.backfill(), backfill_resume(),
-- backfill_plan() and the job table. See docs/backfill.md; the privilege
-- model is docs/security.md, section "backfill".
-------------------------------------------------------------------------------

-- One row per backfill job. The batch driver updates its row in the same
-- transaction as each batch's UPDATE, so last_key and rows_done are always
-- exactly what has been committed: that is what makes a resume after a
-- crash exactly-once, even for a SET clause that is not idempotent.
CREATE TABLE schema_oracle.backfill_jobs (
    job_id            integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name          text,
    owner             name NOT NULL DEFAULT current_user,
    tbl               regclass NOT NULL,
    key_columns       text[] NOT NULL,
    set_clause        text NOT NULL,
    where_clause      text,
    search_path       text NOT NULL,
    -- options, kept so that a resume runs the job as it was started
    batch_size        integer,
    target_batch_time interval NOT NULL,
    max_batch_size    integer NOT NULL,
    pause             interval NOT NULL,
    lock_timeout      interval NOT NULL,
    max_retries       integer NOT NULL,
    max_replica_lag   interval,
    max_replica_lag_bytes bigint,
    throttle_on_autovacuum boolean NOT NULL,
    throttle_while    text,
    throttle_check_interval interval NOT NULL,
    progress_interval interval NOT NULL,
    -- state
    state             text NOT NULL DEFAULT 'running'
                      CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
    end_key           text[],
    last_key          text[],
    rows_done         bigint NOT NULL DEFAULT 0,
    keys_done         bigint NOT NULL DEFAULT 0,
    batches_done      bigint NOT NULL DEFAULT 0,
    retries           bigint NOT NULL DEFAULT 0,
    current_batch_size integer,
    max_batch_ms      double precision,
    throttled_seconds double precision NOT NULL DEFAULT 0,
    pid               integer,
    started_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    finished_at       timestamptz,
    last_error        text
);
COMMENT ON TABLE schema_oracle.backfill_jobs IS
    'Batched backfill jobs: state and the last committed key, updated in each batch''s transaction';

-- Ordinary roles see and change only their own jobs (docs/security.md,
-- "backfill"); the driver runs with the caller's privileges, so it needs no
-- more than that. Superusers and the table owner bypass the policy.
ALTER TABLE schema_oracle.backfill_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY backfill_jobs_own ON schema_oracle.backfill_jobs
    USING (owner = current_user) WITH CHECK (owner = current_user);
REVOKE ALL ON schema_oracle.backfill_jobs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON schema_oracle.backfill_jobs TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('schema_oracle.backfill_jobs', '');
-- Its identity sequence too: otherwise a restored database hands out job_id 1
-- again and the next backfill() fails on the primary key
-- (test/cluster/dump_restore.sh).
SELECT pg_catalog.pg_extension_config_dump('schema_oracle.backfill_jobs_job_id_seq', '');

-- The procedures cannot carry SET search_path: PostgreSQL makes a procedure
-- with a SET clause atomic, and backfill() must COMMIT between batches. The
-- C code pins search_path (and the settings key values are printed with)
-- itself around every statement of its own; see docs/backfill.md.
CREATE PROCEDURE schema_oracle.backfill(
    tbl regclass,
    set_clause text,
    where_clause text DEFAULT NULL,
    job_name text DEFAULT NULL,
    batch_size integer DEFAULT NULL,
    target_batch_time interval DEFAULT '200 ms',
    max_batch_size integer DEFAULT 1000000,
    pause interval DEFAULT '0',
    lock_timeout interval DEFAULT '100 ms',
    max_retries integer DEFAULT 20,
    max_replica_lag interval DEFAULT '10 s',
    max_replica_lag_bytes bigint DEFAULT NULL,
    throttle_on_autovacuum boolean DEFAULT true,
    throttle_while text DEFAULT NULL,
    throttle_check_interval interval DEFAULT '1 s',
    progress_interval interval DEFAULT '5 s',
    INOUT job_id integer DEFAULT NULL)
LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_backfill';
COMMENT ON PROCEDURE schema_oracle.backfill(regclass, text, text, text, integer, interval, integer,
    interval, interval, integer, interval, bigint, boolean, text, interval, interval, integer) IS
    'UPDATE a table in committed keyset batches, paced, throttled and resumable exactly once';

CREATE PROCEDURE schema_oracle.backfill_resume(job_id integer)
LANGUAGE C
AS 'MODULE_PATHNAME', 'schema_oracle_backfill_resume';
COMMENT ON PROCEDURE schema_oracle.backfill_resume(integer) IS
    'Continue a backfill job from its last committed key';

CREATE FUNCTION schema_oracle.backfill_plan(
    tbl regclass,
    set_clause text,
    where_clause text DEFAULT NULL,
    batch_size integer DEFAULT NULL,
    target_batch_time interval DEFAULT '200 ms',
    sample_rows integer DEFAULT 1000,
    OUT key_columns text,
    OUT table_rows bigint,
    OUT matching_rows bigint,
    OUT estimated_batches bigint,
    OUT estimated_time interval,
    OUT update_statement text)
RETURNS record
LANGUAGE C VOLATILE
AS 'MODULE_PATHNAME', 'schema_oracle_backfill_plan';
-- No SET search_path here either, on purpose: the user's clauses must
-- resolve exactly as they will in backfill(), i.e. with the caller's path;
-- the C code pins search_path around its own statements.
COMMENT ON FUNCTION schema_oracle.backfill_plan(regclass, text, text, integer, interval, integer) IS
    'Dry run of backfill(): what it would update, in how many batches, how long, with which UPDATE';
