// guard.cpp (entry): the SQL-callable shells of the live DDL guard: the
// event trigger functions and schema_oracle.allow(). All the work is in
// src/pg/guard.cpp; these only check how they were called and read
// arguments, in C-land.
#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "commands/event_trigger.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/inval.h"

PG_FUNCTION_INFO_V1(schema_oracle_guard_ddl_command_start);
PG_FUNCTION_INFO_V1(schema_oracle_guard_table_rewrite);
PG_FUNCTION_INFO_V1(schema_oracle_allow);
}

using namespace schema_oracle;

namespace {

EventTriggerData* trigger_data(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("schema_oracle: function must be fired by an event trigger")));
    return (EventTriggerData*)fcinfo->context;
}

}  // namespace

// ddl_command_start: judge the raw statement before it takes any lock.
Datum schema_oracle_guard_ddl_command_start(PG_FUNCTION_ARGS) {
    EventTriggerData* data = trigger_data(fcinfo);
    // The invalidations other transactions (and this backend's own earlier
    // transactions, which come back through the shared queue) sent are
    // processed now, as the statement's first lock would process them a
    // moment later: the catalog entries the guard loads below then stay
    // valid for the statement, instead of being flushed by that first lock
    // and loaded again by PostgreSQL (at every autocommit statement, the
    // table's relcache entry and its pg_class rows).
    AcceptInvalidationMessages();
    // After the invalidations (an event trigger another session created
    // meanwhile is then seen), before the guard's own lookups
    // (src/pg/command_collection.cpp).
    pg::commit_check_skip_unread_collection(data->tag, data->parsetree);
    pg::commit_check_note_drop(data->parsetree);  // commit check: DROP INDEX / DROP TRIGGER
    if (pg::guard_active())
        pg::ddl_log_begin_statement(data->parsetree, false);  // DDL log row
    if (data->parsetree != nullptr)
        pg::guard_judge_statement(data->parsetree);
    PG_RETURN_VOID();
}

// table_rewrite: the exact backstop, before the new heap is built.
Datum schema_oracle_guard_table_rewrite(PG_FUNCTION_ARGS) {
    (void)trigger_data(fcinfo);
    if (!pg::guard_active())
        PG_RETURN_VOID();
    Oid relid = DatumGetObjectId(DirectFunctionCall1(pg_event_trigger_table_rewrite_oid, (Datum)0));
    int reason =
        DatumGetInt32(DirectFunctionCall1(pg_event_trigger_table_rewrite_reason, (Datum)0));
    pg::guard_judge_rewrite(relid, reason);
    PG_RETURN_VOID();
}

// allow(rule text, reason text): waive one rule until the end of the
// current transaction, with a reason that goes to the server log.
Datum schema_oracle_allow(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("schema_oracle: allow() needs a rule id")));
    char* rule = text_to_cstring(PG_GETARG_TEXT_PP(0));
    char* reason = PG_ARGISNULL(1) ? pstrdup("") : text_to_cstring(PG_GETARG_TEXT_PP(1));
    pg::guard_allow(rule, reason);
    PG_RETURN_VOID();
}
