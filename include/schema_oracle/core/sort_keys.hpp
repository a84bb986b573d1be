// sort_keys.hpp: sorting the model's integer keys (OIDs, (OID, position)
// words) in the orders the catalogs hand them out.
//
// A catalog's heap order is nearly OID order with blocks moved (rows that
// were updated, e.g. by ANALYZE, sit elsewhere). On such runs std::sort's
// median-of-three quicksort degenerates into its heapsort fallback: 60,000
// pg_class OIDs of the 10,000-table benchmark took 7.0 ms, pattern-defeating
// quicksort (Boost.Sort's pdqsort: no allocation, never throws on integers)
// 1.0 ms. Already sorted input costs one pass.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <algorithm>
#include <boost/sort/pdqsort/pdqsort.hpp>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace schema_oracle::core {

// Unsigned integer keys ordered by their bits from `low_bit` up (a multiple
// of 8): a stable least-significant-digit radix sort, a byte per pass, into
// `a` through `tmp` (room for n keys, from the caller: the reader allocates
// with palloc, and nothing here throws). A pass whose byte is the same in
// every key is skipped. Keys equal in those bits keep their order, so
// (OID << 32 | position) words sorted from bit 32 come out as a full sort
// would order them. Four passes over an array instead of pdqsort's
// ~160 instructions per key on pg_class's heap order.
template <typename T>
void radix_sort_keys(T* a, T* tmp, std::size_t n, unsigned low_bit = 0) noexcept {
    static_assert(std::is_unsigned_v<T>, "unsigned keys");
    if (n < 2 || std::is_sorted(a, a + n))
        return;
    T* from = a;
    T* to = tmp;
    for (unsigned shift = low_bit; shift < sizeof(T) * 8; shift += 8) {
        std::size_t count[256] = {};
        for (std::size_t i = 0; i < n; ++i) ++count[(from[i] >> shift) & 0xFF];
        if (count[(from[0] >> shift) & 0xFF] == n)
            continue;  // the same byte everywhere
        std::size_t at = 0;
        for (std::size_t& c : count) {
            const std::size_t k = c;
            c = at;
            at += k;
        }
        for (std::size_t i = 0; i < n; ++i) to[count[(from[i] >> shift) & 0xFF]++] = from[i];
        std::swap(from, to);
    }
    if (from != a)
        std::memcpy(a, from, sizeof(T) * n);
}

template <typename It>
void sort_keys(It begin, It end) {
    if (!std::is_sorted(begin, end))
        boost::sort::pdqsort(begin, end);
}

template <typename It, typename Less>
void sort_keys(It begin, It end, Less less) {
    if (!std::is_sorted(begin, end, less))
        boost::sort::pdqsort(begin, end, less);
}

}  // namespace schema_oracle::core
