// catalog_reader.cpp: report()'s one pass over the catalogs (the C half;
// src/pg/catalog_builder.cpp turns the rows into the model).
//
// Each catalog is read by ONE sequential scan with the catalog snapshot (no
// per-object queries, no per-row pg_depend probes, no SQL layer in between):
// scan_catalog() is that scan, and one read_X() decoder per catalog copies
// the needed fields into plain arrays (pg_cron's one-decoder-per-catalog
// shape). Statistics, settings and exemptions are read apart from the scans.
// Everything is read-only, so it works on a hot standby. The catalogs scanned here are
// readable by every role; what is private is honoured: sequence values need
// SELECT or USAGE, the exemptions are read through SPI with the caller's
// rights.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "schema_oracle/core/sort_keys.hpp"
#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/core/type_hygiene.hpp"
#include "schema_oracle/pg/fk_coverage.hpp"
#include "schema_oracle/pg/settings.hpp"
#include "schema_oracle/pg/shared_stats.hpp"
#include "schema_oracle/pg/postgres.hpp"
#include "schema_oracle/pg/catalog_scan.hpp"
#include "schema_oracle/upstream/upstream.hpp"

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
#include "catalog/pg_extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_statistic.h"
#include "commands/extension.h"
#include "utils/lsyscache.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
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
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/backend_progress.h"
#include "utils/backend_status.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "access/stratnum.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"
}

namespace schema_oracle::pg {

namespace {

// ---------------------------------------------------------------- C land --
// Plain C: palloc'd arrays, no object with a destructor anywhere. The
// decoders are lambdas capturing by reference: trivially destructible, so an
// ereport longjmp through them skips nothing.

// A set of OIDs for the scans' filters: add, then sort once, then test
// membership. pg_attribute's ~40 rows per table each ask "is this one of
// ours?", so a dense OID range also gets a bitmap (objects created together
// have neighbouring OIDs); otherwise a binary search.
struct OidSet {
    PodArray<RawOid> oids;  // sorted and unique after oidset_sort()
    RawOid lo;
    RawOid nbits;  // 0: no bitmap
    unsigned char* bits;
};

void oidset_add(OidSet& s, RawOid oid) {
    *push(s.oids) = oid;
}

void oidset_sort(OidSet& s) {
    PodArray<RawOid>& a = s.oids;
    // Not qsort() (a pointer call per comparison), not std::sort, which
    // degenerates on heap order: a radix sort (core/sort_keys.hpp).
    if (a.n > 1 && !std::is_sorted(a.items, a.items + a.n)) {
        auto* tmp = static_cast<RawOid*>(palloc_extended(sizeof(RawOid) * a.n, MCXT_ALLOC_HUGE));
        core::radix_sort_keys(a.items, tmp, static_cast<std::size_t>(a.n));
        pfree(tmp);
    }
    int w = 0;
    for (int r = 0; r < a.n; ++r)
        if (w == 0 || a.items[w - 1] != a.items[r])
            a.items[w++] = a.items[r];
    a.n = w;
    s.nbits = 0;
    if (a.n < 64)
        return;
    RawOid range = a.items[a.n - 1] - a.items[0] + 1;
    if (range > (1u << 20) && range / 64 > static_cast<RawOid>(a.n))
        return;  // too sparse
    s.lo = a.items[0];
    s.nbits = range;
    s.bits = static_cast<unsigned char*>(palloc0(range / 8 + 1));
    for (int i = 0; i < a.n; ++i) {
        RawOid k = a.items[i] - s.lo;
        s.bits[k / 8] |= static_cast<unsigned char>(1u << (k % 8));
    }
}

bool oidset_has(const OidSet& s, RawOid oid) {
    if (s.nbits) {
        if (oid < s.lo || oid - s.lo >= s.nbits)
            return false;
        RawOid k = oid - s.lo;
        return (s.bits[k / 8] >> (k % 8)) & 1;
    }
    int lo = 0, hi = s.oids.n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (s.oids.items[mid] == oid)
            return true;
        if (s.oids.items[mid] < oid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

// The scan primitive: the rows of `catalog` with the catalog snapshot,
// handed to decode(tuple, descriptor). Without keys: one sequential heap
// scan of the whole catalog; with keys on the leading columns of `index`:
// an index scan of just those rows.
// report() never waits for a lock (a CI job must not hang behind someone's
// open transaction): a catalog or catalog index that another session holds
// ACCESS EXCLUSIVE (VACUUM FULL, REINDEX of a catalog) fails the call with
// 55P03 at once instead.
void lock_catalog_or_fail(Oid relid) {
    if (!ConditionalLockRelationOid(relid, AccessShareLock))
        ereport(ERROR, (errcode(ERRCODE_LOCK_NOT_AVAILABLE),
                        // No name lookup: it could wait on the very catalog.
                        errmsg("schema_oracle: report() could not read system catalog %u: "
                               "another session holds an ACCESS EXCLUSIVE lock on it",
                               relid),
                        errhint("Run report() again once that session's VACUUM FULL, CLUSTER "
                                "or REINDEX is done.")));
}

// A whole catalog, sequentially: what systable_beginscan() does without an
// index (the catalog snapshot, registered; a bulk-read strategy off, page
// at a time), but each row taken with heap_getnext() as the heap hands it
// out. systable_getnext() stores every row in a slot and fetches it back
// (a buffer pin and unpin per row), which on pg_attribute's hundreds of
// thousands of rows costs more than the decoders do. Catalogs are heap
// tables; heap_getnext() checks that. (systable_getnext()'s other work, the
// concurrent-abort check of logical decoding, has no place in report().)
template <typename Decode>
void heap_rows(Relation rel, Decode&& decode) {
    TupleDesc desc = RelationGetDescr(rel);
    Snapshot snapshot = RegisterSnapshot(GetCatalogSnapshot(RelationGetRelid(rel)));
    TableScanDesc scan = table_beginscan_strat(rel, snapshot, 0, nullptr, true, false);
    HeapTuple tup;
    while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
        CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
        decode(tup, desc);
    }
    table_endscan(scan);
    UnregisterSnapshot(snapshot);
}

template <typename Decode>
void scan_catalog(Oid catalog, Oid index, int nkeys, ScanKeyData* keys, Decode&& decode) {
    lock_catalog_or_fail(catalog);
    if (OidIsValid(index))
        lock_catalog_or_fail(index);
    Relation rel = table_open(catalog, NoLock);
    if (OidIsValid(index) || nkeys > 0)
        scan_rows(rel, index, nkeys, keys, decode);
    else
        heap_rows(rel, decode);
    if (OidIsValid(index))
        UnlockRelationOid(index, AccessShareLock);
    table_close(rel, AccessShareLock);
}

template <typename Decode>
void scan_catalog(Oid catalog, Decode&& decode) {
    scan_catalog(catalog, InvalidOid, 0, nullptr, decode);
}

// A nullable column of the row, or nullopt-like: returns false when NULL.
bool column(HeapTuple tup, int attnum, TupleDesc desc, Datum* out) {
    bool isnull;
    *out = heap_getattr(tup, attnum, desc, &isnull);
    return !isnull;
}

// Where the first variable-length column of a catalog starts, when every
// column before `attnum` (1-based) is fixed-width: the rows' common prefix,
// laid out as heap_deform_tuple() lays it out (each column at its nominal
// alignment). -1 if a column before it is not fixed-width.
int fixed_prefix_end(TupleDesc desc, int attnum) {
    int off = 0;
    for (int j = 0; j < attnum - 1; ++j) {
        Form_pg_attribute a = TupleDescAttr(desc, j);
        if (a->attlen <= 0)
            return -1;
        off = att_align_nominal(off, a->attalign);
        off += a->attlen;
    }
    return off;
}

// Columns first..last (1-based) of a row whose columns before `first` are
// the fixed-width prefix ending at `prefix_end` (fixed_prefix_end()), the way
// heap_deform_tuple() walks them: a NULL takes no room, each value sits at
// its alignment (none for a short varlena header). heap_getattr() of a
// column after a variable-length one walks the row from its start each time
// (nocachegetattr(), always, in a row with a NULL anywhere: a foreign key
// has three), which costs more than the rest of the row's decoding.
// False, nothing decoded, when the shortcut does not apply (the prefix is
// not fixed-width, has a NULL, or the row has fewer columns): ask
// heap_getattr() then.
bool deform_after_prefix(HeapTuple tup, TupleDesc desc, int prefix_end, int first, int last,
                         Datum* values, bool* nulls) {
    HeapTupleHeader t = tup->t_data;
    if (prefix_end < 0 || HeapTupleHeaderGetNatts(t) < last)
        return false;
    const bool hasnulls = HeapTupleHasNulls(tup);
    const bits8* bp = t->t_bits;
    if (hasnulls) {  // a NULL among the prefix's columns? (a bit 0), a byte at a time
        const int full = (first - 1) / 8, rest = (first - 1) % 8;
        for (int b = 0; b < full; ++b)
            if (bp[b] != 0xFF)
                return false;
        if (rest != 0 && ((~bp[full]) & ((1 << rest) - 1)) != 0)
            return false;
    }
    char* tp = reinterpret_cast<char*>(t) + t->t_hoff;
    long off = prefix_end;
    for (int j = first - 1; j < last; ++j) {
        if (hasnulls && att_isnull(j, bp)) {
            values[j - first + 1] = (Datum)0;
            nulls[j - first + 1] = true;
            continue;
        }
        Form_pg_attribute a = TupleDescAttr(desc, j);
        off = att_align_pointer(off, a->attalign, a->attlen, tp + off);
        values[j - first + 1] = fetchatt(a, tp + off);
        nulls[j - first + 1] = false;
        off = att_addlength_pointer(off, a->attlen, tp + off);
    }
    return true;
}

// quote_identifier(), which returns the name itself when it needs no
// quotes: lower-case letters, digits and underscores, not starting with a
// digit, and not a reserved keyword. No keyword of parser/kwlist.h has a
// digit, so a safe name with a digit (t1234, t1234_p1_idx: most names of a
// big generated schema) skips the keyword lookup, which is most of the
// call's cost; everything else, and quote_all_identifiers, is left to it.
const char* qname_of(const char* name) {
    if (quote_all_identifiers || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return quote_identifier(name);
    bool digit = false;
    for (const char* p = name; *p; ++p) {
        const char ch = *p;
        if (ch >= '0' && ch <= '9')
            digit = true;
        else if (!((ch >= 'a' && ch <= 'z') || ch == '_'))
            return quote_identifier(name);
    }
    return digit ? name : quote_identifier(name);
}

// The raw rows' small copies (names, key arrays: a few bytes each, tens of
// thousands of them) bumped out of 64 kB blocks of the current memory
// context: a palloc() each would add its 16-byte chunk header and round up
// to a power of two, most of the copy's memory (and page faults). Freed
// with the context, like everything the scans allocate.
struct Bump {
    char* at;
    std::size_t left;
};

void* bump_alloc(Bump& b, std::size_t n, std::size_t align) {  // align: a power of two
    std::size_t pad = (0 - reinterpret_cast<std::uintptr_t>(b.at)) & (align - 1);
    if (b.at == nullptr || pad + n > b.left) {
        constexpr std::size_t block = 64 * 1024;
        if (n > block / 4)
            return palloc(n);                      // a large one on its own
        b.at = static_cast<char*>(palloc(block));  // MAXALIGNed
        b.left = block;
        pad = 0;
    }
    void* out = b.at + pad;
    b.at += pad + n;
    b.left -= pad + n;
    return out;
}

char* bump_strdup(Bump& b, const char* s) {
    const std::size_t n = strlen(s) + 1;
    return static_cast<char*>(memcpy(bump_alloc(b, n, 1), s, n));
}

// A row's catalog name and its quoted form, as every raw row holds them.
template <typename Row>
void set_name(Bump& b, Row* out, const char* name) {
    out->name = bump_strdup(b, name);
    out->qname = qname_of(out->name);
}

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
        if (nulls[i])
            continue;
        if (buf.len)
            appendStringInfoChar(&buf, ',');
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
        if (!nulls[i] && strncmp(TextDatumGetCString(elems[i]), prefix, len) == 0)
            return true;
    return false;
}

// An int2[] column's elements (conkey, confkey), copied. A small array is
// stored with a 1-byte header (3 bytes short of the 4-byte ArrayType
// layout); DatumGetArrayTypeP() would detoast it into a palloc'd copy
// first. A one-dimensional array without NULLs is read where it lies, by
// the layout of utils/array.h (its offsets count from where the 4-byte
// header would start); any other form is detoasted.
int16* copy_int2_array(Bump& b, Datum d, int* n) {
    const char* v = DatumGetPointer(d);
    if (VARATT_IS_SHORT(v)) {
        const char* base = v + VARHDRSZ_SHORT - VARHDRSZ;  // never read below v + 1
        ArrayType hdr;
        memcpy(reinterpret_cast<char*>(&hdr) + VARHDRSZ, base + VARHDRSZ,
               sizeof(ArrayType) - VARHDRSZ);
        if (hdr.dataoffset == 0 && hdr.elemtype == INT2OID && (hdr.ndim == 0 || hdr.ndim == 1)) {
            int count = 0;
            if (hdr.ndim == 1)
                memcpy(&count, base + sizeof(ArrayType), sizeof(int));
            const std::size_t bytes = sizeof(int16) * static_cast<std::size_t>(count);
            if (count >= 0 && ARR_OVERHEAD_NONULLS(hdr.ndim) + bytes <=
                                  static_cast<std::size_t>(VARSIZE_SHORT(v)) + 3) {
                *n = count;
                auto* out =
                    static_cast<int16*>(bump_alloc(b, bytes > 0 ? bytes : 1, alignof(int16)));
                if (count > 0)
                    memcpy(out, base + ARR_OVERHEAD_NONULLS(hdr.ndim), bytes);
                return out;
            }
        }
    }
    ArrayType* arr = DatumGetArrayTypeP(d);
    *n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    auto* out =
        static_cast<int16*>(bump_alloc(b, sizeof(int16) * (*n > 0 ? *n : 1), alignof(int16)));
    if (*n > 0)
        memcpy(out, ARR_DATA_PTR(arr), sizeof(int16) * *n);
    return out;
}

template <typename Vec, typename Elem>
Elem* copy_vector(Bump& b, const Vec* v, int n) {
    auto* out = static_cast<Elem*>(bump_alloc(b, sizeof(Elem) * (n > 0 ? n : 1), alignof(Elem)));
    if (n > 0)
        memcpy(out, v->values, sizeof(Elem) * n);
    return out;
}

// Room for `n` more rows in `a` at once (a catalog's row count from its
// pg_class row, an upper bound of the rows kept): no regrowth copying the
// array again and again. Pages the rows never reach are not touched, so
// the room costs address space only.
template <typename T>
void reserve(PodArray<T>& a, double n) {
    if (n <= 0 || a.n + n <= a.cap || n > 64.0 * 1024 * 1024)
        return;
    int cap = a.n + static_cast<int>(n) + 64;
    a.items = static_cast<T*>(a.items ? repalloc_huge(a.items, sizeof(T) * cap)
                                      : palloc_extended(sizeof(T) * cap, MCXT_ALLOC_HUGE));
    a.cap = cap;
}

// pg_class.reltuples of a catalog (-1 if never vacuumed or analyzed).
double catalog_rows(Oid catalog) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(catalog));
    if (!HeapTupleIsValid(tup))
        return -1;
    double n = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup))->reltuples;
    ReleaseSysCache(tup);
    return n;
}

