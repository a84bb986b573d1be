// lock_identity.cpp: the guard judges the relations the statement will
// really lock.
//
// The guard judges before the statement takes its locks, so that a blocked
// statement never waits (and never queues other sessions behind it). But a
// name is only bound to a relation once the lock is granted: while a
// statement waits for its lock on t, another session may rename t away and
// another table to t (a table swap), and PostgreSQL's
// RangeVarGetRelidExtended then re-resolves the name and locks the new t
// (namespace.c: it retries the lookup after every lock until the name stops
// moving). A statement judged harmless on the small old t would run
// unjudged on the big new one. So once a statement is allowed, the guard
// takes the very locks PostgreSQL takes next — the same relations by name,
// in the same order and modes, an index's table first where PostgreSQL's
// callback locks it first, and only where the user has the right that
// callback checks before locking — and if a name now denotes another
// relation, the statement is judged again against it (the locks then keep
// the names bound). PostgreSQL's own lookups a moment later find the locks
// already held and the same relations.
//
// Which names a statement locks, and how, is one function per statement
// kind below, each citing the PostgreSQL 15 lookup it follows; the
// statement table (statement_kinds.cpp) names them, so every judged
// statement that waits for a lock by name is covered by one mechanism.
// Relations PostgreSQL locks later by OID (partitions, children, an
// index's table found by OID) are bound already and need no re-check.
//
// C-style: the lock wait may raise (lock_timeout, cancel), which is the
// user's own statement failing as it would have a moment later.
#include "lock_identity.hpp"
#include "statement_kinds.hpp"

#include "extract/extract.hpp"

extern "C" {
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "commands/tablecmds.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

void add_lock_target(LockTargets* out, RangeVar* rv, LOCKMODE mode, LockRight right,
                     LOCKMODE heap_mode, bool nowait, LOCKMODE non_index_mode) {
    if (rv == nullptr)
        return;
    if (out->count == out->capacity) {
        const int capacity = out->capacity == 0 ? 4 : out->capacity * 2;
        LockTarget* items = static_cast<LockTarget*>(palloc(sizeof(LockTarget) * capacity));
        if (out->count > 0)
            memcpy(items, out->items, sizeof(LockTarget) * out->count);
        out->items = items;
        out->capacity = capacity;
    }
    out->items[out->count++] =
        LockTarget{rv, mode, heap_mode, right, nowait, non_index_mode, false};
}

LOCKMODE target_mode(const LockTarget& t, Oid relid) {
    if (t.non_index_mode == NoLock)
        return t.mode;
    const char kind = get_rel_relkind(relid);
    return kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX ? t.mode : t.non_index_mode;
}

// --- which names each statement locks (PostgreSQL 15) ---------------------

// tablecmds.c DefineRelation: each parent by RangeVarGetRelid, ACCESS
// EXCLUSIVE for a partition (the parent's partition descriptor changes),
// SHARE UPDATE EXCLUSIVE for plain inheritance; no check before the lock.
void create_table_lock_targets(Node* stmt, LockTargets* out) {
    CreateStmt* s = (CreateStmt*)stmt;
    // IF NOT EXISTS naming a relation that exists: transformCreateStmt says
    // "already exists, skipping" and locks no parent.
    if (s->if_not_exists && OidIsValid(extract::resolve_quietly(s->relation)))
        return;
    const LOCKMODE mode = s->partbound != nullptr ? AccessExclusiveLock : ShareUpdateExclusiveLock;
    ListCell* lc;
    foreach (lc, s->inhRelations)
        add_lock_target(out, (RangeVar*)lfirst(lc), mode, LockRight::none);
}

// utility.c ProcessUtilitySlow (T_IndexStmt): SHARE, or SHARE UPDATE
// EXCLUSIVE for CONCURRENTLY, through RangeVarCallbackOwnsRelation.
void create_index_lock_targets(Node* stmt, LockTargets* out) {
    IndexStmt* s = (IndexStmt*)stmt;
    add_lock_target(out, s->relation, s->concurrent ? ShareUpdateExclusiveLock : ShareLock,
                    LockRight::owner);
}

// utility.c ProcessUtilitySlow (T_AlterTableStmt): AlterTableGetLockLevel
// from the parse tree, then AlterTableLookupRelation
// (RangeVarCallbackForAlterRelation: ownership), for every relation kind
// (ALTER INDEX, ALTER MATERIALIZED VIEW, ...). ATTACH PARTITION then opens
// the partition by name with ACCESS EXCLUSIVE (ATExecAttachPartition).
void alter_table_lock_targets(Node* stmt, LockTargets* out) {
    AlterTableStmt* s = (AlterTableStmt*)stmt;
    add_lock_target(out, s->relation, AlterTableGetLockLevel(s->cmds), LockRight::owner);
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        if (cmd->subtype == AT_AttachPartition && cmd->def != nullptr &&
            IsA(cmd->def, PartitionCmd))
            add_lock_target(out, ((PartitionCmd*)cmd->def)->name, AccessExclusiveLock,
                            LockRight::owner);
    }
}

