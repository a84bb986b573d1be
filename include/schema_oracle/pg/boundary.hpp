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
//                  destructor created inside it would be skipped, and it
//                  must be noexcept (checked at compile time).
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
//                  runs C++ code goes through it (or through cpp_capture).
// cpp_capture(fn)  C++ -> PostgreSQL, without raising. Runs C++ code like
//                  cpp_boundary but *returns* what it caught as a
//                  CaughtError, so the caller can decide (the guard fails
//                  open: a WARNING, and the user's statement proceeds).
//                  Only a PgUnrecoverable (cancel) must still be raised:
//                  CaughtError::unrecoverable() says so, raise_caught() does.
// run_recoverable(fn)
//                  C-style PostgreSQL code (which may ereport) inside an
//                  internal subtransaction, its error returned as a
//                  CaughtError: cpp_capture over pg_call_recoverable.
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

// A PostgreSQL error the C++ side must not handle: a query cancel or
// statement timeout (57014), or a failure to start pg_call_recoverable's
// subtransaction (nothing was rolled back, so carrying on is unsafe). It is
// deliberately not a PgError (nor a std::exception), so code that handles
// errors to carry on cannot swallow it: only cpp_boundary catches it, and
// re-raises it.
class PgUnrecoverable final {
public:
    explicit PgUnrecoverable(ErrorData* edata) noexcept : edata_(edata) {}
    ErrorData* data() const noexcept { return edata_; }

private:
    ErrorData* edata_;
};

namespace detail {

// Copies the current error out of ErrorContext into `into` and clears the
// error state. Must be called from a PG_CATCH block. Copying allocates and
// can itself fail (out of memory): that second error is caught here too,
// and nullptr tells the caller to report std::bad_alloc instead.
inline ErrorData* take_error(MemoryContext into) noexcept {
    MemoryContextSwitchTo(into);
    ErrorData* volatile edata = nullptr;
    PG_TRY();
    { edata = CopyErrorData(); }
    PG_CATCH();
    { edata = nullptr; }
    PG_END_TRY();
    FlushErrorState();
    MemoryContextSwitchTo(into);
    return edata;
}

// Throws what a failed pg_call reports: PgUnrecoverable for a cancel (or
// when `recoverable` is false), PgError for any other error, std::bad_alloc
// if the error could not be copied.
[[noreturn]] inline void throw_caught(ErrorData* edata, bool recoverable = true) {
    if (edata == nullptr)
        throw std::bad_alloc();
    if (!recoverable || edata->sqlerrcode == ERRCODE_QUERY_CANCELED)
        throw PgUnrecoverable(edata);
    throw PgError(edata);
}

// The lambdas given to pg_call run inside PG_TRY, where an exception would
// leave PG_exception_stack pointing into a dead frame: they must be noexcept.
template <typename Fn>
inline constexpr bool is_pg_callable = std::is_nothrow_invocable_v<Fn&>;

}  // namespace detail

template <typename Fn>
auto pg_call(Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call returns PostgreSQL values (Datum, pointers, scalars) only");
    static_assert(detail::is_pg_callable<Fn>, "pg_call takes a noexcept lambda");
    MemoryContext caller_context = CurrentMemoryContext;
    ErrorData* volatile edata = nullptr;
    volatile bool failed = false;
    struct Box {
        std::conditional_t<std::is_void_v<Result>, char, Result> value{};
    } box;

    PG_TRY();
    {
        if constexpr (std::is_void_v<Result>)
            fn();
        else
            box.value = fn();
    }
    PG_CATCH();
    {
        failed = true;
        edata = detail::take_error(caller_context);
    }
    PG_END_TRY();
    if (failed)
        detail::throw_caught(edata);
    if constexpr (!std::is_void_v<Result>)
        return box.value;
}

