// report.cpp: the SQL entry points of report():
//   schema_oracle.report(...)          10 columns
//   schema_oracle.report_objects(...)  the same plus the object address
//                                      (classid, objid, objsubid)
// Both are this one C function; it looks at the declared result type.
//
// Flow (docs/development.md, the boundary rules):
//   1. C land: read the arguments into plain arrays.
//   2. cpp_boundary: validate them (unknown rule / severity -> 22023).
//   3. C land: one scan per catalog the requested rules need
//      (pg/catalog_reader), in a private memory context.
//   4. cpp_boundary: model (then the raw arrays are freed), rules, filters
//      -> findings, owned by C land through a pointer (a memory context
//      callback frees them, also on error).
//   5. A batch at a time, in the report's order: cpp_boundary lays the
//      findings out as MinimalTuples of the declared result
//      (upstream/minimal_tuple.hpp: each value's bytes copied once), C land puts
//      them into the tuplestore and frees the batch.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/report_needs.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/upstream/minimal_tuple.hpp"
#include "schema_oracle/pg/report_memory.hpp"
#include "schema_oracle/pg/settings.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "portability/instr_time.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(schema_oracle_report);
}

using namespace schema_oracle;

namespace {

// pg_class, pg_constraint, pg_proc (catalog/pg_*_d.h; stable OIDs).
constexpr Oid relation_class_id = 1259, constraint_class_id = 2606, procedure_class_id = 1255;
constexpr int text_columns = 9;

struct TextList {  // a text[] argument: NULL array = absent
    bool present;
    int n;
    char** items;
};

struct ReportArgs {
    TextList include_schemas, exclude_schemas, rules;
    const char* min_severity;  // NULL = default
    bool show_exempted;
};

struct ReportRows {  // one batch of rows, as MinimalTuples
    int n;
    MinimalTuple* tuples;
};

// The findings as the rules left them and their positions in the report's
// stable order (core::run_report with an order). Their `schema` views point
// into the model, which is gone once run() returns: nothing reads them after
// run_report()'s filters (the rows do not; clearing 61,000 of them would
// cost a pass over every finding).
struct Findings {
    core::TextArena texts;  // the findings' texts (declared first: freed last)
    std::vector<core::ReportFinding> all;
    std::vector<std::uint32_t> order;
};

// The findings between the rules and the rows: owned through a raw pointer
// by C land, which turns them into rows a batch at a time, and freed by a
// reset callback of the rows' context (so an error raised while the rows go
// into the tuplestore frees them too).
struct ReportResult {
    Findings* findings;
    MemoryContextCallback free_findings;
    double ms_model, ms_rules;  // where the C++ time went (DEBUG1 line)
};

// Rows are made and stored this many findings at a time, so the findings'
// strings, the rows and the tuplestore are not all in memory at once.
constexpr std::size_t rows_per_batch = 1024;

// C land.
TextList text_list_arg(FunctionCallInfo fcinfo, int argno) {
    TextList out{false, 0, nullptr};
    if (PG_ARGISNULL(argno))
        return out;
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(argno);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    out.present = true;
    out.items = static_cast<char**>(palloc0(sizeof(char*) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i)
        if (!nulls[i])
            out.items[out.n++] = TextDatumGetCString(elems[i]);
    return out;
}

// C++ (inside cpp_boundary).
std::vector<std::string> to_vector(const TextList& l) {
    std::vector<std::string> v;
    for (int i = 0; i < l.n; ++i) v.emplace_back(l.items[i]);
    return v;
}

core::ReportOptions parse_options(const ReportArgs& a) {
    core::ReportOptions o;
    if (a.include_schemas.present)
        o.include_schemas = to_vector(a.include_schemas);
    if (a.exclude_schemas.present)
        o.exclude_schemas = to_vector(a.exclude_schemas);
    if (a.min_severity)
        o.min_severity = core::parse_min_severity(a.min_severity);
    if (a.rules.present) {
        auto ids = to_vector(a.rules);
        core::validate_rule_ids(ids);
        o.rules = std::move(ids);
    }
    o.show_exempted = a.show_exempted;
    return o;
}

// A character's byte length in the database encoding: a table lookup that
// never raises, so the C++ side may call it.
int database_char_length(const char* s) {
    return pg_encoding_mblen_bounded(GetDatabaseEncoding(), s);
}

void free_findings(void* arg) noexcept {
    delete static_cast<Findings*>(arg);
}

// unused_index's scan counts (Index::scans), fetched for the indexes it
// could report only: most indexes back a constraint, are unique or cover a
// foreign key, and a statistics lookup per index is the rule's largest cost.
void fill_index_scans(core::CatalogModel& model) {
    static_assert(sizeof(core::Oid) == sizeof(pg::RawOid));
    const std::vector<core::Oid> oids = core::unused_index_candidates(model);
    std::vector<std::int64_t> scans(oids.size());
    const pg::RawOid* in = oids.data();
    const int n = static_cast<int>(oids.size());
    std::int64_t* out = scans.data();
    pg::pg_call([&]() noexcept { pg::fetch_index_scans(in, n, out); });
    // Found through the compact OID array link() made (a binary search over
    // the large map elements themselves misses the cache at every step).
    const std::vector<core::Oid>& keys = model.index_oids;
    for (std::size_t i = 0; i < oids.size(); ++i) {
        auto k = std::lower_bound(keys.begin(), keys.end(), oids[i]);
        auto it = keys.size() == model.indexes.size() && k != keys.end() && *k == oids[i]
                      ? model.indexes.begin() + (k - keys.begin())
                      : model.indexes.find(oids[i]);
        if (it != model.indexes.end() && it->first == oids[i])
            it->second.scans = scans[i];
    }
}

// Peak memory is kept down by letting go of each stage once the next one
// has what it needs: the raw arrays after the model is built (scan_cxt is
// deleted here), the model after the rules ran, each batch of rows once it
// is in the tuplestore; the findings and their texts' arena go together at
// the end.
ReportResult* run(const pg::RawCatalog& raw, const ReportArgs& args, MemoryContext scan_cxt) {
    core::ReportOptions opt = parse_options(args);
    opt.cancel_flags[0] = &QueryCancelPending;
    opt.cancel_flags[1] = &ProcDiePending;
    opt.char_length = database_char_length;
    for (int r = 0; r < raw.exemptions.n; ++r)
        opt.exemptions.push_back({raw.exemptions.items[r].rule, raw.exemptions.items[r].pattern});
    using clock = std::chrono::steady_clock;
    auto ms = [](clock::time_point a, clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    auto t0 = clock::now();
    auto* out = static_cast<ReportResult*>(pg::alloc_or_throw(sizeof(ReportResult)));
    out->findings = nullptr;
    auto findings = std::make_unique<Findings>();
    auto t1 = t0;
    {
        core::CatalogModel model;
        pg::build_model(raw, model);
        if (raw.index_usage)
            fill_index_scans(model);
        pg::pg_call([&]() noexcept { MemoryContextDelete(scan_cxt); });  // raw is gone from here on
        t1 = clock::now();
        try {
            // The findings' texts go into one arena, freed with them.
            const core::TextArenaScope texts(findings->texts);
            findings->all = core::run_report(model, opt, findings->order);
        } catch (const core::Cancelled&) {
            return nullptr;  // C land raises the cancel / timeout error
        }
    }
    out->ms_model = ms(t0, t1);
    out->ms_rules = ms(t1, clock::now());
    out->findings = findings.release();
    out->free_findings.func = free_findings;
    out->free_findings.arg = out->findings;
    return out;
}

// The next findings of the report's order from `from` (at most
// rows_per_batch, fewer when their rows fill a block of row_block_bytes) as
// rows of `desc` (minimal_tuple_supported), laid out as MinimalTuples back
// to back in one palloc'd block: each value's bytes are copied once, from
// the finding's text to its place in the tuple, in one pass per row (a
// bound of the row's size first, from the texts' lengths, then the tuple
// written at once). (The texts live in the findings' arena, freed with
// them.)
constexpr Size row_block_bytes = 512 * 1024;

ReportRows* make_rows(Findings& findings, std::size_t from, TupleDesc desc) {
    const std::size_t to = std::min(findings.all.size(), from + rows_per_batch);
    const int natts = desc->natts;
    const bool with_address = natts >= text_columns + 4;
    auto* out = static_cast<ReportRows*>(pg::alloc_or_throw(sizeof(ReportRows)));
    out->n = 0;
    out->tuples =
        static_cast<MinimalTuple*>(pg::alloc_or_throw(sizeof(MinimalTuple) * (to - from + 1)));
    // The cells of one row, as report() and report_objects() declare them.
    pg::upstream::TupleCell cells[text_columns + 4];
    auto cells_of = [&](const core::ReportFinding& f) {
        auto text = [](pg::upstream::TupleCell& c, std::string_view s, bool null_if_empty) {
            c.null = null_if_empty && s.empty();
            c.bytes = s;
        };
        text(cells[0], f.rule, false);
        text(cells[1], core::to_string(f.severity), false);
        text(cells[2], core::to_string(f.category), false);
        text(cells[3], f.object_type, false);
        text(cells[4], f.object_identity, false);
        text(cells[5], f.table_identity, true);
        text(cells[6], f.message, false);
        text(cells[7], f.detail, true);
        text(cells[8], f.fix, true);
        cells[text_columns] = {false, {}, BoolGetDatum(f.exempted)};
        if (with_address) {
            const Oid classid = f.object_class == core::ObjectClass::constraint
                                    ? constraint_class_id
                                : f.object_class == core::ObjectClass::function ? procedure_class_id
                                                                                : relation_class_id;
            cells[text_columns + 1] = {false, {}, ObjectIdGetDatum(classid)};
            cells[text_columns + 2] = {false, {}, ObjectIdGetDatum(f.objid)};
            cells[text_columns + 3] = {false, {}, Int32GetDatum(f.objsubid)};
        }
    };
    char* block = nullptr;
    Size used = 0, room = 0;
    for (std::size_t i = from; i < to; ++i) {
        const core::ReportFinding& f = findings.all[findings.order[i]];
        for (const core::FindingText* s :
             {&f.object_identity, &f.table_identity, &f.message, &f.detail, &f.fix})
            if (s->size() > MaxAllocSize / 4)
                throw std::bad_alloc();  // a varlena cannot exceed 1 GB
        cells_of(f);
        const Size bound = pg::upstream::minimal_tuple_bound(natts, cells);
        if (block == nullptr) {  // a row larger than the block gets a block of its own
            room = std::max(row_block_bytes, bound);
            block = static_cast<char*>(pg::alloc_or_throw(room));
        } else if (used + bound > room) {
            break;  // the next batch starts here
        }
        auto* tuple = reinterpret_cast<MinimalTuple>(block + used);
        used += MAXALIGN(pg::upstream::write_minimal_tuple(desc, cells, tuple));
        out->tuples[out->n++] = tuple;
    }
    return out;
}

// The declared result is report()'s or report_objects()'s.
bool result_type_matches(TupleDesc desc) {
    const int natts = desc->natts;
    if (natts != text_columns + 1 && natts != text_columns + 4)
        return false;
    for (int i = 0; i < natts; ++i) {
        const Oid want = i < text_columns       ? TEXTOID
                         : i == text_columns    ? BOOLOID
                         : i < text_columns + 3 ? OIDOID
                                                : INT4OID;
        if (TupleDescAttr(desc, i)->atttypid != want)
            return false;
    }
    return pg::upstream::minimal_tuple_supported(desc);
}

}  // namespace

Datum schema_oracle_report(PG_FUNCTION_ARGS) {
    ReportArgs args;
    args.include_schemas = text_list_arg(fcinfo, 0);
    args.exclude_schemas = text_list_arg(fcinfo, 1);
    args.min_severity = PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2));
    args.rules = text_list_arg(fcinfo, 3);
    args.show_exempted = PG_ARGISNULL(4) ? false : PG_GETARG_BOOL(4);

