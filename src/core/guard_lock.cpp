// guard_lock.cpp: lock discipline over a whole statement (sql/guard_lock.sql):
// missing_lock_timeout (once per transaction) and
// statement_after_access_exclusive.
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

void judge_lock_discipline(const ActionFacts* actions, std::size_t count,
                           const StatementContext& ctx, Builder& b) {
    // The first action that takes a lock that blocks other sessions' writes
    // on an existing table without this transaction already holding it.
    const ActionFacts* lock_action = nullptr;
    std::size_t lock_index = 0;
    for (std::size_t i = 0; i < count && lock_action == nullptr; ++i) {
        const ActionFacts& a = actions[i];
        if (fails_in_transaction_block(a, ctx))
            continue;
        if (a.lock >= Lock::share && existing(a.table) && !a.table.untouched &&
            !a.lock_already_held && a.action != Action::table_rewrite &&
            a.action != Action::column_type) {
            lock_action = &a;
            lock_index = i;
        }
    }
    if (lock_action != nullptr && !ctx.lock_timeout_set && !ctx.lock_timeout_reported) {
        const std::string table = s(lock_action->table.qname);
        const std::string lock = std::string(lock_name(lock_action->lock));
        b.action = static_cast<int>(lock_index);
        b.oid = lock_action->table.oid;
        b.add(
            "missing_lock_timeout", table,
            "this statement takes " + lock + " on " + table + " " +
                describe_size(lock_action->table) +
                " with lock_timeout = 0: if it has to wait, every later query on the table queues "
                "behind it",
            "Lock: " + lock + " on " + table + "; " + std::string(lock_blocks(lock_action->lock)) +
                ", and while it waits, so does every query that arrives after it.",
            "Bound the wait and retry on failure:\nSET lock_timeout = '5s';\n"
            "-- then run the statement again; on SQLSTATE 55P03 wait and retry.");
    }
    if (!ctx.ae_held_table.empty()) {
        const std::string held = s(ctx.ae_held_table);
        b.action = -1;  // about an earlier statement's lock, not an action of this one
        b.oid = ctx.ae_held_oid;
        b.add("statement_after_access_exclusive", held,
              "this transaction already holds ACCESS EXCLUSIVE on " + held +
                  ", and every further statement keeps it locked longer",
              "Lock: ACCESS EXCLUSIVE on " + held +
                  " until COMMIT; it blocks all reads and writes of it meanwhile.",
              "Commit right after the statement that takes ACCESS EXCLUSIVE on an existing table; "
              "run other steps in their own transactions:\nCOMMIT;");
    }
}

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

// The catalog entries of this family's rules, next to their code
// (rule_catalog.cpp merges every family's table).
const std::vector<RuleInfo>& guard_lock_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "missing_lock_timeout",
            Category::timeout,
            Severity::warning,
            Scope::guard,
            "A statement that blocks reads or writes of an existing table runs with lock_timeout = "
            "0.",
            "A statement taking SHARE or a stronger lock on a table that existed before the "
            "current transaction (and that this transaction does not already hold) while "
            "`lock_timeout` is 0: ALTER TABLE, CREATE/DROP INDEX, DROP/RENAME/TRUNCATE, REFRESH, "
            "VACUUM FULL, CLUSTER, REINDEX, CREATE TRIGGER, CREATE TABLE with a foreign key to "
            "an existing table, and CREATE TABLE ... PARTITION OF an existing parent (ACCESS "
            "EXCLUSIVE on the parent). Independent of table size: a tiny, hot table queues "
            "everyone just "
            "the same. Reported once per transaction (the setting belongs to the session, so one "
            "warning per migration transaction is enough). Silent for a table that is not in use: "
            "empty (not one block) and never scanned or written by the activity statistics "
            "(pg_stat_user_tables: seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del all 0), as "
            "the tables of a migration replay in CI are; a small table that serves traffic still "
            "counts.",
            "If the lock is not granted at once, the statement waits behind running queries, and "
            "every later query on the table waits behind it: a short DDL becomes an outage.",
            "The statement's own lock (SHARE or stronger).",
            "Bound the wait and retry:\n\n```sql\nSET lock_timeout = '5s';\n-- run the statement; "
            "on SQLSTATE 55P03 wait and retry\n```",
        },
        {
            "statement_after_access_exclusive",
            Category::lock,
            Severity::warning,
            Scope::guard,
            "More statements run while the transaction holds ACCESS EXCLUSIVE on an existing "
            "table.",
            "A DDL statement, a statement judged by the ProcessUtility hook (including LOCK "
            "TABLE), or DML and SELECT (the ExecutorStart hook) in a transaction that already took "
            "ACCESS EXCLUSIVE on a table that existed before it and still holds it (LOCK TABLE ... "
            "IN ACCESS EXCLUSIVE MODE counts). Queries a DDL statement runs itself (REFRESH "
            "MATERIALIZED VIEW) are part of that statement. Reported once per transaction. Not for "
            "a "
            "table that is not in use (empty, and never scanned or written by the activity "
            "statistics), nor for a statement that cannot add lock time: one that only changes "
            "the catalog (a RENAME, catalog-only ALTER TABLE sub-commands) on relations this "
            "transaction created or already holds locked, such as a table swap's final RENAME.",
            "ACCESS EXCLUSIVE is held until COMMIT; every further statement extends the time all "
            "reads and writes of that table wait.",
            "ACCESS EXCLUSIVE held until the end of the transaction.",
            "Commit right after the statement that takes ACCESS EXCLUSIVE; run other steps in "
            "their own transactions:\n\n```sql\nBEGIN;\nALTER TABLE orders ALTER COLUMN note SET "
            "DEFAULT '';\nCOMMIT;\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
