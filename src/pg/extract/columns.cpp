// columns.cpp: ALTER TABLE sub-commands on columns: ADD COLUMN, ALTER
// COLUMN TYPE, SET NOT NULL, DROP COLUMN. PostgreSQL's own decisions (does
// the type change rewrite, is the default volatile, does a CHECK prove NOT
// NULL) are in src/upstream/tablecmds.cpp.
#include "extract.hpp"
#include "schema_oracle/upstream/parse_utilcmd.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
#include "utils/typcache.h"
}

namespace schema_oracle::pg::extract {

namespace {

core::ColumnName column_name(const char* name) {
    return {quoted(name), copy_text(name)};
}

// ADD COLUMN ... UNIQUE / PRIMARY KEY builds an index under ACCESS
// EXCLUSIVE, exactly like ADD CONSTRAINT: it is judged as one.
void add_inline_key(const AlterTarget& t, ColumnDef* cd, Constraint* key, Text type,
                    ActionList* out) {
    const bool pk = key->contype == CONSTR_PRIMARY;
    ActionFacts* k = new_action(out, Action::add_constraint);
    k->table = t.table;
    k->constraint.kind = pk ? core::ConstraintKind::primary_key : core::ConstraintKind::unique;
    fill_lock(k, t.relid, t.mode);
    const char* name = key->conname;
    if (name == nullptr)  // PostgreSQL's own choice: 63 bytes, free after the drops
        name = upstream::default_constraint_name(t.relid, key, cd->colname, names_freed_by_drops(t),
                                                 *t.named);
    if (name == nullptr)
        name = pk ? psprintf("%s_pkey", get_rel_name(t.relid))
                  : psprintf("%s_%s_key", get_rel_name(t.relid), cd->colname);
    k->constraint.name = quoted(name);
    k->constraint.key_columns = quoted(cd->colname);
    k->constraint.new_column = k->constraint.key_columns;
    k->constraint.new_column_type = type;
    k->constraint.build_index = index_built_first(t, name);
    k->same_statement_drops = drops_before(t, cd->colname, name, pk);
    note_constraint_name(t, name);
}

// The new column as the hint adds it first, without its CHECK / REFERENCES:
// name, type, identity or generation, default, NOT NULL.
Text column_definition(ColumnDef* cd, const core::AddColumnFacts& c) {
    StringInfoData buf;
    initStringInfo(&buf);
    const int serial = serial_kind(cd->typeName);
    // No temporary std::string here: appendStringInfo may ereport.
    const char* serial_name = serial == 2   ? "smallserial"
                              : serial == 4 ? "serial"
                              : serial == 8 ? "bigserial"
                                            : nullptr;
    if (serial_name != nullptr)
        appendStringInfo(&buf, "%.*s %s", (int)c.column.quoted.size(), c.column.quoted.data(),
                         serial_name);
    else
        appendStringInfo(&buf, "%.*s %.*s", (int)c.column.quoted.size(), c.column.quoted.data(),
                         (int)c.type.size(), c.type.data());
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* k = (Constraint*)lfirst(lc);
        if (k->contype == CONSTR_IDENTITY)
            appendStringInfo(
                &buf, " GENERATED %s AS IDENTITY",
                k->generated_when == ATTRIBUTE_IDENTITY_ALWAYS ? "ALWAYS" : "BY DEFAULT");
    }
    if (!c.generation_sql.empty())
        appendStringInfo(&buf, " GENERATED ALWAYS AS (%.*s) STORED", (int)c.generation_sql.size(),
                         c.generation_sql.data());
    if (!c.default_sql.empty())
        appendStringInfo(&buf, " DEFAULT %.*s", (int)c.default_sql.size(), c.default_sql.data());
    if (c.not_null)
        appendStringInfoString(&buf, " NOT NULL");
    return text_of(buf);
}

// ADD COLUMN ... CHECK (...) / REFERENCES: PostgreSQL validates the new
// constraint over every existing row (a full scan; for a foreign key, the
// RI_Initial_Check join), even when the column is all NULL.
void add_inline_validated(const AlterTarget& t, ColumnDef* cd, Constraint* k, Text column_sql,
                          ActionList* out) {
    const bool fk = k->contype == CONSTR_FOREIGN;
    Oid pk = InvalidOid;
    if (fk) {
        pk = resolve(k->pktable);
        if (!OidIsValid(pk))
            return;  // PostgreSQL reports the missing table itself
    }
    // A CHECK is added to every inheritance child; a foreign key only here.
    const TableFacts& table = fk || k->is_no_inherit ? t.table : t.tree;
    if (!size_rules_apply(table))
        return;
    ActionFacts* a = new_action(out, Action::add_constraint);
    a->table = table;
    fill_lock(a, t.relid, t.mode);
    core::AddConstraintFacts& f = a->constraint;
    f.kind = fk ? core::ConstraintKind::foreign_key : core::ConstraintKind::check;
    f.new_column = quoted(cd->colname);
    f.new_column_sql = column_sql;
    // The name PostgreSQL gives an inline constraint (ChooseConstraintName):
    // <table>_<column>_fkey; a CHECK is <table>_<column>_check when it names
    // one column only, else <table>_check.
    const char* name_column = cd->colname;
    if (fk) {
        f.referenced_table = qualified_name(pk);
        f.definition =
            foreign_key_definition(list_make1(makeString(cd->colname)), k, f.referenced_table);
    } else {
        StringInfoData def;
        initStringInfo(&def);
        appendStringInfo(
            &def, "CHECK (%s)",
            deparse_with_added_columns(k->raw_expr, t.relid, t.added, EXPR_KIND_CHECK_CONSTRAINT,
                                       nullptr, &name_column));
        f.definition = text_of(def);
    }
    // Free after the statement's drops, as PostgreSQL chooses it when it runs.
    const char* name = k->conname != nullptr ? k->conname
                       : fk ? upstream::default_constraint_name(t.relid, k, cd->colname,
                                                                names_freed_by_drops(t), *t.named)
                            : upstream::check_constraint_name(t.relid, name_column,
                                                              names_freed_by_drops(t), *t.named);
    if (name == nullptr)
        name = psprintf("%s_%s_%s", get_rel_name(t.relid), cd->colname, fk ? "fkey" : "check");
    f.name = quoted(name);
    a->same_statement_drops = drops_before(t, cd->colname, name, false);
    note_constraint_name(t, name);
}

}  // namespace

