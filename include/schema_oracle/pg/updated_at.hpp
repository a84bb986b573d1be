// updated_at.hpp: the per-row work of schema_oracle.set_updated_at()
// (src/pg/updated_at.cpp). Plain C frames only: it may ereport, never throws.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "fmgr.h"
}

namespace schema_oracle::pg {

// The trigger function's body; the SQL-callable shell is in src/entry/helpers.cpp.
Datum set_updated_at(FunctionCallInfo fcinfo);

}  // namespace schema_oracle::pg
