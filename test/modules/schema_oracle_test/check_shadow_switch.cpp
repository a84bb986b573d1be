// check_shadow_switch.cpp: the switch of check()'s test-only shadow of the
// live guard (src/pg/guard.cpp, test/cluster/check_shadow.sh).
//
// The production module must not let an ordinary role turn on work per
// statement and a log line per statement, so it reads no setting of its own
// for this: it looks for a bool published by this module through the
// rendezvous variable "schema_oracle_test.check_shadow". This module defines
// schema_oracle_test.check_shadow as a superuser-only setting, so the shadow
// runs only where a superuser installed and preloaded the test module
// (session_preload_libraries = 'schema_oracle_test') and turned it on.
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "fmgr.h"
#include "utils/guc.h"

void _PG_init(void);
}

namespace {

bool check_shadow_on = false;

}  // namespace

extern "C" void _PG_init(void) {
    DefineCustomBoolVariable(
        "schema_oracle_test.check_shadow",
        "Test only: judge every guarded statement by check() too and log both.", nullptr,
        &check_shadow_on, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    MarkGUCPrefixReserved("schema_oracle_test");
    *find_rendezvous_variable("schema_oracle_test.check_shadow") = &check_shadow_on;
}
