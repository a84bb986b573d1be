// check.cpp (entry): one row per finding of migration files judged against
// the live catalog without running them (docs/check.md):
//   schema_oracle.check(migration text, transaction text)
//   schema_oracle.check(migrations text[], transaction text)  the files in
//       order, each a migration of its own; rows start with its index.
//
// Flow: arguments in C land; the C++ judging (pg/check.hpp) inside
// cpp_boundary, ending in palloc'd plain rows; rows into the tuplestore in
// C land once no C++ object is alive.
#include <string>
#include <vector>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/overlay.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/check.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

PG_FUNCTION_INFO_V1(schema_oracle_check);
PG_FUNCTION_INFO_V1(schema_oracle_check_files);
}

using namespace schema_oracle;

namespace {

constexpr int int_columns = 4;    // migration, statement, line, col
constexpr int text_columns = 10;  // excerpt .. waiver

struct PlainRow {
    int32 ints[int_columns];
    text* texts[text_columns];  // NULL = SQL NULL
};

struct PlainRows {
    int n;
    PlainRow* rows;
};

text* nullable(const std::string& s) {
    return s.empty() ? nullptr : pg::to_text(s);
}

PlainRows* run(const std::vector<std::string_view>& migrations, const char* mode_text) {
    auto mode = core::parse_transaction_mode(mode_text);
    if (!mode)
        throw core::Error(
            "22023",
            "schema_oracle.check(): unknown transaction mode \"" + std::string(mode_text) + "\"",
            {},
            "Use 'single' (one transaction around the file), 'per_statement' or "
            "'as_written' (BEGIN/COMMIT as in the file).");
    std::vector<pg::CheckRow> rows = pg::check_migrations(migrations, *mode);
    auto* out = static_cast<PlainRows*>(pg::alloc_or_throw(sizeof(PlainRows)));
    out->n = 0;
    out->rows = static_cast<PlainRow*>(pg::alloc_or_throw(sizeof(PlainRow) * (rows.size() + 1)));
    for (const pg::CheckRow& r : rows) {
        PlainRow& p = out->rows[out->n++];
        p.ints[0] = r.file;
        p.ints[1] = r.statement;
        p.ints[2] = r.line;
        p.ints[3] = r.column;
        const std::string* fields[text_columns] = {&r.excerpt, &r.rule,    &r.severity, &r.level,
                                                   &r.lock,    &r.lock_on, &r.message,  &r.detail,
                                                   &r.fix,     &r.waiver};
        for (int i = 0; i < text_columns; ++i) p.texts[i] = nullable(*fields[i]);
    }
    return out;
}

struct Texts {
    int n;
    text** items;
};

// C land: rows into the tuplestore; the text[] variant has the migration
// index as its first column.
void emit(FunctionCallInfo fcinfo, Texts texts, bool with_index) {
    const char* mode = PG_ARGISNULL(1) ? "single" : text_to_cstring(PG_GETARG_TEXT_PP(1));
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    PlainRows* rows = pg::cpp_boundary("check()", [&] {
        std::vector<std::string_view> views;
        for (int i = 0; i < texts.n; ++i) views.push_back(pg::view_text(texts.items[i]));
        return run(views, mode);
    });
    const int skip = with_index ? 0 : 1;
    for (int i = 0; i < rows->n; ++i) {
        const PlainRow& row = rows->rows[i];
        Datum values[int_columns + text_columns];
        bool nulls[int_columns + text_columns] = {};
        int k = 0;
        for (int c = skip; c < int_columns; ++c) values[k++] = Int32GetDatum(row.ints[c]);
        for (int c = 0; c < text_columns; ++c, ++k) {
            if (row.texts[c] == nullptr)
                nulls[k] = true;
            else
                values[k] = PointerGetDatum(row.texts[c]);
        }
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
}

}  // namespace

extern "C" Datum schema_oracle_check(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("schema_oracle.check(): the migration text must not be NULL")));
    text* migration = PG_GETARG_TEXT_PP(0);
    emit(fcinfo, Texts{1, &migration}, false);
    return (Datum)0;
}

extern "C" Datum schema_oracle_check_files(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("schema_oracle.check(): the migrations array must not be NULL")));
    ArrayType* arr = PG_GETARG_ARRAYTYPE_P(0);
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
    Texts texts{n, static_cast<text**>(palloc0(sizeof(text*) * (n > 0 ? n : 1)))};
    for (int i = 0; i < n; ++i) {
        if (nulls[i])
            ereport(ERROR,
                    (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                     errmsg("schema_oracle.check(): migration %d of the array is NULL", i + 1)));
        texts.items[i] = DatumGetTextPP(elems[i]);
    }
    emit(fcinfo, texts, true);
    return (Datum)0;
}
