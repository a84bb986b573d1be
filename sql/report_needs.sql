-- report_needs: report() reads only the catalogs and model parts the
-- requested rules declare (src/core/report_needs.cpp). Each rule asked for
-- alone must find exactly what the whole report finds for it; exempted
-- findings too. Own schema, one or more objects per rule; dropped at the end.
CREATE SCHEMA rpt_needs;
SET search_path = rpt_needs;
SET client_min_messages = error;  -- the DDL guard's warnings are not what this is about
CREATE TABLE "Users" (id int PRIMARY KEY, "Email" varchar(255), password text, born_on text,
                      settings json, seen timestamp, code char(3), updated_at timestamptz);
CREATE TABLE orders (id int PRIMARY KEY, user_id bigint, created_at timestamptz,
                     updated_at timestamptz, note text);
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES "Users" NOT VALID;
CREATE INDEX orders_note_a ON orders (note);
CREATE INDEX orders_note_b ON orders (note);
CREATE INDEX orders_note_id ON orders (note, id);
CREATE TABLE nopk (x int);
CREATE TABLE nopk_candidate (a int NOT NULL, b int NOT NULL, c int);
CREATE UNIQUE INDEX nopk_candidate_ab ON nopk_candidate (a, b);
CREATE UNIQUE INDEX nopk_candidate_b ON nopk_candidate (b);
CREATE TABLE dupes (v int);
INSERT INTO dupes VALUES (1), (1);
CREATE UNIQUE INDEX CONCURRENTLY dupes_v_key ON dupes (v);
-- duplicates of indexes that back a unique and an exclusion constraint
-- (duplicate_index and redundant_index read only which index backs which)
CREATE TABLE backed (u int CONSTRAINT backed_u_key UNIQUE, e int,
                     CONSTRAINT backed_e_excl EXCLUDE USING btree (e WITH =));
CREATE INDEX backed_u_copy ON backed (u);
CREATE INDEX backed_e_copy ON backed (e);
CREATE INDEX backed_u_e ON backed (u, e);
CREATE TABLE counters (id serial PRIMARY KEY);
SELECT setval('counters_id_seq', 2000000000) IS NOT NULL AS set;
CREATE FUNCTION definer(text) RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS
    $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TABLE parted (id int, ref int REFERENCES "Users") PARTITION BY RANGE (id);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
-- A composite foreign key over quoted names, past a dropped column, of other
-- types than the key it references: the foreign-key rules read only these
-- columns (part::fk_columns), not every column of every table.
CREATE TABLE pair_parent (a int, "B x" text, PRIMARY KEY (a, "B x"));
CREATE TABLE pair_child (gone int, c1 bigint, "C 2" varchar(20), note text,
                         FOREIGN KEY (c1, "C 2") REFERENCES pair_parent);
ALTER TABLE pair_child DROP COLUMN gone;
SET schema_oracle.max_indexes_per_table = 2;
INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
    VALUES ('json_column', 'rpt_needs.%', 'test');
CREATE TEMP TABLE needs_all AS
    SELECT * FROM schema_oracle.report_objects(show_exempted => true);
SELECT DISTINCT rule, exempted FROM needs_all WHERE object_identity LIKE 'rpt_needs.%'
    OR object_identity LIKE '%on rpt_needs.%' ORDER BY 1, 2;
SELECT count(DISTINCT rule) > 10 AS many_rules_found FROM needs_all;
-- Rules whose findings differ when asked for alone: none.
SELECT r.rule
FROM schema_oracle.rules r
WHERE r.judged_by LIKE '%report%'
  AND EXISTS (
      (SELECT * FROM needs_all a WHERE a.rule = r.rule
       EXCEPT ALL
       SELECT * FROM schema_oracle.report_objects(rules => ARRAY[r.rule], show_exempted => true))
      UNION ALL
      (SELECT * FROM schema_oracle.report_objects(rules => ARRAY[r.rule], show_exempted => true)
       EXCEPT ALL
       SELECT * FROM needs_all a WHERE a.rule = r.rule))
ORDER BY 1;
-- Two rules from different families together, with a schema filter and a
-- severity floor: the same rows as filtering the whole report.
SELECT count(*) AS differing FROM (
    (SELECT * FROM schema_oracle.report_objects(include_schemas => ARRAY['rpt_needs'],
        min_severity => 'warning', rules => ARRAY['missing_primary_key', 'unused_index'])
     EXCEPT ALL
     SELECT * FROM needs_all WHERE rule IN ('missing_primary_key', 'unused_index')
         AND severity IN ('warning', 'error') AND NOT exempted
         AND object_identity LIKE 'rpt\_needs.%')
    UNION ALL
    (SELECT * FROM needs_all WHERE rule IN ('missing_primary_key', 'unused_index')
         AND severity IN ('warning', 'error') AND NOT exempted
         AND object_identity LIKE 'rpt\_needs.%'
     EXCEPT ALL
     SELECT * FROM schema_oracle.report_objects(include_schemas => ARRAY['rpt_needs'],
        min_severity => 'warning', rules => ARRAY['missing_primary_key', 'unused_index']))) d;
-- The foreign-key rules with the index rules (part::fk_columns beside
-- part::index_key_names and missing_primary_key's key columns): the same rows.
SELECT count(*) AS differing FROM (
    (SELECT * FROM schema_oracle.report_objects(show_exempted => true, rules =>
        ARRAY['fk_missing_index', 'fk_type_mismatch', 'redundant_index', 'missing_primary_key'])
     EXCEPT ALL
     SELECT * FROM needs_all WHERE rule IN ('fk_missing_index', 'fk_type_mismatch',
                                            'redundant_index', 'missing_primary_key'))
    UNION ALL
    (SELECT * FROM needs_all WHERE rule IN ('fk_missing_index', 'fk_type_mismatch',
                                            'redundant_index', 'missing_primary_key')
     EXCEPT ALL
     SELECT * FROM schema_oracle.report_objects(show_exempted => true, rules =>
        ARRAY['fk_missing_index', 'fk_type_mismatch', 'redundant_index', 'missing_primary_key']))) d;
SELECT rule, message, fix FROM needs_all WHERE object_identity LIKE '%on rpt_needs.pair_child'
    ORDER BY 1, 2;
DELETE FROM schema_oracle.exemptions WHERE object_pattern = 'rpt_needs.%';
RESET schema_oracle.max_indexes_per_table;
RESET search_path;
DROP SCHEMA rpt_needs CASCADE;
RESET client_min_messages;
