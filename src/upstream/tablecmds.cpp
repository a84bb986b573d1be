// tablecmds.cpp: ALTER TABLE decisions as src/backend/commands/tablecmds.c
// makes them in PostgreSQL 15: whether ALTER COLUMN TYPE rewrites, what
// ADD COLUMN's default is, whether SET NOT NULL and ATTACH PARTITION can
// skip their scans. Each function names the upstream function it follows.
#include "schema_oracle/upstream/upstream.hpp"
#include "schema_oracle/pg/user_code.hpp"

extern "C" {
#include "catalog/heap.h"
#include "catalog/partition.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "nodes/readfuncs.h"
#include "parser/parse_coerce.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "parser/parse_utilcmd.h"
#include "partitioning/partbounds.h"
#include "commands/tablecmds.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// tablecmds.c, ATColumnChangeRequiresRewrite (PostgreSQL 15): walks the
// planned coercion of the old column; only binary-compatible relabelings,
// domains without constraints and the timestamp <-> timestamptz casts that
// TimestampTimestampTzRequiresRewrite allows avoid the rewrite.
bool change_requires_rewrite(Node* expr, AttrNumber attnum) {
    for (;;) {
        if (IsA(expr, Var) && ((Var*)expr)->varattno == attnum)
            return false;
        if (IsA(expr, RelabelType)) {
            expr = (Node*)((RelabelType*)expr)->arg;
        } else if (IsA(expr, CoerceToDomain)) {
            CoerceToDomain* d = (CoerceToDomain*)expr;
            if (DomainHasConstraints(d->resulttype))
                return true;
            expr = (Node*)d->arg;
        } else if (IsA(expr, FuncExpr)) {
            FuncExpr* f = (FuncExpr*)expr;
            if ((f->funcid == F_TIMESTAMPTZ_TIMESTAMP || f->funcid == F_TIMESTAMP_TIMESTAMPTZ) &&
                !TimestampTimestampTzRequiresRewrite())
                expr = (Node*)linitial(f->args);
            else
                return true;
        } else {
            return true;
        }
    }
}

// A raw partition bound datum that transformPartitionBoundValue would only
// coerce, never evaluate as an expression: a literal (possibly cast), or
// MINVALUE / MAXVALUE (a bare ColumnRef in the raw grammar).
bool constant_datum(Node* n) {
    if (n == nullptr)
        return false;
    if (IsA(n, A_Const))
        return true;
    if (IsA(n, TypeCast))
        return constant_datum(((TypeCast*)n)->arg);
    if (IsA(n, ColumnRef))
        return list_length(((ColumnRef*)n)->fields) == 1;
    return false;
}

bool constant_datums(List* datums) {
    ListCell* lc;
    foreach (lc, datums)
        if (!constant_datum((Node*)lfirst(lc)))
            return false;
    return true;
}

}  // namespace

bool bound_is_constant(PartitionBoundSpec* b) {
    if (b == nullptr)
        return false;
    return b->is_default || (constant_datums(b->listdatums) && constant_datums(b->lowerdatums) &&
                             constant_datums(b->upperdatums));
}

// tablecmds.c, PartConstraintImpliedByRelConstraint and
// ConstraintImpliedByRelConstraint (PostgreSQL 15): the relation's NOT NULL
// columns as IS NOT NULL tests, and its validated CHECKs, simplified
// (eval_const_expressions, canonicalize_qual), must imply the test
// (predicate_implied_by, weak). A CHECK that calls user code is left out
// rather than simplified, which folds IMMUTABLE functions (pg/user_code.hpp):
// leaving a constraint out can only make the proof fail, never succeed
// wrongly.
bool implied_by_relation_constraints(Relation rel, List* test) {
    List* exist = NIL;
    TupleDesc desc = RelationGetDescr(rel);
    TupleConstr* constr = desc->constr;
    if (constr != nullptr && constr->has_not_null)
        for (int i = 1; i <= desc->natts; ++i) {
            Form_pg_attribute att = TupleDescAttr(desc, i - 1);
            if (!att->attnotnull || att->attisdropped)
                continue;
            NullTest* nt = makeNode(NullTest);
            nt->arg = (Expr*)makeVar(1, i, att->atttypid, att->atttypmod, att->attcollation, 0);
            nt->nulltesttype = IS_NOT_NULL;
            nt->argisrow = false;
            nt->location = -1;
            exist = lappend(exist, nt);
        }
    const int num_check = constr != nullptr ? constr->num_check : 0;
    for (int i = 0; i < num_check; ++i) {
        if (!constr->check[i].ccvalid)
            continue;
        Node* cexpr = (Node*)stringToNode(constr->check[i].ccbin);
        if (expression_runs_user_code(cexpr))
            continue;
        cexpr = eval_const_expressions(nullptr, cexpr);
        cexpr = (Node*)canonicalize_qual((Expr*)cexpr, true);
        exist = list_concat(exist, make_ands_implicit((Expr*)cexpr));
    }
    return predicate_implied_by(test, exist, true);
}