void extract_add_column(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    ColumnDef* cd = (ColumnDef*)cmd->def;
    const TableFacts& table = t.tree;  // ADD COLUMN recurses into inheritance children
    hygiene(out, table.qname, cd->colname, cd->typeName, column_is_key_inline(cd));
    // An inline REFERENCES locks the referenced table, whatever this one is.
    ListCell* fc;
    foreach (fc, cd->constraints)
        if (((Constraint*)lfirst(fc))->contype == CONSTR_FOREIGN)
            add_referenced_lock(out, (Constraint*)lfirst(fc));
    if (!table.found || table.created_in_xact)
        return;
    ActionFacts* a = new_action(out, Action::add_column);
    a->table = table;
    fill_lock(a, t.relid, t.mode);
    a->same_statement_drops = drops_before(t, cd->colname, nullptr, false);
    core::AddColumnFacts& c = a->add_column;
    c.column = column_name(cd->colname);
    int serial = serial_kind(cd->typeName);
    Oid typid = InvalidOid;
    int32 typmod = -1;
    if (serial) {
        c.serial = true;
        c.has_default = true;
        c.volatile_default = true;
        c.type = serial == 2 ? "smallint" : serial == 4 ? "integer" : "bigint";
    } else if (type_of(cd->typeName, &typid, &typmod)) {
        c.type = copy_text(format_type_with_typemod(typid, typmod));
        c.constrained_domain = get_typtype(typid) == TYPTYPE_DOMAIN && DomainHasConstraints(typid);
        if (c.constrained_domain) {
            int32 basemod = typmod;
            Oid base = getBaseTypeAndTypmod(typid, &basemod);
            c.domain_base_type = copy_text(format_type_with_typemod(base, basemod));
        }
    } else {
        drop_last_action(out);  // unknown type: the statement will fail on its own
        return;
    }
    Node* raw_default = nullptr;
    bool written_not_null = false;  // NOT NULL as written (PRIMARY KEY implies it too)
    Constraint* inline_key = nullptr;
    List* inline_scans = NIL;  // CHECK and REFERENCES: validated over every existing row
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* k = (Constraint*)lfirst(lc);
        switch (k->contype) {
            case CONSTR_DEFAULT:
                raw_default = k->raw_expr;
                break;
            case CONSTR_NOTNULL:
                c.not_null = true;
                written_not_null = true;
                break;
            case CONSTR_IDENTITY:
                c.identity = true;
                c.identity_always = k->generated_when == ATTRIBUTE_IDENTITY_ALWAYS;
                c.has_default = true;
                break;
            case CONSTR_GENERATED:
                c.generated_stored = true;
                c.has_default = true;
                if (k->raw_expr && size_rules_apply(table))
                    c.generation_sql = copy_text(
                        deparse_over_oid(k->raw_expr, t.relid, EXPR_KIND_GENERATED_COLUMN));
                break;
            case CONSTR_PRIMARY:
            case CONSTR_UNIQUE:
                if (k->contype == CONSTR_PRIMARY)
                    c.not_null = true;
                inline_key = k;
                break;
            case CONSTR_CHECK:
                inline_scans = lappend(inline_scans, k);
                break;
            case CONSTR_FOREIGN:
                // Validated only when the new column has values (a default).
                if (upstream::add_column_validates_foreign_keys(cd))
                    inline_scans = lappend(inline_scans, k);
                break;
            default:
                break;
        }
    }
    if (raw_default)
        c.has_default = true;
    if (raw_default && OidIsValid(typid) && size_rules_apply(table)) {
        bool is_volatile = false;
        Node* cooked =
            upstream::cook_column_default(raw_default, typid, typmod, cd->colname, &is_volatile);
        if (cooked) {
            c.volatile_default = is_volatile;
            c.default_sql = copy_text(deparse_expression(cooked, NIL, false, false));
        }
    }
    // Last: adding an action may move `a` (and `c`) when the list grows.
    if (c.volatile_default || c.serial || c.identity || c.generated_stored)
        c.backfill_ok = has_primary_key(t.relid);
    Text column_sql = inline_scans != NIL ? column_definition(cd, c) : Text();
    // The key's hint adds the column first, as written where that is
    // instant (a default that is not volatile, and NOT NULL beside it);
    // a volatile default, identity or generation rewrites, and the column's
    // own add_column hint (printed before) adds it with its backfill.
    Text type = c.type;
    if (inline_key != nullptr && serial == 0 && !c.volatile_default && !c.identity &&
        !c.generated_stored && !c.default_sql.empty())
        type = copy_text(psprintf("%.*s DEFAULT %.*s%s", (int)c.type.size(), c.type.data(),
                                  (int)c.default_sql.size(), c.default_sql.data(),
                                  written_not_null ? " NOT NULL" : ""));
    if (inline_key != nullptr)
        add_inline_key(t, cd, inline_key, type, out);
    foreach (lc, inline_scans)
        add_inline_validated(t, cd, (Constraint*)lfirst(lc), column_sql, out);
}

