// guard_index.cpp: rules on building, dropping and rebuilding indexes
// (sql/guard_index.sql): create_index_not_concurrently,
// drop_index_not_concurrently, reindex_not_concurrently, and
// concurrently_in_transaction for every CONCURRENTLY form.
#include "guard_rules.hpp"

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
        b.add("drop_index_not_concurrently", table,
              "DROP INDEX " + idx + " on " + table + " " + describe_size(t) +
                  " blocks all reads and writes of the table while it waits and runs",
              lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
              "Drop it concurrently, outside a transaction block:\n" + s(lock_timeout_line) +
                  "DROP INDEX CONCURRENTLY IF EXISTS " + idx + ";");
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
