-- report_index_names: duplicate_index and redundant_index alone read only
-- the key columns' names of the tables where two usable indexes start with
-- the same column, from the syscache when those tables are few (under 1/16
-- of the tables; part::index_key_names). Their findings must equal the whole
-- report's, names quoted and ordered as there. Own schema; dropped at the end.
CREATE SCHEMA rpt_ixnames;
SET search_path = rpt_ixnames;
SET client_min_messages = error;
DO $$ BEGIN
    FOR i IN 1..40 LOOP
        EXECUTE format('CREATE TABLE plain%s (id int PRIMARY KEY, a int, b int)', i);
        EXECUTE format('CREATE INDEX ON plain%s (a)', i);
    END LOOP;
END $$;
CREATE TABLE "Mixed Case" (id int PRIMARY KEY, "Col A" int, "b""q" int, c int, note text);
CREATE INDEX mixed_a_1 ON "Mixed Case" ("Col A");
CREATE INDEX mixed_a_2 ON "Mixed Case" ("Col A");
CREATE INDEX mixed_a_bq ON "Mixed Case" ("Col A", "b""q") INCLUDE (c);
CREATE INDEX mixed_lower_1 ON "Mixed Case" (lower(note));
CREATE INDEX mixed_lower_2 ON "Mixed Case" (lower(note));
CREATE TABLE nokey (a int NOT NULL, b int);  -- also missing_primary_key's candidate
CREATE UNIQUE INDEX nokey_a ON nokey (a);
CREATE INDEX nokey_a_b ON nokey (a, b);
CREATE INDEX nokey_a_dup ON nokey (a);
CREATE VIEW whole AS
    SELECT rule, object_identity, message, detail, fix FROM schema_oracle.report()
    WHERE rule IN ('duplicate_index', 'redundant_index', 'missing_primary_key')
      AND table_identity LIKE 'rpt_ixnames.%';
CREATE FUNCTION alone(text[]) RETURNS TABLE (rule text, object_identity text, message text,
                                            detail text, fix text) LANGUAGE sql AS $$
    SELECT rule, object_identity, message, detail, fix FROM schema_oracle.report(rules => $1)
    WHERE table_identity LIKE 'rpt_ixnames.%' $$;
SELECT rule, object_identity, message FROM alone(ARRAY['duplicate_index'])
ORDER BY 1, 2;
SELECT rule, object_identity, message FROM alone(ARRAY['redundant_index'])
ORDER BY 1, 2;
-- Alone, together, and with missing_primary_key (which reads its own key
-- columns): the same findings as the whole report.
SELECT count(*) AS differ FROM (
    (SELECT * FROM whole WHERE rule <> 'missing_primary_key'
     EXCEPT ALL (SELECT * FROM alone(ARRAY['duplicate_index'])
                 UNION ALL SELECT * FROM alone(ARRAY['redundant_index'])))
    UNION ALL
    ((SELECT * FROM alone(ARRAY['duplicate_index'])
      UNION ALL SELECT * FROM alone(ARRAY['redundant_index']))
     EXCEPT ALL SELECT * FROM whole WHERE rule <> 'missing_primary_key')) d;
SELECT count(*) AS differ FROM (
    (SELECT * FROM whole EXCEPT ALL
     SELECT * FROM alone(ARRAY['duplicate_index', 'redundant_index', 'missing_primary_key']))
    UNION ALL
    (SELECT * FROM alone(ARRAY['duplicate_index', 'redundant_index', 'missing_primary_key'])
     EXCEPT ALL SELECT * FROM whole)) d;
SELECT count(*) AS findings FROM whole;
RESET search_path;
DROP SCHEMA rpt_ixnames CASCADE;
RESET client_min_messages;
