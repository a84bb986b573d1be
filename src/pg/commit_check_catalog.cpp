// commit_check_catalog.cpp: the catalog rows the commit check judges, for
// the few tables a transaction touched, read through the catalog indexes
// (not report()'s full scans) into report()'s own raw format, so that
// build_model() and report()'s rules see exactly what they see in report().
//
// C land: plain palloc'd arrays, may ereport (the caller runs it inside an
// internal subtransaction). Reads with the catalog snapshot, takes no lock
// on the tables: a table dropped meanwhile is simply missing.
#include <cstring>

#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/fk_coverage.hpp"
#include "schema_oracle/upstream/upstream.hpp"
#include "schema_oracle/pg/settings.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_am.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_language.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "commands/trigger.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/varlena.h"
}

namespace schema_oracle::pg {

namespace {

template <typename T>
T* push(PodArray<T>& a, int&) {
    if (a.n == a.cap) {
        a.cap = a.cap ? a.cap * 2 : 16;
        a.items = static_cast<T*>(a.items ? repalloc(a.items, sizeof(T) * a.cap)
                                          : palloc(sizeof(T) * a.cap));
    }
    T* item = &a.items[a.n++];
    memset(item, 0, sizeof(T));
    return item;
}

struct Caps {
    int namespaces, classes, attributes, indexes, constraints, triggers, functions, depends,
        access_methods;
};

bool has_namespace(const RawCatalog* raw, Oid nsp) {
    for (int i = 0; i < raw->namespaces.n; ++i)
        if (raw->namespaces.items[i].oid == nsp)
            return true;
    return false;
}

// The OIDs of raw->classes, hashed (open addressing, InvalidOid = empty):
// a migration of one transaction judges every table it created at once,
// and a linear search per table and per name scanned made that quadratic.
// Entries pushed since the last lookup are added first, so every push site
// stays as it is. Reset by read_commit_catalog().
struct ClassIndex {
    Oid* slots;
    uint32 mask;
    int used;
    int indexed;  // raw->classes.items[0 .. indexed) are in the slots
};
ClassIndex class_index;

void class_index_add(Oid oid) {
    if (2 * (class_index.used + 1) > static_cast<int>(class_index.mask + 1)) {
        const uint32 cap = class_index.mask ? 2 * (class_index.mask + 1) : 256;
        Oid* old = class_index.slots;
        const uint32 old_cap = class_index.mask ? class_index.mask + 1 : 0;
        class_index.slots = static_cast<Oid*>(palloc0(sizeof(Oid) * cap));
        class_index.mask = cap - 1;
        class_index.used = 0;
        for (uint32 i = 0; i < old_cap; ++i)
            if (OidIsValid(old[i]))
                class_index_add(old[i]);
        if (old != nullptr)
            pfree(old);
    }
    uint32 h = (oid * 2654435761U) & class_index.mask;
    while (OidIsValid(class_index.slots[h])) {
        if (class_index.slots[h] == oid)
            return;
        h = (h + 1) & class_index.mask;
    }
    class_index.slots[h] = oid;
    ++class_index.used;
}

bool has_class(const RawCatalog* raw, Oid oid) {
    while (class_index.indexed < raw->classes.n)
        class_index_add(raw->classes.items[class_index.indexed++].oid);
    if (class_index.mask == 0)
        return false;
    uint32 h = (oid * 2654435761U) & class_index.mask;
    while (OidIsValid(class_index.slots[h])) {
        if (class_index.slots[h] == oid)
            return true;
        h = (h + 1) & class_index.mask;
    }
    return false;
}

void add_namespace(RawCatalog* raw, Caps& caps, Oid nsp) {
    if (has_namespace(raw, nsp))
        return;
    char* name = get_namespace_name(nsp);
    if (name == nullptr)
        return;
    RawNamespace* r = push(raw->namespaces, caps.namespaces);
    r->oid = nsp;
    r->name = name;
    r->qname = quote_identifier(name);
    if (OidIsValid(getExtensionOfObject(NamespaceRelationId, nsp))) {
        RawDepend* d = push(raw->depends, caps.depends);
        d->type = 'e';
        d->kind = 'n';
        d->obj = nsp;
    }
}

void add_access_method(RawCatalog* raw, Caps& caps, Oid am) {
    for (int i = 0; i < raw->access_methods.n; ++i)
        if (raw->access_methods.items[i].oid == am)
            return;
    HeapTuple tup = SearchSysCache1(AMOID, ObjectIdGetDatum(am));
    if (!HeapTupleIsValid(tup))
        return;
    RawNamespace* r = push(raw->access_methods, caps.access_methods);
    r->oid = am;
    r->name = pstrdup(NameStr(reinterpret_cast<Form_pg_am>(GETSTRUCT(tup))->amname));
    ReleaseSysCache(tup);
}

void add_class_row(RawCatalog* raw, Caps& caps, Oid oid, const FormData_pg_class* c,
                   char force_kind) {
    RawClass* r = push(raw->classes, caps.classes);
    r->oid = oid;
    r->nsp = c->relnamespace;
    r->am = c->relam;
    r->name = pstrdup(NameStr(c->relname));
    r->qname = quote_identifier(r->name);
    r->kind = force_kind ? force_kind : c->relkind;
    r->is_partition = c->relispartition;
    r->typed = OidIsValid(c->reloftype);
    r->pages = c->relpages;
}

// One index scan of a catalog, `decode` called for each row: the loop every
// add_X() below shares. Locks the catalog like table_open() does (waits);
// `decode` is C land too (no destructors: it may ereport).
template <typename Decode>
void scan_index(Oid catalog, Oid index, int nkeys, ScanKeyData* keys, Decode&& decode) {
    Relation rel = table_open(catalog, AccessShareLock);
    TupleDesc desc = RelationGetDescr(rel);
    SysScanDesc scan = systable_beginscan(rel, index, true, nullptr, nkeys, keys);
    HeapTuple tup;
    while ((tup = systable_getnext(scan)) != nullptr) decode(tup, desc);
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
}

// The rows of one table in a catalog keyed (first) by its OID.
template <typename Decode>
void scan_rows_of(Oid catalog, Oid index, AttrNumber relid_column, Oid table, Decode&& decode) {
    ScanKeyData key;
    ScanKeyInit(&key, relid_column, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(table));
    scan_index(catalog, index, 1, &key, decode);
}

// Every relation name in `nsp` that starts with `prefix`: the names a
// generated index name could collide with (report()'s NameRegistry keeps
// away from every name in the model). One range scan of
// pg_class_relname_nsp_index; kind 'x' keeps them out of every rule.
void add_names_with_prefix(RawCatalog* raw, Caps& caps, Oid nsp, const char* prefix) {
    NameData start;
    namestrcpy(&start, prefix);
    const size_t len = strlen(prefix);
    Relation rel = table_open(RelationRelationId, AccessShareLock);
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_class_relname, BTGreaterEqualStrategyNumber, F_NAMEGE,
                NameGetDatum(&start));
    SysScanDesc scan = systable_beginscan(rel, ClassNameNspIndexId, true, nullptr, 1, &key);
    HeapTuple tup;
    while ((tup = systable_getnext(scan)) != nullptr) {
        auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
        if (strncmp(NameStr(c->relname), prefix, len) != 0)
            break;
        if (c->relnamespace != nsp || has_class(raw, c->oid))
            continue;
        RawClass* r = push(raw->classes, caps.classes);
        r->oid = c->oid;
        r->nsp = nsp;
        r->name = pstrdup(NameStr(c->relname));
        r->qname = quote_identifier(r->name);
        r->kind = 'x';
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
}

// From the table's relcache entry (the transaction just used it, so it is
// built; if not, PostgreSQL builds it for the next statement anyway).
void add_attributes(RawCatalog* raw, Caps& caps, Oid table, Relation rel) {
    TupleDesc desc = RelationGetDescr(rel);
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute a = TupleDescAttr(desc, i);
        if (a->attisdropped || a->attnum <= 0)
            continue;
        RawAttribute* r = push(raw->attributes, caps.attributes);
        r->rel = table;
        r->type = a->atttypid;
        r->typmod = a->atttypmod;
        r->attnum = a->attnum;
        r->not_null = a->attnotnull;
        r->is_local = a->attislocal;
        r->identity = a->attidentity;
        r->name = pstrdup(NameStr(a->attname));
        r->qname = quote_identifier(r->name);
    }
}

// Whether ADD PRIMARY KEY ... USING INDEX accepts this unique index
// (missing_primary_key's fix; src/upstream/using_index.cpp). `tup` is the
// index's pg_index row from the syscache.
bool default_sorting(HeapTuple tup, const int16* keys) {
    auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
    bool n1, n2, n3;
    Datum cls = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indclass, &n1);
    Datum col = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indcollation, &n2);
    Datum opt = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indoption, &n3);
    if (n1 || n2 || n3)
        return false;
    return upstream::index_has_default_sorting(
        i->indexrelid, i->indrelid, keys,
        reinterpret_cast<oidvector*>(DatumGetPointer(cls))->values,
        reinterpret_cast<oidvector*>(DatumGetPointer(col))->values,
        reinterpret_cast<int2vector*>(DatumGetPointer(opt))->values, i->indnkeyatts);
}

