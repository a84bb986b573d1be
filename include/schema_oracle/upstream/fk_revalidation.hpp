// fk_revalidation.hpp: the foreign keys that ALTER COLUMN ... TYPE on a
// referenced key column makes PostgreSQL 15 validate again over the whole
// referencing table (src/upstream/fk_revalidation.cpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/attnum.h"
#include "nodes/pg_list.h"
}

namespace schema_oracle::pg::upstream {

// The OIDs of the foreign-key constraints of other tables that reference
// column attnum of relid and that a type change from oldtype to newtype
// re-validates (RI_Initial_Check: a scan of the referencing table).
// C-style: may ereport.
List* foreign_keys_revalidated_by_type_change(Oid relid, AttrNumber attnum, Oid oldtype,
                                              Oid newtype);

}  // namespace schema_oracle::pg::upstream