// tablecmds.c RemoveRelations: each name in turn, ACCESS EXCLUSIVE (SHARE
// UPDATE EXCLUSIVE for DROP INDEX CONCURRENTLY) through
// RangeVarCallbackForDropRelation, which checks ownership of the relation
// or its schema and locks an index's table first, in the same mode, and a
// partition's parent (ACCESS EXCLUSIVE) before the partition.
void drop_lock_targets(Node* stmt, LockTargets* out) {
    DropStmt* s = (DropStmt*)stmt;
    switch (s->removeType) {
        case OBJECT_TABLE:
        case OBJECT_INDEX:
        case OBJECT_SEQUENCE:
        case OBJECT_VIEW:
        case OBJECT_MATVIEW:
        case OBJECT_FOREIGN_TABLE:
            break;
        default:
            return;
    }
    const LOCKMODE mode = s->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock;
    ListCell* lc;
    foreach (lc, s->objects) {
        add_lock_target(out, makeRangeVarFromNameList((List*)lfirst(lc)), mode,
                        LockRight::owner_or_schema_owner,
                        s->removeType == OBJECT_INDEX ? mode : NoLock);
        if (out->count > 0)
            out->items[out->count - 1].parent_first = true;
    }
}

// tablecmds.c RenameRelation (SHARE UPDATE EXCLUSIVE for ALTER INDEX ...
// RENAME of an index, else ACCESS EXCLUSIVE: on finding that ALTER INDEX
// names a table it unlocks and locks again in ACCESS EXCLUSIVE), renameatt, RenameConstraint, and
// renametrig / rename_policy / RenameRewriteRule (ACCESS EXCLUSIVE), all
// with an ownership check before the lock.
void rename_lock_targets(Node* stmt, LockTargets* out) {
    RenameStmt* s = (RenameStmt*)stmt;
    if (s->renameType == OBJECT_INDEX)
        add_lock_target(out, s->relation, ShareUpdateExclusiveLock, LockRight::owner, NoLock, false,
                        AccessExclusiveLock);
    else
        add_lock_target(out, s->relation, AccessExclusiveLock, LockRight::owner);
}

// tablecmds.c ExecuteTruncate: each name in turn, ACCESS EXCLUSIVE, through
// RangeVarCallbackForTruncate (the TRUNCATE privilege).
void truncate_lock_targets(Node* stmt, LockTargets* out) {
    TruncateStmt* s = (TruncateStmt*)stmt;
    ListCell* lc;
    foreach (lc, s->relations)
        add_lock_target(out, (RangeVar*)lfirst(lc), AccessExclusiveLock, LockRight::truncate);
}

// vacuum.c expand_vacuum_rel: the name is bound under ACCESS SHARE; the
// ACCESS EXCLUSIVE that VACUUM FULL waits for later is taken by OID
// (vacuum_rel), so the name cannot move then.
void vacuum_lock_targets(Node* stmt, LockTargets* out) {
    VacuumStmt* s = (VacuumStmt*)stmt;
    ListCell* lc;
    foreach (lc, s->rels) {
        VacuumRelation* r = (VacuumRelation*)lfirst(lc);
        // SKIP_LOCKED: expand_vacuum_rel skips a busy relation with a
        // WARNING, so the guard must not wait for it either.
        add_lock_target(out, r->relation, AccessShareLock, LockRight::owner, NoLock,
                        guard_option_true(s->options, "skip_locked"));
    }
}

// cluster.c cluster: ACCESS EXCLUSIVE through RangeVarCallbackOwnsTable.
void cluster_lock_targets(Node* stmt, LockTargets* out) {
    add_lock_target(out, ((ClusterStmt*)stmt)->relation, AccessExclusiveLock, LockRight::owner);
}

