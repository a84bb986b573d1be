// erd_catalog.cpp: erd()'s read of the catalog (the C half; erd_builder.cpp
// turns the rows into the model). One sequential scan of each catalog
// (pg_namespace, pg_class, pg_inherits, pg_attribute, pg_index,
// pg_constraint, pg_description) and one index scan of pg_depend for the
// extension members, with the catalog snapshot, as a query over them would
// read them (and with the same AccessShareLocks), but without a query's
// per-row joins and functions.
//
// What the caller may see is what the SQL reference (_erd_relations,
// _erd_columns in extension/0.2.0/40-erd.sql) lets it see, with the same
// checks as the SQL functions it calls:
//   a table   pg_has_role(owner, 'USAGE') OR has_table_privilege(any of
//             SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER)
//             OR has_any_column_privilege(any of SELECT, INSERT, UPDATE,
//             REFERENCES)
//   a column  the owner, or has_column_privilege(any of SELECT, INSERT,
//             UPDATE, REFERENCES)
// Foreign keys are drawn between visible tables only; their column names
// come from pg_attribute, as in the reference.
//
// Plain C: palloc'd rows, no object with a destructor, so an ereport
// longjmp through these frames skips nothing.
#include <cmath>
#include <cstring>

#include "schema_oracle/pg/erd.hpp"
#include "schema_oracle/pg/erd_sizes.hpp"
#include "schema_oracle/pg/postgres.hpp"
#include "schema_oracle/pg/catalog_scan.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/partition.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_description.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_trigger.h"
#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "access/stratnum.h"
}

