// statement_kinds.cpp: THE table of statement kinds the guard judges. Each
// row says which hook judges the statement (the ddl_command_start event
// trigger, or the ProcessUtility hook for the statements PostgreSQL 15 runs
// without firing event triggers), its extractor (src/pg/extract/, one file
// per family) and its triage (whether it certainly yields no finding, so
// the guard can skip it without a subtransaction). guard_tag_is_judged,
// guard_extract, guard_statement_is_trivial and the utility hook all read
// this one table, so they cannot disagree. ALTER TABLE's sub-commands have
// a table of their own below (statement_kinds.hpp): the guard's extractors
// and triage (extract/alter_table.cpp), the lock re-binding
// (lock_identity.cpp), the DDL log (ddl_identity.cpp) and the commit check
// (commit_check.cpp) all read it.
#include "statement_kinds.hpp"

#include "extract/extract.hpp"
#include "lock_identity.hpp"

extern "C" {
#include "commands/defrem.h"
}

namespace schema_oracle::pg {

namespace {

using extract::TriageNote;

enum class JudgedBy : std::uint8_t { event_trigger, utility_hook };

struct StatementKind {
    NodeTag tag;
    JudgedBy judged_by;
    bool (*applies)(Node*);  // nullptr: every statement of the tag
    void (*extract)(Node*, ActionList*);
    bool (*trivial)(Node*, TriageNote*);  // nullptr: never skipped by triage
    // The relations it names and waits to lock (lock_identity.cpp), bound
    // under those locks once the statement is allowed; nullptr: none.
    void (*lock_targets)(Node*, LockTargets*);
    // Whether this statement only changes the catalog (lock_identity.cpp);
    // nullptr: never said to.
    bool (*catalog_only)(Node*);
};

bool vacuum_full(Node* stmt) {
    VacuumStmt* v = (VacuumStmt*)stmt;
    return v->is_vacuumcmd && guard_option_true(v->options, "full");
}

constexpr StatementKind statement_kinds[] = {
    {T_CreateStmt, JudgedBy::event_trigger, nullptr, extract::extract_create_table,
     extract::create_table_is_trivial, create_table_lock_targets},
    {T_IndexStmt, JudgedBy::event_trigger, nullptr, extract::extract_create_index,
     extract::create_index_is_trivial, create_index_lock_targets},
    {T_AlterTableStmt, JudgedBy::event_trigger, nullptr, extract::extract_alter_table,
     extract::alter_table_is_trivial, alter_table_lock_targets, alter_table_is_catalog_only},
    {T_DropStmt, JudgedBy::event_trigger, nullptr, extract::extract_drop, extract::drop_is_trivial,
     drop_lock_targets},
    {T_RenameStmt, JudgedBy::event_trigger, nullptr, extract::extract_rename,
     extract::rename_is_trivial, rename_lock_targets, rename_is_catalog_only},
    {T_CreateTrigStmt, JudgedBy::event_trigger, nullptr, extract::extract_create_trigger,
     extract::create_trigger_is_trivial, nullptr},
    {T_RefreshMatViewStmt, JudgedBy::event_trigger, nullptr, extract::extract_refresh_matview,
     nullptr, nullptr},
    {T_AlterDomainStmt, JudgedBy::event_trigger, nullptr, extract::extract_alter_domain, nullptr,
     nullptr},
    // ALTER SEQUENCE ... RESTART (extract/sequences.cpp)
    {T_AlterSeqStmt, JudgedBy::event_trigger, nullptr, extract::extract_alter_sequence, nullptr,
     alter_sequence_lock_targets, nullptr},
    {T_AlterEnumStmt, JudgedBy::event_trigger, nullptr, extract::extract_alter_enum, nullptr,
     nullptr},
    // ALTER TABLE / INDEX / MATERIALIZED VIEW ALL IN TABLESPACE (extract/tablespace_moves.cpp)
    {T_AlterTableMoveAllStmt, JudgedBy::event_trigger, nullptr, extract::extract_move_all, nullptr,
     nullptr},
    {T_TruncateStmt, JudgedBy::utility_hook, nullptr, extract::extract_truncate, nullptr,
     truncate_lock_targets},
    {T_VacuumStmt, JudgedBy::utility_hook, vacuum_full, extract::extract_vacuum, nullptr,
     vacuum_lock_targets},
    {T_ClusterStmt, JudgedBy::utility_hook, nullptr, extract::extract_cluster, nullptr,
     cluster_lock_targets},
    {T_ReindexStmt, JudgedBy::utility_hook, nullptr, extract::extract_reindex, nullptr,
     reindex_lock_targets},
    // LOCK TABLE: lock discipline only (extract/lock_table.cpp)
    {T_LockStmt, JudgedBy::utility_hook, nullptr, extract::extract_lock_table, nullptr,
     lock_table_lock_targets},
};

using Triage = extract::SubcommandTriage;

// The answers of a yes/no column.
bool yes_test(const AlterTableCmd*) {
    return true;
}
constexpr SubcommandTest yes = yes_test;
constexpr SubcommandTest no = nullptr;

// THE table of ALTER TABLE sub-command kinds (the columns:
// statement_kinds.hpp). A kind not listed is not extracted, neutral to
// triage, and no other column says yes of it.
constexpr AlterSubcommandKind alter_subcommand_kinds[] = {
    // subtype, extract, triage, catalog_only, one_command, harmless_at_commit
    {AT_AddColumn, extract::extract_add_column, Triage::add_column, no, one_command_add_column,
     harmless_add_column},
    {AT_AlterColumnType, extract::extract_alter_type, Triage::alter_type, no, no, no},
    {AT_SetNotNull, extract::extract_set_not_null, Triage::neutral, no, yes, yes},
    {AT_AddConstraint, extract::extract_add_constraint, Triage::add_constraint, no,
     one_command_add_constraint, harmless_add_constraint},
    {AT_ValidateConstraint, extract::extract_validate_constraint, Triage::fresh_only, no, yes, yes},
    {AT_SetLogged, extract::extract_set_persistence, Triage::neutral, no, no, no},
    {AT_SetUnLogged, extract::extract_set_persistence, Triage::neutral, no, no, no},
    {AT_SetTableSpace, extract::extract_set_tablespace, Triage::neutral, no, no, no},
    {AT_SetAccessMethod, extract::extract_set_access_method, Triage::neutral, no, no, no},
    {AT_AttachPartition, extract::extract_attach_partition, Triage::never, no, no, no},
    {AT_DetachPartition, extract::extract_detach_partition, Triage::fresh_only, no, no, no},
    {AT_DropColumn, extract::extract_drop_column, Triage::fresh_only, no, yes, no},
    // ... CASCADE (extract/dependents.cpp)
    {AT_DropConstraint, extract::extract_drop_constraint, Triage::fresh_only, no, yes, no},
    // ALTER COLUMN ... RESTART (extract/sequences.cpp)
    {AT_SetIdentity, extract::extract_set_identity, Triage::fresh_only, no, no, yes},
    {AT_AddIdentity, nullptr, Triage::neutral, no, no, yes},
    {AT_ColumnDefault, nullptr, Triage::neutral, yes, yes, yes},
    {AT_DropNotNull, nullptr, Triage::neutral, yes, yes, no},
    {AT_SetStatistics, nullptr, Triage::neutral, yes, yes, yes},
    {AT_SetOptions, nullptr, Triage::neutral, yes, yes, yes},
    {AT_ResetOptions, nullptr, Triage::neutral, yes, yes, yes},
    {AT_SetStorage, nullptr, Triage::neutral, yes, yes, yes},
    {AT_SetCompression, nullptr, Triage::neutral, yes, yes, yes},
    {AT_ClusterOn, nullptr, Triage::neutral, yes, yes, yes},
    {AT_DropCluster, nullptr, Triage::neutral, yes, yes, yes},
    {AT_SetRelOptions, nullptr, Triage::neutral, no, yes, yes},
    {AT_ResetRelOptions, nullptr, Triage::neutral, no, yes, yes},
    {AT_ReplaceRelOptions, nullptr, Triage::neutral, no, yes, yes},
    {AT_ChangeOwner, nullptr, Triage::neutral, yes, no, yes},
    {AT_ReplicaIdentity, nullptr, Triage::neutral, yes, no, yes},
    // Triggers: a disabled one (or one firing in replica mode only) may
    // leave a commit finding (updated_at).
    {AT_EnableTrig, nullptr, Triage::neutral, yes, yes, yes},
    {AT_EnableAlwaysTrig, nullptr, Triage::neutral, yes, yes, yes},
    {AT_EnableReplicaTrig, nullptr, Triage::neutral, yes, yes, no},
    {AT_EnableTrigAll, nullptr, Triage::neutral, yes, yes, yes},
    {AT_EnableTrigUser, nullptr, Triage::neutral, yes, yes, yes},
    {AT_DisableTrig, nullptr, Triage::neutral, yes, yes, no},
    {AT_DisableTrigAll, nullptr, Triage::neutral, yes, yes, no},
    {AT_DisableTrigUser, nullptr, Triage::neutral, yes, yes, no},
    {AT_EnableRowSecurity, nullptr, Triage::neutral, yes, yes, yes},
    {AT_DisableRowSecurity, nullptr, Triage::neutral, yes, yes, yes},
    {AT_ForceRowSecurity, nullptr, Triage::neutral, yes, yes, yes},
    {AT_NoForceRowSecurity, nullptr, Triage::neutral, yes, yes, yes},
};

// Whether every sub-command of `cmds` passes `test`, its row's column.
bool every_subcommand(List* cmds, SubcommandTest AlterSubcommandKind::*column) {
    ListCell* lc;
    foreach (lc, cmds) {
        Node* n = (Node*)lfirst(lc);
        if (!IsA(n, AlterTableCmd))
            return false;
        const AlterTableCmd* cmd = (AlterTableCmd*)n;
        const AlterSubcommandKind* k = alter_subcommand_kind(cmd->subtype);
        if (k == nullptr || k->*column == nullptr || !(k->*column)(cmd))
            return false;
    }
    return true;
}

const StatementKind* kind_of(NodeTag tag) {
    for (const StatementKind& k : statement_kinds)
        if (k.tag == tag)
            return &k;
    return nullptr;
}

}  // namespace

bool guard_tag_is_judged(NodeTag tag) {
    return kind_of(tag) != nullptr;
}

bool guard_judged_by_utility_hook(Node* stmt) {
    const StatementKind* k = kind_of(nodeTag(stmt));
    return k != nullptr && k->judged_by == JudgedBy::utility_hook &&
           (k->applies == nullptr || k->applies(stmt));
}

bool guard_statement_is_trivial(Node* stmt, bool want_ae, core::Text* ae_table, Oid* ae_relid) {
    const StatementKind* k = kind_of(nodeTag(stmt));
    if (k == nullptr || k->trivial == nullptr)
        return false;
    TriageNote note = {want_ae, core::Text(), InvalidOid};
    if (!k->trivial(stmt, &note))
        return false;
    *ae_table = note.table;
    *ae_relid = note.relid;
    return true;
}

void guard_extract(Node* stmt, ActionList* out) {
    out->items = nullptr;
    out->count = 0;
    out->capacity = 0;
    const StatementKind* k = kind_of(nodeTag(stmt));
    if (k != nullptr && (k->applies == nullptr || k->applies(stmt))) {
        k->extract(stmt, out);
        extract::fill_derived_names(out);
    }
}

bool guard_statement_catalog_only(Node* stmt) {
    const StatementKind* k = kind_of(nodeTag(stmt));
    return k != nullptr && k->catalog_only != nullptr && k->catalog_only(stmt);
}

void guard_lock_targets(Node* stmt, LockTargets* out) {
    out->items = nullptr;
    out->count = 0;
    out->capacity = 0;
    const StatementKind* k = kind_of(nodeTag(stmt));
    if (k != nullptr && k->lock_targets != nullptr && (k->applies == nullptr || k->applies(stmt)))
        k->lock_targets(stmt, out);
}

const AlterSubcommandKind* alter_subcommand_kind(AlterTableType subtype) {
    for (const AlterSubcommandKind& k : alter_subcommand_kinds)
        if (k.subtype == subtype)
            return &k;
    return nullptr;
}

bool alter_subcommands_catalog_only(List* cmds) {
    return every_subcommand(cmds, &AlterSubcommandKind::catalog_only);
}

bool alter_subcommands_one_command(List* cmds) {
    return every_subcommand(cmds, &AlterSubcommandKind::one_command);
}

bool alter_subcommands_harmless_at_commit(List* cmds) {
    return every_subcommand(cmds, &AlterSubcommandKind::harmless_at_commit);
}

bool guard_option_true(List* options, const char* name) {
    ListCell* lc;
    foreach (lc, options) {
        DefElem* d = (DefElem*)lfirst(lc);
        if (strcmp(d->defname, name) == 0)
            return defGetBoolean(d);
    }
    return false;
}

}  // namespace schema_oracle::pg
