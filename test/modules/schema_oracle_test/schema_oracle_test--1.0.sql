-- schema_oracle_test: the test-only functions of test/modules/schema_oracle_test.
-- Created by the regression tests (sql/setup.sql) in their own database;
-- never part of the schema_oracle extension.
\echo Use "CREATE EXTENSION schema_oracle_test" to load this file. \quit

-- Boundary probes (boundary_probes.cpp): errors crossing the C++/PostgreSQL
-- boundary in both directions, and a count of C++ objects still alive.
CREATE FUNCTION pg_error(sql text) RETURNS text
    LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'schema_oracle_test_pg_error';
CREATE FUNCTION pg_error_recovered(sql text) RETURNS text
    LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'schema_oracle_test_pg_error_recovered';
CREATE FUNCTION cpp_exception(kind text) RETURNS text
    LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'schema_oracle_test_cpp_exception';
CREATE FUNCTION live_objects() RETURNS bigint
    LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'schema_oracle_test_live_objects';

-- Fault injection into the guard of this backend (guard_faults.cpp):
-- 'none', 'pg_error', 'cpp_exception', 'rewrite_pg_error'.
CREATE FUNCTION guard_fault(kind text) RETURNS void
    LANGUAGE C STRICT AS 'MODULE_PATHNAME', 'schema_oracle_test_guard_fault';
