// sequences.cpp: ALTER SEQUENCE ... RESTART [WITH n] (sql/guard_breaking.sql).
//
// RESTART sets the sequence so that the next nextval() returns n (the
// START value without WITH), is_called false (sequence.c init_params).
// On an ascending sequence that already issued values up to last_value, a
// restart at n <= last_value hands out again values the column it serves
// (serial, identity, OWNED BY, or a DEFAULT nextval()) may already hold: inserts then fail on the
// duplicate key, or duplicate silently without one. The guard judges from
// the sequence's own state: its parameters (pg_sequence) and its last
// value, read from the sequence's page as pg_sequence_last_value() reads
// it, under an ACCESS SHARE lock taken only if it is free right now: a
// sequence another session holds locked is not waited for; the statement is
// judged again once its own lock on the sequence is granted (then the
// value can be read). It
// never scans the owning table; an empty table (not one block) has no row
// to collide with and is silent. A RESTART PostgreSQL refuses (outside
// MINVALUE..MAXVALUE, not the owner) is left to PostgreSQL.
#include "extract.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/genam.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/xlog.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_sequence.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

struct SequenceState {
    int64 start, increment, min, max;
};

bool sequence_state(Oid seq, SequenceState* out) {
    HeapTuple tup = SearchSysCache1(SEQRELID, ObjectIdGetDatum(seq));
    if (!HeapTupleIsValid(tup))
        return false;
    const Form_pg_sequence f = (Form_pg_sequence)GETSTRUCT(tup);
    *out = {f->seqstart, f->seqincrement, f->seqmin, f->seqmax};
    ReleaseSysCache(tup);
    return true;
}

// A column whose DEFAULT draws from the sequence without owning it
// (DEFAULT nextval('s') and no OWNED BY): the default's pg_depend row on
// the sequence (recordDependencyOnExpr, a normal dependency). The first
// such column; false if none.
bool default_using(Oid seq, Oid* table, int32* column) {
    Relation dep = table_open(DependRelationId, AccessShareLock);
    ScanKeyData key[2];
    ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(RelationRelationId));
    ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(seq));
    SysScanDesc scan = systable_beginscan(dep, DependReferenceIndexId, true, nullptr, 2, key);
    bool found = false;
    HeapTuple tup;
    while (!found && HeapTupleIsValid(tup = systable_getnext(scan))) {
        const Form_pg_depend d = (Form_pg_depend)GETSTRUCT(tup);
        if (d->classid != AttrDefaultRelationId || d->deptype != DEPENDENCY_NORMAL)
            continue;
        const ObjectAddress col = GetAttrDefaultColumnAddress(d->objid);
        if (OidIsValid(col.objectId)) {
            *table = col.objectId;
            *column = col.objectSubId;
            found = true;
        }
    }
    systable_endscan(scan);
    table_close(dep, AccessShareLock);
    return found;
}

// The last value issued, without waiting; false when never called, or
// unreadable now. `statement_lock`: the lock the statement takes on the
// sequence after its named relations (guard_note_fact_locked).
bool issued_up_to(Oid seq, int64* last, LOCKMODE statement_lock) {
    if (!ConditionalLockRelationOid(seq, AccessShareLock)) {
        // Judged again under the statement's own lock on it.
        guard_note_fact_locked(seq, statement_lock);
        return false;
    }
    Relation rel = try_relation_open(seq, NoLock);
    if (rel == nullptr) {
        UnlockRelationOid(seq, AccessShareLock);
        return false;
    }
    bool called = false;
    if (rel->rd_rel->relkind == RELKIND_SEQUENCE &&
        !(rel->rd_rel->relpersistence == RELPERSISTENCE_UNLOGGED && RecoveryInProgress()))
        called = upstream::sequence_last_value(rel, last);
    relation_close(rel, AccessShareLock);
    return called;
}

