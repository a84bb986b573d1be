// constraints.cpp: ALTER TABLE ... ADD CONSTRAINT and VALIDATE CONSTRAINT.
// The definition is rebuilt whole (deparsed CHECK expressions of any
// length), for the NOT VALID + VALIDATE recipe.
#include "extract.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/index.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

const char* fk_action_text(char action) {
    switch (action) {
        case FKCONSTR_ACTION_CASCADE:
            return "CASCADE";
        case FKCONSTR_ACTION_SETNULL:
            return "SET NULL";
        case FKCONSTR_ACTION_SETDEFAULT:
            return "SET DEFAULT";
        case FKCONSTR_ACTION_RESTRICT:
            return "RESTRICT";
        default:
            return nullptr;
    }
}

// PRIMARY KEY USING INDEX: the index's key columns that allow NULL, as
// "a IS NOT NULL AND b IS NOT NULL".
void nullable_index_columns(Oid relid, Oid idx, core::AddConstraintFacts* c) {
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
    if (!HeapTupleIsValid(tup))
        return;
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    StringInfoData buf;
    initStringInfo(&buf);
    for (int i = 0; i < ind->indnkeyatts; ++i) {
        HeapTuple at =
            SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(ind->indkey.values[i]));
        if (!HeapTupleIsValid(at))
            continue;
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
        if (!att->attnotnull) {
            if (c->nullable_columns++)
                appendStringInfoString(&buf, " AND ");
            appendStringInfo(&buf, "%s IS NOT NULL", quote_identifier(NameStr(att->attname)));
        }
        ReleaseSysCache(at);
    }
    ReleaseSysCache(tup);
    c->not_null_check = text_of(buf);
}

}  // namespace

Text foreign_key_definition(List* fk_attrs, Constraint* c, Text referenced) {
    StringInfoData def;
    initStringInfo(&def);
    appendStringInfoString(&def, "FOREIGN KEY (");
    append_name_list(&def, fk_attrs);
    appendStringInfo(&def, ") REFERENCES %.*s", (int)referenced.size(), referenced.data());
    if (c->pk_attrs != NIL) {
        appendStringInfoString(&def, " (");
        append_name_list(&def, c->pk_attrs);
        appendStringInfoChar(&def, ')');
    }
    if (const char* act = fk_action_text(c->fk_upd_action))
        appendStringInfo(&def, " ON UPDATE %s", act);
    if (const char* act = fk_action_text(c->fk_del_action))
        appendStringInfo(&def, " ON DELETE %s", act);
    return text_of(def);
}

// A new foreign key locks the referenced table SHARE ROW EXCLUSIVE (writes
// wait) while it is added, even when the referencing table is new (the
// CREATE TABLE child; ALTER TABLE child ADD CONSTRAINT ... REFERENCES
// parent that ORMs generate): lock discipline applies to the parent.
void add_referenced_lock(ActionList* out, Constraint* c) {
    if (!guard_lock_timeout_set())
        add_lock_action(out, c->pktable, ShareRowExclusiveLock);
}

Text index_built_first(const AlterTarget& t, const char* name) {
    const Oid nsp = get_rel_namespace(t.relid);
    if (!OidIsValid(get_relname_relid(name, nsp)))
        return Text();
    return quoted(upstream::choose_free_relation_name(name, nullptr, "new", nsp));
}

