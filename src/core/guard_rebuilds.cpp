// guard_rebuilds.cpp: index rebuilds a statement causes without rewriting
// the table (sql/guard_scans.sql): alter_type_rebuilds_index.
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

void judge_rebuilds(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const IndexRebuildFacts& r = a.rebuild;
    if (r.count == 0 || !big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    const std::string col = s(r.column.quoted);
    const std::string alter = "ALTER TABLE " + table + " ALTER COLUMN " + col + " TYPE " +
                              s(r.type) +
                              (r.collation.empty() ? "" : " COLLATE " + s(r.collation)) + ";\n";
    std::string hint;
    if (r.constraint_indexes < r.count)
        hint =
            "The table keeps its data; only the indexes are rebuilt. Drop them concurrently "
            "first, change the type (then instant), and build them again concurrently, "
            "outside a transaction block:\n" +
            s(lock_timeout_line) + s(r.drop_sql) + alter + s(r.create_sql);
    if (r.constraint_indexes > 0)
        hint += std::string(hint.empty() ? "" : "-- ") + std::to_string(r.constraint_indexes) +
                " of them back a PRIMARY KEY, UNIQUE or EXCLUDE constraint, rebuilt with it: "
                "schedule the change when the table may be locked for the whole build, or move "
                "the constraint to an index built concurrently (CREATE UNIQUE INDEX "
                "CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX).";
    b.add("alter_type_rebuilds_index", table,
          "ALTER COLUMN " + col + " TYPE " + s(r.type) + " does not rewrite " + table +
              " but rebuilds " + std::to_string(r.count) + " index(es) over the column (" +
              s(r.names) + ", " + format_size(r.index_bytes) + ")",
          lock_detail(Lock::access_exclusive, table, "for the whole rebuild"), hint);
}

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

const std::vector<RuleInfo>& guard_rebuilds_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "alter_type_rebuilds_index",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ALTER COLUMN ... TYPE that does not rewrite the table still rebuilds indexes over "
            "the column under ACCESS EXCLUSIVE.",
            "`ALTER TABLE ... ALTER COLUMN ... TYPE` on an existing table above the size "
            "threshold when the table is not rewritten (e.g. varchar(n) to text or a wider "
            "varchar, a collation change) but PostgreSQL cannot keep an index that depends on "
            "the column: an expression or partial index over it, or an index whose collation or "
            "operator class changes with the column (decided as PostgreSQL's "
            "CheckIndexCompatible decides).",
            "Each such index is rebuilt from scratch while ACCESS EXCLUSIVE is held on the "
            "table: no reads or writes until the last one is built.",
            "ACCESS EXCLUSIVE on the table for all the rebuilds.",
            "Drop the affected indexes concurrently, change the type (instant), build them again "
            "concurrently:\n\n```sql\nSET lock_timeout = '5s';\nDROP INDEX CONCURRENTLY "
            "public.users_lower_email_idx;\nALTER TABLE public.users ALTER COLUMN email TYPE "
            "text;\nCREATE INDEX CONCURRENTLY users_lower_email_idx ON public.users USING btree "
            "(lower(email));\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
