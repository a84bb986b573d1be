// check_catalog.cpp: the catalog as a migration file's earlier statements
// leave it, for schema_oracle.check().
//
//   - name resolution through the overlay (search_path order, as
//     PostgreSQL resolves names), installed as the guard extractor's hooks;
//   - objects a statement names that would not exist when it runs;
//   - facts of relations the file itself created (the extractor only sees
//     the catalog);
//   - each statement's effects on the overlay: relations and columns
//     created, dropped or renamed, and the locks its transaction now holds.
//
// C-style on purpose, like guard_facts.cpp: PostgreSQL calls here may
// ereport, so no C++ object with a destructor is alive in these frames.
// Overlay lookups never allocate or throw; overlay updates go through the
// noexcept ov_* wrappers, which note an allocation failure instead.
#include "schema_oracle/core/overlay.hpp"
#include "schema_oracle/pg/check.hpp"
#include "schema_oracle/pg/user_code.hpp"

#include "extract/extract.hpp"
#include "lock_identity.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_index.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/tablecmds.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

core::Overlay* check_overlay = nullptr;
CheckStatementRef check_statement = {0, 0, 0, 0, 0};
bool check_out_of_memory = false;
bool check_live_locks = false;

using core::Action;
using core::ActionFacts;
using core::OverlayRelation;
using core::Text;
using extract::copy_text;
using extract::quoted;