namespace schema_oracle::pg::erd {

namespace {

// An OID -> int map (dynahash, in the current memory context).
struct OidEntry {
    Oid key;
    int value;
};

HTAB* oid_map(const char* name, long size) {
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(Oid);
    ctl.entrysize = sizeof(OidEntry);
    ctl.hcxt = CurrentMemoryContext;
    return hash_create(name, size, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

void map_put(HTAB* map, Oid key, int value) {
    bool found;
    auto* e = static_cast<OidEntry*>(hash_search(map, &key, HASH_ENTER, &found));
    e->value = value;
}

// -1 when absent.
int map_get(HTAB* map, Oid key) {
    auto* e = static_cast<OidEntry*>(hash_search(map, &key, HASH_FIND, nullptr));
    return e ? e->value : -1;
}

template <typename Decode>
void scan_catalog(Oid catalog, Oid index, int nkeys, ScanKeyData* keys, Decode&& decode) {
    Relation rel = table_open(catalog, AccessShareLock);
    scan_rows(rel, index, nkeys, keys, decode);
    table_close(rel, AccessShareLock);
}

template <typename Decode>
void scan_catalog(Oid catalog, Decode&& decode) {
    scan_catalog(catalog, InvalidOid, 0, nullptr, decode);
}

bool user_namespace(const char* name) {
    return strcmp(name, "pg_catalog") != 0 && strcmp(name, "information_schema") != 0 &&
           strcmp(name, "pg_toast") != 0 && strncmp(name, "pg_temp_", 8) != 0 &&
           strncmp(name, "pg_toast_temp_", 14) != 0;
}

// nspname = ANY (list) as SQL answers it: true, false, or NULL (no match
// and the list holds a NULL).
enum class Tri { no, yes, unknown };
Tri any_equal(const NameList& l, const char* name) {
    bool null_seen = false;
    for (int i = 0; i < l.n; ++i) {
        if (l.items[i] == nullptr)
            null_seen = true;
        else if (strcmp(l.items[i], name) == 0)
            return Tri::yes;
    }
    return null_seen ? Tri::unknown : Tri::no;
}

bool schema_selected(const ReadOptions& o, const char* name) {
    if (o.include_schemas.present && any_equal(o.include_schemas, name) != Tri::yes)
        return false;
    if (o.exclude_schemas.present && any_equal(o.exclude_schemas, name) != Tri::no)
        return false;
    return true;
}

int16* copy_int2_array(Datum d, int* n) {
    ArrayType* a = DatumGetArrayTypeP(d);
    *n = ARR_DIMS(a)[0];
    if (ARR_NDIM(a) == 0)
        *n = 0;
    auto* out = static_cast<int16*>(palloc(sizeof(int16) * (*n > 0 ? *n : 1)));
    if (*n > 0)
        memcpy(out, ARR_DATA_PTR(a), sizeof(int16) * *n);
    return out;
}

int table_cmp(const void* a, const void* b) {
    auto* x = static_cast<const RawTable*>(a);
    auto* y = static_cast<const RawTable*>(b);
    int c = strcmp(x->nspname, y->nspname);
    return c != 0 ? c : strcmp(x->name, y->name);
}

int oid_cmp(const void* a, const void* b) {
    Oid x = *static_cast<const Oid*>(a), y = *static_cast<const Oid*>(b);
    return x < y ? -1 : x > y ? 1 : 0;
}

constexpr AclMode table_privileges =
    ACL_SELECT | ACL_INSERT | ACL_UPDATE | ACL_DELETE | ACL_TRUNCATE | ACL_REFERENCES | ACL_TRIGGER;
constexpr AclMode column_privileges = ACL_SELECT | ACL_INSERT | ACL_UPDATE | ACL_REFERENCES;

// A type's name as format_type(type, typmod) writes it, for the few
// distinct (type, typmod) pairs of the columns.
struct TypeEntry {
    struct {
        Oid type;
        int32 typmod;
    } key;
    const char* name;
};

const char* type_name(HTAB* types, Oid type, int32 typmod) {
    TypeEntry probe;
    memset(&probe.key, 0, sizeof(probe.key));
    probe.key.type = type;
    probe.key.typmod = typmod;
    bool found;
    auto* e = static_cast<TypeEntry*>(hash_search(types, &probe.key, HASH_ENTER, &found));
    if (!found)
        e->name = format_type_extended(type, typmod,
                                       FORMAT_TYPE_TYPEMOD_GIVEN | FORMAT_TYPE_ALLOW_INVALID);
    return e->name;
}

// The caller may see the table (the rule of _erd_relations).
bool table_visible(Oid rel, Oid owner, Oid user) {
    return has_privs_of_role(user, owner) ||
           pg_class_aclcheck(rel, user, table_privileges) == ACLCHECK_OK ||
           pg_attribute_aclcheck_all(rel, user, column_privileges, ACLMASK_ANY) == ACLCHECK_OK;
}

// fn(a[, b]) as SQL calls it: NULL when the function returns NULL (the
// pg_get_*def functions do for an object dropped since the scan).
Datum call(PGFunction fn, int nargs, Datum a, Datum b, bool* isnull) {
    LOCAL_FCINFO(fcinfo, 2);
    InitFunctionCallInfoData(*fcinfo, nullptr, nargs, InvalidOid, nullptr, nullptr);
    fcinfo->args[0].value = a;
    fcinfo->args[0].isnull = false;
    fcinfo->args[1].value = b;
    fcinfo->args[1].isnull = false;
    Datum result = fn(fcinfo);
    *isnull = fcinfo->isnull;
    return result;
}

const char* call_text(PGFunction fn, int nargs, Datum a, Datum b = 0) {
    bool isnull;
    Datum d = call(fn, nargs, a, b, &isnull);
    return isnull ? nullptr : TextDatumGetCString(d);
}

// The names of a relation's columns (pg_attribute, whatever the caller may
// see of them, as the reference's joins read them).
const char** column_names(Oid rel, const int16* key, int n, bool* any_nullable) {
    auto** names = static_cast<const char**>(palloc(sizeof(char*) * (n > 0 ? n : 1)));
    for (int c = 0; c < n; ++c) {
        HeapTuple at = SearchSysCache2(ATTNUM, ObjectIdGetDatum(rel), Int16GetDatum(key[c]));
        if (!HeapTupleIsValid(at))
            elog(ERROR, "cache lookup failed for attribute %d of relation %u", key[c], rel);
        auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(at));
        names[c] = pstrdup(NameStr(a->attname));
        if (any_nullable && !a->attnotnull)
            *any_nullable = true;
        ReleaseSysCache(at);
    }
    return names;
}

// A relation's schema and name (NULLs if it is gone).
void relation_names(Oid rel, const char** schema, const char** name) {
    *name = get_rel_name(rel);
    *schema = *name ? get_namespace_name(get_rel_namespace(rel)) : nullptr;
}

// What data_dictionary() sizes a relation with: its storage and TOAST
// table, and (from pg_index) its live indexes.
struct ClassEntry {
    Oid key;
    Oid relfilenode, tablespace, toast;
    char kind;
    float tuples;
};

struct IndexOf {
    Oid table, index;
};

int index_of_cmp(const void* a, const void* b) {
    auto* x = static_cast<const IndexOf*>(a);
    auto* y = static_cast<const IndexOf*>(b);
    return x->table < y->table ? -1 : x->table > y->table ? 1 : 0;
}

struct SizeReader {
    HTAB* classes;
    Rows<IndexOf> indexes;  // sorted by table
    FileSizes* files;
};

std::int64_t storage_and_indexes(SizeReader& r, const ClassEntry& c) {
    std::int64_t bytes = file_bytes(*r.files, c.tablespace, c.relfilenode);
    IndexOf probe{c.key, InvalidOid};
    auto* hit = static_cast<IndexOf*>(
        bsearch(&probe, r.indexes.items, r.indexes.n, sizeof(IndexOf), index_of_cmp));
    if (hit == nullptr)
        return bytes;
    int lo = static_cast<int>(hit - r.indexes.items), hi = lo;
    while (lo > 0 && r.indexes.items[lo - 1].table == c.key) --lo;
    while (hi + 1 < r.indexes.n && r.indexes.items[hi + 1].table == c.key) ++hi;
    for (int i = lo; i <= hi; ++i) {
        Oid index = r.indexes.items[i].index;
        auto* x = static_cast<ClassEntry*>(hash_search(r.classes, &index, HASH_FIND, nullptr));
        if (x)
            bytes += file_bytes(*r.files, x->tablespace, x->relfilenode);
    }
    return bytes;
}

// pg_total_relation_size(rel): false when the relation is not in pg_class.
bool total_size(SizeReader& r, Oid rel, std::int64_t* out) {
    auto* c = static_cast<ClassEntry*>(hash_search(r.classes, &rel, HASH_FIND, nullptr));
    if (c == nullptr)
        return false;
    std::int64_t bytes = storage_and_indexes(r, *c);
    if (OidIsValid(c->toast)) {
        auto* t = static_cast<ClassEntry*>(hash_search(r.classes, &c->toast, HASH_FIND, nullptr));
        if (t)
            bytes += storage_and_indexes(r, *t);
    }
    *out = bytes;
    return true;
}

// What data_dictionary() says of a table's size and rows: for a
// partitioned table the sums over pg_partition_tree() (its size and its
// partitions', the row estimates of its leaves), as the reference sums them.
void read_size(SizeReader& r, RawTable& t) {
    if (t.kind == RELKIND_RELATION) {
        t.has_size = total_size(r, t.oid, &t.size_bytes);
    } else if (t.kind == RELKIND_PARTITIONED_TABLE) {
        // pg_partition_tree() locks the tree the same way
        List* tree = find_all_inheritors(t.oid, AccessShareLock, nullptr);
        ListCell* lc;
        float rows = 0;  // sum(real) is real
        t.size_bytes = 0;
        foreach (lc, tree) {
            Oid rel = lfirst_oid(lc);
            std::int64_t size;
            if (total_size(r, rel, &size)) {
                t.size_bytes += size;
                t.has_size = true;
            }
            auto* c = static_cast<ClassEntry*>(hash_search(r.classes, &rel, HASH_FIND, nullptr));
            if (c && c->kind != RELKIND_PARTITIONED_TABLE && c->kind != RELKIND_PARTITIONED_INDEX &&
                c->tuples >= 0) {
                rows += c->tuples;
                t.has_rows = true;
            }
        }
        if (t.has_rows)
            t.rows = static_cast<std::int64_t>(rintf(rows));
        return;
    }
    if (t.tuples >= 0) {
        t.has_rows = true;
        t.rows = static_cast<std::int64_t>(rintf(t.tuples));
    }
}

}  // namespace

RawErd* read_erd_catalog(const ReadOptions& options) {
    auto* raw = static_cast<RawErd*>(palloc0(sizeof(RawErd)));
    const Oid user = GetUserId();

    // extension members: their schemas and tables are not drawn
    HTAB* members = oid_map("erd extension members", 256);
    {
        ScanKeyData key;
        ScanKeyInit(&key, Anum_pg_depend_refclassid, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(ExtensionRelationId));
        scan_catalog(
            DependRelationId, DependReferenceIndexId, 1, &key, [&](HeapTuple tup, TupleDesc) {
                auto* d = reinterpret_cast<Form_pg_depend>(GETSTRUCT(tup));
                if (d->deptype == DEPENDENCY_EXTENSION &&
                    (d->classid == RelationRelationId || d->classid == NamespaceRelationId))
                    map_put(members, d->objid, 1);
            });
    }

    // the schemas drawn (position in `names`)
    HTAB* schemas = oid_map("erd schemas", 64);
    Rows<const char*> names{};
    scan_catalog(NamespaceRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* n = reinterpret_cast<Form_pg_namespace>(GETSTRUCT(tup));
        const char* name = NameStr(n->nspname);
        if (!user_namespace(name) || !schema_selected(options, name) ||
            map_get(members, n->oid) >= 0)
            return;
        map_put(schemas, n->oid, names.n);
        *push(names) = pstrdup(name);
    });

