// backfill_plan.cpp: schema_oracle.backfill_plan(), the dry run of
// backfill(): the same checks and statements, the rows it would touch, and
// an estimate of batches and time from one sample batch that is rolled back.
//
// C-style like the driver: no C++ object with a destructor in these frames.
#include "schema_oracle/pg/backfill.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
}

namespace schema_oracle::pg::backfill {

namespace {

int64 count_rows(const char* sql) {
    if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
        elog(ERROR, "backfill_plan: count failed");
    bool isnull;
    return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

}  // namespace

Datum plan(FunctionCallInfo fcinfo) {
    TupleDesc result_desc;
    if (get_call_result_type(fcinfo, nullptr, &result_desc) != TYPEFUNC_COMPOSITE)
        elog(ERROR, "backfill_plan must return a record");
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("tbl and set_clause of backfill_plan() must not be NULL")));
    MemoryContext upper = CurrentMemoryContext;
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");

    Oid relid = PG_GETARG_OID(0);
    const char* set_clause = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char* where_clause = PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2));
    Options o{};
    o.batch_size = PG_ARGISNULL(3) ? 0 : PG_GETARG_INT32(3);
    if (!PG_ARGISNULL(3) && o.batch_size <= 0)
        o.batch_size = -1;
    o.target_ms = PG_ARGISNULL(4) ? 200 : interval_ms(PG_GETARG_DATUM(4));
    o.max_batch_size = 1000000;
    o.check_interval_ms = 1000;
    int sample_rows = PG_ARGISNULL(5) ? 0 : PG_GETARG_INT32(5);
    if (sample_rows < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("sample_rows of backfill_plan() must be zero or positive")));
    check_options(&o);
    const char* search_path = pstrdup(GetConfigOption("search_path", false, false));

    Table t;
    Statements sql;
    describe_table(relid, &t);
    check_clauses(&t, set_clause, where_clause, nullptr);
    build_statements(&t, set_clause, where_clause, &sql);

    Oid* types = static_cast<Oid*>(palloc(sizeof(Oid) * (2 * t.nkeys + 1)));
    for (int i = 0; i < t.nkeys; ++i) types[i] = types[t.nkeys + i] = t.key_types[i];

    // Analysis errors (unknown column, type mismatch) surface here.
    int level = push_user_search_path(search_path);
    SPIPlanPtr update_first = SPI_prepare(sql.update_first, t.nkeys, types + t.nkeys);
    SPIPlanPtr update_next = SPI_prepare(sql.update_next, 2 * t.nkeys, types);
    if (update_first == nullptr || update_next == nullptr)
        elog(ERROR, "backfill_plan: prepare failed: %s", SPI_result_code_string(SPI_result));
    int64 matching = where_clause
                         ? count_rows(psprintf("SELECT pg_catalog.count(*) FROM %s WHERE (\n%s\n)",
                                               t.relation_sql, where_clause))
                         : -1;
    pop_settings(level);

    level = push_internal_settings();
    int64 table_rows = count_rows(psprintf("SELECT pg_catalog.count(*) FROM %s", t.relation_sql));
    if (matching < 0)
        matching = table_rows;
    Datum* end = nullptr;
    int64 sample_keys = 0;
    double sample_ms = 0;
    if (sample_rows > 0 && table_rows > 0) {
        // The first batch of sample_rows keys, updated and rolled back.
        types[t.nkeys] = INT8OID;
        SPIPlanPtr fetch = SPI_prepare(sql.fetch_first, t.nkeys + 1, types);
        if (SPI_execute(sql.max_key, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
            elog(ERROR, "backfill_plan: no end key");
        end = static_cast<Datum*>(palloc(sizeof(Datum) * (t.nkeys + 1)));
        bool isnull;
        for (int i = 0; i < t.nkeys; ++i)
            end[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &isnull);
        end[t.nkeys] = Int64GetDatum(sample_rows);
        if (fetch == nullptr || SPI_execute_plan(fetch, end, nullptr, true, 1) != SPI_OK_SELECT ||
            SPI_processed != 1)
            elog(ERROR, "backfill_plan: sample fetch failed");
        Datum* hi = static_cast<Datum*>(palloc(sizeof(Datum) * t.nkeys));
        for (int i = 0; i < t.nkeys; ++i)
            hi[i] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, i + 1, &isnull);
        sample_keys = sample_rows < table_rows ? sample_rows : table_rows;
        pop_settings(level);

        MemoryContext cxt = CurrentMemoryContext;
        ResourceOwner owner = CurrentResourceOwner;
        BeginInternalSubTransaction(nullptr);
        MemoryContextSwitchTo(cxt);
        level = push_user_search_path(search_path);
        TimestampTz t0 = GetCurrentTimestamp();
        if (SPI_execute_plan(update_first, hi, nullptr, false, 0) < 0)
            elog(ERROR, "backfill_plan: sample update failed");
        sample_ms = static_cast<double>(GetCurrentTimestamp() - t0) / 1000.0;
        pop_settings(level);
        RollbackAndReleaseCurrentSubTransaction();
        MemoryContextSwitchTo(cxt);
        CurrentResourceOwner = owner;
        level = push_internal_settings();
    }
    pop_settings(level);

    // Estimates: at the sampled rate, batches of the target duration.
    bool have_estimate = sample_keys > 0;
    double keys_per_ms =
        have_estimate ? static_cast<double>(sample_keys) / (sample_ms > 0.01 ? sample_ms : 0.01)
                      : 0;
    int64 batch = o.batch_size > 0 ? o.batch_size : 0;
    if (batch == 0 && have_estimate) {
        double b = keys_per_ms * o.target_ms;
        batch = b < 1 ? 1 : b > o.max_batch_size ? o.max_batch_size : static_cast<int64>(b);
    }
    bool have_batches = batch > 0 || table_rows == 0;
    int64 batches = batch > 0 ? (table_rows + batch - 1) / batch : 0;

    StringInfoData keys;
    initStringInfo(&keys);
    if (t.nkeys > 1)
        appendStringInfoChar(&keys, '(');
    for (int i = 0; i < t.nkeys; ++i) appendStringInfo(&keys, "%s%s", i ? ", " : "", t.key_sql[i]);
    if (t.nkeys > 1)
        appendStringInfoChar(&keys, ')');

    char* keys_out = MemoryContextStrdup(upper, keys.data);
    char* update_out = MemoryContextStrdup(upper, sql.update_next);
    SPI_finish();

    Datum values[6];
    bool nulls[6] = {false, false, false, !have_batches, !have_estimate && table_rows > 0, false};
    values[0] = CStringGetTextDatum(keys_out);
    values[1] = Int64GetDatum(table_rows);
    values[2] = Int64GetDatum(matching);
    values[3] = Int64GetDatum(batches);
    auto* iv = static_cast<Interval*>(palloc0(sizeof(Interval)));
    if (have_estimate)
        iv->time = static_cast<int64>(static_cast<double>(table_rows) / keys_per_ms * 1000.0);
    values[4] = IntervalPGetDatum(iv);
    values[5] = CStringGetTextDatum(update_out);
    result_desc = BlessTupleDesc(result_desc);
    return HeapTupleGetDatum(heap_form_tuple(result_desc, values, nulls));
}

}  // namespace schema_oracle::pg::backfill
