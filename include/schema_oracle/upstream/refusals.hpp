// refusals.hpp: the checks PostgreSQL 15 makes before (or right after) it
// takes a DDL statement's lock, mirrored so that the guard judges only
// statements PostgreSQL would run. A statement PostgreSQL refuses (a missing
// or system column, a missing access method or operator class, a foreign key
// to a view, ADD COLUMN on a partition or a typed table, a column a view
// depends on...) is left to PostgreSQL: the user gets PostgreSQL's own error
// and SQLSTATE, never SO001 with an alternative for a statement that cannot
// run anyway (docs/guard.md, "Statements PostgreSQL refuses").
//
// Each check names the upstream function it follows (src/backend/commands/
// tablecmds.c, indexcmds.c, partitioning/partbounds.c; PostgreSQL 15). A
// fact that cannot be confirmed from the catalog counts as a refusal: the
// guard stays silent and PostgreSQL decides. Lookups only: nothing here
// takes a lock or runs user code, and nothing raises for the user's
// statement except the coercion of a partition bound's literals
// (PostgreSQL's own error for the bound, which the guard leaves to
// PostgreSQL as the statement's).
//
// Under check() (the GuardOverlay seam) the same checks read the catalog as
// the migration file's earlier statements leave it: names through the
// overlay; the constraints, indexes, partitions and dependents of a relation
// the file changed are not known (catalog_changed_by_file) and refuse
// nothing; ownership and privileges only where the role is known (the
// shadow of the live guard), never for check() itself.
#pragma once

#include <cstdint>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/parsenodes.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::upstream {

// What PostgreSQL does with one ALTER TABLE sub-command.
enum class Verdict : std::uint8_t {
    runs,     // accepted: judge it
    noop,     // IF [NOT] EXISTS that makes it do nothing (PostgreSQL says NOTICE)
    refused,  // PostgreSQL raises an error (or it cannot be confirmed)
};

// ALTER TABLE on the table relid: true when PostgreSQL refuses the
// statement (any sub-command refused). Otherwise `verdicts` (palloc'd, one
// per sub-command, in order; may be null) says which sub-commands are
// no-ops.
bool alter_table_refused(Oid relid, AlterTableStmt* stmt, Verdict** verdicts);

// CREATE INDEX on the table or materialized view relid (DefineIndex).
bool create_index_refused(Oid relid, IndexStmt* stmt);

// DROP TABLE / DROP INDEX (RemoveRelations, findDependentObjects): a
// missing relation without IF EXISTS, the wrong kind, not the owner, or,
// under RESTRICT, something else depending on it.
bool drop_refused(DropStmt* stmt);

// TRUNCATE (ExecuteTruncate): a missing relation, no TRUNCATE privilege,
// or, under RESTRICT, a foreign key from a table outside the set.
bool truncate_refused(TruncateStmt* stmt);

// ALTER TABLE ... RENAME [COLUMN] on relid (renameatt, RenameRelation).
bool rename_refused(Oid relid, RenameStmt* stmt);

// CLUSTER table [USING index] on relid (cluster, check_index_is_clusterable).
bool cluster_refused(Oid relid, ClusterStmt* stmt);

// CREATE TABLE (DefineRelation, MergeAttributes): the name taken (also under
// IF NOT EXISTS: nothing is made then), a partition's parent and bound, the
// tables its foreign keys reference.
bool create_table_refused(CreateStmt* stmt);

// A new partition's bound on `parent` (ATTACH PARTITION of newpart, or
// CREATE TABLE ... PARTITION OF with newpart InvalidOid):
// transformPartitionBound's checks of its form against the parent's
// strategy, and check_new_partition_bound's (a second DEFAULT, an empty
// range, a hash modulus that is not a factor, an overlap with an existing
// partition), src/upstream/partition_refusals.cpp. The values are compared
// only when the bound is made of literals (else: not refused); coercing them
// to the key's types may raise PostgreSQL's own error for the bound.
bool partition_bound_refused(Relation parent, PartitionBoundSpec* bound, Oid newpart);

// check() (include/schema_oracle/pg/guard.hpp, GuardOverlay::changed):
// whether an earlier statement of the migration file changed relid, so the
// catalog's constraints, indexes, partitions and dependents of it may not be
// the file's. Always false for the live guard.
bool catalog_changed_by_file(Oid relid);

// Why the statements checked since clear_refusal_reason() were refused, in
// PostgreSQL's words with "..." for the names (a static string); nullptr
// when no check was certain (a fact could not be confirmed). check() reports
// it as statement_would_fail; the live guard leaves the statement to
// PostgreSQL's own error either way.
const char* refusal_reason();
void clear_refusal_reason();

}  // namespace schema_oracle::pg::upstream
