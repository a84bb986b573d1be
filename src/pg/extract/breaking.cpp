// breaking.cpp: statements that break running clients or destroy data:
// DROP TABLE / INDEX / SCHEMA ... CASCADE, RENAME (table, column), TRUNCATE.
// (DROP COLUMN is an ALTER TABLE sub-command: columns.cpp.)
#include "extract.hpp"
#include "schema_oracle/pg/created_objects.hpp"
#include "schema_oracle/upstream/refusals.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

void extract_drop_schema(DropStmt* s, ActionList* out) {
    if (s->behavior != DROP_CASCADE)
        return;
    ListCell* lc;
    foreach (lc, s->objects) {
        Node* obj = (Node*)lfirst(lc);
        const char* name = IsA(obj, String) ? strVal(obj) : strVal(linitial((List*)obj));
        ActionFacts* a = new_action(out, Action::drop_schema);
        a->table.qname = quoted(name);
        HeapTuple tup = SearchSysCache1(NAMESPACENAME, CStringGetDatum(name));
        if (HeapTupleIsValid(tup)) {
            a->table.found = true;
            // Never the row's xmin: a GRANT or ALTER SCHEMA earlier in the
            // transaction rewrites it (created_objects.hpp).
            const Oid nsp = ((Form_pg_namespace)GETSTRUCT(tup))->oid;
            ReleaseSysCache(tup);
            a->table.created_in_xact = created_in_this_transaction(NamespaceRelationId, nsp);
        }
    }
}

}  // namespace

void extract_drop(Node* stmt, ActionList* out) {
    DropStmt* s = (DropStmt*)stmt;
    if (s->removeType == OBJECT_SCHEMA) {
        extract_drop_schema(s, out);
        return;
    }
    extract_drop_cascade(s, out);  // dependents.cpp: what CASCADE drops besides
    if (s->removeType != OBJECT_INDEX && s->removeType != OBJECT_TABLE)
        return;
    if (upstream::drop_refused(s))
        return;  // PostgreSQL refuses it (src/upstream/*refusals.cpp)
    ListCell* lc;
    foreach (lc, s->objects) {
        RangeVar* rv = makeRangeVarFromNameList((List*)lfirst(lc));
        Oid relid = resolve(rv);
        if (!OidIsValid(relid))
            continue;
        if (s->removeType == OBJECT_TABLE) {
            if (!is_table(relid))
                continue;
            ActionFacts* a = new_action(out, Action::drop_table);
            guard_table_facts(relid, &a->table);
            fill_lock(a, relid, AccessExclusiveLock);
            if (!a->table.created_in_xact && !a->table.untouched)
                a->rename_drop.replacement = swap_replacement(relid);  // swap.cpp
        } else {
            Oid table = IndexGetRelation(relid, true);
            if (!OidIsValid(table))
                continue;
            ActionFacts* a = new_action(out, Action::drop_index);
            guard_table_facts(table, &a->table);
            a->concurrent = s->concurrent;
            fill_lock(a, table, s->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock);
            a->index.qname = qualified_name(relid);
        }
    }
}

bool drop_is_trivial(Node* stmt, TriageNote*) {
    DropStmt* s = (DropStmt*)stmt;
    if (s->removeType == OBJECT_SCHEMA)
        return s->behavior != DROP_CASCADE;
    if (s->concurrent || s->behavior == DROP_CASCADE)
        return false;  // CASCADE: pg_depend decides (dependents.cpp)
    if (s->removeType != OBJECT_TABLE && s->removeType != OBJECT_INDEX)
        return true;
    ListCell* lc;
    foreach (lc, s->objects) {
        Oid relid = resolve_quietly(makeRangeVarFromNameList((List*)lfirst(lc)));
        if (s->removeType == OBJECT_INDEX && OidIsValid(relid))
            relid = IndexGetRelation(relid, true);
        if (!new_in_xact(relid))
            return false;
    }
    return true;
}

