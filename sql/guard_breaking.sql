-- guard_breaking: RENAME COLUMN/TABLE, DROP COLUMN/TABLE, DROP SCHEMA CASCADE.
SET schema_oracle.guard = warn;
SET lock_timeout = '5s';
CREATE SCHEMA gb;
SET search_path = gb;
CREATE TABLE users (id bigint, name text, legacy text);
CREATE TABLE old_things (id bigint);
CREATE SCHEMA gb_staging;
CREATE TABLE gb_staging.imports (id bigint);
-- In use: read once (an empty table nobody ever read or wrote is not in
-- use, and the breaking rules skip it: sql/guard_forms.sql).
SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM old_things) AS n \gset
SELECT pg_stat_force_next_flush() AS flushed \gset

-- Breaking rules do not depend on size: they fire on tiny tables too.
ALTER TABLE users RENAME COLUMN name TO display_name;
ALTER TABLE users RENAME TO accounts;
ALTER TABLE accounts DROP COLUMN legacy;
DROP TABLE old_things;
DROP SCHEMA gb_staging CASCADE;
-- DROP SCHEMA without CASCADE is not this rule.
CREATE SCHEMA gb_empty;
DROP SCHEMA gb_empty;

-- Silent for objects created in the same transaction.
BEGIN;
CREATE TABLE scratch (id bigint, v text);
ALTER TABLE scratch RENAME COLUMN v TO w;
ALTER TABLE scratch DROP COLUMN w;
ALTER TABLE scratch RENAME TO scratch2;
DROP TABLE scratch2;
CREATE SCHEMA gb_tmp;
DROP SCHEMA gb_tmp CASCADE;
COMMIT;

SET schema_oracle.guard = off;
DROP SCHEMA gb CASCADE;
