// activity.cpp: whether an empty table is in use, from the activity
// statistics (what pg_stat_user_tables shows: seq_scan, idx_scan,
// n_tup_ins / n_tup_upd / n_tup_del). On a database built by replaying
// migrations from nothing (every CI run), the size-independent rules (lock
// discipline, drops, renames) would otherwise fire on tables that are empty
// and that nobody has ever read or written; a small table that serves
// traffic still counts, however small.
//
// The statistics are what the cumulative statistics system has flushed
// (PostgreSQL 15: at most once a second per backend, and lost on a crash
// restart or pg_stat_reset()); so "not in use" also requires the table to
// be empty, block for block: a table that ever held a row keeps its blocks
// until VACUUM truncates them.
#include "extract.hpp"
#include "schema_oracle/pg/shared_stats.hpp"

extern "C" {
#include "catalog/catalog.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::extract {

namespace {

// The relation's own counters, and its indexes' scans, are all zero.
bool relation_idle(Oid relid) {
    PgStat_StatTabEntry e;
    if (read_shared_relation_stats(relid, &e) && (e.numscans != 0 || e.tuples_inserted != 0 ||
                                                  e.tuples_updated != 0 || e.tuples_deleted != 0))
        return false;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return false;
    List* indexes = rel->rd_rel->relhasindex ? RelationGetIndexList(rel) : NIL;
    RelationClose(rel);
    ListCell* lc;
    foreach (lc, indexes) {
        PgStat_StatTabEntry ix;
        if (read_shared_relation_stats(lfirst_oid(lc), &ix) && ix.numscans != 0)
            return false;
    }
    return true;
}

}  // namespace

bool relation_untouched(Oid relid, char relkind, int64 bytes) {
    // check() judges a file against the same catalog and statistics, so it
    // decides as the live guard does (test/cluster/check_shadow.sh).
    if (bytes != 0)
        return false;  // has blocks (or unknown)
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
        return false;
    List* all =
        has_subclass(relid) ? find_all_inheritors(relid, NoLock, nullptr) : list_make1_oid(relid);
    ListCell* lc;
    foreach (lc, all)
        if (!relation_idle(lfirst_oid(lc)))
            return false;
    return true;
}

}  // namespace schema_oracle::pg::extract
