// index.cpp: CREATE INDEX and REINDEX (DROP INDEX is with the other DROPs,
// breaking.cpp). The safe alternative rebuilds the user's own definition
// with CONCURRENTLY, under the name PostgreSQL would choose.
#include "extract.hpp"
#include "schema_oracle/upstream/refusals.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/catalog.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_inherits.h"
#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/fmgroids.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

// " (name = 'value', ...)": reloptions or an operator class's options, each
// value a string literal (PostgreSQL parses every reloption from text).
void append_reloptions(StringInfo buf, List* options) {
    appendStringInfoString(buf, " (");
    ListCell* lc;
    bool first = true;
    foreach (lc, options) {
        DefElem* d = (DefElem*)lfirst(lc);
        if (!first)
            appendStringInfoString(buf, ", ");
        first = false;
        if (d->defnamespace != nullptr)
            appendStringInfo(buf, "%s.", quote_identifier(d->defnamespace));
        appendStringInfoString(buf, quote_identifier(d->defname));
        if (d->arg != nullptr)
            appendStringInfo(buf, " = %s", quote_literal_cstr(defGetString(d)));
    }
    appendStringInfoChar(buf, ')');
}

void append_index_elem(StringInfo buf, IndexElem* e, Relation rel) {
    if (e->name)
        appendStringInfoString(buf, quote_identifier(e->name));
    else if (e->expr && rel)
        appendStringInfo(buf, "(%s)", deparse_over(e->expr, rel, EXPR_KIND_INDEX_EXPRESSION));
    if (e->collation != NIL)
        appendStringInfo(buf, " COLLATE %s", NameListToQuotedString(e->collation));
    if (e->opclass != NIL) {
        appendStringInfo(buf, " %s", NameListToQuotedString(e->opclass));
        if (e->opclassopts != NIL)
            append_reloptions(buf, e->opclassopts);
    }
    if (e->ordering == SORTBY_DESC)
        appendStringInfoString(buf, " DESC");
    if (e->nulls_ordering == SORTBY_NULLS_FIRST)
        appendStringInfoString(buf, " NULLS FIRST");
    if (e->nulls_ordering == SORTBY_NULLS_LAST)
        appendStringInfoString(buf, " NULLS LAST");
}

void append_including(StringInfo buf, List* including) {
    if (including == NIL)
        return;
    appendStringInfoString(buf, " INCLUDE (");
    append_name_list(buf, including);
    appendStringInfoChar(buf, ')');
}

namespace {

// " USING m (a COLLATE c opclass (opts), (expr) DESC) INCLUDE (c) NULLS NOT
// DISTINCT WITH (...) TABLESPACE t WHERE p": what follows ON <table>, every
// clause of the user's statement kept (a hint without the operator class
// builds an index the queries it was for cannot use).
void append_definition(StringInfo buf, IndexStmt* s, Relation rel) {
    // rtree is what DefineIndex builds for it: gist.
    if (s->accessMethod && strcmp(s->accessMethod, "btree") != 0)
        appendStringInfo(
            buf, " USING %s",
            strcmp(s->accessMethod, "rtree") == 0 ? "gist" : quote_identifier(s->accessMethod));
    appendStringInfoString(buf, " (");
    ListCell* lc;
    bool first = true;
    foreach (lc, s->indexParams) {
        if (!first)
            appendStringInfoString(buf, ", ");
        first = false;
        append_index_elem(buf, (IndexElem*)lfirst(lc), rel);
    }
    appendStringInfoChar(buf, ')');
    if (s->indexIncludingParams != NIL) {
        appendStringInfoString(buf, " INCLUDE (");
        first = true;
        foreach (lc, s->indexIncludingParams) {
            IndexElem* e = (IndexElem*)lfirst(lc);
            if (!first)
                appendStringInfoString(buf, ", ");
            first = false;
            appendStringInfoString(buf, e->name ? quote_identifier(e->name) : "...");
        }
        appendStringInfoChar(buf, ')');
    }
    if (s->nulls_not_distinct)
        appendStringInfoString(buf, " NULLS NOT DISTINCT");
    if (s->options != NIL) {
        appendStringInfoString(buf, " WITH");
        append_reloptions(buf, s->options);
    }
    if (s->tableSpace != nullptr)
        appendStringInfo(buf, " TABLESPACE %s", quote_identifier(s->tableSpace));
    if (s->whereClause && rel)
        appendStringInfo(buf, " WHERE %s",
                         deparse_over(s->whereClause, rel, EXPR_KIND_INDEX_PREDICATE));
}

// One step: its kind and two names, each NUL-terminated.
void append_step(StringInfo out, char kind, const char* first, const char* second) {
    appendStringInfoChar(out, kind);
    appendStringInfoChar(out, '\0');
    appendBinaryStringInfo(out, first, static_cast<int>(strlen(first)) + 1);
    appendBinaryStringInfo(out, second, static_cast<int>(strlen(second)) + 1);
}

}  // namespace

