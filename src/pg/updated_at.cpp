// updated_at.cpp: schema_oracle.set_updated_at(), the row trigger that keeps
// a timestamp column current (docs/helpers.md).
//
//   CREATE TRIGGER t_set_updated_at BEFORE UPDATE ON t FOR EACH ROW
//       EXECUTE FUNCTION schema_oracle.set_updated_at([column [, option ...]]);
//
// Arguments: the column (default updated_at, matched exactly as stored, like
// moddatetime), then options: transaction (default: now(), the transaction
// start), statement (statement_timestamp()), clock (clock_timestamp()),
// keep_explicit (an UPDATE that changes the column keeps its value; an
// INSERT keeps a non-NULL value).
//
// This runs once per row, so it stays in plain C frames: no C++ object with
// a destructor is ever alive here, so PostgreSQL's ereport may longjmp out
// of any line (docs/development.md, the boundary rules); nothing here can
// throw. The per-trigger facts (attribute number, type, options) are looked
// up once and kept in a backend-local hash keyed by the trigger's OID; a
// relcache callback marks an entry stale when its table changes (ALTER
// TABLE, CREATE OR REPLACE TRIGGER, DROP), and every row still checks that
// the cached attribute is live and of the cached type before trusting it.
#include "schema_oracle/pg/updated_at.hpp"

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/tupmacs.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"
}

namespace schema_oracle::pg {

namespace {

enum class Clock : char { transaction, statement, clock };

// One trigger's facts. Entries are never removed (dynahash keeps them at a
// fixed address, so fn_extra may point at one); a stale one is refilled.
struct UpdatedAtEntry {
    Oid tgoid;  // hash key
    Oid relid;
    bool valid;
    AttrNumber attnum;
    Oid typid;
    Clock clock;
    bool keep_explicit;
};

HTAB* entries = nullptr;  // TopMemoryContext; created on first use

void invalidate_relation(Datum, Oid relid) {
    if (entries == nullptr)
        return;
    HASH_SEQ_STATUS scan;
    hash_seq_init(&scan, entries);
    while (auto* e = static_cast<UpdatedAtEntry*>(hash_seq_search(&scan)))
        if (relid == InvalidOid || e->relid == relid)
            e->valid = false;
}

HTAB* entry_table() {
    if (entries == nullptr) {
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(Oid);
        ctl.entrysize = sizeof(UpdatedAtEntry);
        ctl.hcxt = TopMemoryContext;
        // The callback first: an invalidation that arrives while the first
        // entry is being filled must find the table.
        CacheRegisterRelcacheCallback(invalidate_relation, (Datum)0);
        entries = hash_create("schema_oracle set_updated_at", 64, &ctl,
                              HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    }
    return entries;
}

const char* trigger_where(TriggerData* td) {
    return psprintf("trigger \"%s\" on table \"%s\"", td->tg_trigger->tgname,
                    RelationGetRelationName(td->tg_relation));
}

// Reads the trigger's arguments and the column's attribute into `e`.
// Misuse is reported here, once, with a hint that says how to fix it.
void fill_entry(UpdatedAtEntry* e, TriggerData* td) {
    const Trigger* tg = td->tg_trigger;
    TupleDesc desc = RelationGetDescr(td->tg_relation);
    const char* column = tg->tgnargs > 0 ? tg->tgargs[0] : "updated_at";
    e->clock = Clock::transaction;
    e->keep_explicit = false;
    for (int i = 1; i < tg->tgnargs; ++i) {
        const char* opt = tg->tgargs[i];
        if (pg_strcasecmp(opt, "transaction") == 0 || pg_strcasecmp(opt, "now") == 0)
            e->clock = Clock::transaction;
        else if (pg_strcasecmp(opt, "statement") == 0)
            e->clock = Clock::statement;
        else if (pg_strcasecmp(opt, "clock") == 0)
            e->clock = Clock::clock;
        else if (pg_strcasecmp(opt, "keep_explicit") == 0)
            e->keep_explicit = true;
        else if (pg_strcasecmp(opt, "overwrite") == 0)
            e->keep_explicit = false;
        else
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("schema_oracle.set_updated_at(): unknown option \"%s\" in %s", opt,
                            trigger_where(td)),
                     errhint("The first argument is the column; the options are transaction "
                             "(the default), statement, clock, keep_explicit and overwrite.")));
    }
    AttrNumber attnum = InvalidAttrNumber;
    for (int i = 0; i < desc->natts; ++i) {
        Form_pg_attribute att = TupleDescAttr(desc, i);
        if (!att->attisdropped && strcmp(NameStr(att->attname), column) == 0) {
            attnum = att->attnum;
            break;
        }
    }
    if (attnum == InvalidAttrNumber)
        ereport(ERROR,
                (errcode(ERRCODE_UNDEFINED_COLUMN),
                 errmsg("schema_oracle.set_updated_at(): column \"%s\" does not exist (%s)", column,
                        trigger_where(td)),
                 errhint(tg->tgnargs > 0
                             ? "The trigger's first argument names the column, exactly as stored "
                               "(case matters)."
                             : "Without an argument the column is updated_at; pass the column's "
                               "name as the trigger's first argument.")));
    Form_pg_attribute att = TupleDescAttr(desc, attnum - 1);
    if (att->atttypid != TIMESTAMPTZOID && att->atttypid != TIMESTAMPOID)
        ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                        errmsg("schema_oracle.set_updated_at(): column \"%s\" is of type %s, not "
                               "timestamptz or timestamp (%s)",
                               column, format_type_be(att->atttypid), trigger_where(td))));
    if (att->attgenerated)
        ereport(ERROR,
                (errcode(ERRCODE_GENERATED_ALWAYS),
                 errmsg("schema_oracle.set_updated_at(): column \"%s\" is a generated column (%s)",
                        column, trigger_where(td))));
    e->relid = RelationGetRelid(td->tg_relation);
    e->attnum = attnum;
    e->typid = att->atttypid;
    e->valid = true;
}