namespace {

// --- overlay updates (noexcept) ----------------------------------------------

OverlayRelation* ov_create(const char* schema, const char* name, char kind) noexcept {
    try {
        return &check_overlay->create(schema, name, kind);
    } catch (...) {
        check_out_of_memory = true;
        return nullptr;
    }
}

OverlayRelation* ov_touch(const char* schema, const char* name, char kind, Oid oid) noexcept {
    try {
        return &check_overlay->touch_catalog(schema, name, kind, oid);
    } catch (...) {
        check_out_of_memory = true;
        return nullptr;
    }
}

void ov_add_column(OverlayRelation* rel, const char* name, Oid type, int32 typmod, Oid coll,
                   bool not_null) noexcept {
    if (rel == nullptr)
        return;
    try {
        core::OverlayColumn c;
        c.name = name;
        c.type_oid = type;
        c.typmod = typmod;
        c.collation = coll;
        c.not_null = not_null;
        check_overlay->add_column(*rel, std::move(c));
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_drop_column(OverlayRelation* rel, const char* name) noexcept {
    if (rel == nullptr)
        return;
    try {
        check_overlay->drop_column(*rel, name);
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_drop(const char* schema, const char* name) noexcept {
    try {
        check_overlay->drop(schema, name);
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_rename(const char* schema, const char* from, const char* to) noexcept {
    try {
        check_overlay->rename(schema, from, to);
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_set_parent(OverlayRelation* rel, const char* schema, const char* name) noexcept {
    if (rel == nullptr)
        return;
    try {
        rel->parent = core::Overlay::key(schema, name);
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_note_index(const char* table_key, Oid table_oid, const char* const* keys, int n, bool btree,
                   bool partial) noexcept {
    try {
        core::FileIndex ix;
        if (table_key != nullptr)
            ix.table_key = table_key;
        ix.table_oid = table_oid;
        for (int i = 0; i < n; ++i) ix.keys.emplace_back(keys[i] ? keys[i] : "");
        ix.btree = btree;
        ix.partial = partial;
        check_overlay->note_index(std::move(ix));
    } catch (...) {
        check_out_of_memory = true;
    }
}

struct FkNote {
    const char* table_key;  // file relation, or nullptr
    Oid table_oid;
    const char* referenced_key;
    Oid referenced_oid;
    bool new_table;
    const char* table_qname;
    const char* index_name;
    const char* referenced;
    const char* const* columns;
    const char* const* quoted_columns;
    int n;
};

void ov_note_fk(const FkNote& n) noexcept {
    try {
        core::PendingForeignKey fk;
        if (n.table_key != nullptr)
            fk.table_key = n.table_key;
        fk.table_oid = n.table_oid;
        if (n.referenced_key != nullptr)
            fk.referenced_key = n.referenced_key;
        fk.referenced_oid = n.referenced_oid;
        fk.new_table = n.new_table;
        fk.table_qname = n.table_qname;
        fk.index_name = n.index_name;
        fk.referenced = n.referenced;
        for (int i = 0; i < n.n; ++i) {
            fk.columns.emplace_back(n.columns[i]);
            fk.quoted_columns.emplace_back(n.quoted_columns[i]);
        }
        fk.file = check_statement.file;
        fk.statement = check_statement.statement;
        fk.at = check_statement.at;
        fk.start = check_statement.start;
        fk.end = check_statement.end;
        check_overlay->note_foreign_key(std::move(fk));
    } catch (...) {
        check_out_of_memory = true;
    }
}

void ov_note_changed(const char* key) noexcept {
    try {
        check_overlay->note_changed(key);
    } catch (...) {
        check_out_of_memory = true;
    }
}

// A lock the file's statement takes: the relation is also changed for the
// rest of the file (GuardOverlay::changed).
void ov_note_lock(const char* key, LOCKMODE mode) noexcept {
    if (mode == NoLock)
        return;
    ov_note_changed(key);
    try {
        check_overlay->note_lock(key, static_cast<core::Lock>(mode));
    } catch (...) {
        check_out_of_memory = true;
    }
}

// --- name resolution ----------------------------------------------------------

// What a relation name denotes once the file's earlier statements ran: a
// catalog relation (oid), a relation the file created (file), or nothing.
struct Resolved {
    Oid oid;
    OverlayRelation* file;
    bool found;
};

Resolved lookup_in(const char* schema, Oid nsp, const char* relname) {
    Resolved r = {InvalidOid, nullptr, false};
    OverlayRelation* o = check_overlay->find(schema, relname);
    if (o != nullptr) {
        // Dropped or renamed away: the name falls through to later schemas,
        // as it would once the DROP ran.
        if (o->dropped)
            return r;
        if (o->oid != 0)
            r.oid = o->oid;
        else
            r.file = o;
        r.found = true;
        return r;
    }
    if (OidIsValid(nsp))
        r.oid = get_relname_relid(relname, nsp);
    r.found = OidIsValid(r.oid);
    return r;
}

Resolved resolve_rv(RangeVar* rv) {
    Resolved none = {InvalidOid, nullptr, false};
    if (rv == nullptr || rv->relname == nullptr)
        return none;
    if (rv->schemaname != nullptr) {
        if (strcmp(rv->schemaname, "pg_temp") == 0) {
            Oid oid = RangeVarGetRelid(rv, NoLock, true);
            return {oid, nullptr, OidIsValid(oid)};
        }
        return lookup_in(rv->schemaname, get_namespace_oid(rv->schemaname, true), rv->relname);
    }
    // The search path the statement will see, implicit schemas included
    // (pg_catalog, pg_temp), in PostgreSQL's order.
    List* path = fetch_search_path(true);
    ListCell* lc;
    foreach (lc, path) {
        Oid nsp = lfirst_oid(lc);
        char* name = get_namespace_name(nsp);
        if (name == nullptr)
            continue;
        Resolved r = lookup_in(name, nsp, rv->relname);
        if (r.found)
            return r;
    }
    // A schema the file created and the session's search_path names.
    return none;
}

Resolved resolve_names(List* names) {
    return resolve_rv(makeRangeVarFromNameList(names));
}

// The schema a CREATE puts an unqualified relation in.
const char* creation_schema(RangeVar* rv) {
    if (rv->schemaname != nullptr)
        return rv->schemaname;
    return get_namespace_name(RangeVarGetCreationNamespace(rv));
}

void catalog_key(Oid relid, char* buf, size_t cap) {
    snprintf(buf, cap, "oid:%u", relid);
}

// The same spelling as core::Overlay::key(): the schema's length first, so
// hostile names cannot collide (and never "oid:...", which starts with a letter).
void file_key(const OverlayRelation* rel, char* buf, size_t cap) {
    snprintf(buf, cap, "%zu:%s%s", rel->schema.size(), rel->schema.c_str(), rel->name.c_str());
}

bool is_table_kind(char kind) {
    return kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
}

bool column_exists(const Resolved& r, const char* column) {
    if (r.file != nullptr) {
        if (!r.file->columns_known)
            return true;
        const core::OverlayColumn* c = core::Overlay::column(*r.file, column);
        return c != nullptr && !c->dropped;
    }
    if (!OidIsValid(r.oid))
        return false;
    GuardColumn col;
    return guard_column(r.oid, column, &col);
}

// --- the guard's hooks ----------------------------------------------------------

Oid hook_resolve(RangeVar* rv) {
    return resolve_rv(rv).oid;
}

LOCKMODE hook_held_at_least(Oid relid, LOCKMODE mode) {
    if (check_live_locks) {  // the shadow judges in the live transaction
        LOCKTAG tag;
        SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
        for (LOCKMODE m = AccessExclusiveLock; m >= mode; --m)
            if (LockHeldByMe(&tag, m))
                return m;
        return NoLock;
    }
    char key[32];
    catalog_key(relid, key, sizeof key);
    LOCKMODE held = static_cast<LOCKMODE>(check_overlay->held(key));
    return held >= mode ? held : NoLock;
}

int hook_column(Oid relid, const char* name, GuardColumn* out) {
    const OverlayRelation* rel = check_overlay->find_oid(relid);
    if (rel == nullptr)
        return -1;
    const core::OverlayColumn* c = core::Overlay::column(*rel, name);
    if (c == nullptr)
        return -1;
    if (c->dropped)
        return 0;
    out->type = c->type_oid;
    out->typmod = c->typmod;
    out->collation = c->collation;
    // Past any number the table's own columns use: it names no catalog row.
    out->attnum = static_cast<AttrNumber>(MaxHeapAttributeNumber - 1 - (c - rel->columns.data()));
    out->not_null = c->not_null;
    out->from_file = true;
    return 1;
}

bool hook_changed(Oid relid) {
    char key[32];
    catalog_key(relid, key, sizeof key);
    return check_overlay->changed(key);
}

Text hook_file_relation(RangeVar* rv) {
    Resolved r = resolve_rv(rv);
    if (r.file == nullptr)
        return Text();
    return copy_text(quote_qualified_identifier(r.file->schema.c_str(), r.file->name.c_str()));
}

GuardOverlay hooks = {hook_resolve, hook_held_at_least, hook_column, hook_file_relation,
                      false,        hook_changed,       false,       false};

// --- facts of relations the file created -----------------------------------------

void file_table_facts(const OverlayRelation* rel, core::TableFacts* t) {
    *t = core::TableFacts();
    t->found = true;
    t->created_in_xact = check_overlay->created_in_current_xact(*rel);
    t->partitioned = rel->kind == RELKIND_PARTITIONED_TABLE;
    // Created by an earlier transaction of the file: it exists when this
    // statement runs, empty and never analyzed.
    t->bytes = 0;
    t->tuples = -1;
    const char* schema = rel->schema.c_str();
    const char* name = rel->name.c_str();
    t->qname = copy_text(quote_qualified_identifier(schema, name));
    t->name = quoted(name);
    t->schema = quoted(schema);
    t->raw_name = copy_text(name);
}

ActionFacts* file_action(ActionList* out, Action action, const OverlayRelation* rel,
                         LOCKMODE mode) {
    ActionFacts* a = extract::new_action(out, action);
    file_table_facts(rel, &a->table);
    a->lock = static_cast<core::Lock>(mode);
    char key[2 * NAMEDATALEN + 8];
    file_key(rel, key, sizeof key);
    a->lock_already_held =
        mode != NoLock && static_cast<LOCKMODE>(check_overlay->held(key)) >= mode;
    return a;
}

void file_int_keys(const OverlayRelation* rel, Text qname, Constraint* c, ActionList* out) {
    if (c->contype != CONSTR_PRIMARY && c->contype != CONSTR_FOREIGN)
        return;
    List* cols = c->contype == CONSTR_PRIMARY ? c->keys : c->fk_attrs;
    ListCell* lc;
    foreach (lc, cols) {
        const char* name = strVal(lfirst(lc));
        const core::OverlayColumn* col = core::Overlay::column(*rel, name);
        if (col == nullptr || col->dropped)
            continue;
        if (col->type_oid != INT4OID && col->type_oid != INT2OID)
            continue;
        ActionFacts* a = extract::new_action(out, Action::column_type);
        a->table.qname = qname;
        a->hygiene.column = quoted(name);
        a->hygiene.int4_key = true;
        a->hygiene.key_type = col->type_oid == INT2OID ? "smallint" : "integer";
    }
}

void file_alter_table(AlterTableStmt* s, OverlayRelation* rel, ActionList* out) {
    core::TableFacts t;
    file_table_facts(rel, &t);
    LOCKMODE mode = AlterTableGetLockLevel(s->cmds);
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        switch (cmd->subtype) {
            case AT_AddColumn: {
                ColumnDef* cd = (ColumnDef*)cmd->def;
                extract::hygiene(out, t.qname, cd->colname, cd->typeName,
                                 extract::column_is_key_inline(cd));
                break;
            }
            case AT_AlterColumnType:
                extract::hygiene(out, t.qname, cmd->name, ((ColumnDef*)cmd->def)->typeName, false);
                break;
            case AT_AddConstraint:
                if (IsA(cmd->def, Constraint))
                    file_int_keys(rel, t.qname, (Constraint*)cmd->def, out);
                break;
            case AT_DetachPartition: {
                ActionFacts* a =
                    file_action(out, Action::detach_partition, rel,
                                ((PartitionCmd*)cmd->def)->concurrent ? ShareUpdateExclusiveLock
                                                                      : AccessExclusiveLock);
                a->concurrent = ((PartitionCmd*)cmd->def)->concurrent;
                break;
            }
            case AT_DropColumn:
                if (!t.created_in_xact) {
                    ActionFacts* a = file_action(out, Action::drop_column, rel, mode);
                    a->rename_drop.column = {quoted(cmd->name), copy_text(cmd->name)};
                }
                break;
            default:
                break;
        }
    }
    // An existing (committed) table: lock discipline applies, as it would live.
    if (!t.created_in_xact)
        file_action(out, Action::other, rel, mode);
}

}  // namespace

void check_hooks_install() {
    hooks.lock_timeout_set = check_overlay->lock_timeout_set();
    hooks.session_role = check_live_locks;  // the shadow runs as the live statement's role
    hooks.outside_relations_changed = check_overlay->outside_relations_changed();
    guard_overlay = &hooks;
    user_code_refused_begin();  // the extractor never runs user code (pg/user_code.hpp)
}

void check_hooks_remove() {
    guard_overlay = nullptr;
    user_code_refused_end();
}

void check_file_actions(Node* stmt, ActionList* out) {
    switch (nodeTag(stmt)) {
        case T_AlterTableStmt: {
            AlterTableStmt* s = (AlterTableStmt*)stmt;
            if (s->objtype != OBJECT_TABLE)
                break;
            Resolved r = resolve_rv(s->relation);
            if (r.file != nullptr && is_table_kind(r.file->kind))
                file_alter_table(s, r.file, out);
            break;
        }
        case T_IndexStmt: {
            IndexStmt* s = (IndexStmt*)stmt;
            Resolved r = resolve_rv(s->relation);
            if (r.file == nullptr)
                break;
            ActionFacts* a = file_action(out, Action::create_index, r.file,
                                         s->concurrent ? ShareUpdateExclusiveLock : ShareLock);
            a->concurrent = s->concurrent;
            a->create_index.unique = s->unique;
            a->create_index.if_not_exists = s->if_not_exists;
            break;
        }
        case T_DropStmt: {
            DropStmt* s = (DropStmt*)stmt;
            if (s->removeType != OBJECT_INDEX && s->removeType != OBJECT_TABLE)
                break;
            ListCell* lc;
            foreach (lc, s->objects) {
                Resolved r = resolve_names((List*)lfirst(lc));
                if (r.file == nullptr)
                    continue;
                if (s->removeType == OBJECT_INDEX) {
                    const LOCKMODE mode =
                        s->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock;
                    ActionFacts* a;
                    if (r.file->parent_oid != 0) {  // an index the file built on a catalog table
                        const Oid table = r.file->parent_oid;
                        a = extract::new_action(out, Action::drop_index);
                        guard_table_facts(table, &a->table);
                        a->lock = static_cast<core::Lock>(mode);
                        a->lock_already_held = hook_held_at_least(table, mode) != NoLock;
                    } else {
                        const OverlayRelation* table = check_overlay->find_key(r.file->parent);
                        if (table == nullptr || table->dropped)
                            continue;
                        a = file_action(out, Action::drop_index, table, mode);
                    }
                    a->concurrent = s->concurrent;
                    a->index.qname = copy_text(
                        quote_qualified_identifier(r.file->schema.c_str(), r.file->name.c_str()));
                } else if (is_table_kind(r.file->kind) &&
                           !check_overlay->created_in_current_xact(*r.file)) {
                    file_action(out, Action::drop_table, r.file, AccessExclusiveLock);
                }
            }
            break;
        }
        case T_RenameStmt: {
            RenameStmt* s = (RenameStmt*)stmt;
            if (s->renameType != OBJECT_TABLE && s->renameType != OBJECT_COLUMN)
                break;
            Resolved r = resolve_rv(s->relation);
            if (r.file == nullptr || !is_table_kind(r.file->kind) ||
                check_overlay->created_in_current_xact(*r.file))
                break;
            ActionFacts* a = file_action(
                out, s->renameType == OBJECT_TABLE ? Action::rename_table : Action::rename_column,
                r.file, AccessExclusiveLock);
            a->rename_drop.new_name = quoted(s->newname);
            if (s->renameType == OBJECT_COLUMN) {
                a->rename_drop.column = {quoted(s->subname), copy_text(s->subname)};
                if (const core::OverlayColumn* c = core::Overlay::column(*r.file, s->subname))
                    if (c->type_oid != 0)
                        a->rename_drop.column_type =
                            copy_text(format_type_with_typemod(c->type_oid, c->typmod));
            } else {
                a->rename_drop.new_qname =
                    copy_text(quote_qualified_identifier(r.file->schema.c_str(), s->newname));
            }
            break;
        }
        case T_TruncateStmt: {
            ListCell* lc;
            foreach (lc, ((TruncateStmt*)stmt)->relations) {
                Resolved r = resolve_rv((RangeVar*)lfirst(lc));
                if (r.file == nullptr || !is_table_kind(r.file->kind) ||
                    check_overlay->created_in_current_xact(*r.file))
                    continue;
                file_action(out, Action::truncate, r.file, AccessExclusiveLock);
            }
            break;
        }
        case T_CreateTrigStmt: {
            Resolved r = resolve_rv(((CreateTrigStmt*)stmt)->relation);
            if (r.file != nullptr && is_table_kind(r.file->kind) &&
                !check_overlay->created_in_current_xact(*r.file))
                file_action(out, Action::other, r.file, ShareRowExclusiveLock);
            break;
        }
        default:
            break;
    }
}

// --- unknown objects ---------------------------------------------------------------

namespace {

void unknown(CheckUnknownList* out, int location, const char* fmt, const char* a,
             const char* b = nullptr) {
    if (out->count >= (int)lengthof(out->items))
        return;
    CheckUnknown* u = &out->items[out->count++];
    u->location = location;
    snprintf(u->message, sizeof u->message, fmt, a, b);
}

const char* display_name(RangeVar* rv) {
    return rv->schemaname ? quote_qualified_identifier(rv->schemaname, rv->relname)
                          : quote_identifier(rv->relname);
}

// A relation the statement needs; returns what it resolves to.
Resolved need_relation(RangeVar* rv, bool missing_ok, CheckUnknownList* out) {
    Resolved r = resolve_rv(rv);
    if (!r.found && !missing_ok)
        unknown(out, rv->location, "relation \"%s\" does not exist", display_name(rv));
    return r;
}

void need_column(const Resolved& r, RangeVar* rv, const char* column, CheckUnknownList* out) {
    if (!r.found || column == nullptr)
        return;
    if (!column_exists(r, column))
        unknown(out, rv->location, "column \"%s\" of relation \"%s\" does not exist", column,
                rv->relname);
}

void need_fk_target(Constraint* c, RangeVar* self, CheckUnknownList* out) {
    if (c->contype != CONSTR_FOREIGN || c->pktable == nullptr)
        return;
    // A self-reference in CREATE TABLE names the table being created.
    if (self != nullptr && strcmp(c->pktable->relname, self->relname) == 0 &&
        (c->pktable->schemaname == nullptr || self->schemaname == nullptr ||
         strcmp(c->pktable->schemaname, self->schemaname) == 0))
        return;
    need_relation(c->pktable, false, out);
}

}  // namespace

void check_unknown_objects(Node* stmt, CheckUnknownList* out) {
    out->count = 0;
    switch (nodeTag(stmt)) {
        case T_AlterTableStmt: {
            AlterTableStmt* s = (AlterTableStmt*)stmt;
            if (s->objtype != OBJECT_TABLE)
                break;
            Resolved r = need_relation(s->relation, s->missing_ok, out);
            if (!r.found)
                break;
            // A column an earlier sub-command adds exists for the later ones
            // (ALTER TABLE t ADD COLUMN c ..., ALTER COLUMN c SET NOT NULL).
            List* added = NIL;
            ListCell* lc;
            foreach (lc, s->cmds) {
                AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
                if (cmd->name != nullptr && cmd->subtype != AT_AddColumn) {
                    bool is_added = false;
                    ListCell* ac;
                    foreach (ac, added)
                        is_added = is_added || strcmp((const char*)lfirst(ac), cmd->name) == 0;
                    if (is_added)
                        continue;
                }
                if (cmd->subtype == AT_AddColumn && cmd->def != nullptr && IsA(cmd->def, ColumnDef))
                    added = lappend(added, ((ColumnDef*)cmd->def)->colname);
                switch (cmd->subtype) {
                    case AT_AlterColumnType:
                    case AT_SetNotNull:
                    case AT_DropNotNull:
                    case AT_ColumnDefault:
                    case AT_SetStatistics:
                    case AT_SetStorage:
                    case AT_SetCompression:
                    case AT_AddIdentity:
                    case AT_DropIdentity:
                        need_column(r, s->relation, cmd->name, out);
                        break;
                    case AT_DropColumn:
                        if (!cmd->missing_ok)
                            need_column(r, s->relation, cmd->name, out);
                        break;
                    case AT_AddConstraint:
                        if (IsA(cmd->def, Constraint))
                            need_fk_target((Constraint*)cmd->def, nullptr, out);
                        break;
                    case AT_AddColumn: {
                        ListCell* cc;
                        foreach (cc, ((ColumnDef*)cmd->def)->constraints)
                            need_fk_target((Constraint*)lfirst(cc), nullptr, out);
                        break;
                    }
                    default:
                        break;
                }
            }
            break;
        }
        case T_IndexStmt: {
            IndexStmt* s = (IndexStmt*)stmt;
            Resolved r = need_relation(s->relation, false, out);
            ListCell* lc;
            foreach (lc, s->indexParams) {
                IndexElem* e = (IndexElem*)lfirst(lc);
                if (e->name)
                    need_column(r, s->relation, e->name, out);
            }
            break;
        }
        case T_CreateStmt: {
            CreateStmt* s = (CreateStmt*)stmt;
            ListCell* lc;
            foreach (lc, s->tableElts) {
                Node* n = (Node*)lfirst(lc);
                if (IsA(n, Constraint))
                    need_fk_target((Constraint*)n, s->relation, out);
                if (IsA(n, ColumnDef)) {
                    ListCell* cc;
                    foreach (cc, ((ColumnDef*)n)->constraints)
                        need_fk_target((Constraint*)lfirst(cc), s->relation, out);
                }
            }
            foreach (lc, s->inhRelations) need_relation((RangeVar*)lfirst(lc), false, out);
            break;
        }
        case T_DropStmt: {
            DropStmt* s = (DropStmt*)stmt;
            if (s->missing_ok)
                break;
            if (s->removeType != OBJECT_TABLE && s->removeType != OBJECT_INDEX &&
                s->removeType != OBJECT_VIEW && s->removeType != OBJECT_MATVIEW &&
                s->removeType != OBJECT_SEQUENCE)
                break;
            ListCell* lc;
            foreach (lc, s->objects)
                need_relation(makeRangeVarFromNameList((List*)lfirst(lc)), false, out);
            break;
        }
        case T_RenameStmt: {
            RenameStmt* s = (RenameStmt*)stmt;
            if (s->relation == nullptr || s->missing_ok)
                break;
            if (s->renameType != OBJECT_TABLE && s->renameType != OBJECT_COLUMN &&
                s->renameType != OBJECT_INDEX && s->renameType != OBJECT_VIEW &&
                s->renameType != OBJECT_SEQUENCE)
                break;
            Resolved r = need_relation(s->relation, false, out);
            if (s->renameType == OBJECT_COLUMN)
                need_column(r, s->relation, s->subname, out);
            break;
        }
        case T_TruncateStmt: {
            ListCell* lc;
            foreach (lc, ((TruncateStmt*)stmt)->relations)
                need_relation((RangeVar*)lfirst(lc), false, out);
            break;
        }
        case T_CreateTrigStmt:
            need_relation(((CreateTrigStmt*)stmt)->relation, false, out);
            break;
        case T_RefreshMatViewStmt:
            need_relation(((RefreshMatViewStmt*)stmt)->relation, false, out);
            break;
        default:
            break;
    }
}

// --- effects -------------------------------------------------------------------------

namespace {

bool column_type(TypeName* tn, Oid* type, int32* typmod) {
    const char* last = tn->names ? strVal(llast(tn->names)) : "";
    if (list_length(tn->names) <= 2 && tn->arrayBounds == NIL) {
        if (strcmp(last, "serial") == 0 || strcmp(last, "serial4") == 0)
            return *type = INT4OID, true;
        if (strcmp(last, "bigserial") == 0 || strcmp(last, "serial8") == 0)
            return *type = INT8OID, true;
        if (strcmp(last, "smallserial") == 0 || strcmp(last, "serial2") == 0)
            return *type = INT2OID, true;
    }
    Type tup = LookupTypeName(nullptr, tn, typmod, true);
    if (tup == nullptr)
        return false;
    *type = typeTypeId(tup);
    ReleaseSysCache(tup);
    return true;
}

void add_column_def(OverlayRelation* rel, ColumnDef* cd, bool key_not_null) {
    Oid type = InvalidOid;
    int32 typmod = -1;
    column_type(cd->typeName, &type, &typmod);
    bool not_null = key_not_null || cd->is_not_null;
    ListCell* lc;
    foreach (lc, cd->constraints) {
        ConstrType t = ((Constraint*)lfirst(lc))->contype;
        if (t == CONSTR_NOTNULL || t == CONSTR_PRIMARY)
            not_null = true;
    }
    ov_add_column(rel, cd->colname, type, typmod,
                  OidIsValid(type) ? get_typcollation(type) : InvalidOid, not_null);
}

// The catalog relation `oid` as an overlay entry the file may change.
OverlayRelation* touch(Oid oid) {
    char* schema = get_namespace_name(get_rel_namespace(oid));
    char* name = get_rel_name(oid);
    if (schema == nullptr || name == nullptr)
        return nullptr;
    return ov_touch(schema, name, get_rel_relkind(oid), oid);
}

// The overlay entry for a resolved relation (file or catalog).
OverlayRelation* entry(const Resolved& r) {
    if (r.file != nullptr)
        return r.file;
    if (OidIsValid(r.oid))
        return touch(r.oid);
    return nullptr;
}

void note_relation_lock(const Resolved& r, LOCKMODE mode) {
    char key[2 * NAMEDATALEN + 8];
    if (r.file != nullptr)
        file_key(r.file, key, sizeof key);
    else if (OidIsValid(r.oid))
        catalog_key(r.oid, key, sizeof key);
    else
        return;
    ov_note_lock(key, mode);
}

// A relation (file or catalog) as the FK / index bookkeeping names it.
struct KeyedTable {
    char* key;  // file relation: its overlay key; else nullptr
    Oid oid;
    bool new_table;
    char* schema;
    char* name;
    Oid nsp;
};

KeyedTable keyed(const Resolved& r) {
    KeyedTable k = {nullptr, InvalidOid, false, nullptr, nullptr, InvalidOid};
    if (r.file != nullptr) {
        k.key = static_cast<char*>(
            palloc(2 * NAMEDATALEN + 8 + r.file->schema.size() + r.file->name.size()));
        file_key(r.file, k.key, 2 * NAMEDATALEN + 8 + r.file->schema.size() + r.file->name.size());
        k.new_table = check_overlay->created_in_current_xact(*r.file);
        k.schema = pstrdup(r.file->schema.c_str());
        k.name = pstrdup(r.file->name.c_str());
        k.nsp = get_namespace_oid(k.schema, true);
    } else if (OidIsValid(r.oid)) {
        k.oid = r.oid;
        k.nsp = get_rel_namespace(r.oid);
        k.schema = get_namespace_name(k.nsp);
        k.name = get_rel_name(r.oid);
    }
    return k;
}

// Index keys from a list of String column names (constraints) or IndexElems.
void note_index_names(const KeyedTable& t, List* names, bool elems, bool btree, bool partial) {
    if (t.name == nullptr)
        return;
    int n = list_length(names);
    const char** keys = static_cast<const char**>(palloc0(sizeof(char*) * (n + 1)));
    int i = 0;
    ListCell* lc;
    foreach (lc, names) {
        if (elems) {
            IndexElem* e = (IndexElem*)lfirst(lc);
            keys[i++] = e->name ? e->name : "";
        } else {
            keys[i++] = strVal(lfirst(lc));
        }
    }
    ov_note_index(t.key, t.oid, keys, n, btree, partial);
}

void note_fk(const KeyedTable& t, List* columns, RangeVar* referenced) {
    if (t.name == nullptr || columns == NIL)
        return;
    int n = list_length(columns);
    const char** raw = static_cast<const char**>(palloc0(sizeof(char*) * (n + 1)));
    const char** q = static_cast<const char**>(palloc0(sizeof(char*) * (n + 1)));
    List* colnames = NIL;
    int i = 0;
    ListCell* lc;
    foreach (lc, columns) {
        raw[i] = strVal(lfirst(lc));
        q[i] = quote_identifier(raw[i]);
        colnames = lappend(colnames, pstrdup(raw[i]));
        ++i;
    }
    IndexStmt* dummy = makeNode(IndexStmt);
    char* index_name = upstream::choose_index_name(t.name, t.nsp, colnames, dummy);
    // A self-reference of a CREATE TABLE resolves to the table itself.
    KeyedTable ref = referenced ? keyed(resolve_rv(referenced)) : KeyedTable{};
    FkNote note = {t.key,
                   t.oid,
                   ref.key,
                   ref.oid,
                   t.new_table,
                   quote_qualified_identifier(t.schema, t.name),
                   quote_identifier(index_name),
                   referenced ? display_name(referenced) : "",
                   raw,
                   q,
                   n};
    ov_note_fk(note);
}

// The FKs and key indexes of one column definition.
void note_column_constraints(const KeyedTable& t, ColumnDef* cd) {
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype == CONSTR_FOREIGN)
            note_fk(t, list_make1(makeString(cd->colname)), c->pktable);
        else if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE)
            note_index_names(t, list_make1(makeString(cd->colname)), false, true, false);
    }
}

// The FKs and key indexes of a table constraint.
void note_table_constraint(const KeyedTable& t, Constraint* c) {
    if (c->contype == CONSTR_FOREIGN)
        note_fk(t, c->fk_attrs, c->pktable);
    // USING INDEX: the index exists already (in the catalog or the file).
    else if ((c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE) &&
             c->indexname == nullptr)
        note_index_names(t, c->keys, false, true, c->where_clause != nullptr);
}

// A catalog relation the statement names, changed for the rest of the file
// (GuardOverlay::changed): a parent that gains a partition or a child, a
// table a new foreign key references, a partition detached.
void note_changed(RangeVar* rv) {
    Resolved r = resolve_rv(rv);
    if (r.file == nullptr && OidIsValid(r.oid)) {
        char key[32];
        catalog_key(r.oid, key, sizeof key);
        ov_note_changed(key);
    }
}

// The foreign keys' referenced tables of a list of table elements or column
// constraints.
void note_changed_references(List* elements) {
    ListCell* lc;
    foreach (lc, elements) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, ColumnDef))
            note_changed_references(((ColumnDef*)n)->constraints);
        else if (IsA(n, Constraint) && ((Constraint*)n)->contype == CONSTR_FOREIGN)
            note_changed(((Constraint*)n)->pktable);
    }
}

void effects_create(CreateStmt* s) {
    const char* schema = creation_schema(s->relation);
    if (s->if_not_exists && resolve_rv(s->relation).found)
        return;
    ListCell* ic;
    foreach (ic, s->inhRelations) note_changed((RangeVar*)lfirst(ic));
    note_changed_references(s->tableElts);
    OverlayRelation* rel = ov_create(schema, s->relation->relname,
                                     s->partspec ? RELKIND_PARTITIONED_TABLE : RELKIND_RELATION);
    if (rel == nullptr)
        return;
    rel->columns_known =
        s->inhRelations == NIL && s->partbound == nullptr && s->ofTypename == nullptr;
    List* keys = NIL;
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, Constraint) && ((Constraint*)n)->contype == CONSTR_PRIMARY)
            keys = list_concat(keys, ((Constraint*)n)->keys);
        if (IsA(n, TableLikeClause))
            rel->columns_known = false;
    }
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (!IsA(n, ColumnDef))
            continue;
        ColumnDef* cd = (ColumnDef*)n;
        bool key = false;
        ListCell* kc;
        foreach (kc, keys)
            if (strcmp(strVal(lfirst(kc)), cd->colname) == 0)
                key = true;
        add_column_def(rel, cd, key);
    }
    // Its foreign keys and key indexes (the entry may move: resolve again).
    Resolved r = resolve_rv(s->relation);
    if (r.file == nullptr)
        return;
    KeyedTable t = keyed(r);
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, ColumnDef))
            note_column_constraints(t, (ColumnDef*)n);
        if (IsA(n, Constraint))
            note_table_constraint(t, (Constraint*)n);
    }
}