    // the tables the caller may see; every partition (to map partitions to
    // their root)
    SizeReader sizes{};
    if (options.dictionary) {
        HASHCTL ctl;
        memset(&ctl, 0, sizeof(ctl));
        ctl.keysize = sizeof(Oid);
        ctl.entrysize = sizeof(ClassEntry);
        ctl.hcxt = CurrentMemoryContext;
        sizes.classes =
            hash_create("erd classes", 4096, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
        sizes.files = file_sizes_create();
    }
    scan_catalog(RelationRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
        if (options.dictionary) {
            bool found;
            auto* e =
                static_cast<ClassEntry*>(hash_search(sizes.classes, &c->oid, HASH_ENTER, &found));
            e->relfilenode = c->relfilenode;
            e->tablespace = c->reltablespace;
            e->toast = c->reltoastrelid;
            e->kind = c->relkind;
            e->tuples = c->reltuples;
        }
        if (c->relispartition)
            *push(raw->partitions) = c->oid;
        char k = c->relkind;
        if ((k != RELKIND_RELATION && k != RELKIND_PARTITIONED_TABLE &&
             k != RELKIND_FOREIGN_TABLE) ||
            c->relispartition)
            return;
        int nsp = map_get(schemas, c->relnamespace);
        if (nsp < 0 || map_get(members, c->oid) >= 0)
            return;
        if (!table_visible(c->oid, c->relowner, user))
            return;
        bool owner = has_privs_of_role(user, c->relowner);
        RawTable* t = push(raw->tables);
        t->oid = c->oid;
        t->nsp = c->relnamespace;
        t->nspname = names.items[nsp];
        t->name = pstrdup(NameStr(c->relname));
        t->qualified = quote_qualified_identifier(t->nspname, t->name);
        t->kind = k;
        t->tuples = c->reltuples;
        t->all_columns_visible =
            owner || pg_class_aclcheck(c->oid, user, column_privileges) == ACLCHECK_OK;
    });
    if (raw->tables.n > 1)
        qsort(raw->tables.items, raw->tables.n, sizeof(RawTable), table_cmp);
    if (raw->partitions.n > 1)
        qsort(raw->partitions.items, raw->partitions.n, sizeof(Oid), oid_cmp);
    HTAB* tables = oid_map("erd tables", raw->tables.n + 16);
    for (int i = 0; i < raw->tables.n; ++i) map_put(tables, raw->tables.items[i].oid, i);

