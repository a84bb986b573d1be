// guard_facts.cpp: facts for the guard's rules, from the raw parse tree at
// ddl_command_start (or in the ProcessUtility hook) plus the live catalog.
//
// C-style on purpose: PostgreSQL calls here may ereport, so no C++ object
// with a destructor is ever alive in these frames. Output is POD
// (core::ActionFacts) in palloc'd memory. guard.cpp runs guard_extract
// inside an internal subtransaction, so an ERROR here is survivable.
//
// Nothing here takes a lock that can wait: names are resolved with NoLock,
// relations are read through the relcache, and the exact block count and
// parse analysis over a relation (which PostgreSQL requires a lock for) are
// done only under ConditionalLockRelationOid, released at once.
#include "schema_oracle/core/facts.hpp"
#include "schema_oracle/pg/guard.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "commands/tablecmds.h"
#include "commands/tablespace.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "parser/parse_type.h"
#include "parser/parse_utilcmd.h"
#include "partitioning/partbounds.h"
#include "storage/bufmgr.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/ruleutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

namespace schema_oracle::pg {

using core::Action;
using core::ActionFacts;
using core::Lock;
using core::TableFacts;

namespace {

void set_text(char* dst, size_t cap, const char* src) { strlcpy(dst, src ? src : "", cap); }

template <size_t N>
void set(char (&dst)[N], const char* src) {
    set_text(dst, N, src);
}

template <size_t N>
void append(char (&dst)[N], const char* src) {
    strlcat(dst, src ? src : "", N);
}

ActionFacts* new_action(ActionList* list, Action action) {
    return guard_new_action(list, action);
}

}  // namespace

// check() seam (pg/guard.hpp): nullptr for the live guard.
const GuardOverlay* guard_overlay = nullptr;

ActionFacts* guard_new_action(ActionList* list, Action action) {
    if (list->count == list->capacity) {
        int cap = list->capacity ? list->capacity * 2 : 4;
        if (list->items == nullptr)
            list->items = static_cast<ActionFacts*>(palloc(sizeof(ActionFacts) * cap));
        else
            list->items =
                static_cast<ActionFacts*>(repalloc(list->items, sizeof(ActionFacts) * cap));
        list->capacity = cap;
    }
    ActionFacts* a = &list->items[list->count++];
    memset(a, 0, sizeof *a);
    a->action = action;
    a->table.bytes = -1;
    a->table.tuples = -1;
    return a;
}

namespace {

Lock to_lock(LOCKMODE mode) {
    switch (mode) {
        case AccessShareLock: return Lock::access_share;
        case RowShareLock: return Lock::row_share;
        case RowExclusiveLock: return Lock::row_exclusive;
        case ShareUpdateExclusiveLock: return Lock::share_update_exclusive;
        case ShareLock: return Lock::share;
        case ShareRowExclusiveLock: return Lock::share_row_exclusive;
        case ExclusiveLock: return Lock::exclusive;
        case AccessExclusiveLock: return Lock::access_exclusive;
        default: return Lock::none;
    }
}

// The strongest lock mode >= `mode` this backend holds on the relation, or NoLock.
LOCKMODE held_at_least(Oid relid, LOCKMODE mode) {
    if (guard_overlay != nullptr) return guard_overlay->held_at_least(relid, mode);  // check() seam
    LOCKTAG tag;
    SET_LOCKTAG_RELATION(tag, MyDatabaseId, relid);
    for (LOCKMODE m = AccessExclusiveLock; m >= mode; --m)
        if (LockHeldByMe(&tag, m)) return m;
    return NoLock;
}

// Adds one relation's size: max(relpages, current block count) and reltuples.
void add_relation_size(Oid relid, TableFacts* t, bool* tuples_unknown) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup)) return;
    Form_pg_class cls = (Form_pg_class)GETSTRUCT(tup);
    char relkind = cls->relkind;
    BlockNumber blocks = cls->relpages > 0 ? (BlockNumber)cls->relpages : 0;
    float4 tuples = cls->reltuples;
    ReleaseSysCache(tup);
    if (!RELKIND_HAS_STORAGE(relkind)) return;
    // The exact count only if the lock is free right now; never wait.
    if (ConditionalLockRelationOid(relid, AccessShareLock)) {
        Relation rel = RelationIdGetRelation(relid);
        if (rel != nullptr) {
            BlockNumber exact = RelationGetNumberOfBlocks(rel);
            if (exact > blocks) blocks = exact;
            RelationClose(rel);
        }
        UnlockRelationOid(relid, AccessShareLock);
    }
    if (t->bytes < 0) t->bytes = 0;
    t->bytes += (int64)blocks * BLCKSZ;
    if (tuples < 0) {
        *tuples_unknown = true;
        // A table with no blocks at all is empty even if never analyzed.
        if (blocks == 0 && t->tuples < 0) t->tuples = -1;
    } else {
        if (t->tuples < 0) t->tuples = 0;
        t->tuples += tuples;
    }
}

}  // namespace

void guard_table_facts(Oid relid, TableFacts* t) {
    memset(t, 0, sizeof *t);
    t->bytes = -1;
    t->tuples = -1;
    if (!OidIsValid(relid)) return;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr) return;
    t->found = true;
    t->oid = relid;
    // Temporary tables are invisible to other sessions: nothing we judge can
    // block anyone, so they are exempt like tables created in this transaction.
    t->created_in_xact = rel->rd_createSubid != InvalidSubTransactionId ||
                         rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    t->partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
    char relkind = rel->rd_rel->relkind;
    char* nsp = get_namespace_name(rel->rd_rel->relnamespace);
    set(t->qname, quote_qualified_identifier(nsp, RelationGetRelationName(rel)));
    set(t->name, quote_identifier(RelationGetRelationName(rel)));
    set(t->schema, quote_identifier(nsp));
    set(t->raw_name, RelationGetRelationName(rel));
    RelationClose(rel);
    if (t->created_in_xact) return;  // no rule needs its size
    bool tuples_unknown = false;
    if (relkind == RELKIND_PARTITIONED_TABLE) {
        List* all = find_all_inheritors(relid, NoLock, nullptr);
        ListCell* lc;
        foreach (lc, all)
            add_relation_size(lfirst_oid(lc), t, &tuples_unknown);
        if (t->bytes < 0) t->bytes = 0;
        if (t->tuples < 0 && !tuples_unknown) t->tuples = 0;
    } else {
        add_relation_size(relid, t, &tuples_unknown);
    }
    if (tuples_unknown && t->tuples >= 0 && t->bytes > 0) t->tuples = -1;
    if (t->bytes < 0) t->bytes = 0;  // no storage (view, foreign table): nothing to scan
}

bool guard_column(Oid relid, const char* name, GuardColumn* out) {
    memset(out, 0, sizeof *out);
    if (guard_overlay != nullptr) {  // check() seam: the file's own columns first
        int known = guard_overlay->column(relid, name, out);
        if (known >= 0) return known == 1;
    }
    HeapTuple tup = SearchSysCacheAttName(relid, name);
    if (!HeapTupleIsValid(tup)) return false;
    Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(tup);
    out->type = att->atttypid;
    out->typmod = att->atttypmod;
    out->collation = att->attcollation;
    out->attnum = att->attnum;
    out->not_null = att->attnotnull;
    ReleaseSysCache(tup);
    return true;
}

