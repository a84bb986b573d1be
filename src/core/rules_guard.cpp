// rules_guard.cpp: catalog entries for the rules the live DDL guard judges
// (and the type-hygiene rules it shares with report()).
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

const std::vector<RuleInfo>& guard_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "create_index_not_concurrently",
            Category::lock,
            Severity::error,
            Scope::guard,
            "CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole "
            "build.",
            "A `CREATE INDEX` (or `CREATE UNIQUE INDEX`) without `CONCURRENTLY` on a table that "
            "existed before the current transaction and is above the size threshold (for a "
            "partitioned table: the sum of its partitions, reported once for the parent). Indexes "
            "on tables created in the same transaction are silent.",
            "A plain index build holds a SHARE lock on the table until it has read every row and "
            "sorted the keys: minutes on a large table, during which every INSERT, UPDATE and "
            "DELETE waits, and the application's connection pool fills up behind them.",
            "SHARE on the table: blocks writes (INSERT, UPDATE, DELETE, MERGE); reads continue.",
            "Build the index concurrently, outside a transaction block:\n\n"
            "```sql\nSET lock_timeout = '5s';\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders "
            "(customer_id);\n```\n\n"
            "If it fails it leaves an INVALID index behind: drop it with "
            "`DROP INDEX CONCURRENTLY` and try again. A partitioned table cannot be indexed "
            "concurrently as a whole: create the index `ON ONLY` the parent, build each "
            "partition's index concurrently, then `ALTER INDEX ... ATTACH PARTITION` each one.",
        },
        {
            "rename_column",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "RENAME COLUMN breaks every running client that still uses the old name.",
            "`ALTER TABLE ... RENAME COLUMN` on a table that existed before the current "
            "transaction.",
            "The rename is instant, but application servers that are still running the previous "
            "release keep sending queries with the old column name, and they fail until every "
            "instance has been redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly: blocks reads and writes while it waits.",
            "Rename in steps that keep old and new code working:\n\n"
            "1. add the new column, write to both (trigger or application), backfill in batches;\n"
            "2. deploy code that reads the new column;\n"
            "3. drop the old column in a later release.\n\n"
            "```sql\nALTER TABLE users ADD COLUMN display_name text;\n"
            "-- backfill: CALL your batched update, then switch readers, then:\n"
            "ALTER TABLE users DROP COLUMN name;\n```",
        },
        {
            "drop_index_not_concurrently",
            Category::lock,
            Severity::error,
            Scope::guard,
            "DROP INDEX without CONCURRENTLY locks the whole table against reads and writes.",
            "A `DROP INDEX` without `CONCURRENTLY` of an index on a table that existed before the "
            "current transaction and is above the size threshold.",
            "A plain DROP INDEX takes ACCESS EXCLUSIVE on the index's table. It is quick once "
            "granted, but it waits behind every running query, and every query that arrives "
            "meanwhile waits behind it.",
            "ACCESS EXCLUSIVE on the table: blocks all reads and writes.",
            "Drop it concurrently, outside a transaction block:\n\n```sql\nSET lock_timeout = "
            "'5s';\nDROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_idx;\n```",
        },
        {
            "reindex_not_concurrently",
            Category::lock,
            Severity::error,
            Scope::guard,
            "REINDEX without CONCURRENTLY blocks writes of the table for the whole rebuild.",
            "`REINDEX INDEX` or `REINDEX TABLE` without `CONCURRENTLY` on a table that existed "
            "before the current transaction and is above the size threshold (judged by the "
            "ProcessUtility hook, as PostgreSQL 15 fires no event trigger for REINDEX).",
            "A plain REINDEX holds SHARE on the table (writes wait) and ACCESS EXCLUSIVE on the "
            "index (queries that would use it wait) until the rebuild ends.",
            "SHARE on the table and ACCESS EXCLUSIVE on the index.",
            "Rebuild concurrently, outside a transaction block:\n\n```sql\nSET lock_timeout = "
            "'5s';\nREINDEX INDEX CONCURRENTLY orders_customer_id_idx;\n```",
        },
        {
            "concurrently_in_transaction",
            Category::lock,
            Severity::error,
            Scope::guard,
            "A CONCURRENTLY statement inside a transaction block, which PostgreSQL refuses.",
            "`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX ... CONCURRENTLY` or "
            "`DETACH PARTITION ... CONCURRENTLY` run inside `BEGIN ... COMMIT`.",
            "These statements run several transactions of their own and fail inside a transaction "
            "block, so the migration stops half way.",
            "",
            "Run the statement on its own, outside a transaction block (mark the migration "
            "non-transactional in your tool):\n\n```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "
            "orders_customer_id_idx ON orders (customer_id);\n```",
        },
        {
            "add_column_volatile_default",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "ADD COLUMN with a volatile default (or serial, identity) rewrites the whole table.",
            "`ADD COLUMN` on an existing table above the size threshold whose default calls a "
            "volatile function (random(), clock_timestamp(), gen_random_uuid(), nextval(), ...), "
            "or that is serial/bigserial or an identity column, or whose type is a domain with "
            "constraints and a default is given. The volatility is decided by PostgreSQL itself "
            "(the cooked default is checked with contain_volatile_functions). Non-volatile "
            "defaults such as constants and now() are metadata-only and silent.",
            "Every row must receive its own value, so PostgreSQL rewrites the table and all its "
            "indexes under ACCESS EXCLUSIVE: no reads or writes for minutes on a large table, and "
            "twice its size in disk space.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite: blocks all reads and writes.",
            "Add the column without the default, set the default for new rows, backfill in "
            "batches:\n\n```sql\nSET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN token "
            "uuid;\nALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();\n-- in "
            "batches:\nUPDATE orders SET token = gen_random_uuid() WHERE token IS NULL AND id "
            "BETWEEN 1 AND 10000;\n```",
        },
        {
            "add_column_generated_stored",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the whole table.",
            "`ADD COLUMN` of a stored generated column on an existing table above the size "
            "threshold.",
            "PostgreSQL computes the expression for every row by rewriting the table and its "
            "indexes under ACCESS EXCLUSIVE.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite: blocks all reads and writes.",
            "Add a plain column, keep it current with a trigger, backfill in "
            "batches:\n\n```sql\nSET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN "
            "total_cents bigint;\n-- CREATE TRIGGER ... BEFORE INSERT OR UPDATE that sets "
            "total_cents\nUPDATE orders SET total_cents = amount * 100 WHERE total_cents IS NULL "
            "AND id BETWEEN 1 AND 10000;\n```",
        },
        {
            "add_column_not_null_no_default",
            Category::breaking,
            Severity::error,
            Scope::guard,
            "ADD COLUMN ... NOT NULL without a default fails on a table that has rows.",
            "`ADD COLUMN ... NOT NULL` with no default (and not serial, identity or generated) on "
            "an existing table that is not known to be empty (it has blocks and pg_class.reltuples "
            "is not 0). Size threshold does not apply: the statement fails at any size.",
            "PostgreSQL cannot fill the existing rows, so the statement fails with a NOT NULL "
            "violation after taking ACCESS EXCLUSIVE; and clients of the previous release that "
            "INSERT without the column would fail too.",
            "ACCESS EXCLUSIVE on the table while it runs.",
            "Give it a non-volatile default (metadata-only since PostgreSQL 11), or add it "
            "nullable and backfill:\n\n```sql\nALTER TABLE orders ADD COLUMN status text NOT NULL "
            "DEFAULT 'new';\n```",
        },
        {
            "alter_column_type_rewrite",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "ALTER COLUMN TYPE that PostgreSQL implements by rewriting the table.",
            "`ALTER COLUMN ... TYPE` on an existing table above the size threshold when PostgreSQL "
            "would rewrite: decided as PostgreSQL decides, by coercing the old column to the new "
            "type and checking whether only binary-compatible relabels, unconstrained domains or a "
            "UTC timestamp/timestamptz switch remain. Silent for varchar widening, varchar to "
            "text, numeric precision increase with the same scale, timestamp to timestamptz when "
            "TimeZone is UTC. Fires for int to bigint, varchar shrink, char(n) to text, numeric "
            "scale change, jsonb to json, and a USING expression that does not reduce to the "
            "column itself (`USING id + 1`; `USING id::int` on an int column is no rewrite).",
            "The table and all its indexes are rewritten under ACCESS EXCLUSIVE: no reads or "
            "writes for the whole rewrite.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite: blocks all reads and writes.",
            "Add a new column, keep both in sync, backfill in batches, swap:\n\n```sql\nSET "
            "lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN id_new bigint;\n-- trigger to "
            "copy id into id_new, then in batches:\nUPDATE orders SET id_new = id WHERE id_new IS "
            "NULL AND id BETWEEN 1 AND 10000;\n-- then rename in one short transaction\n```",
        },
        {
            "set_not_null_scan",
            Category::lock,
            Severity::error,
            Scope::guard,
            "SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated CHECK "
            "proves it.",
            "`ALTER COLUMN ... SET NOT NULL` on an existing table above the size threshold when no "
            "validated CHECK constraint implies `col IS NOT NULL` (checked the way PostgreSQL "
            "checks it, by predicate proof over the table's validated CHECK constraints).",
            "PostgreSQL reads every row to prove there is no NULL, holding ACCESS EXCLUSIVE "
            "throughout.",
            "ACCESS EXCLUSIVE on the table for the whole scan: blocks all reads and writes.",
            "Prove it first with a NOT VALID check validated separately; SET NOT NULL then skips "
            "the scan:\n\n```sql\nSET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT "
            "orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;\nALTER TABLE "
            "orders VALIDATE CONSTRAINT orders_customer_id_not_null;\nALTER TABLE orders ALTER "
            "COLUMN customer_id SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT "
            "orders_customer_id_not_null;\n```",
        },
        {
            "add_foreign_key_validated",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD FOREIGN KEY without NOT VALID scans the table while blocking writes on both "
            "tables.",
            "`ADD CONSTRAINT ... FOREIGN KEY` (or `ADD COLUMN ... REFERENCES` via ADD CONSTRAINT) "
            "without `NOT VALID` on an existing table above the size threshold.",
            "Validation reads every row while SHARE ROW EXCLUSIVE is held on the table and on the "
            "referenced table: writes to both wait.",
            "SHARE ROW EXCLUSIVE on both tables: blocks writes.",
            "Add it NOT VALID, then validate in a separate transaction (SHARE UPDATE EXCLUSIVE "
            "only):\n\n```sql\nSET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT "
            "orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) NOT "
            "VALID;\nCOMMIT;\nALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;\n```",
        },
        {
            "add_check_validated",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD CHECK without NOT VALID scans the whole table under ACCESS EXCLUSIVE.",
            "`ADD CONSTRAINT ... CHECK` without `NOT VALID` on an existing table above the size "
            "threshold.",
            "Validation reads every row while ACCESS EXCLUSIVE is held: no reads or writes "
            "meanwhile.",
            "ACCESS EXCLUSIVE on the table for the whole scan: blocks all reads and writes.",
            "Add it NOT VALID, then validate in a separate transaction (SHARE UPDATE EXCLUSIVE "
            "only):\n\n```sql\nSET lock_timeout = '5s';\nALTER TABLE orders ADD CONSTRAINT "
            "orders_amount_positive CHECK (amount > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders "
            "VALIDATE CONSTRAINT orders_amount_positive;\n```",
        },
        {
            "validate_same_transaction",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "VALIDATE CONSTRAINT while the same transaction still holds the strong lock from "
            "adding it.",
            "`VALIDATE CONSTRAINT` on an existing table when this transaction already holds SHARE "
            "ROW EXCLUSIVE or a stronger lock on it (typically from `ADD CONSTRAINT ... NOT VALID` "
            "earlier in the same transaction). Checked with the backend's own lock table, like "
            "strong_migrations does.",
            "The point of NOT VALID is that validation then runs under SHARE UPDATE EXCLUSIVE; in "
            "the same transaction the scan runs under the strong lock instead.",
            "The strong lock already held (SHARE ROW EXCLUSIVE or ACCESS EXCLUSIVE) for the whole "
            "scan.",
            "Commit between adding and validating:\n\n```sql\nALTER TABLE orders ADD CONSTRAINT "
            "orders_amount_positive CHECK (amount > 0) NOT VALID;\nCOMMIT;\nALTER TABLE orders "
            "VALIDATE CONSTRAINT orders_amount_positive;\n```",
        },
        {
            "add_unique_constraint",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD UNIQUE builds its index under ACCESS EXCLUSIVE.",
            "`ADD CONSTRAINT ... UNIQUE` without `USING INDEX` on an existing table above the size "
            "threshold.",
            "The unique index is built while ACCESS EXCLUSIVE is held: no reads or writes for the "
            "whole build.",
            "ACCESS EXCLUSIVE on the table for the whole index build.",
            "Build the index concurrently, then attach it:\n\n```sql\nSET lock_timeout = "
            "'5s';\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nALTER "
            "TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n```",
        },
        {
            "add_primary_key",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD PRIMARY KEY builds its index (and may scan for NULLs) under ACCESS EXCLUSIVE.",
            "`ADD CONSTRAINT ... PRIMARY KEY` (or `ADD PRIMARY KEY`) without `USING INDEX` on an "
            "existing table above the size threshold.",
            "The index is built, and nullable key columns are scanned, while ACCESS EXCLUSIVE is "
            "held.",
            "ACCESS EXCLUSIVE on the table for the whole index build.",
            "Build a unique index concurrently on NOT NULL columns, then attach it:\n\n```sql\nSET "
            "lock_timeout = '5s';\nCREATE UNIQUE INDEX CONCURRENTLY audit_logs_pkey ON audit_logs "
            "(id);\nALTER TABLE audit_logs ADD CONSTRAINT audit_logs_pkey PRIMARY KEY USING INDEX "
            "audit_logs_pkey;\n```",
        },
        {
            "add_exclusion_constraint",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD EXCLUDE builds its index and checks every row under ACCESS EXCLUSIVE.",
            "`ADD CONSTRAINT ... EXCLUDE` on an existing table above the size threshold.",
            "Exclusion constraints cannot be added NOT VALID nor from a concurrently built index: "
            "the whole build runs under ACCESS EXCLUSIVE.",
            "ACCESS EXCLUSIVE on the table for the whole build.",
            "Create a new table with the constraint, copy in batches, swap names in one short "
            "transaction:\n\n```sql\nCREATE TABLE bookings_new (LIKE bookings INCLUDING ALL, "
            "EXCLUDE USING gist (room WITH =, during WITH &&));\n```",
        },
        {
            "primary_key_using_index_nullable",
            Category::lock,
            Severity::error,
            Scope::guard,
            "PRIMARY KEY USING INDEX over nullable columns scans the table to set them NOT NULL.",
            "`ADD CONSTRAINT ... PRIMARY KEY USING INDEX` on an existing table above the size "
            "threshold when some key column of the index is not yet NOT NULL.",
            "PostgreSQL performs an implicit SET NOT NULL, a full scan under ACCESS EXCLUSIVE.",
            "ACCESS EXCLUSIVE on the table for the whole scan.",
            "Make the columns NOT NULL first without a scan (validated CHECK, then SET NOT NULL), "
            "then attach:\n\n```sql\nALTER TABLE audit_logs ADD CONSTRAINT audit_logs_id_not_null "
            "CHECK (id IS NOT NULL) NOT VALID;\nALTER TABLE audit_logs VALIDATE CONSTRAINT "
            "audit_logs_id_not_null;\nALTER TABLE audit_logs ALTER COLUMN id SET NOT NULL;\nALTER "
            "TABLE audit_logs ADD CONSTRAINT audit_logs_pkey PRIMARY KEY USING INDEX "
            "audit_logs_pkey;\n```",
        },
        {
            "set_persistence",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "SET LOGGED / SET UNLOGGED rewrites the whole table.",
            "`ALTER TABLE ... SET LOGGED` or `SET UNLOGGED` on an existing table above the size "
            "threshold.",
            "The table is copied into a new file under ACCESS EXCLUSIVE (SET LOGGED also writes "
            "all of it to the WAL).",
            "ACCESS EXCLUSIVE on the table for the whole rewrite.",
            "Create tables with the right persistence from the start; otherwise copy in batches "
            "into a new table and swap names:\n\n```sql\nCREATE TABLE events_new (LIKE events "
            "INCLUDING ALL);\n```",
        },
        {
            "set_tablespace",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "SET TABLESPACE copies the whole table under ACCESS EXCLUSIVE.",
            "`ALTER TABLE ... SET TABLESPACE` on an existing table above the size threshold (no "
            "table_rewrite event fires for it: only this rule sees it).",
            "Every block is copied to the new tablespace while ACCESS EXCLUSIVE is held.",
            "ACCESS EXCLUSIVE on the table for the whole copy.",
            "Move it online with pg_repack:\n\n```sh\npg_repack --table=public.events "
            "--tablespace=fast_ssd --moveidx\n```",
        },
        {
            "set_access_method",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "SET ACCESS METHOD rewrites the whole table.",
            "`ALTER TABLE ... SET ACCESS METHOD` on an existing table above the size threshold.",
            "The table is rewritten into the new access method under ACCESS EXCLUSIVE.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite.",
            "Copy into a new table with the access method in batches and swap "
            "names:\n\n```sql\nCREATE TABLE events_new (LIKE events INCLUDING ALL) USING "
            "heap;\n```",
        },
        {
            "vacuum_full",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "VACUUM FULL rewrites the table and its indexes under ACCESS EXCLUSIVE.",
            "`VACUUM FULL` of a listed table that existed before the transaction and is above the "
            "size threshold, or of the whole database (judged by the ProcessUtility hook).",
            "The table is copied and its indexes rebuilt while ACCESS EXCLUSIVE is held: no reads "
            "or writes for the whole time.",
            "ACCESS EXCLUSIVE on each table while it is rewritten.",
            "Use pg_repack (online), or plain VACUUM, which makes space reusable without a "
            "rewrite:\n\n```sh\npg_repack --table=public.events\n```",
        },
        {
            "cluster_table",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "CLUSTER rewrites the table and its indexes under ACCESS EXCLUSIVE.",
            "`CLUSTER` of a table that existed before the transaction and is above the size "
            "threshold, or `CLUSTER` without a table (judged by the ProcessUtility hook).",
            "The table is sorted into a new file and its indexes rebuilt while ACCESS EXCLUSIVE is "
            "held.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite.",
            "Use pg_repack with --order-by, which reorders online:\n\n```sh\npg_repack "
            "--table=public.events --order-by=created_at\n```",
        },
        {
            "refresh_matview_not_concurrently",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view.",
            "`REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` of a materialized view above the "
            "size threshold that existed before the transaction.",
            "The view is locked ACCESS EXCLUSIVE for the whole refresh: every SELECT on it waits.",
            "ACCESS EXCLUSIVE on the materialized view for the whole refresh.",
            "Give the view a unique index once, then refresh concurrently (EXCLUSIVE: reads "
            "continue):\n\n```sql\nCREATE UNIQUE INDEX CONCURRENTLY sales_summary_day_key ON "
            "sales_summary (day);\nREFRESH MATERIALIZED VIEW CONCURRENTLY sales_summary;\n```",
        },
        {
            "attach_partition_scan",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ATTACH PARTITION scans the partition unless a validated CHECK already proves the "
            "bound.",
            "`ATTACH PARTITION` of an existing table above the size threshold whose validated "
            "constraints do not imply the partition constraint (decided as PostgreSQL decides, by "
            "predicate proof over the partition's validated CHECK constraints and NOT NULLs).",
            "PostgreSQL reads every row of the partition to prove it fits the bound, holding "
            "ACCESS EXCLUSIVE on the partition (SHARE UPDATE EXCLUSIVE on the parent).",
            "ACCESS EXCLUSIVE on the partition for the whole scan.",
            "Add a matching CHECK NOT VALID, validate it, attach, drop the check:\n\n```sql\nALTER "
            "TABLE events_2026 ADD CONSTRAINT events_2026_bound CHECK (created_at IS NOT NULL AND "
            "created_at >= '2026-01-01' AND created_at < '2027-01-01') NOT VALID;\nALTER TABLE "
            "events_2026 VALIDATE CONSTRAINT events_2026_bound;\nALTER TABLE events ATTACH "
            "PARTITION events_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nALTER TABLE "
            "events_2026 DROP CONSTRAINT events_2026_bound;\n```",
        },
        {
            "detach_partition_not_concurrently",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "DETACH PARTITION without CONCURRENTLY locks the whole partitioned table.",
            "`DETACH PARTITION` without `CONCURRENTLY` from a partitioned table that existed "
            "before the transaction and is above the size threshold.",
            "A plain detach takes ACCESS EXCLUSIVE on the parent: every query on any partition "
            "waits, and queues behind running ones.",
            "ACCESS EXCLUSIVE on the partitioned table.",
            "Detach concurrently (PostgreSQL 14+), outside a transaction block:\n\n```sql\nALTER "
            "TABLE events DETACH PARTITION events_2020 CONCURRENTLY;\n```",
        },
        {
            "alter_domain_add_constraint",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "ALTER DOMAIN ADD CONSTRAINT checks every column that uses the domain.",
            "`ALTER DOMAIN ... ADD CONSTRAINT` without `NOT VALID`.",
            "Every table with a column of the domain is scanned while a SHARE lock blocks its "
            "writes.",
            "SHARE on every table using the domain: blocks writes.",
            "Add it NOT VALID, then validate separately:\n\n```sql\nALTER DOMAIN positive_int ADD "
            "CONSTRAINT positive_int_check CHECK (VALUE > 0) NOT VALID;\nCOMMIT;\nALTER DOMAIN "
            "positive_int VALIDATE CONSTRAINT positive_int_check;\n```",
        },
        {
            "rename_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "RENAME of a table breaks every running client that still uses the old name.",
            "`ALTER TABLE ... RENAME TO` of a table that existed before the current transaction.",
            "The rename is instant, but application servers still running the previous release "
            "keep querying the old name and fail until redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly: blocks reads and writes while it waits.",
            "Rename and leave a view with the old name until every client has "
            "moved:\n\n```sql\nBEGIN;\nALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS "
            "SELECT * FROM accounts;\nCOMMIT;\n```",
        },
        {
            "drop_column",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP COLUMN breaks running clients that still read or write the column.",
            "`ALTER TABLE ... DROP COLUMN` on a table that existed before the current transaction.",
            "ORMs cache column lists; clients of the previous release fail on INSERT or SELECT of "
            "the dropped column until redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly (no rewrite).",
            "Stop using the column first (ORMs: mark it ignored), deploy, then drop it in a later "
            "migration:\n\n```sql\nALTER TABLE users DROP COLUMN IF EXISTS legacy_flag;\n```",
        },
        {
            "drop_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP TABLE destroys data and breaks clients that still use the table.",
            "`DROP TABLE` of a table that existed before the current transaction.",
            "The data is gone, and every client still using the table fails. The drop also locks "
            "the tables its foreign keys reference.",
            "ACCESS EXCLUSIVE on the table (and on referenced tables for the FK triggers).",
            "Deploy code that no longer uses the table, keep a backup, then drop it in a later "
            "migration:\n\n```sql\nSET lock_timeout = '5s';\nDROP TABLE IF EXISTS "
            "legacy_events;\n```",
        },
        {
            "truncate_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "TRUNCATE deletes every row of a live table at once.",
            "`TRUNCATE` of a table that existed before the current transaction (judged by the "
            "ProcessUtility hook).",
            "All rows disappear, DELETE triggers do not fire, and the table is locked ACCESS "
            "EXCLUSIVE until commit; with CASCADE further tables are emptied too.",
            "ACCESS EXCLUSIVE on every truncated table until the end of the transaction.",
            "If rows must go while the application runs, delete in batches:\n\n```sql\nDELETE FROM "
            "sessions WHERE ctid = ANY (ARRAY(SELECT ctid FROM sessions LIMIT 10000));\n```",
        },
        {
            "drop_schema_cascade",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP SCHEMA ... CASCADE silently drops everything in it and everything that depends "
            "on it.",
            "`DROP SCHEMA ... CASCADE` of a schema that existed before the current transaction.",
            "A cascade drops objects nobody listed, including objects in other schemas that depend "
            "on them (views, foreign keys).",
            "ACCESS EXCLUSIVE on every dropped table.",
            "Drop the objects explicitly, then the schema with RESTRICT:\n\n```sql\nDROP TABLE "
            "staging.imports;\nDROP SCHEMA staging RESTRICT;\n```",
        },
        {
            "missing_lock_timeout",
            Category::timeout,
            Severity::warning,
            Scope::guard,
            "A statement that blocks reads or writes of an existing table runs with lock_timeout = "
            "0.",
            "A statement taking SHARE or a stronger lock on a table that existed before the "
            "current transaction (and that this transaction does not already hold) while "
            "`lock_timeout` is 0: ALTER TABLE, CREATE/DROP INDEX, DROP/RENAME/TRUNCATE, REFRESH, "
            "VACUUM FULL, CLUSTER, REINDEX, CREATE TRIGGER, and CREATE TABLE with a foreign key to "
            "an existing table. Independent of table size: a tiny, hot table queues everyone just "
            "the same. Reported once per transaction (the setting belongs to the session, so one "
            "warning per migration transaction is enough).",
            "If the lock is not granted at once, the statement waits behind running queries, and "
            "every later query on the table waits behind it: a short DDL becomes an outage.",
            "The statement's own lock (SHARE or stronger).",
            "Bound the wait and retry:\n\n```sql\nSET lock_timeout = '5s';\n-- run the statement; "
            "on SQLSTATE 55P03 wait and retry\n```",
        },
        {
            "statement_after_access_exclusive",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "More statements run while the transaction holds ACCESS EXCLUSIVE on an existing "
            "table.",
            "A DDL statement, a statement judged by the ProcessUtility hook (including LOCK "
            "TABLE), or DML and SELECT (the ExecutorStart hook) in a transaction that already took "
            "ACCESS EXCLUSIVE on a table that existed before it and still holds it (LOCK TABLE ... "
            "IN ACCESS EXCLUSIVE MODE counts). Queries a DDL statement runs itself (REFRESH "
            "MATERIALIZED VIEW) are part of that statement. Reported once per transaction.",
            "ACCESS EXCLUSIVE is held until COMMIT; every further statement extends the time all "
            "reads and writes of that table wait.",
            "ACCESS EXCLUSIVE held until the end of the transaction.",
            "Commit right after the statement that takes ACCESS EXCLUSIVE; run other steps in "
            "their own transactions:\n\n```sql\nBEGIN;\nALTER TABLE orders ALTER COLUMN note SET "
            "DEFAULT '';\nCOMMIT;\n```",
        },
        {
            "large_dml_in_migration",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "A large UPDATE or DELETE inside a migration holds its row locks until the migration "
            "commits.",
            "An UPDATE or DELETE, in a transaction that also ran DDL, on a table that existed "
            "before "
            "the transaction, whose planner estimate of the rows it changes (times the table's "
            "average row size) reaches `schema_oracle.size_threshold`. Judged from the plan at "
            "ExecutorStart (no extra catalog work); said once per transaction and table.",
            "Data migrations generated by ORMs run in the same transaction as the schema change: "
            "every changed row stays locked until COMMIT, concurrent writers of those rows wait, "
            "and whatever the DDL locked (often ACCESS EXCLUSIVE on the table) stays locked for "
            "the whole UPDATE.",
            "ROW EXCLUSIVE on the table and a row lock on every changed row, until COMMIT.",
            "Commit the schema change first; change the rows in batches, each in its own "
            "transaction:\n\n```sql\nSELECT schema_oracle.backfill('public.orders', "
            "'status = ''new''', 'status IS NULL');\n```\n\nFor a DELETE, repeat "
            "`DELETE FROM t WHERE ctid IN (SELECT ctid FROM t WHERE ... LIMIT 10000)` until it "
            "deletes nothing.",
        },
        {
            "table_rewrite",
            Category::rewrite,
            Severity::error,
            Scope::guard,
            "A table rewrite that no other rule judged (exact backstop from the table_rewrite "
            "event).",
            "PostgreSQL's `table_rewrite` event for a table that existed before the transaction "
            "and is above the size threshold, when no rule already judged a rewrite of it in this "
            "statement. Fires before the new heap is built.",
            "A rewrite copies the table and rebuilds its indexes under ACCESS EXCLUSIVE.",
            "ACCESS EXCLUSIVE on the table for the whole rewrite.",
            "Find the step that rewrites and use the online alternative (new column or table "
            "filled in batches):\n\n```sql\nSELECT "
            "schema_oracle.explain_rule('alter_column_type_rewrite');\n```",
        },
        {
            "int4_key",
            Category::type_hygiene,
            Severity::info,
            // report() judges the consequence instead: sequence_near_overflow.
            Scope::guard,
            "An integer (int4/serial) primary or foreign key column, which runs out at 2^31.",
            "A primary key or foreign key column of type integer, smallint, serial or smallserial, "
            "created with CREATE TABLE or ADD COLUMN, or made a key by ALTER TABLE ... ADD PRIMARY "
            "KEY / FOREIGN KEY.",
            "Busy tables exhaust 2147483647 ids; widening the key then rewrites the table and "
            "every referencing table. (For existing schemas, report()'s sequence_near_overflow "
            "measures how close each key is.)",
            "",
            "Use bigint:\n\n```sql\nCREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY "
            "PRIMARY KEY, customer_id bigint REFERENCES customers);\n```",
        },
        {
            "json_column",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A json column where jsonb is almost always the better type.",
            "A column of type `json` (not `jsonb`), created or added, or present in the schema.",
            "`json` keeps the text verbatim and re-parses it on every access, has no equality "
            "operator (so DISTINCT, GROUP BY and UNION fail), and cannot be indexed with GIN.",
            "",
            "Use jsonb:\n\n```sql\nALTER TABLE events ADD COLUMN payload jsonb;\n```\n\n"
            "Converting an existing column rewrites the table; do it with a new column and a "
            "batched backfill.",
        },
        {
            "timestamp_without_time_zone",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A timestamp without time zone column, where timestamptz is almost always meant.",
            "A column of type `timestamp` (`timestamp without time zone`), created or added, or "
            "present in the schema.",
            "`timestamp` stores wall-clock readings with no zone: the same instant is written "
            "differently by servers or sessions in different time zones, and daylight-saving "
            "changes make values ambiguous or non-existent.",
            "",
            "Use timestamptz:\n\n```sql\nALTER TABLE orders ADD COLUMN shipped_at "
            "timestamptz;\n```\n\n"
            "Converting an existing column is metadata-only when the session TimeZone is UTC "
            "(`SET timezone = 'UTC'` first); otherwise it rewrites the table.",
        },
        {
            "char_column",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A char(n) column, which pads with spaces and is never faster than text.",
            "A column of type `char(n)` / `character(n)` (bpchar with a length), created or added, "
            "or present in the schema.",
            "`char(n)` pads values with spaces, trims them again in most comparisons but not all "
            "(LIKE, concatenation, casts), and uses at least as much space as `text`.",
            "",
            "Use text with a CHECK constraint if the length matters:\n\n"
            "```sql\nALTER TABLE countries ADD COLUMN code text CHECK (length(code) = 2);\n```",
        },
        {
            "varchar_255",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A varchar(255) column: a length limit chosen by habit, not by the data.",
            "A column of type `varchar(255)` / `character varying(255)`, created or added, or "
            "present in the schema.",
            "255 is a MySQL-era habit. In PostgreSQL the limit buys no speed or space, and "
            "raising it later is an ALTER; lowering it rewrites the table.",
            "",
            "Use text, with a CHECK constraint if a limit is a real business rule:\n\n"
            "```sql\nALTER TABLE users ADD COLUMN email text CHECK (length(email) <= 320);\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
