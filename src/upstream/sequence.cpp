// sequence.cpp: a sequence's last value as src/backend/commands/sequence.c
// reads it in PostgreSQL 15 (pg_sequence_last_value through read_seq_tuple):
// the single tuple on page 0 holds Form_pg_sequence_data after its header.
// report() reads it directly so that it can release the relation lock at
// once (tens of thousands of sequences would otherwise fill the lock table);
// the caller does the privilege, relkind and recovery checks that
// pg_sequence_last_value does before reading.
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "commands/sequence.h"
#include "storage/bufmgr.h"
#include "storage/bufpage.h"
}

namespace schema_oracle::pg::upstream {

bool sequence_last_value(Relation seqrel, int64* last_value) {
    bool called = false;
    Buffer buf = ReadBuffer(seqrel, 0);
    LockBuffer(buf, BUFFER_LOCK_SHARE);
    Page page = BufferGetPage(buf);
    ItemId lp = PageGetItemId(page, FirstOffsetNumber);
    if (ItemIdIsNormal(lp)) {
        auto* tup = reinterpret_cast<HeapTupleHeader>(PageGetItem(page, lp));
        auto* data =
            reinterpret_cast<Form_pg_sequence_data>(reinterpret_cast<char*>(tup) + tup->t_hoff);
        if (data->is_called) {
            *last_value = data->last_value;
            called = true;
        }
    }
    UnlockReleaseBuffer(buf);
    return called;
}

}  // namespace schema_oracle::pg::upstream