namespace {

Oid resolve(RangeVar* rv) {
    if (rv == nullptr) return InvalidOid;
    if (guard_overlay != nullptr) return guard_overlay->resolve(rv);  // check() seam
    return RangeVarGetRelid(rv, NoLock, true);
}

// Tables proper: what ALTER TABLE's and CREATE INDEX's rules are about.
// ALTER TABLE on a view, sequence or index is an error or not a table hazard.
bool is_table(Oid relid) {
    char kind = get_rel_relkind(relid);
    return kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE;
}

// Whether a size-dependent rule can fire for this table at all. The
// expensive analysis (cooking defaults, planning type coercions, predicate
// proofs, deparsing for hints) is done only then.
bool size_rules_apply(const TableFacts& t) {
    if (!t.found || t.created_in_xact) return false;
    return t.bytes < 0 || t.bytes >= static_cast<int64>(guard_size_threshold_kb) * 1024;
}

// Resolves rv and fills the action's table facts; returns the OID.
Oid fill_table(ActionFacts* a, RangeVar* rv) {
    Oid relid = resolve(rv);
    guard_table_facts(relid, &a->table);
    return relid;
}

void fill_lock(ActionFacts* a, Oid relid, LOCKMODE mode) {
    a->lock = to_lock(mode);
    if (OidIsValid(relid) && mode != NoLock) a->lock_already_held = held_at_least(relid, mode) != NoLock;
}

// Parse analysis over a relation (addRangeTableEntryForRelation) requires
// the caller to hold at least AccessShareLock on it: assert-enabled builds
// check CheckRelationLockedByMe, and only AccessShareLock, RowShareLock or
// RowExclusiveLock are accepted (not NoLock). The guard never waits for a
// lock, so it takes AccessShareLock only if it is free right now (it is
// not while another session holds or awaits ACCESS EXCLUSIVE), and releases
// it as soon as the analysis is done, so that the statement never upgrades
// a lock the guard took. An ERROR in between aborts the guard's internal
// subtransaction, which releases it too.
bool lock_for_analysis(Oid relid) { return ConditionalLockRelationOid(relid, AccessShareLock); }

void unlock_after_analysis(Oid relid) { UnlockRelationOid(relid, AccessShareLock); }

// Deparses a raw expression over a relation (analyze it first, as the
// command itself would), for the safe statements in hints; "..." when the
// relation cannot be locked without waiting.
char* deparse_over(Node* raw, Relation rel, ParseExprKind kind) {
    const Oid relid = RelationGetRelid(rel);
    if (!lock_for_analysis(relid)) return pstrdup("...");
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
    if (rel == nullptr) return pstrdup("...");
    char* s = deparse_over(raw, rel, kind);
    RelationClose(rel);
    return s;
}

bool is_catalog_name(TypeName* tn, const char** last) {
    if (tn == nullptr || tn->names == NIL || tn->arrayBounds != NIL) return false;
    int n = list_length(tn->names);
    *last = strVal(llast(tn->names));
    if (n == 1) return true;
    return n == 2 && strcmp(strVal(linitial(tn->names)), "pg_catalog") == 0;
}

int serial_kind(TypeName* tn) {  // 0 none, 2 smallserial, 4 serial, 8 bigserial
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last) || tn->typmods != NIL) return 0;
    if (strcmp(last, "smallserial") == 0 || strcmp(last, "serial2") == 0) return 2;
    if (strcmp(last, "serial") == 0 || strcmp(last, "serial4") == 0) return 4;
    if (strcmp(last, "bigserial") == 0 || strcmp(last, "serial8") == 0) return 8;
    return 0;
}

// Type-hygiene facts for one column definition (CREATE TABLE, ADD COLUMN,
// ALTER COLUMN TYPE). Decided from the raw name first, so ordinary types
// cost no catalog lookup; the OID confirms a candidate.
void hygiene(ActionList* out, const char* table_qname, const char* column, TypeName* tn,
             bool is_key) {
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last)) return;
    bool json = false, ts = false, ch = false, v255 = false, key = false;
    const char* key_type = nullptr;
    int serial = serial_kind(tn);
    if (serial == 2 || serial == 4) {
        key = is_key;
        key_type = serial == 2 ? "smallserial" : "serial";
    } else if (strcmp(last, "json") == 0) {
        json = LookupTypeNameOid(nullptr, tn, true) == JSONOID;
    } else if (strcmp(last, "timestamp") == 0) {
        ts = LookupTypeNameOid(nullptr, tn, true) == TIMESTAMPOID;
    } else if (strcmp(last, "bpchar") == 0) {
        ch = LookupTypeNameOid(nullptr, tn, true) == BPCHAROID;
    } else if (strcmp(last, "varchar") == 0) {
        if (list_length(tn->typmods) == 1 && IsA(linitial(tn->typmods), A_Const)) {
            A_Const* c = (A_Const*)linitial(tn->typmods);
            if (!c->isnull && IsA(&c->val, Integer) && intVal(&c->val) == 255)
                v255 = LookupTypeNameOid(nullptr, tn, true) == VARCHAROID;
        }
    } else if (is_key && (strcmp(last, "int4") == 0 || strcmp(last, "int2") == 0)) {
        Oid t = LookupTypeNameOid(nullptr, tn, true);
        key = t == INT4OID || t == INT2OID;
        key_type = t == INT2OID ? "smallint" : "integer";
    }
    if (!(json || ts || ch || v255 || key)) return;
    ActionFacts* a = new_action(out, Action::column_type);
    a->table.found = false;
    set(a->table.qname, table_qname);
    set(a->column, quote_identifier(column));
    a->type_json = json;
    a->type_timestamp = ts;
    a->type_char = ch;
    a->type_varchar_255 = v255;
    a->type_int4_key = key;
    set(a->type_sql, key_type);
}

bool column_is_key_inline(ColumnDef* cd) {
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype == CONSTR_PRIMARY || c->contype == CONSTR_FOREIGN) return true;
    }
    return false;
}

bool name_in(List* names, const char* name) {
    ListCell* lc;
    foreach (lc, names)
        if (strcmp(strVal(lfirst(lc)), name) == 0) return true;
    return false;
}

void extract_create_table(CreateStmt* s, ActionList* out) {
    // The schema the table will be created in, as PostgreSQL will choose it
    // (temporary tables: pg_temp, whose real name varies per session).
    const char* schema = s->relation->schemaname;
    if (s->relation->relpersistence == RELPERSISTENCE_TEMP)
        schema = "pg_temp";
    else if (schema == nullptr)
        schema = get_namespace_name(RangeVarGetCreationNamespace(s->relation));
    const char* qname = quote_qualified_identifier(schema, s->relation->relname);
    List* keys = NIL;
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, Constraint)) {
            Constraint* c = (Constraint*)n;
            if (c->contype == CONSTR_PRIMARY) keys = list_concat(keys, c->keys);
            if (c->contype == CONSTR_FOREIGN) keys = list_concat(keys, c->fk_attrs);
        }
    }
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (!IsA(n, ColumnDef)) continue;
        ColumnDef* cd = (ColumnDef*)n;
        hygiene(out, qname, cd->colname, cd->typeName,
                column_is_key_inline(cd) || name_in(keys, cd->colname));
    }
    // A foreign key locks the referenced table SHARE ROW EXCLUSIVE (writes
    // wait) while the new table is created: lock discipline applies to it.
    if (!(guard_overlay != nullptr ? guard_overlay->lock_timeout_set : LockTimeout > 0)) {
        foreach (lc, s->tableElts) {
            Node* n = (Node*)lfirst(lc);
            List* constraints = IsA(n, ColumnDef) ? ((ColumnDef*)n)->constraints
                                : IsA(n, Constraint) ? list_make1(n)
                                                     : NIL;
            ListCell* cc;
            foreach (cc, constraints) {
                Constraint* c = (Constraint*)lfirst(cc);
                if (c->contype != CONSTR_FOREIGN) continue;
                Oid pk = resolve(c->pktable);
                if (!OidIsValid(pk) || !is_table(pk)) continue;
                ActionFacts* a = new_action(out, Action::other);
                guard_table_facts(pk, &a->table);
                fill_lock(a, pk, ShareRowExclusiveLock);
            }
        }
    }
}

