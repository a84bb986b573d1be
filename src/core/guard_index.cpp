// guard_index.cpp: rules on building, dropping and rebuilding indexes
// (sql/guard_index.sql): create_index_not_concurrently,
// drop_index_not_concurrently, reindex_not_concurrently, and
// concurrently_in_transaction for every CONCURRENTLY form.
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

void judge_index(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    if (a.concurrent || !big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    if (a.action == Action::create_index) {
        const CreateIndexFacts& ix = a.create_index;
        const std::string idx = s(ix.name);
        const std::string tail = s(ix.definition);  // " USING ... (cols) ... WHERE ..."
        const std::string unique = ix.unique ? "UNIQUE " : "";
        std::string hint;
        if (t.partitioned) {
            const std::string part_idx = "<partition>_" + s(ix.key_name);
            hint =
                "A partitioned table cannot be indexed CONCURRENTLY as a whole: create the "
                "index on the parent only, build each partition's index concurrently "
                "(outside a transaction block), then attach it:\n" +
                s(lock_timeout_line) + "CREATE " + unique + "INDEX " + idx + " ON ONLY " + table +
                tail + ";\n" + "CREATE " + unique + "INDEX CONCURRENTLY " + part_idx +
                " ON <partition>" + tail + ";\n" + "ALTER INDEX " + idx + " ATTACH PARTITION " +
                part_idx + ";";
        } else {
            hint = "Build it concurrently, outside a transaction block:\n" + s(lock_timeout_line) +
                   "CREATE " + unique + "INDEX CONCURRENTLY " +
                   (ix.if_not_exists ? "IF NOT EXISTS " : "") + idx + " ON " + table + tail + ";";
        }
        b.add("create_index_not_concurrently", table,
              "CREATE INDEX on " + table + " " + describe_size(t) +
                  " blocks writes for the whole build",
              lock_detail(Lock::share, table, "until the index is built"), hint);
    } else if (a.action == Action::drop_index) {
        const std::string idx = s(a.index.qname);
        if (t.partitioned) {
            // PostgreSQL 15 refuses DROP INDEX CONCURRENTLY of a partitioned
            // index (index_drop), so that is no alternative to give.
            b.add("drop_index_not_concurrently", table,
                  "DROP INDEX " + idx + " on the partitioned table " + table + " " +
                      describe_size(t) +
                      " blocks all reads and writes of it and of every partition while it "
                      "waits and runs",
                  lock_detail(Lock::access_exclusive, table,
                              "and on every partition, until the end of the transaction"),
                  "A partitioned index cannot be dropped CONCURRENTLY. Drop it in a quiet "
                  "moment, with a bounded wait, in a transaction of its own:\n" +
                      s(lock_timeout_line) + "DROP INDEX IF EXISTS " + idx + ";");
            return;
        }
        b.add("drop_index_not_concurrently", table,
              "DROP INDEX " + idx + " on " + table + " " + describe_size(t) +
                  " blocks all reads and writes of the table while it waits and runs",
              lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
              "Drop it concurrently, outside a transaction block:\n" + s(lock_timeout_line) +
                  "DROP INDEX CONCURRENTLY IF EXISTS " + idx + ";");
    } else if (a.action == Action::reindex && a.index.scope != ReindexScope::one) {
        // REINDEX SCHEMA / DATABASE / SYSTEM: the same rule, over the sum of
        // what it rebuilds, one table after another. PostgreSQL refuses all
        // three inside a transaction block, and says so itself.
        if (ctx.in_transaction_block)
            return;
        const std::string kind = a.index.scope == ReindexScope::schema     ? "SCHEMA"
                                 : a.index.scope == ReindexScope::database ? "DATABASE"
                                                                           : "SYSTEM";
        const std::string name = s(a.index.qname);
        const std::string what = "REINDEX " + kind + " " + name;
        const std::string count =
            std::to_string(a.index.tables) + (a.index.tables == 1 ? " table" : " tables");
        std::string hint;
        if (a.index.scope == ReindexScope::system)
            hint =
                "System catalogs cannot be reindexed concurrently. Rebuild only the indexes "
                "that need it, one at a time, when the database is quiet:\n" +
                s(lock_timeout_line) + "REINDEX INDEX <catalog index>;";
        else
            hint = "Rebuild concurrently, outside a transaction block" +
                   std::string(a.index.scope == ReindexScope::database
                                   ? " (CONCURRENTLY skips the system catalogs)"
                                   : "") +
                   ":\n" + s(lock_timeout_line) + "REINDEX " + kind + " CONCURRENTLY " + name + ";";
        b.add("reindex_not_concurrently", name,
              what + " rebuilds the indexes of " + count + " " + describe_size(t) +
                  ", blocking writes of each table for its whole rebuild",
              "Lock: SHARE on each table, one after another (each in a transaction of its own), "
              "until its indexes are rebuilt; it blocks writes (INSERT, UPDATE, DELETE) of that "
              "table; reads continue. Each index is locked ACCESS EXCLUSIVE while it is rebuilt: "
              "queries that would use it wait too.",
              hint);
    } else if (a.action == Action::reindex) {
        const bool whole_table = a.index.qname.empty();
        const std::string idx = s(a.index.qname);
        b.add(
            "reindex_not_concurrently", table,
            "REINDEX " + (whole_table ? "TABLE " + table : "INDEX " + idx) + " " +
                describe_size(t) + " blocks writes of " + table + " for the whole rebuild",
            lock_detail(Lock::share, table, "until the rebuild finishes") +
                " The index itself is locked ACCESS EXCLUSIVE: queries that would use it wait too.",
            "Rebuild concurrently, outside a transaction block:\n" + s(lock_timeout_line) +
                "REINDEX " +
                (whole_table ? "TABLE CONCURRENTLY " + table : "INDEX CONCURRENTLY " + idx) + ";");
    }
}

void judge_concurrently_in_transaction(const ActionFacts& a, const StatementContext&, Builder& b) {
    const std::string what = a.action == Action::create_index ? "CREATE INDEX CONCURRENTLY"
                             : a.action == Action::drop_index ? "DROP INDEX CONCURRENTLY"
                             : a.action == Action::reindex    ? "REINDEX CONCURRENTLY"
                                                              : "DETACH PARTITION CONCURRENTLY";
    b.add("concurrently_in_transaction", a.table.qname,
          what + (!a.table.qname.empty() ? " on " + s(a.table.qname) : std::string()) +
              " cannot run inside a transaction block: the statement will fail",
          "PostgreSQL runs it in several transactions of its own, so it refuses to start "
          "inside BEGIN ... COMMIT (or a function or DO block).",
          "Run it on its own, outside any transaction block (migration tools: mark this "
          "migration as non-transactional, e.g. disable_ddl_transaction!).");
}

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

// The catalog entries of this family's rules, next to their code
// (rule_catalog.cpp merges every family's table).
const std::vector<RuleInfo>& guard_index_rules() {
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
            "on tables created in the same transaction are silent, and so is `CREATE INDEX ... ON "
            "ONLY` a partitioned table, which builds nothing (an invalid index on the parent "
            "alone, under a brief SHARE lock).",
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
            "drop_index_not_concurrently",
            Category::lock,
            Severity::error,
            Scope::guard,
            "DROP INDEX without CONCURRENTLY locks the whole table against reads and writes.",
            "A `DROP INDEX` without `CONCURRENTLY` of an index on a table that existed before the "
            "current transaction and is above the size threshold. For a partitioned index, which "
            "PostgreSQL cannot drop concurrently, the hint gives no CONCURRENTLY: a bounded wait "
            "in a transaction of its own.",
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
            "ProcessUtility hook, as PostgreSQL 15 fires no event trigger for REINDEX). "
            "`REINDEX SCHEMA`, `REINDEX DATABASE` and `REINDEX SYSTEM` are judged the same way, "
            "against the summed size of the tables they would rebuild (for SYSTEM, the system "
            "catalogs, which have no concurrent form).",
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
    };
    return table;
}

}  // namespace schema_oracle::core
