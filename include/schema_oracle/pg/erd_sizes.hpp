// erd_sizes.hpp: the bytes of relation files, from one listing of each
// tablespace directory of the database (src/pg/erd_sizes.cpp): what
// data_dictionary() sums into pg_total_relation_size(). C land.
#pragma once

#include <cstdint>

#include "schema_oracle/pg/postgres.hpp"

namespace schema_oracle::pg::erd {

struct FileSizes;

// In CurrentMemoryContext.
FileSizes* file_sizes_create();
// The bytes of every fork and segment of `relfilenode` in `tablespace`
// (0: the database's default); 0 for InvalidOid (no storage).
std::int64_t file_bytes(FileSizes& s, Oid tablespace, Oid relfilenode);

}  // namespace schema_oracle::pg::erd
