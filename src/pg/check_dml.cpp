// check_dml.cpp: the facts check() has of a migration file's UPDATE or
// DELETE, for large_dml_in_migration (the live guard judges it from the
// plan PostgreSQL made, src/pg/large_dml.cpp).
//
// check() runs nothing and plans nothing: planning would fold the user's
// immutable functions in the WHERE clause, and the guard never runs user
// code. So the only row count it knows is that of a statement that changes
// every row: no WHERE, no FROM / USING (a join can leave rows out). The
// count and size are pg_class's (reltuples, relpages), summed over the
// partitions of a partitioned table; nothing is locked. C-style: PostgreSQL
// calls here may ereport, so no C++ object with a destructor is alive.
#include "schema_oracle/pg/check.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

namespace {

struct ClassSize {
    bool found;
    char kind;
    char persistence;
    bool has_children;  // relhassubclass
    double tuples;
    int64 bytes;
};

ClassSize class_size(Oid relid) {
    ClassSize c = {false, 0, 0, false, 0, 0};
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        return c;
    auto* form = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
    c = {true,
         form->relkind,
         form->relpersistence,
         form->relhassubclass,
         form->reltuples,
         static_cast<int64>(form->relpages) * BLCKSZ};
    ReleaseSysCache(tup);
    return c;
}

}  // namespace

bool check_whole_table_dml(Node* stmt, CheckWholeTableDml* out) {
    RangeVar* target = nullptr;
    bool update = false;
    if (IsA(stmt, UpdateStmt)) {
        auto* s = reinterpret_cast<UpdateStmt*>(stmt);
        if (s->whereClause != nullptr || s->fromClause != NIL)
            return false;
        target = s->relation;
        update = true;
    } else if (IsA(stmt, DeleteStmt)) {
        auto* s = reinterpret_cast<DeleteStmt*>(stmt);
        if (s->whereClause != nullptr || s->usingClause != NIL)
            return false;
        target = s->relation;
    } else {
        return false;
    }
    const Oid relid = check_catalog_relation(target);
    if (!OidIsValid(relid))
        return false;
    ClassSize c = class_size(relid);
    if (!c.found || c.persistence == RELPERSISTENCE_TEMP ||
        (c.kind != RELKIND_RELATION && c.kind != RELKIND_PARTITIONED_TABLE))
        return false;
    const bool partitioned = c.kind == RELKIND_PARTITIONED_TABLE;
    // A plain inheritance parent: its children's rows are not counted, and
    // the batched DELETE's ctids repeat across them; no finding rather than
    // a wrong recipe.
    if (!partitioned && c.has_children)
        return false;
    if (partitioned && !target->inh)
        return false;  // ONLY a partitioned table: it has no rows of its own
    // A partitioned table's own pg_class row holds no pages (and, once
    // analyzed, its partitions' rows again): its partitions are counted.
    double tuples = !partitioned && c.tuples > 0 ? c.tuples : 0;
    int64 bytes = partitioned ? 0 : c.bytes;
    if (partitioned) {
        // find_all_inheritors with NoLock reads pg_inherits and locks nothing.
        List* all = find_all_inheritors(relid, NoLock, nullptr);
        ListCell* lc;
        foreach (lc, all) {
            const Oid part = lfirst_oid(lc);
            if (part == relid)
                continue;
            ClassSize p = class_size(part);
            if (!p.found || p.kind != RELKIND_RELATION)
                continue;
            if (p.tuples > 0)
                tuples += p.tuples;
            bytes += p.bytes;
        }
    }
    if (tuples < 1)
        return false;  // never analyzed or empty: no estimate to judge
    out->update = update;
    out->partitioned = partitioned;
    out->rows = tuples;
    out->bytes = bytes;
    out->table = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                            get_rel_name(relid));
    out->key = nullptr;
    out->nkey = partitioned && !update ? quoted_primary_key(relid, &out->key) : 0;
    return true;
}

}  // namespace schema_oracle::pg
