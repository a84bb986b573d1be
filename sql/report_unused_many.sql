-- report_unused_many: past 512 candidate indexes, unused_index reads the
-- scan counts in one pass over the shared statistics hash table
-- (src/pg/catalog_reader.cpp, fetch_index_scans) instead of one lookup per
-- index; it must find exactly what the per-index lookups find (as they run
-- under stats_fetch_consistency = snapshot). 150 tables, 600 plain indexes,
-- four of them scanned. Own schema; dropped at the end.
CREATE SCHEMA rpt_many;
SET search_path = rpt_many;
SET client_min_messages = error;  -- the DDL guard's warnings are not what this is about
DO $$
BEGIN
    FOR i IN 1..150 LOOP
        EXECUTE format('CREATE TABLE t%s (a int, b int, c int, d int)', i);
        EXECUTE format('CREATE INDEX t%s_a ON t%s (a)', i, i);
        EXECUTE format('CREATE INDEX t%s_b ON t%s (b)', i, i);
        EXECUTE format('CREATE INDEX t%s_c ON t%s (c)', i, i);
        EXECUTE format('CREATE INDEX t%s_d ON t%s (d)', i, i);
    END LOOP;
END $$;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM t1 WHERE a = 1;
SELECT count(*) FROM t2 WHERE b = 1;
SELECT count(*) FROM t77 WHERE c = 1;
SELECT count(*) FROM t150 WHERE d = 1;
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT pg_stat_force_next_flush();
SELECT count(*) AS unused
FROM schema_oracle.report(include_schemas => '{rpt_many}', rules => '{unused_index}');
SELECT object_identity AS scanned_but_reported
FROM schema_oracle.report(include_schemas => '{rpt_many}', rules => '{unused_index}')
WHERE object_identity IN ('rpt_many.t1_a', 'rpt_many.t2_b', 'rpt_many.t77_c', 'rpt_many.t150_d');
SET stats_fetch_consistency = snapshot;
CREATE TEMP TABLE unused_by_lookup AS
    SELECT object_identity
    FROM schema_oracle.report(include_schemas => '{rpt_many}', rules => '{unused_index}');
RESET stats_fetch_consistency;
-- one pass and lookups: the same findings
SELECT count(*) AS differences
FROM ((SELECT object_identity
       FROM schema_oracle.report(include_schemas => '{rpt_many}', rules => '{unused_index}')
       EXCEPT ALL SELECT * FROM unused_by_lookup)
      UNION ALL
      (SELECT * FROM unused_by_lookup
       EXCEPT ALL
       SELECT object_identity
       FROM schema_oracle.report(include_schemas => '{rpt_many}', rules => '{unused_index}'))) d;
DROP TABLE unused_by_lookup;
RESET search_path;
DROP SCHEMA rpt_many CASCADE;
