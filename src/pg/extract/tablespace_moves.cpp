// tablespace_moves.cpp: the tablespace moves ALTER TABLE ... SET TABLESPACE
// does not cover: ALTER INDEX / ALTER MATERIALIZED VIEW ... SET TABLESPACE
// (the relation's files are copied block by block under ACCESS
// EXCLUSIVE; for an index, every query on its table must open it, so they
// all wait), and ALTER TABLE / INDEX / MATERIALIZED VIEW ALL IN TABLESPACE
// (every matching relation is locked ACCESS EXCLUSIVE up front and copied,
// the locks held until commit). Which relations ALL IN TABLESPACE moves is
// PostgreSQL's AlterTableMoveAll (tablecmds.c, PostgreSQL 15): those of the
// requested kind in the tablespace (0 in pg_class for the database's
// default), outside pg_catalog, TOAST and temporary schemas, not shared, and
// owned by one of the OWNED BY roles when given.
#include "extract.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/catalog.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "commands/tablespace.h"
#include "commands/user.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

namespace {

Oid effective_tablespace(Oid ts) {
    return OidIsValid(ts) ? ts : MyDatabaseTableSpace;
}

char relkind_of(ObjectType objtype) {
    switch (objtype) {
        case OBJECT_TABLE:
            return RELKIND_RELATION;
        case OBJECT_INDEX:
            return RELKIND_INDEX;
        case OBJECT_MATVIEW:
            return RELKIND_MATVIEW;
        default:
            return '\0';
    }
}

}  // namespace

// ALTER INDEX / ALTER MATERIALIZED VIEW ... SET TABLESPACE.
void extract_alter_relation_tablespace(AlterTableStmt* s, ActionList* out) {
    if (list_length(s->cmds) != 1)
        return;
    AlterTableCmd* cmd = (AlterTableCmd*)linitial(s->cmds);
    if (cmd->subtype != AT_SetTableSpace)
        return;
    const Oid relid = resolve(s->relation);
    if (!OidIsValid(relid) || get_rel_relkind(relid) != relkind_of(s->objtype))
        return;  // PostgreSQL reports it
    const Oid ts = get_tablespace_oid(cmd->name, true);
    if (!OidIsValid(ts) ||
        effective_tablespace(ts) == effective_tablespace(get_rel_tablespace(relid)))
        return;  // an error, or a no-op
    ActionFacts* a = new_action(out, Action::set_tablespace);
    guard_table_facts(relid, &a->table);
    a->storage.tablespace = quoted(cmd->name);
    fill_lock(a, relid, AccessExclusiveLock);
    if (s->objtype == OBJECT_INDEX) {
        const Oid heap = IndexGetRelation(relid, true);
        if (OidIsValid(heap))
            a->storage.index_of = qualified_name(heap);
    }
}

// ALTER TABLE / INDEX / MATERIALIZED VIEW ALL IN TABLESPACE ... SET TABLESPACE.
void extract_move_all(Node* stmt, ActionList* out) {
    AlterTableMoveAllStmt* s = (AlterTableMoveAllStmt*)stmt;
    const char kind = relkind_of(s->objtype);
    const Oid from = get_tablespace_oid(s->orig_tablespacename, true);
    const Oid to = get_tablespace_oid(s->new_tablespacename, true);
    if (kind == '\0' || !OidIsValid(from) || !OidIsValid(to) || from == to)
        return;  // an error, or a no-op (PostgreSQL says so itself)
    List* roles = s->roles != NIL ? roleSpecsToIds(s->roles) : NIL;
    // pg_class stores 0 for the database's default tablespace.
    const Oid stored = from == MyDatabaseTableSpace ? InvalidOid : from;
    Relation pg_class_rel = table_open(RelationRelationId, AccessShareLock);
    TableScanDesc scan = table_beginscan_catalog(pg_class_rel, 0, nullptr);
    HeapTuple tup;
    Oid biggest = InvalidOid;
    TableFacts biggest_facts;
    int count = 0;
    int64 total = 0;
    bool unknown = false;
    while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
        Form_pg_class c = (Form_pg_class)GETSTRUCT(tup);
        if (c->reltablespace != stored || c->relkind != kind || c->relisshared ||
            IsCatalogNamespace(c->relnamespace) || IsToastNamespace(c->relnamespace) ||
            isAnyTempNamespace(c->relnamespace))
            continue;
        if (roles != NIL && !list_member_oid(roles, c->relowner))
            continue;
        TableFacts f;
        guard_table_facts(c->oid, &f);
        if (!f.found || f.created_in_xact)
            continue;
        ++count;
        if (f.bytes < 0)
            unknown = true;
        else
            total += f.bytes;
        // The biggest (an unknown size counts as biggest; ties: the oldest).
        const bool bigger =
            !OidIsValid(biggest) ||
            (biggest_facts.bytes >= 0 && (f.bytes < 0 || f.bytes > biggest_facts.bytes ||
                                          (f.bytes == biggest_facts.bytes && c->oid < biggest)));
        if (bigger) {
            biggest = c->oid;
            biggest_facts = f;
        }
    }
    table_endscan(scan);
    table_close(pg_class_rel, AccessShareLock);
    if (!OidIsValid(biggest))
        return;
    ActionFacts* a = new_action(out, Action::set_tablespace);
    a->table = biggest_facts;
    a->whole_database = true;
    a->storage.tablespace = quoted(s->new_tablespacename);
    a->storage.from_tablespace = quoted(s->orig_tablespacename);
    a->storage.relations = count;
    a->storage.total_bytes = unknown ? -1 : total;
    if (kind == RELKIND_INDEX) {
        const Oid heap = IndexGetRelation(biggest, true);
        if (OidIsValid(heap))
            a->storage.index_of = qualified_name(heap);
    }
    fill_lock(a, biggest, AccessExclusiveLock);
}

}  // namespace schema_oracle::pg::extract
