-- ddl_log_cache: the log's relation and owner are kept for the session once
-- found, and the table's shape once checked (src/pg/ddl_log.cpp); whatever
-- could make them stale forgets them, so the rows always go to the table
-- named schema_oracle.ddl_log now: a log renamed away and another created
-- under its name (autocommit), the original put back in one transaction,
-- the extension dropped, created at 0.1.0 (no log) and updated to 0.2.0 (a
-- new log table), and a log whose owner changed. In a database of its own.
CREATE DATABASE so_ddl_log_cache;
\c so_ddl_log_cache
SET client_min_messages = error;
CREATE EXTENSION schema_oracle;
SET schema_oracle.guard = warn;
SET schema_oracle.ddl_log = 'all';
CREATE SCHEMA dlc;
CREATE TABLE dlc.t1 (id int);
-- renamed away, another table of the same shape under its name
ALTER TABLE schema_oracle.ddl_log RENAME TO ddl_log_saved;
CREATE TABLE schema_oracle.ddl_log (LIKE schema_oracle.ddl_log_saved INCLUDING ALL);
CREATE TABLE dlc.t2 (id int);
SELECT 'new log' AS log, command_tag, objects FROM schema_oracle.ddl_log ORDER BY id;
SELECT 'saved log' AS log, command_tag, objects FROM schema_oracle.ddl_log_saved ORDER BY id;
-- the original put back, in one transaction with DDL after it
BEGIN;
DROP TABLE schema_oracle.ddl_log;
ALTER TABLE schema_oracle.ddl_log_saved RENAME TO ddl_log;
CREATE TABLE dlc.t3 (id int);
COMMIT;
SELECT command_tag, objects FROM schema_oracle.ddl_log
WHERE objects && '{dlc.t1,dlc.t2,dlc.t3}' ORDER BY id;
-- a new owner: the SQL path and the worker run as the owner they find now,
-- one that cannot log in too (the worker connects without a role and
-- switches to it)
CREATE ROLE so_ddl_log_cache_owner NOLOGIN;
ALTER TABLE schema_oracle.ddl_log OWNER TO so_ddl_log_cache_owner;
CREATE TABLE dlc.t4 (id int);
BEGIN;
CREATE TABLE dlc.t5 (id int);
ROLLBACK;
DO $$ BEGIN  -- the rolled-back row is written by a background worker
    FOR i IN 1 .. 200 LOOP
        EXIT WHEN EXISTS (SELECT FROM schema_oracle.ddl_log WHERE 'dlc.t5' = ANY (objects));
        PERFORM pg_sleep(0.05);
    END LOOP;
END $$;
SELECT command_tag, objects, outcome FROM schema_oracle.ddl_log
WHERE objects && '{dlc.t4,dlc.t5}' ORDER BY id;
-- dropped, created without a log (0.1.0), updated (a new log table)
DROP EXTENSION schema_oracle;
CREATE EXTENSION schema_oracle VERSION '0.1.0';
CREATE TABLE dlc.t6 (id int);
ALTER EXTENSION schema_oracle UPDATE TO '0.2.0';
CREATE TABLE dlc.t7 (id int);
SELECT command_tag, objects FROM schema_oracle.ddl_log
WHERE objects && '{dlc.t6,dlc.t7}' ORDER BY id;
\c so_regression
DROP DATABASE so_ddl_log_cache;
DROP ROLE so_ddl_log_cache_owner;
