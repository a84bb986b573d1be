// report_memory.cpp: report()'s memory is freed at the end of every call
// (the raw catalog arrays, the model, the findings, the rows); this keeps the
// pages it freed for the next call instead of faulting them in again, up to
// schema_oracle.report_keep_memory.
//
// glibc hands blocks over its mmap threshold (128 kB at start) to mmap(),
// each a fresh mapping whose every page faults on first touch and is
// unmapped again on free, and returns freed memory at the top of the heap
// to the kernel once it exceeds the trim threshold. Both thresholds grow by
// themselves after a large block is freed (up to DEFAULT_MMAP_THRESHOLD_MAX,
// 32 MB on 64-bit, and twice that for trimming), but only after the fact
// and not always (what sits at the top of the heap decides). A report over
// 10,000 tables allocates ~50 MB per call, so with the start values a warm
// call spent 15-20 % of its time in page faults. Setting the mmap threshold
// to that maximum (and the trim threshold to four times it, room for the
// huge-page blocks below) up front means: the raw arrays freed once the
// model is built are reused for the findings within the call, and a later
// call may reuse the heap of the one before. What a backend then keeps is
// bounded: after each call, if the free heap exceeds the setting, all of it
// goes back to the kernel (malloc_trim), and the next call faults it in
// again, 2 MB at a time where transparent huge pages are on.
#include "schema_oracle/pg/report_memory.hpp"

#include <cstdlib>  // defines __GLIBC__ (features.h) on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstdint>

namespace schema_oracle::pg {

namespace {

#if defined(__GLIBC__)
constexpr std::size_t mmap_threshold = 32u * 1024 * 1024;  // DEFAULT_MMAP_THRESHOLD_MAX (64-bit)
constexpr std::size_t trim_threshold = 4 * mmap_threshold;

// A call's fresh memory is faulted in a page at a time (at 10,000 tables
// ~25,000 pages in a new backend's first call, ~15,000 in a warm one, whose
// freed heap the last call handed back: ~3 us each on a virtual machine).
// Transparent huge pages fault 2 MB at a time. So before each call the
// heap's top is grown by blocks just under the mmap threshold (each comes
// from the heap: sbrk), the range they cover is marked MADV_HUGEPAGE, and
// they are freed again: they join the heap's free top (under the trim
// threshold, so nothing is trimmed) and the call's allocations are carved
// out of it. Where the kernel has THP disabled ("never") madvise fails and
// nothing changes; the pages are returned after the call as before
// (release_report_heap). Untouched, the blocks cost address space only.
void grow_heap_in_huge_pages() noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::size_t block = mmap_threshold - 4u * 1024 * 1024, huge = 2u * 1024 * 1024;
    constexpr int nblocks = 4;  // 112 MB, under the trim threshold with room to spare
    void* blocks[nblocks] = {};
    std::uintptr_t lo = UINTPTR_MAX, hi = 0;
    int n = 0;
    for (; n < nblocks; ++n) {
        if ((blocks[n] = std::malloc(block)) == nullptr)
            break;
        const auto p = reinterpret_cast<std::uintptr_t>(blocks[n]);
        lo = std::min(lo, p);
        hi = std::max(hi, p + block);
    }
    const std::uintptr_t from = (lo + huge - 1) & ~(huge - 1), to = hi & ~(huge - 1);
    if (n > 0 && hi - lo < (n + 1) * block && to > from)  // contiguous heap, not mmaps
        (void)madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    while (n > 0) std::free(blocks[--n]);
#endif
}
#endif

}  // namespace

void keep_report_heap() noexcept {
#if defined(__GLIBC__)
    static bool done = false;
    if (!done) {
        done = true;
        mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
        mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold));
    }
    grow_heap_in_huge_pages();
#endif
}

void release_report_heap(long keep_mb) noexcept {
#if defined(__GLIBC__)
    if (keep_mb > 0) {
#if __GLIBC_PREREQ(2, 33)
        if (mallinfo2().fordblks <= static_cast<std::size_t>(keep_mb) * 1024 * 1024)
            return;
#else
        return;  // no 64-bit mallinfo to check against: kept
#endif
    }
    malloc_trim(0);
#else
    (void)keep_mb;
#endif
}

}  // namespace schema_oracle::pg
