// swap.cpp: a table swap (create a copy, fill it, drop the old table,
// rename the copy into its place) seen at its DROP TABLE: the copy is a
// table this transaction created in the same schema with the same columns
// (names and types, in order), as CREATE TABLE ... (LIKE old INCLUDING ALL)
// or CREATE TABLE ... AS SELECT * FROM old make it. Its data is not
// destroyed, so drop_table words the finding for a swap.
#include "extract.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

namespace {

bool same_columns(Relation a, Relation b) {
    TupleDesc da = RelationGetDescr(a), db = RelationGetDescr(b);
    int ia = 0, ib = 0;
    for (;;) {
        while (ia < da->natts && TupleDescAttr(da, ia)->attisdropped) ++ia;
        while (ib < db->natts && TupleDescAttr(db, ib)->attisdropped) ++ib;
        if (ia == da->natts || ib == db->natts)
            return ia == da->natts && ib == db->natts;
        Form_pg_attribute x = TupleDescAttr(da, ia), y = TupleDescAttr(db, ib);
        if (strcmp(NameStr(x->attname), NameStr(y->attname)) != 0 || x->atttypid != y->atttypid ||
            x->atttypmod != y->atttypmod)
            return false;
        ++ia;
        ++ib;
    }
}

}  // namespace

Text swap_replacement(Oid relid) {
    Relation old = RelationIdGetRelation(relid);
    if (old == nullptr)
        return Text();
    const Oid nsp = RelationGetNamespace(old);
    Oid found = InvalidOid;
    // pg_class has no index on the namespace alone: a scan, but only of
    // the rows this transaction wrote (xmin), and only at a DROP TABLE of
    // an existing table.
    Relation pg_class = table_open(RelationRelationId, AccessShareLock);
    SysScanDesc scan = systable_beginscan(pg_class, InvalidOid, false, nullptr, 0, nullptr);
    HeapTuple tup;
    while (!OidIsValid(found) && HeapTupleIsValid(tup = systable_getnext(scan))) {
        Form_pg_class c = (Form_pg_class)GETSTRUCT(tup);
        if (c->relnamespace != nsp || c->oid == relid ||
            (c->relkind != RELKIND_RELATION && c->relkind != RELKIND_PARTITIONED_TABLE) ||
            !TransactionIdIsCurrentTransactionId(HeapTupleHeaderGetXmin(tup->t_data)))
            continue;
        Relation cand = RelationIdGetRelation(c->oid);
        if (cand == nullptr)
            continue;
        if (cand->rd_createSubid != InvalidSubTransactionId && same_columns(old, cand))
            found = c->oid;
        RelationClose(cand);
    }
    systable_endscan(scan);
    table_close(pg_class, AccessShareLock);
    RelationClose(old);
    return OidIsValid(found) ? qualified_name(found) : Text();
}

}  // namespace schema_oracle::pg::extract
