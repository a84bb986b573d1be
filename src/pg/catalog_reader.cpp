// catalog_reader.cpp: report()'s one pass over the catalogs.
//
// Each catalog is read by ONE sequential scan with the catalog snapshot (no
// per-object queries, no per-row pg_depend probes, no SQL layer in between)
// and the needed fields are copied into plain arrays in C land; build_model()
// then fills the pure core's model with OID-keyed flat maps. Everything is
// read-only, so it works on a hot standby. The catalogs scanned here are
// readable by every role; what is private is honoured: sequence values need
// SELECT or USAGE, the exemptions are read through SPI with the caller's
// rights.
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/pg/fk_coverage.hpp"
#include "schema_oracle/pg/report.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xlog.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_am.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_index.h"
#include "catalog/pg_language.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/backend_progress.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"
}

namespace schema_oracle::pg {

namespace {

// ---------------------------------------------------------------- C land --
// Plain C: palloc'd arrays, no object with a destructor anywhere.

template <typename T>
T* push(RawArray<T>& a, int& cap) {
    if (a.n == cap) {
        cap = cap ? cap * 2 : 64;
        a.items = static_cast<T*>(a.items ? repalloc_huge(a.items, sizeof(T) * cap)
                                          : palloc_extended(sizeof(T) * cap, MCXT_ALLOC_HUGE));
    }
    T* item = &a.items[a.n++];
    memset(item, 0, sizeof(T));
    return item;
}

int oid_cmp(const void* a, const void* b) {
    RawOid x = *static_cast<const RawOid*>(a), y = *static_cast<const RawOid*>(b);
    return x < y ? -1 : x > y ? 1 : 0;
}

// A sorted set of OIDs for the scans' filters (binary search).
struct OidSet {
    int n;
    int cap;
    RawOid* items;
};

void oidset_add(OidSet& s, RawOid oid) {
    if (s.n == s.cap) {
        s.cap = s.cap ? s.cap * 2 : 64;
        s.items = static_cast<RawOid*>(s.items ? repalloc_huge(s.items, sizeof(RawOid) * s.cap)
                                               : palloc_extended(sizeof(RawOid) * s.cap, MCXT_ALLOC_HUGE));
    }
    s.items[s.n++] = oid;
}

void oidset_sort(OidSet& s) {
    if (s.n > 1) qsort(s.items, s.n, sizeof(RawOid), oid_cmp);
    int w = 0;
    for (int r = 0; r < s.n; ++r)
        if (w == 0 || s.items[w - 1] != s.items[r]) s.items[w++] = s.items[r];
    s.n = w;
}

bool oidset_has(const OidSet& s, RawOid oid) {
    int lo = 0, hi = s.n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s.items[mid] == oid) return true;
        if (s.items[mid] < oid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

const char* qname_of(const char* name) { return quote_identifier(name); }

bool user_namespace(const char* name) {
    return strcmp(name, "pg_catalog") != 0 && strcmp(name, "information_schema") != 0 &&
           strcmp(name, "pg_toast") != 0 && strncmp(name, "pg_temp_", 8) != 0 &&
           strncmp(name, "pg_toast_temp_", 14) != 0;
}

// A text[] datum joined with commas (reloptions).
char* join_text_array(Datum d) {
    ArrayType* arr = DatumGetArrayTypeP(d);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    StringInfoData buf;
    initStringInfo(&buf);
    for (int i = 0; i < n; ++i) {
        if (nulls[i]) continue;
        if (buf.len) appendStringInfoChar(&buf, ',');
        char* s = TextDatumGetCString(elems[i]);
        appendStringInfoString(&buf, s);
    }
    return buf.data;
}

bool text_array_has_prefix(Datum d, const char* prefix) {
    ArrayType* arr = DatumGetArrayTypeP(d);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    size_t len = strlen(prefix);
    for (int i = 0; i < n; ++i)
        if (!nulls[i] && strncmp(TextDatumGetCString(elems[i]), prefix, len) == 0) return true;
    return false;
}

int16* copy_int2_array(Datum d, int* n) {
    ArrayType* arr = DatumGetArrayTypeP(d);
    *n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    auto* out = static_cast<int16*>(palloc(sizeof(int16) * (*n > 0 ? *n : 1)));
    if (*n > 0) memcpy(out, ARR_DATA_PTR(arr), sizeof(int16) * *n);
    return out;
}

template <typename Vec, typename Elem>
Elem* copy_vector(const Vec* v, int n) {
    auto* out = static_cast<Elem*>(palloc(sizeof(Elem) * (n > 0 ? n : 1)));
    if (n > 0) memcpy(out, v->values, sizeof(Elem) * n);
    return out;
}

// Reads a sequence's last value straight from its page, the way
// pg_sequence_last_value() does, but releases the lock at once: a database
// with tens of thousands of sequences would otherwise exhaust the lock table
// within one transaction. Left unset: sequences the caller may not read,
// unlogged ones during recovery (a standby has no data for them), never
// called ones, and ones dropped since the catalog scan (the _ext check
// reports those instead of raising "relation does not exist").
void read_sequence_value(RawSequence& s) {
    bool is_missing = false;
    if (pg_class_aclcheck_ext(s.oid, GetUserId(), ACL_SELECT | ACL_USAGE, &is_missing) !=
            ACLCHECK_OK ||
        is_missing)
        return;
    Relation rel = try_relation_open(s.oid, AccessShareLock);
    if (rel == nullptr) return;  // dropped meanwhile
    if (rel->rd_rel->relkind == RELKIND_SEQUENCE &&
        !(rel->rd_rel->relpersistence == RELPERSISTENCE_UNLOGGED && RecoveryInProgress())) {
        Buffer buf = ReadBuffer(rel, 0);
        LockBuffer(buf, BUFFER_LOCK_SHARE);
        Page page = BufferGetPage(buf);
        ItemId lp = PageGetItemId(page, FirstOffsetNumber);
        if (ItemIdIsNormal(lp)) {
            auto* tup = reinterpret_cast<HeapTupleHeader>(PageGetItem(page, lp));
            auto* data = reinterpret_cast<Form_pg_sequence_data>(reinterpret_cast<char*>(tup) +
                                                                 tup->t_hoff);
            if (data->is_called) {
                s.last = data->last_value;
                s.has_last = true;
            }
        }
        UnlockReleaseBuffer(buf);
    }
    relation_close(rel, AccessShareLock);
}

}  // namespace

RawCatalog* read_catalog() {
    auto* raw = static_cast<RawCatalog*>(palloc0(sizeof(RawCatalog)));
    HeapTuple tup;
    Relation rel;
    TableScanDesc scan;
    bool isnull;
    OidSet nsps{}, tables{}, indexes{}, sequences{}, trigger_functions{}, types{};

    // pg_namespace
    {
        int cap = 0;
        rel = table_open(NamespaceRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* n = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tup));
            if (!user_namespace(NameStr(n->nspname))) continue;
            RawNamespace* r = push(raw->namespaces, cap);
            r->oid = n->oid;
            r->name = pstrdup(NameStr(n->nspname));
            r->qname = qname_of(r->name);
            oidset_add(nsps, n->oid);
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        oidset_sort(nsps);
    }
    // pg_am (a handful of rows)
    {
        int cap = 0;
        rel = table_open(AccessMethodRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* a = reinterpret_cast<Form_pg_am>(GETSTRUCT(tup));
            RawNamespace* r = push(raw->access_methods, cap);
            r->oid = a->oid;
            r->name = pstrdup(NameStr(a->amname));
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
    }
    // pg_class: tables, partitioned tables, sequences, indexes
    {
        int cap = 0;
        rel = table_open(RelationRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
            char k = c->relkind;
            if (k != RELKIND_RELATION && k != RELKIND_PARTITIONED_TABLE && k != RELKIND_SEQUENCE &&
                k != RELKIND_INDEX && k != RELKIND_PARTITIONED_INDEX)
                continue;
            if (c->relpersistence == RELPERSISTENCE_TEMP || !oidset_has(nsps, c->relnamespace))
                continue;
            RawClass* r = push(raw->classes, cap);
            r->oid = c->oid;
            r->nsp = c->relnamespace;
            r->am = c->relam;
            r->name = pstrdup(NameStr(c->relname));
            r->qname = qname_of(r->name);
            r->kind = k;
            r->is_partition = c->relispartition;
            r->pages = c->relpages;
            if (k == RELKIND_INDEX || k == RELKIND_PARTITIONED_INDEX) {
                Datum d = heap_getattr(tup, Anum_pg_class_reloptions, desc, &isnull);
                if (!isnull) r->reloptions = join_text_array(d);
                oidset_add(indexes, c->oid);
            } else if (k == RELKIND_SEQUENCE) {
                oidset_add(sequences, c->oid);
            } else {
                oidset_add(tables, c->oid);
            }
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        oidset_sort(tables);
        oidset_sort(indexes);
        oidset_sort(sequences);
    }
    // pg_attribute: user columns of those tables
    {
        int cap = 0;
        rel = table_open(AttributeRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tup));
            if (a->attnum <= 0 || a->attisdropped || !oidset_has(tables, a->attrelid)) continue;
            RawAttribute* r = push(raw->attributes, cap);
            r->rel = a->attrelid;
            r->type = a->atttypid;
            r->typmod = a->atttypmod;
            r->attnum = a->attnum;
            r->not_null = a->attnotnull;
            r->is_local = a->attislocal;
            r->identity = a->attidentity;
            r->name = pstrdup(NameStr(a->attname));
            r->qname = qname_of(r->name);
            oidset_add(types, a->atttypid);
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        oidset_sort(types);
        // The few distinct column types, named for messages.
        raw->types.n = types.n;
        raw->types.items = static_cast<RawTypeName*>(palloc(sizeof(RawTypeName) * (types.n + 1)));
        for (int i = 0; i < types.n; ++i) {
            raw->types.items[i].oid = types.items[i];
            raw->types.items[i].name = format_type_be(types.items[i]);
        }
    }
    // pg_index
    {
        int cap = 0;
        rel = table_open(IndexRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
            if (!oidset_has(indexes, i->indexrelid)) continue;
            RawIndex* r = push(raw->indexes, cap);
            r->oid = i->indexrelid;
            r->table = i->indrelid;
            r->natts = i->indnatts;
            r->nkey = i->indnkeyatts;
            r->unique = i->indisunique;
            r->primary = i->indisprimary;
            r->exclusion = i->indisexclusion;
            r->nulls_not_distinct = i->indnullsnotdistinct;
            r->valid = i->indisvalid;
            r->ready = i->indisready;
            r->live = i->indislive;
            r->keys = copy_vector<int2vector, int16>(&i->indkey, i->indnatts);
            Datum d = heap_getattr(tup, Anum_pg_index_indclass, desc, &isnull);
            r->opclasses = isnull ? nullptr
                                  : copy_vector<oidvector, RawOid>(
                                        reinterpret_cast<oidvector*>(DatumGetPointer(d)), r->nkey);
            d = heap_getattr(tup, Anum_pg_index_indcollation, desc, &isnull);
            r->collations = isnull ? nullptr
                                   : copy_vector<oidvector, RawOid>(
                                         reinterpret_cast<oidvector*>(DatumGetPointer(d)), r->nkey);
            d = heap_getattr(tup, Anum_pg_index_indoption, desc, &isnull);
            r->options = isnull ? nullptr
                                : copy_vector<int2vector, int16>(
                                      reinterpret_cast<int2vector*>(DatumGetPointer(d)), r->nkey);
            d = heap_getattr(tup, Anum_pg_index_indexprs, desc, &isnull);
            if (!isnull) r->expressions = TextDatumGetCString(d);
            d = heap_getattr(tup, Anum_pg_index_indpred, desc, &isnull);
            if (!isnull) {
                r->predicate = TextDatumGetCString(d);
                r->predicate_implied_by_not_null = static_cast<std::int16_t>(
                    not_null_prefix_implying_predicate(r->table, r->predicate, r->keys, r->nkey));
            }
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        // Scan counts, where unused_index could use them.
        for (int k = 0; k < raw->indexes.n; ++k) {
            RawIndex& r = raw->indexes.items[k];
            if (r.unique || r.primary || r.exclusion) continue;
            PgStat_StatTabEntry* e = pgstat_fetch_stat_tabentry(r.oid);
            r.has_scans = true;
            r.scans = e ? e->numscans : 0;
        }
    }
    // pg_constraint
    {
        int cap = 0;
        rel = table_open(ConstraintRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* c = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tup));
            if (c->conrelid == InvalidOid || !oidset_has(tables, c->conrelid)) continue;
            if (c->contype != CONSTRAINT_PRIMARY && c->contype != CONSTRAINT_UNIQUE &&
                c->contype != CONSTRAINT_FOREIGN && c->contype != CONSTRAINT_CHECK &&
                c->contype != CONSTRAINT_EXCLUSION)
                continue;
            RawConstraint* r = push(raw->constraints, cap);
            r->oid = c->oid;
            r->table = c->conrelid;
            r->ref_table = c->confrelid;
            r->index = c->conindid;
            r->parent = c->conparentid;
            r->type = c->contype;
            r->validated = c->convalidated;
            r->name = pstrdup(NameStr(c->conname));
            r->qname = qname_of(r->name);
            Datum d = heap_getattr(tup, Anum_pg_constraint_conkey, desc, &isnull);
            if (!isnull) r->key = copy_int2_array(d, &r->nkey);
            if (c->contype == CONSTRAINT_FOREIGN) {
                d = heap_getattr(tup, Anum_pg_constraint_confkey, desc, &isnull);
                if (!isnull) r->ref_key = copy_int2_array(d, &r->nref);
            }
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
    }
    // pg_trigger: user triggers (the internal RI triggers are skipped)
    {
        int cap = 0;
        rel = table_open(TriggerRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* t = reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tup));
            if (t->tgisinternal || !oidset_has(tables, t->tgrelid)) continue;
            RawTrigger* r = push(raw->triggers, cap);
            r->table = t->tgrelid;
            r->function = t->tgfoid;
            r->type = t->tgtype;
            r->enabled = t->tgenabled;
            r->nattr = t->tgattr.dim1;
            r->name = pstrdup(NameStr(t->tgname));
            if (t->tgnargs > 0) {
                Datum d = heap_getattr(tup, Anum_pg_trigger_tgargs, desc, &isnull);
                if (!isnull) {
                    bytea* args = DatumGetByteaPP(d);
                    // first\000second\000...: the first argument is a C string.
                    r->first_arg = pnstrdup(VARDATA_ANY(args),
                                            strnlen(VARDATA_ANY(args), VARSIZE_ANY_EXHDR(args)));
                }
            }
            oidset_add(trigger_functions, t->tgfoid);
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        oidset_sort(trigger_functions);
    }
    // pg_language, then pg_proc: trigger functions and SECURITY DEFINER ones
    {
        RawArray<RawNamespace> langs{};
        int lcap = 0;
        rel = table_open(LanguageRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* l = reinterpret_cast<Form_pg_language>(GETSTRUCT(tup));
            RawNamespace* r = push(langs, lcap);
            r->oid = l->oid;
            r->name = pstrdup(NameStr(l->lanname));
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);

        int cap = 0;
        rel = table_open(ProcedureRelationId, AccessShareLock);
        TupleDesc desc = RelationGetDescr(rel);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tup));
            bool is_trigger_fn = oidset_has(trigger_functions, p->oid);
            if (!p->prosecdef && !is_trigger_fn) continue;
            RawFunction* r = push(raw->functions, cap);
            r->oid = p->oid;
            r->nsp = p->pronamespace;
            r->security_definer = p->prosecdef;
            r->is_procedure = p->prokind == PROKIND_PROCEDURE;
            r->name = pstrdup(NameStr(p->proname));
            r->language = "";
            for (int i = 0; i < langs.n; ++i)
                if (langs.items[i].oid == p->prolang) r->language = langs.items[i].name;
            Datum d = heap_getattr(tup, Anum_pg_proc_proconfig, desc, &isnull);
            r->pins_search_path = !isnull && text_array_has_prefix(d, "search_path=");
            if (is_trigger_fn) {
                d = heap_getattr(tup, Anum_pg_proc_prosrc, desc, &isnull);
                if (!isnull) r->source = TextDatumGetCString(d);
            }
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        for (int i = 0; i < raw->functions.n; ++i) {
            RawFunction& f = raw->functions.items[i];
            if (!f.security_definer || !oidset_has(nsps, f.nsp)) continue;
            ObjectAddress addr;
            ObjectAddressSet(addr, ProcedureRelationId, f.oid);
            f.identity = getObjectIdentity(&addr, true);
        }
    }
    // pg_depend: extension membership, and sequence ownership (serial 'a',
    // identity 'i') -- one scan.
    {
        int cap = 0;
        rel = table_open(DependRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* d = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tup));
            if (d->deptype == DEPENDENCY_EXTENSION) {
                char kind = d->classid == RelationRelationId    ? 'c'
                            : d->classid == ProcedureRelationId ? 'f'
                            : d->classid == NamespaceRelationId ? 'n'
                                                                : 0;
                if (!kind) continue;
                RawDepend* r = push(raw->depends, cap);
                r->type = 'e';
                r->kind = kind;
                r->obj = d->objid;
            } else if ((d->deptype == DEPENDENCY_AUTO || d->deptype == DEPENDENCY_INTERNAL) &&
                       d->classid == RelationRelationId && d->refclassid == RelationRelationId &&
                       d->objsubid == 0 && d->refobjsubid > 0 && oidset_has(sequences, d->objid)) {
                RawDepend* r = push(raw->depends, cap);
                r->type = d->deptype;
                r->kind = 'c';
                r->obj = d->objid;
                r->ref = d->refobjid;
                r->ref_column = static_cast<int16>(d->refobjsubid);
            }
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
    }
    // pg_sequence, and each sequence's last value
    {
        int cap = 0;
        rel = table_open(SequenceRelationId, AccessShareLock);
        scan = table_beginscan_catalog(rel, 0, nullptr);
        while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
            CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
            auto* s = reinterpret_cast<Form_pg_sequence>(GETSTRUCT(tup));
            if (!oidset_has(sequences, s->seqrelid)) continue;
            RawSequence* r = push(raw->sequences, cap);
            r->oid = s->seqrelid;
            r->type = s->seqtypid;
            r->start = s->seqstart;
            r->increment = s->seqincrement;
            r->max = s->seqmax;
            r->min = s->seqmin;
            r->cycle = s->seqcycle;
        }
        table_endscan(scan);
        table_close(rel, AccessShareLock);
        for (int i = 0; i < raw->sequences.n; ++i) {
            CHECK_FOR_INTERRUPTS();
            read_sequence_value(raw->sequences.items[i]);
        }
    }
    // Index builds running now, from the backends' progress reports (what
    // pg_stat_progress_create_index shows): their invalid indexes are work
    // in progress, not leftovers.
    {
        int cap = 0;
        int n = pgstat_fetch_stat_numbackends();
        for (int i = 1; i <= n; ++i) {
            LocalPgBackendStatus* l = pgstat_fetch_stat_local_beentry(i);
            if (l == nullptr) continue;
            PgBackendStatus* b = &l->backendStatus;
            if (b->st_databaseid != MyDatabaseId || b->st_procpid == MyProcPid ||
                b->st_progress_command != PROGRESS_COMMAND_CREATE_INDEX)
                continue;
            *push(raw->builds, cap) = b->st_progress_command_target;
        }
    }
    // Statistics age.
    {
        PgStat_StatDBEntry* db = pgstat_fetch_stat_dbentry(MyDatabaseId);
        if (db != nullptr && db->stat_reset_timestamp != 0) {
            raw->stats_reset = pstrdup(timestamptz_to_str(db->stat_reset_timestamp));
            raw->stats_age_seconds =
                static_cast<double>(GetCurrentTimestamp() - db->stat_reset_timestamp) / USECS_PER_SEC;
        }
    }
    // Settings.
    {
        raw->max_indexes_per_table = report_max_indexes_per_table();
        const char* value = GetConfigOption("schema_oracle.audit_columns", true, false);
        List* names = NIL;
        char* copy = pstrdup(value ? value : "");
        if (!SplitIdentifierString(copy, ',', &names))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("schema_oracle.audit_columns is not a list of column names"),
                            errhint("Write column names separated by commas.")));
        int n = list_length(names);
        raw->audit_columns.items = static_cast<const char**>(palloc(sizeof(char*) * (n + 1)));
        raw->audit_columns_quoted.items = static_cast<const char**>(palloc(sizeof(char*) * (n + 1)));
        ListCell* lc;
        foreach (lc, names) {
            const char* name = static_cast<const char*>(lfirst(lc));
            if (name[0] == '\0') continue;
            raw->audit_columns.items[raw->audit_columns.n++] = name;
            raw->audit_columns_quoted.items[raw->audit_columns_quoted.n++] = quote_identifier(name);
        }
    }
    // Exemptions, with the caller's rights.
    {
        MemoryContext mine = CurrentMemoryContext;
        if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "schema_oracle: SPI_connect failed");
        if (SPI_execute("SELECT rule, object_pattern FROM schema_oracle.exemptions", true, 0) !=
            SPI_OK_SELECT)
            elog(ERROR, "schema_oracle: could not read schema_oracle.exemptions");
        int n = static_cast<int>(SPI_processed);
        raw->exemptions.items = static_cast<RawExemption*>(
            MemoryContextAllocZero(mine, sizeof(RawExemption) * (n + 1)));
        for (int i = 0; i < n; ++i) {
            char* rule = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
            char* pattern = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
            if (rule == nullptr || pattern == nullptr) continue;
            RawExemption& e = raw->exemptions.items[raw->exemptions.n++];
            e.rule = MemoryContextStrdup(mine, rule);
            e.pattern = MemoryContextStrdup(mine, pattern);
        }
        SPI_finish();
    }
    return raw;
}

