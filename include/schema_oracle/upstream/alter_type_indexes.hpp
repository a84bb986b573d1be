// alter_type_indexes.hpp: the indexes an ALTER COLUMN ... TYPE that does not
// rewrite the table still rebuilds, as PostgreSQL 15 decides it
// (src/upstream/alter_type_indexes.cpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/attnum.h"
#include "nodes/pg_list.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg::upstream {

// The OIDs of the indexes on relid that depend on column attnum and that a
// type change from (oldtype, oldcoll) to (newtype, newcoll) rebuilds even
// though the table is not rewritten. C-style: may ereport.
List* indexes_rebuilt_by_type_change(Oid relid, AttrNumber attnum, Oid oldtype, Oid oldcoll,
                                     Oid newtype, Oid newcoll);

// ATPostAlterTypeParse (tablecmds.c, PostgreSQL 15): after a column's type
// changes, PostgreSQL re-creates every index and CHECK constraint over it
// from its deparsed definition, analysed again with the new type, before
// the table is rewritten. Re-analysed the same way here (the definition
// deparsed, parsed, and transformed with the column resolving to a Var of
// the new type): PostgreSQL's own analysis errors ("function lower(bigint)
// does not exist", "COALESCE types ... cannot be matched") are raised as
// they are, the statement's; true when an index expression or predicate is
// no longer IMMUTABLE ("functions in index expression must be marked
// IMMUTABLE"), with *reason set. Parse analysis runs nothing. The table
// must be locked (ACCESS SHARE at least) by the caller.
bool dependent_definitions_refused(Relation rel, AttrNumber attnum, const char* column, Oid newtype,
                                   int32 newtypmod, const char** reason);

}  // namespace schema_oracle::pg::upstream
