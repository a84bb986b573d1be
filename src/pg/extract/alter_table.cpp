// alter_table.cpp: ALTER TABLE, one sub-command at a time, as the
// sub-command table (src/pg/statement_kinds.cpp) says: each sub-command
// kind names its extractor and how it bears on triage. A sub-command kind
// without an extractor takes the statement's lock and nothing more (lock
// discipline).
#include "extract.hpp"
#include "../statement_kinds.hpp"
#include "schema_oracle/upstream/refusals.hpp"

extern "C" {
#include "commands/tablecmds.h"
}

namespace schema_oracle::pg::extract {

namespace {

// A foreign key, inline or not, whose referenced table's lock lock
// discipline must judge (lock_timeout unset).
bool adds_foreign_key(List* constraints) {
    if (guard_lock_timeout_set())
        return false;
    ListCell* lc;
    foreach (lc, constraints)
        if (IsA(lfirst(lc), Constraint) && ((Constraint*)lfirst(lc))->contype == CONSTR_FOREIGN)
            return true;
    return false;
}

// ADD COLUMN ... NOT NULL with nothing to fill existing rows with.
bool adds_required_column(ColumnDef* cd) {
    if (serial_kind(cd->typeName) != 0)
        return false;
    bool not_null = false, filled = false;
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype == CONSTR_NOTNULL || c->contype == CONSTR_PRIMARY)
            not_null = true;
        if (c->contype == CONSTR_DEFAULT || c->contype == CONSTR_IDENTITY ||
            c->contype == CONSTR_GENERATED)
            filled = true;
    }
    return not_null && !filled;
}

// Whether this sub-command keeps the statement from being skipped.
bool blocks_skipping(const AlterSubcommandKind& k, AlterTableCmd* cmd, Oid relid, bool fresh) {
    switch (k.triage) {
        case SubcommandTriage::neutral:
            return false;
        case SubcommandTriage::fresh_only:
            return !fresh;
        case SubcommandTriage::never:
            return true;
        case SubcommandTriage::add_column: {
            ColumnDef* cd = (ColumnDef*)cmd->def;
            return hygiene_candidate(cd->typeName) || (!fresh && adds_required_column(cd)) ||
                   adds_foreign_key(cd->constraints);
        }
        case SubcommandTriage::alter_type:
            return hygiene_candidate(((ColumnDef*)cmd->def)->typeName) ||
                   (!fresh && referenced_by_foreign_key(relid));
        case SubcommandTriage::add_constraint:
            return IsA(cmd->def, Constraint) &&
                   (int_key_columns(relid, Text(), (Constraint*)cmd->def, nullptr) > 0 ||
                    adds_foreign_key(list_make1(cmd->def)));
    }
    return true;
}

}  // namespace

void extract_alter_table(Node* stmt, ActionList* out) {
    AlterTableStmt* s = (AlterTableStmt*)stmt;
    if (s->objtype == OBJECT_INDEX || s->objtype == OBJECT_MATVIEW) {
        extract_alter_relation_tablespace(s, out);  // tablespace_moves.cpp
        return;
    }
    if (s->objtype != OBJECT_TABLE)
        return;
    AlterTarget t;
    t.relid = resolve(s->relation);
    if (!OidIsValid(t.relid) || !is_table(t.relid))
        return;
    // A statement PostgreSQL refuses is left to PostgreSQL: its own error,
    // never a finding (src/upstream/*refusals.cpp).
    upstream::Verdict* verdicts = nullptr;
    if (upstream::alter_table_refused(t.relid, s, &verdicts))
        return;
    guard_table_facts(t.relid, &t.table);
    if (!t.table.found)
        return;
    t.tree = t.table;
    // Without ONLY, PostgreSQL recurses into plain inheritance children for
    // most sub-commands (SET NOT NULL, ADD CHECK, ALTER TYPE, ADD COLUMN):
    // they scan or rewrite every child too.
    if (s->relation->inh && !t.table.created_in_xact && has_inheritance_children(t.relid))
        sum_tree_sizes(t.relid, true, &t.tree);
    t.mode = AlterTableGetLockLevel(s->cmds);
    t.added = NIL;
    t.drops = NIL;
    List* named = NIL;
    t.named = &named;
    t.inh = s->relation->inh;
    const int before = out->count;
    int i = 0;
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        if (verdicts[i++] != upstream::Verdict::noop &&
            (cmd->subtype == AT_DropColumn || cmd->subtype == AT_DropConstraint))
            t.drops = lappend(t.drops, cmd);
    }
    i = 0;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        const bool noop = verdicts[i++] == upstream::Verdict::noop;  // IF [NOT] EXISTS
        if (noop)
            continue;
        // Later sub-commands (and this one's own CHECK) may name the column.
        if (cmd->subtype == AT_AddColumn && cmd->def != nullptr && IsA(cmd->def, ColumnDef))
            t.added = lappend(t.added, cmd->def);
        const AlterSubcommandKind* k = alter_subcommand_kind(cmd->subtype);
        if (k != nullptr && k->extract != nullptr)
            k->extract(t, cmd, out);
    }
    // Any ALTER TABLE takes a lock: if no rule judged an action on the
    // table itself, lock discipline still applies.
    bool judged = false;
    for (int i = before; i < out->count; ++i)
        if (out->items[i].action != Action::column_type && out->items[i].table.found &&
            out->items[i].table.oid == t.relid)
            judged = true;
    if (!judged && !t.table.created_in_xact) {
        ActionFacts* a = new_action(out, Action::other);
        a->table = t.table;
        fill_lock(a, t.relid, t.mode);
    }
}

bool alter_table_is_trivial(Node* stmt, TriageNote* note) {
    AlterTableStmt* s = (AlterTableStmt*)stmt;
    if (s->objtype != OBJECT_TABLE)
        return false;
    Oid relid = resolve_quietly(s->relation);
    const bool fresh = new_in_xact(relid);
    TableFacts table;
    if (!fresh && !small_existing_table(relid, &table))
        return false;
    // A small parent may have big inheritance children the statement recurses into.
    if (!fresh && s->relation->inh && has_inheritance_children(relid))
        return false;
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        const AlterSubcommandKind* k = alter_subcommand_kind(cmd->subtype);
        if (k != nullptr && blocks_skipping(*k, cmd, relid, fresh))
            return false;
    }
    // Skipped, but statement_after_access_exclusive must still learn that
    // this transaction now holds ACCESS EXCLUSIVE on an existing table.
    if (!fresh && note->wanted && AlterTableGetLockLevel(s->cmds) == AccessExclusiveLock &&
        !table_untouched(relid, table)) {
        note->table = table.qname;
        note->relid = relid;
    }
    return true;
}

}  // namespace schema_oracle::pg::extract
