// partitions.cpp: ALTER TABLE ... ATTACH PARTITION and DETACH PARTITION.
// Whether ATTACH scans the partition is PostgreSQL's decision, mirrored in
// src/upstream/tablecmds.cpp.
#include "extract.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "catalog/pg_class.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

void extract_attach_partition(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    PartitionCmd* pc = (PartitionCmd*)cmd->def;
    const Oid parentid = t.relid;
    if (get_rel_relkind(parentid) != RELKIND_PARTITIONED_TABLE)
        return;  // PostgreSQL refuses it
    const Oid attached = resolve(pc->name);
    // The parent's DEFAULT partition is scanned too (for the new bound).
    if (OidIsValid(attached))
        add_default_partition_scan(out, parentid, pc->bound, attached, qualified_name(attached));
    ActionFacts* a = new_action(out, Action::attach_partition);
    Oid relid = fill_table(a, pc->name);
    a->partition.parent = t.table.qname;
    fill_lock(a, relid, AccessExclusiveLock);
    if (!OidIsValid(relid) || !size_rules_apply(a->table) || pc->bound == nullptr)
        return;
    Relation parentrel = RelationIdGetRelation(parentid);
    Relation attachrel = RelationIdGetRelation(relid);
    // Only a partitioned parent has a partition key to transform the bound
    // with; anything else is an error PostgreSQL reports itself.
    if (parentrel && attachrel && parentrel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE &&
        RelationGetPartitionKey(parentrel) != nullptr &&
        (attachrel->rd_rel->relkind == RELKIND_RELATION ||
         attachrel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)) {
        upstream::AttachFacts facts;
        upstream::attach_partition_facts(parentrel, attachrel, pc->bound, &facts);
        a->partition.bound_sql = copy_text(facts.bound_sql);
        a->partition.constraint_sql = copy_text(facts.constraint_sql);
        a->partition.implied_by_check = facts.implied;
    }
    if (attachrel)
        RelationClose(attachrel);
    if (parentrel)
        RelationClose(parentrel);
}

void extract_detach_partition(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    PartitionCmd* pc = (PartitionCmd*)cmd->def;
    ActionFacts* a = new_action(out, Action::detach_partition);
    a->table = t.table;
    a->concurrent = pc->concurrent;
    fill_lock(a, t.relid, pc->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock);
    Oid part = resolve(pc->name);
    a->partition.partition = OidIsValid(part) ? qualified_name(part) : quoted(pc->name->relname);
}

}  // namespace schema_oracle::pg::extract
