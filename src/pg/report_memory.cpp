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

namespace schema_oracle::pg {

void keep_report_heap() noexcept {
#if defined(__GLIBC__)
    static bool done = false;
    if (done)
        return;
    done = true;
    constexpr int mmap_threshold = 32 * 1024 * 1024;  // DEFAULT_MMAP_THRESHOLD_MAX (64-bit)
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, 2 * mmap_threshold);
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