// What the decoders share: the result, and the OID sets later scans filter
// on (user schemas, the tables, indexes and sequences kept, ...).
struct Reader {
    RawCatalog* raw;
    Bump bump;  // the rows' small copies
    OidSet nsps, tables, indexes, sequences, trigger_functions, types;
    OidSet big_tables;  // tables with at least stats_min_rows rows (statistics rules)
    // The column types added to `types` lately, by OID modulo its size: a
    // catalog's hundreds of thousands of columns have a few dozen types, so
    // most are not added again (and not sorted away again).
    RawOid recent_types[64];
    // Column names met lately with their copies, by a hash of the name: a
    // catalog's columns have far fewer distinct names than rows, so most
    // are neither copied nor quoted again.
    struct NameCopy {
        const char* name;
        const char* qname;
    } recent_names[1024];
    // The tables whose columns, indexes and constraints are read: `tables`,
    // or `big_tables` when every rule requested judges only those
    // (part::big_tables_only).
    const OidSet* judged;
};

// The rows of `catalog` that belong to the judged tables: one sequential
// scan of the whole catalog, or, when the judged tables are few next to all
// the tables (the statistics rules on a database with few big tables), one
// index scan per table on `index`, whose first column is the table's OID.
// decode() filters on the judged tables itself either way.
template <typename Decode>
void scan_judged(Reader& r, Oid catalog, Oid index, Decode&& decode);