bool has_foreign_partition(Oid relid) {
    List* all = find_all_inheritors(relid, NoLock, nullptr);
    ListCell* lc;
    foreach (lc, all)
        if (get_rel_relkind(lfirst_oid(lc)) == RELKIND_FOREIGN_TABLE)
            return true;
    return false;
}

bool partition_index_steps(Oid parent, const char* parent_index, IndexStmt* s, List* colnames,
                           List** taken, bool constraint, StringInfo out) {
    List* children = find_inheritance_children(parent, NoLock);
    ListCell* lc;
    foreach (lc, children) {
        const Oid child = lfirst_oid(lc);
        const char kind = get_rel_relkind(child);
        if (kind == RELKIND_FOREIGN_TABLE)
            return false;
        if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
            continue;
        const Oid nsp = get_rel_namespace(child);
        const char* schema = get_namespace_name(nsp);
        const char* relname = get_rel_name(child);
        if (schema == nullptr || relname == nullptr)
            continue;  // dropped meanwhile
        const char* table = quote_qualified_identifier(schema, relname);
        const bool sub = kind == RELKIND_PARTITIONED_TABLE;
        if (s == nullptr) {
            // No index: each partition, the leaves' before their level's.
            if (sub && !partition_index_steps(child, "", nullptr, NIL, taken, true, out))
                return false;
            append_step(out, sub ? 'c' : 'l', table, "");
            continue;
        }
        if (!constraint) {
            // A partition that already has the index: DefineIndex attaches
            // it (and names nothing), so the recipe does too.
            if (const char* existing = upstream::reusable_partition_index(child, parent, s)) {
                append_step(out, 'a', parent_index, existing);
                continue;
            }
        }
        char* name = upstream::choose_index_name(relname, nsp, colnames, s, *taken);
        *taken = lappend(*taken, psprintf("%u.%s", nsp, name));
        const char* index = quote_qualified_identifier(schema, name);
        if (constraint) {
            // A key: the leaves' first, then each level's own, which adopts them.
            if (sub && !partition_index_steps(child, index, s, colnames, taken, true, out))
                return false;
            append_step(out, sub ? 'c' : 'l', table, quote_identifier(name));
            continue;
        }
        // CREATE INDEX takes the bare name (the index goes into its table's
        // schema); ALTER INDEX ... ATTACH PARTITION the qualified ones.
        append_step(out, sub ? 'c' : 'l', table, quote_identifier(name));
        if (sub && !partition_index_steps(child, index, s, colnames, taken, false, out))
            return false;
        append_step(out, 'a', parent_index, index);
    }
    return true;
}

