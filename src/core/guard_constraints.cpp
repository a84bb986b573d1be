// guard_constraints.cpp: rules on adding and validating constraints
// (sql/guard_constraints.sql): add_foreign_key_validated, add_check_validated,
// add_unique_constraint, add_primary_key, primary_key_using_index_nullable,
// add_exclusion_constraint, validate_same_transaction.
#include <algorithm>

#include "guard_rules.hpp"

namespace schema_oracle::core::judging {

namespace {

// A key or foreign key of a partitioned table that the statement replaces
// (its drops run first): each partition holds the old one under the name
// the new one takes, so the partition-by-partition recipe cannot run as it
// is; the statement itself, in a quiet moment, with a bounded wait.
std::string replaced_on_partitioned_table(const ActionFacts& a, const std::string& table,
                                          const std::string& name, const std::string& what) {
    return "This statement replaces a " + what +
           " of a partitioned table, which PostgreSQL "
           "can neither build concurrently nor add NOT VALID there, and each partition holds "
           "the old one until the statement drops it: run it when the table is quiet, in a "
           "transaction of its own, with a bounded wait:\n" +
           s(lock_timeout_line) + first_alter_table(a, table) + "ADD CONSTRAINT " + name + " " +
           s(a.constraint.definition) + ";";
}

// A partitioned table's key: neither CREATE INDEX CONCURRENTLY nor ADD ...
// USING INDEX works on the parent; each partition's does, and the parent's
// ADD then adopts the partitions' keys instead of building.
std::string partitioned_key_recipe(const ActionFacts& a, const std::string& table,
                                   const std::string& name, const std::string& kw) {
    const AddConstraintFacts& c = a.constraint;
    if (!a.same_statement_drops.empty() || !c.build_index.empty())
        return replaced_on_partitioned_table(a, table, name, "key");
    std::string out =
        "A partitioned table's key cannot be built concurrently as a whole: build each "
        "partition's key concurrently (outside a transaction block) and attach it, then add "
        "the parent's, which adopts them:\n" +
        s(lock_timeout_line) +
        (kw == "PRIMARY KEY" ? "-- the key columns must already be NOT NULL (see "
                               "set_not_null_scan), or each partition's step scans it\n"
                             : "");
    const std::vector<std::string_view> f = nul_fields(c.partition_steps);
    for (std::size_t i = 0; i + 2 < f.size(); i += 3) {
        const std::string part(f[i + 1]), key(f[i + 2]);
        if (f[i] == "l")
            out += "CREATE UNIQUE INDEX CONCURRENTLY " + key + " ON " + part + " (" +
                   s(c.key_columns) + ")" + s(c.index_tail) + ";\nALTER TABLE " + part +
                   " ADD CONSTRAINT " + key + " " + kw + " USING INDEX " + key + s(c.deferrable) +
                   ";\n";
        else if (f[i] == "c")
            out += "ALTER TABLE " + part + " ADD CONSTRAINT " + key + " " + s(c.definition) + ";\n";
    }
    return out + first_alter_table(a, table) + "ADD CONSTRAINT " + name + " " + s(c.definition) +
           ";";
}

// A partitioned table's foreign key: PostgreSQL 15 refuses it NOT VALID on
// the parent (and on a sub-partitioned table), not on a leaf. Each leaf's
// is added NOT VALID and validated there (SHARE UPDATE EXCLUSIVE); each
// level's own ADD then adopts its partitions' validated keys without a scan
// (tryAttachPartitionForeignKey).
std::string partitioned_foreign_key_recipe(const ActionFacts& a, const std::string& table,
                                           const std::string& name) {
    const AddConstraintFacts& c = a.constraint;
    if (!a.same_statement_drops.empty())
        return replaced_on_partitioned_table(a, table, name, "foreign key");
    const std::string def = s(c.definition);
    std::string out =
        "A partitioned table's foreign key cannot be added NOT VALID (PostgreSQL 15): add it "
        "NOT VALID to each partition and validate it there (SHARE UPDATE EXCLUSIVE only), then "
        "add the parent's, which adopts them without a scan:\n" +
        s(lock_timeout_line);
    const std::vector<std::string_view> f = nul_fields(c.partition_steps);
    for (std::size_t i = 0; i + 2 < f.size(); i += 3) {
        const std::string part(f[i + 1]);
        if (f[i] == "l")
            out += "ALTER TABLE " + part + " ADD CONSTRAINT " + name + " " + def +
                   " NOT VALID;\nALTER TABLE " + part + " VALIDATE CONSTRAINT " + name + ";\n";
        else if (f[i] == "c")
            out += "ALTER TABLE " + part + " ADD CONSTRAINT " + name + " " + def + ";\n";
    }
    return out + first_alter_table(a, table) + "ADD CONSTRAINT " + name + " " + def + ";";
}

}  // namespace

void judge_add_constraint(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const AddConstraintFacts& c = a.constraint;
    if (!big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    const std::string name = s(c.name);  // the user's name, or the one PostgreSQL will choose
    // ADD COLUMN ... CHECK / REFERENCES: the column first, then the constraint.
    // An earlier hint of the statement already adds that column (and
    // carries the drops it needs): this one starts from there.
    const bool inline_column = !c.new_column_sql.empty();
    const bool column_there = a.column_added_by_earlier_hint;
    // The hint's first ALTER TABLE runs the statement's drops it depends on.
    const std::string alter = first_alter_table(a, table);
    const std::string recipe =
        inline_column && !column_there
            ? add_column_then_validate(alter, table, s(c.new_column_sql), name, c.definition)
        : c.on_added_column
            ? "First run the statement without this constraint (the statement adds the column "
              "the constraint names). " +
                  not_valid_then_validate(alter, table, name, c.definition)
            : not_valid_then_validate(alter, table, name, c.definition);
    const std::string what = inline_column ? "ADD COLUMN " + s(c.new_column) + " ... " : "ADD ";
    switch (c.kind) {
        case ConstraintKind::foreign_key: {
            if (c.not_valid)
                return;
            // ADD COLUMN ... REFERENCES holds the statement's ACCESS EXCLUSIVE.
            const Lock lock =
                a.lock > Lock::share_row_exclusive ? a.lock : Lock::share_row_exclusive;
            const bool per_partition = t.partitioned && !inline_column && !c.on_added_column;
            b.add("add_foreign_key_validated", table,
                  what + (inline_column ? "REFERENCES" : "FOREIGN KEY") + " on " + table + " " +
                      describe_size(t) + " scans the whole table to validate it",
                  lock_detail(lock, table, "for the whole validation") + " The referenced table " +
                      s(c.referenced_table) +
                      (lock == Lock::share_row_exclusive ? " is locked the same way."
                                                         : " is locked SHARE ROW EXCLUSIVE."),
                  per_partition ? partitioned_foreign_key_recipe(a, table, name) : recipe);
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
                const std::string check = derived_name(a);
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
            if (t.partitioned) {
                b.add(pk ? "add_primary_key" : "add_unique_constraint", table,
                      "ADD " + kw + " on " + table + " " + describe_size(t) +
                          " builds its index on every partition while holding ACCESS EXCLUSIVE",
                      lock_detail(Lock::access_exclusive, table, "for the whole index build"),
                      partitioned_key_recipe(a, table, name, kw));
                return;
            }
            // Built under a free name while the old key still holds `name`
            // (the attach renames it); the statement's drops run at the
            // first ALTER TABLE: the new column's, else the attach.
            const std::string index = c.build_index.empty() ? name : s(c.build_index);
            const bool new_column = !c.new_column.empty() && !column_there;
            b.add(pk ? "add_primary_key" : "add_unique_constraint", table,
                  "ADD " + kw + " on " + table + " " + describe_size(t) +
                      " builds its index while holding ACCESS EXCLUSIVE",
                  lock_detail(Lock::access_exclusive, table, "for the whole index build"),
                  "Build the unique index concurrently, then attach it (instant):\n" +
                      s(lock_timeout_line) +
                      (new_column ? alter + "ADD COLUMN " + s(c.new_column) + " " +
                                        s(c.new_column_type) + ";\n"
                                  : std::string()) +
                      "CREATE UNIQUE INDEX CONCURRENTLY " + index + " ON " + table + " (" +
                      s(c.key_columns) + ")" + s(c.index_tail) + ";\n" +
                      (pk ? "-- the key columns must already be NOT NULL (see set_not_null_scan), "
                            "or the next step scans the table\n"
                          : "") +
                      (new_column ? "ALTER TABLE " + table + " " : alter) + "ADD CONSTRAINT " +
                      name + " " + kw + " USING INDEX " + index + s(c.deferrable) + ";");
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
                      s(lock_timeout_line) + "CREATE TABLE " + derived_rel(a) + " (LIKE " + table +
                      " INCLUDING ALL, CONSTRAINT " + name + " " + s(c.definition) + ");");
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
    if (a.validate.same_statement) {
        b.add("validate_same_transaction", table,
              "VALIDATE CONSTRAINT " + name + " on " + table + " " + describe_size(t) +
                  " scans the table under the strong lock its own ALTER TABLE takes",
              "Lock: this ALTER TABLE takes " + std::string(lock_name(a.lock)) + " on " + table +
                  " for all its sub-commands (e.g. the ADD CONSTRAINT ... NOT VALID); " +
                  std::string(lock_blocks(a.lock)) + " for the whole validation.",
              "Run the ALTER TABLE without the VALIDATE CONSTRAINT and commit, then validate in "
              "a new transaction (SHARE UPDATE EXCLUSIVE only):\n" +
                  std::string("ALTER TABLE ") + table + " VALIDATE CONSTRAINT " + name + ";");
        return;
    }
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