// The class row of a table by OID (binary search over a sorted copy of the
// pointers, made on first use).
struct ClassLookup {
    PodArray<RawClass*> sorted;
};

RawClass* find_class(Reader& r, ClassLookup& l, RawOid oid) {
    if (l.sorted.n == 0 && r.raw->classes.n > 0) {
        for (int i = 0; i < r.raw->classes.n; ++i) *push(l.sorted) = &r.raw->classes.items[i];
        core::sort_keys(l.sorted.items, l.sorted.items + l.sorted.n,
                        [](const RawClass* a, const RawClass* b) { return a->oid < b->oid; });
    }
    int lo = 0, hi = l.sorted.n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        RawOid m = l.sorted.items[mid]->oid;
        if (m == oid)
            return l.sorted.items[mid];
        if (m < oid)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return nullptr;
}

template <typename Decode>
void scan_judged(Reader& r, Oid catalog, Oid index, Decode&& decode) {
    const OidSet& judged = *r.judged;
    if (&judged == &r.tables || judged.oids.n * 16 > r.tables.oids.n) {
        scan_catalog(catalog, decode);
        return;
    }
    for (int i = 0; i < judged.oids.n; ++i) {
        ScanKeyData key;
        ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(judged.oids.items[i]));
        scan_catalog(catalog, index, 1, &key, decode);
    }
}

// ------------------------------------------------------- one per catalog --

void read_namespaces(Reader& r) {
    scan_catalog(NamespaceRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* n = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tup));
        if (!user_namespace(NameStr(n->nspname)))
            return;
        RawNamespace* out = push(r.raw->namespaces);
        out->oid = n->oid;
        set_name(r.bump, out, NameStr(n->nspname));
        oidset_add(r.nsps, n->oid);
    });
    oidset_sort(r.nsps);
}

void read_access_methods(Reader& r) {  // a handful of rows
    scan_catalog(AccessMethodRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* a = reinterpret_cast<Form_pg_am>(GETSTRUCT(tup));
        RawNamespace* out = push(r.raw->access_methods);
        out->oid = a->oid;
        out->name = pstrdup(NameStr(a->amname));
    });
}

// One pg_class row; an index's storage options only when `reloptions`.
void push_class(Reader& r, HeapTuple tup, TupleDesc desc, bool reloptions) {
    auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
    char k = c->relkind;
    RawClass* out = push(r.raw->classes);
    out->oid = c->oid;
    out->nsp = c->relnamespace;
    out->am = c->relam;
    set_name(r.bump, out, NameStr(c->relname));
    out->kind = k;
    out->is_partition = c->relispartition;
    out->typed = OidIsValid(c->reloftype);
    out->heap = c->relam == HEAP_TABLE_AM_OID;
    out->pages = c->relpages;
    out->tuples = c->reltuples;
    Datum d;
    if ((k == RELKIND_INDEX || k == RELKIND_PARTITIONED_INDEX) && reloptions &&
        column(tup, Anum_pg_class_reloptions, desc, &d))
        out->reloptions = join_text_array(d);
}

// Tables, partitioned tables, sequences and (`with_indexes`) indexes in user
// schemas; the indexes' storage options only when `reloptions` (the index rules compare
// them; fetching a column after the variable-length ones is not free).
void read_classes(Reader& r, bool with_indexes, bool reloptions) {
    reserve(r.raw->classes, catalog_rows(RelationRelationId));
    scan_catalog(RelationRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
        char k = c->relkind;
        if (c->relpersistence == RELPERSISTENCE_TEMP || !oidset_has(r.nsps, c->relnamespace))
            return;
        if (k != RELKIND_RELATION && k != RELKIND_PARTITIONED_TABLE && k != RELKIND_SEQUENCE &&
            k != RELKIND_INDEX && k != RELKIND_PARTITIONED_INDEX) {
            RawName* other = push(r.raw->other_names);
            other->nsp = c->relnamespace;
            other->name = bump_strdup(r.bump, NameStr(c->relname));
            return;
        }
        if (!with_indexes && (k == RELKIND_INDEX || k == RELKIND_PARTITIONED_INDEX))
            return;
        push_class(r, tup, desc, reloptions);
        if (k == RELKIND_INDEX || k == RELKIND_PARTITIONED_INDEX) {
            oidset_add(r.indexes, c->oid);
        } else if (k == RELKIND_SEQUENCE) {
            oidset_add(r.sequences, c->oid);
        } else {
            oidset_add(r.tables, c->oid);
            if (c->reltuples >= r.raw->stats_min_rows)
                oidset_add(r.big_tables, c->oid);
        }
    });
    oidset_sort(r.tables);
    oidset_sort(r.big_tables);
    oidset_sort(r.indexes);
    oidset_sort(r.sequences);
}

void push_attribute(Reader& r, const FormData_pg_attribute* a) {
    RawAttribute* out = push(r.raw->attributes);
    out->rel = a->attrelid;
    out->type = a->atttypid;
    out->typmod = a->atttypmod;
    out->attnum = a->attnum;
    out->not_null = a->attnotnull;
    out->is_local = a->attislocal;
    out->identity = a->attidentity;
    out->generated = a->attgenerated;
    const char* name = NameStr(a->attname);
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (const char* c = name; *c; ++c) h = (h ^ static_cast<unsigned char>(*c)) * 16777619u;
    Reader::NameCopy& memo = r.recent_names[h % 1024];
    if (memo.name == nullptr || strcmp(memo.name, name) != 0) {
        memo.name = bump_strdup(r.bump, name);
        memo.qname = qname_of(memo.name);
    }
    out->name = memo.name;
    out->qname = memo.qname;
    RawOid& recent = r.recent_types[a->atttypid % 64];
    if (recent != a->atttypid) {
        recent = a->atttypid;
        oidset_add(r.types, a->atttypid);
    }
}

// The names of the columns' few distinct types, for messages.
void read_type_names(Reader& r) {
    oidset_sort(r.types);
    for (int i = 0; i < r.types.oids.n; ++i) {
        RawTypeName* t = push(r.raw->types);
        t->oid = r.types.oids.items[i];
        t->name = format_type_be(t->oid);
    }
}

// Columns by (table, attnum), one 64-bit key each, sorted: which columns a
// scan keeps when only some are needed (part::fk_columns).
struct ColumnSet {
    PodArray<std::uint64_t> keys;
};

std::uint64_t column_key(RawOid rel, int attnum) {
    return static_cast<std::uint64_t>(rel) << 16 | static_cast<std::uint16_t>(attnum);
}

// Membership, for rows that come table by table (a heap scan of
// pg_attribute meets a table's columns together): one binary search per
// table for its keys, then a look at those few.
struct ColumnCursor {
    const ColumnSet* set;
    RawOid rel;
    const std::uint64_t *from, *to;  // rel's keys
};

bool columnset_has(ColumnCursor& c, RawOid rel, int attnum) {
    if (c.from == nullptr || rel != c.rel) {
        const std::uint64_t* begin = c.set->keys.items;
        const std::uint64_t* end = begin + c.set->keys.n;
        c.rel = rel;
        c.from = std::lower_bound(begin, end, column_key(rel, 0));
        c.to = std::lower_bound(c.from, end, column_key(rel + 1, 0));
        if (rel == PG_UINT32_MAX)
            c.to = end;
    }
    const std::uint64_t k = column_key(rel, attnum);
    for (const std::uint64_t* p = c.from; p != c.to; ++p)
        if (*p == k)
            return true;
    return false;
}

// The key and referenced columns of the foreign keys read (part::fk_columns).
void add_foreign_key_columns(const Reader& r, ColumnSet& s) {
    for (int i = 0; i < r.raw->constraints.n; ++i) {
        const RawConstraint& c = r.raw->constraints.items[i];
        if (c.type != CONSTRAINT_FOREIGN)
            continue;
        for (int k = 0; k < c.nkey; ++k) *push(s.keys) = column_key(c.table, c.key[k]);
        for (int k = 0; k < c.nref; ++k) *push(s.keys) = column_key(c.ref_table, c.ref_key[k]);
    }
}

// part::hygiene_columns: a column a column-type rule can flag (its type
// alone, core::classify_column_type()) or a text-like one (the rules on
// names of text columns).
bool hygiene_column(const FormData_pg_attribute* a) {
    return a->atttypid == TEXTOID || a->atttypid == VARCHAROID || a->atttypid == BPCHAROID ||
           core::classify_column_type(a->atttypid, a->atttypmod) != core::TypeHygiene::none;
}

