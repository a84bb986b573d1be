// guard_rebuilds.cpp: rebuilds and re-validations a statement causes beyond
// rewriting its own table (sql/guard_scans.sql): alter_type_rebuilds_index,
// type_change_revalidates_foreign_key.
#include "guard_rules.hpp"

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

void judge_revalidation(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;  // the referencing table
    const AddConstraintFacts& c = a.constraint;
    if (!big_existing_table(t, ctx))
        return;
    const std::string child = s(t.qname);
    const std::string parent = s(c.referenced_table);
    const std::string name = s(c.name);
    const std::string col = s(a.alter_type.column.quoted);
    b.add("type_change_revalidates_foreign_key", child,
          "ALTER COLUMN " + col + " TYPE " + s(a.alter_type.type) + " on " + parent +
              " validates foreign key " + name + " again over all of " + child + " " +
              describe_size(t),
          lock_detail(Lock::access_exclusive, child, "for the whole validation") +
              " The equality operator between the key types changes, so PostgreSQL checks "
              "every referencing row again.",
          "Drop the foreign key, change the type and add the key back NOT VALID in one short "
          "transaction, then validate it in a separate one (SHARE UPDATE EXCLUSIVE only):\n" +
              s(lock_timeout_line) + "BEGIN;\nALTER TABLE " + child + " DROP CONSTRAINT " + name +
              ";\nALTER TABLE " + parent + " ALTER COLUMN " + col + " TYPE " +
              s(a.alter_type.type) + ";\nALTER TABLE " + child + " ADD CONSTRAINT " + name + " " +
              s(c.definition) + " NOT VALID;\nCOMMIT;\nALTER TABLE " + child +
              " VALIDATE CONSTRAINT " + name + ";");
}

}  // namespace schema_oracle::core::judging
