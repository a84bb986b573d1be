// dbsize.cpp: size formatting as src/backend/utils/adt/dbsize.c formats it
// in PostgreSQL 15 (pg_size_pretty(bigint)): bytes below 10 kB; otherwise
// keep one extra bit for rounding and step through kB, MB, GB, TB while the
// value is too big, rounding half up. Pure C++ (part of the core library).
#include "schema_oracle/core/guard.hpp"

namespace schema_oracle::core {

std::string format_size(std::int64_t bytes) {
    if (bytes < 0)
        return "size unknown";
    const std::int64_t limit = 10 * 1024;
    const std::int64_t limit2 = limit * 2 - 1;
    if (bytes < limit)
        return std::to_string(bytes) + " bytes";
    const char* units[] = {"kB", "MB", "GB", "TB"};
    std::int64_t size = bytes >> 9;
    int unit = 0;
    while (size >= limit2 && unit < 3) {
        size >>= 10;
        ++unit;
    }
    return std::to_string((size + 1) / 2) + " " + units[unit];
}

}  // namespace schema_oracle::core
