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
//   5. A batch at a time: cpp_boundary turns findings into palloc'd plain
//      rows, C land puts them into the tuplestore and frees the batch.
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

struct ReportRow {
    text* values[text_columns];  // NULL = SQL NULL
    bool exempted;
    Oid classid;
    Oid objid;
    int32 objsubid;
};

struct ReportRows {  // one batch of rows
    int n;
    ReportRow* rows;
};

// The texts every row repeats (rule id, severity, category, object type:
// static strings of the core), made once per report() call in the rows'
// context instead of once per row.
class StaticTexts {
public:
    // `s` lives as long as the module (the same address is the same text).
    text* get(std::string_view s, MemoryContext cxt) {
        for (const Made& m : made_)
            if (m.data == s.data() && m.size == s.size())
                return m.t;
        struct Switch {  // back to the batch's context, also on a throw
            MemoryContext old;
            ~Switch() { MemoryContextSwitchTo(old); }
        } in{MemoryContextSwitchTo(cxt)};
        text* t = pg::to_text(s);
        made_.push_back({s.data(), s.size(), t});
        return t;
    }

private:
    struct Made {
        const char* data;
        std::size_t size;
        text* t;
    };
    std::vector<Made> made_;  // a few dozen
};

// The findings as the rules left them, their positions in the report's
// stable order (core::run_report with an order), and the texts the rows
// repeat.
struct Findings {
    std::vector<core::ReportFinding> all;
    std::vector<std::uint32_t> order;
    StaticTexts fixed;
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
// deleted here), the model after the rules ran, each finding's strings once
// its row is made, each batch of rows once it is in the tuplestore.
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
            findings->all = core::run_report(model, opt, findings->order);
        } catch (const core::Cancelled&) {
            return nullptr;  // C land raises the cancel / timeout error
        }
        for (auto& f : findings->all) f.schema = {};  // it points into the model
    }
    out->ms_model = ms(t0, t1);
    out->ms_rules = ms(t1, clock::now());
    out->findings = findings.release();
    out->free_findings.func = free_findings;
    out->free_findings.arg = out->findings;
    return out;
}

// Findings [from, from + rows_per_batch) of the report's order as palloc'd
// rows; each finding's strings are freed once its row is made. A row's own
// texts share one allocation; the repeated ones come from `fixed`, made in
// `fixed_cxt` (which outlives the batches).
ReportRows* make_rows(Findings& findings, std::size_t from, StaticTexts& fixed,
                      MemoryContext fixed_cxt) {
    std::size_t to = std::min(findings.all.size(), from + rows_per_batch);
    auto* out = static_cast<ReportRows*>(pg::alloc_or_throw(sizeof(ReportRows)));
    out->n = static_cast<int>(to - from);
    out->rows = static_cast<ReportRow*>(pg::alloc_or_throw(sizeof(ReportRow) * (to - from + 1)));
    for (std::size_t i = from; i < to; ++i) {
        core::ReportFinding& f = findings.all[findings.order[i]];
        ReportRow& row = out->rows[i - from];
        row.values[0] = fixed.get(f.rule, fixed_cxt);
        row.values[1] = fixed.get(core::to_string(f.severity), fixed_cxt);
        row.values[2] = fixed.get(core::to_string(f.category), fixed_cxt);
        row.values[3] = fixed.get(f.object_type, fixed_cxt);
        // object_identity, table_identity, message, detail, fix: one block,
        // each text int-aligned ("" = NULL except for the identity and the
        // message, which are never NULL).
        const std::string* own[5] = {&f.object_identity, &f.table_identity, &f.message, &f.detail,
                                     &f.fix};
        const bool may_be_null[5] = {false, true, false, true, true};
        Size total = 0;
        for (int k = 0; k < 5; ++k)
            if (!(may_be_null[k] && own[k]->empty())) {
                if (own[k]->size() > MaxAllocSize / 2)
                    throw std::bad_alloc();  // a varlena cannot exceed 1 GB
                total += INTALIGN(VARHDRSZ + own[k]->size());
            }
        char* block = static_cast<char*>(pg::alloc_or_throw(total > 0 ? total : 1));
        for (int k = 0; k < 5; ++k) {
            if (may_be_null[k] && own[k]->empty()) {
                row.values[4 + k] = nullptr;
                continue;
            }
            auto* t = reinterpret_cast<text*>(block);
            SET_VARSIZE(t, VARHDRSZ + own[k]->size());
            if (!own[k]->empty())
                memcpy(VARDATA(t), own[k]->data(), own[k]->size());
            row.values[4 + k] = t;
            block += INTALIGN(VARHDRSZ + own[k]->size());
        }
        row.exempted = f.exempted;
        row.classid = f.object_class == core::ObjectClass::constraint ? constraint_class_id
                      : f.object_class == core::ObjectClass::function ? procedure_class_id
                                                                      : relation_class_id;
        row.objid = f.objid;
        row.objsubid = f.objsubid;
        f = core::ReportFinding{};  // frees its strings
    }
    return out;
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
    const int natts = rsinfo->setDesc->natts;
    const bool with_address = natts >= text_columns + 4;

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
    for (std::size_t from = 0; from < nfindings; from += rows_per_batch) {
        CHECK_FOR_INTERRUPTS();  // C land: the findings are freed by rows_cxt's callback
        instr_time b0, b1;
        INSTR_TIME_SET_CURRENT(b0);
        MemoryContextSwitchTo(batch_cxt);
        ReportRows* rows = pg::cpp_boundary(
            "report()", [&] { return make_rows(*findings, from, findings->fixed, rows_cxt); });
        MemoryContextSwitchTo(caller);
        INSTR_TIME_SET_CURRENT(b1);
        INSTR_TIME_SUBTRACT(b1, b0);
        ms_rows += INSTR_TIME_GET_MILLISEC(b1);
        for (int i = 0; i < rows->n; ++i) {
            const ReportRow& row = rows->rows[i];
            Datum values[text_columns + 4];
            bool nulls[text_columns + 4] = {};
            for (int c = 0; c < text_columns; ++c) {
                if (row.values[c] == nullptr)
                    nulls[c] = true;
                else
                    values[c] = PointerGetDatum(row.values[c]);
            }
            values[text_columns] = BoolGetDatum(row.exempted);
            if (with_address) {
                values[text_columns + 1] = ObjectIdGetDatum(row.classid);
                values[text_columns + 2] = ObjectIdGetDatum(row.objid);
                values[text_columns + 3] = Int32GetDatum(row.objsubid);
            }
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
        MemoryContextReset(batch_cxt);
    }
    const int nrows = static_cast<int>(nfindings);
    const double ms_model = result->ms_model, ms_rules = result->ms_rules;
    MemoryContextDelete(rows_cxt);  // runs free_findings
    pg::release_report_heap(pg::settings::report_keep_memory());
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
