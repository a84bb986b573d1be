// subcommand_overlap.cpp: whether two sub-commands of one ALTER TABLE can
// see each other's effects, so that a refusal the written-order check
// (alter_table_refusals.cpp) decides for one of them may not be
// PostgreSQL's.
//
// PostgreSQL 15 does not run ALTER TABLE sub-commands in written order: it
// prepares them in written order and executes them pass by pass
// (tablecmds.c, AT_PASS_DROP, AT_PASS_ALTER_TYPE, AT_PASS_ADD_COL, ...,
// AT_PASS_MISC), so `ALTER COLUMN uid TYPE uuid, ADD FOREIGN KEY (uid) ...`
// adds the key to the uuid column, and `ADD CONSTRAINT c CHECK (...) NOT
// VALID, VALIDATE CONSTRAINT c` validates the constraint just added. The
// written-order check reads the catalog as it is for each sub-command; it
// is trusted only where no other sub-command of the statement names what
// the refusal reads. A false "refused" lets a hazard pass unjudged (the
// guard stays silent); a missed refusal only gives a finding before
// PostgreSQL's own error. So the test is wide on purpose: a shared column,
// a shared constraint or index name, an unnamed constraint (its generated
// name is any name), a dropped column (its constraints and indexes go with
// it), a change of the table's parents or type.
#include "refusal_helpers.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream::refusal {

namespace {

// What a sub-command names or may change.
struct Mentions {
    List* columns = NIL;      // column names (char*)
    List* objects = NIL;      // constraint and index names (char*)
    bool any_object = false;  // an unnamed constraint, a dropped column, a
                              // key looked up by the referenced table
    bool everything = false;  // INHERIT, OF: the table's columns and
                              // constraints change as a whole
};

void add_names(List** out, List* names) {
    ListCell* lc;
    foreach (lc, names) {
        Node* n = (Node*)lfirst(lc);
        if (n != nullptr && IsA(n, String))
            *out = lappend(*out, strVal(n));
    }
}

void add_index_elems(Mentions* m, List* elems) {
    ListCell* lc;
    foreach (lc, elems) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->name != nullptr)
            m->columns = lappend(m->columns, e->name);
        else
            m->any_object = true;  // an expression: its columns are not listed
    }
}

// An existing index's name and the columns of its key (what REPLICA
// IDENTITY USING INDEX, CLUSTER ON and ADD ... USING INDEX read).
void add_index(Mentions* m, Oid relid, const char* index) {
    m->objects = lappend(m->objects, const_cast<char*>(index));
    const Oid indexoid = get_relname_relid(index, get_rel_namespace(relid));
    if (!OidIsValid(indexoid))
        return;
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexoid));
    if (!HeapTupleIsValid(tup))
        return;
    const Form_pg_index ix = (Form_pg_index)GETSTRUCT(tup);
    for (int i = 0; i < ix->indnatts; ++i) {
        const AttrNumber att = ix->indkey.values[i];
        char* name = att > 0 ? get_attname(relid, att, true) : nullptr;
        if (name != nullptr)
            m->columns = lappend(m->columns, name);
    }
    ReleaseSysCache(tup);
}

void add_constraint(Mentions* m, Oid relid, const Constraint* c) {
    if (c->conname != nullptr)
        m->objects = lappend(m->objects, c->conname);
    else
        m->any_object = true;
    add_names(&m->columns, c->keys);
    add_names(&m->columns, c->including);
    add_names(&m->columns, c->fk_attrs);
    add_names(&m->columns, c->pk_attrs);  // the referenced table may be this one
    if (c->contype == CONSTR_FOREIGN && c->pk_attrs == NIL)
        m->any_object = true;  // the referenced table's primary key
    if (c->indexname != nullptr)
        add_index(m, relid, c->indexname);
    if (c->raw_expr != nullptr || c->cooked_expr != nullptr)
        m->any_object = true;  // a CHECK's columns are in its expression
}

Mentions mentions_of(Oid relid, const AlterTableCmd* cmd) {
    Mentions m;
    switch (cmd->subtype) {
        case AT_AddInherit:
        case AT_DropInherit:
        case AT_AddOf:
        case AT_DropOf:
            m.everything = true;
            return m;
        case AT_DropColumn:
            m.any_object = true;  // its constraints and indexes are dropped with it
            break;
        case AT_ClusterOn:
            add_index(&m, relid, cmd->name);
            return m;
        case AT_ReplicaIdentity: {
            const auto* r = (const ReplicaIdentityStmt*)cmd->def;
            if (r != nullptr && r->name != nullptr)
                add_index(&m, relid, r->name);
            return m;
        }
        case AT_ValidateConstraint:
        case AT_DropConstraint:
            m.objects = lappend(m.objects, cmd->name);
            return m;
        default:
            break;
    }
    if (cmd->name != nullptr)
        m.columns = lappend(m.columns, cmd->name);
    Node* def = cmd->def;
    if (def == nullptr)
        return m;
    if (IsA(def, ColumnDef)) {
        const auto* col = (const ColumnDef*)def;
        if (col->colname != nullptr)
            m.columns = lappend(m.columns, col->colname);
        ListCell* lc;
        foreach (lc, col->constraints) add_constraint(&m, relid, (const Constraint*)lfirst(lc));
    } else if (IsA(def, Constraint)) {
        const auto* c = (const Constraint*)def;
        if (cmd->subtype == AT_AlterConstraint) {
            m.objects = lappend(m.objects, c->conname);
        } else {
            add_constraint(&m, relid, c);
        }
    } else if (IsA(def, IndexStmt)) {
        const auto* ix = (const IndexStmt*)def;
        if (ix->idxname != nullptr)
            m.objects = lappend(m.objects, ix->idxname);
        else
            m.any_object = true;
        add_index_elems(&m, ix->indexParams);
        add_index_elems(&m, ix->indexIncludingParams);
    }
    return m;
}

bool share_a_name(List* a, List* b) {
    ListCell* la;
    ListCell* lb;
    foreach (la, a)
        foreach (lb, b)
            if (strcmp((const char*)lfirst(la), (const char*)lfirst(lb)) == 0)
                return true;
    return false;
}

bool overlap(const Mentions& a, const Mentions& b) {
    if (a.everything || b.everything)
        return true;
    if (share_a_name(a.columns, b.columns) || share_a_name(a.objects, b.objects))
        return true;
    const bool a_objects = a.any_object || a.objects != NIL;
    const bool b_objects = b.any_object || b.objects != NIL;
    return (a.any_object && b_objects) || (b.any_object && a_objects);
}

}  // namespace

bool subcommands_overlap(Oid relid, List* cmds, const AlterTableCmd* cmd) {
    const Mentions mine = mentions_of(relid, cmd);
    ListCell* lc;
    foreach (lc, cmds) {
        const auto* other = (const AlterTableCmd*)lfirst(lc);
        if (other != cmd && overlap(mine, mentions_of(relid, other)))
            return true;
    }
    return false;
}

}  // namespace schema_oracle::pg::upstream::refusal
