// report_memory.hpp: how report() asks the C library to keep its heap
// between calls (src/pg/report_memory.cpp).
#pragma once

namespace schema_oracle::pg {

// Before each call (the thresholds once per backend, before report()'s first
// allocation): glibc's malloc serves blocks up to 32 MB from its heap and
// keeps up to 128 MB of freed heap at the top instead of returning it to the
// kernel at every free; and the heap's top is grown by 112 MB marked for
// transparent huge pages, so the call's fresh memory faults in 2 MB at a
// time. C land (no PostgreSQL call, never raises); a no-op without glibc.
void keep_report_heap() noexcept;

// At the end of a call, and when an error or a cancel ends it (a reset
// callback of the call's rows context, src/entry/report.cpp): if the backend's free heap is more
// than `keep_mb` megabytes (schema_oracle.report_keep_memory; 0 = nothing kept), all of it is
// returned to the kernel. C land, never raises; a no-op without glibc.
void release_report_heap(long keep_mb) noexcept;

}  // namespace schema_oracle::pg
