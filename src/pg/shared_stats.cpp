// shared_stats.cpp: one relation's cumulative statistics, read from its
// shared-memory entry under the entry's lock.
//
// PostgreSQL 15 keeps the statistics in shared memory (pgstat_shmem.c);
// pgstat_fetch_stat_tabentry() reads them through the transaction's cache
// or snapshot (stats_fetch_consistency): with the default, the first read of
// a transaction builds a snapshot hash table (about 25,000 instructions, paid
// at every autocommit statement the guard triages), and every entry read is
// copied into the cache (half of unused_index's loop over 30,000 indexes).
// Switching the setting to none for the call would also reset the
// snapshot's mode for the rest of the user's transaction. So this reads the
// entry as pgstat_fetch_entry() does in mode none (pgstat.c, PostgreSQL 15),
// through utils/pgstat_internal.h: an internal header, re-checked at every
// major version.
#include "schema_oracle/pg/shared_stats.hpp"

extern "C" {
#include "catalog/catalog.h"
#include "miscadmin.h"
#include "utils/pgstat_internal.h"
}

namespace schema_oracle::pg {

namespace {

// The relation's shared entry, locked shared; nullptr when there is none.
PgStat_EntryRef* lock_entry(Oid relid) {
    PgStat_EntryRef* ref = pgstat_get_entry_ref(PGSTAT_KIND_RELATION,
                                                IsSharedRelation(relid) ? InvalidOid : MyDatabaseId,
                                                relid, false, nullptr);
    if (ref == nullptr || ref->shared_entry->dropped)
        return nullptr;
    pgstat_lock_entry_shared(ref, false);
    return ref;
}

const PgStat_StatTabEntry& counters(PgStat_EntryRef* ref) {
    return reinterpret_cast<PgStatShared_Relation*>(ref->shared_stats)->stats;
}

}  // namespace

bool read_shared_relation_stats(Oid relid, PgStat_StatTabEntry* out) {
    PgStat_EntryRef* ref = lock_entry(relid);
    if (ref == nullptr)
        return false;
    memcpy(out, &counters(ref), sizeof *out);
    pgstat_unlock_entry(ref);
    return true;
}

bool read_shared_relation_counter(Oid relid, PgStat_Counter PgStat_StatTabEntry::*counter,
                                  PgStat_Counter* out) {
    PgStat_EntryRef* ref = lock_entry(relid);
    if (ref == nullptr)
        return false;
    *out = counters(ref).*counter;
    pgstat_unlock_entry(ref);
    return true;
}

}  // namespace schema_oracle::pg
