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
// call spent 15-20 % of its time in page faults. Setting the thresholds to
// those maxima up front means: the raw arrays freed once the model is built
// are reused for the findings within the call, and a later call reuses the
// heap of the one before. What a backend then keeps is bounded: after each
// call, if the free heap exceeds the setting, all of it goes back to the
// kernel (malloc_trim).
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
// A new backend's heap is nearly empty, so its first report() faults in every
// page it uses (~25,000 at 10,000 tables: ~75 ms of a ~230 ms call on a
// virtual machine, where a fresh 4 kB page costs ~3 us). Transparent huge
// pages fault 2 MB at a time. Before that first call the heap's top is
// grown by two blocks just under the mmap threshold (each comes from the
// heap: sbrk), the range they cover is marked MADV_HUGEPAGE, and both are
// freed again: they join the heap's free top (under the 64 MB trim
// threshold, so nothing is trimmed) and report()'s allocations are carved
// out of it. Where the kernel has THP disabled ("never") madvise fails and
// nothing changes; the pages are returned after the call as before
// (release_report_heap).
void grow_heap_in_huge_pages() noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr std::size_t block = 28u * 1024 * 1024, huge = 2u * 1024 * 1024;
    void* a = std::malloc(block);
    void* b = a ? std::malloc(block) : nullptr;
    if (a != nullptr && b != nullptr) {
        const auto pa = reinterpret_cast<std::uintptr_t>(a), pb = reinterpret_cast<std::uintptr_t>(b);
        const std::uintptr_t lo = std::min(pa, pb), hi = std::max(pa, pb) + block;
        const std::uintptr_t from = (lo + huge - 1) & ~(huge - 1), to = hi & ~(huge - 1);
        if (hi - lo < 3 * block && to > from)  // contiguous heap blocks, not two mmaps
            (void)madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
    }
    std::free(b);
    std::free(a);
#endif
}
#endif

}  // namespace

void keep_report_heap() noexcept {
#if defined(__GLIBC__)
    static bool done = false;
    if (done)
        return;
    done = true;
    constexpr int mmap_threshold = 32 * 1024 * 1024;  // DEFAULT_MMAP_THRESHOLD_MAX (64-bit)
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, 2 * mmap_threshold);
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