void extract_alter_type(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    ColumnDef* def = (ColumnDef*)cmd->def;
    hygiene(out, t.table.qname, cmd->name, def->typeName, false);
    // A small (or new) table may still be referenced by big ones whose
    // foreign keys the change validates again.
    const bool own_rules = size_rules_apply(t.tree);
    if (!own_rules &&
        !(t.table.found && !t.table.created_in_xact && referenced_by_foreign_key(t.relid)))
        return;
    Oid newtype;
    int32 newtypmod;
    if (!type_of(def->typeName, &newtype, &newtypmod))
        return;
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col) || !OidIsValid(col.type))
        return;
    if (!own_rules) {
        add_fk_revalidations(t, cmd, col.type, newtype, newtypmod, out);
        return;
    }
    Oid oldtype = col.type;
    int32 oldtypmod = col.typmod;
    Oid oldcoll = col.collation;
    AttrNumber attnum = col.attnum;

    // check() seam: a USING clause over a column the migration file added
    // cannot be analysed over the relation; it is judged as a rewrite.
    upstream::TypeChange change =
        col.from_file && def->raw_default != nullptr
            ? upstream::TypeChange::rewrite
            : upstream::column_type_change(t.relid, attnum, oldtype, oldtypmod, oldcoll,
                                           def->raw_default, newtype, newtypmod);
    if (change == upstream::TypeChange::fails)
        return;  // the statement itself will fail
    ActionFacts* a = new_action(out, Action::alter_column_type);
    a->table = t.tree;
    fill_lock(a, t.relid, t.mode);
    a->alter_type.column = column_name(cmd->name);
    a->alter_type.type = copy_text(format_type_with_typemod(newtype, newtypmod));
    a->alter_type.using_expression = def->raw_default != nullptr;
    // Unknown (the USING expression could not be analysed without waiting):
    // judged as the rewrite that a USING clause almost always means.
    a->alter_type.rewrite = change != upstream::TypeChange::no_rewrite;
    if (a->alter_type.rewrite)
        a->alter_type.backfill_ok = has_primary_key(t.relid);
    // No rewrite, but indexes over the column may still be rebuilt.
    if (change == upstream::TypeChange::no_rewrite)
        add_index_rebuilds(t, cmd, oldtype, oldcoll, newtype, newtypmod, out);
    // Referencing tables whose foreign keys are validated again.
    add_fk_revalidations(t, cmd, oldtype, newtype, newtypmod, out);
}

