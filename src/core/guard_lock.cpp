// guard_lock.cpp: lock discipline over a whole statement (sql/guard_lock.sql):
// missing_lock_timeout (once per transaction) and
// statement_after_access_exclusive.
#include "guard_rules.hpp"

namespace schema_oracle::core::judging {

void judge_lock_discipline(const ActionFacts* actions, std::size_t count,
                           const StatementContext& ctx, Builder& b) {
    // The first action that takes a lock that blocks other sessions' writes
    // on an existing table without this transaction already holding it.
    const ActionFacts* lock_action = nullptr;
    std::size_t lock_index = 0;
    for (std::size_t i = 0; i < count && lock_action == nullptr; ++i) {
        const ActionFacts& a = actions[i];
        if (fails_in_transaction_block(a, ctx) || refused_in_transaction_block(a, ctx))
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
