// domain_check.cpp: a domain CHECK expression as PostgreSQL 15 analyses it
// (src/backend/commands/typecmds.c, domainAddConstraint and
// replace_domain_constraint_value): VALUE is a CoerceToDomainValue of the
// domain's base type, typmod and collation; the expression is coerced to
// boolean and its collations assigned. Deparsed, it is the condition the
// guard's hint adds back NOT VALID (ruleutils prints the node as VALUE).
// Analysis only resolves names: nothing the user wrote is run.
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_coerce.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/parse_node.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/ruleutils.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// replace_domain_constraint_value: a lone column reference "value" is the
// domain's value.
Node* domain_value(ParseState* pstate, ColumnRef* cref) {
    if (list_length(cref->fields) != 1)
        return nullptr;
    Node* field = static_cast<Node*>(linitial(cref->fields));
    if (!IsA(field, String) || strcmp(strVal(field), "value") != 0)
        return nullptr;
    auto* value = static_cast<CoerceToDomainValue*>(copyObjectImpl(pstate->p_ref_hook_state));
    value->location = cref->location;
    return reinterpret_cast<Node*>(value);
}

}  // namespace

char* deparse_domain_check(Oid domain, Node* raw_expr) {
    int32 typmod = -1;
    const Oid base = getBaseTypeAndTypmod(domain, &typmod);
    CoerceToDomainValue* value = makeNode(CoerceToDomainValue);
    value->typeId = base;
    value->typeMod = typmod;
    value->collation = get_typcollation(base);
    value->location = -1;
    ParseState* pstate = make_parsestate(nullptr);
    pstate->p_pre_columnref_hook = domain_value;
    pstate->p_ref_hook_state = value;
    Node* expr =
        transformExpr(pstate, static_cast<Node*>(copyObjectImpl(raw_expr)), EXPR_KIND_DOMAIN_CHECK);
    expr = coerce_to_boolean(pstate, expr, "CHECK");
    assign_expr_collations(pstate, expr);
    char* text = deparse_expression(expr, NIL, false, false);
    free_parsestate(pstate);
    return text;
}

}  // namespace schema_oracle::pg::upstream
