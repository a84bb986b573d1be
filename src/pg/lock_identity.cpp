// lock_identity.cpp: the guard judges the relation the statement will
// really lock.
//
// The guard judges at ddl_command_start, before the statement takes its
// lock, so that a blocked statement never waits (and never queues other
// sessions behind it). But a name is only bound to a relation once the lock
// is granted: while ALTER TABLE t waits for its lock, another session may
// rename t away and another table to t (a table swap), and PostgreSQL's
// RangeVarGetRelidExtended then re-resolves the name and locks the new t.
// A statement judged harmless on the small old t would run unjudged on the
// big new one. So once a statement is allowed, the guard takes the very
// lock PostgreSQL takes next (the same RangeVarGetRelidExtended call, the
// same mode, an ownership check before locking as PostgreSQL's own callback
// does), and if the name now denotes another relation, judges the statement
// again against it (the lock then keeps the name bound). PostgreSQL's own
// lookup a moment later finds the lock already held and the same relation.
//
// Only ALTER TABLE on a table, the statement whose lock level PostgreSQL
// computes from the parse tree alone (AlterTableGetLockLevel, the call
// ProcessUtilitySlow makes before AlterTableLookupRelation, PostgreSQL 15).
// C-style: the lock wait may raise (lock_timeout, cancel), which is the
// user's own statement failing as it would have a moment later.
#include "extract/extract.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "commands/tablecmds.h"
}

namespace schema_oracle::pg {

namespace {

AlterTableStmt* alter_table_on_table(Node* stmt) {
    if (stmt == nullptr || !IsA(stmt, AlterTableStmt))
        return nullptr;
    AlterTableStmt* s = (AlterTableStmt*)stmt;
    return s->objtype == OBJECT_TABLE && s->relation != nullptr ? s : nullptr;
}

}  // namespace

Oid guard_statement_target(Node* stmt) {
    AlterTableStmt* s = alter_table_on_table(stmt);
    if (s == nullptr || guard_overlay != nullptr)
        return InvalidOid;
    const Oid relid = extract::resolve_quietly(s->relation);
    return OidIsValid(relid) && extract::is_table(relid) ? relid : InvalidOid;
}

Oid guard_lock_statement_target(Node* stmt) {
    AlterTableStmt* s = alter_table_on_table(stmt);
    if (s == nullptr)
        return InvalidOid;
    return RangeVarGetRelidExtended(s->relation, AlterTableGetLockLevel(s->cmds), RVR_MISSING_OK,
                                    RangeVarCallbackOwnsRelation, nullptr);
}

}  // namespace schema_oracle::pg
