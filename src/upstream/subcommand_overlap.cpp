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
// is trusted only where no other sub-command of the statement changes what
// the refusal reads: what a sub-command reads (its columns, the constraint
// or index names it looks up or takes, the keys a foreign key needs) is
// compared with what each other one writes (the columns it changes, the
// constraints and indexes it creates or drops, an unnamed one's generated
// name, a dropped column's dependents, a new key). A false "refused" lets a
// hazard pass unjudged (the guard stays silent); a wrongly untrusted one
// gives a finding before PostgreSQL's own error (the fuzzer holds those to
// none on its corpus). Drops run first (AT_PASS_DROP), so nothing but an
// earlier drop changes what they read (alter_table_refusals.cpp
// refusal_may_not_happen); INHERIT and OF run last, after every change of
// the columns and constraints they compare.
#include <cstring>

#include "refusal_helpers.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_index.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream::refusal {

namespace {

// What a sub-command's refusal reads.
struct Reads {
    List* columns = NIL;      // column names (char*)
    List* constraints = NIL;  // constraint names it looks up or takes
    List* indexes = NIL;      // index names it looks up or takes
    List* key_columns = NIL;  // a foreign key's referenced columns (its key must exist)
    bool any_key = false;     // a foreign key on the referenced table's primary key
    bool links = false;       // INHERIT / OF: the table's columns and constraints
};

// What a sub-command changes that another's refusal may read.
struct Writes {
    List* columns = NIL;              // columns it adds, drops or alters
    List* constraints = NIL;          // constraint names it creates or drops
    List* indexes = NIL;              // index names it creates
    List* key_columns = NIL;          // columns of a new primary key or unique key
    bool unnamed_constraint = false;  // its generated name may be any name
    bool unnamed_index = false;
    bool drops_dependents = false;  // DROP COLUMN: the column's constraints and indexes
    bool new_key = false;           // a new primary key or unique key
    bool shape = false;             // changes the table's columns or constraints
};

void add_names(List** out, List* names) {
    ListCell* lc;
    foreach (lc, names) {
        Node* n = (Node*)lfirst(lc);
        if (n != nullptr && IsA(n, String))
            *out = lappend(*out, strVal(n));
    }
}

void add_index_elems(List** out, List* elems) {
    ListCell* lc;
    foreach (lc, elems) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (e->name != nullptr)
            *out = lappend(*out, e->name);
    }
}

// An existing index's key and INCLUDE columns (what REPLICA IDENTITY USING
// INDEX, CLUSTER ON and ADD ... USING INDEX read of it: NOT NULL, ...).
void add_index_columns(List** out, Oid relid, const char* index) {
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
            *out = lappend(*out, name);
    }
    ReleaseSysCache(tup);
}

bool is_key(const Constraint* c) {
    return c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE ||
           c->contype == CONSTR_EXCLUSION;
}

void read_constraint(Reads* r, Oid relid, const Constraint* c) {
    if (c->conname != nullptr) {
        r->constraints = lappend(r->constraints, c->conname);
        if (is_key(c))
            r->indexes = lappend(r->indexes, c->conname);  // the key's index takes the name
    }
    add_names(&r->columns, c->keys);
    add_names(&r->columns, c->including);
    add_names(&r->columns, c->fk_attrs);
    // A foreign key to this same table reads the keys the statement adds.
    if (c->contype == CONSTR_FOREIGN && c->pktable != nullptr &&
        RangeVarGetRelid(c->pktable, NoLock, true) == relid) {
        add_names(&r->key_columns, c->pk_attrs);
        r->any_key = c->pk_attrs == NIL;
    }
    if (c->indexname != nullptr) {
        r->indexes = lappend(r->indexes, c->indexname);
        add_index_columns(&r->columns, relid, c->indexname);
    }
}