// One index: its pg_index row `tup` and pg_class row `cls`.
void add_index_rows(RawCatalog* raw, Caps& caps, Oid table, HeapTuple tup,
                    const FormData_pg_class* cls, bool want_sorting) {
    bool isnull;
    auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
    add_class_row(raw, caps, i->indexrelid, cls, 0);
    add_access_method(raw, caps, raw->classes.items[raw->classes.n - 1].am);
    RawIndex* r = push(raw->indexes, caps.indexes);
    r->oid = i->indexrelid;
    r->table = table;
    r->natts = i->indnatts;
    r->nkey = i->indnkeyatts;
    r->unique = i->indisunique;
    r->primary = i->indisprimary;
    r->exclusion = i->indisexclusion;
    r->nulls_not_distinct = i->indnullsnotdistinct;
    r->valid = i->indisvalid;
    r->ready = i->indisready;
    r->live = i->indislive;
    auto* keys = static_cast<int16*>(palloc(sizeof(int16) * (i->indnatts + 1)));
    memcpy(keys, i->indkey.values, sizeof(int16) * i->indnatts);
    r->keys = keys;
    r->default_sorting = want_sorting && i->indisunique && default_sorting(tup, keys);
    // SysCacheGetAttr reads any pg_index tuple with the catalog's descriptor.
    Datum d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indexprs, &isnull);
    if (!isnull)
        r->expressions = TextDatumGetCString(d);
    d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indpred, &isnull);
    if (!isnull)
        r->predicate = TextDatumGetCString(d);
}