    scan_catalog(InheritsRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* h = reinterpret_cast<Form_pg_inherits>(GETSTRUCT(tup));
        RawInherit* out = push(raw->inherits);
        out->child = h->inhrelid;
        out->parent = h->inhparent;
    });

    // the columns the caller may see, with their types' names
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(TypeEntry::key);
    ctl.entrysize = sizeof(TypeEntry);
    ctl.hcxt = CurrentMemoryContext;
    HTAB* types = hash_create("erd types", 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    scan_catalog(AttributeRelationId, [&](HeapTuple tup, TupleDesc) {
        auto* a = reinterpret_cast<Form_pg_attribute>(GETSTRUCT(tup));
        if (a->attnum <= 0 || a->attisdropped)
            return;
        int t = map_get(tables, a->attrelid);
        if (t < 0)
            return;
        if (!raw->tables.items[t].all_columns_visible &&
            pg_attribute_aclcheck(a->attrelid, a->attnum, user, column_privileges) != ACLCHECK_OK)
            return;
        RawColumn* out = push(raw->columns);
        out->rel = a->attrelid;
        out->attnum = a->attnum;
        out->not_null = a->attnotnull;
        out->has_default = a->atthasdef;
        out->identity = a->attidentity;
        out->generated = a->attgenerated;
        out->name = pstrdup(NameStr(a->attname));
        out->type = type_name(types, a->atttypid, a->atttypmod);
    });

    if (options.dictionary) {
        // column defaults and generation expressions
        scan_catalog(AttrDefaultRelationId, [&](HeapTuple tup, TupleDesc desc) {
            auto* ad = reinterpret_cast<Form_pg_attrdef>(GETSTRUCT(tup));
            if (map_get(tables, ad->adrelid) < 0)
                return;
            bool isnull;
            Datum bin = heap_getattr(tup, Anum_pg_attrdef_adbin, desc, &isnull);
            if (isnull)
                return;
            const char* expr = call_text(pg_get_expr, 2, bin, ObjectIdGetDatum(ad->adrelid));
            if (expr == nullptr)
                return;
            RawComment* out = push(raw->defaults);
            out->rel = ad->adrelid;
            out->subid = ad->adnum;
            out->text = expr;
        });
        raw->database = get_database_name(MyDatabaseId);
    }

    // unique indexes (key markers of the tables; one-to-one foreign keys)
    scan_catalog(IndexRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
        if (options.dictionary && map_get(tables, i->indrelid) >= 0) {
            const char* name = get_rel_name(i->indexrelid);
            const char* definition = call_text(pg_get_indexdef, 1, ObjectIdGetDatum(i->indexrelid));
            if (name != nullptr) {
                RawDictIndex* out = push(raw->dict_indexes);
                out->rel = i->indrelid;
                out->unique = i->indisunique;
                out->primary = i->indisprimary;
                out->valid = i->indisvalid;
                out->name = name;
                out->definition = definition;
            }
        }
        if (options.dictionary && i->indislive) {
            IndexOf* x = push(sizes.indexes);
            x->table = i->indrelid;
            x->index = i->indexrelid;
        }
        if (!i->indisunique)
            return;
        RawIndex* out = push(raw->indexes);
        out->rel = i->indrelid;
        out->primary = i->indisprimary;
        out->valid = i->indisvalid;
        out->partial = !heap_attisnull(tup, Anum_pg_index_indpred, desc);
        out->expressions = !heap_attisnull(tup, Anum_pg_index_indexprs, desc);
        out->nkey = i->indnkeyatts;
        auto* keys = static_cast<int16*>(palloc(sizeof(int16) * (out->nkey > 0 ? out->nkey : 1)));
        for (int k = 0; k < out->nkey; ++k) keys[k] = i->indkey.values[k];
        out->key = keys;
    });

