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
            "CREATE INDEX without CONCURRENTLY on an existing table blocks writes for the whole build.",
            "A `CREATE INDEX` (or `CREATE UNIQUE INDEX`) without `CONCURRENTLY` on a table that "
            "existed before the current transaction and is above the size threshold.",
            "A plain index build holds a SHARE lock on the table until it has read every row and "
            "sorted the keys: minutes on a large table, during which every INSERT, UPDATE and "
            "DELETE waits, and the application's connection pool fills up behind them.",
            "SHARE on the table: blocks writes (INSERT, UPDATE, DELETE, MERGE); reads continue.",
            "Build the index concurrently, outside a transaction block:\n\n"
            "```sql\nSET lock_timeout = '5s';\n"
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);\n```\n\n"
            "If it fails it leaves an INVALID index behind: drop it with "
            "`DROP INDEX CONCURRENTLY` and try again.",
        },
        {
            "rename_column",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "RENAME COLUMN breaks every running client that still uses the old name.",
            "`ALTER TABLE ... RENAME COLUMN` on a table that existed before the current transaction.",
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
            "Use timestamptz:\n\n```sql\nALTER TABLE orders ADD COLUMN shipped_at timestamptz;\n```\n\n"
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