    // Bad arguments fail before any catalog is read; the requested rules say
    // which catalogs and model parts to read (core/report_needs.hpp).
    const unsigned needs =
        pg::cpp_boundary("report()", [&] { return core::report_needs(parse_options(args).rules); });

    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    // The rows are laid out for the declared result (make_rows): nine text
    // columns and exempted, then (report_objects) the object address.
    TupleDesc desc = rsinfo->setDesc;
    if (!result_type_matches(desc))
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("schema_oracle: report() called with an unexpected result type"),
                        errdetail("It returns %d text columns and a boolean, then optionally "
                                  "classid oid, objid oid and objsubid integer.",
                                  text_columns)));

    // Fewer page faults: this call and the next reuse freed heap
    // (pg/report_memory.hpp).
    pg::keep_report_heap();
    // Private contexts: the raw catalog arrays (deleted by run() once the
    // model is built), the findings' owner (deleted below, which frees
    // them) and one batch of rows (reset after each batch).
    MemoryContext scan_cxt = AllocSetContextCreate(
        CurrentMemoryContext, "schema_oracle report scan", ALLOCSET_DEFAULT_SIZES);
    MemoryContext rows_cxt = AllocSetContextCreate(
        CurrentMemoryContext, "schema_oracle report rows", ALLOCSET_DEFAULT_SIZES);
    MemoryContext batch_cxt =
        AllocSetContextCreate(rows_cxt, "schema_oracle report batch", ALLOCSET_DEFAULT_SIZES);
    // The heap goes back (past report_keep_memory) whenever rows_cxt goes:
    // at the end of the call, and also when an error or a cancel deletes
    // it with the query's memory. Registered first, so it runs last, after
    // the findings are freed.
    auto* trim = static_cast<MemoryContextCallback*>(
        MemoryContextAllocZero(rows_cxt, sizeof(MemoryContextCallback)));
    trim->func = [](void*) { pg::release_report_heap(pg::settings::report_keep_memory()); };
    MemoryContextRegisterResetCallback(rows_cxt, trim);
    MemoryContext caller = MemoryContextSwitchTo(scan_cxt);
    instr_time t0, t1, t2, t3;
    INSTR_TIME_SET_CURRENT(t0);
    pg::RawCatalog* raw = pg::read_catalog(needs);
    INSTR_TIME_SET_CURRENT(t1);
    MemoryContextSwitchTo(rows_cxt);
    ReportResult* result = pg::cpp_boundary("report()", [&] { return run(*raw, args, scan_cxt); });
    if (result != nullptr)  // from here on, deleting rows_cxt frees the findings
        MemoryContextRegisterResetCallback(rows_cxt, &result->free_findings);
    INSTR_TIME_SET_CURRENT(t2);
    MemoryContextSwitchTo(caller);
    if (result == nullptr) {  // cancelled inside the rules: no C++ object is alive now
        CHECK_FOR_INTERRUPTS();
        ereport(ERROR, (errcode(ERRCODE_QUERY_CANCELED),
                        errmsg("schema_oracle: report() was interrupted")));
    }

    Findings* findings = result->findings;
    const std::size_t nfindings = findings->all.size();
    double ms_rows = 0;
    for (std::size_t from = 0; from < nfindings;) {
        CHECK_FOR_INTERRUPTS();  // C land: the findings are freed by rows_cxt's callback
        instr_time b0, b1;
        INSTR_TIME_SET_CURRENT(b0);
        MemoryContextSwitchTo(batch_cxt);
        ReportRows* rows =
            pg::cpp_boundary("report()", [&] { return make_rows(*findings, from, desc); });
        MemoryContextSwitchTo(caller);
        INSTR_TIME_SET_CURRENT(b1);
        INSTR_TIME_SUBTRACT(b1, b0);
        ms_rows += INSTR_TIME_GET_MILLISEC(b1);
        for (int i = 0; i < rows->n; ++i) {
            // A MinimalTuple seen as the HeapTuple it is the tail of (as
            // execTuples.c does): tuplestore_puttuple() copies just that
            // tail, the MinimalTuple itself, into the store.
            MinimalTuple tuple = rows->tuples[i];
            HeapTupleData wrapper;
            wrapper.t_len = tuple->t_len + MINIMAL_TUPLE_OFFSET;
            ItemPointerSetInvalid(&wrapper.t_self);
            wrapper.t_tableOid = InvalidOid;
            wrapper.t_data = reinterpret_cast<HeapTupleHeader>(reinterpret_cast<char*>(tuple) -
                                                               MINIMAL_TUPLE_OFFSET);
            tuplestore_puttuple(rsinfo->setResult, &wrapper);
        }
        from += static_cast<std::size_t>(rows->n);
        MemoryContextReset(batch_cxt);
    }
    const int nrows = static_cast<int>(nfindings);
    const double ms_model = result->ms_model, ms_rules = result->ms_rules;
    MemoryContextDelete(rows_cxt);  // runs free_findings, then gives the heap back
    INSTR_TIME_SET_CURRENT(t3);
    INSTR_TIME_SUBTRACT(t3, t2);
    INSTR_TIME_SUBTRACT(t2, t1);
    INSTR_TIME_SUBTRACT(t1, t0);
    // Where the time goes (SET client_min_messages = debug1 to see it).
    elog(DEBUG1,
         "schema_oracle report(): catalog scans %.1f ms, C++ %.1f ms (model %.1f, rules %.1f), "
         "rows and tuplestore %.1f ms (rows %.1f), %d rows",
         INSTR_TIME_GET_MILLISEC(t1), INSTR_TIME_GET_MILLISEC(t2), ms_model, ms_rules,
         INSTR_TIME_GET_MILLISEC(t3), ms_rows, nrows);
    return (Datum)0;
}