bool has_foreign_key(CreateStmt* s) {
    ListCell* lc;
    foreach (lc, s->tableElts) {
        Node* n = (Node*)lfirst(lc);
        if (IsA(n, Constraint) && ((Constraint*)n)->contype == CONSTR_FOREIGN) return true;
        if (IsA(n, ColumnDef)) {
            ListCell* cc;
            foreach (cc, ((ColumnDef*)n)->constraints)
                if (((Constraint*)lfirst(cc))->contype == CONSTR_FOREIGN) return true;
        }
    }
    return false;
}

void extract_index(IndexStmt* s, ActionList* out) {
    Oid target = resolve(s->relation);
    if (!OidIsValid(target) ||
        !(is_table(target) || get_rel_relkind(target) == RELKIND_MATVIEW))
        return;  // a new table, or an error PostgreSQL reports itself
    ActionFacts* a = new_action(out, Action::create_index);
    Oid relid = fill_table(a, s->relation);
    a->concurrent = s->concurrent;
    a->unique = s->unique;
    a->if_exists = s->if_not_exists;
    fill_lock(a, relid, s->concurrent ? ShareUpdateExclusiveLock : ShareLock);
    if (s->concurrent || !size_rules_apply(a->table)) return;

    // The statement to suggest: the user's own definition with CONCURRENTLY.
    char cols[core::sql_cap] = "";
    char first_col[NAMEDATALEN * 2] = "";
    Relation rel = RelationIdGetRelation(relid);
    ListCell* lc;
    foreach (lc, s->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (cols[0]) strlcat(cols, ", ", sizeof cols);
        if (e->name) {
            strlcat(cols, quote_identifier(e->name), sizeof cols);
            if (!first_col[0]) strlcpy(first_col, e->name, sizeof first_col);
        } else if (e->expr && rel) {
            strlcat(cols, "(", sizeof cols);
            strlcat(cols, deparse_over(e->expr, rel, EXPR_KIND_INDEX_EXPRESSION), sizeof cols);
            strlcat(cols, ")", sizeof cols);
            if (!first_col[0]) strlcpy(first_col, "expr", sizeof first_col);
        }
        if (e->ordering == SORTBY_DESC) strlcat(cols, " DESC", sizeof cols);
        if (e->nulls_ordering == SORTBY_NULLS_FIRST) strlcat(cols, " NULLS FIRST", sizeof cols);
        if (e->nulls_ordering == SORTBY_NULLS_LAST) strlcat(cols, " NULLS LAST", sizeof cols);
    }
    if (s->accessMethod && strcmp(s->accessMethod, "btree") != 0) {
        append(a->expr_sql, " USING ");
        append(a->expr_sql, quote_identifier(s->accessMethod));
    }
    append(a->expr_sql, " (");
    append(a->expr_sql, cols);
    append(a->expr_sql, ")");
    if (s->indexIncludingParams != NIL) {
        append(a->expr_sql, " INCLUDE (");
        bool first = true;
        foreach (lc, s->indexIncludingParams) {
            IndexElem* e = (IndexElem*)lfirst(lc);
            if (!first) append(a->expr_sql, ", ");
            first = false;
            append(a->expr_sql, e->name ? quote_identifier(e->name) : "...");
        }
        append(a->expr_sql, ")");
    }
    if (s->whereClause && rel) {
        append(a->expr_sql, " WHERE ");
        append(a->expr_sql, deparse_over(s->whereClause, rel, EXPR_KIND_INDEX_PREDICATE));
    }
    if (rel) RelationClose(rel);
    if (s->idxname) {
        set(a->object, quote_identifier(s->idxname));
    } else {
        // PostgreSQL's default: table_column_idx (or _key for UNIQUE).
        char name[NAMEDATALEN * 3];
        snprintf(name, sizeof name, "%s_%s_%s", s->relation->relname,
                 first_col[0] ? first_col : "idx", s->unique ? "key" : "idx");
        set(a->object, quote_identifier(name));
    }
    set(a->column, first_col[0] ? first_col : "idx");
}

void extract_drop(DropStmt* s, ActionList* out) {
    ListCell* lc;
    if (s->removeType == OBJECT_SCHEMA) {
        if (s->behavior != DROP_CASCADE) return;
        foreach (lc, s->objects) {
            Node* obj = (Node*)lfirst(lc);
            const char* name = IsA(obj, String) ? strVal(obj) : strVal(linitial((List*)obj));
            ActionFacts* a = new_action(out, Action::drop_schema);
            set(a->table.qname, quote_identifier(name));
            HeapTuple tup = SearchSysCache1(NAMESPACENAME, CStringGetDatum(name));
            if (HeapTupleIsValid(tup)) {
                a->table.found = true;
                // pg_namespace rows change only on RENAME/OWNER: the xmin is
                // a fair test of "created in this transaction" here.
                a->table.created_in_xact =
                    TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tup->t_data));
                ReleaseSysCache(tup);
            }
        }
        return;
    }
    if (s->removeType != OBJECT_INDEX && s->removeType != OBJECT_TABLE) return;
    foreach (lc, s->objects) {
        RangeVar* rv = makeRangeVarFromNameList((List*)lfirst(lc));
        Oid relid = resolve(rv);
        if (!OidIsValid(relid)) continue;
        if (s->removeType == OBJECT_TABLE) {
            if (get_rel_relkind(relid) != RELKIND_RELATION &&
                get_rel_relkind(relid) != RELKIND_PARTITIONED_TABLE)
                continue;
            ActionFacts* a = new_action(out, Action::drop_table);
            guard_table_facts(relid, &a->table);
            fill_lock(a, relid, AccessExclusiveLock);
        } else {
            Oid table = IndexGetRelation(relid, true);
            if (!OidIsValid(table)) continue;
            ActionFacts* a = new_action(out, Action::drop_index);
            guard_table_facts(table, &a->table);
            a->concurrent = s->concurrent;
            fill_lock(a, table, s->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock);
            set(a->object, quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                                      get_rel_name(relid)));
        }
    }
}

void extract_rename(RenameStmt* s, ActionList* out) {
    if (s->renameType == OBJECT_COLUMN &&
        (s->relationType == OBJECT_TABLE || s->relationType == OBJECT_FOREIGN_TABLE)) {
        Oid target = resolve(s->relation);
        GuardColumn col;
        if (!OidIsValid(target) || !guard_column(target, s->subname, &col))
            return;  // PostgreSQL reports the missing column itself
        ActionFacts* a = new_action(out, Action::rename_column);
        Oid relid = fill_table(a, s->relation);
        fill_lock(a, relid, AccessExclusiveLock);
        set(a->column, quote_identifier(s->subname));
        set(a->object, quote_identifier(s->newname));
        if (OidIsValid(relid) && OidIsValid(col.type))
            set(a->type_sql, format_type_with_typemod(col.type, col.typmod));
    } else if (s->renameType == OBJECT_TABLE) {
        ActionFacts* a = new_action(out, Action::rename_table);
        Oid relid = fill_table(a, s->relation);
        fill_lock(a, relid, AccessExclusiveLock);
        set(a->object, quote_identifier(s->newname));
        if (OidIsValid(relid))
            set(a->extra_sql, quote_qualified_identifier(
                                  get_namespace_name(get_rel_namespace(relid)), s->newname));
    }
}

