// boundary.cpp: reporting what cpp_boundary caught as a PostgreSQL ERROR.
//
// Everything here runs after the C++ catch block has been left, so ereport
// may longjmp freely: no C++ object of ours is alive below the caller.
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/pg/boundary.hpp"

namespace schema_oracle::pg {
namespace detail {

const char* copy_message(const char* from) noexcept {
    if (from == nullptr || from[0] == '\0')
        return "";
    const Size n = strlen(from);
    if (n >= MaxAllocSize)
        return nullptr;
    auto* to = static_cast<char*>(
        MemoryContextAllocExtended(CurrentMemoryContext, n + 1, MCXT_ALLOC_NO_OOM));
    if (to == nullptr)
        return nullptr;
    memcpy(to, from, n + 1);
    return to;
}

namespace {

// Sets a C++ error's texts, or turns the error into out-of-memory when they
// cannot be copied.
void set_texts(CaughtError& caught, const char* message, const char* detail, const char* hint) {
    const char* m = copy_message(message);
    const char* d = copy_message(detail);
    const char* h = copy_message(hint);
    if (m == nullptr || d == nullptr || h == nullptr) {
        caught.kind = CaughtError::Kind::out_of_memory;
        caught.sqlerrcode = ERRCODE_OUT_OF_MEMORY;
        caught.message = "out of memory";
        caught.detail = caught.hint = "";
        return;
    }
    caught.message = m;
    caught.detail = d;
    caught.hint = h;
}

}  // namespace

int sqlstate_from_text(const std::string& code) noexcept {
    if (code.size() != 5)
        return ERRCODE_INTERNAL_ERROR;
    for (char c : code)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')))
            return ERRCODE_INTERNAL_ERROR;
    return MAKE_SQLSTATE(code[0], code[1], code[2], code[3], code[4]);
}

void classify_current_exception(CaughtError& caught) noexcept {
    try {
        throw;
    } catch (const PgError& e) {
        caught.kind = CaughtError::Kind::pg;
        caught.pg_error = e.data();
    } catch (const PgUnrecoverable& e) {
        caught.kind = CaughtError::Kind::unrecoverable;
        caught.pg_error = e.data();
    } catch (const core::Error& e) {
        caught.kind = CaughtError::Kind::core;
        caught.sqlerrcode = sqlstate_from_text(e.sqlstate());
        set_texts(caught, e.what(), e.detail().c_str(), e.hint().c_str());
    } catch (const std::bad_alloc&) {
        caught.kind = CaughtError::Kind::out_of_memory;
        caught.sqlerrcode = ERRCODE_OUT_OF_MEMORY;
        caught.message = "out of memory";
    } catch (const std::exception& e) {
        caught.kind = CaughtError::Kind::other;
        caught.sqlerrcode = ERRCODE_INTERNAL_ERROR;
        set_texts(caught, e.what(), nullptr, nullptr);
    } catch (...) {
        caught.kind = CaughtError::Kind::other;
        caught.sqlerrcode = ERRCODE_INTERNAL_ERROR;
        caught.message = "unknown C++ exception";
    }
}

}  // namespace detail

void raise_caught(const CaughtError& caught, const char* where) {
    switch (caught.kind) {
        case CaughtError::Kind::pg:
        case CaughtError::Kind::unrecoverable:
            // The original error, exactly: SQLSTATE, message, DETAIL, HINT,
            // CONTEXT and source location.
            ReThrowError(caught.pg_error);
        case CaughtError::Kind::core:
            ereport(ERROR, (errcode(caught.sqlerrcode), errmsg_internal("%s", caught.message),
                            caught.detail[0] ? errdetail_internal("%s", caught.detail) : 0,
                            caught.hint[0] ? errhint("%s", caught.hint) : 0));
            break;
        case CaughtError::Kind::out_of_memory:
            ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory"),
                            errdetail_internal("schema_oracle: allocation failed in %s", where)));
            break;
        case CaughtError::Kind::other:
        case CaughtError::Kind::none:
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg_internal("schema_oracle: internal error in %s: %s", where,
                                            caught.message)));
            break;
    }
    pg_unreachable();
}

}  // namespace schema_oracle::pg
