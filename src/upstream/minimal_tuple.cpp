// minimal_tuple.cpp (upstream: mirrors PostgreSQL 15 heaptuple.c): rows laid out as
// heap_form_minimal_tuple lays them out (see minimal_tuple.hpp). The rules followed, from
// PostgreSQL 15's heap_compute_data_size() and heap_fill_tuple():
//   - the header is SizeofMinimalTupleHeader, plus the null bitmap
//     (BITMAPLEN(natts)) when a column is null, MAXALIGNed (t_hoff counts
//     MINIMAL_TUPLE_OFFSET too);
//   - a variable-length value short enough (VARATT_CAN_MAKE_SHORT) in a
//     column whose storage is not plain is stored with a 1-byte header and
//     no alignment; any other is aligned to the column's attalign and keeps
//     its 4-byte header;
//   - a pass-by-value value is aligned to attalign and stored with
//     store_att_byval();
//   - HEAP_HASNULL and HEAP_HASVARWIDTH in t_infomask; padding is zero (the
//     tuple is zeroed first, as palloc0 does).
// Offsets are relative to the tuple, which is MAXALIGNed, so aligning an
// offset is aligning the address heap_fill_tuple aligns.
#include "schema_oracle/upstream/minimal_tuple.hpp"

#include <cstring>

namespace schema_oracle::pg::upstream {

namespace {

// The 1-byte header form applies (VARATT_CAN_MAKE_SHORT on the 4-byte form).
bool stored_short(const Form_pg_attribute att, std::size_t n) noexcept {
    return att->attstorage != TYPSTORAGE_PLAIN && n + VARHDRSZ_SHORT <= VARATT_SHORT_MAX;
}

bool has_null(TupleDesc desc, const TupleCell* cells) noexcept {
    for (int i = 0; i < desc->natts; ++i)
        if (cells[i].null)
            return true;
    return false;
}

Size header_size(TupleDesc desc, bool hasnull) noexcept {
    Size len = SizeofMinimalTupleHeader;
    if (hasnull)
        len += BITMAPLEN(desc->natts);
    return MAXALIGN(len);
}

}  // namespace

bool minimal_tuple_supported(TupleDesc desc) noexcept {
    for (int i = 0; i < desc->natts; ++i) {
        const Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attisdropped)
            return false;
        if (att->attlen == -1)
            continue;
        // store_att_byval() takes 1, 2, 4 and 8 bytes (elog(ERROR) otherwise).
        if (!att->attbyval ||
            (att->attlen != 1 && att->attlen != 2 && att->attlen != 4 &&
             !(att->attlen == 8 && att->attlen == static_cast<int>(sizeof(Datum)))))
            return false;
    }
    return true;
}

Size minimal_tuple_bound(int natts, const TupleCell* cells) noexcept {
    // The header with a null bitmap, then per column its bytes, a 4-byte
    // varlena header and up to 7 bytes of alignment (a fixed-length value:
    // at most 8 bytes and 7 of alignment).
    Size len = MAXALIGN(SizeofMinimalTupleHeader + BITMAPLEN(natts));
    for (int i = 0; i < natts; ++i) len += cells[i].bytes.size() + 16;
    return len;
}

Size write_minimal_tuple(TupleDesc desc, const TupleCell* cells, MinimalTuple out) noexcept {
    const bool hasnull = has_null(desc, cells);
    const Size hoff = header_size(desc, hasnull);
    std::memset(out, 0, hoff);  // the header and null bitmap; padding is zeroed below
    HeapTupleHeaderSetNatts(out, desc->natts);
    out->t_hoff = static_cast<uint8>(hoff + MINIMAL_TUPLE_OFFSET);

    char* const start = reinterpret_cast<char*>(out) + hoff;
    Size at = 0;                                // offset from start (MAXALIGNed, like the address)
    auto align = [start, &at](char attalign) {  // zero padding, as palloc0 leaves it
        const Size to = att_align_nominal(at, attalign);
        while (at < to) start[at++] = 0;
    };
    uint16 infomask = 0;
    for (int i = 0; i < desc->natts; ++i) {
        if (hasnull) {  // bit set = not null, eight columns a byte
            if (cells[i].null) {
                infomask |= HEAP_HASNULL;
                continue;
            }
            out->t_bits[i >> 3] |= static_cast<bits8>(1 << (i & 7));
        }
        const Form_pg_attribute att = TupleDescAttr(desc, i);
        if (att->attlen == -1) {
            infomask |= HEAP_HASVARWIDTH;
            const std::string_view b = cells[i].bytes;
            if (stored_short(att, b.size())) {
                SET_VARSIZE_SHORT(start + at, VARHDRSZ_SHORT + b.size());
                if (!b.empty())
                    std::memcpy(start + at + VARHDRSZ_SHORT, b.data(), b.size());
                at += VARHDRSZ_SHORT + b.size();
            } else {
                align(att->attalign);
                SET_VARSIZE(start + at, VARHDRSZ + b.size());
                if (!b.empty())
                    std::memcpy(start + at + VARHDRSZ, b.data(), b.size());
                at += VARHDRSZ + b.size();
            }
        } else {
            align(att->attalign);
            store_att_byval(start + at, cells[i].datum, att->attlen);
            at += att->attlen;
        }
    }
    out->t_infomask = infomask;
    out->t_len = static_cast<uint32>(hoff + at);
    return hoff + at;
}

}  // namespace schema_oracle::pg::upstream
