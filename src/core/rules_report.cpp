// rules_report.cpp: catalog entries for the rules schema_oracle.report()
// judges over the whole database. The type-hygiene rules json_column,
// timestamp_without_time_zone, char_column and varchar_255 are shared with
// the guard and live in guard_hygiene.cpp, next to its code.
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core {

const std::vector<RuleInfo>& report_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "fk_missing_index",
            Category::performance,
            Severity::warning,
            Scope::both,  // also judged at commit (commit_rules.cpp)
            "A foreign key whose referencing columns no index covers.",
            "A foreign key for which no valid index on the referencing table has leading key "
            "columns (INCLUDE columns do not count) equal, as a set, to the foreign key's "
            "columns. A partial index counts only if its predicate is implied by the key "
            "columns being NOT NULL (WHERE col IS NOT NULL covers). A btree index covers any "
            "number of columns; another access method "
            "only a single-column key in its first column. Expression columns never cover. "
            "Judged once at a partitioned parent (against its partitioned indexes), never once "
            "per partition. The detail names near misses: a partial or invalid index, or one "
            "with the key column in second place.",
            "Every DELETE or key UPDATE on the referenced table must find the referencing rows: "
            "without an index that is a sequential scan of the referencing table per row, under "
            "a lock, and joins on the key are slow too.",
            "",
            "Create the covering index concurrently (report() generates the statement):\n\n"
            "```sql\nCREATE INDEX CONCURRENTLY IF NOT EXISTS comments_post_id_idx ON "
            "public.comments (post_id);\n```\n\n"
            "On a partitioned table, create it `ON ONLY` the parent, build each partition's "
            "index concurrently and `ALTER INDEX ... ATTACH PARTITION` each one.",
        },
        {
            "missing_primary_key",
            Category::integrity,
            Severity::warning,
            Scope::both,  // also judged at commit (commit_rules.cpp)
            "A table without a primary key.",
            "An ordinary or partitioned table (the parent once, not each partition) with no "
            "primary key constraint. If a unique, valid btree index on NOT NULL columns exists "
            "whose key columns have default sorting behavior (the column's collation, the type's "
            "default operator class, no DESC: what PRIMARY KEY ... USING INDEX requires), the fix "
            "promotes it.",
            "Without a primary key, rows cannot be addressed reliably, logical replication cannot "
            "replicate UPDATE and DELETE, and duplicates creep in.",
            "",
            "Build a unique index concurrently, then attach it as the primary key:\n\n"
            "```sql\nCREATE UNIQUE INDEX CONCURRENTLY audit_logs_pkey ON audit_logs (id);\n"
            "ALTER TABLE audit_logs ADD CONSTRAINT audit_logs_pkey PRIMARY KEY USING INDEX "
            "audit_logs_pkey;\n```",
        },
        {
            "updated_at_no_trigger",
            Category::integrity,
            Severity::warning,
            Scope::both,  // also judged at commit (commit_rules.cpp)
            "An updated_at column that no trigger keeps current.",
            "A table column named `updated_at`, `updated_on` or `modified_at` without an enabled "
            "(`tgenabled` O or A), BEFORE, FOR EACH ROW trigger on UPDATE (of all columns) whose "
            "function maintains it: `moddatetime(column)`, "
            "`schema_oracle.set_updated_at([column])` "
            "(default `updated_at`), or a PL/pgSQL function with an assignment statement "
            "`NEW.column := ...` / `NEW.column = ...`, read the way PL/pgSQL reads it: "
            "comments and string literals hide nothing, `NEW.\"updated_at\"` counts, a "
            "comparison does not. INSERT-only, AFTER, statement-level, disabled and replica-only "
            "triggers do "
            "not count. A function shared by many tables is fine.",
            "Every code path that updates the row must remember to set the column; the ones that "
            "forget (scripts, bulk fixes, other services) leave it stale, and incremental syncs, "
            "caches and audits that trust it silently miss changes.",
            "",
            "Maintain it in the database:\n\n"
            "```sql\nCREATE EXTENSION IF NOT EXISTS moddatetime;\n"
            "CREATE TRIGGER orders_updated_at BEFORE UPDATE ON public.orders\n"
            "    FOR EACH ROW EXECUTE FUNCTION moddatetime(updated_at);\n```",
        },
        {
            "duplicate_index",
            Category::performance,
            Severity::warning,
            Scope::report,
            "Two indexes on the same table that are identical.",
            "Valid indexes of one table with the same access method, key and INCLUDE columns, "
            "operator classes, collations, ordering options, storage options, expressions and "
            "predicate (a UNIQUE and a plain index on the same columns are duplicates: the "
            "unique one is kept). The one backing a constraint (primary key first), else a "
            "unique one, else the oldest is kept; the others are reported. Compared on catalog "
            "integers, not definition text.",
            "Each copy is written on every INSERT and UPDATE, takes disk and cache, and adds WAL, "
            "for no read benefit.",
            "",
            "Drop the extra copy without blocking writes:\n\n"
            "```sql\nDROP INDEX CONCURRENTLY IF EXISTS public.users_email_idx;\n```",
        },
        {
            "redundant_index",
            Category::performance,
            Severity::info,
            Scope::report,
            "A btree index whose columns are the leading columns of another index.",
            "A valid, plain (not unique, not backing a constraint) btree index without "
            "expressions or INCLUDE columns whose key columns, operator classes, collations and "
            "ordering are a strict leading prefix of another valid btree index on the same table "
            "with the same predicate: (a) is redundant to (a, b), but not to (b, a). Columns are "
            "compared as attribute numbers, never as text. The longer index is named.",
            "The wider index serves the same lookups, so the narrow one only costs writes, disk "
            "and cache.",
            "",
            "Check that the wider index stays, then drop the narrow one:\n\n"
            "```sql\nDROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_id_idx;\n```",
        },
        {
            "invalid_index",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "An index marked invalid, left behind by a failed concurrent build.",
            "An index with `indisvalid = false` on a table on which no CREATE INDEX "
            "[CONCURRENTLY] or REINDEX is running right now (as the backends' progress reports, "
            "what pg_stat_progress_create_index shows, say). A failed concurrent build is "
            "reported whether it stopped before or after `indisready`. Partitioned parent "
            "indexes, which are invalid until every partition has the index, are not reported.",
            "Queries never use an invalid index, but every write still maintains it; a unique "
            "one may also reject rows.",
            "",
            "Rebuild it, or drop a REINDEX leftover (`_ccnew` / `_ccold`):\n\n"
            "```sql\nREINDEX INDEX CONCURRENTLY public.orders_created_at_idx;\n"
            "DROP INDEX CONCURRENTLY IF EXISTS public.orders_created_at_idx_ccnew;\n```",
        },
        {
            "constraint_not_valid",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "A CHECK or foreign key constraint left NOT VALID.",
            "A CHECK or foreign key constraint on a table with `convalidated = false` (judged at "
            "the partitioned parent).",
            "A NOT VALID constraint is enforced for new rows only: existing rows may violate it, "
            "and the planner cannot rely on it.",
            "",
            "Validate it; this takes SHARE UPDATE EXCLUSIVE, which blocks neither reads nor "
            "writes:\n\n```sql\nALTER TABLE public.orders VALIDATE CONSTRAINT "
            "orders_customer_id_fkey;\n```",
        },
        {
            "sequence_near_overflow",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "A sequence (serial or identity) close to the end of its range.",
            "A sequence whose last value has used 75% (warning) or 90% (error) of its own "
            "range, from its MINVALUE (MAXVALUE when descending) to the first limit it "
            "reaches: "
            "its own MAXVALUE (MINVALUE when descending) unless it cycles, or the range of the "
            "smallint / integer / bigint column it feeds as a serial or identity sequence "
            "(a sequence counting up from -2147483648 has used half an integer's range at 0). "
            "For a bigint column there is nothing to widen to, and the detail says so. "
            "Sequences whose value the caller may not read, and sequences another session "
            "holds locked (named in a NOTICE; report() never waits), are skipped.",
            "When the sequence or the column overflows, every INSERT fails until the type is "
            "widened, which for a column rewrites the table under an ACCESS EXCLUSIVE lock.",
            "",
            "Raise the sequence's own limit (report() generates it), or widen the column ahead "
            "of time with a new bigint column, a batched backfill and a swap:\n\n"
            "```sql\nALTER SEQUENCE public.orders_id_seq AS bigint MAXVALUE "
            "9223372036854775807;\n```",
        },
        {
            "fk_type_mismatch",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "A foreign key column whose type differs from the referenced column's.",
            "A foreign key in which a referencing column's type differs from the type of the "
            "referenced column it pairs with (typmods are ignored), e.g. integer referencing "
            "bigint.",
            "Every check and join needs a cast, and the narrower side overflows first: an "
            "integer column referencing a bigint key fails once the key passes 2^31.",
            "",
            "Widen the narrower column (this rewrites the table; use a new column and a batched "
            "backfill on large tables):\n\n"
            "```sql\nALTER TABLE public.comments ALTER COLUMN post_id TYPE bigint;\n```",
        },
        {
            "unused_index",
            Category::performance,
            Severity::info,
            Scope::report,
            "An index never scanned since the statistics were reset.",
            "A valid index with `idx_scan = 0` in pg_stat_user_indexes that is not unique, not a "
            "primary key, backs no constraint and covers no foreign key. The detail gives its "
            "size and the age of the statistics; no fix is generated.",
            "An unused index still costs on every write, in disk, cache and WAL.",
            "",
            "Check replicas (statistics are per server) and rare jobs first, then:\n\n"
            "```sql\nDROP INDEX CONCURRENTLY IF EXISTS public.orders_note_idx;\n```",
        },
        {
            "too_many_indexes",
            Category::performance,
            Severity::info,
            Scope::report,
            "A table with more indexes than schema_oracle.max_indexes_per_table.",
            "An ordinary or partitioned table (not each partition) with more indexes than the "
            "setting `schema_oracle.max_indexes_per_table` (default 10; 0 turns the rule off).",
            "Each index slows every INSERT and most UPDATEs (no HOT updates on indexed columns) "
            "and adds WAL and cache pressure.",
            "",
            "Review the table's duplicate, redundant and unused indexes and drop what no query "
            "needs:\n\n```sql\nDROP INDEX CONCURRENTLY IF EXISTS public.orders_status_idx;\n```",
        },
        {
            "date_stored_as_text",
            Category::type_hygiene,
            Severity::info,
            Scope::report,
            "A text column whose name says it holds a date or time.",
            "A text, varchar or char column named `*_at`, `*_date`, `*_on`, `birthday`, "
            "`birthdate` or `date_of_birth`.",
            "Dates as text sort and compare as strings, accept impossible values, and need casts "
            "in every query.",
            "",
            "Store a real type (converting an existing column rewrites the table):\n\n"
            "```sql\nALTER TABLE public.users ADD COLUMN birthday_date date;\n```",
        },
        {
            "plaintext_password_column",
            Category::security,
            Severity::warning,
            Scope::report,
            "A text column that looks like it stores a password or secret in plain text.",
            "A text, varchar or char column whose name contains password, passwd, pwd or secret "
            "and none of hash, digest or crypt.",
            "Anyone who can read the table, a backup or a log line can read every password.",
            "",
            "Store a slow salted hash:\n\n"
            "```sql\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n"
            "ALTER TABLE public.users ADD COLUMN password_hash text;\n"
            "-- UPDATE ... SET password_hash = crypt(password, gen_salt('bf')) in batches, then "
            "drop password\n```",
        },
        {
            "missing_audit_columns",
            Category::integrity,
            Severity::info,
            Scope::both,  // also judged at commit (commit_rules.cpp)
            "A table without the audit columns every table should have.",
            "An ordinary or partitioned table (not each partition) lacking a column listed in "
            "`schema_oracle.audit_columns` (default `created_at,updated_at`; empty turns the "
            "rule off). A typed table (CREATE TABLE ... OF type) gets no fix: its columns come "
            "from its type, and ADD COLUMN always fails on it.",
            "Without creation and change times, debugging, incremental exports and data "
            "retention have nothing to go on.",
            "",
            "Add them; a `now()` default needs no table rewrite:\n\n"
            "```sql\nALTER TABLE public.orders ADD COLUMN IF NOT EXISTS created_at timestamptz NOT "
            "NULL DEFAULT now();\n```",
        },
        {
            "security_definer_search_path",
            Category::security,
            Severity::warning,
            Scope::report,
            "A SECURITY DEFINER function without a pinned search_path.",
            "A function or procedure with `prosecdef` whose `proconfig` does not set "
            "search_path (extension-owned functions excluded).",
            "The function resolves unqualified names through the caller's search_path but runs "
            "with its owner's rights: a caller who can create objects in any schema on that path "
            "can make it run their code as the owner.",
            "",
            "Pin the search path, putting pg_temp last:\n\n"
            "```sql\nALTER FUNCTION public.transfer(bigint, bigint) SET search_path = public, "
            "pg_temp;\n```",
        },
        {
            "nullable_never_null",
            Category::integrity,
            Severity::info,
            Scope::report,
            "A nullable column that, by the statistics, never holds NULL.",
            "A column defined on an ordinary table (not a partition; not generated) that "
            "allows NULL while `pg_stats.null_frac = 0`, on a table with at least "
            "`schema_oracle.stats_min_rows` rows (default 10000, by `pg_class.reltuples`). "
            "Silent for a table never analyzed, and for columns whose statistics the caller "
            "may not read (`pg_stats` rules: SELECT on the table or column, no row security "
            "in force). The fix calls `schema_oracle.set_not_null()`, the safe NOT NULL "
            "recipe (it reuses a `CHECK (col IS NOT NULL)` already there); the detail gives "
            "the same steps by hand.",
            "A column every row fills but nothing requires invites the first NULL from a new "
            "code path, and every reader must handle NULL it never sees; the planner and "
            "tools also know less.",
            "SET NOT NULL alone scans the whole table under ACCESS EXCLUSIVE, blocking reads "
            "and writes.",
            "`CALL schema_oracle.set_not_null('public.orders', 'placed_at');` proves it first; "
            "by hand, each step in its own transaction:\n\n"
            "```sql\nALTER TABLE public.orders ADD CONSTRAINT orders_placed_at_not_null CHECK "
            "(placed_at IS NOT NULL) NOT VALID;\n"
            "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_placed_at_not_null;\n"
            "ALTER TABLE public.orders ALTER COLUMN placed_at SET NOT NULL;  -- no scan: the CHECK "
            "proves it\n"
            "ALTER TABLE public.orders DROP CONSTRAINT orders_placed_at_not_null;\n```",
        },
        {
            "status_without_constraint",
            Category::integrity,
            Severity::info,
            Scope::report,
            "A text column holding a handful of values with nothing that limits them.",
            "A `text` or `varchar` column (an enum or a domain is already typed) on a table "
            "with at least `schema_oracle.stats_min_rows` rows whose statistics show 2 to 10 "
            "distinct values, all listed among its most common values (they cover the rows), "
            "each at most 32 bytes, and no CHECK constraint or foreign key on the column. The "
            "fix is `CHECK (col IN (...)) NOT VALID` built from the most common values.",
            "A status, state or type column without a constraint stores typos and retired "
            "values silently; code that switches over the values misses them.",
            "",
            "Add the CHECK NOT VALID (instant), then validate it without blocking writes:\n\n"
            "```sql\nALTER TABLE public.orders ADD CONSTRAINT orders_status_check CHECK (status IN "
            "('new', 'paid', 'shipped')) NOT VALID;\n"
            "ALTER TABLE public.orders VALIDATE CONSTRAINT orders_status_check;\n```\n\n"
            "An enum type or a lookup table with a foreign key does the same.",
        },
        {
            "natural_key_not_unique",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "A column named like a natural key, all values distinct, without a unique index.",
            "A column whose name is, or ends with `_` and, one of "
            "`schema_oracle.natural_key_columns` (default email, username, user_name, login, "
            "slug, code, sku, handle, isbn, ean, iban; case-insensitive) on a table with at "
            "least `schema_oracle.stats_min_rows` rows, whose statistics say every value is "
            "distinct (`n_distinct = -(1 - null_frac)`), and that no unique index has among "
            "its key columns or in its expressions (a unique index per tenant counts). A "
            "column that is all-distinct but not named like a key (a description, a note) is "
            "not reported.",
            "The application treats it as unique, but nothing stops a retried request or a "
            "race from storing a duplicate, and lookups by it cannot use a unique index.",
            "",
            "Build the unique index without blocking writes:\n\n"
            "```sql\nCREATE UNIQUE INDEX CONCURRENTLY ON public.users (email);\n```\n\n"
            "If duplicates exist it fails and leaves an invalid index: drop it, remove the "
            "duplicates, run it again.",
        },
        {
            "cascade_chain",
            Category::integrity,
            Severity::warning,
            Scope::report,
            "One DELETE can cascade through three or more tables, or into millions of rows.",
            "From each table that `ON DELETE CASCADE` foreign keys reference and that no other "
            "table cascades into: the longest cascade path (three or more tables, the first "
            "included), or all the tables it reaches holding 1,000,000 rows or more by their "
            "`reltuples` estimates (a partitioned table counts its partitions, and is one "
            "node of the path). Silent when a table of the tree was never analyzed, or the "
            "reachable rows are fewer than `schema_oracle.stats_min_rows`. A self-referencing "
            "cascade is not followed. The message names the path and the estimated rows. The "
            "fix rebuilds the deeper links of the path (or, for a fan-out, the table's own "
            "links) with `ON DELETE RESTRICT`, their definitions otherwise kept, `NOT VALID` "
            "then validated; it is commented out, so `\\gexec` runs none of it: changing a "
            "foreign key's action changes what DELETE does, a design decision. Remove the "
            "`-- ` of the statements chosen.",
            "A single DELETE of a parent row, from a script or a console mistake, silently "
            "removes every dependent row down the path, in one transaction that locks them "
            "all.",
            "The DELETE takes row locks on every row it removes, in every table of the path.",
            "Decide per link: `ON DELETE RESTRICT` (or `NO ACTION`) on the deeper links and "
            "delete children deliberately, in batches; or soft-delete the parent:\n\n"
            "```sql\nALTER TABLE public.comments DROP CONSTRAINT comments_post_id_fkey,\n"
            "    ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES "
            "public.posts ON DELETE RESTRICT NOT VALID;\n"
            "ALTER TABLE public.comments VALIDATE CONSTRAINT comments_post_id_fkey;\n```",
        },
        {
            "soft_delete_unindexed",
            Category::performance,
            Severity::info,
            Scope::report,
            "A soft-delete column that no partial index filters on, on a table queries read.",
            "A table (not a partition) with at least `schema_oracle.stats_min_rows` rows and a "
            "column named in `schema_oracle.soft_delete_columns` (default `deleted_at`), none "
            "of whose valid indexes has a predicate with `col IS NULL`, while "
            "`pg_stat_user_tables` shows it is read (sequential plus index scans > 0). The "
            "fix, when the table has a primary key, is a partial index on it `WHERE col IS "
            "NULL`.",
            "Every query for live rows also walks the deleted ones, which only grow.",
            "",
            "Index the live rows on the columns your queries filter or sort on:\n\n"
            "```sql\nCREATE INDEX CONCURRENTLY ON public.orders (customer_id) WHERE deleted_at IS "
            "NULL;\n```",
        },
        {
            "seq_scan_heavy",
            Category::performance,
            Severity::info,
            Scope::report,
            "A big table that sequential scans read far more than index scans.",
            "A table (not a partition) with at least `schema_oracle.stats_min_rows` rows whose "
            "`pg_stat_user_tables` shows 50 or more sequential scans, each reading on average "
            "at least half its `reltuples`, and `seq_tup_read` at least ten times "
            "`idx_tup_fetch`. Counters since the statistics were last reset. No fix: the "
            "missing index depends on the queries' WHERE clauses, which neither the catalog "
            "nor the counters show, and a guessed index only adds write cost. The detail "
            "gives the pg_stat_statements query that finds them.",
            "Each such scan reads the whole table: CPU, I/O and cache pressure that grow with "
            "the table, usually one frequent query missing an index.",
            "",
            "Find the query (pg_stat_statements, auto_explain) and index what it filters on:\n\n"
            "```sql\nCREATE INDEX CONCURRENTLY ON public.events (account_id);\n```",
        },
        {
            "table_bloat",
            Category::performance,
            Severity::info,
            Scope::report,
            "A table whose pages hold far more than its rows need.",
            "An ordinary heap table with at least `schema_oracle.stats_min_rows` rows whose "
            "size (`relpages`) is at least twice the size its rows need and at least 8 MB "
            "more, by the estimate splinter's lint 0020 makes (the PostgreSQL wiki's: "
            "`reltuples` times the tuple width from `pg_stats.avg_width` and `null_frac`, "
            "plus headers). Silent unless every column has statistics the caller may read. "
            "The fix is `VACUUM (ANALYZE)` of the table, which blocks no reads or writes: "
            "it makes the dead space reusable and refreshes the estimate, but gives no space "
            "back, so the finding stays until new rows fill it or the table is rewritten; "
            "rewriting is not automatic (VACUUM FULL blocks every read and write, pg_repack "
            "is a shell command): the detail gives the pg_repack command (quoted for the "
            "shell).",
            "Dead space makes every sequential scan and backup read more, and keeps cache "
            "full of empty pages.",
            "VACUUM FULL and CLUSTER hold ACCESS EXCLUSIVE until they finish, blocking reads "
            "and writes.",
            "Rewrite it online with pg_repack (a shell command), or VACUUM and let new rows "
            "reuse the space after a one-off purge:\n\n"
            "```sh\npg_repack --no-order --table='public.events' --dbname=app\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
