// partbounds.hpp: whether adding a partition scans the parent's DEFAULT
// partition, as PostgreSQL 15 decides it (src/upstream/partbounds.cpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/parsenodes.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::upstream {

struct DefaultScanFacts {
    char* exclusion_sql;  // the default partition's new constraint: NOT (<new partition's>)
    bool implied;         // its validated constraints already prove it: no scan
    bool known;           // the bound could be judged without evaluating expressions
};

// A new partition with this bound, attached to or created in `parent`,
// makes PostgreSQL prove that no row of the DEFAULT partition `defaultrel`
// belongs to it. Bounds whose values are not plain literals are not
// transformed (that would evaluate the user's expressions): known = false,
// judged as a scan. C-style: may ereport.
void default_partition_scan_facts(Relation parent, Relation defaultrel,
                                  PartitionBoundSpec* raw_bound, DefaultScanFacts* out);

}  // namespace schema_oracle::pg::upstream
