// guard_breaking.cpp: rules on changes that break running clients or destroy
// data (sql/guard_breaking.sql, TRUNCATE in sql/guard_utility_hook.sql):
// rename_column, rename_table, drop_column, drop_table, truncate_table,
// drop_schema_cascade, sequence_restart_below_issued. They apply at any size, but never to objects
// created in this transaction.
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

namespace {
constexpr std::string_view queues = "briefly, but it queues behind every running query";
}

void judge_breaking(const ActionFacts& a, const StatementContext&, Builder& b) {
    const TableFacts& t = a.table;
    if (!existing(t) || t.untouched)
        return;  // new, or empty and never read or written: not in use
    const std::string table = s(t.qname);
    const RenameDropFacts& r = a.rename_drop;
    const std::string col = s(r.column.quoted);
    const std::string new_name = s(r.new_name);
    switch (a.action) {
        case Action::rename_column:
            b.add("rename_column", table,
                  "RENAME COLUMN " + table + "." + col + " to " + new_name + " " +
                      describe_size(t) + " breaks running clients that still use the old name",
                  lock_detail(Lock::access_exclusive, table, queues),
                  "Add the new column, write both, backfill, move readers, drop the old one in a "
                  "later release:\n" +
                      s(lock_timeout_line) + "ALTER TABLE " + table + " ADD COLUMN " + new_name +
                      " " + s(r.column_type) + ";\n" +
                      "-- backfill in batches, deploy code that reads " + new_name +
                      ", then:\nALTER TABLE " + table + " DROP COLUMN " + col + ";");
            return;
        case Action::rename_table:
            b.add("rename_table", table,
                  "RENAME " + table + " to " + new_name + " " + describe_size(t) +
                      " breaks running clients that still use the old name",
                  lock_detail(Lock::access_exclusive, table, queues),
                  "Rename and leave a view with the old name until every client is redeployed:\n" +
                      s(lock_timeout_line) + "BEGIN;\nALTER TABLE " + table + " RENAME TO " +
                      new_name + ";\nCREATE VIEW " + table + " AS SELECT * FROM " + s(r.new_qname) +
                      ";\nCOMMIT;");
            return;
        case Action::drop_column:
            b.add("drop_column", table,
                  "DROP COLUMN " + table + "." + col + " " + describe_size(t) +
                      " breaks running clients that still read or write it",
                  lock_detail(Lock::access_exclusive, table, queues),
                  "First deploy code that no longer uses the column (ORMs: mark it ignored), "
                  "then drop it in a later migration:\n" +
                      s(lock_timeout_line) + "ALTER TABLE " + table + " DROP COLUMN IF EXISTS " +
                      col + ";");
            return;
        case Action::drop_table:
            if (!r.replacement.empty()) {  // a table swap: the data lives on in the copy
                const std::string copy = s(r.replacement);
                b.add("drop_table", table,
                      "DROP TABLE " + table + " " + describe_size(t) +
                          " in a table swap: its rows live on in " + copy +
                          " (created in this transaction with the same columns), but rows "
                          "written to " +
                          table + " after the copy was taken are lost unless it was locked first",
                      lock_detail(Lock::access_exclusive, table,
                                  "(and on the tables its foreign keys reference), until the end "
                                  "of the transaction"),
                      "Lock the old table before the last copy, so that no write slips past it, "
                      "and drop and rename in the same transaction:\n" +
                          s(lock_timeout_line) + "LOCK TABLE " + table +
                          " IN SHARE ROW EXCLUSIVE MODE;  -- then copy the last rows\n" +
                          "DROP TABLE " + table + ";\nALTER TABLE " + copy + " RENAME TO " +
                          s(t.name) + ";\nCOMMIT;");
                return;
            }
            b.add(
                "drop_table", table,
                "DROP TABLE " + table + " " + describe_size(t) +
                    " destroys its data and breaks every client that still uses it",
                lock_detail(Lock::access_exclusive, table,
                            "(and on the tables its foreign keys reference), until the end of the "
                            "transaction"),
                "First deploy code that no longer uses the table, keep a backup, then drop it "
                "in a later migration:\n" +
                    s(lock_timeout_line) + "DROP TABLE IF EXISTS " + table + ";");
            return;
        case Action::truncate:
            b.add("truncate_table", table,
                  "TRUNCATE " + table + " " + describe_size(t) +
                      " deletes every row, invisibly to triggers on DELETE",
                  lock_detail(Lock::access_exclusive, table, "until the end of the transaction"),
                  "Delete in batches if the data must go while the application runs:\n" +
                      std::string("DELETE FROM ") + table +
                      " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table +
                      " LIMIT 10000));  -- repeat until no row is left");
            return;
        case Action::restart_sequence: {
            if (t.bytes == 0)
                return;  // not one row to collide with
            const SequenceRestartFacts& q = a.sequence_restart;
            const std::string seq = s(q.sequence);
            const std::string qcol = s(q.column.quoted);
            b.add("sequence_restart_below_issued", seq,
                  "ALTER SEQUENCE " + seq + " RESTART at " + std::to_string(q.restart) +
                      " goes back over values it already issued (last value " +
                      std::to_string(q.last_value) + "): new rows of " + table + " get " + qcol +
                      " values that existing rows may hold, and inserts fail on the duplicate key",
                  "Lock: SHARE ROW EXCLUSIVE on " + seq +
                      ", briefly; the damage comes later, at every insert that draws a value "
                      "issued before.",
                  "Move the sequence past the values " + table + "." + qcol +
                      " holds instead (an index on it makes " + (q.ascending ? "max" : "min") +
                      "() instant):\nSELECT setval(" + s(q.sequence_literal) + ", " +
                      (q.ascending ? "max(" : "min(") + qcol + ")) FROM " + table + ";");
            return;
        }
        case Action::drop_schema:
            b.add(
                "drop_schema_cascade", table,
                "DROP SCHEMA " + table +
                    " CASCADE drops every object in it, and every object "
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

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

// The catalog entries of this family's rules, next to their code
// (rule_catalog.cpp merges every family's table).
const std::vector<RuleInfo>& guard_breaking_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "rename_column",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "RENAME COLUMN breaks every running client that still uses the old name.",
            "`ALTER TABLE ... RENAME COLUMN` on a table that existed before the current "
            "transaction. Not for a table that is not in use (empty, and never "
            "scanned or written by the activity statistics).",
            "The rename is instant, but application servers that are still running the previous "
            "release keep sending queries with the old column name, and they fail until every "
            "instance has been redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly: blocks reads and writes while it waits.",
            "Rename in steps that keep old and new code working:\n\n"
            "1. add the new column, write to both (trigger or application), backfill in batches;\n"
            "2. deploy code that reads the new column;\n"
            "3. drop the old column in a later release.\n\n"
            "```sql\nALTER TABLE users ADD COLUMN display_name text;\n"
            "-- backfill: CALL your batched update, then switch readers, then:\n"
            "ALTER TABLE users DROP COLUMN name;\n```",
        },
        {
            "rename_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "RENAME of a table breaks every running client that still uses the old name.",
            "`ALTER TABLE ... RENAME TO` of a table that existed before the current transaction. "
            "Not for a table that is not in use (empty, and never "
            "scanned or written by the activity statistics), nor for an index, sequence or "
            "composite type renamed with ALTER TABLE (the view-based recipe fits only tables, "
            "views and foreign tables).",
            "The rename is instant, but application servers still running the previous release "
            "keep querying the old name and fail until redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly: blocks reads and writes while it waits.",
            "Rename and leave a view with the old name until every client has "
            "moved:\n\n```sql\nBEGIN;\nALTER TABLE users RENAME TO accounts;\nCREATE VIEW users AS "
            "SELECT * FROM accounts;\nCOMMIT;\n```",
        },
        {
            "drop_column",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP COLUMN breaks running clients that still read or write the column.",
            "`ALTER TABLE ... DROP COLUMN` on a table that existed before the current "
            "transaction. Not for a table that is not in use (empty, and never "
            "scanned or written by the activity statistics).",
            "ORMs cache column lists; clients of the previous release fail on INSERT or SELECT of "
            "the dropped column until redeployed.",
            "ACCESS EXCLUSIVE on the table, briefly (no rewrite).",
            "Stop using the column first (ORMs: mark it ignored), deploy, then drop it in a later "
            "migration:\n\n```sql\nALTER TABLE users DROP COLUMN IF EXISTS legacy_flag;\n```",
        },
        {
            "drop_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP TABLE destroys data and breaks clients that still use the table.",
            "`DROP TABLE` of a table that existed before the current transaction. Silent for a "
            "table that is not in use: empty (not one block) and never scanned or written by the "
            "activity statistics (pg_stat_user_tables: seq_scan, idx_scan, n_tup_ins, n_tup_upd, "
            "n_tup_del all 0), as the tables of a migration replay in CI are; a small table that "
            "serves traffic still counts. "
            "In a table swap (this transaction created a table in the same schema with the same "
            "columns, the copy that is to take its place) the finding says the rows live on in "
            "the copy and that rows written after the copy was taken are lost unless the old "
            "table was locked first.",
            "The data is gone, and every client still using the table fails. The drop also locks "
            "the tables its foreign keys reference.",
            "ACCESS EXCLUSIVE on the table (and on referenced tables for the FK triggers).",
            "Deploy code that no longer uses the table, keep a backup, then drop it in a later "
            "migration:\n\n```sql\nSET lock_timeout = '5s';\nDROP TABLE IF EXISTS "
            "legacy_events;\n```",
        },
        {
            "truncate_table",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "TRUNCATE deletes every row of a live table at once.",
            "`TRUNCATE` of a table that existed before the current transaction (judged by the "
            "ProcessUtility hook).",
            "All rows disappear, DELETE triggers do not fire, and the table is locked ACCESS "
            "EXCLUSIVE until commit; with CASCADE further tables are emptied too.",
            "ACCESS EXCLUSIVE on every truncated table until the end of the transaction.",
            "If rows must go while the application runs, delete in batches:\n\n```sql\nDELETE FROM "
            "sessions WHERE ctid = ANY (ARRAY(SELECT ctid FROM sessions LIMIT 10000));\n```",
        },
        {
            "sequence_restart_below_issued",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "ALTER SEQUENCE ... RESTART goes back over values the sequence already issued to its "
            "column.",
            "`ALTER SEQUENCE ... RESTART [WITH n]` of a sequence that existed before the current "
            "transaction that a column draws from (serial, identity, OWNED BY, or a DEFAULT "
            "nextval() without it), when n is at or "
            "below the last value it issued (at or above, for a descending sequence), read from "
            "the sequence itself as pg_sequence_last_value() reads it (a sequence another "
            "session holds locked is not waited for: the statement is judged once its own lock on "
            "the sequence is granted). The owning table is never "
            "scanned; silent when it is empty (not one block), or not in use.",
            "nextval() hands out again values that rows of the table may already hold: inserts "
            "fail on the primary key or unique constraint until the sequence has passed them, "
            "or duplicate silently without one.",
            "SHARE ROW EXCLUSIVE on the sequence, briefly.",
            "Move the sequence past the column's values instead of back:\n\n```sql\nSELECT "
            "setval('public.orders_id_seq', max(id)) FROM public.orders;\n```",
        },
        {
            "drop_schema_cascade",
            Category::breaking,
            Severity::warning,
            Scope::guard,
            "DROP SCHEMA ... CASCADE silently drops everything in it and everything that depends "
            "on it.",
            "`DROP SCHEMA ... CASCADE` of a schema that existed before the current transaction.",
            "A cascade drops objects nobody listed, including objects in other schemas that depend "
            "on them (views, foreign keys).",
            "ACCESS EXCLUSIVE on every dropped table.",
            "Drop the objects explicitly, then the schema with RESTRICT:\n\n```sql\nDROP TABLE "
            "staging.imports;\nDROP SCHEMA staging RESTRICT;\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
