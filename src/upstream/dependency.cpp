// dependency.cpp: what DROP ... CASCADE would take with it, as
// src/backend/catalog/dependency.c decides in PostgreSQL 15
// (findDependentObjects, reportDependentObjects), read from pg_depend
// without deleting or locking anything:
//   - every object whose pg_depend row references a dropped object (with
//     refobjsubid 0 meaning the whole object) is dropped too, recursively;
//   - an object that is an internal part of another (deptype 'i': a view's
//     _RETURN rule, a constraint's index) stands for its owner, as
//     findDependentObjects recurses to the owning object;
//   - only the objects reached through a normal dependency ('n') are the
//     ones reportDependentObjects lists ("drop cascades to ..."); auto and
//     internal dependents go silently, as parts of what is dropped;
//   - extension members ('e', 'x') are not followed (pinned objects have no
//     pg_depend rows in PostgreSQL 15).
// Objects owned by a dropped relation itself (its constraints, defaults,
// triggers, the rules of a dropped view) are parts of it, not listed.
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_trigger.h"
#include "lib/stringinfo.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream {

namespace {

constexpr int max_objects = 10000;  // bounds the walk over a huge dependency graph

struct Walk {
    ObjectAddress* objects;  // every object reached, targets first
    bool* reported;          // reached through a normal dependency (and not a part of a target)
    int count;
    int capacity;
    int targets;
};

bool same(const ObjectAddress& a, const ObjectAddress& b) {
    return a.classId == b.classId && a.objectId == b.objectId && a.objectSubId == b.objectSubId;
}

int find(const Walk* w, const ObjectAddress& o) {
    for (int i = 0; i < w->count; ++i)
        if (same(w->objects[i], o))
            return i;
    return -1;
}

// The object that `o` is an internal part of (dependency.c follows a
// DEPENDENCY_INTERNAL to its owner), or `o` itself.
ObjectAddress owner_of(Relation depRel, ObjectAddress o) {
    for (int depth = 0; depth < 8; ++depth) {
        ScanKeyData key[3];
        ScanKeyInit(&key[0], Anum_pg_depend_classid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(o.classId));
        ScanKeyInit(&key[1], Anum_pg_depend_objid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(o.objectId));
        ScanKeyInit(&key[2], Anum_pg_depend_objsubid, BTEqualStrategyNumber, F_INT4EQ,
                    Int32GetDatum(o.objectSubId));
        SysScanDesc scan = systable_beginscan(depRel, DependDependerIndexId, true, nullptr, 3, key);
        bool found = false;
        HeapTuple tup;
        while (HeapTupleIsValid(tup = systable_getnext(scan))) {
            Form_pg_depend d = (Form_pg_depend)GETSTRUCT(tup);
            if (d->deptype == DEPENDENCY_INTERNAL) {
                o.classId = d->refclassid;
                o.objectId = d->refobjid;
                o.objectSubId = d->refobjsubid;
                found = true;
                break;
            }
        }
        systable_endscan(scan);
        if (!found)
            break;
    }
    return o;
}

// The relation an object belongs to (a column's table, a constraint's,
// default's, trigger's or rule's table), or InvalidOid.
Oid relation_of(const ObjectAddress& o) {
    if (o.classId == RelationRelationId)
        return o.objectId;
    int cache = -1;
    if (o.classId == ConstraintRelationId)
        cache = CONSTROID;
    if (cache >= 0) {
        HeapTuple tup = SearchSysCache1(cache, ObjectIdGetDatum(o.objectId));
        if (!HeapTupleIsValid(tup))
            return InvalidOid;
        Oid rel = ((Form_pg_constraint)GETSTRUCT(tup))->conrelid;
        ReleaseSysCache(tup);
        return rel;
    }
    return InvalidOid;
}

bool part_of_target(const Walk* w, const ObjectAddress& o) {
    const Oid rel = relation_of(o);
    for (int i = 0; i < w->targets; ++i) {
        const ObjectAddress& t = w->objects[i];
        if (same(t, o))
            return true;
        if (OidIsValid(rel) && t.classId == RelationRelationId && t.objectSubId == 0 &&
            t.objectId == rel)
            return true;
    }
    return false;
}

void add(Walk* w, const ObjectAddress& o, bool normal) {
    int i = find(w, o);
    if (i >= 0) {
        if (normal && i >= w->targets && !part_of_target(w, o))
            w->reported[i] = true;
        return;
    }
    if (w->count == w->capacity)
        return;  // max_objects reached
    w->objects[w->count] = o;
    w->reported[w->count] = normal && !part_of_target(w, o);
    ++w->count;
}

}  // namespace

