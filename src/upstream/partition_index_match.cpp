// partition_index_match.cpp: which existing index of a partition PostgreSQL
// 15 would attach to a new index of its partitioned table instead of
// building one (src/backend/commands/indexcmds.c: DefineIndex's loop over
// the child's indexes, catalog/index.c: CompareIndexInfo), so that the
// guard's partition-by-partition recipe attaches it too instead of
// building a second, redundant index. Mirrors PostgreSQL; read, not copied.
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/upstream/refusals.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_inherits.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::upstream {

namespace {

// The operator family PostgreSQL would give key column `e` of a new index
// (ResolveOpClass: the named operator class, else the type's default for the
// access method); InvalidOid for an unknown class (PostgreSQL's own error).
Oid key_opfamily(IndexElem* e, Oid type, Oid am) {
    Oid opclass =
        e->opclass != NIL ? get_opclass_oid(am, e->opclass, true) : GetDefaultOpClass(type, am);
    return OidIsValid(opclass) ? get_opclass_family(opclass) : InvalidOid;
}

// Under check(): whether the file's earlier statements may have changed
// what the catalog says of this partition or index (a partition it
// altered, an index it dropped, renamed or attached): then the catalog's
// indexes are not the file's, and the recipe builds a new one.
bool changed_by_file(Oid child, Relation index) {
    if (guard_overlay == nullptr)
        return false;
    if (catalog_changed_by_file(child) || catalog_changed_by_file(RelationGetRelid(index)))
        return true;
    RangeVar* rv = makeRangeVar(get_namespace_name(RelationGetNamespace(index)),
                                pstrdup(RelationGetRelationName(index)), -1);
    return guard_overlay->resolve(rv) != RelationGetRelid(index);
}

}  // namespace

// The column an index element names: `a`, or `(a)`, which ComputeIndexAttrs
// also takes for the plain column (its expression is a bare Var); nullptr
// for any other expression (a COLLATE inside the parentheses included: not
// followed here).
const char* index_elem_column(IndexElem* e) {
    if (e->name != nullptr)
        return e->name;
    if (e->expr != nullptr && IsA(e->expr, ColumnRef)) {
        List* fields = ((ColumnRef*)e->expr)->fields;
        if (list_length(fields) == 1 && IsA(linitial(fields), String))
            return strVal(linitial(fields));
    }
    return nullptr;
}

// The existing index of partition `child` that DefineIndex (PostgreSQL 15)
// would attach to the new index `s` of `parent` instead of building one, as
// its qualified name, or nullptr. DefineIndex takes the first index, in
// RelationGetIndexList()'s order, that is no other index's partition and
// that CompareIndexInfo() finds equal: same access method, uniqueness, NULLS
// NOT DISTINCT, key and INCLUDE columns (matched by name), and per key
// column the same collation and operator family; ordering, reloptions and
// tablespace are not compared. Only plain column indexes are matched here:
// comparing expressions or predicates needs them planned (BuildIndexInfo
// folds constants, which may run user functions, and the guard never does),
// so with either the recipe builds a new index, as before. An invalid or
// not yet ready index is skipped, where DefineIndex would attach it and
// leave the parent invalid: the recipe builds a valid one instead.
const char* reusable_partition_index(Oid child, Oid parent, IndexStmt* s) {
    if (s->whereClause != nullptr || s->excludeOpNames != NIL)
        return nullptr;
    // DefineIndex reads "rtree" as gist (with a NOTICE).
    const char* method = s->accessMethod ? s->accessMethod : DEFAULT_INDEX_TYPE;
    if (strcmp(method, "rtree") == 0)
        method = "gist";
    const Oid am = get_index_am_oid(method, true);
    if (!OidIsValid(am))
        return nullptr;
    const int nkeys = list_length(s->indexParams);
    const int natts = nkeys + list_length(s->indexIncludingParams);
    if (natts > INDEX_MAX_KEYS)
        return nullptr;
    AttrNumber attnums[INDEX_MAX_KEYS];
    Oid collations[INDEX_MAX_KEYS];
    Oid opfamilies[INDEX_MAX_KEYS];
    int i = 0;
    ListCell* lc;
    foreach (lc, list_concat_copy(s->indexParams, s->indexIncludingParams)) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        const char* column = index_elem_column(e);
        if (column == nullptr)
            return nullptr;  // an expression
        // The parent's column, as DefineIndex reads it (a partition's
        // columns have the parent's types and collations).
        const AttrNumber parent_att = get_attnum(parent, column);
        attnums[i] = get_attnum(child, column);
        if (parent_att == InvalidAttrNumber || attnums[i] == InvalidAttrNumber)
            return nullptr;
        if (i < nkeys) {
            Oid type, coll;
            int32 typmod;
            get_atttypetypmodcoll(parent, parent_att, &type, &typmod, &coll);
            collations[i] = e->collation != NIL ? get_collation_oid(e->collation, true) : coll;
            opfamilies[i] = key_opfamily(e, type, am);
            if ((e->collation != NIL && !OidIsValid(collations[i])) || !OidIsValid(opfamilies[i]))
                return nullptr;
        }
        ++i;
    }
    Relation rel = RelationIdGetRelation(child);
    if (rel == nullptr)
        return nullptr;
    List* indexes = RelationGetIndexList(rel);
    RelationClose(rel);
    const char* found = nullptr;
    foreach (lc, indexes) {
        const Oid index = lfirst_oid(lc);
        if (has_superclass(index))
            continue;  // already another index's partition
        Relation irel = RelationIdGetRelation(index);
        if (irel == nullptr)
            continue;
        const Form_pg_index ix = irel->rd_index;
        bool same = irel->rd_rel->relam == am && ix->indisunique == s->unique &&
                    ix->indnullsnotdistinct == s->nulls_not_distinct && !ix->indisexclusion &&
                    ix->indnatts == natts && ix->indnkeyatts == nkeys &&
                    heap_attisnull(irel->rd_indextuple, Anum_pg_index_indexprs, nullptr) &&
                    heap_attisnull(irel->rd_indextuple, Anum_pg_index_indpred, nullptr);
        for (int k = 0; same && k < natts; ++k)
            same = ix->indkey.values[k] == attnums[k] &&
                   (k >= nkeys || (irel->rd_indcollation[k] == collations[k] &&
                                   irel->rd_opfamily[k] == opfamilies[k]));
        if (same && ix->indisvalid && ix->indisready && ix->indislive &&
            !changed_by_file(child, irel))
            found = quote_qualified_identifier(get_namespace_name(irel->rd_rel->relnamespace),
                                               RelationGetRelationName(irel));
        RelationClose(irel);
        if (same)
            break;  // DefineIndex's choice; when it is not usable, a new one
    }
    return found;
}

}  // namespace schema_oracle::pg::upstream