// The entry of this trigger, valid for this row's tuple descriptor.
UpdatedAtEntry* entry_for(FunctionCallInfo fcinfo, TriggerData* td) {
    const Trigger* tg = td->tg_trigger;
    auto* e = static_cast<UpdatedAtEntry*>(fcinfo->flinfo->fn_extra);
    if (e == nullptr || e->tgoid != tg->tgoid) {
        bool found;
        e = static_cast<UpdatedAtEntry*>(
            hash_search(entry_table(), &tg->tgoid, HASH_ENTER, &found));
        if (!found)
            e->valid = false;
        fcinfo->flinfo->fn_extra = e;
    }
    TupleDesc desc = RelationGetDescr(td->tg_relation);
    if (e->valid && e->relid == RelationGetRelid(td->tg_relation) && e->attnum <= desc->natts) {
        Form_pg_attribute att = TupleDescAttr(desc, e->attnum - 1);
        if (!att->attisdropped && att->atttypid == e->typid)
            return e;
    }
    e->valid = false;
    fill_entry(e, td);
    return e;
}

// timestamptz -> timestamp in the session's time zone. The transaction
// timestamp is the same for every row, so the last conversion is kept
// (keyed by the input and the session's zone, which SET TIME ZONE changes).
Datum local_timestamp(TimestampTz at) {
    static TimestampTz last_in;
    static Datum last_out;
    static pg_tz* last_zone = nullptr;
    if (last_zone != session_timezone || last_in != at) {
        Datum out = DirectFunctionCall1(timestamptz_timestamp, TimestampTzGetDatum(at));
        last_in = at;
        last_out = out;
        last_zone = session_timezone;
    }
    return last_out;
}

// Where attribute `attnum` (fixed length, by value) starts in the tuple's
// data area, walking the attributes before it as heap_deform_tuple does
// (a cached offset is usable only when nothing before it varies in width);
// -1 when it is NULL or not stored in this tuple (a row older than an ADD
// COLUMN, which a trigger returning OLD can hand on): heap_getattr then
// knows its value.
long attribute_offset(HeapTuple tuple, TupleDesc desc, AttrNumber attnum) {
    HeapTupleHeader header = tuple->t_data;
    if (attnum > HeapTupleHeaderGetNatts(header))
        return -1;
    bool hasnulls = HeapTupleHasNulls(tuple);
    const bits8* bits = header->t_bits;
    int target = attnum - 1;
    if (hasnulls && att_isnull(target, bits))
        return -1;
    Form_pg_attribute att = TupleDescAttr(desc, target);
    if (att->attcacheoff >= 0 && !hasnulls)
        return att->attcacheoff;
    const char* data = reinterpret_cast<const char*>(header) + header->t_hoff;
    long off = 0;
    for (int i = 0; i < target; ++i) {
        Form_pg_attribute a = TupleDescAttr(desc, i);
        if (hasnulls && att_isnull(i, bits))
            continue;
        off = att_align_pointer(off, a->attalign, a->attlen, data + off);
        off = att_addlength_pointer(off, a->attlen, data + off);
    }
    return att_align_nominal(off, att->attalign);
}

