// guard_rebuilds.cpp: rebuilds and re-validations a statement causes beyond
// rewriting its own table (sql/guard_scans.sql): alter_type_rebuilds_index,
// type_change_revalidates_foreign_key.
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
        {
            "type_change_revalidates_foreign_key",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ALTER COLUMN ... TYPE of a referenced key validates the foreign keys of the "
            "referencing tables again, scanning each of them.",
            "`ALTER TABLE ... ALTER COLUMN ... TYPE` on a column that another table's validated "
            "foreign key references, when the equality operator between the key types changes "
            "(e.g. int to bigint against an int referencing column: int4eq becomes int84eq), "
            "and the referencing table is above the size threshold; decided as PostgreSQL's "
            "ATAddForeignKeyConstraint decides it when it re-adds the key. Judged even when the "
            "referenced table itself is small.",
            "PostgreSQL re-adds the foreign key and checks every row of the referencing table "
            "(RI_Initial_Check) while holding ACCESS EXCLUSIVE on it.",
            "ACCESS EXCLUSIVE on the referencing table for the whole validation.",
            "Drop the key, change the type, add the key back NOT VALID, validate "
            "later:\n\n```sql\nSET lock_timeout = '5s';\nBEGIN;\nALTER TABLE orders DROP "
            "CONSTRAINT orders_customer_id_fkey;\nALTER TABLE customers ALTER COLUMN id TYPE "
            "bigint;\nALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY "
            "(customer_id) REFERENCES customers(id) NOT VALID;\nCOMMIT;\nALTER TABLE orders "
            "VALIDATE CONSTRAINT orders_customer_id_fkey;\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
