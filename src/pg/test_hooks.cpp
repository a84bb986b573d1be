// test_hooks.cpp: publishes the table of test hooks (test_hooks.hpp) for the
// test-only module. The table is static POD data: no constructor runs.
#include "schema_oracle/pg/test_hooks.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "fmgr.h"
}

namespace schema_oracle::pg {

namespace {

const TestHooks hooks = {test_hooks_abi, guard_set_fault_injection};

}  // namespace

void publish_test_hooks() {
    void** slot = find_rendezvous_variable(test_hooks_rendezvous);
    *slot = const_cast<TestHooks*>(&hooks);
}

}  // namespace schema_oracle::pg
