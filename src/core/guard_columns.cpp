// guard_columns.cpp: rules on adding and changing columns
// (sql/guard_columns.sql): add_column_volatile_default,
// add_column_generated_stored, add_column_not_null_no_default,
// alter_column_type_rewrite, set_not_null_scan.
#include "guard_rules.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core::judging {

namespace {

std::string literal(const std::string& text) {
    return quote_literal(text);
}

// The batched backfill of a column the hint adds: schema_oracle.backfill()
// with the value as its SET clause, over the rows still NULL.
std::string backfill_call(const std::string& table, const std::string& col,
                          const std::string& value, bool ok) {
    if (!ok)  // backfill() batches on the primary key
        return "-- UPDATE " + table + " SET " + col + " = " + value + " WHERE " + col +
               " IS NULL, in batches (schema_oracle.backfill() needs a primary key, which " +
               table + " lacks)";
    return "CALL schema_oracle.backfill(" + literal(table) + ", " + literal(col + " = " + value) +
           ", " + literal(col + " IS NULL") + ");";
}

}  // namespace

void judge_add_column(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const AddColumnFacts& c = a.add_column;
    const std::string table = s(t.qname);
    const std::string col = s(c.column.quoted);
    const std::string type = s(c.type);
    // The statement's drops it depends on (DROP COLUMN c, ADD COLUMN c) run first.
    const std::string add =
        s(lock_timeout_line) + first_alter_table(a, table) + "ADD COLUMN " + col;
    const std::string batches = "-- then, in batches (outside a transaction block):\n";
    if (existing(t) && (c.volatile_default || c.serial || c.identity) &&
        big_existing_table(t, ctx)) {
        std::string why = c.serial     ? "a serial column (its nextval() default is volatile)"
                          : c.identity ? "an identity column (every row needs its own value)"
                                       : "a volatile default (" + s(c.default_sql) + ")";
        std::string hint;
        if (c.serial || c.identity) {
            const std::string seq = derived_rel(a);
            hint = "Add the column without a default, attach a sequence, backfill in batches:\n" +
                   add + " " + type + ";\n" + "CREATE SEQUENCE " + seq + " OWNED BY " + table +
                   "." + col + ";\n" + "ALTER TABLE " + table + " ALTER COLUMN " + col +
                   " SET DEFAULT nextval(" + literal(seq) + ");\n" + batches +
                   backfill_call(table, col, "nextval(" + literal(seq) + ")", c.backfill_ok);
            // ADD GENERATED ... AS IDENTITY on a NOT NULL column changes the
            // catalog only (no rewrite): the identity comes last.
            if (c.identity)
                hint +=
                    "\n-- once backfilled and NOT NULL (see set_not_null_scan), make it the "
                    "identity: ALTER TABLE " +
                    table + " ALTER COLUMN " + col + " DROP DEFAULT, ALTER COLUMN " + col +
                    " ADD GENERATED " + (c.identity_always ? "ALWAYS" : "BY DEFAULT") +
                    " AS IDENTITY; then setval() its sequence past "
                    "max(" +
                    col + ")";
        } else {
            hint =
                "Add the column without the default, set the default for new rows, backfill "
                "old rows in batches:\n" +
                add + " " + type + ";\n" + "ALTER TABLE " + table + " ALTER COLUMN " + col +
                " SET DEFAULT " + s(c.default_sql) + ";\n" + batches +
                backfill_call(table, col, s(c.default_sql), c.backfill_ok);
        }
        b.add("add_column_volatile_default", table,
              "ADD COLUMN " + col + " with " + why + " rewrites " + table + " " + describe_size(t) +
                  " row by row",
              lock_detail(Lock::access_exclusive, table, "for the whole rewrite"), hint)
            .rewrite = true;
    } else if (existing(t) && c.generated_stored && big_existing_table(t, ctx)) {
        b.add("add_column_generated_stored", table,
              "ADD COLUMN " + col + " GENERATED ... STORED rewrites " + table + " " +
                  describe_size(t) + " to compute every row",
              lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
              "Add a plain column, keep it current with a trigger, backfill in batches:\n" + add +
                  " " + type + ";\n" + "-- CREATE TRIGGER ... BEFORE INSERT OR UPDATE to compute " +
                  col + ";\n" + batches +
                  backfill_call(table, col, s(c.generation_sql), c.backfill_ok))
            .rewrite = true;
    } else if (existing(t) && c.constrained_domain && c.has_default && big_existing_table(t, ctx)) {
        b.add("add_column_volatile_default", table,
              "ADD COLUMN " + col + " of a domain with constraints rewrites " + table + " " +
                  describe_size(t) + " to check every row",
              lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
              "Add the column as the domain's base type without a default, backfill in "
              "batches, then change the type:\n" +
                  add + " " + s(c.domain_base_type) + ";\n" +
                  "-- backfill in batches, then: ALTER TABLE " + table + " ALTER COLUMN " + col +
                  " TYPE " + type + ";  -- checks every row once, no rewrite")
            .rewrite = true;
    }
    if (existing(t) && c.not_null && !c.has_default && !c.serial && !c.identity &&
        !c.generated_stored && t.bytes != 0 && t.tuples != 0) {
        b.add("add_column_not_null_no_default", table,
              "ADD COLUMN " + col + " NOT NULL without a default fails on " + table + " " +
                  describe_size(t) + ", which has rows",
              lock_detail(Lock::access_exclusive, table, "while it runs") +
                  " Clients still running the previous release also fail on INSERT.",
              "Give the column a non-volatile default (metadata-only), or add it nullable, "
              "backfill, then make it NOT NULL (see set_not_null_scan):\n" +
                  add + " " + type + " NOT NULL DEFAULT <constant>;");
    }
}