// indexcmds.c ReindexIndex (ACCESS EXCLUSIVE, SHARE UPDATE EXCLUSIVE when
// CONCURRENTLY; RangeVarCallbackForReindexIndex locks the table first in
// SHARE, or SHARE UPDATE EXCLUSIVE) and ReindexTable (SHARE, or SHARE
// UPDATE EXCLUSIVE; RangeVarCallbackOwnsTable). Ownership in both.
void reindex_lock_targets(Node* stmt, LockTargets* out) {
    ReindexStmt* s = (ReindexStmt*)stmt;
    const bool concurrently = guard_option_true(s->params, "concurrently");
    if (s->kind == REINDEX_OBJECT_INDEX)
        add_lock_target(out, s->relation,
                        concurrently ? ShareUpdateExclusiveLock : AccessExclusiveLock,
                        LockRight::owner, concurrently ? ShareUpdateExclusiveLock : ShareLock);
    else if (s->kind == REINDEX_OBJECT_TABLE)
        add_lock_target(out, s->relation, concurrently ? ShareUpdateExclusiveLock : ShareLock,
                        LockRight::owner);
}

// lockcmds.c LockTableCommand: each name in turn, in the statement's mode,
// NOWAIT honoured, through RangeVarCallbackForLockTable (LockTableAclCheck).
void lock_table_lock_targets(Node* stmt, LockTargets* out) {
    LockStmt* s = (LockStmt*)stmt;
    ListCell* lc;
    foreach (lc, s->relations)
        add_lock_target(out, (RangeVar*)lfirst(lc), s->mode, LockRight::lock_table, NoLock,
                        s->nowait);
}

// sequence.c AlterSequence: SHARE ROW EXCLUSIVE through
// RangeVarCallbackOwnsRelation.
void alter_sequence_lock_targets(Node* stmt, LockTargets* out) {
    add_lock_target(out, ((AlterSeqStmt*)stmt)->sequence, ShareRowExclusiveLock, LockRight::owner);
}

// --- statements that only change the catalog ------------------------------

// Every RENAME (relation, column, constraint, trigger, rule, policy) updates
// catalog rows only.
bool rename_is_catalog_only(Node*) {
    return true;
}

// ALTER TABLE whose every sub-command updates catalog rows only (the
// sub-command table's catalog_only column, statement_kinds.cpp).
bool alter_table_is_catalog_only(Node* stmt) {
    return alter_subcommands_catalog_only(((AlterTableStmt*)stmt)->cmds);
}

// --- binding the names under the locks --------------------------------------

namespace {

// Whether the user has the right PostgreSQL's callback checks before it
// locks; error-free (a relation dropped meanwhile has no right).
bool has_lock_right(Oid relid, const LockTarget& t) {
    const Oid user = GetUserId();
    switch (t.right) {
        case LockRight::none:
            return true;
        case LockRight::owner:
        case LockRight::owner_or_schema_owner: {
            HeapTuple tuple = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
            if (!HeapTupleIsValid(tuple))
                return false;
            const Form_pg_class form = (Form_pg_class)GETSTRUCT(tuple);
            const Oid owner = form->relowner;
            const Oid nsp = form->relnamespace;
            ReleaseSysCache(tuple);
            if (has_privs_of_role(user, owner))
                return true;
            if (t.right == LockRight::owner)
                return false;
            tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));
            if (!HeapTupleIsValid(tuple))
                return false;
            const Oid nsp_owner = ((Form_pg_namespace)GETSTRUCT(tuple))->nspowner;
            ReleaseSysCache(tuple);
            return has_privs_of_role(user, nsp_owner);
        }
        case LockRight::truncate:
        case LockRight::lock_table: {
            AclMode mask = ACL_TRUNCATE;
            if (t.right == LockRight::lock_table)
                mask = t.mode == AccessShareLock ? ACL_SELECT
                       : t.mode == RowExclusiveLock
                           ? (ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE)
                           : (ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE);
            bool missing = false;
            return pg_class_aclcheck_ext(relid, user, mask, &missing) == ACLCHECK_OK && !missing;
        }
    }
    return false;
}