// PostgreSQL's ATColumnChangeRequiresRewrite (tablecmds.c), over the
// planned coercion of the old column to the new type.
bool change_requires_rewrite(Node* expr, AttrNumber attnum) {
    for (;;) {
        if (IsA(expr, Var) && ((Var*)expr)->varattno == attnum) return false;
        if (IsA(expr, RelabelType)) {
            expr = (Node*)((RelabelType*)expr)->arg;
        } else if (IsA(expr, CoerceToDomain)) {
            CoerceToDomain* d = (CoerceToDomain*)expr;
            if (DomainHasConstraints(d->resulttype)) return true;
            expr = (Node*)d->arg;
        } else if (IsA(expr, FuncExpr)) {
            FuncExpr* f = (FuncExpr*)expr;
            if ((f->funcid == F_TIMESTAMPTZ_TIMESTAMP || f->funcid == F_TIMESTAMP_TIMESTAMPTZ) &&
                !TimestampTimestampTzRequiresRewrite())
                expr = (Node*)linitial(f->args);
            else
                return true;
        } else {
            return true;
        }
    }
}

bool type_of(TypeName* tn, Oid* typid, int32* typmod) {
    Type tup = LookupTypeName(nullptr, tn, typmod, true);
    if (tup == nullptr) return false;
    *typid = typeTypeId(tup);
    ReleaseSysCache(tup);
    return true;
}

void extract_alter_type(Oid relid, const TableFacts& table, LOCKMODE mode, AlterTableCmd* cmd,
                        ActionList* out) {
    ColumnDef* def = (ColumnDef*)cmd->def;
    hygiene(out, table.qname, cmd->name, def->typeName, false);
    if (!size_rules_apply(table)) return;
    Oid newtype;
    int32 newtypmod;
    if (!type_of(def->typeName, &newtype, &newtypmod)) return;
    GuardColumn col;
    if (!guard_column(relid, cmd->name, &col) || !OidIsValid(col.type)) return;
    Oid oldtype = col.type;
    int32 oldtypmod = col.typmod;
    Oid oldcoll = col.collation;
    AttrNumber attnum = col.attnum;

    ActionFacts* a = new_action(out, Action::alter_column_type);
    a->table = table;
    fill_lock(a, relid, mode);
    set(a->column, quote_identifier(cmd->name));
    set(a->raw_column, cmd->name);
    set(a->type_sql, format_type_with_typemod(newtype, newtypmod));
    // ATPrepAlterColumnType: the USING expression (or the column itself),
    // analyzed over the table, coerced to the new type and planned; then
    // ATColumnChangeRequiresRewrite decides. A USING that reduces to the
    // column (USING id, USING id::int on an int) is no rewrite by itself.
    Node* expr;
    ParseState* ps = make_parsestate(nullptr);
    if (def->raw_default != nullptr) {
        a->using_expression = true;
        // Another session holds or awaits ACCESS EXCLUSIVE, so the statement
        // will wait: judge it without analyzing the USING expression, as the
        // rewrite that a USING clause almost always means.
        if (!lock_for_analysis(relid)) {
            free_parsestate(ps);
            a->rewrite = true;
            return;
        }
        Relation rel = RelationIdGetRelation(relid);
        if (rel == nullptr) {
            unlock_after_analysis(relid);
            out->count--;
            return;
        }
        ParseNamespaceItem* nsi =
            addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
        addNSItemToQuery(ps, nsi, false, true, true);
        expr = transformExpr(ps, (Node*)copyObjectImpl(def->raw_default),
                             EXPR_KIND_ALTER_COL_TRANSFORM);
        RelationClose(rel);
        unlock_after_analysis(relid);
    } else {
        expr = (Node*)makeVar(1, attnum, oldtype, oldtypmod, oldcoll, 0);
    }
    expr = coerce_to_target_type(ps, expr, exprType(expr), newtype, newtypmod,
                                 COERCION_ASSIGNMENT, COERCE_IMPLICIT_CAST, -1);
    free_parsestate(ps);
    if (expr == nullptr) {  // needs USING: the statement itself will fail
        out->count--;
        return;
    }
    expr = (Node*)expression_planner((Expr*)expr);
    a->rewrite = change_requires_rewrite(expr, attnum);
}

void extract_add_column(Oid relid, const TableFacts& table, LOCKMODE mode, ColumnDef* cd,
                        ActionList* out) {
    hygiene(out, table.qname, cd->colname, cd->typeName, column_is_key_inline(cd));
    if (!table.found || table.created_in_xact) return;
    ActionFacts* a = new_action(out, Action::add_column);
    a->table = table;
    fill_lock(a, relid, mode);
    set(a->column, quote_identifier(cd->colname));
    set(a->raw_column, cd->colname);
    int serial = serial_kind(cd->typeName);
    Oid typid = InvalidOid;
    int32 typmod = -1;
    if (serial) {
        a->serial = true;
        a->has_default = true;
        a->volatile_default = true;
        set(a->type_sql, serial == 2 ? "smallint" : serial == 4 ? "integer" : "bigint");
    } else if (type_of(cd->typeName, &typid, &typmod)) {
        set(a->type_sql, format_type_with_typemod(typid, typmod));
        a->constrained_domain = get_typtype(typid) == TYPTYPE_DOMAIN && DomainHasConstraints(typid);
        if (a->constrained_domain) {
            int32 basemod = typmod;
            Oid base = getBaseTypeAndTypmod(typid, &basemod);
            set(a->extra_sql, format_type_with_typemod(base, basemod));
        }
    } else {
        out->count--;  // unknown type: the statement will fail on its own
        return;
    }
    Node* raw_default = nullptr;
    Constraint* inline_key = nullptr;
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        switch (c->contype) {
            case CONSTR_DEFAULT: raw_default = c->raw_expr; break;
            case CONSTR_NOTNULL: a->not_null = true; break;
            case CONSTR_IDENTITY: a->identity = true; a->has_default = true; break;
            case CONSTR_GENERATED:
                a->generated_stored = true;
                a->has_default = true;
                if (c->raw_expr && size_rules_apply(table)) {
                    Relation rel = RelationIdGetRelation(relid);
                    if (rel) {
                        set(a->expr_sql, deparse_over(c->raw_expr, rel, EXPR_KIND_GENERATED_COLUMN));
                        RelationClose(rel);
                    }
                }
                break;
            case CONSTR_PRIMARY:
            case CONSTR_UNIQUE:
                if (c->contype == CONSTR_PRIMARY) a->not_null = true;
                inline_key = c;
                break;
            default: break;
        }
    }
    if (inline_key != nullptr) {
        // ADD COLUMN ... UNIQUE / PRIMARY KEY builds an index under ACCESS
        // EXCLUSIVE, exactly like ADD CONSTRAINT: judge it as one. (`a` may
        // move when the list grows, so copy what we need first.)
        TableFacts t = a->table;
        LOCKMODE m = mode;
        bool pk = inline_key->contype == CONSTR_PRIMARY;
        char col[core::name_cap];
        set(col, quote_identifier(cd->colname));
        ActionFacts* k = new_action(out, Action::add_constraint);
        k->table = t;
        k->constraint = pk ? core::ConstraintKind::primary_key : core::ConstraintKind::unique;
        fill_lock(k, relid, m);
        char name[NAMEDATALEN * 3];
        if (inline_key->conname)
            strlcpy(name, inline_key->conname, sizeof name);
        else if (pk)
            snprintf(name, sizeof name, "%s_pkey", get_rel_name(relid));
        else
            snprintf(name, sizeof name, "%s_%s_key", get_rel_name(relid), cd->colname);
        set(k->column, quote_identifier(name));
        set(k->extra_sql, col);
        k->new_column = true;
        a = &out->items[out->count - 2];
        set(k->type_sql, a->type_sql);
        set(k->object, col);
    }
    if (raw_default) a->has_default = true;
    if (raw_default && OidIsValid(typid) && size_rules_apply(table)) {
        // The way ATExecAddColumn decides: cook the default, then ask
        // whether it contains a volatile function.
        ParseState* ps = make_parsestate(nullptr);
        Node* cooked = cookDefault(ps, (Node*)copyObjectImpl(raw_default), typid, typmod, cd->colname, 0);
        free_parsestate(ps);
        if (cooked) {
            a->volatile_default = contain_volatile_functions(cooked);
            set(a->expr_sql, deparse_expression(cooked, NIL, false, false));
        }
    }
}