// tablecmds.c, ATPrepAlterColumnType (PostgreSQL 15): the USING expression
// (or the column itself), analysed over the table, coerced to the new type
// by assignment and planned; then ATColumnChangeRequiresRewrite decides. A
// USING that reduces to the column (USING id, USING id::int on an int) is
// no rewrite by itself.
TypeChange column_type_change(Oid relid, AttrNumber attnum, Oid oldtype, int32 oldtypmod,
                              Oid oldcoll, Node* raw_using, Oid newtype, int32 newtypmod) {
    Node* expr;
    ParseState* ps = make_parsestate(nullptr);
    if (raw_using != nullptr) {
        // Another session holds or awaits ACCESS EXCLUSIVE, so the statement
        // will wait: the expression is not analysed (unknown).
        if (!ConditionalLockRelationOid(relid, AccessShareLock)) {
            free_parsestate(ps);
            return TypeChange::unknown;
        }
        Relation rel = RelationIdGetRelation(relid);
        if (rel == nullptr) {
            UnlockRelationOid(relid, AccessShareLock);
            free_parsestate(ps);
            return TypeChange::fails;
        }
        ParseNamespaceItem* nsi =
            addRangeTableEntryForRelation(ps, rel, AccessShareLock, nullptr, false, true);
        addNSItemToQuery(ps, nsi, false, true, true);
        expr = transformExpr(ps, (Node*)copyObjectImpl(raw_using), EXPR_KIND_ALTER_COL_TRANSFORM);
        RelationClose(rel);
        UnlockRelationOid(relid, AccessShareLock);
    } else {
        expr = (Node*)makeVar(1, attnum, oldtype, oldtypmod, oldcoll, 0);
    }
    expr = coerce_to_target_type(ps, expr, exprType(expr), newtype, newtypmod, COERCION_ASSIGNMENT,
                                 COERCE_IMPLICIT_CAST, -1);
    free_parsestate(ps);
    if (expr == nullptr)
        return TypeChange::fails;  // needs USING
    // Planning folds IMMUTABLE functions over constants, which would run
    // the user's own (a USING clause, a user-defined cast): undecided, and
    // judged as the rewrite any function call over the column means
    // (pg/user_code.hpp).
    if (expression_runs_user_code(expr))
        return TypeChange::unknown;
    expr = (Node*)expression_planner((Expr*)expr);
    return change_requires_rewrite(expr, attnum) ? TypeChange::rewrite : TypeChange::no_rewrite;
}

// tablecmds.c, ATExecAddColumn (PostgreSQL 15): the default is cooked
// (cookDefault), and a volatile one forces a rewrite
// (contain_volatile_functions).
Node* cook_column_default(Node* raw_default, Oid typid, int32 typmod, const char* colname,
                          bool* is_volatile) {
    ParseState* ps = make_parsestate(nullptr);
    Node* cooked = cookDefault(ps, (Node*)copyObjectImpl(raw_default), typid, typmod, colname, 0);
    free_parsestate(ps);
    *is_volatile = cooked != nullptr && contain_volatile_functions(cooked);
    return cooked;
}

// tablecmds.c, NotNullImpliedByRelConstraints (PostgreSQL 15): a NullTest
// IS NOT NULL over the column, proved by the relation's validated CHECKs.
bool not_null_implied_by_constraints(Relation rel, AttrNumber attnum, Oid typid, int32 typmod,
                                     Oid collation) {
    NullTest* nt = makeNode(NullTest);
    nt->arg = (Expr*)makeVar(1, attnum, typid, typmod, collation, 0);
    nt->nulltesttype = IS_NOT_NULL;
    nt->argisrow = false;
    nt->location = -1;
    return implied_by_relation_constraints(rel, list_make1(nt));
}

// tablecmds.c, ATExecAttachPartition (PostgreSQL 15): the partition
// constraint is the transformed bound's qual plus the parent's own,
// simplified (eval_const_expressions), mapped to the partition's attribute
// numbers; QueuePartitionConstraintValidation skips the scan when
// PartConstraintImpliedByRelConstraint proves it.
void attach_partition_facts(Relation parent, Relation partition, PartitionBoundSpec* raw_bound,
                            AttachFacts* out) {
    out->bound_sql = pstrdup("");
    out->constraint_sql = pstrdup("");
    out->implied = false;
    // transformPartitionBound evaluates every bound expression
    // (transformPartitionBoundValue -> evaluate_expr), volatile or not: a
    // bound that is not made of constants is not transformed at all, and
    // the scan is assumed.
    if (!bound_is_constant(raw_bound)) {
        out->bound_sql = pstrdup("FOR VALUES ...");
        out->constraint_sql = pstrdup("...");
        return;
    }
    ParseState* ps = make_parsestate(nullptr);
    PartitionBoundSpec* bound =
        transformPartitionBound(ps, parent, (PartitionBoundSpec*)copyObjectImpl(raw_bound));
    free_parsestate(ps);
    const Oid parentid = RelationGetRelid(parent);
    List* ctx = deparse_context_for(RelationGetRelationName(parent), parentid);
    out->bound_sql = deparse_expression((Node*)bound, ctx, false, false);
    List* qual =
        list_concat(get_qual_from_partbound(parent, bound), RelationGetPartitionQual(parent));
    if (qual == NIL) {
        out->implied = true;
        return;
    }
    // The qual's operators come from the partition key's operator classes;
    // the partition's CHECKs are simplified by
    // PartConstraintImpliedByRelConstraint: neither may run user code.
    const bool user_code = expression_runs_user_code((Node*)qual);
    if (!user_code)
        qual = (List*)eval_const_expressions(nullptr, (Node*)qual);
    Expr* anded = make_ands_explicit(qual);
    out->constraint_sql = deparse_expression((Node*)anded, ctx, false, false);
    List* mapped = map_partition_varattnos(list_make1(anded), 1, partition, parent);
    out->implied = !user_code && implied_by_relation_constraints(partition, mapped);
}

}  // namespace schema_oracle::pg::upstream