// Internal subtransaction around one PostgreSQL call, the way PL/pgSQL runs
// a block with an EXCEPTION clause. A cancel is never recoverable: it comes
// out as PgUnrecoverable, which only cpp_boundary catches.
template <typename Fn>
auto pg_call_recoverable(Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call_recoverable returns PostgreSQL values (Datum, pointers, scalars) only");
    static_assert(detail::is_pg_callable<Fn>, "pg_call_recoverable takes a noexcept lambda");
    MemoryContext caller_context = CurrentMemoryContext;
    ResourceOwner caller_owner = CurrentResourceOwner;
    ErrorData* volatile edata = nullptr;
    volatile bool failed = false;
    struct Box {
        std::conditional_t<std::is_void_v<Result>, char, Result> value{};
    } box;

    // Starting the subtransaction can fail too (in parallel mode, out of
    // memory): that error must neither longjmp past our callers' objects
    // nor look recoverable, since no subtransaction exists to roll back.
    PG_TRY();
    { BeginInternalSubTransaction(nullptr); }
    PG_CATCH();
    {
        failed = true;
        edata = detail::take_error(caller_context);
    }
    PG_END_TRY();
    if (failed)
        detail::throw_caught(edata, false);
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
        failed = true;
        edata = detail::take_error(caller_context);
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(caller_context);
        CurrentResourceOwner = caller_owner;
    }
    PG_END_TRY();
    if (failed)
        detail::throw_caught(edata);
    if constexpr (!std::is_void_v<Result>)
        return box.value;
}

// What cpp_boundary or cpp_capture caught, held in plain storage (no
// destructor) so that it can be reported after the catch block has been
// left. A PostgreSQL error keeps its complete ErrorData; a C++ error's
// texts are copied whole into the current memory context (an allocation
// that never raises: if it fails, the error is reported as out of memory).
struct CaughtError {
    enum class Kind { none, pg, unrecoverable, core, out_of_memory, other } kind = Kind::none;
    ErrorData* pg_error = nullptr;
    int sqlerrcode = 0;
    const char* message = "";
    const char* detail = "";
    const char* hint = "";

    bool failed() const noexcept { return kind != Kind::none; }
    // A cancel or a failed subtransaction start: never handled, re-raised.
    bool unrecoverable() const noexcept { return kind == Kind::unrecoverable; }
    // The error's primary message, whatever its kind.
    const char* text() const noexcept {
        if (pg_error != nullptr)
            return pg_error->message ? pg_error->message : "PostgreSQL error";
        return message[0] != '\0' ? message : "unknown failure";
    }
};

// Raises the caught error as a PostgreSQL ERROR. Never returns. Call it in
// C land only (no C++ object with a destructor alive up to the entry point).
[[noreturn]] void raise_caught(const CaughtError& caught, const char* where);

namespace detail {

// A copy of `from` in the current memory context, or nullptr when out of
// memory. Never raises: callable inside a catch block.
const char* copy_message(const char* from) noexcept;
int sqlstate_from_text(const std::string& code) noexcept;

// Sets `caught` from the exception currently being handled. Called only
// inside a catch block; does not call PostgreSQL.
void classify_current_exception(CaughtError& caught) noexcept;

}  // namespace detail

// Runs fn() and returns what it threw (Kind::none when it returned). Never
// throws, never raises.
template <typename Fn>
CaughtError cpp_capture(Fn&& fn) noexcept {
    static_assert(std::is_void_v<decltype(fn())>, "cpp_capture runs void functions");
    CaughtError caught;
    try {
        fn();
    } catch (...) {
        detail::classify_current_exception(caught);
    }
    return caught;
}

// C-style PostgreSQL code inside an internal subtransaction; its ERROR (the
// subtransaction rolled back) comes back as a CaughtError of kind pg, a
// cancel as kind unrecoverable.
template <typename Fn>
CaughtError run_recoverable(Fn&& fn) noexcept {
    static_assert(detail::is_pg_callable<Fn>, "run_recoverable takes a noexcept lambda");
    return cpp_capture([&] { pg_call_recoverable(fn); });
}

template <typename Fn>
auto cpp_boundary(const char* where, Fn&& fn) -> decltype(fn()) {
    using Result = decltype(fn());
    static_assert(std::is_void_v<Result> || std::is_trivially_destructible_v<Result>,
                  "cpp_boundary returns plain values: nothing may need a destructor on "
                  "the PostgreSQL side");
    CaughtError caught;
    if constexpr (std::is_void_v<Result>) {
        try {
            fn();
            return;
        } catch (...) {
            detail::classify_current_exception(caught);
        }
        // The catch block is over: the exception object is destroyed and no
        // C++ frame of ours is active below this one.
        raise_caught(caught, where);
    } else {
        try {
            return fn();
        } catch (...) {
            detail::classify_current_exception(caught);
        }
        raise_caught(caught, where);
    }
}

}  // namespace schema_oracle::pg
