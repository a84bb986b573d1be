// index_rebuilds.cpp: what ALTER COLUMN ... TYPE does beyond the table's own
// rewrite. Indexes over the column rebuilt even when the table is not
// rewritten, under ACCESS EXCLUSIVE
// (varchar -> text with an expression or partial index; any collation
// change). Which indexes is PostgreSQL's decision, mirrored in
// src/upstream/alter_type_indexes.cpp; here the facts for the hint: their
// names, sizes and definitions (pg_get_indexdef, made CONCURRENTLY). And
// the foreign keys of other tables that reference the column and are
// validated again over the whole referencing table, locked ACCESS
// EXCLUSIVE (src/upstream/fk_revalidation.cpp).
#include "extract.hpp"
#include "schema_oracle/upstream/alter_type_indexes.hpp"
#include "schema_oracle/upstream/fk_revalidation.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "catalog/index.h"
#include "catalog/pg_constraint.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

// "CREATE [UNIQUE] INDEX name ON ..." -> "CREATE [UNIQUE] INDEX CONCURRENTLY name ON ...".
void append_concurrently(StringInfo buf, const char* def) {
    const char* at = strstr(def, "INDEX ");
    if (at == nullptr) {
        appendStringInfoString(buf, def);
        return;
    }
    appendBinaryStringInfo(buf, def, (int)(at - def) + 6);
    appendStringInfoString(buf, "CONCURRENTLY ");
    appendStringInfoString(buf, at + 6);
}

}  // namespace

void add_index_rebuilds(const AlterTarget& t, AlterTableCmd* cmd, Oid oldtype, Oid oldcoll,
                        Oid newtype, int32 newtypmod, ActionList* out) {
    ColumnDef* def = (ColumnDef*)cmd->def;
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col) || col.from_file)
        return;
    // The column's new collation: the COLLATE clause, else the new type's
    // default (ATPrepAlterColumnType, PostgreSQL 15).
    const Oid newcoll = GetColumnDefCollation(nullptr, def, newtype);
    List* rebuilt = upstream::indexes_rebuilt_by_type_change(t.relid, col.attnum, oldtype, oldcoll,
                                                             newtype, newcoll);
    if (rebuilt == NIL)
        return;
    ActionFacts* a = new_action(out, Action::rebuild_indexes);
    a->table = t.table;
    fill_lock(a, t.relid, t.mode);
    core::IndexRebuildFacts& r = a->rebuild;
    r.column = {quoted(cmd->name), copy_text(cmd->name)};
    r.type = copy_text(format_type_with_typemod(newtype, newtypmod));
    if (def->collClause != nullptr && OidIsValid(newcoll))
        r.collation = copy_text(generate_collation_name(newcoll));
    StringInfoData names, drops, creates;
    initStringInfo(&names);
    initStringInfo(&drops);
    initStringInfo(&creates);
    int64 bytes = 0;
    bool unknown = false;
    ListCell* lc;
    foreach (lc, rebuilt) {
        const Oid idx = lfirst_oid(lc);
        const Text name = qualified_name(idx);
        if (r.count++ > 0)
            appendStringInfoString(&names, ", ");
        appendBinaryStringInfo(&names, name.data(), (int)name.size());
        TableFacts f;
        guard_table_facts(idx, &f);
        if (f.bytes < 0)
            unknown = true;
        else
            bytes += f.bytes;
        if (OidIsValid(get_index_constraint(idx))) {
            ++r.constraint_indexes;  // dropped only with its constraint
            continue;
        }
        appendStringInfo(&drops, "DROP INDEX CONCURRENTLY %.*s;\n", (int)name.size(), name.data());
        if (creates.len > 0)
            appendStringInfoChar(&creates, '\n');
        append_concurrently(&creates, pg_get_indexdef_string(idx));
        appendStringInfoChar(&creates, ';');
    }
    r.index_bytes = unknown ? -1 : bytes;
    r.names = text_of(names);
    r.drop_sql = text_of(drops);
    r.create_sql = text_of(creates);
}

bool referenced_by_foreign_key(Oid relid) {
    Relation conrel = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_confrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(relid));
    SysScanDesc scan = systable_beginscan(conrel, InvalidOid, false, nullptr, 1, &key);
    bool found = false;
    HeapTuple tup;
    while (!found && HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_constraint con = (Form_pg_constraint)GETSTRUCT(tup);
        found = con->contype == CONSTRAINT_FOREIGN && con->conrelid != relid;
    }
    systable_endscan(scan);
    table_close(conrel, AccessShareLock);
    return found;
}

void add_fk_revalidations(const AlterTarget& t, AlterTableCmd* cmd, Oid oldtype, Oid newtype,
                          int32 newtypmod, ActionList* out) {
    GuardColumn col;
    if (!guard_column(t.relid, cmd->name, &col) || col.from_file)
        return;
    List* fks =
        upstream::foreign_keys_revalidated_by_type_change(t.relid, col.attnum, oldtype, newtype);
    ListCell* lc;
    foreach (lc, fks) {
        const Oid conoid = lfirst_oid(lc);
        HeapTuple ct = SearchSysCache1(CONSTROID, ObjectIdGetDatum(conoid));
        if (!HeapTupleIsValid(ct))
            continue;
        const Oid child = ((Form_pg_constraint)GETSTRUCT(ct))->conrelid;
        ReleaseSysCache(ct);
        ActionFacts* a = new_action(out, Action::revalidate_foreign_key);
        guard_table_facts(child, &a->table);
        fill_lock(a, child, AccessExclusiveLock);
        a->constraint.kind = core::ConstraintKind::foreign_key;
        a->constraint.name = quoted(get_constraint_name(conoid));
        a->constraint.referenced_table = t.table.qname;
        // Deparsed with only pg_catalog on the search path, so that the
        // referenced table is schema-qualified in the pasted hint.
        const int nest = NewGUCNestLevel();
        (void)set_config_option("search_path", "pg_catalog", PGC_USERSET, PGC_S_SESSION,
                                GUC_ACTION_SAVE, true, 0, false);
        a->constraint.definition = copy_text(TextDatumGetCString(
            DirectFunctionCall1(pg_get_constraintdef, ObjectIdGetDatum(conoid))));
        AtEOXact_GUC(false, nest);
        a->alter_type.column = {quoted(cmd->name), copy_text(cmd->name)};
        a->alter_type.type = copy_text(format_type_with_typemod(newtype, newtypmod));
    }
}

}  // namespace schema_oracle::pg::extract