void effects_alter_table(AlterTableStmt* s) {
    if (s->objtype != OBJECT_TABLE)
        return;
    Resolved r = resolve_rv(s->relation);
    if (!r.found)
        return;
    note_relation_lock(r, AlterTableGetLockLevel(s->cmds));
    OverlayRelation* rel = nullptr;
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        if (cmd->subtype == AT_AttachPartition || cmd->subtype == AT_DetachPartition ||
            cmd->subtype == AT_DetachPartitionFinalize)
            note_changed(((PartitionCmd*)cmd->def)->name);
        else if (cmd->subtype == AT_AddInherit || cmd->subtype == AT_DropInherit)
            note_changed((RangeVar*)cmd->def);
        else if (cmd->subtype == AT_AddColumn && IsA(cmd->def, ColumnDef))
            note_changed_references(((ColumnDef*)cmd->def)->constraints);
        else if (cmd->subtype == AT_AddConstraint)
            note_changed_references(list_make1(cmd->def));
        switch (cmd->subtype) {
            case AT_AddColumn: {
                if (rel == nullptr)
                    rel = entry(r);
                add_column_def(rel, (ColumnDef*)cmd->def, false);
                note_column_constraints(keyed(r), (ColumnDef*)cmd->def);
                rel = nullptr;  // entries may move
                break;
            }
            case AT_DropColumn:
                if (rel == nullptr)
                    rel = entry(r);
                ov_drop_column(rel, cmd->name);
                break;
            case AT_SetNotNull:
            case AT_DropNotNull:
            case AT_AlterColumnType: {
                GuardColumn col;
                bool known = r.file != nullptr
                                 ? core::Overlay::column(*r.file, cmd->name) != nullptr
                                 : guard_column(r.oid, cmd->name, &col);
                if (!known)
                    break;
                if (r.file != nullptr) {
                    const core::OverlayColumn* c = core::Overlay::column(*r.file, cmd->name);
                    col.type = c->type_oid;
                    col.typmod = c->typmod;
                    col.collation = c->collation;
                    col.not_null = c->not_null;
                }
                if (cmd->subtype == AT_AlterColumnType) {
                    Oid type;
                    int32 typmod = -1;
                    if (column_type(((ColumnDef*)cmd->def)->typeName, &type, &typmod)) {
                        col.type = type;
                        col.typmod = typmod;
                    }
                } else {
                    col.not_null = cmd->subtype == AT_SetNotNull;
                }
                if (rel == nullptr)
                    rel = entry(r);
                ov_add_column(rel, cmd->name, col.type, col.typmod, col.collation, col.not_null);
                break;
            }
            case AT_AddConstraint:
                if (!IsA(cmd->def, Constraint))
                    break;
                if (((Constraint*)cmd->def)->contype == CONSTR_FOREIGN) {
                    Resolved pk = resolve_rv(((Constraint*)cmd->def)->pktable);
                    note_relation_lock(pk, ShareRowExclusiveLock);
                }
                note_table_constraint(keyed(r), (Constraint*)cmd->def);
                break;
            default:
                break;
        }
    }
}

