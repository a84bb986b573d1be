// parse_utilcmd.hpp: decisions PostgreSQL's parse_utilcmd.c makes about
// ALTER TABLE sub-commands before they run (src/upstream/parse_utilcmd.cpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/parsenodes.h"
}

namespace schema_oracle::pg::upstream {

// Whether the REFERENCES constraints of `ALTER TABLE ... ADD COLUMN <cd>`
// are validated over the existing rows (a full scan of the table): only
// when the column gets a value in them, i.e. it has a DEFAULT (even
// DEFAULT NULL), is serial, or is GENERATED ... STORED.
bool add_column_validates_foreign_keys(ColumnDef* cd);

}  // namespace schema_oracle::pg::upstream
