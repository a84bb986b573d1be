// test_hooks.hpp: what the production module offers the test-only module
// (test/modules/schema_oracle_test), and nothing else.
//
// schema_oracle.so exports no test function. At _PG_init it publishes this
// table through a PostgreSQL rendezvous variable (find_rendezvous_variable,
// the way PL/pgSQL offers its plugin hooks), so only C code already loaded
// into the backend -- i.e. installed by a superuser -- can reach it. The
// table holds setters for the guard's fault-injection points; the points
// themselves are integer tests that stay at "no fault" unless the test
// module sets them.
#pragma once

namespace schema_oracle::pg {

// The rendezvous variable's name; bump `abi` whenever the struct changes.
inline constexpr const char* test_hooks_rendezvous = "schema_oracle.test_hooks";
inline constexpr int test_hooks_abi = 1;

struct TestHooks {
    int abi;
    // 0 none, 1 ERROR while gathering facts, 2 C++ exception while deciding,
    // 3 ERROR while gathering a table_rewrite event's facts.
    void (*set_guard_fault)(int kind);
};

// Called once from _PG_init.
void publish_test_hooks();

}  // namespace schema_oracle::pg
