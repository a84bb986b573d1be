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
#include "commands/defrem.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

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
                        opclasses[i] == default_opclass(att->atttypid, am, memo);
        ReleaseSysCache(at);
        if (!ok)
            return false;
    }
    return true;
}

}  // namespace schema_oracle::pg::upstream