// The restart a list of sequence options asks for, judged (both forms):
// the action added, or nullptr.
// `later_lock`: the lock the statement takes on the sequence after the
// relations it names (NoLock: the sequence is one of them).
ActionFacts* add_sequence_restart(Oid seq, List* options, LOCKMODE later_lock, ActionList* out) {
    DefElem* restart = nullptr;
    DefElem* start = nullptr;
    DefElem* increment = nullptr;
    DefElem* minvalue = nullptr;
    DefElem* maxvalue = nullptr;
    ListCell* lc;
    foreach (lc, options) {
        DefElem* d = (DefElem*)lfirst(lc);
        if (strcmp(d->defname, "restart") == 0)
            restart = d;
        else if (strcmp(d->defname, "start") == 0)
            start = d;
        else if (strcmp(d->defname, "increment") == 0)
            increment = d;
        else if (strcmp(d->defname, "minvalue") == 0)
            minvalue = d;
        else if (strcmp(d->defname, "maxvalue") == 0)
            maxvalue = d;
    }
    if (restart == nullptr)
        return nullptr;
    if (!OidIsValid(seq) || get_rel_relkind(seq) != RELKIND_SEQUENCE || new_in_xact(seq) ||
        !pg_class_ownercheck(seq, GetUserId()))
        return nullptr;  // missing, not a sequence, new, or PostgreSQL refuses it
    Oid table = InvalidOid;
    int32 column = 0;
    if (!sequenceIsOwned(seq, DEPENDENCY_AUTO, &table, &column) &&
        !sequenceIsOwned(seq, DEPENDENCY_INTERNAL, &table, &column) &&
        !default_using(seq, &table, &column))
        return nullptr;  // no column draws its values from it
    SequenceState st;
    if (!sequence_state(seq, &st))
        return nullptr;
    // The parameters as the statement leaves them (defGetInt64 as
    // init_params reads them; NO MINVALUE / NO MAXVALUE: the type's bound,
    // which only widens the range, so the old bound is kept).
    if (increment != nullptr && increment->arg != nullptr)
        st.increment = defGetInt64(increment);
    if (start != nullptr && start->arg != nullptr)
        st.start = defGetInt64(start);
    if (minvalue != nullptr && minvalue->arg != nullptr)
        st.min = defGetInt64(minvalue);
    if (maxvalue != nullptr && maxvalue->arg != nullptr)
        st.max = defGetInt64(maxvalue);
    const int64 next = restart->arg != nullptr ? defGetInt64(restart) : st.start;
    if (st.increment == 0 || next < st.min || next > st.max)
        return nullptr;  // PostgreSQL refuses it
    int64 last = 0;
    if (!issued_up_to(seq, &last, later_lock))
        return nullptr;
    const bool ascending = st.increment > 0;
    if (ascending ? next > last : next < last)
        return nullptr;  // forward of everything issued: no value comes round again
    char* colname = get_attname(table, (AttrNumber)column, true);
    if (colname == nullptr)
        return nullptr;
    ActionFacts* a = new_action(out, Action::restart_sequence);
    guard_table_facts(table, &a->table);
    core::SequenceRestartFacts& f = a->sequence_restart;
    f.sequence = qualified_name(seq);
    f.sequence_literal =
        copy_text(quote_literal_cstr(pnstrdup(f.sequence.data(), f.sequence.size())));
    f.column = {quoted(colname), copy_text(colname)};
    f.restart = next;
    f.last_value = last;
    f.ascending = ascending;
    return a;
}

}  // namespace

void extract_alter_sequence(Node* stmt, ActionList* out) {
    AlterSeqStmt* s = (AlterSeqStmt*)stmt;
    (void)add_sequence_restart(resolve(s->sequence), s->options, NoLock, out);
}

// ALTER TABLE ... ALTER COLUMN ... RESTART [WITH n] (AT_SetIdentity): the
// same restart, of the identity column's own sequence. PostgreSQL runs it
// as an ALTER SEQUENCE (transformAlterTableStmt's before-statement, run by
// ATParseTransformCmd), which takes SHARE ROW EXCLUSIVE on the sequence
// after the table's lock: when another session holds the sequence, the
// guard takes that lock too after the table's, as the statement would,
// and judges again.
void extract_set_identity(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    if (cmd->name == nullptr || cmd->def == nullptr || !IsA(cmd->def, List))
        return;
    const AttrNumber attnum = get_attnum(t.relid, cmd->name);
    if (attnum == InvalidAttrNumber)
        return;
    ActionFacts* a = add_sequence_restart(getIdentitySequence(t.relid, attnum, true),
                                          (List*)cmd->def, ShareRowExclusiveLock, out);
    if (a != nullptr)
        fill_lock(a, t.relid, t.mode);  // the ALTER TABLE's own lock on the table
}

}  // namespace schema_oracle::pg::extract
