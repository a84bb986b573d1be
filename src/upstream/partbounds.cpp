// partbounds.cpp: the DEFAULT partition scan of ATTACH PARTITION and CREATE
// TABLE ... PARTITION OF, mirrored from PostgreSQL 15:
//
// - tablecmds.c, ATExecAttachPartition: when the parent has a default
//   partition (and the table attached is not the default itself), it locks
//   the default partition ACCESS EXCLUSIVE and queues
//   QueuePartitionConstraintValidation for it with
//   get_proposed_default_constraint(<new partition's constraint>);
// - tablecmds.c, DefineRelation: CREATE TABLE ... PARTITION OF opens the
//   default partition with AccessExclusiveLock and calls
//   check_default_partition_contents (partbounds.c);
// - both skip the scan when PartConstraintImpliedByRelConstraint proves the
//   default partition's new constraint from its validated CHECK constraints
//   and NOT NULLs ("updated partition constraint for default partition ...
//   is implied by existing constraints").
//
// The bound is transformed with transformPartitionBound only when every
// value is a literal (or MINVALUE / MAXVALUE): transforming evaluates the
// bound expressions, and the guard never runs the user's code. Otherwise
// the facts are unknown and the scan is assumed.
#include "schema_oracle/upstream/partbounds.hpp"
#include "schema_oracle/pg/user_code.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "catalog/partition.h"
#include "commands/tablecmds.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_node.h"
#include "parser/parse_utilcmd.h"
#include "partitioning/partbounds.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// A literal, possibly cast, or the bare MINVALUE / MAXVALUE column refs.
bool literal(Node* n) {
    if (n == nullptr)
        return false;
    if (IsA(n, A_Const))
        return true;
    if (IsA(n, TypeCast))
        return literal(((TypeCast*)n)->arg);
    if (IsA(n, ColumnRef)) {
        ColumnRef* c = (ColumnRef*)n;
        return list_length(c->fields) == 1 && IsA(linitial(c->fields), String);
    }
    return false;
}

bool literals(List* values) {
    ListCell* lc;
    foreach (lc, values)
        if (!literal((Node*)lfirst(lc)))
            return false;
    return true;
}

}  // namespace

void default_partition_scan_facts(Relation parent, Relation defaultrel,
                                  PartitionBoundSpec* raw_bound, DefaultScanFacts* out) {
    out->exclusion_sql = pstrdup("");
    out->implied = false;
    out->known = false;
    if (raw_bound == nullptr || raw_bound->is_default || RelationGetPartitionKey(parent) == nullptr)
        return;
    if (!literals(raw_bound->listdatums) || !literals(raw_bound->lowerdatums) ||
        !literals(raw_bound->upperdatums))
        return;
    ParseState* ps = make_parsestate(nullptr);
    PartitionBoundSpec* bound =
        transformPartitionBound(ps, parent, (PartitionBoundSpec*)copyObjectImpl(raw_bound));
    free_parsestate(ps);
    List* qual = get_qual_from_partbound(parent, bound);
    // get_proposed_default_constraint simplifies the qual (its operators
    // come from the partition key's operator classes): never over user code.
    if (expression_runs_user_code((Node*)qual))
        return;
    List* proposed = get_proposed_default_constraint(qual);
    Expr* anded = make_ands_explicit(proposed);
    List* mapped = map_partition_varattnos(list_make1(anded), 1, defaultrel, parent);
    List* ctx =
        deparse_context_for(RelationGetRelationName(defaultrel), RelationGetRelid(defaultrel));
    out->exclusion_sql = deparse_expression((Node*)linitial(mapped), ctx, false, false);
    out->implied = implied_by_relation_constraints(defaultrel, mapped);
    out->known = true;
}

}  // namespace schema_oracle::pg::upstream
