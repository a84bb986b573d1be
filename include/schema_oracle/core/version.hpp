// version.hpp: the extension's version, as the build passes it in.
//
// The Makefile and CMakeLists.txt both read default_version from
// schema_oracle.control, so the library, the SQL script and the docs agree.
#pragma once
#include "schema_oracle/core/pure.hpp"

#ifndef SCHEMA_ORACLE_VERSION
#error "SCHEMA_ORACLE_VERSION must be defined by the build (see Makefile)"
#endif

namespace schema_oracle::core {
inline constexpr const char* version = SCHEMA_ORACLE_VERSION;
}
