// catalog_reader.hpp: reads every catalog report() needs in one bulk query
// each, and turns the rows into the pure core's CatalogModel.
//
// Two halves with different rules:
//   read_catalog()  C land. Runs the SPI queries and copies each result into
//                   plain palloc'd columns (RawTable). It may ereport, so it
//                   must be called with no C++ object alive in its caller
//                   frames (the entry point calls it outside cpp_boundary).
//                   SPI must be connected; everything lives in SPI's memory
//                   until SPI_finish.
//   build_model()   C++. Reads only the raw columns (no PostgreSQL call),
//                   so it runs inside cpp_boundary.
#pragma once

#include <cstdint>

#include "schema_oracle/core/catalog_model.hpp"

namespace schema_oracle::pg {

// One result column: kind 'i' (integers, bool, "char"), 's' (text/name;
// for name columns `quoted` holds quote_identifier()), 'a' (int2[]/oid[]).
struct RawColumn {
    char kind;
    std::int64_t* ints;
    const char** strs;
    const char** quoted;
    std::int64_t** arrs;
    int* arrlens;
    bool* nulls;
};

struct RawTable {
    int nrows;
    int ncols;
    RawColumn* cols;

    bool null(int row, int col) const { return cols[col].nulls[row]; }
    std::int64_t i(int row, int col) const { return cols[col].ints[row]; }
    const char* s(int row, int col) const { return cols[col].strs[row]; }
    const char* q(int row, int col) const {
        return cols[col].quoted ? cols[col].quoted[row] : cols[col].strs[row];
    }
};

struct RawCatalog {
    RawTable* namespaces;
    RawTable* classes;
    RawTable* attributes;
    RawTable* types;
    RawTable* indexes;
    RawTable* constraints;
    RawTable* triggers;
    RawTable* functions;
    RawTable* sequences;  // with last values read directly (see read_sequence_values)
    RawTable* depends;
    RawTable* builds;
    RawTable* stats;
    RawTable* audit_columns;
    RawTable* exemptions;
    int max_indexes_per_table;
};

// C land: the bulk reads (see above). Never call with C++ objects alive.
RawCatalog* read_catalog();

// C++: the model, from the raw columns only.
void build_model(const RawCatalog& raw, core::CatalogModel& model);

}  // namespace schema_oracle::pg
