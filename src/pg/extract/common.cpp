// common.cpp: what every extractor shares: the action list, text, name
// resolution, lock facts, size facts (guard_table_facts), parse analysis
// for deparsed hints, and the type facts of column definitions.
#include <new>

#include "extract.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_expr.h"
#include "parser/parse_relation.h"
#include "parser/parse_type.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

namespace extract {

Text copy_text(const char* s) {
    if (s == nullptr)
        return Text();
    const size_t n = strlen(s);
    return Text(pnstrdup(s, n), n);
}

Text quoted(const char* ident) {
    return copy_text(quote_identifier(ident));
}

Text qualified_name(Oid relid) {
    // quote_qualified_identifier always builds a new palloc'd string.
    return copy_text(quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                                get_rel_name(relid)));
}

void append_name_list(StringInfo buf, List* names) {
    ListCell* lc;
    bool first = true;
    foreach (lc, names) {
        if (!first)
            appendStringInfoString(buf, ", ");
        first = false;
        appendStringInfoString(buf, quote_identifier(strVal(lfirst(lc))));
    }
}

ActionFacts* new_action(ActionList* list, Action action) {
    if (list->count == list->capacity) {
        int cap = list->capacity ? list->capacity * 2 : 4;
        if (list->items == nullptr)
            list->items = static_cast<ActionFacts*>(palloc(sizeof(ActionFacts) * cap));
        else
            list->items =
                static_cast<ActionFacts*>(repalloc(list->items, sizeof(ActionFacts) * cap));
        list->capacity = cap;
    }
    // Value-initialised: every Text empty, sizes unknown (-1).
    ActionFacts* a = new (&list->items[list->count++]) ActionFacts();
    a->action = action;
    return a;
}

Lock to_lock(LOCKMODE mode) {
    switch (mode) {
        case AccessShareLock:
            return Lock::access_share;
        case RowShareLock:
            return Lock::row_share;
        case RowExclusiveLock:
            return Lock::row_exclusive;
        case ShareUpdateExclusiveLock:
            return Lock::share_update_exclusive;
        case ShareLock:
            return Lock::share;
        case ShareRowExclusiveLock:
            return Lock::share_row_exclusive;
        case ExclusiveLock:
            return Lock::exclusive;
        case AccessExclusiveLock:
            return Lock::access_exclusive;
        default:
            return Lock::none;
    }
}

// The strongest lock mode >= `mode` this backend holds on the relation, or NoLock.
LOCKMODE held_at_least(Oid relid, LOCKMODE mode) {
    if (guard_overlay != nullptr)
        return guard_overlay->held_at_least(relid, mode);  // check() seam
    LOCKTAG tag;
    SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
    for (LOCKMODE m = AccessExclusiveLock; m >= mode; --m)
        if (LockHeldByMe(&tag, m))
            return m;
    return NoLock;
}

void fill_lock(ActionFacts* a, Oid relid, LOCKMODE mode) {
    a->lock = to_lock(mode);
    if (OidIsValid(relid) && mode != NoLock)
        a->lock_already_held = held_at_least(relid, mode) != NoLock;
}

void add_lock_action(ActionList* out, RangeVar* rv, LOCKMODE mode) {
    Oid relid = resolve(rv);
    if (!OidIsValid(relid) || !is_table(relid))
        return;
    ActionFacts* a = new_action(out, Action::other);
    guard_table_facts(relid, &a->table);
    fill_lock(a, relid, mode);
}

Oid resolve(RangeVar* rv) {
    if (rv == nullptr)
        return InvalidOid;
    if (guard_overlay != nullptr)
        return guard_overlay->resolve(rv);  // check() seam
    return RangeVarGetRelid(rv, NoLock, true);
}

Oid resolve_quietly(RangeVar* rv) {
    if (rv == nullptr || rv->catalogname != nullptr)
        return InvalidOid;
    if (rv->schemaname == nullptr)
        return RelnameGetRelid(rv->relname);
    if (strcmp(rv->schemaname, "pg_temp") == 0)
        return InvalidOid;
    Oid nsp = get_namespace_oid(rv->schemaname, true);
    return OidIsValid(nsp) ? get_relname_relid(rv->relname, nsp) : InvalidOid;
}

// Tables proper: what ALTER TABLE's and CREATE INDEX's rules are about.
// ALTER TABLE on a view, sequence or index is an error or not a table hazard.
bool is_table(Oid relid) {
    char kind = get_rel_relkind(relid);
    return kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
}

bool is_table_or_matview(Oid relid) {
    return is_table(relid) || get_rel_relkind(relid) == RELKIND_MATVIEW;
}

bool new_in_xact(Oid relid) {
    if (!OidIsValid(relid))
        return false;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return false;
    bool created = rel->rd_createSubid != InvalidSubTransactionId ||
                   rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    RelationClose(rel);
    return created;
}

