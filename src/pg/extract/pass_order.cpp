// pass_order.cpp: an ALTER TABLE's DROP COLUMN / DROP CONSTRAINT
// sub-commands run before all the others, whatever the order written
// (PostgreSQL 15 tablecmds.c ATPrepCmd: AT_PASS_DROP). So
//   ALTER TABLE t DROP CONSTRAINT t_pkey, ADD PRIMARY KEY (a, b)
//   ALTER TABLE t DROP COLUMN c, ADD COLUMN c uuid DEFAULT gen_random_uuid()
// run, and the second sub-command's hint (build the index concurrently,
// then attach it; add the column without the default) fails when pasted on
// its own: the old key is still there ("multiple primary keys"), the name
// is still taken ("already exists"). The hint's first ALTER TABLE carries
// the drops that matter (core/guard_columns.cpp, guard_constraints.cpp);
// this file says which they are, and which names they free for the names
// PostgreSQL chooses after them.
#include "extract.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_constraint.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

namespace {

// One constraint of the table: what a drop of it, or of a column in it, frees.
struct TableConstraint {
    char* name;
    char* index;  // its index's name (PRIMARY KEY / UNIQUE / EXCLUDE), else nullptr
    bool primary;
    bool dropped;  // by a DROP CONSTRAINT, or a DROP COLUMN of one of its columns
};

bool has_column(ArrayType* conkey, AttrNumber attnum) {
    const int16* keys = (const int16*)ARR_DATA_PTR(conkey);
    for (int i = 0; i < ARR_DIMS(conkey)[0]; ++i)
        if (keys[i] == attnum)
            return true;
    return false;
}

// Every constraint of the table, each marked dropped or not by the drops;
// `via` (if given) gets, per constraint, the drop sub-command that drops it.
List* table_constraints(const AlterTarget& t, List** via) {
    List* out = NIL;
    Relation rel = table_open(ConstraintRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_constraint_conrelid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(t.relid));
    SysScanDesc scan =
        systable_beginscan(rel, ConstraintRelidTypidNameIndexId, true, nullptr, 1, &key);
    HeapTuple tup;
    while (HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_constraint c = (Form_pg_constraint)GETSTRUCT(tup);
        TableConstraint* k = (TableConstraint*)palloc0(sizeof(TableConstraint));
        k->name = pstrdup(NameStr(c->conname));
        k->primary = c->contype == CONSTRAINT_PRIMARY;
        if (OidIsValid(c->conindid) && c->contype != CONSTRAINT_FOREIGN)
            k->index = get_rel_name(c->conindid);
        bool isnull = true;
        Datum conkey = heap_getattr(tup, Anum_pg_constraint_conkey, RelationGetDescr(rel), &isnull);
        ArrayType* keys = isnull ? nullptr : DatumGetArrayTypePCopy(conkey);
        AlterTableCmd* by = nullptr;
        ListCell* lc;
        foreach (lc, t.drops) {
            AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
            if (cmd->name == nullptr || by != nullptr)
                continue;
            if (cmd->subtype == AT_DropConstraint && strcmp(cmd->name, k->name) == 0)
                by = cmd;
            // A dropped column takes every index and constraint over it along.
            if (cmd->subtype == AT_DropColumn && keys != nullptr) {
                const AttrNumber attnum = get_attnum(t.relid, cmd->name);
                if (attnum != InvalidAttrNumber && has_column(keys, attnum))
                    by = cmd;
            }
        }
        k->dropped = by != nullptr;
        out = lappend(out, k);
        if (via != nullptr)
            *via = lappend(*via, by);
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
    return out;
}

// One drop sub-command as the hint writes it; the drops a hint needs are
// kept apart by a NUL (core/guard.cpp first_alter_table joins them), so the
// core can carry each in the first hint that is printed and leave it out of
// the later ones (ActionFacts::same_statement_drops).
void append_drop(StringInfo buf, AlterTableCmd* cmd) {
    if (buf->len > 0)
        appendStringInfoChar(buf, '\0');
    appendStringInfo(buf, "DROP %s %s%s%s", cmd->subtype == AT_DropColumn ? "COLUMN" : "CONSTRAINT",
                     cmd->missing_ok ? "IF EXISTS " : "", quote_identifier(cmd->name),
                     cmd->behavior == DROP_CASCADE ? " CASCADE" : "");
}

}  // namespace

Text drops_before(const AlterTarget& t, const char* column, const char* constraint,
                  bool primary_key) {
    if (t.drops == NIL)
        return Text();
    List* via = NIL;
    List* constraints = table_constraints(t, &via);
    // Which drop sub-commands the hint needs, in the order written.
    List* needed = NIL;
    ListCell* lc;
    foreach (lc, t.drops) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        if (cmd->name == nullptr)
            continue;
        bool needs =
            cmd->subtype == AT_DropColumn && column != nullptr && strcmp(cmd->name, column) == 0;
        if (cmd->subtype == AT_DropConstraint && constraint != nullptr &&
            strcmp(cmd->name, constraint) == 0)
            needs = true;
        ListCell* kc;
        ListCell* vc;
        forboth(kc, constraints, vc, via) {
            TableConstraint* k = (TableConstraint*)lfirst(kc);
            if (lfirst(vc) != cmd)
                continue;
            // It drops the primary key the hint adds again, or frees the name.
            if ((primary_key && k->primary) ||
                (constraint != nullptr &&
                 (strcmp(k->name, constraint) == 0 ||
                  (k->index != nullptr && strcmp(k->index, constraint) == 0))))
                needs = true;
        }
        if (needs)
            needed = lappend(needed, cmd);
    }
    if (needed == NIL)
        return Text();
    StringInfoData buf;
    initStringInfo(&buf);
    foreach (lc, needed) append_drop(&buf, (AlterTableCmd*)lfirst(lc));
    return text_of(buf);
}

void note_constraint_name(const AlterTarget& t, const char* name) {
    if (name != nullptr)
        *t.named = lappend(*t.named, (void*)pstrdup(name));
}

List* names_freed_by_drops(const AlterTarget& t) {
    if (t.drops == NIL)
        return NIL;
    List* freed = NIL;
    ListCell* lc;
    foreach (lc, table_constraints(t, nullptr)) {
        TableConstraint* k = (TableConstraint*)lfirst(lc);
        if (!k->dropped)
            continue;
        freed = lappend(freed, k->name);
        if (k->index != nullptr)
            freed = lappend(freed, k->index);
    }
    return freed;
}

}  // namespace schema_oracle::pg::extract
