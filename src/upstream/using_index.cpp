// using_index.cpp: whether an existing index can back ADD PRIMARY KEY /
// UNIQUE ... USING INDEX, as src/backend/parser/parse_utilcmd.c,
// transformIndexConstraint (PostgreSQL 15) decides: every key column must
// have "default sorting behavior": no DESC / NULLS FIRST option, the
// column's own collation, and the default operator class of the column's
// type for the index's access method (GetDefaultOpClass). Otherwise
// PostgreSQL refuses ("index ... column number N does not have default
// sorting behavior"), so report() must not offer that fix.
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_opclass.h"
#include "commands/defrem.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// GetDefaultOpClass(type, am), remembered per (type, am) within one report
// when the caller passes a memo.
Oid default_opclass(Oid type, Oid am, DefaultOpclassMemo* memo) {
    if (memo == nullptr)
        return GetDefaultOpClass(type, am);
    for (int i = 0; i < memo->n; ++i)
        if (memo->type[i] == type && memo->am[i] == am)
            return memo->opclass[i];
    Oid opclass = GetDefaultOpClass(type, am);
    if (memo->n < static_cast<int>(sizeof(memo->type) / sizeof(memo->type[0]))) {
        memo->type[memo->n] = type;
        memo->am[memo->n] = am;
        memo->opclass[memo->n] = opclass;
        ++memo->n;
    }
    return opclass;
}

// opclass == GetDefaultOpClass(type, am), mostly without its scan of every
// operator class of the access method (some 70,000 instructions): a
// non-default class is never the answer, and a default class of the
// column's (base) type is the exact match GetDefaultOpClass prefers. Only a
// default class of another type (binary-compatible, e.g. text_ops on
// varchar) needs the scan.
bool is_default_opclass(Oid opclass, Oid type, Oid am, DefaultOpclassMemo* memo) {
    HeapTuple ct = SearchSysCache1(CLAOID, ObjectIdGetDatum(opclass));
    if (!HeapTupleIsValid(ct))
        return false;
    const auto* c = (Form_pg_opclass)GETSTRUCT(ct);
    const bool is_default = c->opcdefault && c->opcmethod == am;
    const bool exact = is_default && c->opcintype == getBaseType(type);
    ReleaseSysCache(ct);
    if (!is_default)
        return false;
    return exact || opclass == default_opclass(type, am, memo);
}

}  // namespace

bool index_has_default_sorting(Oid indexrelid, Oid relid, const int16* keys, const Oid* opclasses,
                               const Oid* collations, const int16* options, int nkey,
                               DefaultOpclassMemo* memo) {
    if (keys == nullptr || opclasses == nullptr || collations == nullptr)
        return false;
    HeapTuple rt = SearchSysCache1(RELOID, ObjectIdGetDatum(indexrelid));
    if (!HeapTupleIsValid(rt))
        return false;
    const Oid am = ((Form_pg_class)GETSTRUCT(rt))->relam;
    ReleaseSysCache(rt);
    for (int i = 0; i < nkey; ++i) {
        if (keys[i] == 0 || (options != nullptr && options[i] != 0))
            return false;  // an expression, or DESC / NULLS FIRST
        HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(relid), Int16GetDatum(keys[i]));
        if (!HeapTupleIsValid(at))
            return false;
        Form_pg_attribute att = (Form_pg_attribute)GETSTRUCT(at);
        const bool ok = collations[i] == att->attcollation &&
                        is_default_opclass(opclasses[i], att->atttypid, am, memo);
        ReleaseSysCache(at);
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace schema_oracle::pg::upstream