[[noreturn]] void misuse(TriggerData* td, const char* what) {
    ereport(ERROR,
            (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
             errmsg("schema_oracle.set_updated_at() must be fired BEFORE UPDATE or INSERT FOR "
                    "EACH ROW, not %s (%s)",
                    what, trigger_where(td)),
             errhint("CREATE TRIGGER ... BEFORE UPDATE ON ... FOR EACH ROW EXECUTE FUNCTION "
                     "schema_oracle.set_updated_at(); or CALL "
                     "schema_oracle.enable_updated_at('table').")));
}

}  // namespace

Datum set_updated_at(FunctionCallInfo fcinfo) {
    if (!CALLED_AS_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("schema_oracle.set_updated_at() must be called as a trigger")));
    auto* td = reinterpret_cast<TriggerData*>(fcinfo->context);
    TriggerEvent ev = td->tg_event;
    if (!TRIGGER_FIRED_FOR_ROW(ev))
        misuse(td, "FOR EACH STATEMENT");
    if (TRIGGER_FIRED_AFTER(ev))
        misuse(td, "AFTER");
    if (TRIGGER_FIRED_INSTEAD(ev))
        misuse(td, "INSTEAD OF");
    bool is_update = TRIGGER_FIRED_BY_UPDATE(ev);
    if (!is_update && !TRIGGER_FIRED_BY_INSERT(ev))
        misuse(td, "on DELETE");

    HeapTuple tuple = is_update ? td->tg_newtuple : td->tg_trigtuple;
    UpdatedAtEntry* e = entry_for(fcinfo, td);
    TupleDesc desc = RelationGetDescr(td->tg_relation);

    // One walk to the column gives both its current value and where to
    // write the new one.
    long off = attribute_offset(tuple, desc, e->attnum);
    bool isnull = false;
    int64 current;
    if (off >= 0) {
        const char* data = reinterpret_cast<const char*>(tuple->t_data) + tuple->t_data->t_hoff;
        current = *reinterpret_cast<const int64*>(data + off);
    } else {
        Datum d = heap_getattr(tuple, e->attnum, desc, &isnull);
        current = isnull ? 0 : DatumGetInt64(d);
    }
    if (e->keep_explicit) {
        if (!is_update) {
            if (!isnull)
                return PointerGetDatum(tuple);
        } else {
            bool old_isnull;
            Datum old = heap_getattr(td->tg_trigtuple, e->attnum, desc, &old_isnull);
            // Timestamps are int64, passed by value: equal datums, equal values.
            if (isnull != old_isnull || (!isnull && current != DatumGetInt64(old)))
                return PointerGetDatum(tuple);
        }
    }

    TimestampTz at = e->clock == Clock::transaction ? GetCurrentTransactionStartTimestamp()
                     : e->clock == Clock::statement ? GetCurrentStatementStartTimestamp()
                                                    : GetCurrentTimestamp();
    Datum value = e->typid == TIMESTAMPTZOID ? TimestampTzGetDatum(at) : local_timestamp(at);
    // Already current (a second UPDATE of the row in this transaction):
    // returning the tuple as it is saves the copy.
    if (!isnull && current == DatumGetInt64(value))
        return PointerGetDatum(tuple);
    if (off < 0) {
        // The NULL bitmap changes, or the column is not stored: build it anew.
        int attnum = e->attnum;
        bool value_isnull = false;
        return PointerGetDatum(
            heap_modify_tuple_by_cols(tuple, desc, 1, &attnum, &value, &value_isnull));
    }
    // Same layout, one 8-byte value changed: a copy of the tuple with it
    // overwritten (the trigger must not change the tuple it was given,
    // which the executor's slot still describes).
    HeapTuple copy = heap_copytuple(tuple);
    char* copy_data = reinterpret_cast<char*>(copy->t_data) + copy->t_data->t_hoff;
    store_att_byval(copy_data + off, value, sizeof(int64));
    return PointerGetDatum(copy);
}

}  // namespace schema_oracle::pg
