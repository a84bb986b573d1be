-- guard_hygiene: json, int4 keys, timestamp, char(n), varchar(255), as NOTICEs.
SET schema_oracle.guard = warn;
SET lock_timeout = '5s';
CREATE SCHEMA gh;
SET search_path = gh;

-- Fires, once per column, at CREATE TABLE (even though the table is new).
CREATE TABLE parents (id serial PRIMARY KEY);
CREATE TABLE bad (
    id integer PRIMARY KEY,
    parent_id int REFERENCES parents,
    payload json,
    created timestamp,
    code char(3),
    email varchar(255),
    other_id int,
    FOREIGN KEY (other_id) REFERENCES parents (id)
);
-- Silent: the recommended types.
CREATE TABLE good (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id bigint REFERENCES parents,
    payload jsonb,
    created timestamptz,
    code text,
    email varchar(320),
    counter int,
    "json" text
);
-- ADD COLUMN and ALTER COLUMN TYPE too.
ALTER TABLE good ADD COLUMN extra json;
ALTER TABLE good ALTER COLUMN code TYPE char(2);
-- Keys added later by ALTER TABLE: integer key columns fire, bigint ones do not.
CREATE TABLE later_keys (id int, parent_id int, big_id bigint);
ALTER TABLE later_keys ADD PRIMARY KEY (id);
ALTER TABLE later_keys ADD FOREIGN KEY (parent_id) REFERENCES parents (id);
ALTER TABLE later_keys ADD UNIQUE (big_id);
ALTER TABLE later_keys ADD FOREIGN KEY (big_id) REFERENCES good (id);
-- A user type that merely shares a name is not json.
CREATE DOMAIN gh.json AS jsonb;
CREATE TABLE shadow (payload gh.json);
-- Never blocking by default.
SET schema_oracle.guard = block;
CREATE TABLE still_allowed (payload json);
SET schema_oracle.guard = off;
DROP SCHEMA gh CASCADE;
