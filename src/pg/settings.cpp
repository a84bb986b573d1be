// settings.cpp: the schema_oracle.* configuration parameters.
//
// See docs/settings.md for each setting, its default and who may change it.
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace schema_oracle::pg {

void init_settings() {
    MarkGUCPrefixReserved("schema_oracle");
}

}  // namespace schema_oracle::pg
