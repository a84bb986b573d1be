// user_code.hpp: nothing the user wrote runs inside the guard's analysis.
//
// The guard decides from expression trees (a DEFAULT, a USING clause, a
// partition bound, a table's CHECK constraints). PostgreSQL's own helpers
// that it reuses (expression_planner, eval_const_expressions, partition bound
// transformation, predicate proofs) evaluate what they can fold, which would
// run the user's IMMUTABLE functions, and any DDL such a function issued
// would run unjudged. Two layers keep that from happening:
//
//   1. Before an expression is folded or evaluated, the extractor asks
//      expression_runs_user_code() (a walker over the analysed tree, like
//      PostgreSQL's contain_mutable_functions); if it does, the fact is
//      unknown and the rule judges conservatively ("might rewrite", "might
//      scan"), without folding anything.
//   2. While the analysis runs (user_code_refused_begin/end), an fmgr hook
//      (needs_fmgr_hook / fmgr_hook, the hooks sepgsql uses) refuses to start
//      any function written in a procedural or SQL language: a path the
//      walker did not foresee (a literal of a domain whose CHECK calls a
//      PL/pgSQL function, say) fails the analysis instead of running the
//      function. The failure is the guard's, so schema_oracle.fail_closed
//      decides (docs/security.md).
//
// "User code" is a function whose language is neither internal nor C: C
// functions come with PostgreSQL or with extensions a superuser installed,
// and PL/SQL functions are what any role with CREATE on a schema can write.
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/nodes.h"
}

namespace schema_oracle::pg {

// SQLSTATE of the refusal (55000, object not in prerequisite state): not a
// class the guard reads as "the statement itself is invalid", so the
// refusal is an analysis failure that schema_oracle.fail_closed decides.
#define SO_ERRCODE_USER_CODE_REFUSED ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE

// Whether the function is written in a language other than internal or C.
// Unknown functions count as user code. Raises nothing beyond syscache
// lookups.
bool function_is_user_code(Oid funcid);

// Whether an analysed expression tree calls user code anywhere (functions,
// operators, casts, aggregates, window functions, type coercions through
// I/O functions), by check_functions_in_node on every node.
bool expression_runs_user_code(Node* expr);

// Brackets an analysis that must not run user code (nests). The flag is
// reset at transaction end too, so an ERROR between begin and end cannot
// leave it set.
void user_code_refused_begin();
void user_code_refused_end();
bool user_code_refused();

// Installs the fmgr hooks (from _PG_init, through init_hooks).
void init_user_code_hooks();

}  // namespace schema_oracle::pg
