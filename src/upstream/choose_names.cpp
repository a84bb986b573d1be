// choose_names.cpp: names for the objects the guard's hints create (a
// table's _new copy, a serial's sequence, a NOT NULL check, a column's _new
// twin), chosen as PostgreSQL 15 chooses the names it derives itself:
//   - relations: src/backend/commands/indexcmds.c, ChooseRelationName
//     (makeObjectName's 63-byte, multibyte-safe cut, then label1, label2,
//     ... while the name is taken), through the core's one implementation
//     of it (src/upstream/naming.cpp). PostgreSQL tests pg_class only; a new
//     table also needs its row type's name free in pg_type (heap.c,
//     heap_create_with_catalog -> "type already exists"), so both are
//     tested here, against every relation kind and every type.
//   - constraints: src/backend/catalog/pg_constraint.c, ChooseConstraintName
//     (PostgreSQL's own exported function, called as is).
//   - columns: makeObjectName and the same numbered labels, free among the
//     table's attributes (SearchSysCacheExistsAttName).
#include <string>

#include "schema_oracle/upstream/naming.hpp"  // core first
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "nodes/nodeFuncs.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

namespace core_naming = schema_oracle::upstream;

// A relation needs its name free in pg_class (any relkind) and, for its
// row type, in pg_type.
bool relation_name_taken(const char* name, Oid namespace_id) {
    return OidIsValid(get_relname_relid(name, namespace_id)) ||
           OidIsValid(GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(name),
                                      ObjectIdGetDatum(namespace_id)));
}

// ChooseRelationName's loop over label, label1, label2, ... is the core's
// one implementation (src/upstream/naming.cpp); `taken` is a PostgreSQL
// lookup, run through pg_call inside the boundary.
template <typename Taken>
char* choose_with_numbered_label(const char* name1, const char* name2, const char* label,
                                 Taken taken) {
    return cpp_boundary("derived name", [&] {
        std::string name = core_naming::choose_relation_name(
            name1, name2 ? name2 : "", label,
            [&](const std::string& candidate) {
                const char* text = candidate.c_str();
                return pg_call([&]() noexcept { return taken(text); });
            },
            database_clip);
        const char* text = name.c_str();
        return pg_call([&]() noexcept { return pstrdup(text); });
    });
}

}  // namespace

char* choose_free_relation_name(const char* name1, const char* name2, const char* label,
                                Oid namespace_id) {
    return choose_with_numbered_label(name1, name2, label, [namespace_id](const char* name) {
        return relation_name_taken(name, namespace_id);
    });
}

char* choose_free_constraint_name(const char* name1, const char* name2, const char* label,
                                  Oid namespace_id) {
    return ChooseConstraintName(name1, name2, label, namespace_id, NIL);
}

char* choose_free_column_name(const char* name1, const char* name2, const char* label, Oid relid) {
    return choose_with_numbered_label(name1, name2, label, [relid](const char* name) {
        return SearchSysCacheExistsAttName(relid, name);
    });
}

}  // namespace schema_oracle::pg::upstream

namespace schema_oracle::pg::upstream {

namespace {

// The String names of a key list as a List of char* (ChooseIndexColumnNames'
// input shape).
List* string_names(List* names) {
    List* out = NIL;
    ListCell* lc;
    foreach (lc, names) out = lappend(out, strVal(lfirst(lc)));
    return out;
}

// parse_utilcmd.c / heap.c (PostgreSQL 15, AddRelationNewConstraints): a
// CHECK is named tab_col_check when its expression refers to exactly one
// column, else tab_check. Decided here from the raw expression's column
// references (the same columns once analysed).
bool collect_column_refs(Node* node, void* context) {
    List** names = static_cast<List**>(context);
    if (node == nullptr)
        return false;
    if (IsA(node, ColumnRef)) {
        ColumnRef* ref = (ColumnRef*)node;
        Node* last = (Node*)llast(ref->fields);
        if (IsA(last, String)) {
            const char* name = strVal(last);
            bool seen = false;
            ListCell* lc;
            foreach (lc, *names)
                if (strcmp((const char*)lfirst(lc), name) == 0)
                    seen = true;
            if (!seen)
                *names = lappend(*names, (void*)name);
        }
        return false;
    }
    return raw_expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(collect_column_refs)),
        context);
}

}  // namespace

