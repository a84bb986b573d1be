// boundary_probes.cpp: test-only entry points that prove the C++/PostgreSQL
// error boundary (src/pg/boundary.cpp, compiled into this module from the
// same source) in both directions.
//
// They live in the test module schema_oracle_test, never in schema_oracle.so;
// its extension script declares them in schema schema_oracle_test (see
// sql/boundary.sql). A LiveObject counts its constructions minus its
// destructions, so a test can show that unwinding ran every destructor.
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(schema_oracle_test_pg_error);
PG_FUNCTION_INFO_V1(schema_oracle_test_pg_error_recovered);
PG_FUNCTION_INFO_V1(schema_oracle_test_cpp_exception);
PG_FUNCTION_INFO_V1(schema_oracle_test_live_objects);
}

using namespace schema_oracle;

namespace {

int64_t live_objects = 0;

// An object with a destructor and a heap allocation: if a longjmp ever
// skipped it, live_objects would stay above zero and its string would leak.
class LiveObject {
public:
    LiveObject() : payload_(1024, 'x') { ++live_objects; }
    ~LiveObject() { --live_objects; }
    LiveObject(const LiveObject&) = delete;
    LiveObject& operator=(const LiveObject&) = delete;
    size_t size() const { return payload_.size(); }

private:
    std::string payload_;
};

// Runs `sql` through SPI from C++ with a LiveObject alive in this frame.
void run_sql_with_live_object(const char* sql, bool recoverable) {
    LiveObject guard_me;
    // Connect inside the call: if it fails inside a subtransaction, the
    // rollback also closes this SPI connection.
    auto run = [sql]() noexcept {
        SPI_connect();
        SPI_execute(sql, false, 0);
        SPI_finish();
    };
    if (recoverable)
        pg::pg_call_recoverable(run);
    else
        pg::pg_call(run);
    (void)guard_me.size();
}

}  // namespace

// test_pg_error(sql): run sql from C++; a PostgreSQL ERROR it raises must
// arrive at the client unchanged (SQLSTATE, DETAIL, HINT), after every C++
// destructor ran.
Datum schema_oracle_test_pg_error(PG_FUNCTION_ARGS) {
    char* sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
    pg::cpp_boundary("test_pg_error", [sql] { run_sql_with_live_object(sql, false); });
    PG_RETURN_TEXT_P(cstring_to_text("no error"));
}

// test_pg_error_recovered(sql): the same inside a subtransaction; the C++
// side catches the error, inspects it and carries on. Returns
// "SQLSTATE: message" of the caught error.
Datum schema_oracle_test_pg_error_recovered(PG_FUNCTION_ARGS) {
    char* sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
    text* result = pg::cpp_boundary("test_pg_error_recovered", [sql]() -> text* {
        try {
            run_sql_with_live_object(sql, true);
            return pg::to_text("no error");
        } catch (const pg::PgError& e) {
            std::string seen = unpack_sql_state(e.sqlerrcode());
            seen += ": ";
            seen += e.what();
            return pg::to_text(seen);
        }
    });
    PG_RETURN_TEXT_P(result);
}

// test_cpp_exception(kind): throw from C++; the client gets an ERROR with the
// right SQLSTATE and the session goes on.
Datum schema_oracle_test_cpp_exception(PG_FUNCTION_ARGS) {
    std::string_view kind = pg::view_text(PG_GETARG_TEXT_PP(0));
    pg::cpp_boundary("test_cpp_exception", [kind] {
        LiveObject guard_me;
        if (kind == "out_of_range")
            throw std::out_of_range("index 7 is out of range");
        if (kind == "bad_alloc")
            throw std::bad_alloc();
        if (kind == "core_error")
            throw core::Error("22023", "core says no", "the detail from the core",
                              "the hint from the core");
        if (kind == "int")
            throw 42;
        (void)guard_me.size();
    });
    PG_RETURN_TEXT_P(cstring_to_text("no exception"));
}

// test_live_objects(): how many LiveObjects exist now (0 unless leaked).
Datum schema_oracle_test_live_objects(PG_FUNCTION_ARGS) {
    PG_RETURN_INT64(live_objects);
}
