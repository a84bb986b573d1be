// guard_lock_stmt.cpp: the facts of LOCK TABLE, for the guard's lock
// discipline (missing_lock_timeout; an ACCESS EXCLUSIVE lock noted for
// statement_after_access_exclusive). LOCK fires no event trigger: the
// ProcessUtility hook judges it (src/pg/utility_hook.cpp).
#include "schema_oracle/pg/guard.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg {

namespace {

core::Lock to_core_lock(int mode) {
    switch (mode) {
        case AccessShareLock: return core::Lock::access_share;
        case RowShareLock: return core::Lock::row_share;
        case RowExclusiveLock: return core::Lock::row_exclusive;
        case ShareUpdateExclusiveLock: return core::Lock::share_update_exclusive;
        case ShareLock: return core::Lock::share;
        case ShareRowExclusiveLock: return core::Lock::share_row_exclusive;
        case ExclusiveLock: return core::Lock::exclusive;
        case AccessExclusiveLock: return core::Lock::access_exclusive;
        default: return core::Lock::none;
    }
}

bool held_at_least(Oid relid, LOCKMODE mode) {
    LOCKTAG tag;
    SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
    for (LOCKMODE m = AccessExclusiveLock; m >= mode; --m)
        if (LockHeldByMe(&tag, m)) return true;
    return false;
}

}  // namespace

void guard_extract_lock_stmt(LockStmt* stmt, ActionList* out) {
    ListCell* cell;
    foreach (cell, stmt->relations) {
        RangeVar* rv = static_cast<RangeVar*>(lfirst(cell));
        Oid relid = RangeVarGetRelid(rv, NoLock, true);
        if (!OidIsValid(relid)) continue;  // PostgreSQL reports it
        char kind = get_rel_relkind(relid);
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE) continue;
        if (out->count == out->capacity) {
            int cap = out->capacity ? out->capacity * 2 : 4;
            out->items = static_cast<core::ActionFacts*>(
                out->items ? repalloc(out->items, sizeof(core::ActionFacts) * cap)
                           : palloc(sizeof(core::ActionFacts) * cap));
            out->capacity = cap;
        }
        core::ActionFacts* a = &out->items[out->count++];
        memset(a, 0, sizeof *a);
        a->action = core::Action::other;  // only lock discipline applies
        a->table.bytes = -1;
        a->table.tuples = -1;
        guard_table_facts(relid, &a->table);
        a->lock = to_core_lock(stmt->mode);
        // NOWAIT never queues behind another session, so it cannot hold
        // others up while waiting: like a lock already held, it needs no
        // lock_timeout.
        a->lock_already_held = stmt->nowait || held_at_least(relid, stmt->mode);
    }
}

}  // namespace schema_oracle::pg
