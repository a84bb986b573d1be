// ddl_commands.cpp: reads pg_event_trigger_ddl_commands() without SPI.
//
// The function is a materializing set-returning function: we hand it a
// ReturnSetInfo of our own (with a standalone expression context for its
// per-query memory), then walk the tuplestore it filled. That costs far less
// than running "SELECT ... FROM pg_event_trigger_ddl_commands()" through SPI
// for every DDL statement.
#include "schema_oracle/pg/ddl_commands.hpp"

extern "C" {
#include "commands/event_trigger.h"
#include "executor/executor.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/tuplestore.h"
}

namespace schema_oracle::pg {

namespace {

const char* text_or_null(TupleTableSlot* slot, int attno) {
    bool isnull;
    Datum d = slot_getattr(slot, attno, &isnull);
    return isnull ? nullptr : TextDatumGetCString(d);
}

}  // namespace

int read_ddl_commands(DdlCommand** out) {
    *out = nullptr;
    MemoryContext caller = CurrentMemoryContext;
    ExprContext* econtext = CreateStandaloneExprContext();

    FmgrInfo flinfo;
    fmgr_info(F_PG_EVENT_TRIGGER_DDL_COMMANDS, &flinfo);
    ReturnSetInfo rsinfo;
    memset(&rsinfo, 0, sizeof rsinfo);
    rsinfo.type = T_ReturnSetInfo;
    rsinfo.econtext = econtext;
    rsinfo.allowedModes = SFRM_Materialize;
    rsinfo.returnMode = SFRM_Materialize;
    LOCAL_FCINFO(fcinfo, 0);
    InitFunctionCallInfoData(*fcinfo, &flinfo, 0, InvalidOid, nullptr,
                             reinterpret_cast<Node*>(&rsinfo));
    FunctionCallInvoke(fcinfo);

    int n = 0;
    if (rsinfo.setResult != nullptr) {
        MemoryContextSwitchTo(caller);
        int cap = 8;
        auto* rows = static_cast<DdlCommand*>(palloc(sizeof(DdlCommand) * cap));
        TupleTableSlot* slot = MakeSingleTupleTableSlot(rsinfo.setDesc, &TTSOpsMinimalTuple);
        while (tuplestore_gettupleslot(rsinfo.setResult, true, false, slot)) {
            if (n == cap) {
                cap *= 2;
                rows = static_cast<DdlCommand*>(repalloc(rows, sizeof(DdlCommand) * cap));
            }
            DdlCommand& c = rows[n++];
            bool isnull;
            // (classid, objid, objsubid, command_tag, object_type,
            //  schema_name, object_identity, in_extension, command)
            Datum d = slot_getattr(slot, 1, &isnull);
            c.classid = isnull ? InvalidOid : DatumGetObjectId(d);
            d = slot_getattr(slot, 2, &isnull);
            c.objid = isnull ? InvalidOid : DatumGetObjectId(d);
            d = slot_getattr(slot, 3, &isnull);
            c.objsubid = isnull ? 0 : DatumGetInt32(d);
            c.command_tag = text_or_null(slot, 4);
            if (c.command_tag == nullptr)
                c.command_tag = "";
            c.object_type = text_or_null(slot, 5);
            c.object_identity = text_or_null(slot, 7);
            d = slot_getattr(slot, 8, &isnull);
            c.in_extension = !isnull && DatumGetBool(d);
        }
        ExecDropSingleTupleTableSlot(slot);
        tuplestore_end(rsinfo.setResult);
        *out = rows;
    }
    FreeExprContext(econtext, true);
    MemoryContextSwitchTo(caller);
    return n;
}

}  // namespace schema_oracle::pg
