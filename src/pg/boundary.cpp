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

void copy_message(char (&to)[1024], const char* from) noexcept {
    if (from == nullptr) {
        to[0] = '\0';
        return;
    }
    strlcpy(to, from, sizeof(to));
}

int sqlstate_from_text(const std::string& code) noexcept {
    if (code.size() != 5) return ERRCODE_INTERNAL_ERROR;
    for (char c : code)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return ERRCODE_INTERNAL_ERROR;
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
        copy_message(caught.message, e.what());
        copy_message(caught.detail, e.detail().c_str());
        copy_message(caught.hint, e.hint().c_str());
    } catch (const std::bad_alloc&) {
        caught.kind = CaughtError::Kind::out_of_memory;
        caught.sqlerrcode = ERRCODE_OUT_OF_MEMORY;
        copy_message(caught.message, "out of memory");
    } catch (const std::exception& e) {
        caught.kind = CaughtError::Kind::other;
        caught.sqlerrcode = ERRCODE_INTERNAL_ERROR;
        copy_message(caught.message, e.what());
    } catch (...) {
        caught.kind = CaughtError::Kind::other;
        caught.sqlerrcode = ERRCODE_INTERNAL_ERROR;
        copy_message(caught.message, "unknown C++ exception");
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
