// default_partition.cpp: the scan of the parent's DEFAULT partition that
// ATTACH PARTITION and CREATE TABLE ... PARTITION OF make (PostgreSQL's
// decision: src/upstream/partbounds.cpp). The default partition is locked
// ACCESS EXCLUSIVE and read whole unless its validated constraints already
// exclude the new bound.
#include "extract.hpp"
#include "schema_oracle/upstream/partbounds.hpp"

extern "C" {
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

// The default partition a new partition with this bound makes PostgreSQL
// scan (InvalidOid: none). Error-free lookups, for triage too.
Oid default_partition_scanned(Oid parentid, PartitionBoundSpec* bound, Oid newpart) {
    if (!OidIsValid(parentid) || bound == nullptr || bound->is_default ||
        get_rel_relkind(parentid) != RELKIND_PARTITIONED_TABLE)
        return InvalidOid;
    const Oid def = get_default_partition_oid(parentid);
    return OidIsValid(def) && def != newpart ? def : InvalidOid;
}

void add_default_partition_scan(ActionList* out, Oid parentid, PartitionBoundSpec* bound,
                                Oid newpart, Text new_partition) {
    const Oid def = default_partition_scanned(parentid, bound, newpart);
    if (!OidIsValid(def))
        return;
    ActionFacts* a = new_action(out, Action::scan_default_partition);
    guard_table_facts(def, &a->table);
    fill_lock(a, def, AccessExclusiveLock);
    a->partition.parent = qualified_name(parentid);
    a->partition.partition = new_partition;
    if (!size_rules_apply(a->table))
        return;
    Relation parent = RelationIdGetRelation(parentid);
    Relation defrel = RelationIdGetRelation(def);
    if (parent != nullptr && defrel != nullptr) {
        upstream::DefaultScanFacts facts;
        upstream::default_partition_scan_facts(parent, defrel, bound, &facts);
        a->partition.constraint_sql = copy_text(facts.exclusion_sql);
        a->partition.implied_by_check = facts.known && facts.implied;
    }
    if (defrel != nullptr)
        RelationClose(defrel);
    if (parent != nullptr)
        RelationClose(parent);
}

}  // namespace schema_oracle::pg::extract