void write_constraint(Writes* w, const Constraint* c) {
    if (c->contype == CONSTR_NOTNULL || c->contype == CONSTR_DEFAULT ||
        c->contype == CONSTR_GENERATED || c->contype == CONSTR_IDENTITY ||
        c->contype == CONSTR_NULL)
        return;  // a column property, no constraint of its own (PostgreSQL 15)
    if (c->conname != nullptr) {
        w->constraints = lappend(w->constraints, c->conname);
        if (is_key(c))
            w->indexes = lappend(w->indexes, c->conname);
    } else {
        w->unnamed_constraint = true;
        w->unnamed_index = w->unnamed_index || is_key(c);
    }
    if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE) {
        w->new_key = true;
        add_names(&w->key_columns, c->keys);
        if (c->contype == CONSTR_PRIMARY)
            add_names(&w->columns, c->keys);  // it sets them NOT NULL
    }
}

Reads reads_of(Oid relid, const AlterTableCmd* cmd) {
    Reads r;
    switch (cmd->subtype) {
        case AT_AddInherit:
        case AT_AddOf:
            r.links = true;
            return r;
        case AT_ClusterOn:
            r.indexes = lappend(r.indexes, cmd->name);
            add_index_columns(&r.columns, relid, cmd->name);
            return r;
        case AT_ReplicaIdentity: {
            const auto* ri = (const ReplicaIdentityStmt*)cmd->def;
            if (ri != nullptr && ri->name != nullptr) {
                r.indexes = lappend(r.indexes, ri->name);
                add_index_columns(&r.columns, relid, ri->name);
            }
            return r;
        }
        case AT_ValidateConstraint:
            r.constraints = lappend(r.constraints, cmd->name);
            return r;
        case AT_AlterConstraint: {
            const auto* c = (const Constraint*)cmd->def;
            if (c != nullptr && IsA(c, Constraint) && c->conname != nullptr)
                r.constraints = lappend(r.constraints, c->conname);
            return r;
        }
        case AT_AddColumn: {
            const auto* col = (const ColumnDef*)cmd->def;
            if (col != nullptr && IsA(col, ColumnDef)) {
                r.columns = lappend(r.columns, col->colname);
                ListCell* lc;
                foreach (lc, col->constraints)
                    read_constraint(&r, relid, (const Constraint*)lfirst(lc));
            }
            return r;
        }
        case AT_AddConstraint:
        case AT_AddIndexConstraint: {
            const auto* c = (const Constraint*)cmd->def;
            if (c != nullptr && IsA(c, Constraint))
                read_constraint(&r, relid, c);
            return r;
        }
        case AT_AddIndex: {
            const auto* ix = (const IndexStmt*)cmd->def;
            if (ix != nullptr && IsA(ix, IndexStmt)) {
                if (ix->idxname != nullptr)
                    r.indexes = lappend(r.indexes, ix->idxname);
                add_index_elems(&r.columns, ix->indexParams);
                add_index_elems(&r.columns, ix->indexIncludingParams);
            }
            return r;
        }
        case AT_AlterColumnType:
        case AT_ColumnDefault:
        case AT_SetNotNull:
        case AT_SetStorage:
        case AT_SetCompression:
        case AT_AddIdentity:
        case AT_SetStatistics:
        case AT_SetOptions:
        case AT_ResetOptions:
        case AT_CookedColumnDefault:
            if (cmd->name != nullptr)
                r.columns = lappend(r.columns, cmd->name);
            return r;
        default:
            return r;  // nothing another sub-command changes (or a drop: see above)
    }
}

