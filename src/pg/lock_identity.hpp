// lock_identity.hpp: the relations a statement names and waits to lock, as
// PostgreSQL 15 looks them up (src/pg/lock_identity.cpp). One function per
// statement kind, named in the `lock_targets` column of the statement table
// (src/pg/statement_kinds.cpp).
#pragma once

#include "schema_oracle/pg/guard.hpp"

namespace schema_oracle::pg {

// The right PostgreSQL's lookup callback checks before it locks. The guard
// locks only where the user has it; elsewhere PostgreSQL raises its own
// error without locking, and the guard takes no lock either.
enum class LockRight : std::uint8_t {
    owner,                  // RangeVarCallbackOwnsRelation / OwnsTable / ForAlterRelation
    owner_or_schema_owner,  // RangeVarCallbackForDropRelation
    truncate,               // RangeVarCallbackForTruncate: TRUNCATE privilege
    lock_table,             // RangeVarCallbackForLockTable: LockTableAclCheck
    none,                   // DefineRelation locks its parents before any check
};

struct LockTarget {
    RangeVar* rv;
    LOCKMODE mode;
    LOCKMODE heap_mode;  // an index: its table is locked first in this mode (NoLock: not)
    LockRight right;
    bool nowait;  // LOCK TABLE ... NOWAIT
    // When the relation turns out not to be an index, this mode instead
    // (ALTER INDEX ... RENAME of a table); NoLock: `mode` always.
    LOCKMODE non_index_mode;
    // DROP: a partition's parent is locked ACCESS EXCLUSIVE before the
    // partition (RangeVarCallbackForDropRelation: queries lock parent, then
    // partition, so the other order risks a deadlock).
    bool parent_first;
};

struct LockTargets {
    LockTarget* items;  // palloc'd
    int count;
    int capacity;
};

void add_lock_target(LockTargets* out, RangeVar* rv, LOCKMODE mode, LockRight right,
                     LOCKMODE heap_mode = NoLock, bool nowait = false,
                     LOCKMODE non_index_mode = NoLock);

// The mode PostgreSQL locks this relation in for the target.
LOCKMODE target_mode(const LockTarget& t, Oid relid);

// The statement table's `lock_targets` column.
void create_table_lock_targets(Node* stmt, LockTargets* out);
void create_index_lock_targets(Node* stmt, LockTargets* out);
void alter_table_lock_targets(Node* stmt, LockTargets* out);
void drop_lock_targets(Node* stmt, LockTargets* out);
void rename_lock_targets(Node* stmt, LockTargets* out);
void truncate_lock_targets(Node* stmt, LockTargets* out);
void vacuum_lock_targets(Node* stmt, LockTargets* out);
void cluster_lock_targets(Node* stmt, LockTargets* out);
void reindex_lock_targets(Node* stmt, LockTargets* out);
void lock_table_lock_targets(Node* stmt, LockTargets* out);
void alter_sequence_lock_targets(Node* stmt, LockTargets* out);

// The statement table's `catalog_only` column: the statement changes the
// catalog only (no scan, rewrite or index build; no lock on other tables).
bool rename_is_catalog_only(Node* stmt);
bool alter_table_is_catalog_only(Node* stmt);

// Reads the statement table: whether the statement's kind says it is
// catalog-only (statement_kinds.cpp).
bool guard_statement_catalog_only(Node* stmt);

// Reads the statement table (statement_kinds.cpp): the targets of a judged
// statement, none for the others. `out` is zeroed first.
void guard_lock_targets(Node* stmt, LockTargets* out);

// Whether `stmt` is catalog-only and has lock targets, each of which
// `adds_no_wait` accepts (a relation new in this transaction, or locked in
// at least the target's mode already): then running it holds nobody up
// longer than the transaction already does. The live guard answers each
// target from the catalog, check() through its overlay.
bool statement_adds_no_lock_time(Node* stmt, bool (*adds_no_wait)(const LockTarget& target));

}  // namespace schema_oracle::pg