// part::named_columns: a column named like an audit column or like one
// updated_at_no_trigger looks after (the only columns those rules look up).
// A name is NUL-padded to NAMEDATALEN, so a wanted name of length n
// matches when the first n + 1 bytes do; most columns fail on the first byte.
struct WantedNames {
    const char* names[16];
    int lengths[16];
    int n;
    bool first[256];  // a wanted name starts with this byte
};

void add_wanted_name(WantedNames& w, const char* name) {
    const int len = static_cast<int>(strlen(name));
    if (w.n == 16 || len == 0 || len >= NAMEDATALEN) {
        w.n = -1;  // too many, or not a column name: every name is tested by strcmp
        return;
    }
    if (w.n < 0)
        return;
    w.names[w.n] = name;
    w.lengths[w.n++] = len;
    w.first[static_cast<unsigned char>(name[0])] = true;
}

WantedNames named_columns_wanted(const Reader& r) {
    WantedNames w{};
    for (const char* m : core::maintained_column_names) add_wanted_name(w, m);
    for (int i = 0; i < r.raw->audit_columns.n; ++i)
        add_wanted_name(w, r.raw->audit_columns.items[i]);
    return w;
}

bool named_column(const Reader& r, const WantedNames& w, const FormData_pg_attribute* a) {
    const char* name = NameStr(a->attname);
    if (w.n >= 0) {
        if (!w.first[static_cast<unsigned char>(name[0])])
            return false;
        for (int i = 0; i < w.n; ++i)
            if (memcmp(name, w.names[i], w.lengths[i] + 1) == 0)
                return true;
        return false;
    }
    for (const char* m : core::maintained_column_names)
        if (strcmp(name, m) == 0)
            return true;
    for (int i = 0; i < r.raw->audit_columns.n; ++i)
        if (strcmp(name, r.raw->audit_columns.items[i]) == 0)
            return true;
    return false;
}

// User columns of those tables: every one, or (the scan is the same, but
// neither the raw rows nor the model hold the others) those in `only`
// and, with `hygiene`, those hygiene_column() keeps, with `named`, those
// named_column() keeps.
void read_attributes(Reader& r, const ColumnSet* only = nullptr, bool hygiene = false,
                     bool named = false) {
    const bool all = only == nullptr && !hygiene && !named;
    if (r.judged == &r.tables && all)  // else a few tables' rows, or a few rows
        reserve(r.raw->attributes, catalog_rows(AttributeRelationId));
    ColumnCursor cursor{only, 0, nullptr, nullptr};
    const WantedNames wanted_names = named ? named_columns_wanted(r) : WantedNames{};
    scan_judged(r, AttributeRelationId, AttributeRelidNumIndexId, [&](HeapTuple tup, TupleDesc) {
        auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tup));
        if (a->attnum <= 0 || a->attisdropped || !oidset_has(*r.judged, a->attrelid))
            return;
        if (!all && !(hygiene && hygiene_column(a)) &&
            !(named && named_column(r, wanted_names, a)) &&
            !(only != nullptr && columnset_has(cursor, a->attrelid, a->attnum)))
            return;
        push_attribute(r, a);
    });
    read_type_names(r);
}

// Which indexes of the judged tables read_indexes() keeps.
struct IndexFilter {
    bool all;                    // every one
    const OidSet* unique_of_no;  // or: the unique ones of the tables NOT in this set
                                 // (missing_primary_key's candidates), if set
    bool unusable;               // or: the ones not valid, ready and live
    bool classes_read;           // read_classes() read the index classes
    bool details;                // operator classes, collations, options (part::index_details)
};

// One column, looked up in the syscache.
void read_column(Reader& r, RawOid table, int attnum) {
    HeapTuple tup = SearchSysCache2(ATTNUM, ObjectIdGetDatum(table), Int16GetDatum(attnum));
    if (!HeapTupleIsValid(tup))
        return;
    auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tup));
    if (!a->attisdropped)
        push_attribute(r, a);
    ReleaseSysCache(tup);
}

// The key columns of one index, each looked up in the syscache; expression
// columns (key 0) have none.
void read_key_columns(Reader& r, const RawIndex& ix) {
    for (int k = 0; k < ix.natts; ++k)
        if (ix.keys[k] > 0)
            read_column(r, ix.table, ix.keys[k]);
}

// part::sequence_columns: the columns the sequences read feed (their
// owners, from read_sequence_owners()). Added to `wanted` when pg_attribute
// is scanned anyway (`scan`) or most tables have one (true); else each
// looked up in the syscache (false): a database whose keys are not serial
// or identity columns has none, and pg_attribute is not scanned for them.
bool sequence_columns(Reader& r, ColumnSet& wanted, bool scan) {
    int n = 0;
    for (int i = 0; i < r.raw->depends.n; ++i) n += r.raw->depends.items[i].type != 'e';
    const bool add = scan || static_cast<long>(n) * 16 >= static_cast<long>(r.judged->oids.n);
    for (int i = 0; i < r.raw->depends.n; ++i) {
        const RawDepend& d = r.raw->depends.items[i];
        if (d.type == 'e')
            continue;
        if (add)
            *push(wanted.keys) = column_key(d.ref, d.ref_column);
        else
            read_column(r, d.ref, d.ref_column);
    }
    if (!add)
        read_type_names(r);
    return add;
}

// The indexes of the judged tables that `filter` keeps.
void read_indexes(Reader& r, const IndexFilter& filter) {
    if (filter.all && r.judged == &r.tables)
        reserve(r.raw->indexes, catalog_rows(IndexRelationId));
    int details_at = -2;  // fixed_prefix_end() of indkey, from the first row's descriptor
    scan_judged(r, IndexRelationId, IndexIndrelidIndexId, [&](HeapTuple tup, TupleDesc desc) {
        auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
        // Without the index classes read, an index of a table kept is kept
        // too (same schema, same persistence as its table).
        if (!oidset_has(*r.judged, i->indrelid) ||
            (filter.classes_read && !oidset_has(r.indexes, i->indexrelid)))
            return;
        if (!filter.all &&
            !(filter.unique_of_no && i->indisunique &&
              !oidset_has(*filter.unique_of_no, i->indrelid)) &&
            !(filter.unusable && !(i->indisvalid && i->indisready && i->indislive)))
            return;
        RawIndex* out = push(r.raw->indexes);
        out->oid = i->indexrelid;
        out->table = i->indrelid;
        out->natts = i->indnatts;
        out->nkey = i->indnkeyatts;
        out->unique = i->indisunique;
        out->primary = i->indisprimary;
        out->exclusion = i->indisexclusion;
        out->nulls_not_distinct = i->indnullsnotdistinct;
        out->valid = i->indisvalid;
        out->ready = i->indisready;
        out->live = i->indislive;
        out->keys = copy_vector<int2vector, int16>(r.bump, &i->indkey, i->indnatts);
        out->default_sorting = false;  // set_default_sorting(), for the few that matter
        // Every column after indkey sits behind a variable-length one.
        // With the details: indkey to indoption decoded in one walk from the
        // fixed-width prefix (not a walk from the start per column, nor a
        // deforming pass over the whole row). Then, details or not, the
        // expressions and the predicate, NULL for almost every index (a
        // null-bitmap test each).
        Datum values[Natts_pg_index];
        bool nulls[Natts_pg_index];
        for (int k = 0; k < Natts_pg_index; ++k) nulls[k] = true;
        if (filter.details) {
            if (details_at == -2)
                details_at = fixed_prefix_end(desc, Anum_pg_index_indkey);
            constexpr int first = Anum_pg_index_indkey, last = Anum_pg_index_indoption;
            if (!deform_after_prefix(tup, desc, details_at, first, last, &values[first - 1],
                                     &nulls[first - 1]))
                for (int attnum = first; attnum <= last; ++attnum)
                    nulls[attnum - 1] = !column(tup, attnum, desc, &values[attnum - 1]);
        }
        for (int attnum : {Anum_pg_index_indexprs, Anum_pg_index_indpred}) {
            bool isnull = true;
            if (!heap_attisnull(tup, attnum, desc))
                values[attnum - 1] = heap_getattr(tup, attnum, desc, &isnull);
            nulls[attnum - 1] = isnull;
        }
        auto col = [&](int attnum) -> const Datum* {
            return nulls[attnum - 1] ? nullptr : &values[attnum - 1];
        };
        const Datum* d;
        if ((d = col(Anum_pg_index_indclass)))
            out->opclasses = copy_vector<oidvector, RawOid>(
                r.bump, reinterpret_cast<oidvector*>(DatumGetPointer(*d)), out->nkey);
        if ((d = col(Anum_pg_index_indcollation)))
            out->collations = copy_vector<oidvector, RawOid>(
                r.bump, reinterpret_cast<oidvector*>(DatumGetPointer(*d)), out->nkey);
        if ((d = col(Anum_pg_index_indoption)))
            out->options = copy_vector<int2vector, int16>(
                r.bump, reinterpret_cast<int2vector*>(DatumGetPointer(*d)), out->nkey);
        if ((d = col(Anum_pg_index_indexprs)))
            out->expressions = TextDatumGetCString(*d);
        if ((d = col(Anum_pg_index_indpred))) {
            out->predicate = TextDatumGetCString(*d);
            // Whether "the key columns are NOT NULL" implies it (FK coverage).
            out->predicate_implied_by_not_null =
                static_cast<std::int16_t>(not_null_prefix_implying_predicate(
                    out->table, out->predicate, out->keys, out->nkey));
        }
    });
}

