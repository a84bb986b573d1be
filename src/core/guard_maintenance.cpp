// guard_maintenance.cpp: rules on storage, maintenance and partitioning
// statements (sql/guard_maintenance.sql, sql/guard_utility_hook.sql):
// set_persistence, set_tablespace, set_access_method, vacuum_full,
// cluster_table, refresh_matview_not_concurrently, attach_partition_scan,
// default_partition_scan,
// detach_partition_not_concurrently, alter_domain_add_constraint, and the
// table_rewrite backstop (sql/guard_columns.sql).
#include "guard_rules.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core::judging {

namespace {

// pg_repack's command line, quoted for the shell it is pasted into.
std::string pg_repack(std::initializer_list<std::string> args) {
    std::string out = "pg_repack";
    for (const std::string& arg : args) out += " " + shell_word(arg);
    return out;
}

void judge_partition(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const PartitionFacts& p = a.partition;
    const std::string table = s(t.qname);
    if (a.action == Action::attach_partition) {
        if (p.implied_by_check || !big_existing_table(t, ctx))
            return;
        const std::string bound = derived_name(a);
        b.add("attach_partition_scan", table,
              "ATTACH PARTITION scans all of " + table + " " + describe_size(t) +
                  " to prove every row fits the partition bound",
              lock_detail(Lock::access_exclusive, table, "for the whole scan") + " The parent " +
                  s(p.parent) + " is locked SHARE UPDATE EXCLUSIVE meanwhile.",
              "Prove the bound with a validated CHECK first; ATTACH then skips the scan:\n" +
                  s(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " + bound +
                  " CHECK (" + s(p.constraint_sql) + ") NOT VALID;\n" + "ALTER TABLE " + table +
                  " VALIDATE CONSTRAINT " + bound + ";  -- in its own transaction\n" +
                  "ALTER TABLE " + s(p.parent) + " ATTACH PARTITION " + table + " " +
                  s(p.bound_sql) + ";\n" + "ALTER TABLE " + table + " DROP CONSTRAINT " + bound +
                  ";");
        return;
    }
    if (a.action == Action::scan_default_partition) {
        if (p.implied_by_check || !big_existing_table(t, ctx))
            return;
        const std::string excl = quote_derived(raw_table(t) + "_excl");
        const std::string prove =
            p.constraint_sql.empty()
                ? "-- the bound could not be judged without evaluating it: a CHECK on the default "
                  "partition that excludes the new partition's rows lets PostgreSQL skip the scan"
                : s(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " + excl +
                      " CHECK (" + s(p.constraint_sql) + ") NOT VALID;\n" + "ALTER TABLE " + table +
                      " VALIDATE CONSTRAINT " + excl + ";  -- in its own transaction\n" +
                      "-- then the statement again (it skips the scan), and afterwards:\n" +
                      "ALTER TABLE " + table + " DROP CONSTRAINT " + excl + ";";
        b.add("default_partition_scan", table,
              "adding partition " + s(p.partition) + " to " + s(p.parent) +
                  " scans all of its DEFAULT partition " + table + " " + describe_size(t) +
                  " for rows that belong to the new partition",
              lock_detail(Lock::access_exclusive, table, "for the whole scan"),
              "Prove first that the default partition holds no row of the new bound, with a "
              "validated CHECK; the scan is then skipped:\n" +
                  prove);
        return;
    }
    if (a.concurrent || !big_existing_table(t, ctx))
        return;
    b.add("detach_partition_not_concurrently", table,
          "DETACH PARTITION " + s(p.partition) + " from " + table + " " + describe_size(t) +
              " blocks all reads and writes of the whole partitioned table",
          lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
          "Detach concurrently, outside a transaction block:\n" + s(lock_timeout_line) +
              "ALTER TABLE " + table + " DETACH PARTITION " + s(p.partition) + " CONCURRENTLY;");
}

void judge_rewrite_tool(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const bool vac = a.action == Action::vacuum_full;
    const std::string stmt = vac ? "VACUUM FULL" : "CLUSTER";
    if (a.whole_database) {
        b.add(vac ? "vacuum_full" : "cluster_table", "",
              stmt + " without a table list rewrites every " +
                  (vac ? "table of the database" : "previously clustered table") +
                  ", one after another",
              "Lock: ACCESS EXCLUSIVE on each table while it is rewritten; it blocks all "
              "reads and writes of that table.",
              "Use pg_repack, which rewrites online and takes ACCESS EXCLUSIVE only "
              "briefly:\n" +
                  pg_repack({"--dbname=" + s(a.rewrite.database)}));
        return;
    }
    if (!big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    // A partitioned table has no storage of its own: pg_repack takes it as
    // the parent of the partitions it repacks.
    const std::string target = t.partitioned ? "--parent-table=" : "--table=";
    b.add(vac ? "vacuum_full" : "cluster_table", table,
          stmt + " rewrites " + table + " " + describe_size(t) + " and all its indexes",
          lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
          "Use pg_repack, which rewrites online and takes ACCESS EXCLUSIVE only briefly"
          " (plain VACUUM reclaims space for reuse without a rewrite):\n" +
              (a.rewrite.order_by.empty()
                   ? pg_repack({target + table})
                   : pg_repack({target + table, "--order-by=" + s(a.rewrite.order_by)})));
}

}  // namespace

void judge_maintenance(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const std::string table = s(t.qname);
    switch (a.action) {
        case Action::set_persistence: {
            if (!big_existing_table(t, ctx))
                return;
            const bool logged = a.storage.logged;
            b.add("set_persistence", table,
                  std::string(logged ? "SET LOGGED" : "SET UNLOGGED") + " rewrites " + table + " " +
                      describe_size(t) + (logged ? " and writes all of it to the WAL" : ""),
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                  "Create the table with the wanted persistence from the start, or copy into "
                  "a new table in batches and swap names in one short transaction:\n" +
                      std::string("CREATE ") + (logged ? "" : "UNLOGGED ") + "TABLE " +
                      derived_rel(a) + " (LIKE " + table + " INCLUDING ALL);")
                .rewrite = true;
            return;
        }
        case Action::set_tablespace: {
            // ALL IN TABLESPACE: judged by the size of everything it moves.
            TableFacts moved = t;
            if (a.whole_database)
                moved.bytes = a.storage.total_bytes;
            if (!big_existing_table(moved, ctx))
                return;
            if (a.whole_database) {  // ALL IN TABLESPACE
                const StorageFacts& m = a.storage;
                b.add(
                    "set_tablespace", table,
                    "ALL IN TABLESPACE " + s(m.from_tablespace) + " moves " +
                        std::to_string(m.relations) + " relation(s) (" +
                        format_size(m.total_bytes) + " in all; the biggest is " + table + " " +
                        describe_size(t) + "), copying each block by block",
                    "Lock: ACCESS EXCLUSIVE on every relation moved, all taken before the "
                    "first copy and held until the end of the transaction; " +
                        std::string(lock_blocks(Lock::access_exclusive)) + ".",
                    "Move the relations one at a time online with pg_repack (--tablespace), "
                    "the biggest first:\n" +
                        (m.index_of.empty()
                             ? pg_repack({"--table=" + table, "--tablespace=" + s(m.tablespace),
                                          "--moveidx"})
                             : pg_repack({"--index=" + table, "--tablespace=" + s(m.tablespace)})));
                return;
            }
            if (!a.storage.index_of.empty()) {  // ALTER INDEX ... SET TABLESPACE
                const std::string heap = s(a.storage.index_of);
                b.add(
                    "set_tablespace", table,
                    "SET TABLESPACE copies all of index " + table + " " + describe_size(t) +
                        " block by block",
                    lock_detail(Lock::access_exclusive, table, "for the whole copy") +
                        " Every query on " + heap + " opens its indexes, so reads and writes of " +
                        heap + " wait too.",
                    "Move the index online with pg_repack (--index), or build a copy "
                    "concurrently in the new tablespace and drop the old one:\n" +
                        pg_repack({"--index=" + table, "--tablespace=" + s(a.storage.tablespace)}));
                return;
            }
            b.add("set_tablespace", table,
                  "SET TABLESPACE copies all of " + table + " " + describe_size(t) +
                      " block by block",
                  lock_detail(Lock::access_exclusive, table, "for the whole copy"),
                  "Move the table with pg_repack (--tablespace), or create new objects in the "
                  "new tablespace and migrate data in batches:\n" +
                      pg_repack({"--table=" + table, "--tablespace=" + s(a.storage.tablespace),
                                 "--moveidx"}));
            return;
        }
        case Action::set_access_method:
            if (!big_existing_table(t, ctx))
                return;
            b.add("set_access_method", table,
                  "SET ACCESS METHOD rewrites " + table + " " + describe_size(t),
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                  "Copy into a new table with the wanted access method in batches and swap "
                  "names in one short transaction:\n" +
                      std::string("CREATE TABLE ") + derived_rel(a) + " (LIKE " + table +
                      " INCLUDING ALL) USING " + s(a.storage.access_method) + ";")
                .rewrite = true;
            return;
        case Action::vacuum_full:
        case Action::cluster:
            judge_rewrite_tool(a, ctx, b);
            return;
        case Action::refresh_matview:
            if (a.concurrent || !big_existing_table(t, ctx))
                return;
            b.add("refresh_matview_not_concurrently", table,
                  "REFRESH MATERIALIZED VIEW " + table + " " + describe_size(t) +
                      " blocks every read of it until the refresh finishes",
                  lock_detail(Lock::access_exclusive, table, "for the whole refresh"),
                  "Refresh concurrently (needs a unique index on the view; readers continue):\n" +
                      std::string("CREATE UNIQUE INDEX CONCURRENTLY ON ") + table +
                      " (<unique key>);  -- once\n" + "REFRESH MATERIALIZED VIEW CONCURRENTLY " +
                      table + ";");
            return;
        case Action::attach_partition:
        case Action::detach_partition:
        case Action::scan_default_partition:
            judge_partition(a, ctx, b);
            return;
        case Action::alter_domain_add_constraint: {
            const DomainConstraintFacts& d = a.domain;
            if (d.not_valid)
                return;
            const std::string domain = s(d.domain);
            b.add("alter_domain_add_constraint", domain,
                  "ALTER DOMAIN " + domain +
                      " ADD CONSTRAINT checks every column of every table that uses the domain",
                  "Lock: SHARE on every table with a column of this domain, for the whole check; "
                  "it blocks writes (INSERT, UPDATE, DELETE); reads continue.",
                  "Add it NOT VALID: new values are checked at once, and no table is "
                  "scanned:\n" +
                      std::string("ALTER DOMAIN ") + domain + " ADD CONSTRAINT " + s(d.constraint) +
                      " " + s(d.check_sql) +
                      " NOT VALID;\nCOMMIT;\n"
                      "-- VALIDATE CONSTRAINT takes the same SHARE lock on every table using the "
                      "domain for its whole scan (PostgreSQL 15): run it when the tables are "
                      "quiet, with a bounded wait:\n" +
                      s(lock_timeout_line) + "ALTER DOMAIN " + domain + " VALIDATE CONSTRAINT " +
                      s(d.constraint) + ";");
            return;
        }
        default:
            return;
    }
}

void judge_table_rewrite(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    if (!big_existing_table(a.table, ctx))
        return;
    const std::string table = s(a.table.qname);
    b.add("table_rewrite", table,
          "this statement rewrites " + table + " " + describe_size(a.table) + " (" +
              s(a.rewrite.reason) + ")",
          lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
          "Find the step that rewrites (schema_oracle.explain_rule('table_rewrite')) "
          "and use its online alternative: a new column or table filled in batches.")
        .rewrite = true;
}

}  // namespace schema_oracle::core::judging
