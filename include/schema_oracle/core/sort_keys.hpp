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

namespace schema_oracle::core {

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
