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
// tablecmds.c, indexcmds.c; PostgreSQL 15). A fact that cannot be confirmed
// from the catalog counts as a refusal: the guard stays silent and
// PostgreSQL decides. Lookups only: nothing here raises for the user's
// statement, takes a lock, or runs user code.
#pragma once

#include <cstdint>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/parsenodes.h"
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

}  // namespace schema_oracle::pg::upstream
