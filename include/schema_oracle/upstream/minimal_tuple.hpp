// minimal_tuple.hpp: a result row laid out as a MinimalTuple straight from
// C++ strings, for set-returning functions that emit tens of thousands of
// rows (report()).
//
// tuplestore_putvalues() wants one palloc'd text per value and then forms
// the tuple from them (heap_form_minimal_tuple: a size pass, a fill pass
// that turns every 4-byte varlena header into a short one, a palloc0): two
// copies of every byte and most of a row's cost. This writes the bytes once,
// where heap_form_minimal_tuple would put them (same header, null bitmap,
// alignment and short-varlena rules as heap_compute_data_size and
// heap_fill_tuple, PostgreSQL 15 access/common/heaptuple.c), so the
// tuplestore's own copy (tuplestore_puttuple) is the only other one.
//
// Only what such rows hold: variable-length columns given as bytes (text,
// varchar: attlen -1) and pass-by-value fixed-length columns given as a
// Datum. Raises nothing (no ereport): callable from C++ inside cpp_boundary.
#pragma once

#include <cstddef>
#include <string_view>

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/tupdesc.h"
}

namespace schema_oracle::pg::upstream {

struct TupleCell {
    bool null = false;
    std::string_view bytes;  // attlen -1 columns
    Datum datum = 0;         // pass-by-value columns
};

// Whether `desc` is a row this builder can lay out: every column is
// variable-length (attlen -1; the caller gives its bytes) or pass-by-value,
// and none is dropped.
bool minimal_tuple_supported(TupleDesc desc) noexcept;

// At least the MinimalTuple's length (t_len) for these cells, from their byte counts
// alone (no look at the columns' types): room for a caller to write the
// tuple into before its exact size is known. natts = desc->natts.
Size minimal_tuple_bound(int natts, const TupleCell* cells) noexcept;

// Writes the tuple into `out` (MAXALIGNed, at least minimal_tuple_bound()
// bytes) in one pass, as heap_form_minimal_tuple would lay it out, and
// returns its length (t_len).
// Only the tuple's own bytes are written; what lies past them is the
// caller's.
Size write_minimal_tuple(TupleDesc desc, const TupleCell* cells, MinimalTuple out) noexcept;

}  // namespace schema_oracle::pg::upstream
