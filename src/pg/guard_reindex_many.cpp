// guard_reindex_many.cpp: the facts of REINDEX SCHEMA / DATABASE / SYSTEM
// for reindex_not_concurrently: the size is summed over the indexes they
// would rebuild (pg_class.relpages of every index in the schema, the
// database's user schemas plus the catalogs, or the catalogs only), read in
// one pass over pg_class without taking a lock on any of them.
#include "schema_oracle/pg/guard.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/catalog.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg {

namespace {

void set_text(char* to, size_t cap, const char* from) { strlcpy(to, from ? from : "", cap); }

}  // namespace

void guard_extract_reindex_many(ReindexStmt* stmt, bool concurrent, ActionList* out) {
    const char* kind = stmt->kind == REINDEX_OBJECT_SCHEMA     ? "SCHEMA"
                       : stmt->kind == REINDEX_OBJECT_DATABASE ? "DATABASE"
                       : stmt->kind == REINDEX_OBJECT_SYSTEM   ? "SYSTEM"
                                                               : nullptr;
    if (kind == nullptr) return;
    Oid nsp = InvalidOid;
    const char* name = stmt->name;
    if (stmt->kind == REINDEX_OBJECT_SCHEMA) {
        nsp = get_namespace_oid(stmt->name, true);
        if (!OidIsValid(nsp)) return;  // PostgreSQL reports it
    } else if (name == nullptr) {
        name = get_database_name(MyDatabaseId);  // the name is optional
    }
    int64 pages = 0;
    Relation rel = table_open(RelationRelationId, AccessShareLock);
    TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
    HeapTuple tup;
    while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
        auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
        if (c->relkind != RELKIND_INDEX || c->relpersistence == RELPERSISTENCE_TEMP) continue;
        const bool catalog = IsCatalogNamespace(c->relnamespace) || IsToastNamespace(c->relnamespace);
        if (stmt->kind == REINDEX_OBJECT_SCHEMA && c->relnamespace != nsp) continue;
        if (stmt->kind == REINDEX_OBJECT_SYSTEM && !catalog) continue;
        if (stmt->kind == REINDEX_OBJECT_DATABASE && concurrent && catalog) continue;  // skipped
        pages += c->relpages;
    }
    table_endscan(scan);
    table_close(rel, AccessShareLock);

    if (out->count == out->capacity) {
        int cap = out->capacity ? out->capacity * 2 : 4;
        out->items = static_cast<core::ActionFacts*>(
            out->items ? repalloc(out->items, sizeof(core::ActionFacts) * cap)
                       : palloc(sizeof(core::ActionFacts) * cap));
        out->capacity = cap;
    }
    core::ActionFacts* a = &out->items[out->count++];
    memset(a, 0, sizeof *a);
    a->action = core::Action::reindex;
    a->concurrent = concurrent;
    a->lock = concurrent ? core::Lock::share_update_exclusive : core::Lock::share;
    // One table at a time, each in its own transaction: no lock queue on a
    // single table to bound with lock_timeout beyond what REINDEX TABLE has.
    a->lock_already_held = true;
    a->table.found = true;
    a->table.created_in_xact = false;
    a->table.bytes = pages * BLCKSZ;
    a->table.tuples = -1;
    set_text(a->extra_sql, sizeof a->extra_sql, kind);  // REINDEX <kind> <name>
    set_text(a->object, sizeof a->object, quote_identifier(name ? name : ""));
    set_text(a->table.qname, sizeof a->table.qname, a->object);
}

}  // namespace schema_oracle::pg
