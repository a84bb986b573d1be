-- demo.sql: a tour of schema_oracle on the sample schema (run by scripts/demo.sh).
\set ON_ERROR_STOP on
\pset footer off
\echo
\echo '== 1. Install the extension (once per database, as a superuser)'
CREATE EXTENSION schema_oracle;
SELECT schema_oracle.version();

\echo
\echo '== 2. The rule catalog: one vocabulary for the guard, the report and the docs'
SELECT category, count(*) AS rules, string_agg(rule, ', ' ORDER BY rule) AS ids
FROM schema_oracle.rules GROUP BY category ORDER BY category;

\echo
\echo '== 3. Every rule explains itself'
\pset format unaligned
\pset tuples_only on
SELECT schema_oracle.explain_rule('create_index_not_concurrently');
\pset format aligned
\pset tuples_only off

\echo
\echo '== 4. The live guard judges each migration statement as it runs (policy: warn)'
\echo '   Lock and rewrite rules skip small tables; the demo lowers the threshold from 10MB to 1MB.'
SET schema_oracle.size_threshold = '1MB';
SELECT c.oid::regclass AS "table", pg_size_pretty(pg_relation_size(c.oid)) AS size,
       c.reltuples::bigint AS rows
FROM pg_class c
WHERE c.oid IN ('market.orders'::regclass, 'blog.posts'::regclass, 'market.payments'::regclass,
                'blog.users'::regclass)
ORDER BY pg_relation_size(c.oid) DESC;

-- A migration the way an ORM writes it. Every statement runs in its own
-- transaction that we roll back, so the sample schema stays as it was.
SET lock_timeout = '5s';
\echo
\echo '-- CREATE INDEX without CONCURRENTLY on a busy table:'
BEGIN;
CREATE INDEX orders_status_idx ON market.orders (status);
ROLLBACK;
\echo
\echo '-- a type change that rewrites the table (numeric scale change):'
BEGIN;
ALTER TABLE market.orders ALTER COLUMN total TYPE numeric(20, 4);
ROLLBACK;
\echo
\echo '-- ...and one that does not (varchar widening): silent'
BEGIN;
ALTER TABLE blog.users ALTER COLUMN email TYPE varchar(320);
ROLLBACK;
\echo
\echo '-- a volatile default rewrites the table; a constant or now() does not:'
BEGIN;
ALTER TABLE blog.posts ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
ROLLBACK;
BEGIN;
ALTER TABLE blog.posts ADD COLUMN archived boolean NOT NULL DEFAULT false;
ROLLBACK;
\echo
\echo '-- SET NOT NULL scans the whole table under ACCESS EXCLUSIVE:'
BEGIN;
ALTER TABLE market.payments ALTER COLUMN paid_at SET NOT NULL;
ROLLBACK;
\echo
\echo '-- a validated foreign key scans both tables; NOT VALID does not:'
BEGIN;
ALTER TABLE market.payments ADD CONSTRAINT payments_order_fk
    FOREIGN KEY (order_id) REFERENCES market.orders (id);
ROLLBACK;
BEGIN;
ALTER TABLE market.payments ADD CONSTRAINT payments_order_fk
    FOREIGN KEY (order_id) REFERENCES market.orders (id) NOT VALID;
ROLLBACK;
\echo
\echo '-- tables created in the same transaction are exempt (nobody else can see them):'
BEGIN;
CREATE TABLE market.refunds (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                             payment_id bigint NOT NULL, amount numeric(20, 2) NOT NULL);
CREATE INDEX refunds_payment_id_idx ON market.refunds (payment_id);
ALTER TABLE market.refunds ADD FOREIGN KEY (payment_id) REFERENCES market.payments (id) NOT VALID;
ROLLBACK;
\echo
\echo '-- DDL inside a DO block is judged like any other:'
BEGIN;
DO $$ BEGIN EXECUTE 'ALTER TABLE blog.comments RENAME COLUMN body TO content'; END $$;
ROLLBACK;

\echo
\echo '== 5. Block mode stops the statement before it takes a lock (SQLSTATE SO001)'
SET schema_oracle.guard = block;
\set ON_ERROR_STOP off
CREATE INDEX orders_status_idx ON market.orders (status);
\echo SQLSTATE :LAST_ERROR_SQLSTATE
\set ON_ERROR_STOP on
\echo
\echo '-- the safe alternative runs silently:'
CREATE INDEX CONCURRENTLY orders_status_idx ON market.orders (status);
DROP INDEX CONCURRENTLY market.orders_status_idx;
\echo
\echo '-- a waiver for one transaction, with a reason (written to the server log):'
BEGIN;
SELECT schema_oracle.allow('create_index_not_concurrently', 'demo: orders is read-only tonight') \g /dev/null
CREATE INDEX orders_status_idx ON market.orders (status);
ROLLBACK;
RESET schema_oracle.guard;
RESET schema_oracle.size_threshold;

\echo
\echo '== 6. The utility hook judges what fires no event trigger (VACUUM FULL, CLUSTER, REINDEX, TRUNCATE)'
VACUUM FULL market.transactions;

\echo
\echo '== 7. The schema report: the whole database in one catalog pass, each finding with a fix'
SELECT severity, rule, object_identity FROM schema_oracle.report
WHERE rule NOT IN ('missing_audit_columns', 'unused_index');
\echo
\echo '-- the runnable fixes (apply them with \\gexec):'
SELECT rule, fix FROM schema_oracle.report
WHERE fix IS NOT NULL AND severity IN ('error', 'warning');
\echo
\echo '-- for CI: report_json(), report_sarif() and scripts/report-ci.sh --fail-on error'
SELECT jsonb_array_length(schema_oracle.report_sarif() -> 'runs' -> 0 -> 'results') AS sarif_results,
       jsonb_array_length(schema_oracle.report_sarif() -> 'runs' -> 0 -> 'tool' -> 'driver' -> 'rules') AS sarif_rules;
