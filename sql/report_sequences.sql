-- report_sequences: sequence_near_overflow against the column type's range
-- and the sequence's own limit, direction and cycle flag (warning from 75%,
-- error from 90%). Own schema; dropped at the end.
CREATE SCHEMA rpt_seq;
SET search_path = rpt_seq;
SET client_min_messages = error;  -- the DDL guard's warnings are not what these tests are about

-- serial (integer column): 79% -> warning, 93% -> error
CREATE TABLE s_warn (id serial PRIMARY KEY);
SELECT setval('s_warn_id_seq', 1700000000) IS NOT NULL AS set;
CREATE TABLE s_err (id serial PRIMARY KEY);
SELECT setval('s_err_id_seq', 2000000000) IS NOT NULL AS set;
-- identity on integer: the column's range is the limit
CREATE TABLE s_ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
SELECT setval(pg_get_serial_sequence('s_ident', 'id'), 2100000000) IS NOT NULL AS set;
-- a bigint column fed by an integer sequence: the sequence's own MAXVALUE comes first
CREATE SEQUENCE narrow_seq AS integer;
CREATE TABLE s_narrow (id bigint PRIMARY KEY DEFAULT nextval('narrow_seq'));
ALTER SEQUENCE narrow_seq OWNED BY s_narrow.id;
SELECT setval('narrow_seq', 1900000000) IS NOT NULL AS set;
-- descending, unowned: 95% of the way to its MINVALUE
CREATE SEQUENCE down_seq INCREMENT -1 MINVALUE -100 MAXVALUE -1 START -1;
SELECT setval('down_seq', -95) IS NOT NULL AS set;
-- cycling: its own MAXVALUE is no overflow ...
CREATE SEQUENCE cycle_seq MAXVALUE 100 CYCLE;
SELECT setval('cycle_seq', 99) IS NOT NULL AS set;
-- ... but the smallint column it feeds overflows before it wraps
CREATE TABLE s_small (n smallint);
CREATE SEQUENCE small_cycle_seq CYCLE OWNED BY s_small.n;
SELECT setval('small_cycle_seq', 32000) IS NOT NULL AS set;
-- silent: low, never used, bigint
CREATE TABLE s_low (id serial PRIMARY KEY);
SELECT setval('s_low_id_seq', 1000) IS NOT NULL AS set;
CREATE SEQUENCE unused_seq MAXVALUE 10;
CREATE TABLE s_big (id bigserial PRIMARY KEY);
SELECT setval('s_big_id_seq', 5000000000) IS NOT NULL AS set;

SELECT severity, object_identity, table_identity, message, detail, fix
FROM schema_oracle.report(include_schemas => '{rpt_seq}', rules => '{sequence_near_overflow}');

-- the generated fixes run
SELECT fix FROM schema_oracle.report(include_schemas => '{rpt_seq}', rules => '{sequence_near_overflow}')
WHERE fix IS NOT NULL \gexec
SELECT severity, object_identity
FROM schema_oracle.report(include_schemas => '{rpt_seq}', rules => '{sequence_near_overflow}');

-- a caller who may not read a sequence gets no verdict on it (no error)
GRANT USAGE ON SCHEMA rpt_seq TO so_app;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA rpt_seq TO so_app;
REVOKE ALL ON SEQUENCE s_err_id_seq FROM so_app;
SET ROLE so_app;
SELECT object_identity
FROM schema_oracle.report(include_schemas => '{rpt_seq}', rules => '{sequence_near_overflow}');
RESET ROLE;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA rpt_seq FROM so_app;
REVOKE USAGE ON SCHEMA rpt_seq FROM so_app;

RESET search_path;
DROP SCHEMA rpt_seq CASCADE;