// part::index_key_names without part::columns: the key columns of the
// indexes of the tables where two usable indexes start with the same column
// (an identical pair and a leading prefix both do). When those tables are
// few, their columns are looked up in the syscache (false); otherwise they
// are added to `wanted`, for the one scan of pg_attribute read_catalog()
// makes (true): a lookup per column costs more than a scan's row once most
// tables qualify.
bool index_key_columns(Reader& r, ColumnSet& wanted) {
    struct Lead {
        RawOid table;
        std::int16_t first;
    };
    PodArray<Lead> leads{};
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        const RawIndex& ix = r.raw->indexes.items[i];
        if (ix.natts > 0 && ix.valid && ix.ready && ix.live)
            *push(leads) = Lead{ix.table, ix.keys[0]};
    }
    if (leads.n > 1)
        core::sort_keys(leads.items, leads.items + leads.n, [](const Lead& x, const Lead& y) {
            return x.table != y.table ? x.table < y.table : x.first < y.first;
        });
    OidSet tables{};
    for (int i = 1; i < leads.n; ++i)
        if (leads.items[i].table == leads.items[i - 1].table &&
            leads.items[i].first == leads.items[i - 1].first)
            oidset_add(tables, leads.items[i].table);
    oidset_sort(tables);
    if (static_cast<long>(tables.oids.n) * 16 >= static_cast<long>(r.judged->oids.n)) {
        for (int i = 0; i < r.raw->indexes.n; ++i) {
            const RawIndex& ix = r.raw->indexes.items[i];
            if (!oidset_has(tables, ix.table))
                continue;
            for (int k = 0; k < ix.natts; ++k)
                if (ix.keys[k] > 0)
                    *push(wanted.keys) = column_key(ix.table, ix.keys[k]);
        }
        return true;
    }
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        const RawIndex& ix = r.raw->indexes.items[i];
        if (!oidset_has(tables, ix.table))
            continue;
        read_key_columns(r, ix);
    }
    read_type_names(r);
    return false;
}

// The tables that have a primary key (constraints read).
OidSet tables_with_pk(const Reader& r) {
    OidSet with_pk{};
    for (int i = 0; i < r.raw->constraints.n; ++i)
        if (r.raw->constraints.items[i].type == CONSTRAINT_PRIMARY)
            oidset_add(with_pk, r.raw->constraints.items[i].table);
    oidset_sort(with_pk);
    return with_pk;
}

// RawIndex::default_sorting, for the only indexes it is read for: the
// unique ones of tables without a primary key (missing_primary_key's USING
// INDEX fix). Each check costs syscache lookups and a pg_opclass index scan
// per key column, so it is not made for every unique index.
void set_default_sorting(Reader& r) {
    OidSet with_pk = tables_with_pk(r);
    upstream::DefaultOpclassMemo memo{};
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        RawIndex& ix = r.raw->indexes.items[i];
        if (!ix.unique || ix.primary || oidset_has(with_pk, ix.table))
            continue;
        ix.default_sorting = upstream::index_has_default_sorting(
            ix.oid, ix.table, ix.keys, ix.opclasses, ix.collations, ix.options, ix.nkey, &memo);
    }
}

// The pg_class rows of the indexes read, looked up in the syscache: when
// only a few indexes are read (missing_primary_key's candidates, the
// unusable ones), pg_class's scan skipped them all.
void read_index_classes(Reader& r) {
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(r.raw->indexes.items[i].oid));
        if (!HeapTupleIsValid(tup))
            continue;  // dropped since the scan: build_indexes() skips it
        push_class(r, tup, nullptr, false);
        ReleaseSysCache(tup);
    }
}

// The key columns of the unique indexes of tables without a primary key
// (what missing_primary_key reads instead of all columns): added to
// `wanted` when pg_attribute is scanned for other rules' columns anyway,
// else each looked up in the syscache (pg_attribute not scanned).
void read_pk_candidate_columns(Reader& r, ColumnSet* wanted) {
    OidSet with_pk = tables_with_pk(r);
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        const RawIndex& ix = r.raw->indexes.items[i];
        if (!ix.unique || oidset_has(with_pk, ix.table))
            continue;
        if (wanted == nullptr) {
            read_key_columns(r, ix);
            continue;
        }
        for (int k = 0; k < ix.natts; ++k)
            if (ix.keys[k] > 0)
                *push(wanted->keys) = column_key(ix.table, ix.keys[k]);
    }
    if (wanted == nullptr)
        read_type_names(r);
}

// Constraints of the tables kept; with `keys_only` (missing_primary_key,
// duplicate_index, redundant_index) only primary keys, unique and exclusion
// constraints, without names or key arrays: which tables have a primary key,
// which index backs a constraint.
void read_constraints(Reader& r, bool keys_only, bool names) {
    const Oid by_table = ConstraintRelidTypidNameIndexId;  // conrelid first
    if (r.judged == &r.tables)
        reserve(r.raw->constraints, catalog_rows(ConstraintRelationId));
    int keys_at = -2;  // fixed_prefix_end() of conkey, from the first row's descriptor
    scan_judged(r, ConstraintRelationId, by_table, [&](HeapTuple tup, TupleDesc desc) {
        auto* c = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tup));
        if (c->conrelid == InvalidOid || !oidset_has(*r.judged, c->conrelid))
            return;
        if (c->contype != CONSTRAINT_PRIMARY && c->contype != CONSTRAINT_UNIQUE &&
            c->contype != CONSTRAINT_EXCLUSION &&
            (keys_only || (c->contype != CONSTRAINT_FOREIGN && c->contype != CONSTRAINT_CHECK)))
            return;
        if (keys_only) {
            RawConstraint* out = push(r.raw->constraints);
            out->oid = c->oid;
            out->table = c->conrelid;
            out->index = c->conindid;
            out->parent = c->conparentid;
            out->type = c->contype;
            out->validated = c->convalidated;
            out->name = out->qname = "";
            return;
        }
        if (keys_at == -2)
            keys_at = fixed_prefix_end(desc, Anum_pg_constraint_conkey);
        RawConstraint* out = push(r.raw->constraints);
        out->oid = c->oid;
        out->table = c->conrelid;
        out->ref_table = c->confrelid;
        out->index = c->conindid;
        out->parent = c->conparentid;
        out->type = c->contype;
        out->validated = c->convalidated;
        out->on_delete = c->confdeltype;
        if (names)
            set_name(r.bump, out, NameStr(c->conname));
        else
            out->name = out->qname = "";  // part::constraint_names not asked for
        // conkey and confkey, the first two variable-length columns, right
        // after the fixed-width prefix (not one deforming pass over all 26);
        // only foreign keys need confkey, only CHECKs conbin.
        Datum keys[2];
        bool no_keys[2];
        if (!deform_after_prefix(tup, desc, keys_at, Anum_pg_constraint_conkey,
                                 Anum_pg_constraint_confkey, keys, no_keys)) {
            no_keys[0] = !column(tup, Anum_pg_constraint_conkey, desc, &keys[0]);
            no_keys[1] = !column(tup, Anum_pg_constraint_confkey, desc, &keys[1]);
        }
        if (!no_keys[0])
            out->key = copy_int2_array(r.bump, keys[0], &out->nkey);
        if (c->contype == CONSTRAINT_FOREIGN && !no_keys[1])
            out->ref_key = copy_int2_array(r.bump, keys[1], &out->nref);
        Datum d;
        // The expression of a single-column CHECK: nullable_never_null
        // recognises CHECK (col IS NOT NULL) in it.
        if (c->contype == CONSTRAINT_CHECK && out->nkey == 1 &&
            column(tup, Anum_pg_constraint_conbin, desc, &d))
            out->check_expr = TextDatumGetCString(d);
    });
}