// ------------------------------------------------------------------ C++ --

namespace {

// nodeToString() text carries source positions (":location 42"), which
// differ between identical expressions written at different places.
std::string strip_locations(const char* node) {
    std::string out;
    std::string_view s(node);
    out.reserve(s.size());
    const std::string_view key = ":location ";
    std::size_t pos = 0;
    while (pos < s.size()) {
        std::size_t hit = s.find(key, pos);
        if (hit == std::string_view::npos) {
            out.append(s.substr(pos));
            break;
        }
        out.append(s.substr(pos, hit - pos));
        std::size_t end = hit + key.size();
        if (end < s.size() && s[end] == '-') ++end;
        while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
        pos = end;
    }
    return out;
}

// Raw rows in OID order, so the model's vectors are built already sorted
// (sorting the big model structs themselves would move them around).
template <typename T>
std::vector<const T*> by_oid(const RawArray<T>& a) {
    std::vector<const T*> v;
    v.reserve(a.n);
    for (int i = 0; i < a.n; ++i) v.push_back(&a.items[i]);
    std::sort(v.begin(), v.end(), [](const T* x, const T* y) { return x->oid < y->oid; });
    return v;
}

template <typename Map, typename Vec>
void fill_sorted(Map& map, Vec&& items) {
    auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(items.begin(), items.end(), by_key))
        std::sort(items.begin(), items.end(), by_key);
    items.erase(std::unique(items.begin(), items.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                items.end());
    map.adopt_sequence(boost::container::ordered_unique_range, std::move(items));
}

}  // namespace