Writes writes_of(const AlterTableCmd* cmd) {
    Writes w;
    switch (cmd->subtype) {
        case AT_AddColumn: {
            w.shape = true;
            const auto* col = (const ColumnDef*)cmd->def;
            if (col != nullptr && IsA(col, ColumnDef)) {
                w.columns = lappend(w.columns, col->colname);
                ListCell* lc;
                foreach (lc, col->constraints) {
                    const auto* c = (const Constraint*)lfirst(lc);
                    write_constraint(&w, c);
                    if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_UNIQUE)
                        w.key_columns = lappend(w.key_columns, col->colname);
                }
            }
            return w;
        }
        case AT_DropColumn:
            w.shape = true;
            w.drops_dependents = true;
            w.columns = lappend(w.columns, cmd->name);
            return w;
        case AT_AddConstraint:
        case AT_AddIndexConstraint: {
            w.shape = true;
            const auto* c = (const Constraint*)cmd->def;
            if (c != nullptr && IsA(c, Constraint))
                write_constraint(&w, c);
            return w;
        }
        case AT_AddIndex: {
            const auto* ix = (const IndexStmt*)cmd->def;
            if (ix != nullptr && IsA(ix, IndexStmt)) {
                if (ix->idxname != nullptr)
                    w.indexes = lappend(w.indexes, ix->idxname);
                else
                    w.unnamed_index = true;
                if (ix->unique || ix->primary) {
                    w.new_key = true;
                    add_index_elems(&w.key_columns, ix->indexParams);
                }
            }
            return w;
        }
        case AT_DropConstraint:
            w.shape = true;
            w.constraints = lappend(w.constraints, cmd->name);
            w.indexes = lappend(w.indexes, cmd->name);  // a key's index goes with it
            return w;
        case AT_AlterColumnType:
        case AT_ColumnDefault:
        case AT_SetNotNull:
        case AT_DropNotNull:
        case AT_SetStorage:
        case AT_SetCompression:
        case AT_AddIdentity:
        case AT_SetIdentity:
        case AT_DropIdentity:
        case AT_DropExpression:
        case AT_CookedColumnDefault:
            w.shape = true;
            if (cmd->name != nullptr)
                w.columns = lappend(w.columns, cmd->name);
            return w;
        default:
            return w;  // reads only (VALIDATE, CLUSTER ON, REPLICA IDENTITY, SET
                       // STATISTICS, ENABLE TRIGGER, ...) or runs last (INHERIT, OF)
    }
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

// Whether a name could be one PostgreSQL generates for an unnamed
// constraint or its index (ChooseConstraintName / ChooseIndexName:
// <table>_<columns>_<label>, a number appended while taken): only those can
// be what an unnamed ADD ... creates.
bool could_be_generated(const char* name) {
    static const char* const labels[] = {"_key", "_pkey", "_excl", "_check", "_fkey", "_idx"};
    std::size_t n = strlen(name);
    while (n > 0 && name[n - 1] >= '0' && name[n - 1] <= '9') --n;
    for (const char* label : labels) {
        const std::size_t l = strlen(label);
        if (n >= l && strncmp(name + n - l, label, l) == 0)
            return true;
    }
    return false;
}

bool any_could_be_generated(List* names) {
    ListCell* lc;
    foreach (lc, names)
        if (could_be_generated((const char*)lfirst(lc)))
            return true;
    return false;
}

bool changes_what_it_reads(const Reads& r, const Writes& w) {
    if (r.links)
        return w.shape;
    return share_a_name(r.columns, w.columns) || share_a_name(r.constraints, w.constraints) ||
           share_a_name(r.indexes, w.indexes) || share_a_name(r.key_columns, w.key_columns) ||
           (r.any_key && w.new_key) ||
           (w.unnamed_constraint && any_could_be_generated(r.constraints)) ||
           (w.unnamed_index && any_could_be_generated(r.indexes)) ||
           (w.drops_dependents && (r.constraints != NIL || r.indexes != NIL));
}

bool runs_in_drop_pass(const AlterTableCmd* cmd) {
    switch (cmd->subtype) {
        case AT_DropColumn:
        case AT_DropConstraint:
        case AT_DropNotNull:
        case AT_DropIdentity:
        case AT_DropExpression:
            return true;
        case AT_ColumnDefault:
            return cmd->def == nullptr;  // DROP DEFAULT
        default:
            return false;
    }
}

}  // namespace

bool subcommands_overlap(Oid relid, List* cmds, const AlterTableCmd* cmd) {
    if (runs_in_drop_pass(cmd))
        return false;  // only earlier drops run before it (refusal_may_not_happen)
    const Reads mine = reads_of(relid, cmd);
    ListCell* lc;
    foreach (lc, cmds) {
        const auto* other = (const AlterTableCmd*)lfirst(lc);
        if (other != cmd && changes_what_it_reads(mine, writes_of(other)))
            return true;
    }
    return false;
}

}  // namespace schema_oracle::pg::upstream::refusal
