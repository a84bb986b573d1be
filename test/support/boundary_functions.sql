-- Test-only declarations of the boundary probes compiled into the module.
-- Not part of the extension: regression tests create them in the test
-- database, in schema schema_oracle_test.
CREATE SCHEMA IF NOT EXISTS schema_oracle_test;
CREATE OR REPLACE FUNCTION schema_oracle_test.pg_error(sql text) RETURNS text
    LANGUAGE C STRICT AS '$libdir/schema_oracle', 'schema_oracle_test_pg_error';
CREATE OR REPLACE FUNCTION schema_oracle_test.pg_error_recovered(sql text) RETURNS text
    LANGUAGE C STRICT AS '$libdir/schema_oracle', 'schema_oracle_test_pg_error_recovered';
CREATE OR REPLACE FUNCTION schema_oracle_test.cpp_exception(kind text) RETURNS text
    LANGUAGE C STRICT AS '$libdir/schema_oracle', 'schema_oracle_test_cpp_exception';
CREATE OR REPLACE FUNCTION schema_oracle_test.live_objects() RETURNS bigint
    LANGUAGE C STRICT AS '$libdir/schema_oracle', 'schema_oracle_test_live_objects';