void extract_set_not_null(Oid relid, const TableFacts& table, LOCKMODE mode, const char* column,
                          ActionList* out) {
    if (!size_rules_apply(table)) return;
    GuardColumn col;
    if (!guard_column(relid, column, &col) || !OidIsValid(col.type)) return;
    bool already = col.not_null;
    Var* var = makeVar(1, col.attnum, col.type, col.typmod, col.collation, 0);
    if (already) return;  // a no-op for PostgreSQL too
    ActionFacts* a = new_action(out, Action::set_not_null);
    a->table = table;
    fill_lock(a, relid, mode);
    set(a->column, quote_identifier(column));
    set(a->raw_column, column);
    // NotNullImpliedByRelConstraints: a validated CHECK proving IS NOT NULL.
    NullTest* nt = makeNode(NullTest);
    nt->arg = (Expr*)var;
    nt->nulltesttype = IS_NOT_NULL;
    nt->argisrow = false;
    nt->location = -1;
    Relation rel = RelationIdGetRelation(relid);
    if (rel) {
        a->implied_by_check = PartConstraintImpliedByRelConstraint(rel, list_make1(nt));
        RelationClose(rel);
    }
}

const char* fk_action_text(char action) {
    switch (action) {
        case FKCONSTR_ACTION_CASCADE: return "CASCADE";
        case FKCONSTR_ACTION_SETNULL: return "SET NULL";
        case FKCONSTR_ACTION_SETDEFAULT: return "SET DEFAULT";
        case FKCONSTR_ACTION_RESTRICT: return "RESTRICT";
        default: return nullptr;
    }
}

void append_name_list(char* dst, size_t cap, List* names) {
    ListCell* lc;
    bool first = true;
    foreach (lc, names) {
        if (!first) strlcat(dst, ", ", cap);
        first = false;
        strlcat(dst, quote_identifier(strVal(lfirst(lc))), cap);
    }
}

// The key columns of ADD PRIMARY KEY / FOREIGN KEY that are integer or
// smallint (int4_key). Error-free syscache lookups only, so the triage can
// use it too. Returns how many there are; appends actions if `out`.
int int_key_columns(Oid relid, const char* table_qname, Constraint* c, ActionList* out) {
    if (c->contype != CONSTR_PRIMARY && c->contype != CONSTR_FOREIGN) return 0;
    List* cols = c->contype == CONSTR_PRIMARY ? c->keys : c->fk_attrs;
    int n = 0;
    ListCell* lc;
    foreach (lc, cols) {
        const char* name = strVal(lfirst(lc));
        GuardColumn col;
        if (!guard_column(relid, name, &col)) continue;
        Oid type = col.type;
        if (type != INT4OID && type != INT2OID) continue;
        ++n;
        if (out == nullptr) continue;
        ActionFacts* a = new_action(out, Action::column_type);
        set(a->table.qname, table_qname);
        set(a->column, quote_identifier(name));
        a->type_int4_key = true;
        set(a->type_sql, type == INT2OID ? "smallint" : "integer");
    }
    return n;
}

void extract_add_constraint(Oid relid, const TableFacts& table, LOCKMODE mode, Constraint* c,
                            ActionList* out) {
    if (!size_rules_apply(table)) return;
    core::ConstraintKind kind;
    const char* suffix;
    switch (c->contype) {
        case CONSTR_CHECK: kind = core::ConstraintKind::check; suffix = "check"; break;
        case CONSTR_FOREIGN: kind = core::ConstraintKind::foreign_key; suffix = "fkey"; break;
        case CONSTR_UNIQUE: kind = core::ConstraintKind::unique; suffix = "key"; break;
        case CONSTR_PRIMARY: kind = core::ConstraintKind::primary_key; suffix = "pkey"; break;
        case CONSTR_EXCLUSION: kind = core::ConstraintKind::exclusion; suffix = "excl"; break;
        default: return;
    }
    ActionFacts* a = new_action(out, Action::add_constraint);
    a->table = table;
    a->constraint = kind;
    a->not_valid = c->skip_validation;
    fill_lock(a, relid, c->contype == CONSTR_FOREIGN ? ShareRowExclusiveLock : mode);
    char* relname = get_rel_name(relid);
    if (c->conname) {
        set(a->column, quote_identifier(c->conname));
    } else {
        char name[NAMEDATALEN * 3];
        List* cols = c->contype == CONSTR_FOREIGN ? c->fk_attrs : c->keys;
        const char* col = cols != NIL ? strVal(linitial(cols)) : nullptr;
        if (c->contype == CONSTR_PRIMARY || !col)
            snprintf(name, sizeof name, "%s_%s", relname, suffix);
        else
            snprintf(name, sizeof name, "%s_%s_%s", relname, col, suffix);
        set(a->column, quote_identifier(name));
    }
    switch (c->contype) {
        case CONSTR_FOREIGN: {
            Oid pk = resolve(c->pktable);
            // check() seam: a referenced table created earlier in the migration file.
            if (!OidIsValid(pk) && guard_overlay != nullptr &&
                guard_overlay->file_relation(c->pktable, a->object, sizeof a->object)) {
            } else if (!OidIsValid(pk)) {  // PostgreSQL reports the missing table itself
                out->count--;
                return;
            } else {
                set(a->object, quote_qualified_identifier(get_namespace_name(get_rel_namespace(pk)),
                                                          get_rel_name(pk)));
            }
            append(a->expr_sql, "FOREIGN KEY (");
            append_name_list(a->expr_sql, sizeof a->expr_sql, c->fk_attrs);
            append(a->expr_sql, ") REFERENCES ");
            append(a->expr_sql, a->object);
            if (c->pk_attrs != NIL) {
                append(a->expr_sql, " (");
                append_name_list(a->expr_sql, sizeof a->expr_sql, c->pk_attrs);
                append(a->expr_sql, ")");
            }
            if (const char* t = fk_action_text(c->fk_upd_action)) {
                append(a->expr_sql, " ON UPDATE ");
                append(a->expr_sql, t);
            }
            if (const char* t = fk_action_text(c->fk_del_action)) {
                append(a->expr_sql, " ON DELETE ");
                append(a->expr_sql, t);
            }
            break;
        }
        case CONSTR_CHECK:
            append(a->expr_sql, "CHECK (");
            if (c->raw_expr) append(a->expr_sql, deparse_over_oid(c->raw_expr, relid, EXPR_KIND_CHECK_CONSTRAINT));
            append(a->expr_sql, ")");
            break;
        case CONSTR_UNIQUE:
        case CONSTR_PRIMARY:
            append_name_list(a->extra_sql, sizeof a->extra_sql, c->keys);
            if (c->indexname) {
                a->using_index = true;
                set(a->object, quote_identifier(c->indexname));
                Oid idx = get_relname_relid(c->indexname, get_rel_namespace(relid));
                HeapTuple tup = OidIsValid(idx) ? SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx))
                                                : nullptr;
                if (tup && HeapTupleIsValid(tup)) {
                    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
                    for (int i = 0; i < ind->indnkeyatts; ++i) {
                        AttrNumber attnum = ind->indkey.values[i];
                        HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid),
                                                       Int16GetDatum(attnum));
                        if (!HeapTupleIsValid(at)) continue;
                        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
                        if (!att->attnotnull) {
                            if (a->nullable_columns++) append(a->expr_sql, " AND ");
                            append(a->expr_sql, quote_identifier(NameStr(att->attname)));
                            append(a->expr_sql, " IS NOT NULL");
                        }
                        ReleaseSysCache(at);
                    }
                    ReleaseSysCache(tup);
                }
            }
            break;
        case CONSTR_EXCLUSION:
            append(a->expr_sql, "EXCLUDE USING ");
            append(a->expr_sql, c->access_method ? c->access_method : "gist");
            append(a->expr_sql, " (...)");
            break;
        default: break;
    }
}

