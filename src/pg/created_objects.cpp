// created_objects.cpp: the guard's own record of what the current
// transaction created (see created_objects.hpp for why not xmin).
//
// An array of (catalog, OID) in TopTransactionContext, stamped with the
// local transaction id: a new transaction finds a stale stamp and starts
// empty (the old array went away with its TopTransactionContext), so no
// transaction callback is needed. An object created inside a subtransaction
// that is rolled back is gone from the catalog, so its stale entry can only
// match an OID nobody can look up again within this transaction; entries
// are therefore not removed at ROLLBACK TO SAVEPOINT. POD only: safe across
// longjmps.
#include "schema_oracle/pg/created_objects.hpp"

extern "C" {
#include "storage/proc.h"
#include "utils/memutils.h"
}

namespace schema_oracle::pg {

namespace {

struct CreatedObject {
    Oid classid;
    Oid objid;
};

CreatedObject* created = nullptr;
int created_count = 0;
int created_capacity = 0;
LocalTransactionId created_lxid = InvalidLocalTransactionId;

bool current() {
    return created_lxid == MyProc->lxid && created != nullptr;
}

bool is_create(const char* tag) {
    return strncmp(tag, "CREATE ", 7) == 0;
}

}  // namespace

void created_objects_note(const DdlCommand* commands, int n) {
    if (!current()) {
        created = nullptr;
        created_count = 0;
        created_capacity = 0;
    }
    for (int i = 0; i < n; ++i) {
        const DdlCommand& c = commands[i];
        if (!OidIsValid(c.objid) || c.objsubid != 0 || !is_create(c.command_tag))
            continue;
        if (created_count == created_capacity) {
            const int cap = created_capacity ? created_capacity * 2 : 16;
            // Allocated first, published after: an out-of-memory ERROR
            // leaves the old array intact.
            auto* grown = static_cast<CreatedObject*>(
                MemoryContextAlloc(TopTransactionContext, sizeof(CreatedObject) * cap));
            if (created_count > 0)
                memcpy(grown, created, sizeof(CreatedObject) * created_count);
            created = grown;
            created_capacity = cap;
            created_lxid = MyProc->lxid;
        }
        created[created_count++] = {c.classid, c.objid};
    }
}

bool created_in_this_transaction(Oid classid, Oid objid) {
    if (!current())
        return false;
    for (int i = 0; i < created_count; ++i)
        if (created[i].classid == classid && created[i].objid == objid)
            return true;
    return false;
}

}  // namespace schema_oracle::pg