void effects_rename(RenameStmt* s) {
    if (s->relation == nullptr)
        return;
    Resolved r = resolve_rv(s->relation);
    if (!r.found)
        return;
    note_relation_lock(r, AccessExclusiveLock);
    if (s->renameType == OBJECT_COLUMN) {
        GuardColumn col;
        memset(&col, 0, sizeof col);
        bool known = r.file == nullptr && guard_column(r.oid, s->subname, &col);
        OverlayRelation* rel = entry(r);
        if (rel == nullptr)
            return;
        if (const core::OverlayColumn* c = core::Overlay::column(*rel, s->subname)) {
            col.type = c->type_oid;
            col.typmod = c->typmod;
            col.collation = c->collation;
            col.not_null = c->not_null;
            known = true;
        }
        ov_drop_column(rel, s->subname);
        if (known)
            ov_add_column(rel, s->newname, col.type, col.typmod, col.collation, col.not_null);
        else
            ov_add_column(rel, s->newname, InvalidOid, -1, InvalidOid, false);
        return;
    }
    if (s->renameType != OBJECT_TABLE && s->renameType != OBJECT_INDEX &&
        s->renameType != OBJECT_VIEW && s->renameType != OBJECT_SEQUENCE)
        return;
    OverlayRelation* rel = entry(r);
    if (rel == nullptr)
        return;
    // Copies: the entry may move when the overlay changes.
    char* schema = pstrdup(rel->schema.c_str());
    char* name = pstrdup(rel->name.c_str());
    ov_rename(schema, name, s->newname);
}