// The relcache's index list (indexes being dropped are left out, as the
// planner leaves them out), each index's pg_index and pg_class rows from the
// syscache; for a table this transaction created, from the indexes' own
// relcache entries instead. Every index of such a table was created in the
// transaction too, and PostgreSQL keeps a relation created in the running
// transaction in the relcache, rebuilt at each invalidation rather than
// flushed (RelationFlushRelation), so the entries are there and current
// (the caller's command-counter increment processed the last
// invalidations): no catalog access, where the syscache lookups missed
// (the rows are new) and read both catalogs, about 15,000 instructions per
// index at every commit.
void add_indexes(RawCatalog* raw, Caps& caps, Oid table, Relation rel) {
    const bool created_here = rel->rd_createSubid != InvalidSubTransactionId;
    List* list = RelationGetIndexList(rel);
    // Whether an index's sort order is its operator classes' default only
    // matters to missing_primary_key's fix (ADD PRIMARY KEY USING INDEX), so
    // not on a table with a primary key: the relcache's primary key index
    // (valid, immediate; noted by the RelationGetIndexList() above) says it
    // has one. The test reads the operator classes (about 17,000
    // instructions per unique index).
    const bool want_sorting = !OidIsValid(RelationGetPrimaryKeyIndex(rel));
    ListCell* lc;
    foreach (lc, list) {
        const Oid index = lfirst_oid(lc);
        if (created_here) {
            Relation irel = RelationIdGetRelation(index);
            if (irel == nullptr)
                continue;
            if (irel->rd_indextuple != nullptr)
                add_index_rows(raw, caps, table, irel->rd_indextuple, irel->rd_rel, want_sorting);
            RelationClose(irel);
        } else {
            HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
            if (!HeapTupleIsValid(tup))
                continue;
            HeapTuple cls = SearchSysCache1(RELOID, ObjectIdGetDatum(index));
            if (HeapTupleIsValid(cls)) {
                add_index_rows(raw, caps, table, tup,
                               reinterpret_cast<Form_pg_class>(GETSTRUCT(cls)), want_sorting);
                ReleaseSysCache(cls);
            }
            ReleaseSysCache(tup);
        }
        RawIndex* r = raw->indexes.n > 0 ? &raw->indexes.items[raw->indexes.n - 1] : nullptr;
        if (r != nullptr && r->oid == index && r->predicate != nullptr)
            r->predicate_implied_by_not_null = static_cast<std::int16_t>(
                not_null_prefix_implying_predicate(table, r->predicate, r->keys, r->nkey));
    }
    list_free(list);
}