bool size_rules_apply(const TableFacts& t) {
    if (!t.found || t.created_in_xact)
        return false;
    return t.bytes < 0 || t.bytes >= settings::size_threshold_bytes();
}

// is_table() from the relation's relcache entry: both callers of
// small_existing_table() have just loaded it (new_in_xact()), while the
// table's pg_class syscache entry is usually gone at an autocommit
// statement (the previous statement's commit updated the row), and
// reloading it cost about 7,500 instructions per statement.
static bool is_table_in_relcache(Oid relid) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return false;
    const char kind = rel->rd_rel->relkind;
    RelationClose(rel);
    return kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
}

bool small_existing_table(Oid relid, TableFacts* t) {
    if (!guard_lock_timeout_set() || !OidIsValid(relid) || !is_table_in_relcache(relid))
        return false;
    // Without the activity statistics (t->untouched stays false): no
    // triage depends on them but alter_table_is_trivial's, which asks
    // table_untouched() only when it needs the answer.
    table_facts(relid, t, false);
    return t->found && !t->created_in_xact && !size_rules_apply(*t);
}

bool table_untouched(Oid relid, const TableFacts& t) {
    return t.found && !t.created_in_xact &&
           relation_untouched(relid, t.partitioned ? RELKIND_PARTITIONED_TABLE : RELKIND_RELATION,
                              t.bytes);
}

Oid fill_table(ActionFacts* a, RangeVar* rv) {
    Oid relid = resolve(rv);
    guard_table_facts(relid, &a->table);
    return relid;
}

bool lock_for_analysis(Oid relid) {
    return ConditionalLockRelationOid(relid, AccessShareLock);
}

void unlock_after_analysis(Oid relid) {
    UnlockRelationOid(relid, AccessShareLock);
}

// Parse analysis over a relation (addRangeTableEntryForRelation) requires
// the caller to hold at least AccessShareLock on it: assert-enabled builds
// check CheckRelationLockedByMe. The guard never waits for a lock, so it
// takes AccessShareLock only if it is free right now (it is not while
// another session holds or awaits ACCESS EXCLUSIVE), and releases it as soon
// as the analysis is done, so that the statement never upgrades a lock the
// guard took. An ERROR in between aborts the guard's internal
// subtransaction, which releases it too.
char* deparse_over(Node* raw, Relation rel, ParseExprKind kind) {
    const Oid relid = RelationGetRelid(rel);
    if (!lock_for_analysis(relid))
        return pstrdup("...");
    ParseState* ps = make_parsestate(nullptr);
    ParseNamespaceItem* nsi =
        addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
    addNSItemToQuery(ps, nsi, false, true, true);
    Node* e = transformExpr(ps, (Node*)copyObjectImpl(raw), kind);
    List* ctx = deparse_context_for(RelationGetRelationName(rel), RelationGetRelid(rel));
    char* s = deparse_expression(e, ctx, false, false);
    free_parsestate(ps);
    unlock_after_analysis(relid);
    return s;
}

char* deparse_over_oid(Node* raw, Oid relid, ParseExprKind kind) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return pstrdup("...");
    char* s = deparse_over(raw, rel, kind);
    RelationClose(rel);
    return s;
}

bool type_of(TypeName* tn, Oid* typid, int32* typmod) {
    Type tup = LookupTypeName(nullptr, tn, typmod, true);
    if (tup == nullptr)
        return false;
    *typid = typeTypeId(tup);
    ReleaseSysCache(tup);
    return true;
}

namespace {

bool is_catalog_name(TypeName* tn, const char** last) {
    if (tn == nullptr || tn->names == NIL || tn->arrayBounds != NIL)
        return false;
    int n = list_length(tn->names);
    *last = strVal(llast(tn->names));
    if (n == 1)
        return true;
    return n == 2 && strcmp(strVal(linitial(tn->names)), "pg_catalog") == 0;
}

}  // namespace

int serial_kind(TypeName* tn) {
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last) || tn->typmods != NIL)
        return 0;
    if (strcmp(last, "smallserial") == 0 || strcmp(last, "serial2") == 0)
        return 2;
    if (strcmp(last, "serial") == 0 || strcmp(last, "serial4") == 0)
        return 4;
    if (strcmp(last, "bigserial") == 0 || strcmp(last, "serial8") == 0)
        return 8;
    return 0;
}

bool hygiene_candidate(TypeName* tn) {
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last))
        return false;
    static const char* const names[] = {"json", "timestamp", "bpchar",  "varchar",     "int4",
                                        "int2", "serial",    "serial4", "smallserial", "serial2"};
    for (const char* n : names)
        if (strcmp(last, n) == 0)
            return true;
    return false;
}

