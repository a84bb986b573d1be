// create_table.cpp: CREATE TABLE. The new table has no rows and nobody uses
// it yet, so only the type-hygiene rules apply to its columns, and lock
// discipline to the tables its foreign keys reference (locked SHARE ROW
// EXCLUSIVE while it is created).
#include "extract.hpp"
#include "schema_oracle/upstream/refusals.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

bool name_in(List* names, const char* name) {
    ListCell* lc;
    foreach (lc, names)
        if (strcmp(strVal(lfirst(lc)), name) == 0)
            return true;
    return false;
}

bool has_foreign_key(CreateStmt* s) {
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, Constraint) && ((Constraint*)n)->contype == CONSTR_FOREIGN)
            return true;
        if (IsA(n, ColumnDef)) {
            ListCell* cc;
            foreach (cc, ((ColumnDef*)n)->constraints)
                if (((Constraint*)lfirst(cc))->contype == CONSTR_FOREIGN)
                    return true;
        }
    }
    return false;
}

}  // namespace

void extract_create_table(Node* stmt, ActionList* out) {
    CreateStmt* s = (CreateStmt*)stmt;
    // What PostgreSQL refuses (a name taken, a bound that overlaps, a
    // foreign key it cannot add) is left to PostgreSQL.
    if (upstream::create_table_refused(s))
        return;
    // The schema the table will be created in, as PostgreSQL will choose it
    // (temporary tables: pg_temp, whose real name varies per session).
    const char* schema = s->relation->schemaname;
    if (s->relation->relpersistence == RELPERSISTENCE_TEMP)
        schema = "pg_temp";
    else if (schema == nullptr)
        schema = get_namespace_name(RangeVarGetCreationNamespace(s->relation));
    const Text qname = copy_text(quote_qualified_identifier(schema, s->relation->relname));
    List* keys = NIL;
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, Constraint)) {
            Constraint* c = (Constraint*)n;
            if (c->contype == CONSTR_PRIMARY)
                keys = list_concat(keys, c->keys);
            if (c->contype == CONSTR_FOREIGN)
                keys = list_concat(keys, c->fk_attrs);
        }
    }
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (!IsA(n, ColumnDef))
            continue;
        ColumnDef* cd = (ColumnDef*)n;
        hygiene(out, qname, cd->colname, cd->typeName,
                column_is_key_inline(cd) || name_in(keys, cd->colname));
    }
    // CREATE TABLE ... PARTITION OF scans the parent's DEFAULT partition
    // for rows of the new bound, under ACCESS EXCLUSIVE.
    if (s->partbound != nullptr && list_length(s->inhRelations) == 1)
        add_default_partition_scan(out, resolve((RangeVar*)linitial(s->inhRelations)), s->partbound,
                                   InvalidOid, qname);
    // PARTITION OF locks the parent ACCESS EXCLUSIVE until the end of the
    // transaction (tablecmds.c DefineRelation: its partition descriptor
    // changes; reads wait too): lock discipline applies to it as to any DDL
    // on an existing table in use — missing_lock_timeout, and later
    // statements of the transaction are statement_after_access_exclusive.
    if (s->partbound != nullptr)
        foreach (lc, s->inhRelations)
            add_lock_action(out, (RangeVar*)lfirst(lc), AccessExclusiveLock);
    // A foreign key locks the referenced table SHARE ROW EXCLUSIVE (writes
    // wait) while the new table is created: lock discipline applies to it.
    if (!guard_lock_timeout_set()) {
        foreach (lc, s->tableElts) {
            Node* n = (Node*)lfirst(lc);
            List* constraints = IsA(n, ColumnDef)    ? ((ColumnDef*)n)->constraints
                                : IsA(n, Constraint) ? list_make1(n)
                                                     : NIL;
            ListCell* cc;
            foreach (cc, constraints) {
                Constraint* c = (Constraint*)lfirst(cc);
                if (c->contype != CONSTR_FOREIGN)
                    continue;
                add_lock_action(out, c->pktable, ShareRowExclusiveLock);
            }
        }
    }
}

bool create_table_is_trivial(Node* stmt, TriageNote*) {
    CreateStmt* s = (CreateStmt*)stmt;
    if (s->partbound != nullptr)
        return false;  // ACCESS EXCLUSIVE on the parent
    if (LockTimeout == 0 && has_foreign_key(s))
        return false;
    if (s->partbound != nullptr && list_length(s->inhRelations) == 1 &&
        OidIsValid(default_partition_scanned(resolve_quietly((RangeVar*)linitial(s->inhRelations)),
                                             s->partbound, InvalidOid)))
        return false;
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, ColumnDef) && hygiene_candidate(((ColumnDef*)n)->typeName))
            return false;
    }
    return true;
}

}  // namespace schema_oracle::pg::extract
