// alter_type_indexes.hpp: the indexes an ALTER COLUMN ... TYPE that does not
// rewrite the table still rebuilds, as PostgreSQL 15 decides it
// (src/upstream/alter_type_indexes.cpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/attnum.h"
#include "nodes/pg_list.h"
}

namespace schema_oracle::pg::upstream {

// The OIDs of the indexes on relid that depend on column attnum and that a
// type change from (oldtype, oldcoll) to (newtype, newcoll) rebuilds even
// though the table is not rewritten. C-style: may ereport.
List* indexes_rebuilt_by_type_change(Oid relid, AttrNumber attnum, Oid oldtype, Oid oldcoll,
                                     Oid newtype, Oid newcoll);

}  // namespace schema_oracle::pg::upstream
