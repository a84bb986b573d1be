-- security_known_defects: attack tests that FAIL TODAY, kept in the suite so
-- they are not forgotten (docs/security.md, "Known defects"). Each check
-- prints fixed = f now. When a defect is fixed the check prints t: update
-- this file's expected output, and move the check into the regular test.
--   1. FIXED (prints t): pg_repack recipes in guard hints (cluster_table,
--      vacuum_full, set_tablespace) are now shell words (core::shell_word,
--      src/core/guard_maintenance.cpp); sql/guard_text.sql tests it too.
--   2. The guard's derived names are not truncated to 63 bytes the way
--      PostgreSQL truncates them: the primary-key recipe for a 62-byte
--      table name says <name>_pkey (67 bytes), which PostgreSQL cuts to a
--      different name than the one it would choose (issue 8, item 2).
SET schema_oracle.guard = off;
CREATE SCHEMA sec_known;
GRANT USAGE, CREATE ON SCHEMA sec_known TO so_app;
SET ROLE so_app;
CREATE TABLE sec_known."Order$(touch /tmp/so_pwned)" (id bigint PRIMARY KEY, v int);
INSERT INTO sec_known."Order$(touch /tmp/so_pwned)" SELECT g, g FROM generate_series(1, 100) g;
CREATE TABLE sec_known."tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" (c bigint NOT NULL);
CREATE TABLE sec_known.hints (n serial, hint text);
CREATE FUNCTION sec_known.capture(stmt text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
    EXECUTE stmt;
EXCEPTION WHEN SQLSTATE 'SO001' THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
    INSERT INTO sec_known.hints (hint) VALUES (h);
END $$;
RESET ROLE;
SET schema_oracle.guard = block;
SET schema_oracle.size_threshold = 0;
SET schema_oracle.rule_levels = 'cluster_table=block,vacuum_full=block,set_tablespace=block,add_primary_key=block';
SET allow_in_place_tablespaces = on;
SET lock_timeout = '5s';
CREATE TABLESPACE "sec_known $(id)" LOCATION '';
GRANT CREATE ON TABLESPACE "sec_known $(id)" TO so_app;
SET ROLE so_app;
SELECT sec_known.capture($s$CLUSTER sec_known."Order$(touch /tmp/so_pwned)" USING "Order$(touch /tmp/so_pwned)_pkey"$s$);
SELECT sec_known.capture($s$VACUUM FULL sec_known."Order$(touch /tmp/so_pwned)"$s$);
SELECT sec_known.capture($s$ALTER TABLE sec_known."Order$(touch /tmp/so_pwned)" SET TABLESPACE "sec_known $(id)"$s$);
SELECT sec_known.capture($s$ALTER TABLE sec_known."tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt" ADD PRIMARY KEY (c)$s$);
-- 1. The shell command line, with its single-quoted words taken out, must
--    hold no $, backtick, double quote or backslash for bash to expand.
SELECT line AS pg_repack_line,
       regexp_replace(line, '''[^'']*''', '', 'g') !~ '[$`"\\]' AS fixed
FROM sec_known.hints, regexp_split_to_table(hint, E'\n') AS line
WHERE line LIKE 'pg_repack %';
-- 2. Every identifier a hint creates fits in 63 bytes.
SELECT m[1] AS created_name, octet_length(m[1]) AS bytes, octet_length(m[1]) <= 63 AS fixed
FROM sec_known.hints, regexp_matches(hint, 'CREATE UNIQUE INDEX CONCURRENTLY ("(?:[^"]|"")*"|[^ ]+) ON', 'g') AS m;
RESET ROLE;
RESET schema_oracle.rule_levels;
RESET schema_oracle.size_threshold;
SET schema_oracle.guard = off;
DROP SCHEMA sec_known CASCADE;
DROP TABLESPACE "sec_known $(id)";
RESET allow_in_place_tablespaces;
RESET lock_timeout;
RESET schema_oracle.guard;
