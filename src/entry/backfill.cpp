// backfill.cpp: the SQL entry points of batched backfill (docs/backfill.md):
//   CALL schema_oracle.backfill(tbl, set_clause, where_clause, ...)  -> job_id
//   CALL schema_oracle.backfill_resume(job_id)
//   SELECT * FROM schema_oracle.backfill_plan(tbl, set_clause, ...)
// Thin shells: the driver (src/pg/backfill_run.cpp) commits between batches,
// so it runs in C frames; nothing here holds a C++ object.
#include "schema_oracle/pg/backfill.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"

PG_FUNCTION_INFO_V1(schema_oracle_backfill);
PG_FUNCTION_INFO_V1(schema_oracle_backfill_resume);
PG_FUNCTION_INFO_V1(schema_oracle_backfill_plan);
}

namespace bf = schema_oracle::pg::backfill;

// Returns the INOUT job_id as the one-column record CALL shows.
Datum schema_oracle_backfill(PG_FUNCTION_ARGS) {
    int job_id = bf::start_job(fcinfo);
    TupleDesc desc = CreateTemplateTupleDesc(1);
    TupleDescInitEntry(desc, 1, "job_id", INT4OID, -1, 0);
    desc = BlessTupleDesc(desc);
    Datum value = Int32GetDatum(job_id);
    bool isnull = false;
    PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, &value, &isnull)));
}

Datum schema_oracle_backfill_resume(PG_FUNCTION_ARGS) {
    bf::require_nonatomic(fcinfo, "schema_oracle.backfill_resume");
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("job_id of backfill_resume() must not be NULL")));
    bf::resume_job(PG_GETARG_INT32(0));
    PG_RETURN_VOID();
}

Datum schema_oracle_backfill_plan(PG_FUNCTION_ARGS) {
    return bf::plan(fcinfo);
}
