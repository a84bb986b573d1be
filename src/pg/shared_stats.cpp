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
#include "lib/dshash.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/dsa.h"
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

void read_shared_relation_counters(const Oid* relids, int n,
                                   PgStat_Counter PgStat_StatTabEntry::*counter,
                                   PgStat_Counter* out, bool* found) {
    for (int k = 0; k < n; ++k) {
        out[k] = 0;
        found[k] = false;
    }
    if (n == 0)
        return;
    dshash_seq_status seq;
    dshash_seq_init(&seq, pgStatLocal.shared_hash, false);
    while (auto* p = static_cast<PgStatShared_HashEntry*>(dshash_seq_next(&seq))) {
        // Relations of this database only (shared catalogs are never asked
        // for here), and not dropped (pgstat_build_snapshot's tests).
        if (p->key.kind != PGSTAT_KIND_RELATION || p->key.dboid != MyDatabaseId || p->dropped)
            continue;
        const Oid oid = p->key.objoid;
        if (oid < relids[0] || oid > relids[n - 1])
            continue;
        int lo = 0, hi = n - 1;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (relids[mid] < oid)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (relids[lo] != oid)
            continue;
        auto* shared =
            static_cast<PgStatShared_Relation*>(dsa_get_address(pgStatLocal.dsa, p->body));
        // The entry's lock taken directly, as pgstat_build_snapshot() does
        // (pgstat_lock_entry_shared() needs an entry reference).
        LWLockAcquire(&shared->header.lock, LW_SHARED);
        out[lo] = shared->stats.*counter;
        LWLockRelease(&shared->header.lock);
        found[lo] = true;
    }
    dshash_seq_term(&seq);
}

}  // namespace schema_oracle::pg