// pg_get_constraintdef() of the ON DELETE CASCADE foreign keys
// (cascade_chain rebuilds them with another ON DELETE action). Called
// through a local call frame, so a constraint dropped since the scan gives
// NULL (missing_ok) instead of an error. Deparsing reads only the catalogs.
void read_cascade_definitions(Reader& r) {
    for (int i = 0; i < r.raw->constraints.n; ++i) {
        RawConstraint& c = r.raw->constraints.items[i];
        if (c.type != CONSTRAINT_FOREIGN || c.on_delete != FKCONSTR_ACTION_CASCADE)
            continue;
        CHECK_FOR_INTERRUPTS();
        LOCAL_FCINFO(fcinfo, 2);
        InitFunctionCallInfoData(*fcinfo, nullptr, 2, InvalidOid, nullptr, nullptr);
        fcinfo->args[0].value = ObjectIdGetDatum(c.oid);
        fcinfo->args[0].isnull = false;
        fcinfo->args[1].value = BoolGetDatum(false);  // not pretty: fully qualified, one line
        fcinfo->args[1].isnull = false;
        Datum d = pg_get_constraintdef_ext(fcinfo);
        if (!fcinfo->isnull)
            c.definition = text_to_cstring(DatumGetTextPP(d));
    }
}

// User triggers (the internal RI triggers are skipped).
void read_triggers(Reader& r) {
    scan_catalog(TriggerRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* t = reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tup));
        if (t->tgisinternal || !oidset_has(r.tables, t->tgrelid))
            return;
        RawTrigger* out = push(r.raw->triggers);
        out->table = t->tgrelid;
        out->function = t->tgfoid;
        out->type = t->tgtype;
        out->enabled = t->tgenabled;
        out->nattr = t->tgattr.dim1;
        out->nargs = t->tgnargs;
        out->name = pstrdup(NameStr(t->tgname));
        Datum d;
        if (t->tgnargs > 0 && column(tup, Anum_pg_trigger_tgargs, desc, &d)) {
            bytea* args = DatumGetByteaPP(d);
            // first\000second\000...: the first argument is a C string.
            out->first_arg =
                pnstrdup(VARDATA_ANY(args), strnlen(VARDATA_ANY(args), VARSIZE_ANY_EXHDR(args)));
        }
        oidset_add(r.trigger_functions, t->tgfoid);
    });
    oidset_sort(r.trigger_functions);
}

// Trigger functions (with their source) and, when `definers`, SECURITY
// DEFINER ones (with their identity); language names from pg_language.
void read_functions(Reader& r, bool definers) {
    if (!definers && r.trigger_functions.oids.n == 0)
        return;  // no user trigger: no function to read (pg_proc is not small)
    PodArray<RawNamespace> langs{};
    scan_catalog(LanguageRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* l = reinterpret_cast<Form_pg_language>(GETSTRUCT(tup));
        RawNamespace* out = push(langs);
        out->oid = l->oid;
        out->name = pstrdup(NameStr(l->lanname));
    });
    scan_catalog(ProcedureRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(tup));
        bool is_trigger_fn = oidset_has(r.trigger_functions, p->oid);
        if (!(definers && p->prosecdef) && !is_trigger_fn)
            return;
        RawFunction* out = push(r.raw->functions);
        out->oid = p->oid;
        out->nsp = p->pronamespace;
        out->security_definer = p->prosecdef;
        out->is_procedure = p->prokind == PROKIND_PROCEDURE;
        out->name = pstrdup(NameStr(p->proname));
        out->language = "";
        for (int i = 0; i < langs.n; ++i)
            if (langs.items[i].oid == p->prolang)
                out->language = langs.items[i].name;
        Datum d;
        out->pins_search_path = column(tup, Anum_pg_proc_proconfig, desc, &d) &&
                                text_array_has_prefix(d, "search_path=");
        if (is_trigger_fn && column(tup, Anum_pg_proc_prosrc, desc, &d))
            out->source = TextDatumGetCString(d);
    });
    for (int i = 0; i < r.raw->functions.n; ++i) {
        RawFunction& f = r.raw->functions.items[i];
        if (!f.security_definer || !oidset_has(r.nsps, f.nsp))
            continue;
        ObjectAddress addr;
        ObjectAddressSet(addr, ProcedureRelationId, f.oid);
        f.identity = getObjectIdentity(&addr, true);
    }
}

// Extension membership: the pg_depend rows that point at an extension
// (deptype 'e'), by the referenced-object index -- a few rows, not a scan of
// the whole (large) pg_depend.
void read_extension_members(Reader& r) {
    ScanKeyData key;
    ScanKeyInit(&key, Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(ExtensionRelationId));
    scan_catalog(DependRelationId, DependReferenceIndexId, 1, &key, [&](HeapTuple tup, TupleDesc) {
        auto* d = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tup));
        if (d->deptype != DEPENDENCY_EXTENSION)
            return;
        char kind = d->classid == RelationRelationId    ? 'c'
                    : d->classid == ProcedureRelationId ? 'f'
                    : d->classid == NamespaceRelationId ? 'n'
                                                        : 0;
        if (!kind)
            return;
        RawDepend* out = push(r.raw->depends);
        out->type = 'e';
        out->kind = kind;
        out->obj = d->objid;
    });
}

// Sequence ownership (serial 'a', identity 'i'): each sequence's own
// pg_depend rows, by the depender index.
void read_sequence_owners(Reader& r) {
    for (int i = 0; i < r.sequences.oids.n; ++i) {
        ScanKeyData keys[2];
        ScanKeyInit(&keys[0], Anum_pg_depend_classid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(RelationRelationId));
        ScanKeyInit(&keys[1], Anum_pg_depend_objid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(r.sequences.oids.items[i]));
        scan_catalog(
            DependRelationId, DependDependerIndexId, 2, keys, [&](HeapTuple tup, TupleDesc) {
                auto* d = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tup));
                if ((d->deptype != DEPENDENCY_AUTO && d->deptype != DEPENDENCY_INTERNAL) ||
                    d->refclassid != RelationRelationId || d->objsubid != 0 || d->refobjsubid <= 0)
                    return;
                RawDepend* out = push(r.raw->depends);
                out->type = d->deptype;
                out->kind = 'c';
                out->obj = d->objid;
                out->ref = d->refobjid;
                out->ref_column = static_cast<int16>(d->refobjsubid);
            });
    }
}

// Reads a sequence's last value straight from its page, the way
// pg_sequence_last_value() does (src/upstream/sequence.cpp), but releases
// the lock at once: a database
// with tens of thousands of sequences would otherwise exhaust the lock table
// within one transaction. Left unset: sequences the caller may not read,
// unlogged ones during recovery (a standby has no data for them), never
// called ones, and ones dropped since the catalog scan (the _ext check
// reports those instead of raising "relation does not exist").
// A sequence another session holds ACCESS EXCLUSIVE (an uncommitted DROP
// or ALTER SEQUENCE) is not waited for: it is skipped (false) and named in
// a NOTICE, so report() never hangs behind someone's open transaction.
bool read_sequence_value(RawSequence& s) {
    bool is_missing = false;
    if (pg_class_aclcheck_ext(s.oid, GetUserId(), ACL_SELECT | ACL_USAGE, &is_missing) !=
            ACLCHECK_OK ||
        is_missing)
        return true;
    if (!ConditionalLockRelationOid(s.oid, AccessShareLock))
        return false;
    Relation rel = try_relation_open(s.oid, NoLock);
    if (rel == nullptr) {  // dropped meanwhile
        UnlockRelationOid(s.oid, AccessShareLock);
        return true;
    }
    if (rel->rd_rel->relkind == RELKIND_SEQUENCE &&
        !(rel->rd_rel->relpersistence == RELPERSISTENCE_UNLOGGED && RecoveryInProgress())) {
        int64 last = 0;
        if (upstream::sequence_last_value(rel, &last)) {
            s.last = last;
            s.has_last = true;
        }
    }
    relation_close(rel, AccessShareLock);
    return true;
}