void extract_attach(Oid parentid, const TableFacts& parent, PartitionCmd* pc, ActionList* out) {
    if (get_rel_relkind(parentid) != RELKIND_PARTITIONED_TABLE) return;  // PostgreSQL refuses it
    ActionFacts* a = new_action(out, Action::attach_partition);
    Oid relid = fill_table(a, pc->name);
    set(a->object, parent.qname);
    fill_lock(a, relid, AccessExclusiveLock);
    if (!OidIsValid(relid) || !OidIsValid(parentid) || !size_rules_apply(a->table) ||
        pc->bound == nullptr)
        return;
    // ATExecAttachPartition: the partition constraint from the (transformed)
    // bound, plus the parent's own, simplified, mapped to the partition's
    // attribute numbers; the scan is skipped when the partition's validated
    // constraints imply it.
    Relation parentrel = RelationIdGetRelation(parentid);
    Relation attachrel = RelationIdGetRelation(relid);
    // Only a partitioned parent has a partition key to transform the bound
    // with; anything else is an error PostgreSQL reports itself.
    if (parentrel && attachrel && parentrel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE &&
        RelationGetPartitionKey(parentrel) != nullptr &&
        (attachrel->rd_rel->relkind == RELKIND_RELATION ||
         attachrel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)) {
        ParseState* ps = make_parsestate(nullptr);
        PartitionBoundSpec* bound =
            transformPartitionBound(ps, parentrel, (PartitionBoundSpec*)copyObjectImpl(pc->bound));
        free_parsestate(ps);
        List* ctx = deparse_context_for(RelationGetRelationName(parentrel), parentid);
        set(a->extra_sql, deparse_expression((Node*)bound, ctx, false, false));
        List* qual = list_concat(get_qual_from_partbound(parentrel, bound),
                                 RelationGetPartitionQual(parentrel));
        if (qual == NIL) {
            a->implied_by_check = true;
        } else {
            qual = (List*)eval_const_expressions(nullptr, (Node*)qual);
            Expr* anded = make_ands_explicit(qual);
            List* pctx = deparse_context_for(RelationGetRelationName(parentrel), parentid);
            set(a->expr_sql, deparse_expression((Node*)anded, pctx, false, false));
            List* mapped = map_partition_varattnos(list_make1(anded), 1, attachrel, parentrel);
            a->implied_by_check = PartConstraintImpliedByRelConstraint(attachrel, mapped);
        }
    }
    if (attachrel) RelationClose(attachrel);
    if (parentrel) RelationClose(parentrel);
}

Oid relation_am(Oid relid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup)) return InvalidOid;
    Oid am = ((Form_pg_class)GETSTRUCT(tup))->relam;
    ReleaseSysCache(tup);
    return am;
}

void extract_alter_table(AlterTableStmt* s, ActionList* out) {
    if (s->objtype != OBJECT_TABLE) return;
    Oid relid = resolve(s->relation);
    if (!OidIsValid(relid) || !is_table(relid)) return;
    TableFacts table;
    guard_table_facts(relid, &table);
    if (!table.found) return;
    LOCKMODE mode = AlterTableGetLockLevel(s->cmds);
    int before = out->count;
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        switch (cmd->subtype) {
            case AT_AddColumn:
                extract_add_column(relid, table, mode, (ColumnDef*)cmd->def, out);
                break;
            case AT_AlterColumnType:
                extract_alter_type(relid, table, mode, cmd, out);
                break;
            case AT_SetNotNull:
                extract_set_not_null(relid, table, mode, cmd->name, out);
                break;
            case AT_AddConstraint:
                int_key_columns(relid, table.qname, (Constraint*)cmd->def, out);
                extract_add_constraint(relid, table, mode, (Constraint*)cmd->def, out);
                break;
            case AT_ValidateConstraint: {
                if (!table.found || table.created_in_xact) break;
                ActionFacts* a = new_action(out, Action::validate_constraint);
                a->table = table;
                set(a->column, quote_identifier(cmd->name));
                LOCKMODE held = held_at_least(relid, ShareRowExclusiveLock);
                a->lock_already_held = held != NoLock;
                a->lock = held != NoLock ? to_lock(held) : Lock::share_update_exclusive;
                break;
            }
            case AT_SetLogged:
            case AT_SetUnLogged: {
                char persistence = get_rel_persistence(relid);
                bool logged = cmd->subtype == AT_SetLogged;
                if ((persistence == RELPERSISTENCE_PERMANENT) == logged) break;  // no-op
                ActionFacts* a = new_action(out, Action::set_persistence);
                a->table = table;
                a->logged = logged;
                fill_lock(a, relid, mode);
                break;
            }
            case AT_SetTableSpace: {
                Oid ts = get_tablespace_oid(cmd->name, true);
                Oid cur = get_rel_tablespace(relid);
                if (!OidIsValid(cur)) cur = MyDatabaseTableSpace;
                if (!OidIsValid(ts) || ts == cur) break;  // an error, or a no-op
                ActionFacts* a = new_action(out, Action::set_tablespace);
                a->table = table;
                set(a->object, quote_identifier(cmd->name));
                fill_lock(a, relid, mode);
                break;
            }
            case AT_SetAccessMethod: {
                Oid am = get_am_oid(cmd->name, true);
                if (!OidIsValid(am) || am == relation_am(relid)) break;  // an error, or a no-op
                ActionFacts* a = new_action(out, Action::set_access_method);
                a->table = table;
                set(a->object, quote_identifier(cmd->name));
                fill_lock(a, relid, mode);
                break;
            }
            case AT_AttachPartition:
                extract_attach(relid, table, (PartitionCmd*)cmd->def, out);
                break;
            case AT_DetachPartition: {
                PartitionCmd* pc = (PartitionCmd*)cmd->def;
                ActionFacts* a = new_action(out, Action::detach_partition);
                a->table = table;
                a->concurrent = pc->concurrent;
                fill_lock(a, relid, pc->concurrent ? ShareUpdateExclusiveLock : AccessExclusiveLock);
                Oid part = resolve(pc->name);
                if (OidIsValid(part))
                    set(a->object,
                        quote_qualified_identifier(get_namespace_name(get_rel_namespace(part)),
                                                   get_rel_name(part)));
                else
                    set(a->object, quote_identifier(pc->name->relname));
                break;
            }
            case AT_DropColumn: {
                GuardColumn col;
                if (!guard_column(relid, cmd->name, &col)) break;
                ActionFacts* a = new_action(out, Action::drop_column);
                a->table = table;
                set(a->column, quote_identifier(cmd->name));
                fill_lock(a, relid, mode);
                break;
            }
            default: break;
        }
    }
    // Any ALTER TABLE takes a lock: if no rule judged an action on the
    // table itself, lock discipline still applies.
    bool judged = false;
    for (int i = before; i < out->count; ++i)
        if (out->items[i].action != Action::column_type && out->items[i].table.found) judged = true;
    if (!judged && !table.created_in_xact) {
        ActionFacts* a = new_action(out, Action::other);
        a->table = table;
        fill_lock(a, relid, mode);
    }
}

}  // namespace