void effects_drop(DropStmt* s) {
    if (s->removeType != OBJECT_TABLE && s->removeType != OBJECT_INDEX &&
        s->removeType != OBJECT_VIEW && s->removeType != OBJECT_MATVIEW &&
        s->removeType != OBJECT_SEQUENCE)
        return;
    ListCell* lc;
    foreach (lc, s->objects) {
        Resolved r = resolve_names((List*)lfirst(lc));
        if (!r.found)
            continue;
        note_relation_lock(r, s->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock);
        OverlayRelation* rel = entry(r);
        if (rel == nullptr)
            continue;
        char* schema = pstrdup(rel->schema.c_str());
        char* name = pstrdup(rel->name.c_str());
        ov_drop(schema, name);
    }
}

void effects_index(IndexStmt* s) {
    Resolved r = resolve_rv(s->relation);
    if (!r.found)
        return;
    note_relation_lock(r, s->concurrent ? ShareUpdateExclusiveLock : ShareLock);
    const bool btree = s->accessMethod == nullptr || strcmp(s->accessMethod, "btree") == 0;
    note_index_names(keyed(r), s->indexParams, true, btree, s->whereClause != nullptr);
    // Copies: the entry may move when the index is added to the overlay.
    char* schema;
    char* table;
    if (r.file != nullptr) {
        schema = pstrdup(r.file->schema.c_str());
        table = pstrdup(r.file->name.c_str());
    } else {
        schema = get_namespace_name(get_rel_namespace(r.oid));
        table = get_rel_name(r.oid);
    }
    // The name PostgreSQL gives an unnamed index (ChooseIndexName), so that a
    // later DROP INDEX of it is followed.
    const char* idxname = s->idxname;
    if (idxname == nullptr) {
        Oid nsp = get_namespace_oid(schema, true);
        idxname = upstream::choose_index_name(table, nsp, upstream::index_column_names(s), s);
    }
    if (s->if_not_exists) {
        RangeVar* rv = makeRangeVar(schema, pstrdup(idxname), -1);
        if (resolve_rv(rv).found)
            return;
    }
    OverlayRelation* idx = ov_create(schema, idxname, RELKIND_INDEX);
    if (r.file != nullptr)
        ov_set_parent(idx, schema, table);
    else if (idx != nullptr)
        idx->parent_oid = r.oid;
}

