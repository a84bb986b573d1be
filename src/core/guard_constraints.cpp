// guard_constraints.cpp: rules on adding and validating constraints
// (sql/guard_constraints.sql): add_foreign_key_validated, add_check_validated,
// add_unique_constraint, add_primary_key, primary_key_using_index_nullable,
// add_exclusion_constraint, validate_same_transaction.
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

void judge_add_constraint(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const AddConstraintFacts& c = a.constraint;
    if (!big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    const std::string name = s(c.name);  // the user's name, or the one PostgreSQL will choose
    // ADD COLUMN ... CHECK / REFERENCES: the column first, then the constraint.
    const bool inline_column = !c.new_column_sql.empty();
    const std::string recipe =
        inline_column ? add_column_then_validate(table, s(c.new_column_sql), name, c.definition)
        : c.on_added_column
            ? "First run the statement without this constraint (the statement adds the column "
              "the constraint names). " +
                  not_valid_then_validate(table, name, c.definition)
            : not_valid_then_validate(table, name, c.definition);
    const std::string what = inline_column ? "ADD COLUMN " + s(c.new_column) + " ... " : "ADD ";
    switch (c.kind) {
        case ConstraintKind::foreign_key: {
            if (c.not_valid)
                return;
            // ADD COLUMN ... REFERENCES holds the statement's ACCESS EXCLUSIVE.
            const Lock lock =
                a.lock > Lock::share_row_exclusive ? a.lock : Lock::share_row_exclusive;
            b.add("add_foreign_key_validated", table,
                  what + (inline_column ? "REFERENCES" : "FOREIGN KEY") + " on " + table + " " +
                      describe_size(t) + " scans the whole table to validate it",
                  lock_detail(lock, table, "for the whole validation") + " The referenced table " +
                      s(c.referenced_table) +
                      (lock == Lock::share_row_exclusive ? " is locked the same way."
                                                         : " is locked SHARE ROW EXCLUSIVE."),
                  recipe);
            return;
        }
        case ConstraintKind::check:
            if (c.not_valid)
                return;
            b.add("add_check_validated", table,
                  what + "CHECK on " + table + " " + describe_size(t) +
                      " scans the whole table to validate it",
                  lock_detail(Lock::access_exclusive, table, "for the whole validation"), recipe);
            return;
        case ConstraintKind::unique:
        case ConstraintKind::primary_key: {
            const bool pk = c.kind == ConstraintKind::primary_key;
            if (!c.using_index.empty()) {
                if (!pk || c.nullable_columns == 0)
                    return;
                const std::string check = quote_derived(raw_table(t) + "_key_not_null");
                b.add("primary_key_using_index_nullable", table,
                      "PRIMARY KEY USING INDEX " + s(c.using_index) + " on " + table + " " +
                          describe_size(t) + " scans the whole table to set " +
                          std::to_string(c.nullable_columns) + " nullable column(s) NOT NULL",
                      lock_detail(Lock::access_exclusive, table, "for the whole scan"),
                      "Make the key columns NOT NULL first without a scan (see "
                      "set_not_null_scan):\n" +
                          s(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " +
                          check + " CHECK (" + s(c.not_null_check) + ") NOT VALID;\n" +
                          "ALTER TABLE " + table + " VALIDATE CONSTRAINT " + check + ";\n" +
                          "-- ALTER COLUMN ... SET NOT NULL for each key column, then:\n" +
                          "ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                          " PRIMARY KEY USING INDEX " + s(c.using_index) + ";");
                return;
            }
            const std::string kw = pk ? "PRIMARY KEY" : "UNIQUE";
            b.add(pk ? "add_primary_key" : "add_unique_constraint", table,
                  "ADD " + kw + " on " + table + " " + describe_size(t) +
                      " builds its index while holding ACCESS EXCLUSIVE",
                  lock_detail(Lock::access_exclusive, table, "for the whole index build"),
                  "Build the unique index concurrently, then attach it (instant):\n" +
                      s(lock_timeout_line) +
                      (!c.new_column.empty()
                           ? "ALTER TABLE " + table + " ADD COLUMN " + s(c.new_column) + " " +
                                 s(c.new_column_type) + ";\n"
                           : std::string()) +
                      "CREATE UNIQUE INDEX CONCURRENTLY " + name + " ON " + table + " (" +
                      s(c.key_columns) + ");\n" +
                      (pk ? "-- the key columns must already be NOT NULL (see set_not_null_scan), "
                            "or the next step scans the table\n"
                          : "") +
                      "ALTER TABLE " + table + " ADD CONSTRAINT " + name + " " + kw +
                      " USING INDEX " + name + ";");
            return;
        }
        case ConstraintKind::exclusion:
            b.add("add_exclusion_constraint", table,
                  "ADD EXCLUDE on " + table + " " + describe_size(t) +
                      " builds its index and checks every row while holding ACCESS EXCLUSIVE",
                  lock_detail(Lock::access_exclusive, table, "for the whole build"),
                  "There is no concurrent way to add an exclusion constraint. Create a new table "
                  "with the constraint, copy the rows in batches, and swap the names in one "
                  "short transaction:\n" +
                      s(lock_timeout_line) + "CREATE TABLE " + derived_rel(t, "_new") + " (LIKE " +
                      table + " INCLUDING ALL, " + s(c.definition) + ");");
            return;
        case ConstraintKind::none:
            return;
    }
}

void judge_validate(const ActionFacts& a, const StatementContext&, Builder& b) {
    const TableFacts& t = a.table;
    if (!existing(t) || !a.lock_already_held)
        return;
    const std::string table = s(t.qname);
    const std::string name = s(a.validate.constraint);
    b.add("validate_same_transaction", table,
          "VALIDATE CONSTRAINT " + name + " on " + table + " " + describe_size(t) +
              " scans the table while this transaction still holds a strong lock",
          "Lock: this transaction already holds " + std::string(lock_name(a.lock)) + " on " +
              table + " (from an earlier statement, e.g. the ADD CONSTRAINT ... NOT VALID); " +
              std::string(lock_blocks(a.lock)) + " for the whole validation.",
          "Commit after adding the constraint NOT VALID, then validate in a new transaction "
          "(SHARE UPDATE EXCLUSIVE only):\n"
          "COMMIT;\n" +
              std::string("ALTER TABLE ") + table + " VALIDATE CONSTRAINT " + name + ";");
}

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

// The catalog entries of this family's rules, next to their code
// (rule_catalog.cpp merges every family's table).
const std::vector<RuleInfo>& guard_constraints_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "add_foreign_key_validated",
            Category::lock,
            Severity::error,
            Scope::guard,
            "ADD FOREIGN KEY without NOT VALID scans the table while blocking writes on both "
            "tables.",
            "`ADD CONSTRAINT ... FOREIGN KEY` without `NOT VALID` on an existing table above the "
            "size threshold; and `ADD COLUMN ... REFERENCES` when the new column has a DEFAULT, "
            "serial or GENERATED value (without one PostgreSQL marks the key valid without a "
            "scan). The referenced table's SHARE ROW EXCLUSIVE counts for missing_lock_timeout "
            "even when the referencing table is new.",
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
            "`ADD CONSTRAINT ... CHECK` without `NOT VALID`, or a CHECK given inline in `ADD "
            "COLUMN`, on an existing table above the size threshold (plain inheritance children "
            "summed in, as PostgreSQL validates the CHECK on each). A CHECK naming a column that "
            "an earlier sub-command of the same ALTER TABLE adds is judged too.",
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
    };
    return table;
}

}  // namespace schema_oracle::core
