// text.hpp: moving strings between C++ and PostgreSQL without longjmps.
//
// Allocation uses MCXT_ALLOC_NO_OOM and throws std::bad_alloc, so these may
// be called from C++ code inside cpp_boundary: palloc's own out-of-memory
// ERROR would longjmp through our frames.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "schema_oracle/pg/postgres.hpp"

namespace schema_oracle::pg {

// A palloc'd text datum holding `s`, in the current memory context.
inline text* to_text(std::string_view s) {
    const Size total = VARHDRSZ + s.size();
    auto* t = static_cast<text*>(
        MemoryContextAllocExtended(CurrentMemoryContext, total, MCXT_ALLOC_NO_OOM));
    if (t == nullptr) throw std::bad_alloc();
    SET_VARSIZE(t, total);
    if (!s.empty()) memcpy(VARDATA(t), s.data(), s.size());
    return t;
}

// A palloc'd, NUL-terminated copy of `s`.
inline char* to_cstring(std::string_view s) {
    auto* c = static_cast<char*>(
        MemoryContextAllocExtended(CurrentMemoryContext, s.size() + 1, MCXT_ALLOC_NO_OOM));
    if (c == nullptr) throw std::bad_alloc();
    if (!s.empty()) memcpy(c, s.data(), s.size());
    c[s.size()] = '\0';
    return c;
}

// A view of an already detoasted text datum (PG_GETARG_TEXT_PP, in C land).
inline std::string_view view_text(const text* t) noexcept {
    return {VARDATA_ANY(t), static_cast<size_t>(VARSIZE_ANY_EXHDR(t))};
}

}  // namespace schema_oracle::pg