void extract_create_index(Node* stmt, ActionList* out) {
    IndexStmt* s = (IndexStmt*)stmt;
    Oid target = resolve(s->relation);
    if (!OidIsValid(target) || !is_table_or_matview(target))
        return;  // a new table, or an error PostgreSQL reports itself
    if (upstream::create_index_refused(target, s))
        return;  // PostgreSQL refuses it (src/upstream/*refusals.cpp)
    // CREATE INDEX ... ON ONLY <partitioned table> builds nothing: it
    // creates an invalid index on the parent alone (DefineIndex, PostgreSQL
    // 15, skips the partitions when the RangeVar has inh = false), under a
    // brief SHARE lock: only lock discipline applies.
    if (!s->relation->inh && get_rel_relkind(target) == RELKIND_PARTITIONED_TABLE) {
        ActionFacts* a = new_action(out, Action::other);
        guard_table_facts(target, &a->table);
        fill_lock(a, target, s->concurrent ? ShareUpdateExclusiveLock : ShareLock);
        return;
    }
    // DefineIndex refuses a unique index on a partitioned table with a
    // foreign partition ("contains partitions that are foreign tables"):
    // PostgreSQL's own error.
    if (s->unique && s->relation->inh && get_rel_relkind(target) == RELKIND_PARTITIONED_TABLE &&
        has_foreign_partition(target))
        return;
    ActionFacts* a = new_action(out, Action::create_index);
    Oid relid = fill_table(a, s->relation);
    a->concurrent = s->concurrent;
    a->create_index.unique = s->unique;
    a->create_index.if_not_exists = s->if_not_exists;
    fill_lock(a, relid, s->concurrent ? ShareUpdateExclusiveLock : ShareLock);
    if (s->concurrent || !size_rules_apply(a->table))
        return;

    // The statement to suggest: the user's own definition with CONCURRENTLY.
    StringInfoData def;
    initStringInfo(&def);
    Relation rel = RelationIdGetRelation(relid);
    append_definition(&def, s, rel);
    if (rel)
        RelationClose(rel);
    a->create_index.definition = text_of(def);
    List* colnames = upstream::index_column_names(s);
    a->create_index.key_name = copy_text(upstream::index_name_addition(colnames));
    const Oid nsp = get_rel_namespace(relid);
    const char* name = s->idxname
                           ? s->idxname
                           : upstream::choose_index_name(get_rel_name(relid), nsp, colnames, s);
    a->create_index.name = quoted(name);
    a->create_index.qualified_name =
        copy_text(quote_qualified_identifier(get_namespace_name(nsp), name));
    if (a->table.partitioned) {
        StringInfoData steps;
        initStringInfo(&steps);
        List* taken = list_make1(psprintf("%u.%s", nsp, name));
        if (partition_index_steps(relid, a->create_index.qualified_name.data(), s, colnames, &taken,
                                  false, &steps))
            a->create_index.partition_steps = Text(steps.data, static_cast<std::size_t>(steps.len));
        else
            a->create_index.foreign_partition = true;
    }
}

bool create_index_is_trivial(Node* stmt, TriageNote*) {
    IndexStmt* s = (IndexStmt*)stmt;
    if (s->concurrent)
        return false;
    Oid relid = resolve_quietly(s->relation);
    TableFacts table;
    return new_in_xact(relid) || small_existing_table(relid, &table);
}