bool guard_option_true(List* options, const char* name) {
    ListCell* lc;
    foreach (lc, options) {
        DefElem* d = (DefElem*)lfirst(lc);
        if (strcmp(d->defname, name) == 0) return defGetBoolean(d);
    }
    return false;
}

namespace {

// --- triage: the common path, decided without a subtransaction ----------
//
// A subtransaction per statement costs little in a short transaction, but
// its commit walks the relcache and the pending-deletes list, which grow
// with every table a long migration transaction creates: quadratic in the
// size of the migration. So the statements that certainly produce no
// finding (DDL on tables created in this transaction, CREATE TABLE with
// unremarkable column types) are recognised first, using only lookups that
// do not raise errors, and skip the subtransaction and all later work.

// The relation a RangeVar names, looked up without permission checks or
// errors (InvalidOid when unsure: the caller then takes the full path).
Oid resolve_quietly(RangeVar* rv) {
    if (rv == nullptr || rv->catalogname != nullptr) return InvalidOid;
    if (rv->schemaname == nullptr) return RelnameGetRelid(rv->relname);
    if (strcmp(rv->schemaname, "pg_temp") == 0) return InvalidOid;
    Oid nsp = get_namespace_oid(rv->schemaname, true);
    return OidIsValid(nsp) ? get_relname_relid(rv->relname, nsp) : InvalidOid;
}

bool new_in_xact(Oid relid) {
    if (!OidIsValid(relid)) return false;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr) return false;
    bool created = rel->rd_createSubid != InvalidSubTransactionId ||
                   rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    RelationClose(rel);
    return created;
}

// Could a type-hygiene rule fire for this type name? Pure name test.
bool hygiene_candidate(TypeName* tn) {
    const char* last = nullptr;
    if (!is_catalog_name(tn, &last)) return false;
    static const char* const names[] = {"json", "timestamp", "bpchar", "varchar", "int4",
                                        "int2", "serial", "serial4", "smallserial", "serial2"};
    for (const char* n : names)
        if (strcmp(last, n) == 0) return true;
    return false;
}

// ADD COLUMN ... NOT NULL with nothing to fill existing rows with.
bool adds_required_column(ColumnDef* cd) {
    if (serial_kind(cd->typeName) != 0) return false;
    bool not_null = false, filled = false;
    ListCell* lc;
    foreach (lc, cd->constraints) {
        Constraint* c = (Constraint*)lfirst(lc);
        if (c->contype == CONSTR_NOTNULL || c->contype == CONSTR_PRIMARY) not_null = true;
        if (c->contype == CONSTR_DEFAULT || c->contype == CONSTR_IDENTITY ||
            c->contype == CONSTR_GENERATED)
            filled = true;
    }
    return not_null && !filled;
}

// An existing table below the size threshold, when lock_timeout is set:
// only size-independent rules could still fire, and the callers check for
// those. Size is measured as for the rules (never waiting for a lock).
bool small_existing_table(Oid relid, TableFacts* t) {
    if (LockTimeout == 0 || !OidIsValid(relid) || !is_table(relid)) return false;
    guard_table_facts(relid, t);
    return t->found && !t->created_in_xact && !size_rules_apply(*t);
}

bool alter_table_is_trivial(AlterTableStmt* s, char* ae_out, size_t ae_cap, Oid* ae_relid) {
    if (s->objtype != OBJECT_TABLE) return false;
    Oid relid = resolve_quietly(s->relation);
    const bool fresh = new_in_xact(relid);
    TableFacts table;
    if (!fresh && !small_existing_table(relid, &table)) return false;
    ListCell* lc;
    foreach (lc, s->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        switch (cmd->subtype) {
            case AT_AddColumn:
                if (hygiene_candidate(((ColumnDef*)cmd->def)->typeName)) return false;
                if (!fresh && adds_required_column((ColumnDef*)cmd->def)) return false;
                break;
            case AT_AlterColumnType:
                if (hygiene_candidate(((ColumnDef*)cmd->def)->typeName)) return false;
                break;
            case AT_AttachPartition:  // the partition may be an old, big table
                return false;
            case AT_AddConstraint:  // an integer primary or foreign key (int4_key)
                if (IsA(cmd->def, Constraint) &&
                    int_key_columns(relid, "", (Constraint*)cmd->def, nullptr) > 0)
                    return false;
                break;
            case AT_DropColumn:          // breaking at any size
            case AT_ValidateConstraint:  // judged by the locks held, not size
            case AT_DetachPartition:     // CONCURRENTLY in a transaction block fails
                if (!fresh) return false;
                break;
            default:
                break;
        }
    }
    // Skipped, but statement_after_access_exclusive must still learn that
    // this transaction now holds ACCESS EXCLUSIVE on an existing table.
    if (!fresh && ae_out != nullptr && AlterTableGetLockLevel(s->cmds) == AccessExclusiveLock) {
        strlcpy(ae_out, table.qname, ae_cap);
        *ae_relid = relid;
    }
    return true;
}

}  // namespace

bool guard_statement_is_trivial(Node* stmt, char* ae_out, size_t ae_cap, Oid* ae_relid) {
    switch (nodeTag(stmt)) {
        case T_CreateStmt: {
            if (LockTimeout == 0 && has_foreign_key((CreateStmt*)stmt)) return false;
            ListCell* lc;
            foreach (lc, ((CreateStmt*)stmt)->tableElts) {
                Node* n = (Node*)lfirst(lc);
                if (IsA(n, ColumnDef) && hygiene_candidate(((ColumnDef*)n)->typeName))
                    return false;
            }
            return true;
        }
        case T_AlterTableStmt:
            return alter_table_is_trivial((AlterTableStmt*)stmt, ae_out, ae_cap, ae_relid);
        case T_CreateTrigStmt:
            return LockTimeout > 0 ||
                   new_in_xact(resolve_quietly(((CreateTrigStmt*)stmt)->relation));
        case T_IndexStmt: {
            IndexStmt* s = (IndexStmt*)stmt;
            if (s->concurrent) return false;
            Oid relid = resolve_quietly(s->relation);
            TableFacts table;
            return new_in_xact(relid) || small_existing_table(relid, &table);
        }
        case T_RenameStmt: {
            RenameStmt* s = (RenameStmt*)stmt;
            return (s->renameType == OBJECT_COLUMN || s->renameType == OBJECT_TABLE) &&
                   new_in_xact(resolve_quietly(s->relation));
        }
        case T_DropStmt: {
            DropStmt* s = (DropStmt*)stmt;
            if (s->removeType == OBJECT_SCHEMA) return s->behavior != DROP_CASCADE;
            if (s->concurrent) return false;
            if (s->removeType != OBJECT_TABLE && s->removeType != OBJECT_INDEX) return true;
            ListCell* lc;
            foreach (lc, s->objects) {
                Oid relid = resolve_quietly(makeRangeVarFromNameList((List*)lfirst(lc)));
                if (s->removeType == OBJECT_INDEX && OidIsValid(relid))
                    relid = IndexGetRelation(relid, true);
                if (!new_in_xact(relid)) return false;
            }
            return true;
        }
        default:
            return false;
    }
}