int16* copy_int2_array(Datum d, int* n) {
    ArrayType* arr = DatumGetArrayTypeP(d);
    *n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    auto* out = static_cast<int16*>(palloc(sizeof(int16) * (*n > 0 ? *n : 1)));
    if (*n > 0)
        memcpy(out, ARR_DATA_PTR(arr), sizeof(int16) * *n);
    return out;
}

// Returns whether the table has a foreign key.
bool add_constraints(RawCatalog* raw, Caps& caps, Oid table) {
    bool has_fk = false;
    scan_rows_of(ConstraintRelationId, ConstraintRelidTypidNameIndexId, Anum_pg_constraint_conrelid,
                 table, [&](HeapTuple tup, TupleDesc desc) {
                     bool isnull;
                     auto* c = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tup));
                     if (c->contype != CONSTRAINT_PRIMARY && c->contype != CONSTRAINT_UNIQUE &&
                         c->contype != CONSTRAINT_FOREIGN && c->contype != CONSTRAINT_EXCLUSION)
                         return;
                     RawConstraint* r = push(raw->constraints, caps.constraints);
                     r->oid = c->oid;
                     r->table = table;
                     r->ref_table = c->confrelid;
                     r->index = c->conindid;
                     r->parent = c->conparentid;
                     r->type = c->contype;
                     r->validated = c->convalidated;
                     r->name = pstrdup(NameStr(c->conname));
                     r->qname = quote_identifier(r->name);
                     Datum d = heap_getattr(tup, Anum_pg_constraint_conkey, desc, &isnull);
                     if (!isnull)
                         r->key = copy_int2_array(d, &r->nkey);
                     if (c->contype == CONSTRAINT_FOREIGN) {
                         has_fk = true;
                         d = heap_getattr(tup, Anum_pg_constraint_confkey, desc, &isnull);
                         if (!isnull)
                             r->ref_key = copy_int2_array(d, &r->nref);
                     }
                 });
    return has_fk;
}

void add_function(RawCatalog* raw, Caps& caps, Oid fn) {
    for (int i = 0; i < raw->functions.n; ++i)
        if (raw->functions.items[i].oid == fn)
            return;
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
    if (!HeapTupleIsValid(tup))
        return;
    auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tup));
    RawFunction* r = push(raw->functions, caps.functions);
    r->oid = fn;
    r->nsp = p->pronamespace;
    r->security_definer = p->prosecdef;
    r->is_procedure = p->prokind == PROKIND_PROCEDURE;
    r->name = pstrdup(NameStr(p->proname));
    // Its schema too: the updated_at rule knows schema_oracle.set_updated_at()
    // by its schema's name (without it, a trigger calling it kept nothing
    // current at commit, while report() saw it did).
    const Oid nsp = p->pronamespace;
    r->language = "";
    HeapTuple lang = SearchSysCache1(LANGOID, ObjectIdGetDatum(p->prolang));
    if (HeapTupleIsValid(lang)) {
        r->language =
            pstrdup(NameStr(reinterpret_cast<Form_pg_language>(GETSTRUCT(lang))->lanname));
        ReleaseSysCache(lang);
    }
    bool isnull;
    Datum d = SysCacheGetAttr(PROCOID, tup, Anum_pg_proc_prosrc, &isnull);
    if (!isnull)
        r->source = TextDatumGetCString(d);
    ReleaseSysCache(tup);
    add_namespace(raw, caps, nsp);
}

// The relcache's trigger descriptor (read from pg_trigger in name order,
// as a scan of its (tgrelid, tgname) index would).
void add_triggers(RawCatalog* raw, Caps& caps, Oid table, Relation rel) {
    TriggerDesc* desc = rel->trigdesc;
    if (desc == nullptr)
        return;
    for (int k = 0; k < desc->numtriggers; ++k) {
        const Trigger* t = &desc->triggers[k];
        if (t->tgisinternal)
            continue;
        RawTrigger* r = push(raw->triggers, caps.triggers);
        r->table = table;
        r->function = t->tgfoid;
        r->type = t->tgtype;
        r->enabled = t->tgenabled;
        r->nattr = t->tgnattr;
        r->name = pstrdup(t->tgname);
        if (t->tgnargs > 0 && t->tgargs != nullptr)
            r->first_arg = pstrdup(t->tgargs[0]);
        add_function(raw, caps, t->tgfoid);
    }
}