// The relations a view's or materialized view's query reads: they gain a
// dependent (DROP and ALTER TYPE of what it reads are refused then).
bool note_changed_walker(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (IsA(node, RangeVar)) {
        note_changed((RangeVar*)node);
        return false;
    }
    return raw_expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(note_changed_walker)),
        context);
}

void effects_other_relation(RangeVar* rv, char kind, bool if_not_exists) {
    if (rv == nullptr)
        return;
    if (if_not_exists && resolve_rv(rv).found)
        return;
    OverlayRelation* rel = ov_create(creation_schema(rv), rv->relname, kind);
    if (rel != nullptr)
        rel->columns_known = false;
}

}  // namespace

bool check_changes_outside_relations(Node* stmt) {
    switch (nodeTag(stmt)) {
        case T_CreateFunctionStmt:
        case T_AlterFunctionStmt:
        case T_DefineStmt:  // CREATE TYPE (base, shell), OPERATOR, AGGREGATE, COLLATION, ...
        case T_CompositeTypeStmt:
        case T_CreateEnumStmt:
        case T_CreateRangeStmt:
        case T_AlterEnumStmt:
        case T_AlterTypeStmt:
        case T_CreateDomainStmt:
        case T_AlterDomainStmt:
        case T_CreateCastStmt:
        case T_CreateOpClassStmt:
        case T_CreateOpFamilyStmt:
        case T_AlterOpFamilyStmt:
        case T_AlterOperatorStmt:
        case T_CreateAmStmt:
        case T_CreateTransformStmt:
        case T_CreateConversionStmt:
        case T_CreateExtensionStmt:
        case T_AlterExtensionStmt:
        case T_AlterExtensionContentsStmt:
        case T_CreatePLangStmt:
        case T_AlterObjectSchemaStmt:
        case T_DoStmt:
        case T_CallStmt:
            return true;
        case T_DropStmt: {
            switch (((DropStmt*)stmt)->removeType) {
                case OBJECT_TABLE:
                case OBJECT_INDEX:
                case OBJECT_VIEW:
                case OBJECT_MATVIEW:
                case OBJECT_SEQUENCE:
                case OBJECT_FOREIGN_TABLE:
                case OBJECT_TRIGGER:
                case OBJECT_POLICY:
                case OBJECT_RULE:
                case OBJECT_STATISTIC_EXT:
                    return false;
                default:  // a function, type, cast, ...; a schema takes its types along
                    return true;
            }
        }
        case T_RenameStmt:
            switch (((RenameStmt*)stmt)->renameType) {
                case OBJECT_FUNCTION:
                case OBJECT_PROCEDURE:
                case OBJECT_ROUTINE:
                case OBJECT_AGGREGATE:
                case OBJECT_TYPE:
                case OBJECT_DOMAIN:
                case OBJECT_ATTRIBUTE:
                case OBJECT_OPERATOR:
                case OBJECT_OPCLASS:
                case OBJECT_OPFAMILY:
                case OBJECT_COLLATION:
                case OBJECT_CONVERSION:
                case OBJECT_SCHEMA:
                case OBJECT_DOMCONSTRAINT:
                    return true;
                default:
                    return false;
            }
        default:
            return false;
    }
}

