// guard_index.cpp: rules on building, dropping and rebuilding indexes
// (sql/guard_index.sql): create_index_not_concurrently,
// drop_index_not_concurrently, reindex_not_concurrently, and
// concurrently_in_transaction for every CONCURRENTLY form.
#include <algorithm>

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
        if (t.partitioned && ix.foreign_partition) {
            hint = "A partitioned table cannot be indexed CONCURRENTLY, and one of " + table +
                   "'s partitions is a foreign table, so the index cannot be built partition by "
                   "partition either (ON ONLY the parent it would never become valid). Build it "
                   "when the table is quiet, with a bounded wait:\n" +
                   s(lock_timeout_line) + "CREATE " + unique + "INDEX " + idx + " ON " + table +
                   tail + ";";
        } else if (t.partitioned) {
            // DefineIndex's recursion spelled out, partition by partition
            // (the adapter lists the steps and names the indexes).
            hint =
                "A partitioned table cannot be indexed CONCURRENTLY as a whole: create the "
                "index on the parent only, build each partition's index concurrently "
                "(outside a transaction block), then attach it:\n" +
                s(lock_timeout_line) + "CREATE " + unique + "INDEX " + idx + " ON ONLY " + table +
                tail + ";";
            const std::vector<std::string_view> f = nul_fields(ix.partition_steps);
            for (std::size_t i = 0; i + 2 < f.size(); i += 3) {
                const std::string first(f[i + 1]), second(f[i + 2]);
                if (f[i] == "c")
                    hint +=
                        "\nCREATE " + unique + "INDEX " + second + " ON ONLY " + first + tail + ";";
                else if (f[i] == "l")
                    hint += "\nCREATE " + unique + "INDEX CONCURRENTLY " + second + " ON " + first +
                            tail + ";";
                else if (f[i] == "a")
                    hint += "\nALTER INDEX " + first + " ATTACH PARTITION " + second + ";";
            }
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
