// fk_coverage.cpp (pg): proves "the leading key columns are NOT NULL
// implies the partial index's predicate" with predicate_implied_by (see
// include/schema_oracle/pg/fk_coverage.hpp).
#include "schema_oracle/pg/fk_coverage.hpp"

extern "C" {
#include "nodes/makefuncs.h"
#include "nodes/primnodes.h"
#include "nodes/readfuncs.h"
#include "optimizer/optimizer.h"
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg {

int not_null_prefix_implying_predicate(Oid table, const char* predicate_text, const int16* keys,
                                       int nkey) {
    if (predicate_text == nullptr || keys == nullptr)
        return 0;
    // Stored as one expression (make_ands_explicit at CREATE INDEX); the
    // prover takes implicit-AND lists. No const folding: that could call
    // functions, and the prover does not need it for IS NOT NULL proofs.
    List* predicate = make_ands_implicit(static_cast<Expr*>(stringToNode(predicate_text)));
    List* clauses = NIL;
    for (int i = 0; i < nkey; ++i) {
        if (keys[i] <= 0)
            break;  // an expression column: no foreign key can use it
        Oid type = InvalidOid, collation = InvalidOid;
        int32 typmod = -1;
        get_atttypetypmodcoll(table, keys[i], &type, &typmod, &collation);
        if (type_is_rowtype(type))
            break;  // row-valued IS NOT NULL means something else
        NullTest* test = makeNode(NullTest);
        // Index predicates refer to the table as range table entry 1.
        test->arg = reinterpret_cast<Expr*>(makeVar(1, keys[i], type, typmod, collation, 0));
        test->nulltesttype = IS_NOT_NULL;
        test->argisrow = false;
        test->location = -1;
        clauses = lappend(clauses, test);
        if (predicate_implied_by(predicate, clauses, false))
            return i + 1;
    }
    return 0;
}

}  // namespace schema_oracle::pg