// Decided from the raw name first, so ordinary types cost no catalog
// lookup; the type's OID and typmod then decide (core/type_hygiene.hpp, the
// same test report() applies to existing columns).
void hygiene(ActionList* out, Text table_qname, const char* column, TypeName* tn, bool is_key) {
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last))
        return;
    core::TypeHygiene type = core::TypeHygiene::none;
    int32 typmod = -1;
    bool key = false;
    const char* key_type = nullptr;
    int serial = serial_kind(tn);
    if (serial == 2 || serial == 4) {
        key = is_key;
        key_type = serial == 2 ? "smallserial" : "serial";
    } else if (strcmp(last, "json") == 0 || strcmp(last, "timestamp") == 0 ||
               strcmp(last, "bpchar") == 0 || strcmp(last, "varchar") == 0) {
        Oid typid;
        if (type_of(tn, &typid, &typmod))
            type = core::classify_column_type(typid, typmod);
    } else if (is_key && (strcmp(last, "int4") == 0 || strcmp(last, "int2") == 0)) {
        Oid t = LookupTypeNameOid(nullptr, tn, true);
        key = t == INT4OID || t == INT2OID;
        key_type = t == INT2OID ? "smallint" : "integer";
    }
    if (type == core::TypeHygiene::none && !key)
        return;
    ActionFacts* a = new_action(out, Action::column_type);
    a->table.qname = table_qname;
    a->hygiene.column = quoted(column);
    a->hygiene.type = type;
    a->hygiene.typmod = typmod;
    a->hygiene.int4_key = key;
    a->hygiene.key_type = key_type ? Text(key_type) : Text();
}

bool column_is_key_inline(ColumnDef* cd) {
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_FOREIGN)
            return true;
    }
    return false;
}

int int_key_columns(Oid relid, Text table_qname, Constraint* c, ActionList* out) {
    if (c->contype != CONSTR_PRIMARY && c->contype != CONSTR_FOREIGN)
        return 0;
    List* cols = c->contype == CONSTR_PRIMARY ? c->keys : c->fk_attrs;
    int n = 0;
    ListCell* lc;
    foreach (lc, cols) {
        const char* name = strVal(lfirst(lc));
        GuardColumn col;
        if (!guard_column(relid, name, &col))
            continue;
        Oid type = col.type;
        if (type != INT4OID && type != INT2OID)
            continue;
        ++n;
        if (out == nullptr)
            continue;
        ActionFacts* a = new_action(out, Action::column_type);
        a->table.qname = table_qname;
        a->hygiene.column = quoted(name);
        a->hygiene.int4_key = true;
        a->hygiene.key_type = type == INT2OID ? "smallint" : "integer";
    }
    return n;
}

// Adds one relation's size: max(relpages, current block count) and reltuples.
// The exact block count is read only if AccessShareLock is free right now
// (the guard never waits). When it is not (another session holds or awaits
// ACCESS EXCLUSIVE) and pg_class has no evidence of the size either (never
// vacuumed or analysed: reltuples -1, relpages 0), the size is unknown,
// never "0 bytes": *bytes_unknown is set, and an unknown size counts as big.
void add_relation_size(Oid relid, TableFacts* t, bool* tuples_unknown, bool* bytes_unknown) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        return;
    Form_pg_class cls = (Form_pg_class)GETSTRUCT(tup);
    char relkind = cls->relkind;
    BlockNumber blocks = cls->relpages > 0 ? (BlockNumber)cls->relpages : 0;
    float4 tuples = cls->reltuples;
    ReleaseSysCache(tup);
    if (!RELKIND_HAS_STORAGE(relkind))
        return;
    bool exact_read = false;
    if (ConditionalLockRelationOid(relid, AccessShareLock)) {
        Relation rel = RelationIdGetRelation(relid);
        if (rel != nullptr) {
            BlockNumber exact = RelationGetNumberOfBlocks(rel);
            if (exact > blocks)
                blocks = exact;
            exact_read = true;
            RelationClose(rel);
        }
        UnlockRelationOid(relid, AccessShareLock);
    }
    if (!exact_read && blocks == 0 && tuples < 0)
        *bytes_unknown = true;
    if (t->bytes < 0)
        t->bytes = 0;
    t->bytes += (int64)blocks * BLCKSZ;
    if (tuples < 0) {
        *tuples_unknown = true;
        // A table with no blocks at all is empty even if never analyzed.
        if (blocks == 0 && t->tuples < 0)
            t->tuples = -1;
    } else {
        if (t->tuples < 0)
            t->tuples = 0;
        t->tuples += tuples;
    }
}

