// shared_stats.hpp: one relation's cumulative statistics read straight from
// the shared-memory entry (src/pg/shared_stats.cpp), for the guard's triage
// and report()'s unused_index alike.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "pgstat.h"
}

namespace schema_oracle::pg {

// Copies the relation's counters, read under the entry's lock as
// pgstat_fetch_entry() reads them in stats_fetch_consistency = none, into
// *out, touching none of the transaction's statistics snapshot or cache.
// False when there is no entry (never flushed, or dropped).
bool read_shared_relation_stats(Oid relid, PgStat_StatTabEntry* out);

// The same for one counter (e.g. &PgStat_StatTabEntry::numscans): for
// loops over tens of thousands of indexes, where copying every whole entry
// shows.
bool read_shared_relation_counter(Oid relid, PgStat_Counter PgStat_StatTabEntry::*counter,
                                  PgStat_Counter* out);

// The same counter of many relations of the current database in ONE pass
// over the shared statistics hash table (as pgstat_build_snapshot() walks
// it), instead of a hash lookup (and an entry reference kept in the
// backend's cache) per relation: `relids` sorted ascending, `n` of them;
// out[k] gets relids[k]'s counter, and found[k] whether it has an entry.
// Cheaper than n lookups once n is a sizeable part of the entries.
void read_shared_relation_counters(const Oid* relids, int n,
                                   PgStat_Counter PgStat_StatTabEntry::*counter,
                                   PgStat_Counter* out, bool* found);

}  // namespace schema_oracle::pg
