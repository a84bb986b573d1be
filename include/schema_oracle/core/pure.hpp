// pure.hpp: the compile-time wall between the pure C++ core and PostgreSQL.
//
// Every core header includes this first. The core holds the rules and the
// models; it never calls PostgreSQL, so it may throw, allocate with new and
// keep RAII objects anywhere. PostgreSQL's headers redefine printf, qsort,
// ERROR, Max/Min and friends, so if one of them has already been included
// in this translation unit the build stops here. Adapters include core
// headers first and PostgreSQL headers last (see docs/development.md).
#pragma once

#if defined(POSTGRES_H) || defined(C_H) || defined(ELOG_H)
#error "schema_oracle core headers must be included before any PostgreSQL header"
#endif