void sum_tree_sizes(Oid relid, bool descendants, TableFacts* t) {
    t->bytes = -1;
    t->tuples = -1;
    bool tuples_unknown = false, bytes_unknown = false;
    if (descendants) {
        List* all = find_all_inheritors(relid, NoLock, nullptr);
        ListCell* lc;
        foreach (lc, all) add_relation_size(lfirst_oid(lc), t, &tuples_unknown, &bytes_unknown);
        if (t->bytes < 0)
            t->bytes = 0;
        if (t->tuples < 0 && !tuples_unknown)
            t->tuples = 0;
    } else {
        add_relation_size(relid, t, &tuples_unknown, &bytes_unknown);
    }
    if (tuples_unknown && t->tuples >= 0 && t->bytes > 0)
        t->tuples = -1;
    if (t->bytes < 0)
        t->bytes = 0;  // no storage (view, foreign table): nothing to scan
    if (bytes_unknown)
        t->bytes = -1;
}

bool has_inheritance_children(Oid relid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        return false;
    Form_pg_class cls = (Form_pg_class)GETSTRUCT(tup);
    const bool children = cls->relhassubclass && cls->relkind == RELKIND_RELATION;
    ReleaseSysCache(tup);
    return children && find_inheritance_children(relid, NoLock) != NIL;
}

}  // namespace extract

// Walks pg_inherits upwards (partitions and plain inheritance children
// alike): a rewrite of a descendant of a table whose rewrite a rule judged
// is part of that statement's judged rewrite.
bool guard_descends_from_any(Oid relid, const Oid* ancestors, int count) {
    if (count == 0)
        return false;
    List* todo = list_make1_oid(relid);
    Relation inh = table_open(InheritsRelationId, AccessShareLock);
    bool found = false;
    for (int i = 0; i < list_length(todo) && !found && i < 10000; ++i) {
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_inherits_inhrelid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(list_nth_oid(todo, i)));
        SysScanDesc scan =
            systable_beginscan(inh, InheritsRelidSeqnoIndexId, true, nullptr, 1, &key);
        HeapTuple tup;
        while (!found && HeapTupleIsValid(tup = systable_getnext(scan))) {
            Oid parent = ((Form_pg_inherits)GETSTRUCT(tup))->inhparent;
            for (int k = 0; k < count; ++k)
                if (ancestors[k] == parent)
                    found = true;
            todo = list_append_unique_oid(todo, parent);
        }
        systable_endscan(scan);
    }
    table_close(inh, AccessShareLock);
    return found;
}

// check() seam (pg/guard.hpp): nullptr for the live guard.
const GuardOverlay* guard_overlay = nullptr;

bool guard_lock_timeout_set() {
    return guard_overlay != nullptr ? guard_overlay->lock_timeout_set : LockTimeout > 0;
}

bool guard_column(Oid relid, const char* name, GuardColumn* out) {
    memset(out, 0, sizeof *out);
    if (guard_overlay != nullptr) {  // check() seam: the file's own columns first
        int known = guard_overlay->column(relid, name, out);
        if (known >= 0)
            return known == 1;
    }
    HeapTuple tup = SearchSysCacheAttName(relid, name);
    if (!HeapTupleIsValid(tup))
        return false;
    Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(tup);
    out->type = att->atttypid;
    out->typmod = att->atttypmod;
    out->collation = att->attcollation;
    out->attnum = att->attnum;
    out->not_null = att->attnotnull;
    ReleaseSysCache(tup);
    return true;
}

namespace extract {

void table_facts(Oid relid, core::TableFacts* t, bool with_activity) {
    new (t) core::TableFacts();
    if (!OidIsValid(relid))
        return;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return;
    t->found = true;
    t->oid = relid;
    // Temporary tables are invisible to other sessions: nothing we judge can
    // block anyone, so they are exempt like tables created in this transaction.
    t->created_in_xact = rel->rd_createSubid != InvalidSubTransactionId ||
                         rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    t->partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
    char relkind = rel->rd_rel->relkind;
    char* nsp = get_namespace_name(rel->rd_rel->relnamespace);
    // Copies: the relcache entry's name goes away with the entry.
    t->qname = extract::copy_text(quote_qualified_identifier(nsp, RelationGetRelationName(rel)));
    t->name = extract::quoted(RelationGetRelationName(rel));
    t->schema = extract::quoted(nsp);
    t->raw_name = extract::copy_text(RelationGetRelationName(rel));
    RelationClose(rel);
    if (t->created_in_xact)
        return;  // no rule needs its size
    extract::sum_tree_sizes(relid, relkind == RELKIND_PARTITIONED_TABLE, t);
    if (with_activity)
        t->untouched = extract::relation_untouched(relid, relkind, t->bytes);  // activity.cpp
}

}  // namespace extract

namespace extract {

bool has_primary_key(Oid relid) {
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return false;
    const bool has = OidIsValid(RelationGetPrimaryKeyIndex(rel));
    RelationClose(rel);
    return has;
}

}  // namespace extract

void guard_table_facts(Oid relid, core::TableFacts* t) {
    extract::table_facts(relid, t, true);
}

}  // namespace schema_oracle::pg