namespace {

// " DEFERRABLE INITIALLY DEFERRED", as the constraint says ("" neither).
Text deferrability(Constraint* c) {
    if (!c->deferrable)
        return Text();
    return c->initdeferred ? Text(" DEFERRABLE INITIALLY DEFERRED") : Text(" DEFERRABLE");
}

// "EXCLUDE USING gist (room WITH =, during WITH &&) INCLUDE (...) WITH (...)
// USING INDEX TABLESPACE t WHERE (p) DEFERRABLE": the user's constraint,
// every clause kept, for the hint's new table.
void append_exclusion(StringInfo buf, Constraint* c, Oid relid) {
    appendStringInfo(buf, "EXCLUDE USING %s (",
                     quote_identifier(c->access_method ? c->access_method : DEFAULT_INDEX_TYPE));
    Relation rel = RelationIdGetRelation(relid);
    ListCell* lc;
    bool first = true;
    foreach (lc, c->exclusions) {
        List* pair = (List*)lfirst(lc);
        if (!first)
            appendStringInfoString(buf, ", ");
        first = false;
        append_index_elem(buf, (IndexElem*)linitial(pair), rel);
        List* op = (List*)lsecond(pair);
        if (list_length(op) == 1)
            appendStringInfo(buf, " WITH %s", strVal(linitial(op)));
        else
            appendStringInfo(buf, " WITH OPERATOR(%s.%s)", quote_identifier(strVal(linitial(op))),
                             strVal(llast(op)));
    }
    appendStringInfoChar(buf, ')');
    append_including(buf, c->including);
    if (c->options != NIL) {
        appendStringInfoString(buf, " WITH");
        append_reloptions(buf, c->options);
    }
    if (c->indexspace != nullptr)
        appendStringInfo(buf, " USING INDEX TABLESPACE %s", quote_identifier(c->indexspace));
    if (c->where_clause != nullptr && rel != nullptr)
        appendStringInfo(buf, " WHERE (%s)",
                         deparse_over(c->where_clause, rel, EXPR_KIND_INDEX_PREDICATE));
    if (rel != nullptr)
        RelationClose(rel);
    Text d = deferrability(c);
    appendBinaryStringInfo(buf, d.data(), (int)d.size());
}

// A key of a partitioned table: cannot be built concurrently as a whole,
// nor attached USING INDEX; each partition's key can, and the parent's
// ADD then adopts them (DefineIndex attaches a partition's matching
// constraint index instead of building one). The steps (AddConstraintFacts::
// partition_steps) and the constraint as the user wrote it, for each level.
void key_partition_steps(Oid relid, Constraint* c, const char* name, core::AddConstraintFacts* k) {
    IndexStmt* is = makeNode(IndexStmt);
    is->primary = c->contype == CONSTR_PRIMARY;
    is->isconstraint = true;
    ListCell* lc;
    foreach (lc, c->keys) {
        IndexElem* e = makeNode(IndexElem);
        e->name = strVal(lfirst(lc));
        is->indexParams = lappend(is->indexParams, e);
    }
    foreach (lc, c->including) {
        IndexElem* e = makeNode(IndexElem);
        e->name = strVal(lfirst(lc));
        is->indexIncludingParams = lappend(is->indexIncludingParams, e);
    }
    List* colnames = upstream::index_column_names(is);
    List* taken = list_make1(psprintf("%u.%s", get_rel_namespace(relid), name));
    StringInfoData steps;
    initStringInfo(&steps);
    if (partition_index_steps(relid, "", is, colnames, &taken, true, &steps))
        k->partition_steps = Text(steps.data, static_cast<std::size_t>(steps.len));
    StringInfoData def;
    initStringInfo(&def);
    appendStringInfoString(&def, c->contype == CONSTR_PRIMARY ? "PRIMARY KEY" : "UNIQUE");
    if (c->nulls_not_distinct)
        appendStringInfoString(&def, " NULLS NOT DISTINCT");
    appendStringInfoString(&def, " (");
    append_name_list(&def, c->keys);
    appendStringInfoChar(&def, ')');
    append_including(&def, c->including);
    if (c->options != NIL) {
        appendStringInfoString(&def, " WITH");
        append_reloptions(&def, c->options);
    }
    if (c->indexspace != nullptr)
        appendStringInfo(&def, " USING INDEX TABLESPACE %s", quote_identifier(c->indexspace));
    Text d = deferrability(c);
    appendBinaryStringInfo(&def, d.data(), (int)d.size());
    k->definition = text_of(def);
}

void constraint_facts(const AlterTarget& t, Constraint* c, ActionList* out) {
    int_key_columns(t.relid, t.table.qname, c, out);
    // A CHECK is validated on every inheritance child too (unless NO
    // INHERIT); the other constraints are the table's own.
    const bool recurses = c->contype == CONSTR_CHECK && !c->is_no_inherit;
    const TableFacts& table = recurses ? t.tree : t.table;
    if (!size_rules_apply(table))
        return;
    core::ConstraintKind kind;
    const char* suffix;
    switch (c->contype) {
        case CONSTR_CHECK:
            kind = core::ConstraintKind::check;
            suffix = "check";
            break;
        case CONSTR_FOREIGN:
            kind = core::ConstraintKind::foreign_key;
            suffix = "fkey";
            break;
        case CONSTR_UNIQUE:
            kind = core::ConstraintKind::unique;
            suffix = "key";
            break;
        case CONSTR_PRIMARY:
            kind = core::ConstraintKind::primary_key;
            suffix = "pkey";
            break;
        case CONSTR_EXCLUSION:
            kind = core::ConstraintKind::exclusion;
            suffix = "excl";
            break;
        default:
            return;
    }
    if (table.partitioned &&
        (kind == core::ConstraintKind::unique || kind == core::ConstraintKind::primary_key ||
         kind == core::ConstraintKind::foreign_key)) {
        // PostgreSQL refuses a key or foreign key on a partitioned table with
        // a foreign-table partition (DefineIndex, CloneFkReferencing): its
        // own error.
        if (has_foreign_partition(t.relid))
            return;
        // ALTER TABLE ONLY p ADD PRIMARY KEY / UNIQUE builds nothing (pg_dump's
        // form: an invalid index on the parent alone, like CREATE INDEX ...
        // ON ONLY): only lock discipline applies.
        if (!t.inh && kind != core::ConstraintKind::foreign_key) {
            ActionFacts* a = new_action(out, Action::other);
            a->table = table;
            fill_lock(a, t.relid, t.mode);
            return;
        }
    }
    Oid pk = InvalidOid;
    Text file_pk;
    if (c->contype == CONSTR_FOREIGN) {
        pk = resolve(c->pktable);
        // check() seam: a referenced table created earlier in the migration file.
        if (!OidIsValid(pk) && guard_overlay != nullptr)
            file_pk = guard_overlay->file_relation(c->pktable);
        if (!OidIsValid(pk) && file_pk.empty())
            return;  // PostgreSQL reports the missing table itself
    }
    ActionFacts* a = new_action(out, Action::add_constraint);
    core::AddConstraintFacts& k = a->constraint;
    a->table = table;
    k.kind = kind;
    k.not_valid = c->skip_validation;
    fill_lock(a, t.relid, c->contype == CONSTR_FOREIGN ? ShareRowExclusiveLock : t.mode);
    const char* raw_name = c->conname;
    if (raw_name == nullptr)  // PostgreSQL's own choice: 63 bytes, free after the drops
        raw_name = upstream::default_constraint_name(t.relid, c, nullptr, names_freed_by_drops(t),
                                                     *t.named);
    if (raw_name == nullptr)
        raw_name = psprintf("%s_%s", get_rel_name(t.relid), suffix);
    k.name = quoted(raw_name);
    StringInfoData def;
    initStringInfo(&def);
    const char* check_column = nullptr;
    switch (c->contype) {
        case CONSTR_FOREIGN: {
            k.referenced_table = OidIsValid(pk) ? qualified_name(pk) : file_pk;
            Text fk = foreign_key_definition(c->fk_attrs, c, k.referenced_table);
            appendBinaryStringInfo(&def, fk.data(), (int)fk.size());
            // PostgreSQL 15 refuses a NOT VALID foreign key on a partitioned
            // table: the hint adds it partition by partition instead.
            if (a->table.partitioned && !c->skip_validation) {
                StringInfoData steps;
                initStringInfo(&steps);
                List* taken = NIL;
                if (partition_index_steps(t.relid, "", nullptr, NIL, &taken, true, &steps))
                    k.partition_steps = Text(steps.data, static_cast<std::size_t>(steps.len));
            }
            break;
        }
        case CONSTR_CHECK:
            // The CHECK may name a column an earlier sub-command adds.
            appendStringInfoString(&def, "CHECK (");
            if (c->raw_expr)
                appendStringInfoString(
                    &def, deparse_with_added_columns(c->raw_expr, t.relid, t.added,
                                                     EXPR_KIND_CHECK_CONSTRAINT, &k.on_added_column,
                                                     &check_column));
            appendStringInfoChar(&def, ')');
            break;
        case CONSTR_UNIQUE:
        case CONSTR_PRIMARY: {
            StringInfoData keys;
            initStringInfo(&keys);
            append_name_list(&keys, c->keys);
            k.key_columns = text_of(keys);
            k.build_index = index_built_first(t, raw_name);
            // The rest of the constraint's index, and its deferrability,
            // as the user wrote them.
            StringInfoData tail;
            initStringInfo(&tail);
            append_including(&tail, c->including);
            if (c->nulls_not_distinct)
                appendStringInfoString(&tail, " NULLS NOT DISTINCT");
            if (c->options != NIL) {
                appendStringInfoString(&tail, " WITH");
                append_reloptions(&tail, c->options);
            }
            if (c->indexspace != nullptr)
                appendStringInfo(&tail, " TABLESPACE %s", quote_identifier(c->indexspace));
            k.index_tail = text_of(tail);
            k.deferrable = deferrability(c);
            if (c->indexname) {
                k.using_index = quoted(c->indexname);
                Oid idx = get_relname_relid(c->indexname, get_rel_namespace(t.relid));
                if (OidIsValid(idx))
                    nullable_index_columns(t.relid, idx, &k);
            }
            break;
        }
        case CONSTR_EXCLUSION:
            append_exclusion(&def, c, t.relid);
            break;
        default:
            break;
    }
    k.definition = text_of(def);
    if ((c->contype == CONSTR_UNIQUE || c->contype == CONSTR_PRIMARY) && a->table.partitioned &&
        c->indexname == nullptr)
        key_partition_steps(t.relid, c, raw_name, &k);  // sets `definition` too
    // An unnamed CHECK is <table>_<column>_check when it names one column
    // only, else <table>_check (AddRelationNewConstraints, heap.c, PG 15).
    if (c->contype == CONSTR_CHECK && c->conname == nullptr) {
        raw_name = upstream::check_constraint_name(t.relid, check_column, names_freed_by_drops(t),
                                                   *t.named);
        k.name = quoted(raw_name);
    }
    note_constraint_name(t, raw_name);
    // A CHECK on a column this statement adds: the hint runs the statement
    // (with its drops) first, then adds the constraint.
    if (!k.on_added_column)
        a->same_statement_drops = drops_before(t, nullptr, raw_name, c->contype == CONSTR_PRIMARY);
}

}  // namespace

void extract_add_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    Constraint* c = (Constraint*)cmd->def;
    if (!IsA(c, Constraint))
        return;
    constraint_facts(t, c, out);
    // After the constraint's own action: lock discipline names the table
    // being altered first.
    if (c->contype == CONSTR_FOREIGN)
        add_referenced_lock(out, c);
}

void extract_validate_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    if (!t.table.found || t.table.created_in_xact)
        return;
    ActionFacts* a = new_action(out, Action::validate_constraint);
    a->table = t.table;
    a->validate.constraint = quoted(cmd->name);
    LOCKMODE held = held_at_least(t.relid, ShareRowExclusiveLock);
    // The statement's own lock counts too: PostgreSQL takes the strongest
    // lock of all its sub-commands before any runs (AlterTableGetLockLevel),
    // so ADD CONSTRAINT ... NOT VALID, VALIDATE CONSTRAINT in one ALTER
    // TABLE validates under the ADD's lock.
    if (held == NoLock && t.mode >= ShareRowExclusiveLock) {
        held = t.mode;
        a->validate.same_statement = true;
    }
    a->lock_already_held = held != NoLock;
    a->lock = held != NoLock ? to_lock(held) : Lock::share_update_exclusive;
}

}  // namespace schema_oracle::pg::extract
