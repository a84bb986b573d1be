// dependents.cpp: statements judged by what else they reach: DROP ...
// CASCADE (of any object kind; ALTER TABLE DROP COLUMN / CONSTRAINT ...
// CASCADE), judged by what pg_depend says it would drop with the object
// (src/upstream/dependency.cpp), and ALTER TYPE ... ADD VALUE / RENAME
// VALUE on an enum. DROP SCHEMA ... CASCADE has its own rule (breaking.cpp).
#include "extract.hpp"
#include "schema_oracle/pg/created_objects.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/namespace.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_index.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

// A type this transaction created: the guard's own record, never the
// pg_type row's xmin (a GRANT or ALTER TYPE earlier in the transaction
// rewrites it; created_objects.hpp).
bool type_created_in_xact(Oid typid) {
    return created_in_this_transaction(TypeRelationId, typid);
}

// One drop_cascade action for the targets, if anything else depends on them.
void add_cascade(ActionList* out, const ObjectAddress* targets, int n, const TableFacts& table,
                 Oid relid, LOCKMODE mode) {
    if (n == 0)
        return;
    int count = 0;
    char* deps = upstream::describe_cascade(targets, n, &count);
    if (count == 0)
        return;
    ActionFacts* a = new_action(out, Action::drop_cascade);
    a->table = table;
    if (OidIsValid(relid))
        fill_lock(a, relid, mode);
    StringInfoData what;
    initStringInfo(&what);
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            appendStringInfoString(&what, ", ");
        appendStringInfoString(&what, getObjectDescription(&targets[i], true));
    }
    a->cascade.object = text_of(what);
    a->cascade.dependents = copy_text(deps);
    a->cascade.count = count;
}

// The object a DropStmt item names, or false (missing: PostgreSQL reports it).
bool drop_target(DropStmt* s, Node* obj, ObjectAddress* addr, bool* fresh) {
    *fresh = false;
    switch (s->removeType) {
        case OBJECT_TABLE:
        case OBJECT_VIEW:
        case OBJECT_MATVIEW:
        case OBJECT_INDEX:
        case OBJECT_SEQUENCE:
        case OBJECT_FOREIGN_TABLE: {
            Oid relid = resolve(makeRangeVarFromNameList((List*)obj));
            if (!OidIsValid(relid))
                return false;
            ObjectAddressSet(*addr, RelationRelationId, relid);
            *fresh = new_in_xact(relid);
            return true;
        }
        case OBJECT_TYPE:
        case OBJECT_DOMAIN: {
            Oid typid = LookupTypeNameOid(nullptr, (TypeName*)obj, true);
            if (!OidIsValid(typid))
                return false;
            ObjectAddressSet(*addr, TypeRelationId, typid);
            *fresh = type_created_in_xact(typid);
            return true;
        }
        case OBJECT_FUNCTION:
        case OBJECT_PROCEDURE:
        case OBJECT_ROUTINE: {
            Oid fn = LookupFuncWithArgs(s->removeType, (ObjectWithArgs*)obj, true);
            if (!OidIsValid(fn))
                return false;
            ObjectAddressSet(*addr, ProcedureRelationId, fn);
            return true;
        }
        default:
            return false;
    }
}

}  // namespace

void extract_drop_cascade(DropStmt* s, ActionList* out) {
    if (s->behavior != DROP_CASCADE || s->removeType == OBJECT_SCHEMA)
        return;
    const int n = list_length(s->objects);
    ObjectAddress* targets = (ObjectAddress*)palloc(sizeof(ObjectAddress) * (n > 0 ? n : 1));
    int count = 0;
    bool all_fresh = true;
    ListCell* lc;
    foreach (lc, s->objects) {
        bool fresh = false;
        if (drop_target(s, (Node*)lfirst(lc), &targets[count], &fresh)) {
            ++count;
            all_fresh = all_fresh && fresh;
        }
    }
    TableFacts table;
    table.found = true;
    table.created_in_xact = count > 0 && all_fresh;
    add_cascade(out, targets, count, table, InvalidOid, NoLock);
}

void extract_drop_column_cascade(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    if (cmd->behavior != DROP_CASCADE || t.table.created_in_xact)
        return;
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col) || col.from_file)
        return;
    ObjectAddress target;
    ObjectAddressSubSet(target, RelationRelationId, t.relid, col.attnum);
    add_cascade(out, &target, 1, t.table, t.relid, t.mode);
}

void extract_drop_constraint(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    if (cmd->behavior != DROP_CASCADE || t.table.created_in_xact)
        return;
    Oid con = get_relation_constraint_oid(t.relid, cmd->name, true);
    if (!OidIsValid(con))
        return;
    ObjectAddress target;
    ObjectAddressSet(target, ConstraintRelationId, con);
    add_cascade(out, &target, 1, t.table, t.relid, t.mode);
}

