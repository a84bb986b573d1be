// guard_breaking.cpp: rules on changes that break running clients or destroy
// data (sql/guard_breaking.sql, TRUNCATE in sql/guard_utility_hook.sql):
// rename_column, rename_table, drop_column, drop_table, truncate_table,
// drop_schema_cascade, sequence_restart_below_issued. They apply at any size, but never to objects
// created in this transaction.
#include "guard_rules.hpp"

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
            if (r.view) {
                // A view has no column to add and backfill: the clients
                // move first, then the rename itself is brief.
                b.add("rename_column", table,
                      "RENAME COLUMN " + table + "." + col + " to " + new_name + " " +
                          describe_size(t) + " breaks running clients that still use the old name",
                      lock_detail(Lock::access_exclusive, table, queues),
                      "Deploy clients that no longer use " + col +
                          " first, then rename with a bounded wait:\n" + s(lock_timeout_line) +
                          "ALTER TABLE " + table + " RENAME COLUMN " + col + " TO " + new_name +
                          ";");
                return;
            }
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
                  // A hint printed before already drops it (and adds the
                  // column of that name back): dropping here again would
                  // drop what that hint made.
                  a.column_dropped_by_earlier_hint
                      ? "First deploy code that no longer uses the column (ORMs: mark it "
                        "ignored). Another hint of this statement drops it, in the ALTER TABLE "
                        "that adds its replacement: run that one in a later migration."
                      : "First deploy code that no longer uses the column (ORMs: mark it "
                        "ignored), then drop it in a later migration:\n" +
                            s(lock_timeout_line) + "ALTER TABLE " + table +
                            " DROP COLUMN IF EXISTS " + col + ";");
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
