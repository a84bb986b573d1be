// postgres.hpp: how C++ adapters include postgres.h.
//
// Include this after every standard-library, Boost and core header of the
// translation unit: PostgreSQL's headers define macros (printf, qsort,
// ERROR, Max, Assert, ...) that would break them. Further server headers
// go in an `extern "C"` block right after this include.
#pragma once

extern "C" {
#include "postgres.h"
}

#include "schema_oracle/pg/compat.hpp"
