// lock_table.cpp: LOCK TABLE, for the guard's lock discipline
// (missing_lock_timeout; its ACCESS EXCLUSIVE counts for
// statement_after_access_exclusive). LOCK fires no event trigger: the
// ProcessUtility hook judges it (statement_kinds.cpp).
#include "extract.hpp"

namespace schema_oracle::pg::extract {

void extract_lock_table(Node* stmt, ActionList* out) {
    LockStmt* s = (LockStmt*)stmt;
    ListCell* cell;
    foreach (cell, s->relations) {
        int before = out->count;
        add_lock_action(out, static_cast<RangeVar*>(lfirst(cell)), s->mode);
        // NOWAIT never queues behind another session, so it cannot hold
        // others up while it waits: like a lock already held, it needs no
        // lock_timeout (its ACCESS EXCLUSIVE still counts once taken).
        if (s->nowait)
            for (int i = before; i < out->count; ++i) out->items[i].lock_already_held = true;
    }
}

}  // namespace schema_oracle::pg::extract