namespace {

// Whether backfill() cannot move `att`'s rows: the table has no primary
// key, or the column is one of its columns.
bool primary_key_column(Oid relid, AttrNumber att) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return true;
    const Oid pk = RelationGetPrimaryKeyIndex(rel);
    RelationClose(rel);
    if (!OidIsValid(pk))
        return true;
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
    if (!HeapTupleIsValid(tup))
        return true;
    Form_pg_index index = (Form_pg_index)GETSTRUCT(tup);
    bool in_key = false;
    for (int i = 0; i < index->indnkeyatts; ++i) in_key = in_key || index->indkey.values[i] == att;
    ReleaseSysCache(tup);
    return in_key;
}

// The table columns of type `typid` (pg_depend: a column's dependency on its
// type), for RENAME VALUE's batched move (core::EnumFacts::columns).
Text enum_columns(Oid typid) {
    StringInfoData buf;
    initStringInfo(&buf);
    Relation depend = table_open(DependRelationId, AccessShareLock);
    ScanKeyData key[2];
    ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(TypeRelationId));
    ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(typid));
    SysScanDesc scan = systable_beginscan(depend, DependReferenceIndexId, true, nullptr, 2, key);
    HeapTuple tup;
    while (HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_depend d = (Form_pg_depend)GETSTRUCT(tup);
        if (d->classid != RelationRelationId || d->objsubid <= 0)
            continue;
        const char kind = get_rel_relkind(d->objid);
        if ((kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE) ||
            get_rel_relispartition(d->objid) ||
            get_atttype(d->objid, (AttrNumber)d->objsubid) != typid ||
            isOtherTempNamespace(get_rel_namespace(d->objid)))
            continue;
        char* column = get_attname(d->objid, (AttrNumber)d->objsubid, true);
        char* schema = get_namespace_name(get_rel_namespace(d->objid));
        char* table = get_rel_name(d->objid);
        if (column == nullptr || schema == nullptr || table == nullptr)
            continue;
        // NUL-terminated fields (any other byte may be in a quoted name):
        // the table, the column, and whether backfill() can move its rows
        // (it batches on a primary key, and assigns no key column).
        const char* qtable = quote_qualified_identifier(schema, table);
        appendBinaryStringInfo(&buf, qtable, static_cast<int>(strlen(qtable)) + 1);
        const char* qcolumn = quote_identifier(column);
        appendBinaryStringInfo(&buf, qcolumn, static_cast<int>(strlen(qcolumn)) + 1);
        appendBinaryStringInfo(
            &buf, primary_key_column(d->objid, (AttrNumber)d->objsubid) ? "-" : "+", 2);
    }
    systable_endscan(scan);
    table_close(depend, AccessShareLock);
    return Text(buf.data, static_cast<std::size_t>(buf.len));
}

}  // namespace

void extract_alter_enum(Node* stmt, ActionList* out) {
    AlterEnumStmt* s = (AlterEnumStmt*)stmt;
    if (s->newVal == nullptr)
        return;
    Oid typid = LookupTypeNameOid(nullptr, makeTypeNameFromNameList(s->typeName), true);
    if (!OidIsValid(typid) || get_typtype(typid) != TYPTYPE_ENUM)
        return;  // PostgreSQL reports it
    const bool rename = s->oldVal != nullptr;
    if (rename &&
        !SearchSysCacheExists2(ENUMTYPOIDNAME, ObjectIdGetDatum(typid), CStringGetDatum(s->oldVal)))
        return;  // PostgreSQL reports the missing label
    if (!rename &&
        SearchSysCacheExists2(ENUMTYPOIDNAME, ObjectIdGetDatum(typid), CStringGetDatum(s->newVal)))
        return;  // IF NOT EXISTS: a no-op (or PostgreSQL's own error)
    ActionFacts* a = new_action(out, Action::alter_enum);
    a->table.found = true;
    a->table.created_in_xact = type_created_in_xact(typid);
    a->table.qname = copy_text(format_type_be_qualified(typid));
    a->enum_value.rename = rename;
    if (rename) {
        a->enum_value.old_value = copy_text(quote_literal_cstr(s->oldVal));
        a->enum_value.columns = enum_columns(typid);
    }
    a->enum_value.new_value = copy_text(quote_literal_cstr(s->newVal));
    // Where the value goes decides how it sorts: the hint keeps it there.
    if (!rename && s->newValNeighbor != nullptr)
        a->enum_value.placement =
            copy_text(psprintf(" %s %s", s->newValIsAfter ? "AFTER" : "BEFORE",
                               quote_literal_cstr(s->newValNeighbor)));
}

}  // namespace schema_oracle::pg::extract
