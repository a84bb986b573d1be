// index_rebuilds.cpp: ALTER COLUMN ... TYPE that does not rewrite the table
// but still rebuilds indexes over the column under ACCESS EXCLUSIVE
// (varchar -> text with an expression or partial index; any collation
// change). Which indexes is PostgreSQL's decision, mirrored in
// src/upstream/alter_type_indexes.cpp; here the facts for the hint: their
// names, sizes and definitions (pg_get_indexdef, made CONCURRENTLY).
#include "extract.hpp"
#include "schema_oracle/upstream/alter_type_indexes.hpp"

extern "C" {
#include "catalog/index.h"
#include "catalog/pg_constraint.h"
#include "parser/parse_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
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

}  // namespace schema_oracle::pg::extract