void check_apply_effects(Node* stmt, const ActionList* actions) {
    // The locks the guard's facts say the statement takes.
    for (int i = 0; actions != nullptr && i < actions->count; ++i) {
        const ActionFacts& a = actions->items[i];
        if (!a.table.found || a.lock == core::Lock::none)
            continue;
        if (a.table.oid != 0) {
            char key[32];
            catalog_key(a.table.oid, key, sizeof key);
            ov_note_lock(key, static_cast<LOCKMODE>(a.lock));
        }
    }
    switch (nodeTag(stmt)) {
        case T_CreateStmt:
            effects_create((CreateStmt*)stmt);
            break;
        case T_AlterTableStmt:
            effects_alter_table((AlterTableStmt*)stmt);
            break;
        case T_RenameStmt:
            effects_rename((RenameStmt*)stmt);
            break;
        case T_DropStmt:
            effects_drop((DropStmt*)stmt);
            break;
        case T_IndexStmt:
            effects_index((IndexStmt*)stmt);
            break;
        case T_CreateTableAsStmt: {
            CreateTableAsStmt* s = (CreateTableAsStmt*)stmt;
            note_changed_walker(s->query, nullptr);
            effects_other_relation(
                s->into->rel, s->objtype == OBJECT_MATVIEW ? RELKIND_MATVIEW : RELKIND_RELATION,
                s->if_not_exists);
            break;
        }
        case T_ViewStmt:
            note_changed_walker(((ViewStmt*)stmt)->query, nullptr);
            effects_other_relation(((ViewStmt*)stmt)->view, RELKIND_VIEW, false);
            break;
        case T_CreateSeqStmt: {
            CreateSeqStmt* s = (CreateSeqStmt*)stmt;
            effects_other_relation(s->sequence, RELKIND_SEQUENCE, s->if_not_exists);
            break;
        }
        case T_TruncateStmt: {
            ListCell* lc;
            foreach (lc, ((TruncateStmt*)stmt)->relations)
                note_relation_lock(resolve_rv((RangeVar*)lfirst(lc)), AccessExclusiveLock);
            break;
        }
        case T_CreateTrigStmt:
            note_relation_lock(resolve_rv(((CreateTrigStmt*)stmt)->relation),
                               ShareRowExclusiveLock);
            break;
        default:
            break;
    }
}