namespace {

// SET NOT NULL on a column an earlier sub-command of this ALTER TABLE adds.
// Measured on PostgreSQL 15 (100,000 rows): after ADD COLUMN with a
// non-volatile default, phase 3 scans the whole table for NULLs (seq_scan
// + 1, same relfilenode) although every row holds the default, while the
// same NOT NULL declared in the ADD COLUMN itself scans nothing
// (ATExecAddColumn knows the missing value is not null). A rewriting ADD
// COLUMN (volatile default, serial, identity, generated, constrained
// domain) checks NOT NULL during its own rewrite, already judged; without
// a default every existing row is NULL and PostgreSQL refuses the
// statement itself (or the table is empty): nothing to judge then.
void set_not_null_on_added(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    ColumnDef* cd = nullptr;
    ListCell* lc;
    foreach (lc, t.added)
        if (strcmp(((ColumnDef*)lfirst(lc))->colname, cmd->name) == 0)
            cd = (ColumnDef*)lfirst(lc);
    if (cd == nullptr)
        return;
    // DEFAULT NULL fills nothing: PostgreSQL refuses a populated table.
    foreach (lc, cd->constraints) {
        Constraint* k = (Constraint*)lfirst(lc);
        Node* e = k->contype == CONSTR_DEFAULT ? k->raw_expr : nullptr;
        while (e != nullptr && IsA(e, TypeCast)) e = ((TypeCast*)e)->arg;
        if (e != nullptr && IsA(e, A_Const) && ((A_Const*)e)->isnull)
            return;
    }
    for (int i = out->count - 1; i >= 0; --i) {
        const ActionFacts& add = out->items[i];
        if (add.action != Action::add_column || add.table.oid != t.relid ||
            add.add_column.column.raw != std::string_view(cmd->name))
            continue;
        core::AddColumnFacts c = add.add_column;
        if (c.not_null || !c.has_default || c.volatile_default || c.serial || c.identity ||
            c.generated_stored || c.constrained_domain || c.default_sql.empty())
            return;
        c.not_null = true;
        const Text fixed = column_definition(cd, c);
        ActionFacts* a = new_action(out, Action::set_not_null);  // moves `add`
        a->table = t.tree;
        fill_lock(a, t.relid, t.mode);
        a->set_not_null.column = column_name(cmd->name);
        a->set_not_null.added_column_sql = fixed;
        a->same_statement_drops = drops_before(t, cd->colname, nullptr, false);
        return;
    }
}

}  // namespace

void extract_set_not_null(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    if (!size_rules_apply(t.tree))  // SET NOT NULL scans every inheritance child too
        return;
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col) || !OidIsValid(col.type)) {
        set_not_null_on_added(t, cmd, out);
        return;
    }
    const bool already = col.not_null;
    const AttrNumber attnum = col.attnum;
    const Oid typid = col.type, collation = col.collation;
    const int32 typmod = col.typmod;
    if (already)
        return;  // a no-op for PostgreSQL too
    ActionFacts* a = new_action(out, Action::set_not_null);
    a->table = t.tree;
    fill_lock(a, t.relid, t.mode);
    a->set_not_null.column = column_name(cmd->name);
    Relation rel = RelationIdGetRelation(t.relid);
    if (rel) {
        a->set_not_null.implied_by_check =
            upstream::not_null_implied_by_constraints(rel, attnum, typid, typmod, collation);
        RelationClose(rel);
    }
}

void extract_drop_column(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col))
        return;
    ActionFacts* a = new_action(out, Action::drop_column);
    a->table = t.table;
    a->rename_drop.column = column_name(cmd->name);
    fill_lock(a, t.relid, t.mode);
    extract_drop_column_cascade(t, cmd, out);  // DROP COLUMN ... CASCADE: what goes with it
}

}  // namespace schema_oracle::pg::extract