// pg_sequence, then each sequence's last value.
void read_sequences(Reader& r) {
    scan_catalog(SequenceRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* s = reinterpret_cast<Form_pg_sequence>(GETSTRUCT(tup));
        if (!oidset_has(r.sequences, s->seqrelid))
            return;
        RawSequence* out = push(r.raw->sequences);
        out->oid = s->seqrelid;
        out->type = s->seqtypid;
        out->start = s->seqstart;
        out->increment = s->seqincrement;
        out->max = s->seqmax;
        out->min = s->seqmin;
        out->cycle = s->seqcycle;
    });
    StringInfoData skipped;
    initStringInfo(&skipped);
    int nskipped = 0;
    for (int i = 0; i < r.raw->sequences.n; ++i) {
        CHECK_FOR_INTERRUPTS();
        RawSequence& seq = r.raw->sequences.items[i];
        if (read_sequence_value(seq))
            continue;
        const char* name = get_rel_name(seq.oid);
        char* nsp = get_namespace_name(get_rel_namespace(seq.oid));
        if (nskipped++ > 0)
            appendStringInfoString(&skipped, ", ");
        appendStringInfoString(&skipped, name && nsp ? quote_qualified_identifier(nsp, name) : "?");
    }
    if (nskipped > 0)
        ereport(NOTICE, (errmsg("schema_oracle: report() skipped %d sequence%s locked by another "
                                "session",
                                nskipped, nskipped == 1 ? "" : "s"),
                         errdetail("Not waited for, so no verdict on: %s.", skipped.data)));
}

// Partition and inheritance parents (a small catalog: one row per child).
void read_inherits(Reader& r) {
    scan_catalog(InheritsRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* i = reinterpret_cast<Form_pg_inherits>(GETSTRUCT(tup));
        if (!oidset_has(r.tables, i->inhrelid))
            return;
        RawInherit* out = push(r.raw->inherits);
        out->child = i->inhrelid;
        out->parent = i->inhparent;
    });
}

// How many indexes each table has (part::index_counts without the indexes
// themselves): pg_index rows counted, nothing decoded.
void count_indexes(Reader& r) {
    ClassLookup lookup{};
    scan_judged(r, IndexRelationId, IndexIndrelidIndexId, [&](HeapTuple tup, TupleDesc) {
        auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
        if (!oidset_has(*r.judged, i->indrelid))
            return;
        if (RawClass* c = find_class(r, lookup, i->indrelid))
            ++c->nindexes;
    });
}

// ----------------------------------------- apart from the catalog scans --

// A user relation's cumulative statistics: only the current database's
// entries (pgstat_fetch_stat_tabentry() also looks a missing one up among
// the shared catalogs', a second lookup for every index never scanned).
PgStat_StatTabEntry* user_relation_stats(Oid relid) {
    return pgstat_fetch_stat_tabentry_ext(false, relid);
}

// pg_stat_user_tables' counters of the big tables: sequential scans and the
// rows they read, index scans and the rows they fetched (the table's own
// tuples_fetched plus its indexes', as the view sums them), dead rows.
// Cumulative statistics are readable by every role, like the view.
void read_table_activity(Reader& r) {
    ClassLookup lookup{};
    for (int i = 0; i < r.big_tables.oids.n; ++i) {
        RawClass* c = find_class(r, lookup, r.big_tables.oids.items[i]);
        if (c == nullptr)
            continue;
        PgStat_StatTabEntry* e = user_relation_stats(c->oid);
        c->activity = static_cast<RawActivity*>(palloc0(sizeof(RawActivity)));
        if (e == nullptr)
            continue;
        c->activity->seq_scan = e->numscans;
        c->activity->seq_tup_read = e->tuples_returned;
        c->activity->idx_tup_fetch = e->tuples_fetched;
        c->activity->n_dead = e->n_dead_tuples;
    }
    for (int i = 0; i < r.raw->indexes.n; ++i) {
        const RawIndex& ix = r.raw->indexes.items[i];
        if (!oidset_has(r.big_tables, ix.table))
            continue;
        RawClass* c = find_class(r, lookup, ix.table);
        PgStat_StatTabEntry* e = user_relation_stats(ix.oid);
        if (c == nullptr || c->activity == nullptr || e == nullptr)
            continue;
        c->activity->idx_scan += e->numscans;
        c->activity->idx_tup_fetch += e->tuples_fetched;
    }
}

// pg_stats of the big tables' columns, with pg_stats's own visibility rule:
// the caller has SELECT on the table or the column, and no row security is
// in force for the caller on the table. Partitioned tables' statistics are
// the inheritance ones (stainherit). The most common values only for text
// columns with a handful of distinct values (status_without_constraint).
void read_column_stats(Reader& r) {
    ClassLookup lookup{};
    Oid user = GetUserId();
    RawOid last_rel = InvalidOid;
    bool table_visible = false, table_select = false;
    for (int i = 0; i < r.raw->attributes.n; ++i) {
        RawAttribute& a = r.raw->attributes.items[i];
        if (!oidset_has(r.big_tables, a.rel))
            continue;
        CHECK_FOR_INTERRUPTS();
        if (a.rel != last_rel) {
            last_rel = a.rel;
            table_select = pg_class_aclcheck(a.rel, user, ACL_SELECT) == ACLCHECK_OK;
            table_visible = check_enable_rls(a.rel, InvalidOid, true) != RLS_ENABLED;
        }
        if (!table_visible)
            continue;
        if (!table_select &&
            pg_attribute_aclcheck(a.rel, a.attnum, user, ACL_SELECT) != ACLCHECK_OK)
            continue;
        RawClass* c = find_class(r, lookup, a.rel);
        bool inh = c != nullptr && c->kind == RELKIND_PARTITIONED_TABLE;
        HeapTuple tup = SearchSysCache3(STATRELATTINH, ObjectIdGetDatum(a.rel),
                                        Int16GetDatum(a.attnum), BoolGetDatum(inh));
        if (!HeapTupleIsValid(tup))
            continue;
        auto* st = reinterpret_cast<Form_pg_statistic>(GETSTRUCT(tup));
        RawColumnStats& cs = *push(r.raw->column_stats);
        cs.attribute = i;
        cs.null_frac = st->stanullfrac;
        cs.n_distinct = st->stadistinct;
        cs.avg_width = st->stawidth;
        double distinct = cs.n_distinct >= 0 ? cs.n_distinct : -cs.n_distinct * (c ? c->tuples : 0);
        bool text_like = a.type == TEXTOID || a.type == VARCHAROID || a.type == BPCHAROID;
        AttStatsSlot slot;
        if (text_like && distinct >= 1 && distinct <= 20 &&
            get_attstatsslot(&slot, tup, STATISTIC_KIND_MCV, InvalidOid,
                             ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS)) {
            cs.ncommon = slot.nvalues;
            auto** values = static_cast<const char**>(palloc(sizeof(char*) * (slot.nvalues + 1)));
            auto* freqs = static_cast<float*>(palloc(sizeof(float) * (slot.nvalues + 1)));
            for (int v = 0; v < slot.nvalues; ++v) {
                values[v] = TextDatumGetCString(slot.values[v]);
                freqs[v] = v < slot.nnumbers ? slot.numbers[v] : 0;
            }
            cs.common_values = values;
            cs.common_freqs = freqs;
            free_attstatsslot(&slot);
        }
        ReleaseSysCache(tup);
    }
}

// The statistics' age, for unused_index's findings; the scan counts
// themselves are fetched after the model is built, for the indexes
// unused_index could report only (fetch_index_scans()).
void read_index_usage(RawCatalog& raw) {
    raw.index_usage = true;
    PgStat_StatDBEntry* db = pgstat_fetch_stat_dbentry(MyDatabaseId);
    if (db != nullptr && db->stat_reset_timestamp != 0) {
        raw.stats_reset = pstrdup(timestamptz_to_str(db->stat_reset_timestamp));
        raw.stats_age_seconds =
            static_cast<double>(GetCurrentTimestamp() - db->stat_reset_timestamp) / USECS_PER_SEC;
    }
}

// Index builds running now, from the backends' progress reports (what
// pg_stat_progress_create_index shows): their invalid indexes are work in
// progress, not leftovers.
void read_index_builds(RawCatalog& raw) {
    int n = pgstat_fetch_stat_numbackends();
    for (int i = 1; i <= n; ++i) {
        LocalPgBackendStatus* l = pgstat_fetch_stat_local_beentry(i);
        if (l == nullptr)
            continue;
        PgBackendStatus* b = &l->backendStatus;
        if (b->st_databaseid != MyDatabaseId || b->st_procpid == MyProcPid ||
            b->st_progress_command != PROGRESS_COMMAND_CREATE_INDEX)
            continue;
        *push(raw.builds) = b->st_progress_command_target;
    }
}

// A list-of-names setting as its check hook parsed it (settings.cpp),
// copied: a later SET frees the GUC's parsed block.
void copy_names(settings::NameList list, PodArray<const char*>& raw_names,
                PodArray<const char*>* quoted = nullptr) {
    for (int i = 0; i < list.count; ++i) {
        *push(raw_names) = pstrdup(list.names[i]);
        if (quoted != nullptr)
            *push(*quoted) = quote_identifier(list.names[i]);
    }
}

