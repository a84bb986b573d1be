// compat.hpp: the one place for PostgreSQL-version-specific code.
//
// schema_oracle targets PostgreSQL 15 (the only major version we can test).
// Anything that differs between majors is wrapped here, so the rest of the
// code reads as if there were only one PostgreSQL.
#pragma once

#if PG_VERSION_NUM < 150000 || PG_VERSION_NUM >= 160000
#error "schema_oracle supports PostgreSQL 15; add the differences to compat.hpp first"
#endif
