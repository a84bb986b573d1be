// guard_faults.cpp: guard_fault(kind), the test-only fault injection into
// the live DDL guard, to show that a failure of the guard itself never
// breaks the user's DDL (sql/guard_policy.sql).
//
// The production module exports nothing for this: it publishes its fault
// setters through a rendezvous variable (include/schema_oracle/pg/
// test_hooks.hpp), which this function loads schema_oracle.so to fill.
#include <cstring>

#include "schema_oracle/pg/test_hooks.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "fmgr.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(schema_oracle_test_guard_fault);
}

using schema_oracle::pg::TestHooks;

// guard_fault(kind): 'none', 'pg_error', 'cpp_exception',
// 'rewrite_pg_error', 'user_code' (the analysis calls
// public.so_fault_user_code()) or 'ddl' (the analysis runs CREATE TABLE
// public.so_fault_smuggled ()), for the rest of this backend's life (or
// until reset).
Datum schema_oracle_test_guard_fault(PG_FUNCTION_ARGS) {
    char* kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
    int code = strcmp(kind, "pg_error") == 0           ? 1
               : strcmp(kind, "cpp_exception") == 0    ? 2
               : strcmp(kind, "rewrite_pg_error") == 0 ? 3
               : strcmp(kind, "user_code") == 0        ? 4
               : strcmp(kind, "ddl") == 0              ? 5
               : strcmp(kind, "none") == 0             ? 0
                                                       : -1;
    if (code < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("unknown fault \"%s\" (none, pg_error, cpp_exception, "
                               "rewrite_pg_error, user_code, ddl)",
                               kind)));
    // Loading runs schema_oracle's _PG_init, which publishes the hooks.
    load_file("$libdir/schema_oracle", false);
    auto* hooks = static_cast<TestHooks*>(
        *find_rendezvous_variable(schema_oracle::pg::test_hooks_rendezvous));
    if (hooks == nullptr || hooks->abi != schema_oracle::pg::test_hooks_abi)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("schema_oracle does not offer test hooks of ABI version %d",
                               schema_oracle::pg::test_hooks_abi)));
    hooks->set_guard_fault(code);
    PG_RETURN_VOID();
}
