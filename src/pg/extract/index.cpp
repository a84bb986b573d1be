// index.cpp: CREATE INDEX and REINDEX (DROP INDEX is with the other DROPs,
// breaking.cpp). The safe alternative rebuilds the user's own definition
// with CONCURRENTLY, under the name PostgreSQL would choose.
#include "extract.hpp"
#include "schema_oracle/upstream/refusals.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "catalog/index.h"
#include "catalog/pg_class.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg::extract {

namespace {

// " USING m (a, (expr) DESC) INCLUDE (c) WHERE p": what follows ON <table>.
void append_definition(StringInfo buf, IndexStmt* s, Relation rel) {
    if (s->accessMethod && strcmp(s->accessMethod, "btree") != 0)
        appendStringInfo(buf, " USING %s", quote_identifier(s->accessMethod));
    appendStringInfoString(buf, " (");
    ListCell* lc;
    bool first = true;
    foreach (lc, s->indexParams) {
        IndexElem* e = (IndexElem*)lfirst(lc);
        if (!first)
            appendStringInfoString(buf, ", ");
        first = false;
        if (e->name)
            appendStringInfoString(buf, quote_identifier(e->name));
        else if (e->expr && rel)
            appendStringInfo(buf, "(%s)", deparse_over(e->expr, rel, EXPR_KIND_INDEX_EXPRESSION));
        if (e->ordering == SORTBY_DESC)
            appendStringInfoString(buf, " DESC");
        if (e->nulls_ordering == SORTBY_NULLS_FIRST)
            appendStringInfoString(buf, " NULLS FIRST");
        if (e->nulls_ordering == SORTBY_NULLS_LAST)
            appendStringInfoString(buf, " NULLS LAST");
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
    if (s->whereClause && rel)
        appendStringInfo(buf, " WHERE %s",
                         deparse_over(s->whereClause, rel, EXPR_KIND_INDEX_PREDICATE));
}

}  // namespace

void extract_create_index(Node* stmt, ActionList* out) {
    IndexStmt* s = (IndexStmt*)stmt;
    Oid target = resolve(s->relation);
    if (!OidIsValid(target) || !is_table_or_matview(target))
        return;  // a new table, or an error PostgreSQL reports itself
    if (upstream::create_index_refused(target, s))
        return;  // PostgreSQL refuses it (src/upstream/refusals.cpp)
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
    a->create_index.name =
        quoted(s->idxname ? s->idxname
                          : upstream::choose_index_name(get_rel_name(relid),
                                                        get_rel_namespace(relid), colnames, s));
}

bool create_index_is_trivial(Node* stmt, TriageNote*) {
    IndexStmt* s = (IndexStmt*)stmt;
    if (s->concurrent)
        return false;
    Oid relid = resolve_quietly(s->relation);
    TableFacts table;
    return new_in_xact(relid) || small_existing_table(relid, &table);
}

void extract_reindex(Node* stmt, ActionList* out) {
    ReindexStmt* s = (ReindexStmt*)stmt;
    if (s->kind != REINDEX_OBJECT_INDEX && s->kind != REINDEX_OBJECT_TABLE)
        return;
    bool concurrent = guard_option_true(s->params, "concurrently");
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