void extract_rename(Node* stmt, ActionList* out) {
    RenameStmt* s = (RenameStmt*)stmt;
    if (s->renameType == OBJECT_COLUMN || s->renameType == OBJECT_TABLE ||
        s->renameType == OBJECT_VIEW || s->renameType == OBJECT_MATVIEW ||
        s->renameType == OBJECT_FOREIGN_TABLE) {
        // A rename PostgreSQL refuses is left to it (src/upstream/*refusals.cpp).
        const Oid relid = resolve(s->relation);
        if (OidIsValid(relid) && upstream::rename_refused(relid, s))
            return;
    }
    // ALTER VIEW / MATERIALIZED VIEW / FOREIGN TABLE ... RENAME break the
    // same clients as the ALTER TABLE spelling (which takes them all).
    const bool relation = s->relationType == OBJECT_TABLE || s->relationType == OBJECT_VIEW ||
                          s->relationType == OBJECT_MATVIEW ||
                          s->relationType == OBJECT_FOREIGN_TABLE;
    if (s->renameType == OBJECT_COLUMN && relation) {
        Oid target = resolve(s->relation);
        GuardColumn col;
        if (!OidIsValid(target) || !guard_column(target, s->subname, &col))
            return;  // PostgreSQL reports the missing column itself
        ActionFacts* a = new_action(out, Action::rename_column);
        Oid relid = fill_table(a, s->relation);
        fill_lock(a, relid, AccessExclusiveLock);
        a->rename_drop.column = {quoted(s->subname), copy_text(s->subname)};
        a->rename_drop.new_name = quoted(s->newname);
        if (OidIsValid(relid) && OidIsValid(col.type))
            a->rename_drop.column_type = copy_text(format_type_with_typemod(col.type, col.typmod));
        const char kind = get_rel_relkind(relid);
        a->rename_drop.view = kind == RELKIND_VIEW || kind == RELKIND_MATVIEW;
    } else if (s->renameType == OBJECT_TABLE || s->renameType == OBJECT_VIEW ||
               s->renameType == OBJECT_MATVIEW || s->renameType == OBJECT_FOREIGN_TABLE) {
        // ALTER TABLE also renames indexes, sequences and composite types:
        // no client reads those by name as it reads a table or view, and the
        // view left behind under the old name would be no index or sequence.
        const char kind = get_rel_relkind(resolve(s->relation));
        if (kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX ||
            kind == RELKIND_SEQUENCE || kind == RELKIND_COMPOSITE_TYPE)
            return;
        ActionFacts* a = new_action(out, Action::rename_table);
        Oid relid = fill_table(a, s->relation);
        fill_lock(a, relid, AccessExclusiveLock);
        a->rename_drop.new_name = quoted(s->newname);
        if (OidIsValid(relid))
            a->rename_drop.new_qname = copy_text(quote_qualified_identifier(
                get_namespace_name(get_rel_namespace(relid)), s->newname));
    }
}

bool rename_is_trivial(Node* stmt, TriageNote*) {
    RenameStmt* s = (RenameStmt*)stmt;
    return (s->renameType == OBJECT_COLUMN || s->renameType == OBJECT_TABLE ||
            s->renameType == OBJECT_VIEW || s->renameType == OBJECT_MATVIEW ||
            s->renameType == OBJECT_FOREIGN_TABLE) &&
           new_in_xact(resolve_quietly(s->relation));
}

void extract_truncate(Node* stmt, ActionList* out) {
    TruncateStmt* s = (TruncateStmt*)stmt;
    if (upstream::truncate_refused(s))
        return;  // PostgreSQL refuses it (src/upstream/*refusals.cpp)
    ListCell* lc;
    foreach (lc, s->relations) {
        Oid target = resolve((RangeVar*)lfirst(lc));
        if (!OidIsValid(target) || !is_table(target))
            continue;
        ActionFacts* a = new_action(out, Action::truncate);
        guard_table_facts(target, &a->table);
        fill_lock(a, target, AccessExclusiveLock);
    }
}

}  // namespace schema_oracle::pg::extract