    if (options.dictionary) {
        if (sizes.indexes.n > 1)
            qsort(sizes.indexes.items, sizes.indexes.n, sizeof(IndexOf), index_of_cmp);
        for (int i = 0; i < raw->tables.n; ++i) read_size(sizes, raw->tables.items[i]);
    }

    // primary and foreign keys of the tables; foreign keys declared on a
    // partition count too (they are drawn from its root). The dictionary
    // also lists every constraint of the tables, and the foreign keys to
    // them from the tables the caller may see.
    scan_catalog(ConstraintRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* k = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tup));
        const bool fk = k->contype == CONSTRAINT_FOREIGN;
        const bool of_table = map_get(tables, k->conrelid) >= 0;
        const bool drawn_fk =
            fk && !OidIsValid(k->conparentid) &&
            (of_table || bsearch(&k->conrelid, raw->partitions.items, raw->partitions.n,
                                 sizeof(Oid), oid_cmp) != nullptr);
        bool listed = options.dictionary && of_table;
        bool referenced = false;
        const char* rel_schema = nullptr;
        const char* rel_name = nullptr;
        if (options.dictionary && fk && !OidIsValid(k->conparentid) &&
            map_get(tables, k->confrelid) >= 0) {
            // from a table the caller may see, drawn or not
            HeapTuple ct = SearchSysCache1(RELOID, ObjectIdGetDatum(k->conrelid));
            if (HeapTupleIsValid(ct)) {
                auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(ct));
                Oid owner = c->relowner;
                rel_name = pstrdup(NameStr(c->relname));
                Oid nsp = c->relnamespace;
                ReleaseSysCache(ct);
                referenced = table_visible(k->conrelid, owner, user);
                rel_schema = get_namespace_name(nsp);
            }
        }
        const bool marker = of_table && (k->contype == CONSTRAINT_PRIMARY || fk);
        if (!marker && !drawn_fk && !listed && !referenced)
            return;
        bool isnull;
        Datum d = heap_getattr(tup, Anum_pg_constraint_conkey, desc, &isnull);
        RawKey* out = push(raw->keys);
        out->oid = k->oid;
        out->rel = k->conrelid;
        out->ref_rel = k->confrelid;
        out->edge = drawn_fk;
        out->type = k->contype;
        out->on_delete = k->confdeltype;
        out->validated = k->convalidated;
        out->of_table = listed;
        out->referenced = referenced;
        out->rel_schema = rel_schema;
        out->rel_name = rel_name;
        out->name = pstrdup(NameStr(k->conname));
        int n = 0;
        out->key = isnull ? static_cast<int16*>(palloc0(sizeof(int16))) : copy_int2_array(d, &n);
        out->nkey = n;
        if (listed || referenced)
            out->definition = call_text(pg_get_constraintdef, 1, ObjectIdGetDatum(k->oid));
        if (!fk || !(drawn_fk || listed || referenced))
            return;
        out->key_names = column_names(k->conrelid, out->key, n, &out->key_nullable);
        if (listed) {
            relation_names(k->confrelid, &out->ref_schema, &out->ref_table);
            Datum f = heap_getattr(tup, Anum_pg_constraint_confkey, desc, &isnull);
            int nref = 0;
            const int16* ref_key = isnull ? nullptr : copy_int2_array(f, &nref);
            out->ref_names = column_names(k->confrelid, ref_key, nref, nullptr);
            out->nref = nref;
        }
    });

    if (options.dictionary)
        scan_catalog(TriggerRelationId, [&](HeapTuple tup, TupleDesc) {
            auto* g = reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tup));
            if (g->tgisinternal || map_get(tables, g->tgrelid) < 0)
                return;
            RawTrigger* out = push(raw->triggers);
            out->rel = g->tgrelid;
            out->enabled = g->tgenabled;
            out->name = pstrdup(NameStr(g->tgname));
            out->definition = call_text(pg_get_triggerdef, 1, ObjectIdGetDatum(g->oid));
        });

    // comments of the tables and their columns
    scan_catalog(DescriptionRelationId, [&](HeapTuple tup, TupleDesc desc) {
        auto* c = reinterpret_cast<Form_pg_description>(GETSTRUCT(tup));
        if (c->classoid != RelationRelationId || map_get(tables, c->objoid) < 0)
            return;
        bool isnull;
        Datum d = heap_getattr(tup, Anum_pg_description_description, desc, &isnull);
        if (isnull)
            return;
        RawComment* out = push(raw->comments);
        out->rel = c->objoid;
        out->subid = c->objsubid;
        out->text = TextDatumGetCString(d);
    });
    return raw;
}

}  // namespace schema_oracle::pg::erd
