// statement_kinds.cpp: THE table of statement kinds the guard judges. Each
// row says which hook judges the statement (the ddl_command_start event
// trigger, or the ProcessUtility hook for the statements PostgreSQL 15 runs
// without firing event triggers), its extractor (src/pg/extract/, one file
// per family) and its triage (whether it certainly yields no finding, so
// the guard can skip it without a subtransaction). guard_tag_is_judged,
// guard_extract, guard_statement_is_trivial and the utility hook all read
// this one table, so they cannot disagree. ALTER TABLE's sub-commands have
// their own table in extract/alter_table.cpp.
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
