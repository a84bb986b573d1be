// catalog_scan.hpp: the two primitives both catalog readers (report()'s
// catalog_reader.cpp and erd()'s erd_catalog.cpp) are built from: push(),
// a new zeroed row at the end of a growable palloc'd array, and
// scan_rows(), one systable scan of an already opened catalog.
//
// Plain C land: no object with a destructor, so an ereport longjmp (a
// cancel at CHECK_FOR_INTERRUPTS, an out-of-memory palloc) skips nothing.
// How a catalog is locked and opened stays with each reader: report() fails
// at once with 55P03 on a catalog another session holds ACCESS EXCLUSIVE,
// erd() waits for it as a query would.
//
// Include it after postgres.hpp (see there).
#pragma once

#include <cstring>
#include <type_traits>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/genam.h"
#include "miscadmin.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg {

// A new zeroed element at the end of `a`: any {int n, cap; T* items} array
// (PodArray, erd's Rows), grown by doubling in the current memory context.
template <typename Array>
auto push(Array& a) -> decltype(a.items) {
    using T = std::remove_pointer_t<decltype(a.items)>;
    if (a.n == a.cap) {
        a.cap = a.cap ? a.cap * 2 : 64;
        a.items = static_cast<T*>(a.items ? repalloc_huge(a.items, sizeof(T) * a.cap)
                                          : palloc_extended(sizeof(T) * a.cap, MCXT_ALLOC_HUGE));
    }
    T* item = &a.items[a.n++];
    memset(item, 0, sizeof(T));
    return item;
}

// Every row of the open catalog `rel` (through `index` when valid, with
// `nkeys` scan keys), with the catalog snapshot, handed to
// decode(tuple, descriptor).
template <typename Decode>
void scan_rows(Relation rel, Oid index, int nkeys, ScanKeyData* keys, Decode&& decode) {
    TupleDesc desc = RelationGetDescr(rel);
    SysScanDesc scan = systable_beginscan(rel, index, OidIsValid(index), nullptr, nkeys, keys);
    HeapTuple tup;
    while ((tup = systable_getnext(scan)) != nullptr) {
        CHECK_FOR_INTERRUPTS();  // C land: a cancel may longjmp here
        decode(tup, desc);
    }
    systable_endscan(scan);
}

}  // namespace schema_oracle::pg