bool check_statement_adds_no_lock_time(Node* stmt) {
    return statement_adds_no_lock_time(stmt, [](const LockTarget& t) {
        Resolved r = resolve_rv(t.rv);
        if (!r.found)
            return false;
        if (r.file != nullptr)
            return check_overlay->created_in_current_xact(*r.file);
        return hook_held_at_least(r.oid, target_mode(t, r.oid)) != NoLock;
    });
}

Oid check_catalog_relation(RangeVar* rv) {
    Resolved r = resolve_rv(rv);
    return r.found && r.file == nullptr ? r.oid : InvalidOid;
}

int check_catalog_indexes(Oid relid, CheckIndexKeys** out) {
    *out = nullptr;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return 0;
    List* indexes = RelationGetIndexList(rel);
    RelationClose(rel);
    CheckIndexKeys* items =
        static_cast<CheckIndexKeys*>(palloc0(sizeof(CheckIndexKeys) * (list_length(indexes) + 1)));
    int n = 0;
    ListCell* lc;
    foreach (lc, indexes) {
        Oid indexoid = lfirst_oid(lc);
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexoid));
        if (!HeapTupleIsValid(tup))
            continue;
        Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
        const bool usable = ind->indisvalid && ind->indisready && ind->indislive;
        const bool partial = !heap_attisnull(tup, Anum_pg_index_indpred, nullptr);
        CheckIndexKeys& k = items[n];
        k.nkeys = ind->indnkeyatts;
        k.keys = static_cast<char**>(palloc0(sizeof(char*) * (k.nkeys + 1)));
        for (int i = 0; i < k.nkeys; ++i) {
            AttrNumber att = ind->indkey.values[i];
            char* name = att > 0 ? get_attname(relid, att, true) : nullptr;
            k.keys[i] = name ? name : pstrdup("");
        }
        ReleaseSysCache(tup);
        if (!usable)
            continue;
        HeapTuple ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(indexoid));
        if (!HeapTupleIsValid(ctup))
            continue;
        k.btree = ((Form_pg_class)GETSTRUCT(ctup))->relam == BTREE_AM_OID;
        ReleaseSysCache(ctup);
        k.partial = partial;
        ++n;
    }
    *out = items;
    return n;
}

}  // namespace schema_oracle::pg
