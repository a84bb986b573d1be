-- boundary: errors cross between C++ and PostgreSQL intact, in both
-- directions, and nothing is left behind.

-- PostgreSQL -> C++ -> PostgreSQL: a PostgreSQL error raised inside a call
-- made from C++ (with a C++ object alive in the calling frame) reaches the
-- client with its own SQLSTATE, DETAIL and HINT.
SELECT schema_oracle_test.pg_error($$
    DO $do$ BEGIN
        RAISE EXCEPTION 'payments must be positive'
            USING ERRCODE = 'check_violation', DETAIL = 'amount was -5',
                  HINT = 'refund with a separate row';
    END $do$ $$);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.live_objects() AS live_after_pg_error;

-- A real constraint violation: 23505 with its key DETAIL.
CREATE TABLE t_unique (id int PRIMARY KEY);
INSERT INTO t_unique VALUES (1);
SELECT schema_oracle_test.pg_error('INSERT INTO t_unique VALUES (1)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.live_objects() AS live_after_unique_violation;

-- Success path.
SELECT schema_oracle_test.pg_error('SELECT 1');

-- The C++ side can catch a PostgreSQL error (inside a subtransaction),
-- inspect its SQLSTATE and go on; the failed statement's effects are gone.
SELECT schema_oracle_test.pg_error_recovered(
    'INSERT INTO t_unique VALUES (2); INSERT INTO t_unique VALUES (1)');
SELECT array_agg(id ORDER BY id) AS rows_after_recovery FROM t_unique;
SELECT schema_oracle_test.pg_error_recovered('SELECT 1/0');
SELECT schema_oracle_test.live_objects() AS live_after_recovery;

-- C++ -> PostgreSQL: exceptions become ERRORs with the right SQLSTATE.
SELECT schema_oracle_test.cpp_exception('out_of_range');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.cpp_exception('bad_alloc');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.cpp_exception('core_error');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.cpp_exception('int');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
SELECT schema_oracle_test.cpp_exception('none');
SELECT schema_oracle_test.live_objects() AS live_after_exceptions;


-- Inside PL/pgSQL exception blocks, both kinds are catchable and the
-- session's error stack is intact afterwards.
DO $$
DECLARE
    state text;
    msg text;
BEGIN
    BEGIN
        PERFORM schema_oracle_test.cpp_exception('core_error');
    EXCEPTION WHEN others THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        RAISE NOTICE 'caught % (%)', state, msg;
    END;
    BEGIN
        PERFORM schema_oracle_test.pg_error('SELECT 1/0');
    EXCEPTION WHEN division_by_zero THEN
        RAISE NOTICE 'caught division_by_zero from inside C++';
    END;
END $$;

-- Repeated crossings leak nothing: 500 errors each way, then count.
DO $$
BEGIN
    FOR i IN 1..500 LOOP
        BEGIN
            PERFORM schema_oracle_test.pg_error('SELECT 1/0');
        EXCEPTION WHEN division_by_zero THEN NULL;
        END;
        BEGIN
            PERFORM schema_oracle_test.cpp_exception('out_of_range');
        EXCEPTION WHEN internal_error THEN NULL;
        END;
    END LOOP;
END $$;
SELECT schema_oracle_test.live_objects() AS live_after_1000_errors;

-- The same backend still works normally.
SELECT 1 + 1 AS still_alive;
DROP TABLE t_unique;

-- A cancel is never "recovered": a statement timeout inside the
-- subtransaction reaches the client as 57014, not as a caught error string.
SET statement_timeout = '200ms';
SELECT schema_oracle_test.pg_error_recovered('SELECT pg_sleep(5)');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET statement_timeout;
SELECT schema_oracle_test.live_objects() AS live_after_cancel;

-- Starting the subtransaction can fail too (no subtransactions in parallel
-- mode): the error arrives intact and no C++ object is skipped.
CREATE FUNCTION schema_oracle_test.pg_error_recovered_parallel(sql text) RETURNS text
    LANGUAGE C STRICT PARALLEL SAFE
    AS '$libdir/schema_oracle_test', 'schema_oracle_test_pg_error_recovered';
SET force_parallel_mode = on;
SELECT schema_oracle_test.pg_error_recovered_parallel('SELECT 1');
\echo SQLSTATE :LAST_ERROR_SQLSTATE
RESET force_parallel_mode;
SELECT schema_oracle_test.live_objects() AS live_after_parallel_failure;
DROP FUNCTION schema_oracle_test.pg_error_recovered_parallel(text);