bool guard_tag_is_judged(NodeTag tag) {
    switch (tag) {
        case T_IndexStmt:
        case T_DropStmt:
        case T_RenameStmt:
        case T_AlterTableStmt:
        case T_CreateStmt:
        case T_CreateTrigStmt:
        case T_RefreshMatViewStmt:
        case T_AlterDomainStmt:
        case T_TruncateStmt:
        case T_VacuumStmt:
        case T_ClusterStmt:
        case T_ReindexStmt:
            return true;
        default:
            return false;
    }
}

void guard_extract(Node* stmt, ActionList* out) {
    out->items = nullptr;
    out->count = 0;
    out->capacity = 0;
    switch (nodeTag(stmt)) {
        case T_CreateStmt:
            extract_create_table((CreateStmt*)stmt, out);
            break;
        case T_IndexStmt:
            extract_index((IndexStmt*)stmt, out);
            break;
        case T_CreateTrigStmt: {
            // CREATE TRIGGER locks the table SHARE ROW EXCLUSIVE: only lock
            // discipline applies.
            CreateTrigStmt* s = (CreateTrigStmt*)stmt;
            Oid target = resolve(s->relation);
            if (!OidIsValid(target) || !is_table(target)) break;
            ActionFacts* a = new_action(out, Action::other);
            guard_table_facts(target, &a->table);
            fill_lock(a, target, ShareRowExclusiveLock);
            break;
        }
        case T_DropStmt:
            extract_drop((DropStmt*)stmt, out);
            break;
        case T_RenameStmt:
            extract_rename((RenameStmt*)stmt, out);
            break;
        case T_AlterTableStmt:
            extract_alter_table((AlterTableStmt*)stmt, out);
            break;
        case T_RefreshMatViewStmt: {
            RefreshMatViewStmt* s = (RefreshMatViewStmt*)stmt;
            ActionFacts* a = new_action(out, Action::refresh_matview);
            Oid relid = fill_table(a, s->relation);
            a->concurrent = s->concurrent;
            fill_lock(a, relid, s->concurrent ? ExclusiveLock : AccessExclusiveLock);
            break;
        }
        case T_AlterDomainStmt: {
            AlterDomainStmt* s = (AlterDomainStmt*)stmt;
            if (s->subtype != 'C' || s->def == nullptr || !IsA(s->def, Constraint)) break;
            Constraint* c = (Constraint*)s->def;
            if (c->contype != CONSTR_CHECK) break;
            TypeName* tn = makeTypeNameFromNameList(s->typeName);
            Oid typid = LookupTypeNameOid(nullptr, tn, true);
            if (!OidIsValid(typid)) break;
            ActionFacts* a = new_action(out, Action::alter_domain_add_constraint);
            a->not_valid = c->skip_validation;
            set(a->object, format_type_be_qualified(typid));
            set(a->column, c->conname ? quote_identifier(c->conname) : "<name>");
            set(a->expr_sql, "CHECK (<condition>)");
            HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
            a->table.found = true;
            set(a->table.qname, a->object);
            if (HeapTupleIsValid(tup)) {
                a->table.created_in_xact =
                    TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tup->t_data));
                ReleaseSysCache(tup);
            }
            if (a->table.created_in_xact) out->count--;
            break;
        }
        case T_TruncateStmt: {
            TruncateStmt* s = (TruncateStmt*)stmt;
            ListCell* lc;
            foreach (lc, s->relations) {
                Oid target = resolve((RangeVar*)lfirst(lc));
                if (!OidIsValid(target) || !is_table(target)) continue;
                ActionFacts* a = new_action(out, Action::truncate);
                guard_table_facts(target, &a->table);
                fill_lock(a, target, AccessExclusiveLock);
            }
            break;
        }
        case T_VacuumStmt: {
            VacuumStmt* s = (VacuumStmt*)stmt;
            if (!s->is_vacuumcmd || !guard_option_true(s->options, "full")) break;
            if (s->rels == NIL) {
                ActionFacts* a = new_action(out, Action::vacuum_full);
                a->whole_database = true;
                break;
            }
            ListCell* lc;
            foreach (lc, s->rels) {
                VacuumRelation* vr = (VacuumRelation*)lfirst(lc);
                Oid target = resolve(vr->relation);
                if (!OidIsValid(target) ||
                    !(is_table(target) || get_rel_relkind(target) == RELKIND_MATVIEW))
                    continue;
                ActionFacts* a = new_action(out, Action::vacuum_full);
                guard_table_facts(target, &a->table);
                fill_lock(a, target, AccessExclusiveLock);
            }
            break;
        }
        case T_ClusterStmt: {
            ClusterStmt* s = (ClusterStmt*)stmt;
            ActionFacts* a = new_action(out, Action::cluster);
            if (s->relation == nullptr) {
                a->whole_database = true;
                break;
            }
            Oid target = resolve(s->relation);
            if (!OidIsValid(target) || !(is_table(target) || get_rel_relkind(target) == RELKIND_MATVIEW)) {
                out->count--;  // PostgreSQL reports it
                break;
            }
            guard_table_facts(target, &a->table);
            fill_lock(a, target, AccessExclusiveLock);
            break;
        }
        case T_ReindexStmt: {
            ReindexStmt* s = (ReindexStmt*)stmt;
            if (s->kind != REINDEX_OBJECT_INDEX && s->kind != REINDEX_OBJECT_TABLE) break;
            bool concurrent = guard_option_true(s->params, "concurrently");
            ActionFacts* a = new_action(out, Action::reindex);
            a->concurrent = concurrent;
            Oid relid = resolve(s->relation);
            Oid table = relid;
            if (OidIsValid(relid) && s->kind == REINDEX_OBJECT_INDEX) {
                table = IndexGetRelation(relid, true);
                set(a->object, quote_qualified_identifier(
                                   get_namespace_name(get_rel_namespace(relid)), get_rel_name(relid)));
            }
            if (!OidIsValid(table) || !(is_table(table) || get_rel_relkind(table) == RELKIND_MATVIEW)) {
                out->count--;  // not a table: PostgreSQL reports it
                break;
            }
            guard_table_facts(table, &a->table);
            fill_lock(a, table, concurrent ? ShareUpdateExclusiveLock : ShareLock);
            break;
        }
        default:
            break;
    }
}

// check() seam: the extractor's own column-definition facts, for relations
// a migration file created (src/pg/check_facts.cpp).
void guard_column_hygiene(ActionList* out, const char* table_qname, const char* column,
                          TypeName* tn, bool is_key) {
    hygiene(out, table_qname, column, tn, is_key);
}

bool guard_column_is_key_inline(ColumnDef* cd) { return column_is_key_inline(cd); }

}  // namespace schema_oracle::pg