// The name PostgreSQL 15 gives a constraint added without one:
//   PRIMARY KEY: indexcmds.c ChooseIndexName -> ChooseRelationName(tab,
//     NULL, "pkey", isconstraint = true);
//   UNIQUE / EXCLUDE: ChooseRelationName(tab, ChooseIndexNameAddition(all
//     key columns), "key" / "excl", true);
//   FOREIGN KEY: tablecmds.c ATExecAddConstraint -> ChooseConstraintName(tab,
//     ChooseForeignKeyConstraintNameAddition(fk columns), "fkey") (the
//     addition joins names exactly as ChooseIndexNameAddition does);
//   CHECK: heap.c AddRelationNewConstraints -> ChooseConstraintName(tab,
//     the one column it uses or NULL, "check").
// `column` names the column of an inline constraint (ADD COLUMN c UNIQUE).
namespace {

// Whether `name` is one of the names (char*) in `names`.
bool name_listed(List* names, const char* name) {
    ListCell* lc;
    foreach (lc, names)
        if (strcmp((const char*)lfirst(lc), name) == 0)
            return true;
    return false;
}

// ChooseRelationName(name1, name2, label, nsp, isconstraint = true) as
// PostgreSQL runs it after the statement's drops: a name in `freed` (the
// index or constraint a DROP CONSTRAINT / DROP COLUMN of the same ALTER
// TABLE removes first, AT_PASS_DROP) counts as free.
char* choose_constraint_index_name(const char* name1, const char* name2, const char* label, Oid nsp,
                                   List* freed, List* taken) {
    if (freed == NIL && taken == NIL)
        return ChooseRelationName(name1, name2, label, nsp, true);
    return choose_with_numbered_label(name1, name2, label, [nsp, freed, taken](const char* name) {
        if (name_listed(taken, name))
            return true;
        ListCell* lc;
        foreach (lc, freed)
            if (strcmp((const char*)lfirst(lc), name) == 0)
                return false;
        return OidIsValid(get_relname_relid(name, nsp)) || ConstraintNameExists(name, nsp);
    });
}

// ChooseConstraintName(name1, name2, label, nsp, NIL) as PostgreSQL runs
// it for an unnamed FOREIGN KEY (tablecmds.c ATExecAddConstraint) or CHECK
// (heap.c AddRelationNewConstraints): at execution, after the statement's
// drops (AT_PASS_DROP). A name is taken when a constraint of the namespace
// has it, unless that constraint is one of this table's that the drops
// remove (a name in `freed`); another table's constraint of the same name
// (a CHECK copied by LIKE ... INCLUDING CONSTRAINTS) still takes it, except
// a descendant's copy the drop's recursion removes with it.
bool constraint_name_taken_after_drops(const char* name, Oid relid, Oid nsp, List* freed) {
    bool freed_here = false;
    ListCell* lc;
    foreach (lc, freed)
        if (strcmp((const char*)lfirst(lc), name) == 0)
            freed_here = true;
    bool taken = false;
    List* descendants = NIL;  // read once, when a row needs it
    bool descendants_read = false;
    Relation rel = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key[2];
    ScanKeyInit(&key[0], Anum_pg_constraint_conname, BTEqualStrategyNumber, F_NAMEEQ,
                CStringGetDatum(name));
    ScanKeyInit(&key[1], Anum_pg_constraint_connamespace, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(nsp));
    SysScanDesc scan = systable_beginscan(rel, ConstraintNameNspIndexId, true, nullptr, 2, key);
    HeapTuple tup;
    while (!taken && HeapTupleIsValid(tup = systable_getnext(scan))) {
        const Form_pg_constraint con = (Form_pg_constraint)GETSTRUCT(tup);
        if (freed_here && con->conrelid == relid)
            continue;
        // ATExecDropConstraint (tablecmds.c, PG 15) recurses: a child's copy
        // inherited only from here (not local, inherited once) goes too.
        if (freed_here && !con->conislocal && con->coninhcount == 1) {
            if (!descendants_read) {
                descendants = find_all_inheritors(relid, NoLock, nullptr);
                descendants_read = true;
            }
            if (list_member_oid(descendants, con->conrelid))
                continue;
        }
        taken = true;
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return taken;
}

char* choose_constraint_name_after_drops(const char* tab, const char* name2, const char* label,
                                         Oid relid, Oid nsp, List* freed, List* taken) {
    if (freed == NIL)
        return ChooseConstraintName(tab, name2, label, nsp, taken);  // `others`: taken too
    return choose_with_numbered_label(
        tab, name2, label, [relid, nsp, freed, taken](const char* name) {
            return name_listed(taken, name) ||
                   constraint_name_taken_after_drops(name, relid, nsp, freed);
        });
}

}  // namespace

char* default_constraint_name(Oid relid, Constraint* c, const char* column, List* freed,
                              List* taken) {
    const char* tab = get_rel_name(relid);
    const Oid nsp = get_rel_namespace(relid);
    if (tab == nullptr || !OidIsValid(nsp))
        return nullptr;
    List* keys = NIL;
    if (column != nullptr)
        keys = list_make1((void*)column);
    switch (c->contype) {
        case CONSTR_PRIMARY:
            return choose_constraint_index_name(tab, nullptr, "pkey", nsp, freed, taken);
        case CONSTR_UNIQUE:
            if (keys == NIL)
                keys = string_names(c->keys);
            return choose_constraint_index_name(tab, index_name_addition(keys), "key", nsp, freed,
                                                taken);
        case CONSTR_EXCLUSION: {
            ListCell* lc;
            foreach (lc, c->exclusions) {
                IndexElem* e = (IndexElem*)linitial((List*)lfirst(lc));
                keys = lappend(keys, (void*)(e->name ? e->name : "expr"));
            }
            return choose_constraint_index_name(tab, index_name_addition(keys), "excl", nsp, freed,
                                                taken);
        }
        case CONSTR_FOREIGN:
            if (keys == NIL)
                keys = string_names(c->fk_attrs);
            return choose_constraint_name_after_drops(tab, index_name_addition(keys), "fkey", relid,
                                                      nsp, freed, taken);
        case CONSTR_CHECK: {
            List* used = NIL;
            collect_column_refs(c->raw_expr, &used);
            const char* col = column != nullptr        ? column
                              : list_length(used) == 1 ? (const char*)linitial(used)
                                                       : nullptr;
            return choose_constraint_name_after_drops(tab, col, "check", relid, nsp, freed, taken);
        }
        default:
            return nullptr;
    }
}

char* check_constraint_name(Oid relid, const char* column, List* freed, List* taken) {
    const char* tab = get_rel_name(relid);
    const Oid nsp = get_rel_namespace(relid);
    if (tab == nullptr || !OidIsValid(nsp))
        return nullptr;
    return choose_constraint_name_after_drops(tab, column, "check", relid, nsp, freed, taken);
}

}  // namespace schema_oracle::pg::upstream