void add_settings(RawCatalog* raw) {
    raw->max_indexes_per_table = settings::max_indexes_per_table();
    // As its check hook parsed it (settings.cpp); copied, since a later SET
    // frees the GUC's parsed block.
    const settings::NameList audit = settings::audit_columns();
    const char* const* names = audit.names;
    const int n = audit.count;
    raw->audit_columns.items = static_cast<const char**>(palloc(sizeof(char*) * (n + 1)));
    raw->audit_columns_quoted.items = static_cast<const char**>(palloc(sizeof(char*) * (n + 1)));
    for (int i = 0; i < n; ++i) {
        raw->audit_columns.items[raw->audit_columns.n++] = pstrdup(names[i]);
        raw->audit_columns_quoted.items[raw->audit_columns_quoted.n++] = quote_identifier(names[i]);
    }
}

// Truncated to at most `n` bytes on a character boundary (the database
// encoding may be multibyte; names are valid in it).
char* name_prefix(const char* name, size_t n) {
    size_t len = strlen(name);
    if (len <= n)
        return pstrdup(name);
    size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    return pnstrdup(name, cut);
}

}  // namespace

RawCatalog* read_commit_catalog(const Oid* tables, int n, bool name_prefixes) {
    // What other sessions committed meanwhile (an index a concurrent CREATE
    // INDEX CONCURRENTLY finished) reaches the relcache and syscache now:
    // their reads below take no lock that would process it.
    AcceptInvalidationMessages();
    auto* raw = static_cast<RawCatalog*>(palloc0(sizeof(RawCatalog)));
    memset(&class_index, 0, sizeof class_index);  // the last call's memory may be gone
    Caps caps;
    memset(&caps, 0, sizeof caps);
    // The names generated index names could collide with are read after
    // every judged table's own rows: a scan for t2's names also finds t20,
    // and a placeholder for it read first would hide t20 itself (kind 'x',
    // so none of its foreign keys or columns were judged).
    struct NameScan {
        Oid nsp;
        char* prefix;
    };
    auto* scans = static_cast<NameScan*>(palloc(sizeof(NameScan) * (n > 0 ? n : 1)));
    int nscans = 0;
    for (int i = 0; i < n; ++i) {
        if (has_class(raw, tables[i]))
            continue;
        // No lock: the transaction holds one on every table it touched; a
        // table dropped since is simply missing.
        Relation rel = RelationIdGetRelation(tables[i]);
        if (rel == nullptr)
            continue;
        // Its pg_class row as the relcache holds it (current: the caller's
        // command-counter increment processed the transaction's own
        // invalidations, and AcceptInvalidationMessages() above the others'),
        // not from the syscache, whose entry the statement's own updates of
        // the row (relhasindex, reltoastrelid) evicted: a catalog index scan
        // (about 7,000 instructions) at each autocommit CREATE TABLE.
        add_class_row(raw, caps, tables[i], rel->rd_rel, 0);
        const RawClass& t = raw->classes.items[raw->classes.n - 1];
        const Oid nsp = t.nsp;
        const char* name = t.name;
        add_namespace(raw, caps, nsp);
        // A table this transaction created is an extension's member only
        // if the transaction ran extension DDL (CREATE EXTENSION, ALTER
        // EXTENSION UPDATE / ADD): otherwise its pg_depend scan is skipped.
        const bool may_be_member =
            rel->rd_createSubid == InvalidSubTransactionId || commit_check_extension_ddl_ran();
        if (may_be_member && OidIsValid(getExtensionOfObject(RelationRelationId, tables[i]))) {
            RawDepend* d = push(raw->depends, caps.depends);
            d->type = 'e';
            d->kind = 'c';
            d->obj = tables[i];
        }
        add_attributes(raw, caps, tables[i], rel);
        add_indexes(raw, caps, tables[i], rel);
        add_triggers(raw, caps, tables[i], rel);
        RelationClose(rel);
        // A generated index name starts with the table's name cut to at most
        // 58 bytes (63 minus "_idx" and a separator, ChooseRelationName).
        if (add_constraints(raw, caps, tables[i]) && name_prefixes)
            scans[nscans++] = NameScan{nsp, name_prefix(name, 50)};
    }
    for (int i = 0; i < nscans; ++i)
        add_names_with_prefix(raw, caps, scans[i].nsp, scans[i].prefix);
    add_settings(raw);
    return raw;
}

}  // namespace schema_oracle::pg