// dependency.c, findDependentObjects / reportDependentObjects (PostgreSQL
// 15), read-only: see the file comment.
char* describe_cascade(const ObjectAddress* targets, int ntargets, int* count) {
    Walk w;
    w.capacity = max_objects;
    w.objects = (ObjectAddress*)palloc(sizeof(ObjectAddress) * w.capacity);
    w.reported = (bool*)palloc0(sizeof(bool) * w.capacity);
    w.count = 0;
    for (int i = 0; i < ntargets && w.count < w.capacity; ++i)
        if (find(&w, targets[i]) < 0)
            w.objects[w.count++] = targets[i];
    w.targets = w.count;
    Relation depRel = table_open(DependRelationId, AccessShareLock);
    for (int next = 0; next < w.count; ++next) {
        const ObjectAddress o = w.objects[next];
        ScanKeyData key[3];
        ScanKeyInit(&key[0], Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(o.classId));
        ScanKeyInit(&key[1], Anum_pg_depend_refobjid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(o.objectId));
        int nkeys = 2;
        if (o.objectSubId != 0) {
            ScanKeyInit(&key[2], Anum_pg_depend_refobjsubid, BTEqualStrategyNumber, F_INT4EQ,
                        Int32GetDatum(o.objectSubId));
            nkeys = 3;
        }
        SysScanDesc scan =
            systable_beginscan(depRel, DependReferenceIndexId, true, nullptr, nkeys, key);
        HeapTuple tup;
        while (HeapTupleIsValid(tup = systable_getnext(scan))) {
            Form_pg_depend d = (Form_pg_depend)GETSTRUCT(tup);
            if (d->deptype == DEPENDENCY_EXTENSION || d->deptype == DEPENDENCY_AUTO_EXTENSION)
                continue;
            ObjectAddress dep;
            dep.classId = d->classid;
            dep.objectId = d->objid;
            dep.objectSubId = d->objsubid;
            const bool normal = d->deptype == DEPENDENCY_NORMAL;
            // A part of another object stands for its owner (a view's rule: the view).
            ObjectAddress owner = owner_of(depRel, dep);
            if (!same(owner, dep)) {
                add(&w, dep, false);
                add(&w, owner, normal);
            } else {
                add(&w, dep, normal);
            }
        }
        systable_endscan(scan);
    }
    table_close(depRel, AccessShareLock);
    char** texts = (char**)palloc(sizeof(char*) * w.count);
    int n = 0;
    for (int i = w.targets; i < w.count; ++i) {
        if (!w.reported[i])
            continue;
        // A part of a relation that is dropped whole (a column of a view
        // dropped with it) goes unlisted, as reportDependentObjects lists
        // the relation only.
        const ObjectAddress& o = w.objects[i];
        const Oid rel = relation_of(o);
        if (OidIsValid(rel) && !(o.classId == RelationRelationId && o.objectSubId == 0)) {
            ObjectAddress whole;
            ObjectAddressSet(whole, RelationRelationId, rel);
            if (find(&w, whole) >= 0)
                continue;
        }
        if (char* text = getObjectDescription(&w.objects[i], true))
            texts[n++] = text;
    }
    // Sorted, so the list does not depend on the catalog's physical order.
    qsort(texts, n, sizeof(char*),
          [](const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); });
    StringInfoData buf;
    initStringInfo(&buf);
    *count = n;
    for (int i = 0; i < n; ++i) {
        if (i > 0)
            appendStringInfoChar(&buf, '\n');
        appendStringInfoString(&buf, texts[i]);
    }
    if (w.count == w.capacity)
        appendStringInfo(&buf, "%s(more objects not counted)", *count > 0 ? "\n" : "");
    return buf.data;
}

}  // namespace schema_oracle::pg::upstream
