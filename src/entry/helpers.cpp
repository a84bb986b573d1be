// helpers.cpp (entry): the SQL-callable shells of the helpers
// (extension/0.2.0/30-helpers.sql):
//   schema_oracle.set_updated_at()                        trigger (src/pg/updated_at.cpp)
//   schema_oracle._helpers_one_ddl_statement(sql, caller) -> command tag
//   schema_oracle._helpers_refuse_transaction_block(caller)
//   schema_oracle._helpers_choose_name(tbl, columns, label, is_index) -> name
// They read arguments in C and call plain-C adapters (src/pg/helpers.cpp):
// no C++ object is alive in these frames, so no boundary is needed.
#include "schema_oracle/pg/helpers.hpp"
#include "schema_oracle/pg/updated_at.hpp"

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(schema_oracle_set_updated_at);
PG_FUNCTION_INFO_V1(schema_oracle_helpers_one_ddl_statement);
PG_FUNCTION_INFO_V1(schema_oracle_helpers_refuse_transaction_block);
PG_FUNCTION_INFO_V1(schema_oracle_helpers_choose_name);
}

using namespace schema_oracle;

namespace {

const char* text_arg_or(FunctionCallInfo fcinfo, int argno, const char* fallback) {
    return PG_ARGISNULL(argno) ? fallback : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

}  // namespace

Datum schema_oracle_set_updated_at(PG_FUNCTION_ARGS) {
    return pg::set_updated_at(fcinfo);
}

Datum schema_oracle_helpers_one_ddl_statement(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("%s needs a statement", text_arg_or(fcinfo, 1, "schema_oracle"))));
    const char* sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
    const char* tag = pg::helpers_one_ddl_statement(sql, text_arg_or(fcinfo, 1, "schema_oracle"));
    PG_RETURN_TEXT_P(cstring_to_text(tag));
}

Datum schema_oracle_helpers_refuse_transaction_block(PG_FUNCTION_ARGS) {
    pg::helpers_refuse_transaction_block(text_arg_or(fcinfo, 0, "schema_oracle"));
    PG_RETURN_VOID();
}

Datum schema_oracle_helpers_choose_name(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
        PG_RETURN_NULL();
    Oid relid = PG_GETARG_OID(0);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR, &elems,
                      &nulls, &n);
    List* columns = NIL;
    for (int i = 0; i < n; ++i)
        if (!nulls[i])
            columns = lappend(columns, NameStr(*DatumGetName(elems[i])));
    const char* label = text_to_cstring(PG_GETARG_TEXT_PP(2));
    bool is_index = !PG_ARGISNULL(3) && PG_GETARG_BOOL(3);
    PG_RETURN_TEXT_P(cstring_to_text(pg::helpers_choose_name(relid, columns, label, is_index)));
}