namespace {

// REINDEX SCHEMA / DATABASE / SYSTEM: the tables ReindexMultipleTables()
// would rebuild (plain tables and materialized views of the schema, of the
// database, or the system catalogs; not other sessions' temporary tables,
// not shared catalogs the user does not own), their sizes summed. One scan
// of pg_class (these statements are rare and never in a migration's loop).
void extract_reindex_many(ReindexStmt* s, bool concurrent, ActionList* out) {
    Oid nsp = InvalidOid;
    if (s->kind == REINDEX_OBJECT_SCHEMA) {
        nsp = get_namespace_oid(s->name, true);
        if (!OidIsValid(nsp))
            return;  // PostgreSQL reports it
    } else if (s->name != nullptr && strcmp(s->name, get_database_name(MyDatabaseId)) != 0) {
        return;  // "can only reindex the currently open database"
    }
    ActionFacts* a = new_action(out, Action::reindex);
    a->concurrent = concurrent;
    a->index.scope = s->kind == REINDEX_OBJECT_SCHEMA     ? core::ReindexScope::schema
                     : s->kind == REINDEX_OBJECT_DATABASE ? core::ReindexScope::database
                                                          : core::ReindexScope::system;
    core::TableFacts* t = &a->table;
    t->found = true;
    t->bytes = 0;
    t->tuples = 0;
    // The schema or database, quoted, for the statement to suggest; the
    // "table" is all of them, as the lock rules name it.
    a->index.qname =
        quoted(s->kind == REINDEX_OBJECT_SCHEMA ? s->name : get_database_name(MyDatabaseId));
    const char* what = s->kind == REINDEX_OBJECT_SCHEMA     ? "each table of schema %s"
                       : s->kind == REINDEX_OBJECT_DATABASE ? "each table of database %s"
                                                            : "each system catalog of database %s";
    t->qname = copy_text(psprintf(what, a->index.qname.data()));
    t->name = t->qname;
    bool tuples_unknown = false, bytes_unknown = false;
    Relation pg_class = table_open(RelationRelationId, AccessShareLock);
    ScanKeyData key;
    int nkeys = 0;
    if (OidIsValid(nsp)) {
        ScanKeyInit(&key, Anum_pg_class_relnamespace, BTEqualStrategyNumber, F_OIDEQ,
                    ObjectIdGetDatum(nsp));
        nkeys = 1;
    }
    TableScanDesc scan = table_beginscan_catalog(pg_class, nkeys, nkeys ? &key : nullptr);
    HeapTuple tup;
    while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
        auto* c = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup));
        if (c->relkind != RELKIND_RELATION && c->relkind != RELKIND_MATVIEW)
            continue;
        if (c->relpersistence == RELPERSISTENCE_TEMP && !isTempNamespace(c->relnamespace))
            continue;
        if (s->kind == REINDEX_OBJECT_SYSTEM && !IsSystemClass(c->oid, c))
            continue;
        if (c->relisshared && !pg_class_ownercheck(c->oid, GetUserId()))
            continue;
        if (concurrent && IsCatalogRelationOid(c->oid))
            continue;  // CONCURRENTLY skips the catalogs
        a->index.tables++;
        add_relation_size(c->oid, t, &tuples_unknown, &bytes_unknown);
    }
    table_endscan(scan);
    table_close(pg_class, AccessShareLock);
    if (tuples_unknown && t->bytes > 0)
        t->tuples = -1;
    if (bytes_unknown)
        t->bytes = -1;  // a table locked away and never analysed: unknown counts as big
    if (a->index.tables == 0)
        t->found = false;  // nothing to rebuild
    // SHARE on each table in turn; no single table to name for the lock
    // rules (missing_lock_timeout speaks of the statement's scope).
    fill_lock(a, InvalidOid, concurrent ? ShareUpdateExclusiveLock : ShareLock);
}

}  // namespace

void extract_reindex(Node* stmt, ActionList* out) {
    ReindexStmt* s = (ReindexStmt*)stmt;
    bool concurrent = guard_option_true(s->params, "concurrently");
    if (s->kind == REINDEX_OBJECT_SCHEMA || s->kind == REINDEX_OBJECT_DATABASE ||
        s->kind == REINDEX_OBJECT_SYSTEM) {
        extract_reindex_many(s, concurrent, out);
        return;
    }
    if (s->kind != REINDEX_OBJECT_INDEX && s->kind != REINDEX_OBJECT_TABLE)
        return;
    Oid relid = resolve(s->relation);
    Oid table = relid;
    if (OidIsValid(relid) && s->kind == REINDEX_OBJECT_INDEX)
        table = IndexGetRelation(relid, true);
    if (!OidIsValid(table) || !is_table_or_matview(table))
        return;  // PostgreSQL reports it
    ActionFacts* a = new_action(out, Action::reindex);
    a->concurrent = concurrent;
    if (s->kind == REINDEX_OBJECT_INDEX)
        a->index.qname = qualified_name(relid);
    guard_table_facts(table, &a->table);
    fill_lock(a, table, concurrent ? ShareUpdateExclusiveLock : ShareLock);
}

}  // namespace schema_oracle::pg::extract
