-- erd_equivalence: erd() (C++, 41-erd-speed.sql) writes exactly the text of
-- its SQL reference schema_oracle._erd_sql() (40-erd.sql), byte for byte,
-- for every option: both formats, keys_only, around/depth, the schema
-- filters (NULL elements included), findings, hostile names, partitions,
-- user types, dropped columns, and a caller with partial privileges.
SET client_min_messages = error;
\i test/render/hostile_schema.sql
CREATE SCHEMA erd_eq;
CREATE TYPE erd_eq.mood AS ENUM ('ok', 'meh');
CREATE DOMAIN erd_eq.cents AS bigint CHECK (VALUE >= 0);
CREATE TABLE erd_eq.parents (id int PRIMARY KEY, code text, alt int NOT NULL, dropped int, m erd_eq.mood,
                             tags text[], price erd_eq.cents, at timestamp(3) with time zone);
ALTER TABLE erd_eq.parents DROP COLUMN dropped;
CREATE UNIQUE INDEX ON erd_eq.parents (lower(code));
CREATE UNIQUE INDEX ON erd_eq.parents (alt) INCLUDE (code);
COMMENT ON TABLE erd_eq.parents IS 'the parents';
COMMENT ON COLUMN erd_eq.parents.m IS 'a mood';
CREATE TABLE erd_eq.kids (id int PRIMARY KEY, parent_id int NOT NULL UNIQUE REFERENCES erd_eq.parents,
                          alt int REFERENCES erd_eq.parents (alt) ON DELETE SET DEFAULT ON UPDATE CASCADE);
CREATE TABLE erd_eq.log (id bigint, at date NOT NULL, kid int REFERENCES erd_eq.kids ON DELETE CASCADE,
                         PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE erd_eq.log_1 PARTITION OF erd_eq.log FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')
    PARTITION BY RANGE (at);
CREATE TABLE erd_eq.log_1a PARTITION OF erd_eq.log_1 FOR VALUES FROM ('2020-01-01') TO ('2020-07-01');
CREATE TABLE erd_eq.log_2 PARTITION OF erd_eq.log FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
-- a foreign key declared on a partition itself is drawn from its root
ALTER TABLE erd_eq.log_2 ADD CONSTRAINT log_2_parent FOREIGN KEY (kid) REFERENCES erd_eq.parents;
-- a foreign key to a partitioned table
CREATE TABLE erd_eq.log_refs (id int PRIMARY KEY, log_id bigint, log_at date,
                              FOREIGN KEY (log_id, log_at) REFERENCES erd_eq.log);
-- an inheritance child (not a partition) is a table of its own
CREATE TABLE erd_eq.heir (extra int) INHERITS (erd_eq.parents);
CREATE TABLE erd_eq.empty ();
CREATE TABLE erd_eq.priv (id int PRIMARY KEY, parent_id int REFERENCES erd_eq.parents, secret text);
COMMENT ON COLUMN erd_eq.priv.secret IS 'only for the owner';
CREATE TABLE erd_eq.hidden (id int PRIMARY KEY, priv_id int REFERENCES erd_eq.priv);
GRANT USAGE ON SCHEMA erd_eq TO so_app;
GRANT SELECT (id, parent_id) ON erd_eq.priv TO so_app;
GRANT REFERENCES ON erd_eq.parents TO so_app;
GRANT INSERT (id) ON erd_eq.kids TO so_app;
RESET client_min_messages;

CREATE FUNCTION pg_temp.same(fmt text, inc text[] DEFAULT NULL, exc text[] DEFAULT NULL, around text DEFAULT NULL,
                             depth int DEFAULT 1, keys_only boolean DEFAULT false, findings boolean DEFAULT false)
RETURNS text LANGUAGE sql AS $$
    SELECT CASE WHEN a IS NOT DISTINCT FROM b THEN 'same' ELSE concat('DIFFERENT:', E'\n', a, E'\n----\n', b) END
    FROM (SELECT schema_oracle.erd(fmt, inc, exc, around, depth, keys_only, findings) AS a,
                 schema_oracle._erd_sql(fmt, inc, exc, around, depth, keys_only, findings) AS b) x
$$;
SELECT f AS format, o.name, pg_temp.same(f, o.inc, o.exc, o.around, o.depth, o.keys_only, o.findings)
FROM (VALUES ('mermaid'), ('dot')) AS fmt(f),
     (VALUES ('everything', NULL::text[], NULL::text[], NULL, 1, false, false),
             ('hostile', '{we ird,Ünï ☃,select,select.a}', NULL, NULL, 1, false, false),
             ('hostile findings', '{we ird,Ünï ☃,select,select.a}', NULL, NULL, 1, false, true),
             ('erd_eq', '{erd_eq}', NULL, NULL, 1, false, false),
             ('erd_eq keys_only', '{erd_eq}', NULL, NULL, 1, true, false),
             ('erd_eq keys_only NULL', '{erd_eq}', NULL, NULL, 1, NULL, false),
             ('erd_eq findings', '{erd_eq}', NULL, NULL, 1, false, true),
             ('around a partition', '{erd_eq}', NULL, 'erd_eq.log_1a', 1, false, true),
             ('around depth 0', NULL, NULL, 'erd_eq.kids', 0, false, false),
             ('around depth 3', NULL, NULL, 'erd_eq.hidden', 3, true, false),
             ('exclude', NULL, '{erd_eq}', NULL, 1, false, false),
             ('exclude with a NULL', NULL, '{erd_eq,NULL}', NULL, 1, false, false),
             ('include with a NULL', '{erd_eq,NULL}', NULL, NULL, 1, false, false),
             ('nothing', '{}', NULL, NULL, 1, false, false)) AS o(name, inc, exc, around, depth, keys_only, findings)
ORDER BY o.name, f;

-- as a role that sees part of the schema
SET ROLE so_app;
SELECT f AS format, pg_temp.same(f, '{erd_eq}', NULL, NULL, 1, false, true) AS as_so_app,
       pg_temp.same(f, '{erd_eq}', NULL, 'erd_eq.priv', 2, false, false) AS around_as_so_app
FROM (VALUES ('mermaid'), ('dot')) AS fmt(f);
RESET ROLE;

SET client_min_messages = error;
DROP SCHEMA "we ird", "Ünï ☃", "select", "select.a", erd_eq CASCADE;
