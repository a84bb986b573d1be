// helpers.hpp: the C-level checks behind the SQL helpers of
// extension/0.2.0/30-helpers.sql (src/pg/helpers.cpp). Plain C frames only:
// they ereport, never throw.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/pg_list.h"
}

namespace schema_oracle::pg {

// Parses `sql` (raw parse only: no catalog access, no user code) and
// refuses, with a clear error, anything but exactly one DDL statement that
// may run inside a transaction. Returns the statement's command tag.
const char* helpers_one_ddl_statement(const char* sql, const char* caller);

// ERROR 25001 when called inside a transaction block (BEGIN ... CALL).
void helpers_refuse_transaction_block(const char* caller);

// The name PostgreSQL would choose for a constraint ("constraint") or an
// index ("index") on `relid` over `columns`, with `label` (fkey, idx, ...):
// at most 63 bytes, cut on a character boundary, free in the namespace.
char* helpers_choose_name(Oid relid, List* columns, const char* label, bool index);

}  // namespace schema_oracle::pg
