// guard.cpp: the guard's rules. Each is a pure function of ActionFacts and
// the StatementContext, returning findings whose text follows one layout:
//   message  what the statement does, to which table (size), why it hurts [rule]
//   detail   the lock it takes and what that blocks
//   hint     the exact statements to run instead, with the user's names
#include "schema_oracle/core/guard.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace schema_oracle::core {

std::string format_size(std::int64_t bytes) {
    // pg_size_pretty: bytes below 10 kB; otherwise keep one extra bit for
    // rounding and step through kB, MB, GB, TB while the value is too big.
    if (bytes < 0) return "size unknown";
    const std::int64_t limit = 10 * 1024;
    const std::int64_t limit2 = limit * 2 - 1;
    if (bytes < limit) return std::to_string(bytes) + " bytes";
    const char* units[] = {"kB", "MB", "GB", "TB"};
    std::int64_t size = bytes >> 9;
    int unit = 0;
    while (size >= limit2 && unit < 3) {
        size >>= 10;
        ++unit;
    }
    return std::to_string((size + 1) / 2) + " " + units[unit];
}

std::string quote_derived(std::string_view name) {
    bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$')) plain = false;
    if (plain) return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string describe_size(const TableFacts& t) {
    std::string out = "(" + format_size(t.bytes);
    if (t.tuples >= 0) {
        char buf[64];
        const double rows = std::floor(t.tuples + 0.5);
        std::snprintf(buf, sizeof buf, ", ~%.0f %s", rows, rows == 1 ? "row" : "rows");
        out += buf;
    } else {
        out += ", row count unknown";
    }
    out += ")";
    return out;
}

std::string_view lock_name(Lock lock) noexcept {
    switch (lock) {
        case Lock::none: return "no";
        case Lock::access_share: return "ACCESS SHARE";
        case Lock::row_share: return "ROW SHARE";
        case Lock::row_exclusive: return "ROW EXCLUSIVE";
        case Lock::share_update_exclusive: return "SHARE UPDATE EXCLUSIVE";
        case Lock::share: return "SHARE";
        case Lock::share_row_exclusive: return "SHARE ROW EXCLUSIVE";
        case Lock::exclusive: return "EXCLUSIVE";
        case Lock::access_exclusive: return "ACCESS EXCLUSIVE";
    }
    return "unknown";
}

std::string_view lock_blocks(Lock lock) noexcept {
    switch (lock) {
        case Lock::share:
        case Lock::share_row_exclusive:
            return "it blocks writes (INSERT, UPDATE, DELETE); reads continue";
        case Lock::exclusive:
            return "it blocks writes and SELECT ... FOR UPDATE/SHARE; plain reads continue";
        case Lock::access_exclusive:
            return "it blocks all reads and writes";
        case Lock::share_update_exclusive:
            return "it blocks other schema changes and VACUUM; reads and writes continue";
        default:
            return "it blocks only statements that take an ACCESS EXCLUSIVE lock";
    }
}

bool big_existing_table(const TableFacts& t, const StatementContext& ctx) noexcept {
    if (!t.found || t.created_in_xact) return false;
    if (t.bytes < 0) return true;  // unknown size: judge it
    return t.bytes >= ctx.size_threshold_bytes;
}

namespace {

bool existing(const TableFacts& t) noexcept { return t.found && !t.created_in_xact; }

std::string raw_table(const TableFacts& t) { return t.raw_name[0] ? t.raw_name : t.name; }
std::string raw_col(const ActionFacts& a) { return a.raw_column[0] ? a.raw_column : a.column; }

// A new relation next to the table: schema.orders_new, quoted as needed.
std::string derived_rel(const TableFacts& t, const std::string& suffix) {
    std::string out;
    if (t.schema[0]) {
        out = t.schema;
        out += ".";
    }
    return out + quote_derived(raw_table(t) + suffix);
}

// 'text' as an SQL string literal.
std::string literal(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

std::string lock_detail(Lock lock, const std::string& table, std::string_view duration) {
    std::string d = "Lock: ";
    d += lock_name(lock);
    d += " on ";
    d += table;
    d += " ";
    d += duration;
    d += "; ";
    d += lock_blocks(lock);
    d += ".";
    return d;
}

struct Builder {
    std::vector<Finding>& out;

    Finding& add(std::string_view rule_id, const std::string& table, std::string what,
                 std::string detail, std::string hint) {
        const RuleInfo* rule = find_rule(rule_id);
        Finding f;
        f.rule = rule ? rule->id : rule_id;
        f.severity = rule ? rule->severity : Severity::warning;
        f.table = table;
        f.message = "schema_oracle: " + std::move(what) + " [" + std::string(rule_id) + "]";
        f.detail = std::move(detail);
        f.hint = std::move(hint);
        out.push_back(std::move(f));
        return out.back();
    }
};

const char* const lock_timeout_line = "SET lock_timeout = '5s';\n";

void judge_index(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const std::string table = t.qname;
    if (a.action == Action::create_index) {
        if (a.concurrent) return;  // concurrently_in_transaction is judged by the caller
        if (!big_existing_table(t, ctx)) return;
        const std::string idx = a.object;
        const std::string tail = a.expr_sql;  // " USING ... (cols) ... WHERE ..."
        const std::string unique = a.unique ? "UNIQUE " : "";
        std::string hint;
        if (t.partitioned) {
            hint = "A partitioned table cannot be indexed CONCURRENTLY as a whole: create the "
                   "index on the parent only, build each partition's index concurrently "
                   "(outside a transaction block), then attach it:\n" +
                   std::string(lock_timeout_line) + "CREATE " + unique + "INDEX " + idx + " ON ONLY " +
                   table + tail + ";\n" + "CREATE " + unique + "INDEX CONCURRENTLY <partition>_" +
                   std::string(a.column) + " ON <partition>" + tail + ";\n" + "ALTER INDEX " + idx +
                   " ATTACH PARTITION <partition>_" + std::string(a.column) + ";";
        } else {
            hint = "Build it concurrently, outside a transaction block:\n" +
                   std::string(lock_timeout_line) + "CREATE " + unique + "INDEX CONCURRENTLY " +
                   (a.if_exists ? "IF NOT EXISTS " : "") + idx + " ON " + table + tail + ";";
        }
        b.add("create_index_not_concurrently", table,
              "CREATE INDEX on " + table + " " + describe_size(t) +
                  " blocks writes for the whole build",
              lock_detail(Lock::share, table, "until the index is built"), hint);
    } else if (a.action == Action::drop_index) {
        if (a.concurrent) return;
        if (!big_existing_table(t, ctx)) return;
        b.add("drop_index_not_concurrently", table,
              "DROP INDEX " + std::string(a.object) + " on " + table + " " + describe_size(t) +
                  " blocks all reads and writes of the table while it waits and runs",
              lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
              "Drop it concurrently, outside a transaction block:\n" +
                  std::string(lock_timeout_line) + "DROP INDEX CONCURRENTLY IF EXISTS " +
                  std::string(a.object) + ";");
    } else if (a.action == Action::reindex) {
        if (a.concurrent) return;
        if (!big_existing_table(t, ctx)) return;
        if (a.extra_sql[0] != '\0') {  // REINDEX SCHEMA / DATABASE / SYSTEM <object>
            const std::string kind = a.extra_sql;
            const std::string name = a.object;
            b.add("reindex_not_concurrently", name,
                  "REINDEX " + kind + " " + name + " (" + format_size(t.bytes) +
                      " of indexes) blocks writes of each table while its indexes are rebuilt",
                  "Lock: SHARE on each table in turn, while its indexes are rebuilt; it blocks "
                  "writes (INSERT, UPDATE, DELETE) of that table; reads continue. Each index is "
                  "locked ACCESS EXCLUSIVE meanwhile: queries that would use it wait too.",
                  kind == "SYSTEM"
                      ? std::string("System catalogs cannot be reindexed concurrently: run it in "
                                    "a maintenance window, or REINDEX only the indexes that need "
                                    "it.")
                      : "Rebuild concurrently, outside a transaction block:\n" +
                            std::string(lock_timeout_line) + "REINDEX " + kind +
                            " CONCURRENTLY " + name + ";");
            return;
        }
        const bool whole_table = a.object[0] == '\0';
        b.add("reindex_not_concurrently", table,
              "REINDEX " + (whole_table ? "TABLE " + table : "INDEX " + std::string(a.object)) +
                  " " + describe_size(t) + " blocks writes of " + table +
                  " for the whole rebuild",
              lock_detail(Lock::share, table, "until the rebuild finishes") +
                  " The index itself is locked ACCESS EXCLUSIVE: queries that would use it wait too.",
              "Rebuild concurrently, outside a transaction block:\n" +
                  std::string(lock_timeout_line) + "REINDEX " +
                  (whole_table ? "TABLE CONCURRENTLY " + table
                               : "INDEX CONCURRENTLY " + std::string(a.object)) +
                  ";");
    }
}

void judge_add_column(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const std::string table = t.qname;
    const std::string col = a.column;
    const std::string type = a.type_sql;
    if (existing(t) && (a.volatile_default || a.serial || a.identity) && big_existing_table(t, ctx)) {
        std::string why = a.serial     ? "a serial column (its nextval() default is volatile)"
                          : a.identity ? "an identity column (every row needs its own value)"
                                       : "a volatile default (" + std::string(a.expr_sql) + ")";
        std::string hint;
        if (a.serial || a.identity) {
            const std::string seq = derived_rel(t, "_" + raw_col(a) + "_seq");
            hint = "Add the column without a default, attach a sequence, backfill in batches:\n" +
                   std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " + col +
                   " " + type + ";\n" + "CREATE SEQUENCE " + seq + " OWNED BY " + table + "." +
                   col + ";\n" + "ALTER TABLE " + table + " ALTER COLUMN " + col +
                   " SET DEFAULT nextval(" + literal(seq) + ");\n" +
                   "-- then, in batches: UPDATE " + table + " SET " + col + " = nextval(" +
                   literal(seq) + ") WHERE " + col + " IS NULL AND <primary key range>;";
        } else {
            hint = "Add the column without the default, set the default for new rows, backfill "
                   "old rows in batches:\n" +
                   std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " + col +
                   " " + type + ";\n" + "ALTER TABLE " + table + " ALTER COLUMN " + col +
                   " SET DEFAULT " + std::string(a.expr_sql) + ";\n" +
                   "-- then, in batches: UPDATE " + table + " SET " + col + " = " +
                   std::string(a.expr_sql) + " WHERE " + col + " IS NULL AND <primary key range>;";
        }
        b.add("add_column_volatile_default", table,
                  "ADD COLUMN " + col + " with " + why + " rewrites " + table + " " +
                      describe_size(t) + " row by row",
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"), hint)
            .rewrite = true;
    } else if (existing(t) && a.generated_stored && big_existing_table(t, ctx)) {
        b.add("add_column_generated_stored", table,
                  "ADD COLUMN " + col + " GENERATED ... STORED rewrites " + table + " " +
                      describe_size(t) + " to compute every row",
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                  "Add a plain column, keep it current with a trigger, backfill in batches:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " +
                      col + " " + type + ";\n" +
                      "-- CREATE TRIGGER ... BEFORE INSERT OR UPDATE to compute " + col + ",\n" +
                      "-- then, in batches: UPDATE " + table + " SET " + col + " = " +
                      std::string(a.expr_sql) + " WHERE " + col + " IS NULL AND <primary key range>;")
            .rewrite = true;
    } else if (existing(t) && a.constrained_domain && a.has_default && big_existing_table(t, ctx)) {
        b.add("add_column_volatile_default", table,
                  "ADD COLUMN " + col + " of a domain with constraints rewrites " + table + " " +
                      describe_size(t) + " to check every row",
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                  "Add the column as the domain's base type without a default, backfill in "
                  "batches, then change the type:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " +
                      col + " " + std::string(a.extra_sql) + ";\n" +
                      "-- backfill in batches, then: ALTER TABLE " + table + " ALTER COLUMN " + col +
                      " TYPE " + type + ";  -- checks every row once, no rewrite")
            .rewrite = true;
    }
    if (existing(t) && a.not_null && !a.has_default && !a.serial && !a.identity &&
        !a.generated_stored && t.bytes != 0 && t.tuples != 0) {
        b.add("add_column_not_null_no_default", table,
              "ADD COLUMN " + col + " NOT NULL without a default fails on " + table + " " +
                  describe_size(t) + ", which has rows",
              lock_detail(Lock::access_exclusive, table, "while it runs") +
                  " Clients still running the previous release also fail on INSERT.",
              "Give the column a non-volatile default (metadata-only), or add it nullable, "
              "backfill, then make it NOT NULL (see set_not_null_scan):\n" +
                  std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " + col +
                  " " + type + " NOT NULL DEFAULT <constant>;");
    }
}

void judge_alter_type(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    if (!a.rewrite || !big_existing_table(t, ctx)) return;
    const std::string table = t.qname;
    const std::string col = a.column;
    const std::string col_new = quote_derived(raw_col(a) + "_new");
    b.add("alter_column_type_rewrite", table,
              "ALTER COLUMN " + col + " TYPE " + std::string(a.type_sql) + " rewrites " + table +
                  " " + describe_size(t) + " and rebuilds its indexes",
              lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
              "Add a new column, write both, backfill in batches, then switch:\n" +
                  std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " +
                  col_new + " " + std::string(a.type_sql) + ";\n" +
                  "-- keep it in sync with a trigger, backfill in batches: UPDATE " + table +
                  " SET " + col_new + " = " + col + " WHERE ... ;\n" +
                  "-- then, in one short transaction: rename the columns and drop the old one.")
        .rewrite = true;
}

void judge_set_not_null(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    if (a.implied_by_check || !big_existing_table(t, ctx)) return;
    const std::string table = t.qname;
    const std::string col = a.column;
    const std::string check = quote_derived(raw_table(t) + "_" + raw_col(a) + "_not_null");
    b.add("set_not_null_scan", table,
          "SET NOT NULL on " + table + "." + col + " scans all of " + table + " " +
              describe_size(t) + " to prove there is no NULL",
          lock_detail(Lock::access_exclusive, table, "for the whole scan"),
          "Prove it with a NOT VALID check first; SET NOT NULL then skips the scan:\n" +
              std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " + check +
              " CHECK (" + col + " IS NOT NULL) NOT VALID;\n" + "ALTER TABLE " + table +
              " VALIDATE CONSTRAINT " + check + ";  -- in its own transaction\n" + "ALTER TABLE " +
              table + " ALTER COLUMN " + col + " SET NOT NULL;\n" + "ALTER TABLE " + table +
              " DROP CONSTRAINT " + check + ";");
}

// The safe recipe for a constraint that would be validated under a strong
// lock: add it NOT VALID (instant), validate later under SHARE UPDATE EXCLUSIVE.
std::string not_valid_then_validate(const std::string& table, const std::string& name,
                                    const std::string& def) {
    return "Add it NOT VALID (instant), then validate in a separate transaction, which "
           "takes only SHARE UPDATE EXCLUSIVE:\n" +
           std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " + name +
           " " + def + " NOT VALID;\nCOMMIT;\nALTER TABLE " + table + " VALIDATE CONSTRAINT " +
           name + ";";
}

void judge_add_constraint(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    if (!big_existing_table(t, ctx)) return;
    const std::string table = t.qname;
    const std::string name = a.column;  // constraint name (quoted) or a suggested one
    const std::string def = a.expr_sql; // the constraint's definition text
    switch (a.constraint) {
        case ConstraintKind::foreign_key:
            if (a.not_valid) return;
            b.add("add_foreign_key_validated", table,
                  "ADD FOREIGN KEY on " + table + " " + describe_size(t) +
                      " scans the whole table to validate it",
                  lock_detail(Lock::share_row_exclusive, table, "for the whole validation") +
                      " The referenced table " + std::string(a.object) + " is locked the same way.",
                  not_valid_then_validate(table, name, def));
            return;
        case ConstraintKind::check:
            if (a.not_valid) return;
            b.add("add_check_validated", table,
                  "ADD CHECK on " + table + " " + describe_size(t) +
                      " scans the whole table to validate it",
                  lock_detail(Lock::access_exclusive, table, "for the whole validation"),
                  not_valid_then_validate(table, name, def));
            return;
        case ConstraintKind::unique:
        case ConstraintKind::primary_key: {
            const bool pk = a.constraint == ConstraintKind::primary_key;
            if (a.using_index) {
                if (!pk || a.nullable_columns == 0) return;
                b.add("primary_key_using_index_nullable", table,
                      "PRIMARY KEY USING INDEX " + std::string(a.object) + " on " + table + " " +
                          describe_size(t) + " scans the whole table to set " +
                          std::to_string(a.nullable_columns) + " nullable column(s) NOT NULL",
                      lock_detail(Lock::access_exclusive, table, "for the whole scan"),
                      "Make the key columns NOT NULL first without a scan (see set_not_null_scan):\n" +
                          std::string(lock_timeout_line) + "ALTER TABLE " + table +
                          " ADD CONSTRAINT " + quote_derived(raw_table(t) + "_key_not_null") +
                          " CHECK (" + std::string(a.expr_sql) + ") NOT VALID;\n" +
                          "ALTER TABLE " + table + " VALIDATE CONSTRAINT " +
                          quote_derived(raw_table(t) + "_key_not_null") + ";\n" +
                          "-- ALTER COLUMN ... SET NOT NULL for each key column, then:\n" +
                          "ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                          " PRIMARY KEY USING INDEX " + std::string(a.object) + ";");
                return;
            }
            const std::string kw = pk ? "PRIMARY KEY" : "UNIQUE";
            b.add(pk ? "add_primary_key" : "add_unique_constraint", table,
                  "ADD " + kw + " on " + table + " " + describe_size(t) +
                      " builds its index while holding ACCESS EXCLUSIVE",
                  lock_detail(Lock::access_exclusive, table, "for the whole index build"),
                  "Build the unique index concurrently, then attach it (instant):\n" +
                      std::string(lock_timeout_line) +
                      (a.new_column ? "ALTER TABLE " + table + " ADD COLUMN " +
                                          std::string(a.object) + " " + std::string(a.type_sql) +
                                          ";\n"
                                    : std::string()) +
                      "CREATE UNIQUE INDEX CONCURRENTLY " + name +
                      " ON " + table + " (" + std::string(a.extra_sql) + ");\n" +
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
                      std::string(lock_timeout_line) + "CREATE TABLE " + derived_rel(t, "_new") +
                      " (LIKE " + table + " INCLUDING ALL, " + def + ");");
            return;
        case ConstraintKind::none:
            return;
    }
}

void judge_validate(const ActionFacts& a, Builder& b) {
    const TableFacts& t = a.table;
    if (!existing(t) || !a.lock_already_held) return;
    const std::string table = t.qname;
    b.add("validate_same_transaction", table,
          "VALIDATE CONSTRAINT " + std::string(a.column) + " on " + table + " " +
              describe_size(t) + " scans the table while this transaction still holds a strong lock",
          "Lock: this transaction already holds " + std::string(lock_name(a.lock)) + " on " + table +
              " (from an earlier statement, e.g. the ADD CONSTRAINT ... NOT VALID); " +
              std::string(lock_blocks(a.lock)) + " for the whole validation.",
          "Commit after adding the constraint NOT VALID, then validate in a new transaction "
          "(SHARE UPDATE EXCLUSIVE only):\n"
          "COMMIT;\n" +
              std::string("ALTER TABLE ") + table + " VALIDATE CONSTRAINT " + std::string(a.column) +
              ";");
}

void judge_table_level(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    const std::string table = t.qname;
    switch (a.action) {
        case Action::set_persistence:
            if (!big_existing_table(t, ctx)) return;
            b.add("set_persistence", table,
                      std::string(a.logged ? "SET LOGGED" : "SET UNLOGGED") + " rewrites " + table +
                          " " + describe_size(t) +
                          (a.logged ? " and writes all of it to the WAL" : ""),
                      lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                      "Create the table with the wanted persistence from the start, or copy into "
                      "a new table in batches and swap names in one short transaction:\n" +
                          std::string("CREATE ") + (a.logged ? "" : "UNLOGGED ") + "TABLE " +
                          derived_rel(t, "_new") + " (LIKE " + table + " INCLUDING ALL);")
                .rewrite = true;
            return;
        case Action::set_tablespace:
            if (!big_existing_table(t, ctx)) return;
            b.add("set_tablespace", table,
                  "SET TABLESPACE copies all of " + table + " " + describe_size(t) +
                      " block by block",
                  lock_detail(Lock::access_exclusive, table, "for the whole copy"),
                  "Move the table with pg_repack (--tablespace), or create new objects in the "
                  "new tablespace and migrate data in batches:\n"
                  "pg_repack --table=" +
                      table + " --tablespace=" + std::string(a.object) + " --moveidx");
            return;
        case Action::set_access_method:
            if (!big_existing_table(t, ctx)) return;
            b.add("set_access_method", table,
                      "SET ACCESS METHOD rewrites " + table + " " + describe_size(t),
                      lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                      "Copy into a new table with the wanted access method in batches and swap "
                      "names in one short transaction:\n" +
                          std::string("CREATE TABLE ") + derived_rel(t, "_new") + " (LIKE " +
                          table + " INCLUDING ALL) USING " + std::string(a.object) + ";")
                .rewrite = true;
            return;
        case Action::vacuum_full:
        case Action::cluster: {
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
                      "briefly:\npg_repack --dbname=<database>");
                return;
            }
            if (!big_existing_table(t, ctx)) return;
            b.add(vac ? "vacuum_full" : "cluster_table", table,
                  stmt + " rewrites " + table + " " + describe_size(t) + " and all its indexes",
                  lock_detail(Lock::access_exclusive, table, "for the whole rewrite"),
                  "Use pg_repack, which rewrites online and takes ACCESS EXCLUSIVE only briefly"
                  " (plain VACUUM reclaims space for reuse without a rewrite):\n"
                  "pg_repack --table=" +
                      table + (vac ? "" : " --order-by=<cluster key>"));
            return;
        }
        case Action::refresh_matview:
            if (a.concurrent || !big_existing_table(t, ctx)) return;
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
            if (a.implied_by_check || !big_existing_table(t, ctx)) return;
            b.add("attach_partition_scan", table,
                  "ATTACH PARTITION scans all of " + table + " " + describe_size(t) +
                      " to prove every row fits the partition bound",
                  lock_detail(Lock::access_exclusive, table, "for the whole scan") +
                      " The parent " + std::string(a.object) +
                      " is locked SHARE UPDATE EXCLUSIVE meanwhile.",
                  "Prove the bound with a validated CHECK first; ATTACH then skips the scan:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD CONSTRAINT " +
                      quote_derived(raw_table(t) + "_bound") + " CHECK (" + std::string(a.expr_sql) +
                      ") NOT VALID;\n" + "ALTER TABLE " + table + " VALIDATE CONSTRAINT " +
                      quote_derived(raw_table(t) + "_bound") + ";  -- in its own transaction\n" +
                      "ALTER TABLE " + std::string(a.object) + " ATTACH PARTITION " + table + " " +
                      std::string(a.extra_sql) + ";\n" + "ALTER TABLE " + table +
                      " DROP CONSTRAINT " + quote_derived(raw_table(t) + "_bound") + ";");
            return;
        case Action::detach_partition:
            if (a.concurrent || !big_existing_table(t, ctx)) return;
            b.add("detach_partition_not_concurrently", table,
                  "DETACH PARTITION " + std::string(a.object) + " from " + table + " " +
                      describe_size(t) + " blocks all reads and writes of the whole partitioned table",
                  lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
                  "Detach concurrently, outside a transaction block:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table +
                      " DETACH PARTITION " + std::string(a.object) + " CONCURRENTLY;");
            return;
        case Action::alter_domain_add_constraint:
            if (a.not_valid) return;
            b.add("alter_domain_add_constraint", std::string(a.object),
                  "ALTER DOMAIN " + std::string(a.object) +
                      " ADD CONSTRAINT checks every column of every table that uses the domain",
                  "Lock: SHARE on every table with a column of this domain, for the whole check; "
                  "it blocks writes (INSERT, UPDATE, DELETE); reads continue.",
                  "Add it NOT VALID (new values only), then validate in a separate transaction:\n" +
                      std::string("ALTER DOMAIN ") + std::string(a.object) + " ADD CONSTRAINT " +
                      std::string(a.column) + " " + std::string(a.expr_sql) + " NOT VALID;\n" +
                      "COMMIT;\n" + "ALTER DOMAIN " + std::string(a.object) +
                      " VALIDATE CONSTRAINT " + std::string(a.column) + ";");
            return;
        default:
            return;
    }
}

void judge_breaking(const ActionFacts& a, Builder& b) {
    const TableFacts& t = a.table;
    const std::string table = t.qname;
    switch (a.action) {
        case Action::rename_column:
            if (!existing(t)) return;
            b.add("rename_column", table,
                  "RENAME COLUMN " + table + "." + std::string(a.column) + " to " +
                      std::string(a.object) + " " + describe_size(t) +
                      " breaks running clients that still use the old name",
                  lock_detail(Lock::access_exclusive, table, "briefly, but it queues behind every running query"),
                  "Add the new column, write both, backfill, move readers, drop the old one in a "
                  "later release:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " +
                      std::string(a.object) + " " + std::string(a.type_sql) + ";\n" +
                      "-- backfill in batches, deploy code that reads " + std::string(a.object) +
                      ", then:\nALTER TABLE " + table + " DROP COLUMN " + std::string(a.column) + ";");
            return;
        case Action::rename_table:
            if (!existing(t)) return;
            b.add("rename_table", table,
                  "RENAME " + table + " to " + std::string(a.object) + " " + describe_size(t) +
                      " breaks running clients that still use the old name",
                  lock_detail(Lock::access_exclusive, table, "briefly, but it queues behind every running query"),
                  "Rename and leave a view with the old name until every client is redeployed:\n" +
                      std::string(lock_timeout_line) + "BEGIN;\nALTER TABLE " + table +
                      " RENAME TO " + std::string(a.object) + ";\nCREATE VIEW " + table +
                      " AS SELECT * FROM " + std::string(a.extra_sql) + ";\nCOMMIT;");
            return;
        case Action::drop_column:
            if (!existing(t)) return;
            b.add("drop_column", table,
                  "DROP COLUMN " + table + "." + std::string(a.column) + " " + describe_size(t) +
                      " breaks running clients that still read or write it",
                  lock_detail(Lock::access_exclusive, table, "briefly, but it queues behind every running query"),
                  "First deploy code that no longer uses the column (ORMs: mark it ignored), "
                  "then drop it in a later migration:\n" +
                      std::string(lock_timeout_line) + "ALTER TABLE " + table +
                      " DROP COLUMN IF EXISTS " + std::string(a.column) + ";");
            return;
        case Action::drop_table:
            if (!existing(t)) return;
            b.add("drop_table", table,
                  "DROP TABLE " + table + " " + describe_size(t) +
                      " destroys its data and breaks every client that still uses it",
                  lock_detail(Lock::access_exclusive, table,
                              "(and on the tables its foreign keys reference), until the end of the "
                              "transaction"),
                  "First deploy code that no longer uses the table, keep a backup, then drop it "
                  "in a later migration:\n" +
                      std::string(lock_timeout_line) + "DROP TABLE IF EXISTS " + table + ";");
            return;
        case Action::truncate:
            if (!existing(t)) return;
            b.add("truncate_table", table,
                  "TRUNCATE " + table + " " + describe_size(t) +
                      " deletes every row, invisibly to triggers on DELETE",
                  lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
                  "Delete in batches if the data must go while the application runs:\n" +
                      std::string("DELETE FROM ") + table +
                      " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table +
                      " LIMIT 10000));  -- repeat until no row is left");
            return;
        case Action::drop_schema:
            if (!t.found || t.created_in_xact) return;
            b.add("drop_schema_cascade", table,
                  "DROP SCHEMA " + table + " CASCADE drops every object in it, and every object "
                  "elsewhere that depends on one of them",
                  "Lock: ACCESS EXCLUSIVE on every table dropped, until the end of the transaction; "
                  "it blocks all reads and writes of them.",
                  "Drop the objects explicitly, so the migration says what it destroys:\n" +
                      std::string("DROP TABLE ") + table + ".<table>;  -- one by one\n" +
                      "DROP SCHEMA " + table + " RESTRICT;");
            return;
        default:
            return;
    }
}

void judge_column_type(const ActionFacts& a, Builder& b) {
    const std::string where = std::string(a.table.qname) + "." + std::string(a.column);
    if (a.type_json)
        b.add("json_column", a.table.qname,
              "column " + where + " is json; jsonb is almost always the better type",
              "json re-parses the text on every access, has no equality operator and no GIN index.",
              "Use jsonb: " + where + " jsonb");
    if (a.type_timestamp)
        b.add("timestamp_without_time_zone", a.table.qname,
              "column " + where + " is timestamp without time zone; timestamptz is almost always meant",
              "timestamp stores wall-clock readings with no zone; sessions in other time zones and "
              "daylight-saving changes make values ambiguous.",
              "Use timestamptz: " + where + " timestamptz");
    if (a.type_char)
        b.add("char_column", a.table.qname,
              "column " + where + " is char(n), which pads with spaces",
              "char(n) is never faster than text and compares inconsistently (LIKE, casts).",
              "Use text with a CHECK if the length matters: " + where +
                  " text CHECK (length(" + std::string(a.column) + ") = <n>)");
    if (a.type_varchar_255)
        b.add("varchar_255", a.table.qname,
              "column " + where + " is varchar(255), a length limit chosen by habit",
              "In PostgreSQL the limit buys no speed or space; raising it later is an ALTER.",
              "Use text, with a CHECK if the limit is a real rule: " + where + " text");
    if (a.type_int4_key)
        b.add("int4_key", a.table.qname,
              "key column " + where + " is " + std::string(a.type_sql) +
                  ", which runs out at 2147483647",
              "Widening a key column later rewrites the table and every referencing table.",
              "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY): " + where + " bigint");
}

}  // namespace

std::vector<Finding> judge_statement(const ActionFacts* actions, std::size_t count,
                                     const StatementContext& ctx) {
    std::vector<Finding> out;
    Builder b{out};
    const ActionFacts* lock_action = nullptr;
    for (std::size_t i = 0; i < count; ++i) {
        const ActionFacts& a = actions[i];
        if (a.concurrent && ctx.in_transaction_block &&
            (a.action == Action::create_index || a.action == Action::drop_index ||
             a.action == Action::reindex || a.action == Action::detach_partition)) {
            const std::string what = a.action == Action::create_index  ? "CREATE INDEX CONCURRENTLY"
                                     : a.action == Action::drop_index  ? "DROP INDEX CONCURRENTLY"
                                     : a.action == Action::reindex     ? "REINDEX CONCURRENTLY"
                                                                       : "DETACH PARTITION CONCURRENTLY";
            b.add("concurrently_in_transaction", a.table.qname,
                  what + (a.table.qname[0] ? " on " + std::string(a.table.qname) : std::string()) +
                      " cannot run inside a transaction block: the statement will fail",
                  "PostgreSQL runs it in several transactions of its own, so it refuses to start "
                  "inside BEGIN ... COMMIT (or a function or DO block).",
                  "Run it on its own, outside any transaction block (migration tools: mark this "
                  "migration as non-transactional, e.g. disable_ddl_transaction!).");
            continue;
        }
        switch (a.action) {
            case Action::create_index:
            case Action::drop_index:
            case Action::reindex: judge_index(a, ctx, b); break;
            case Action::add_column: judge_add_column(a, ctx, b); break;
            case Action::alter_column_type: judge_alter_type(a, ctx, b); break;
            case Action::set_not_null: judge_set_not_null(a, ctx, b); break;
            case Action::add_constraint: judge_add_constraint(a, ctx, b); break;
            case Action::validate_constraint: judge_validate(a, b); break;
            case Action::rename_column:
            case Action::rename_table:
            case Action::drop_column:
            case Action::drop_table:
            case Action::truncate:
            case Action::drop_schema: judge_breaking(a, b); break;
            case Action::column_type: judge_column_type(a, b); break;
            case Action::table_rewrite:
                if (!big_existing_table(a.table, ctx)) break;
                b.add("table_rewrite", a.table.qname,
                          "this statement rewrites " + std::string(a.table.qname) + " " +
                              describe_size(a.table) + " (" + std::string(a.expr_sql) + ")",
                          lock_detail(Lock::access_exclusive, a.table.qname,
                                      "for the whole rewrite"),
                          "Find the step that rewrites (schema_oracle.explain_rule('table_rewrite')) "
                          "and use its online alternative: a new column or table filled in batches.")
                    .rewrite = true;
                break;
            default: judge_table_level(a, ctx, b); break;
        }
        if (lock_action == nullptr && a.lock >= Lock::share && existing(a.table) &&
            !a.lock_already_held && a.action != Action::table_rewrite &&
            a.action != Action::column_type)
            lock_action = &a;
    }
    if (lock_action != nullptr && !ctx.lock_timeout_set && !ctx.lock_timeout_reported) {
        const std::string table = lock_action->table.qname;
        b.add("missing_lock_timeout", table,
              "this statement takes " + std::string(lock_name(lock_action->lock)) + " on " + table +
                  " " + describe_size(lock_action->table) +
                  " with lock_timeout = 0: if it has to wait, every later query on the table queues "
                  "behind it",
              "Lock: " + std::string(lock_name(lock_action->lock)) + " on " + table + "; " +
                  std::string(lock_blocks(lock_action->lock)) +
                  ", and while it waits, so does every query that arrives after it.",
              "Bound the wait and retry on failure:\nSET lock_timeout = '5s';\n"
              "-- then run the statement again; on SQLSTATE 55P03 wait and retry.");
    }
    if (ctx.ae_held_table[0] != '\0') {
        const std::string held = ctx.ae_held_table;
        b.add("statement_after_access_exclusive", held,
              "this transaction already holds ACCESS EXCLUSIVE on " + held +
                  ", and every further statement keeps it locked longer",
              "Lock: ACCESS EXCLUSIVE on " + held +
                  " until COMMIT; it blocks all reads and writes of it meanwhile.",
              "Commit right after the statement that takes ACCESS EXCLUSIVE on an existing table; "
              "run other steps in their own transactions:\nCOMMIT;");
    }
    return out;
}

}  // namespace schema_oracle::core