// One lock, as PostgreSQL takes it; false when NOWAIT finds it taken (then
// PostgreSQL raises its own error a moment later).
bool lock_one(Oid relid, LOCKMODE mode, bool nowait) {
    if (!nowait) {
        LockRelationOid(relid, mode);
        return true;
    }
    return ConditionalLockRelationOid(relid, mode);
}

// namespace.c RangeVarGetRelidExtended's retry loop: lock what the name
// denotes, look the name up again (the lock accepted the invalidations of
// whatever committed meanwhile), and until it stops moving, release the
// stale lock and lock the new relation. Returns the relation the name
// denotes under the lock, or InvalidOid when the guard must not lock it
// (no right, NOWAIT refused, dropped): PostgreSQL decides then.
Oid bind_under_lock(const LockTarget& t, Oid relid) {
    for (;;) {
        if (!OidIsValid(relid) || !has_lock_right(relid, t))
            return InvalidOid;
        Oid heap = InvalidOid;
        if (t.heap_mode != NoLock) {
            const char kind = get_rel_relkind(relid);
            if (kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX)
                heap = IndexGetRelation(relid, true);
            if (OidIsValid(heap) && !lock_one(heap, t.heap_mode, t.nowait))
                return InvalidOid;
        }
        Oid parent = InvalidOid;
        if (t.parent_first && get_rel_relispartition(relid)) {
            parent = get_partition_parent(relid, true);
            if (OidIsValid(parent) && !lock_one(parent, AccessExclusiveLock, t.nowait)) {
                if (OidIsValid(heap))
                    UnlockRelationOid(heap, t.heap_mode);
                return InvalidOid;
            }
        }
        const LOCKMODE mode = target_mode(t, relid);
        if (!lock_one(relid, mode, t.nowait)) {
            if (OidIsValid(parent))
                UnlockRelationOid(parent, AccessExclusiveLock);
            if (OidIsValid(heap))
                UnlockRelationOid(heap, t.heap_mode);
            return InvalidOid;
        }
        const Oid now = extract::resolve_quietly(t.rv);
        if (now == relid)
            return relid;
        UnlockRelationOid(relid, mode);
        if (OidIsValid(parent))
            UnlockRelationOid(parent, AccessExclusiveLock);
        if (OidIsValid(heap))
            UnlockRelationOid(heap, t.heap_mode);
        relid = now;
    }
}

}  // namespace

bool guard_statement_targets(Node* stmt, GuardBinding* out) {
    out->targets = nullptr;
    out->judged = nullptr;
    out->count = 0;
    if (stmt == nullptr || guard_overlay != nullptr)
        return false;
    LockTargets targets;
    guard_lock_targets(stmt, &targets);
    if (targets.count == 0)
        return false;
    out->targets = targets.items;
    out->count = targets.count;
    out->judged = static_cast<Oid*>(palloc(sizeof(Oid) * targets.count));
    bool any = false;
    for (int i = 0; i < targets.count; ++i) {
        out->judged[i] = extract::resolve_quietly(targets.items[i].rv);
        any = any || OidIsValid(out->judged[i]);
    }
    return any;
}

bool statement_adds_no_lock_time(Node* stmt, bool (*adds_no_wait)(const LockTarget& target)) {
    if (!guard_statement_catalog_only(stmt))
        return false;
    LockTargets targets;
    guard_lock_targets(stmt, &targets);
    if (targets.count == 0)
        return false;
    for (int i = 0; i < targets.count; ++i)
        if (!adds_no_wait(targets.items[i]))
            return false;
    return true;
}

bool guard_statement_adds_no_lock_time(Node* stmt) {
    if (stmt == nullptr || guard_overlay != nullptr)
        return false;
    return statement_adds_no_lock_time(stmt, [](const LockTarget& t) {
        const Oid relid = extract::resolve_quietly(t.rv);
        return OidIsValid(relid) &&
               (extract::new_in_xact(relid) ||
                extract::held_at_least(relid, target_mode(t, relid)) != NoLock);
    });
}

bool guard_lock_statement_targets(const GuardBinding* binding) {
    bool moved = false;
    for (int i = 0; i < binding->count; ++i) {
        const Oid judged = binding->judged[i];
        if (!OidIsValid(judged))
            continue;  // nothing was judged by this name: PostgreSQL decides
        const Oid bound = bind_under_lock(binding->targets[i], judged);
        moved = moved || (OidIsValid(bound) && bound != judged);
    }
    return moved;
}

}  // namespace schema_oracle::pg
