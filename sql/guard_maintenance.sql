-- guard_maintenance: SET LOGGED/UNLOGGED, SET TABLESPACE, SET ACCESS METHOD,
-- REFRESH MATERIALIZED VIEW, ATTACH/DETACH PARTITION, ALTER DOMAIN.
SET schema_oracle.guard = warn;
SET schema_oracle.size_threshold = 0;
SET lock_timeout = '5s';
CREATE SCHEMA gm;
SET search_path = gm;
CREATE TABLE logs (id bigint, msg text);
INSERT INTO logs VALUES (1, 'a');

-- SET UNLOGGED / SET LOGGED: fire; a no-op (already logged) is silent.
ALTER TABLE logs SET LOGGED;
ALTER TABLE logs SET UNLOGGED;
ALTER TABLE logs SET LOGGED;

-- SET TABLESPACE: fires; the table's own tablespace is silent.
SET allow_in_place_tablespaces = true;
CREATE TABLESPACE gm_space LOCATION '';
ALTER TABLE logs SET TABLESPACE pg_default;
ALTER TABLE logs SET TABLESPACE gm_space;
ALTER TABLE logs SET TABLESPACE pg_default;

-- SET ACCESS METHOD: fires for another method; silent for its own.
CREATE ACCESS METHOD gm_heap TYPE TABLE HANDLER heap_tableam_handler;
ALTER TABLE logs SET ACCESS METHOD heap;
ALTER TABLE logs SET ACCESS METHOD gm_heap;

-- REFRESH MATERIALIZED VIEW: fires; CONCURRENTLY is silent.
CREATE MATERIALIZED VIEW log_counts AS SELECT msg, count(*) AS n FROM logs GROUP BY msg;
CREATE UNIQUE INDEX CONCURRENTLY log_counts_msg ON log_counts (msg);
REFRESH MATERIALIZED VIEW log_counts;
REFRESH MATERIALIZED VIEW CONCURRENTLY log_counts;

-- ATTACH PARTITION: fires without a validated CHECK proving the bound,
-- silent with one.
CREATE TABLE events (id bigint, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2025 (id bigint, at date NOT NULL);
INSERT INTO events_2025 VALUES (1, '2025-03-03');
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_2026 (id bigint, at date NOT NULL);
INSERT INTO events_2026 VALUES (2, '2026-03-03');
ALTER TABLE events_2026 ADD CONSTRAINT events_2026_bound
    CHECK (at >= '2026-01-01' AND at < '2027-01-01') NOT VALID;
ALTER TABLE events_2026 VALIDATE CONSTRAINT events_2026_bound;
ALTER TABLE events ATTACH PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');

-- DETACH PARTITION: fires; CONCURRENTLY is silent outside a transaction
-- block and fires inside one.
ALTER TABLE events DETACH PARTITION events_2025;
BEGIN;
ALTER TABLE events DETACH PARTITION events_2026 CONCURRENTLY;
ROLLBACK;
ALTER TABLE events DETACH PARTITION events_2026 CONCURRENTLY;

-- ALTER DOMAIN ADD CONSTRAINT: fires; NOT VALID is silent.
CREATE DOMAIN positive_int AS int;
CREATE TABLE counts (n positive_int);
ALTER DOMAIN positive_int ADD CONSTRAINT positive_int_check CHECK (VALUE > 0);
ALTER DOMAIN positive_int ADD CONSTRAINT positive_int_small CHECK (VALUE < 100) NOT VALID;
-- Unnamed, the hint names it as PostgreSQL would (positive_int_check is
-- taken: positive_int_check1) and keeps the condition; pasted, it adds
-- the same constraint.
CREATE DOMAIN code AS text COLLATE "C";
CREATE TABLE codes (c code);
SET schema_oracle.rule_levels = 'alter_domain_add_constraint=block';
SELECT regress_helpers.hint_of($$ALTER DOMAIN code ADD CHECK (VALUE IN ('a', 'b') AND length(VALUE) < 3)$$) AS hint \gset
SELECT regress_helpers.hint_of('ALTER DOMAIN positive_int ADD CHECK (VALUE <> 7)') AS hint2 \gset
RESET schema_oracle.rule_levels;
\echo :hint
\echo :hint2
SELECT line FROM regress_helpers.paste(:'hint') line WHERE line LIKE 'ALTER DOMAIN%NOT VALID;' \gexec
SELECT line FROM regress_helpers.paste(:'hint2') line WHERE line LIKE 'ALTER DOMAIN%NOT VALID;' \gexec
SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
WHERE contypid IN ('code'::regtype, 'positive_int'::regtype) ORDER BY conname;

SET schema_oracle.guard = off;
DROP SCHEMA gm CASCADE;
DROP ACCESS METHOD gm_heap;
DROP TABLESPACE gm_space;