void read_settings(RawCatalog& raw) {
    raw.max_indexes_per_table = settings::max_indexes_per_table();
    raw.stats_min_rows = settings::stats_min_rows();
    copy_names(settings::audit_columns(), raw.audit_columns, &raw.audit_columns_quoted);
    copy_names(settings::natural_key_columns(), raw.natural_key_columns);
    copy_names(settings::soft_delete_columns(), raw.soft_delete_columns);
    raw.has_pg_repack = OidIsValid(get_extension_oid("pg_repack", true));
}

// The exemptions, through SPI with the caller's rights.
void read_exemptions(RawCatalog& raw) {
    MemoryContext mine = CurrentMemoryContext;
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "schema_oracle: SPI_connect failed");
    if (SPI_execute("SELECT rule, object_pattern FROM schema_oracle.exemptions", true, 0) !=
        SPI_OK_SELECT)
        elog(ERROR, "schema_oracle: could not read schema_oracle.exemptions");
    int n = static_cast<int>(SPI_processed);
    MemoryContext spi = MemoryContextSwitchTo(mine);
    for (int i = 0; i < n; ++i) {
        char* rule = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
        char* pattern = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
        if (rule == nullptr || pattern == nullptr)
            continue;
        RawExemption* e = push(raw.exemptions);
        e->rule = pstrdup(rule);
        e->pattern = pstrdup(pattern);
    }
    MemoryContextSwitchTo(spi);
    SPI_finish();
}

}  // namespace

// One counter of tens of thousands of indexes: read from each shared entry
// under its lock, as stats_fetch_consistency = none reads (and as a first
// read under the default, cache, sees it). pgstat_fetch_stat_tabentry_ext()
// would also copy every whole entry into the transaction's statistics cache
// (an allocation and a hash insert each, ~half of this loop's time at 30,000
// indexes), for values read once. Under stats_fetch_consistency = snapshot
// the caller asked for one consistent snapshot: it is used.
// Past a few hundred indexes, one pass over the shared statistics hash
// (read_shared_relation_counters) costs less than a lookup per index: a
// lookup hashes, locks a partition and leaves an entry reference in the
// backend's cache, ~0.2 us each; the pass visits every entry of the cluster
// at a few nanoseconds each and locks only the entries asked for.
constexpr int one_pass_min_indexes = 512;

struct OidAt {
    RawOid oid;
    int at;
};

void fetch_index_scans(const RawOid* indexes, int n, std::int64_t* scans) {
    const bool snapshot = pgstat_fetch_consistency == PGSTAT_FETCH_CONSISTENCY_SNAPSHOT;
    if (!snapshot && n >= one_pass_min_indexes) {
        auto* sorted = static_cast<OidAt*>(palloc(sizeof(OidAt) * n));
        for (int k = 0; k < n; ++k) sorted[k] = OidAt{indexes[k], k};
        core::sort_keys(sorted, sorted + n,
                        [](const OidAt& x, const OidAt& y) { return x.oid < y.oid; });
        auto* oids = static_cast<Oid*>(palloc(sizeof(Oid) * n));
        for (int k = 0; k < n; ++k) oids[k] = sorted[k].oid;
        auto* counts = static_cast<PgStat_Counter*>(palloc(sizeof(PgStat_Counter) * n));
        auto* found = static_cast<bool*>(palloc(sizeof(bool) * n));
        read_shared_relation_counters(oids, n, &PgStat_StatTabEntry::numscans, counts, found);
        // No entry: never scanned since the reset (0). A duplicate OID gets
        // its first copy's count (candidates are distinct indexes).
        for (int k = 0; k < n; ++k) {
            int first = k;
            while (first > 0 && oids[first - 1] == oids[k]) --first;
            scans[sorted[k].at] = found[first] ? counts[first] : 0;
        }
        pfree(sorted);
        pfree(oids);
        pfree(counts);
        pfree(found);
        return;
    }
    for (int k = 0; k < n; ++k) {
        scans[k] = 0;  // no entry: never scanned since the reset
        if (snapshot) {
            if (PgStat_StatTabEntry* e = user_relation_stats(indexes[k]))
                scans[k] = e->numscans;
            continue;
        }
        PgStat_Counter n_scans;
        if (read_shared_relation_counter(indexes[k], &PgStat_StatTabEntry::numscans, &n_scans))
            scans[k] = n_scans;
    }
}

RawCatalog* read_catalog(unsigned needs) {
    namespace part = core::part;
    auto* raw = static_cast<RawCatalog*>(palloc0(sizeof(RawCatalog)));
    Reader r{};
    r.raw = raw;
    // Always: schemas, relations, extension membership.
    if (needs & part::column_stats)
        needs |= part::columns | part::table_stats;
    if (needs & part::fk_definitions)
        needs |= part::constraints;
    const bool big_only = (needs & part::big_tables_only) != 0;
    // Every index, with its pg_class row from pg_class's scan; or only a few
    // (missing_primary_key's candidates, the unusable ones, the big tables'),
    // their pg_class rows looked up afterwards.
    const bool all_indexes = (needs & part::indexes) != 0;
    const bool index_classes_scanned = all_indexes && !big_only;
    read_settings(*raw);  // first: the row threshold filters the scans
    read_namespaces(r);
    // The indexes' storage options only for the rules comparing indexes
    // (fetching a column after the variable-length ones is not free).
    const bool index_details = (needs & (part::index_details | part::pk_candidates)) != 0;
    read_classes(r, index_classes_scanned, index_classes_scanned && index_details);
    r.judged = big_only ? &r.big_tables : &r.tables;
    read_extension_members(r);
    if (needs & (part::constraints | part::pk_candidates | part::constraint_indexes))
        read_constraints(r, !(needs & part::constraints), (needs & part::constraint_names) != 0);
    if (needs & part::columns)
        read_attributes(r);
    // Before the columns: part::sequence_columns are the sequences' owners'.
    if (needs & part::sequences) {
        read_sequences(r);
        read_sequence_owners(r);
    }
    if (needs & part::fk_definitions)
        read_cascade_definitions(r);
    if (needs & (part::indexes | part::pk_candidates | part::unusable_indexes)) {
        OidSet with_pk{};
        if (needs & part::pk_candidates)
            with_pk = tables_with_pk(r);
        IndexFilter filter{all_indexes, (needs & part::pk_candidates) ? &with_pk : nullptr,
                           (needs & part::unusable_indexes) != 0, index_classes_scanned,
                           index_details};
        read_access_methods(r);
        read_indexes(r, filter);
        if (!index_classes_scanned)
            read_index_classes(r);
    }
    // Only some columns (all of them with part::columns): the foreign keys',
    // the index rules' key columns and missing_primary_key's candidates'
    // key columns, from ONE scan of pg_attribute when any of them needs one.
    if (!(needs & part::columns)) {
        ColumnSet wanted{};
        bool scan = false;
        if ((needs & part::fk_columns) && (needs & part::constraints)) {
            add_foreign_key_columns(r, wanted);
            scan = true;
        }
        if (needs & part::index_key_names)
            scan = index_key_columns(r, wanted) || scan;
        const bool hygiene = (needs & part::hygiene_columns) != 0;
        const bool named = (needs & part::named_columns) != 0;
        if (needs & part::sequence_columns)
            scan = sequence_columns(r, wanted, scan || hygiene || named) || scan;
        if (needs & part::pk_candidates)
            read_pk_candidate_columns(r, scan ? &wanted : nullptr);
        if (scan) {
            core::sort_keys(wanted.keys.items, wanted.keys.items + wanted.keys.n);
            read_attributes(r, &wanted, hygiene, named);
        } else if (hygiene || named) {
            read_attributes(r, nullptr, hygiene, named);
        }
    }
    if ((needs & part::index_counts) && !all_indexes)
        count_indexes(r);
    if (needs & part::pk_candidates)
        set_default_sorting(r);
    if (needs & part::triggers)
        read_triggers(r);
    if (needs & (part::triggers | part::definer_functions))
        read_functions(r, (needs & part::definer_functions) != 0);
    // Apart from the catalog scans.
    if (needs & part::index_usage)
        read_index_usage(*raw);
    if (needs & part::index_builds)
        read_index_builds(*raw);
    if (needs & part::table_stats) {
        read_inherits(r);
        read_table_activity(r);
    }
    if (needs & part::column_stats)
        read_column_stats(r);
    read_exemptions(*raw);
    return raw;
}

}  // namespace schema_oracle::pg
