// subxact_owned.hpp: per-transaction entries that belong to the
// subtransaction that made them (the guard's waivers, the commit check's
// noted tables), kept in step with the subtransaction's end.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/xact.h"
}

namespace schema_oracle::pg {

// As the rest of the transaction's work goes: an aborted subtransaction
// (ROLLBACK TO SAVEPOINT, a failed PL/pgSQL EXCEPTION block) takes its
// entries with it; a committed one (RELEASE SAVEPOINT) hands them to its
// parent. Entries of a committed child were already handed to this
// subtransaction, so matching `mine` covers nested levels. `Entry` is POD
// with a `subid` member; C-style, raises nothing.
template <typename Entry>
void follow_subxact_end(SubXactEvent event, SubTransactionId mine, SubTransactionId parent,
                        Entry* entries, int* count) noexcept {
    switch (event) {
        case SUBXACT_EVENT_ABORT_SUB: {
            int kept = 0;
            for (int i = 0; i < *count; ++i)
                if (entries[i].subid != mine)
                    entries[kept++] = entries[i];
            *count = kept;
            break;
        }
        case SUBXACT_EVENT_COMMIT_SUB:
            for (int i = 0; i < *count; ++i)
                if (entries[i].subid == mine)
                    entries[i].subid = parent;
            break;
        default:
            break;
    }
}

}  // namespace schema_oracle::pg
