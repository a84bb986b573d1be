// partition_refusals.cpp: the bounds PostgreSQL 15 refuses for a new
// partition (ATTACH PARTITION, CREATE TABLE ... PARTITION OF), before it
// scans anything (include/schema_oracle/upstream/refusals.hpp).
//
// Mirrors, in order:
//   - parse_utilcmd.c, transformPartitionBound: the bound's form must be the
//     parent's strategy ("invalid bound specification for a list
//     partition", ...), a hash-partitioned table has no DEFAULT partition,
//     a hash bound's modulus is positive and its remainder below it, a range
//     bound has one value per key column;
//   - partbounds.c, check_new_partition_bound: a second DEFAULT partition
//     ("partition ... conflicts with existing default partition"), an empty
//     range ("empty range bound specified for partition"), a hash modulus
//     that is not a factor of the next larger one, and a bound that
//     overlaps an existing partition's ("partition ... would overlap
//     partition ...").
//
// The existing partitions' bounds are the constants the catalog stores
// (pg_class.relpartbound). The new bound's values are compared only when
// each is a literal (upstream::bound_is_constant), so that transforming it
// coerces constants and evaluates nothing of the user's; a bound with any
// other expression is unknown and the statement is judged normally. The
// values are compared with the partition key's own support functions
// (btree comparison), and not at all when one of them is written in a
// language other than internal or C (pg/user_code.hpp).
#include "schema_oracle/pg/user_code.hpp"
#include "refusal_helpers.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "parser/parse_node.h"
#include "parser/parse_utilcmd.h"
#include "partitioning/partbounds.h"
#include "partitioning/partdesc.h"
#include "utils/builtins.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// One key column's two values, through the key's comparison support
// function (partsupfunc: btree order for list and range keys).
int compare_values(PartitionKey key, int col, Const* a, Const* b) {
    return DatumGetInt32(FunctionCall2Coll(&key->partsupfunc[col], key->partcollation[col],
                                           a->constvalue, b->constvalue));
}

// Two range bounds (lists of PartitionRangeDatum), column by column:
// MINVALUE below every value, MAXVALUE above; past a MINVALUE or MAXVALUE
// the later columns do not matter (transformPartitionBound makes them the
// same kind). Whether a bound is a lower or an upper one does not enter:
// [lower, upper) overlaps [lower2, upper2) exactly when lower < upper2 and
// lower2 < upper in this order.
int compare_range_bounds(PartitionKey key, List* a, List* b) {
    for (int i = 0; i < key->partnatts; ++i) {
        PartitionRangeDatum* da = (PartitionRangeDatum*)list_nth(a, i);
        PartitionRangeDatum* db = (PartitionRangeDatum*)list_nth(b, i);
        if (da->kind != db->kind)
            return da->kind < db->kind ? -1 : 1;
        if (da->kind != PARTITION_RANGE_DATUM_VALUE)
            return 0;
        const int c = compare_values(key, i, (Const*)da->value, (Const*)db->value);
        if (c != 0)
            return c;
    }
    return 0;
}

// The bound the catalog stores for a partition (constants), or nullptr.
PartitionBoundSpec* catalog_bound(Oid partid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(partid));
    if (!HeapTupleIsValid(tup))
        return nullptr;
    bool isnull = true;
    Datum d = SysCacheGetAttr(RELOID, tup, Anum_pg_class_relpartbound, &isnull);
    PartitionBoundSpec* b =
        isnull ? nullptr : (PartitionBoundSpec*)stringToNode(TextDatumGetCString(d));
    ReleaseSysCache(tup);
    return b != nullptr && IsA(b, PartitionBoundSpec) ? b : nullptr;
}

// check_new_partition_bound for list and range, against one existing
// partition's bound.
bool overlaps(PartitionKey key, PartitionBoundSpec* n, PartitionBoundSpec* e) {
    if (e->is_default || e->strategy != n->strategy)
        return false;
    if (n->strategy == PARTITION_STRATEGY_RANGE)
        return compare_range_bounds(key, n->lowerdatums, e->upperdatums) < 0 &&
               compare_range_bounds(key, e->lowerdatums, n->upperdatums) < 0;
    ListCell* a;
    ListCell* b;
    foreach (a, n->listdatums) {
        Const* va = (Const*)lfirst(a);
        foreach (b, e->listdatums) {
            Const* vb = (Const*)lfirst(b);
            if (va->constisnull || vb->constisnull) {
                if (va->constisnull && vb->constisnull)
                    return true;  // both accept NULL
                continue;
            }
            if (compare_values(key, 0, va, vb) == 0)
                return true;
        }
    }
    return false;
}

