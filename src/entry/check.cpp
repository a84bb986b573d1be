// check.cpp (entry): schema_oracle.check(migration, transaction) — one row
// per finding of a migration file judged against the live catalog without
// running it (docs/check.md).
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

PG_FUNCTION_INFO_V1(schema_oracle_check);
}

using namespace schema_oracle;

namespace {

constexpr int int_columns = 3;    // statement, line, col
constexpr int text_columns = 10;  // excerpt .. waiver

struct PlainRow {
    int32 ints[int_columns];
    text* texts[text_columns];  // NULL = SQL NULL
};

struct PlainRows {
    int n;
    PlainRow* rows;
};

text* nullable(const std::string& s) { return s.empty() ? nullptr : pg::to_text(s); }

PlainRows* run(std::string_view migration, const char* mode_text) {
    auto mode = core::parse_transaction_mode(mode_text);
    if (!mode)
        throw core::Error("22023",
                          "schema_oracle.check(): unknown transaction mode \"" + std::string(mode_text) + "\"",
                          {}, "Use 'single' (one transaction around the file), 'per_statement' or "
                              "'as_written' (BEGIN/COMMIT as in the file).");
    std::vector<pg::CheckRow> rows = pg::check_migration(migration, *mode);
    auto* out = static_cast<PlainRows*>(pg::alloc_or_throw(sizeof(PlainRows)));
    out->n = 0;
    out->rows = static_cast<PlainRow*>(pg::alloc_or_throw(sizeof(PlainRow) * (rows.size() + 1)));
    for (const pg::CheckRow& r : rows) {
        PlainRow& p = out->rows[out->n++];
        p.ints[0] = r.statement;
        p.ints[1] = r.line;
        p.ints[2] = r.column;
        const std::string* fields[text_columns] = {&r.excerpt, &r.rule,    &r.severity, &r.level,
                                                   &r.lock,    &r.lock_on, &r.message,  &r.detail,
                                                   &r.fix,     &r.waiver};
        for (int i = 0; i < text_columns; ++i) p.texts[i] = nullable(*fields[i]);
    }
    return out;
}

}  // namespace

extern "C" Datum schema_oracle_check(PG_FUNCTION_ARGS) {
    if (PG_ARGISNULL(0))
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("schema_oracle.check(): the migration text must not be NULL")));
    text* migration = PG_GETARG_TEXT_PP(0);
    const char* mode = PG_ARGISNULL(1) ? "single" : text_to_cstring(PG_GETARG_TEXT_PP(1));
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    PlainRows* rows = pg::cpp_boundary("check()", [&] { return run(pg::view_text(migration), mode); });
    for (int i = 0; i < rows->n; ++i) {
        const PlainRow& row = rows->rows[i];
        Datum values[int_columns + text_columns];
        bool nulls[int_columns + text_columns] = {};
        for (int c = 0; c < int_columns; ++c) values[c] = Int32GetDatum(row.ints[c]);
        for (int c = 0; c < text_columns; ++c) {
            if (row.texts[c] == nullptr)
                nulls[int_columns + c] = true;
            else
                values[int_columns + c] = PointerGetDatum(row.texts[c]);
        }
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