void build_model(const RawCatalog& raw, core::CatalogModel& m) {
    using core::Oid;
    {
        boost::container::flat_map<Oid, core::Namespace>::sequence_type v;
        v.reserve(raw.namespaces.n);
        for (int i = 0; i < raw.namespaces.n; ++i) {
            const RawNamespace& r = raw.namespaces.items[i];
            v.emplace_back(r.oid, core::Namespace{r.oid, r.name, r.qname});
        }
        fill_sorted(m.namespaces, std::move(v));
    }
    boost::container::flat_map<Oid, const RawClass*> index_classes;
    {
        boost::container::flat_map<Oid, core::Relation>::sequence_type v;
        boost::container::flat_map<Oid, const RawClass*>::sequence_type ic;
        v.reserve(raw.classes.n);
        for (const RawClass* cp : by_oid(raw.classes)) {
            const RawClass& c = *cp;
            if (c.kind == 'i' || c.kind == 'I') {
                ic.emplace_back(c.oid, &c);
                continue;
            }
            core::Relation rel;
            rel.oid = c.oid;
            rel.nsp = c.nsp;
            rel.name = c.name;
            rel.qname = c.qname;
            rel.kind = c.kind;
            rel.is_partition = c.is_partition;
            rel.pages = c.pages;
            v.emplace_back(rel.oid, std::move(rel));
        }
        fill_sorted(m.relations, std::move(v));
        fill_sorted(index_classes, std::move(ic));
    }
    for (int i = 0; i < raw.attributes.n; ++i) {
        const RawAttribute& r = raw.attributes.items[i];
        auto it = m.relations.find(r.rel);
        if (it == m.relations.end()) continue;
        core::Attribute a;
        a.attnum = r.attnum;
        a.name = r.name;
        a.qname = r.qname;
        a.type = r.type;
        a.typmod = r.typmod;
        a.not_null = r.not_null;
        a.is_local = r.is_local;
        a.identity = r.identity;
        it->second.attrs.push_back(std::move(a));
    }
    for (auto& [oid, rel] : m.relations)
        std::sort(rel.attrs.begin(), rel.attrs.end(),
                  [](const core::Attribute& x, const core::Attribute& y) { return x.attnum < y.attnum; });
    {
        boost::container::flat_map<Oid, std::string>::sequence_type v;
        for (int i = 0; i < raw.types.n; ++i)
            v.emplace_back(raw.types.items[i].oid, raw.types.items[i].name);
        fill_sorted(m.type_names, std::move(v));
    }
    {
        boost::container::flat_map<Oid, std::string> ams;
        for (int i = 0; i < raw.access_methods.n; ++i)
            ams[raw.access_methods.items[i].oid] = raw.access_methods.items[i].name;
        boost::container::flat_map<Oid, core::Index>::sequence_type v;
        v.reserve(raw.indexes.n);
        for (const RawIndex* rp : by_oid(raw.indexes)) {
            const RawIndex& r = *rp;
            auto cit = index_classes.find(r.oid);
            if (cit == index_classes.end()) continue;
            const RawClass& c = *cit->second;
            core::Index ix;
            ix.oid = r.oid;
            ix.table = r.table;
            ix.nsp = c.nsp;
            ix.name = c.name;
            ix.qname = c.qname;
            ix.kind = c.kind;
            ix.is_partition = c.is_partition;
            auto am = ams.find(c.am);
            ix.am = am == ams.end() ? std::string() : am->second;
            ix.nkey = r.nkey;
            ix.columns.assign(r.keys, r.keys + r.natts);
            if (r.opclasses) ix.opclasses.assign(r.opclasses, r.opclasses + r.nkey);
            if (r.collations) ix.collations.assign(r.collations, r.collations + r.nkey);
            if (r.options) ix.options.assign(r.options, r.options + r.nkey);
            if (r.expressions) ix.expressions = strip_locations(r.expressions);
            if (r.predicate) ix.predicate = strip_locations(r.predicate);
            ix.predicate_implied_by_not_null = r.predicate_implied_by_not_null;
            if (c.reloptions) ix.reloptions = c.reloptions;
            ix.unique = r.unique;
            ix.primary = r.primary;
            ix.exclusion = r.exclusion;
            ix.nulls_not_distinct = r.nulls_not_distinct;
            ix.valid = r.valid;
            ix.ready = r.ready;
            ix.live = r.live;
            ix.pages = c.pages;
            if (r.has_scans) ix.scans = r.scans;
            v.emplace_back(ix.oid, std::move(ix));
        }
        fill_sorted(m.indexes, std::move(v));
    }
    m.constraints.reserve(raw.constraints.n);
    for (int i = 0; i < raw.constraints.n; ++i) {
        const RawConstraint& r = raw.constraints.items[i];
        core::Constraint c;
        c.oid = r.oid;
        c.name = r.name;
        c.qname = r.qname;
        c.type = r.type;
        c.table = r.table;
        c.ref_table = r.ref_table;
        c.index = r.index;
        c.parent = r.parent;
        c.validated = r.validated;
        if (r.key) c.key.assign(r.key, r.key + r.nkey);
        if (r.ref_key) c.ref_key.assign(r.ref_key, r.ref_key + r.nref);
        m.constraints.push_back(std::move(c));
    }
    std::sort(m.constraints.begin(), m.constraints.end(),
              [](const core::Constraint& a, const core::Constraint& b) { return a.oid < b.oid; });
    m.triggers.reserve(raw.triggers.n);
    for (int i = 0; i < raw.triggers.n; ++i) {
        const RawTrigger& r = raw.triggers.items[i];
        core::Trigger t;
        t.table = r.table;
        t.name = r.name;
        t.function = r.function;
        t.type = r.type;
        t.enabled = r.enabled;
        t.nattr = r.nattr;
        if (r.first_arg) t.first_arg = r.first_arg;
        m.triggers.push_back(std::move(t));
    }
    std::sort(m.triggers.begin(), m.triggers.end(), [](const core::Trigger& a, const core::Trigger& b) {
        return std::tie(a.table, a.name) < std::tie(b.table, b.name);
    });
    {
        boost::container::flat_map<Oid, core::Function>::sequence_type v;
        for (int i = 0; i < raw.functions.n; ++i) {
            const RawFunction& r = raw.functions.items[i];
            core::Function f;
            f.oid = r.oid;
            f.nsp = r.nsp;
            f.name = r.name;
            f.language = r.language;
            f.security_definer = r.security_definer;
            f.is_procedure = r.is_procedure;
            f.pins_search_path = r.pins_search_path;
            if (r.source) f.source = r.source;
            if (r.identity) f.identity = r.identity;
            v.emplace_back(f.oid, std::move(f));
        }
        fill_sorted(m.functions, std::move(v));
    }
    {
        std::vector<Oid> ext_rel, ext_fn, ext_nsp;
        boost::container::flat_map<Oid, std::pair<Oid, core::AttrNumber>> owner;
        for (int i = 0; i < raw.depends.n; ++i) {
            const RawDepend& d = raw.depends.items[i];
            if (d.type == 'e') {
                (d.kind == 'c' ? ext_rel : d.kind == 'f' ? ext_fn : ext_nsp).push_back(d.obj);
            } else {
                owner[d.obj] = {d.ref, d.ref_column};
            }
        }
        m.extension_relations.insert(ext_rel.begin(), ext_rel.end());
        m.extension_functions.insert(ext_fn.begin(), ext_fn.end());
        m.extension_namespaces.insert(ext_nsp.begin(), ext_nsp.end());
        m.sequences.reserve(raw.sequences.n);
        for (int i = 0; i < raw.sequences.n; ++i) {
            const RawSequence& r = raw.sequences.items[i];
            core::Sequence s;
            s.oid = r.oid;
            s.type = r.type;
            s.start = r.start;
            s.increment = r.increment;
            s.max = r.max;
            s.min = r.min;
            s.cycle = r.cycle;
            if (r.has_last) s.last = r.last;
            auto o = owner.find(s.oid);
            if (o != owner.end()) {
                s.owner_table = o->second.first;
                s.owner_column = o->second.second;
            }
            m.sequences.push_back(s);
        }
        std::sort(m.sequences.begin(), m.sequences.end(),
                  [](const core::Sequence& a, const core::Sequence& b) { return a.oid < b.oid; });
    }
    for (int i = 0; i < raw.builds.n; ++i) m.index_builds_in_progress.insert(raw.builds.items[i]);
    if (raw.stats_reset) {
        m.stats_reset = std::string(raw.stats_reset);
        m.stats_age_seconds = raw.stats_age_seconds;
    }
    m.settings.audit_columns.clear();
    m.settings.audit_columns_quoted.clear();
    for (int i = 0; i < raw.audit_columns.n; ++i) {
        m.settings.audit_columns.emplace_back(raw.audit_columns.items[i]);
        m.settings.audit_columns_quoted.emplace_back(raw.audit_columns_quoted.items[i]);
    }
    m.settings.max_indexes_per_table = raw.max_indexes_per_table;
    m.link();
}

}  // namespace schema_oracle::pg