void judge_alter_type(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const AlterTypeFacts& c = a.alter_type;
    if (!c.rewrite || !big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    const std::string col = s(c.column.quoted);
    const std::string col_new = derived_name(a);
    b.add(
         "alter_column_type_rewrite", table,
         "ALTER COLUMN " + col + " TYPE " + s(c.type) + " rewrites " + table + " " +
             describe_size(t) + " and rebuilds its indexes",
         lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
         "Add a new column, write both, backfill in batches, then switch:\n" +
             s(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " + col_new + " " +
             s(c.type) + ";\n" +
             "-- keep it in sync with a trigger, then backfill in batches (outside a "
             "transaction block):\n" +
             (c.using_expression || !c.backfill_ok
                  ? "-- UPDATE " + table + " SET " + col_new + " = " +
                        (c.using_expression ? "<the USING expression>" : col) + " ..., in batches" +
                        (c.backfill_ok ? std::string()
                                       : " (schema_oracle.backfill() needs a primary key, which " +
                                             table + " lacks)") +
                        "\n"
                  : "CALL schema_oracle.backfill(" + literal(table) + ", " +
                        literal(col_new + " = " + col) + ", " +
                        literal(col_new + " IS NULL AND " + col + " IS NOT NULL") + ");\n") +
             "-- then, in one short transaction: rename the columns and drop the old one.")
        .rewrite = true;
}

void judge_set_not_null(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const SetNotNullFacts& c = a.set_not_null;
    if (c.implied_by_check || !big_existing_table(t, ctx))
        return;
    const std::string table = s(t.qname);
    const std::string col = s(c.column.quoted);
    // Unless an earlier hint of the statement adds the column already: then
    // it is proved NOT NULL like any existing column.
    if (!c.added_column_sql.empty() && !a.column_added_by_earlier_hint) {
        b.add("set_not_null_scan", table,
              "SET NOT NULL on " + table + "." + col +
                  ", which this ALTER TABLE adds with a default, scans all of " + table + " " +
                  describe_size(t) + " to prove there is no NULL",
              lock_detail(Lock::access_exclusive, table, "for the whole scan"),
              "Declare NOT NULL in the ADD COLUMN itself: every existing row then holds the "
              "default, and PostgreSQL skips the scan:\n" +
                  s(lock_timeout_line) + first_alter_table(a, table) + "ADD COLUMN " +
                  s(c.added_column_sql) + ";");
        return;
    }
    const std::string check = derived_name(a);
    b.add("set_not_null_scan", table,
          "SET NOT NULL on " + table + "." + col + " scans all of " + table + " " +
              describe_size(t) + " to prove there is no NULL",
          lock_detail(Lock::access_exclusive, table, "for the whole scan"),
          "Prove it with a NOT VALID check first; SET NOT NULL then skips the scan:\n" +
              s(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " + check +
              " CHECK (" + col + " IS NOT NULL) NOT VALID;\n" + "ALTER TABLE " + table +
              " VALIDATE CONSTRAINT " + check + ";  -- in its own transaction\n" + "ALTER TABLE " +
              table + " ALTER COLUMN " + col + " SET NOT NULL;\n" + "ALTER TABLE " + table +
              " DROP CONSTRAINT " + check + ";");
}

}  // namespace schema_oracle::core::judging
