// fk_coverage.hpp (pg): the PostgreSQL half of the foreign-key coverage
// definition (core/fk_coverage.hpp): whether a partial index's predicate is
// implied by its leading key columns being NOT NULL, proved by PostgreSQL's
// own predicate prover (predicate_implied_by, as the planner uses for
// partial indexes). Shared by report()'s catalog reader and the commit
// check, so both fill Index::predicate_implied_by_not_null the same way.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

namespace schema_oracle::pg {

// The smallest n (1..nkey) such that "key columns 1..n IS NOT NULL" implies
// the index predicate `predicate_text` (pg_index.indpred, nodeToString form),
// or 0 if none does. C land: may ereport. Runs no user code (the clauses are
// plain NullTests, so no operator is evaluated).
int not_null_prefix_implying_predicate(Oid table, const char* predicate_text, const int16* keys,
                                       int nkey);

}  // namespace schema_oracle::pg
