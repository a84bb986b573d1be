// text.hpp: moving strings between C++ and PostgreSQL without longjmps.
//
// Allocation throws std::bad_alloc instead of raising an ERROR, so these may
// be called from C++ code inside cpp_boundary: palloc's own out-of-memory
// ERROR would longjmp through our frames.
#pragma once

#include <new>
#include <string>
#include <string_view>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "utils/memutils.h"
}

namespace schema_oracle::pg {

// palloc for C++ code: `size` bytes in the current memory context, or
// std::bad_alloc. MCXT_ALLOC_NO_OOM alone is not enough: a request above
// MaxAllocSize still raises an ERROR, so larger ones use the huge variant
// and anything beyond that is refused before PostgreSQL sees it.
inline void* alloc_or_throw(Size size) {
    if (size > MaxAllocHugeSize)
        throw std::bad_alloc();
    int flags = MCXT_ALLOC_NO_OOM | (size > MaxAllocSize ? MCXT_ALLOC_HUGE : 0);
    void* p = MemoryContextAllocExtended(CurrentMemoryContext, size, flags);
    if (p == nullptr)
        throw std::bad_alloc();
    return p;
}

// A palloc'd text datum holding `s`, in the current memory context.
inline text* to_text(std::string_view s) {
    // A varlena cannot exceed 1 GB: refuse larger strings here.
    if (s.size() > MaxAllocSize - VARHDRSZ)
        throw std::bad_alloc();
    const Size total = VARHDRSZ + s.size();
    auto* t = static_cast<text*>(alloc_or_throw(total));
    SET_VARSIZE(t, total);
    if (!s.empty())
        memcpy(VARDATA(t), s.data(), s.size());
    return t;
}

// A palloc'd, NUL-terminated copy of `s`.
inline char* to_cstring(std::string_view s) {
    auto* c = static_cast<char*>(alloc_or_throw(s.size() + 1));
    if (!s.empty())
        memcpy(c, s.data(), s.size());
    c[s.size()] = '\0';
    return c;
}

// A view of an already detoasted text datum (PG_GETARG_TEXT_PP, in C land).
inline std::string_view view_text(const text* t) noexcept {
    return {VARDATA_ANY(t), static_cast<size_t>(VARSIZE_ANY_EXHDR(t))};
}

}  // namespace schema_oracle::pg