// check_new_partition_bound for hash: every modulus a factor of the next
// larger one, and no remainder class taken. The moduli of the existing
// partitions form a chain of factors, so the new (m, r) fits when each
// existing modulus divides m or is divided by it, and conflicts with
// (mi, ri) when r and ri agree modulo the smaller of the two.
bool hash_refused(PartitionBoundSpec* n, PartitionBoundSpec* e) {
    if (e->is_default || e->strategy != PARTITION_STRATEGY_HASH || e->modulus <= 0)
        return false;
    if (n->modulus % e->modulus != 0 && e->modulus % n->modulus != 0)
        return refusal::refused_true(
            "every hash partition modulus must be a factor of the next larger modulus");
    const int m = n->modulus < e->modulus ? n->modulus : e->modulus;
    if (n->remainder % m == e->remainder % m)
        return refusal::refused_true("partition ... would overlap partition ...");
    return false;
}

bool support_runs_user_code(PartitionKey key) {
    for (int i = 0; i < key->partnatts; ++i)
        if (function_is_user_code(key->partsupfunc[i].fn_oid))
            return true;
    return false;
}

}  // namespace

bool partition_bound_refused(Relation parent, PartitionBoundSpec* raw, Oid newpart) {
    if (raw == nullptr)
        return false;
    if (parent->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
        return refusal::refused_true("table ... is not partitioned");
    PartitionKey key = RelationGetPartitionKey(parent);
    if (key == nullptr)
        return true;
    const Oid parentid = RelationGetRelid(parent);
    // transformPartitionBound: the bound's form.
    if (raw->is_default) {
        if (key->strategy == PARTITION_STRATEGY_HASH)
            return refusal::refused_true(
                "a hash-partitioned table may not have a default partition");
        const Oid def = get_default_partition_oid(parentid);
        // check_new_partition_bound: "... conflicts with existing default partition ...".
        return OidIsValid(def) && def != newpart && !catalog_changed_by_file(parentid);
    }
    if (raw->strategy != key->strategy)
        return refusal::refused_true("invalid bound specification for a ... partition");
    if (key->strategy == PARTITION_STRATEGY_HASH) {
        if (raw->modulus <= 0 || raw->remainder < 0 || raw->remainder >= raw->modulus)
            return refusal::refused_true(
                "modulus or remainder for hash partition out of range");  // "remainder ... less
                                                                          // than modulus"
    } else if (key->strategy == PARTITION_STRATEGY_RANGE) {
        if (list_length(raw->lowerdatums) != key->partnatts ||
            list_length(raw->upperdatums) != key->partnatts)
            return refusal::refused_true(
                "FROM/TO must specify exactly one value per partitioning column");
    } else if (key->partnatts != 1) {
        return false;
    }
    PartitionBoundSpec* bound = raw;
    if (key->strategy != PARTITION_STRATEGY_HASH) {
        if (!bound_is_constant(raw) || support_runs_user_code(key))
            return false;  // unknown: judged normally
        // Coerces the literals to the key's types; a value PostgreSQL cannot
        // coerce raises PostgreSQL's own error here (the statement's error:
        // the guard leaves it to PostgreSQL).
        ParseState* ps = make_parsestate(nullptr);
        bound = transformPartitionBound(ps, parent, (PartitionBoundSpec*)copyObjectImpl(raw));
        free_parsestate(ps);
        if (key->strategy == PARTITION_STRATEGY_RANGE &&
            compare_range_bounds(key, bound->lowerdatums, bound->upperdatums) >= 0)
            return refusal::refused_true("empty range bound specified for partition ...");
    }
    // Under check(), the partitions of a parent the file changed (attached,
    // detached, created) are not the catalog's.
    if (catalog_changed_by_file(parentid))
        return false;
    PartitionDesc desc = RelationGetPartitionDesc(parent, false);
    for (int i = 0; i < desc->nparts; ++i) {
        if (desc->oids[i] == newpart)
            continue;
        PartitionBoundSpec* existing = catalog_bound(desc->oids[i]);
        if (existing == nullptr)
            continue;
        if (key->strategy == PARTITION_STRATEGY_HASH)
            if (hash_refused(bound, existing))
                return true;  // its reason noted
        if (key->strategy != PARTITION_STRATEGY_HASH && overlaps(key, bound, existing))
            return refusal::refused_true("partition ... would overlap partition ...");
    }
    return false;
}

}  // namespace schema_oracle::pg::upstream
