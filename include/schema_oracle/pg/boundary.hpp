// boundary.hpp: the two crossings between C++ and PostgreSQL error handling.
//
// PostgreSQL reports errors with siglongjmp; C++ with exceptions. Neither may
// cross the other's frames:
//   - a longjmp through a C++ frame skips its destructors (leaks, held
//     locks, undefined behaviour);
//   - an exception through a PostgreSQL frame skips PG_CATCH cleanup and
//     leaves PG_exception_stack pointing into a dead frame.
//
// pg_call(fn)      PostgreSQL -> C++. Runs one PostgreSQL call under its own
//                  sigsetjmp, innermost, and turns an ERROR into a PgError
//                  exception carrying the complete ErrorData. Keep the
//                  lambda to the bare PostgreSQL call: any C++ object with a
//                  destructor created inside it would be skipped.
// pg_call_recoverable(fn)
//                  The same inside an internal subtransaction, so the caller
//                  may catch the PgError and go on (the failed call's
//                  locks, buffers and memory are released by the rollback).
//                  A PgError from plain pg_call must reach cpp_boundary.
// cpp_boundary(fn) C++ -> PostgreSQL. Runs C++ code; any exception is caught
//                  and the catch block left before PostgreSQL is told: a
//                  PgError is re-thrown with ReThrowError (SQLSTATE, DETAIL,
//                  HINT, CONTEXT intact), a core::Error becomes an ereport
//                  with its own SQLSTATE, std::bad_alloc becomes 53200 and
//                  anything else XX000. Every extern "C" entry point that
//                  runs C++ code goes through it.
#pragma once

#include <exception>
#include <new>
#include <type_traits>
#include <utility>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
}

namespace schema_oracle::pg {

// A PostgreSQL error caught on the C++ side. It owns nothing with a
// destructor: the ErrorData lives in the memory context that was current
// when pg_call started, until the error is re-raised.
class PgError final : public std::exception {
public:
    explicit PgError(ErrorData* edata) noexcept : edata_(edata) {}
    ErrorData* data() const noexcept { return edata_; }
    int sqlerrcode() const noexcept { return edata_->sqlerrcode; }
    const char* what() const noexcept override {
        return edata_->message ? edata_->message : "PostgreSQL error";
    }

private:
    ErrorData* edata_;
};

namespace detail {

// Copies the current error out of ErrorContext into `into` and clears the
// error state. Must be called from a PG_CATCH block.
inline ErrorData* take_error(MemoryContext into) noexcept {
    MemoryContextSwitchTo(into);
    ErrorData* edata = CopyErrorData();
    FlushErrorState();
    return edata;
}

}  // namespace detail

template <typename Fn>
auto pg_call(Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call returns PostgreSQL values (Datum, pointers, scalars) only");
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile edata = nullptr;

    if constexpr (std::is_void_v<Result>) {
        PG_TRY();
        {
            fn();
        }
        PG_CATCH();
        {
            edata = detail::take_error(caller_context);
        }
        PG_END_TRY();
        if (edata != nullptr) throw PgError(edata);
    } else {
        Result result{};
        PG_TRY();
        {
            result = fn();
        }
        PG_CATCH();
        {
            edata = detail::take_error(caller_context);
        }
        PG_END_TRY();
        if (edata != nullptr) throw PgError(edata);
        return result;
    }
}

// Internal subtransaction around one PostgreSQL call, the way PL/pgSQL runs
// a block with an EXCEPTION clause.
template <typename Fn>
auto pg_call_recoverable(Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call_recoverable returns PostgreSQL values (Datum, pointers, scalars) only");
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    ErrorData* volatile edata = nullptr;
    struct Box {
        std::conditional_t<std::is_void_v<Result>, char, Result> value{};
    } box;

    BeginInternalSubTransaction(nullptr);
    MemoryContextSwitchTo(caller_context);
    PG_TRY();
    {
        if constexpr (std::is_void_v<Result>)
            fn();
        else
            box.value = fn();
        ReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
    }
    PG_CATCH();
    {
        edata = detail::take_error(caller_context);
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
    }
    PG_END_TRY();
    if (edata != nullptr) throw PgError(edata);
    if constexpr (!std::is_void_v<Result>) return box.value;
}

namespace detail {

// What cpp_boundary caught, held in plain storage so that it can be
// reported after the catch block has been left.
struct CaughtError {
    enum class Kind { none, pg, core, out_of_memory, other } kind = Kind::none;
    ErrorData* pg_error = nullptr;
    int sqlerrcode = 0;
    char message[1024] = {};
    char detail[1024] = {};
    char hint[1024] = {};
};

void copy_message(char (&to)[1024], const char* from) noexcept;
int sqlstate_from_text(const std::string& code) noexcept;

// Raises the caught error as a PostgreSQL ERROR. Never returns.
[[noreturn]] void raise(const CaughtError& caught, const char* where);

// Sets `caught` from the exception currently being handled. Called only
// inside a catch block; does not call PostgreSQL.
void classify_current_exception(CaughtError& caught) noexcept;

}  // namespace detail

template <typename Fn>
auto cpp_boundary(const char* where, Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_destructible_v<Result>,
                  "cpp_boundary returns plain values: nothing may need a destructor on "
                  "the PostgreSQL side");
    detail::CaughtError caught;
    if constexpr (std::is_void_v<Result>) {
        try {
            fn();
            return;
        } catch (...) {
            detail::classify_current_exception(caught);
        }
        // The catch block is over: the exception object is destroyed and no
        // C++ frame of ours is active below this one.
        detail::raise(caught, where);
    } else {
        try {
            return fn();
        } catch (...) {
            detail::classify_current_exception(caught);
        }
        detail::raise(caught, where);
    }
}

}  // namespace schema_oracle::pg
