// report_memory.cpp: report()'s memory is freed at the end of every call
// (the raw catalog arrays, the model, the findings, the rows); this keeps the
// pages it freed for the next call instead of faulting them in again.
//
// glibc hands blocks over its mmap threshold (128 kB at start) to mmap(),
// each a fresh mapping whose every page faults on first touch and is
// unmapped again on free, and returns freed memory at the top of the heap
// to the kernel once it exceeds the trim threshold. Both thresholds grow by
// themselves after a large block is freed (up to DEFAULT_MMAP_THRESHOLD_MAX,
// 32 MB on 64-bit, and twice that for trimming), but only after the fact
// and not always (what sits at the top of the heap decides). A report over
// 10,000 tables allocates ~50 MB per call, so with the start values a call
// spent 15-20 % of its time in page faults, and a first call in a new session
// ~25 %. Setting the thresholds to those maxima up front means: the raw
// arrays freed once the model is built are reused for the findings within
// the call, and a later call reuses the heap of the one before. The cost is
// that a backend which ran report() keeps up to 64 MB of freed heap until it
// exits (what glibc itself would keep after one large free).
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

}  // namespace schema_oracle::pg
