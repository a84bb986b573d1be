// ddl_log_created.cpp: a CREATE TABLE's object identities for the DDL log,
// noted while the statement creates its relations, so that its
// ddl_command_end need not call pg_event_trigger_ddl_commands() (some
// 70,000 instructions for a table with an identity key, two indexes and a
// foreign key: most of what the log costs an autocommit migration).
//
// What the function reports for a CREATE TABLE is the commands
// ProcessUtilitySlow() collected, in the order they ran: transformCreateStmt()
// turns the statement into CREATE SEQUENCE for each serial or identity
// column, the CREATE TABLE itself, then CREATE INDEX for each PRIMARY KEY,
// UNIQUE and EXCLUDE constraint, an ALTER TABLE adding the foreign keys,
// and ALTER SEQUENCE ... OWNED BY for each sequence. Every statement but the
// CREATE TABLE runs as a sub-command through ProcessUtility (our hook sees
// each, marked as such); the ALTER TABLE and ALTER SEQUENCE name objects
// already named (the log keeps each identity once). So the identities are
// exactly the relations created, in order, by: the CREATE TABLE itself (its
// table only: its TOAST table and index, and the indexes a partition clones
// from its parent, are created inside it but collected by no command), and
// each CREATE SEQUENCE and CREATE INDEX sub-command (one relation each).
// PostgreSQL announces every relation it creates to object_access_hook
// (OAT_POST_CREATE) while its relcache entry is open: that is where they are
// noted, with the identity getObjectIdentity() gives a relation.
//
// Anything outside that shape makes the statement read the function as
// before: LIKE (its expansion adds COMMENT and CREATE STATISTICS
// sub-commands, which create no relation), a relation created where this
// file does not expect one, a sub-command creating two, a nested CREATE
// TABLE (a user's event trigger), a statement end or rollback in between.
// Statements a user's trigger or function runs inside it are statements of
// their own (not sub-commands): their relations are not this statement's.
//
// C land: no C++ object with a destructor; every call may ereport.
#include "schema_oracle/pg/ddl_log.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/objectaccess.h"
#include "catalog/pg_class.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
}

namespace schema_oracle::pg {

namespace {

object_access_hook_type previous_hook = nullptr;
bool hook_installed = false;

MemoryContext noted_cxt = nullptr;  // reset at each CREATE TABLE's begin
bool active = false;                // a CREATE TABLE is being noted
bool exact = false;                 // and everything it created so far was understood
int create_level = -1;              // its level in the running statements
SubTransactionId began_subid = InvalidSubTransactionId;
bool table_noted = false;
Node* last_subcommand = nullptr;  // the sub-command that created the last relation
Node* noted_statement = nullptr;  // the ddl_command_start parse tree the notes belong to
DdlCommand* noted = nullptr;
int noted_count = 0, noted_cap = 0;
// The CREATE TABLE whose command collection the guard switched off (its
// ddl_command_start parse tree), because its identities are noted here.
Node* collection_off_statement = nullptr;

bool has_like(const CreateStmt* stmt) {
    ListCell* lc;
    foreach (lc, stmt->tableElts)
        if (IsA(lfirst(lc), TableLikeClause))
            return true;
    return false;
}

void note(Oid relid, const char* tag, const char* type, Relation rel) {
    MemoryContext old = MemoryContextSwitchTo(noted_cxt);
    if (noted_count == noted_cap) {
        noted_cap = noted_cap ? noted_cap * 2 : 8;
        noted = static_cast<DdlCommand*>(noted ? repalloc(noted, sizeof(DdlCommand) * noted_cap)
                                               : palloc(sizeof(DdlCommand) * noted_cap));
    }
    DdlCommand& c = noted[noted_count++];
    c.classid = RelationRelationId;
    c.objid = relid;
    c.objsubid = 0;
    c.command_tag = tag;
    c.object_type = type;
    // getObjectIdentity() of a relation: its schema (pg_temp for this
    // session's temporary schema) and name, quoted.
    c.object_identity = pstrdup(quote_qualified_identifier(
        get_namespace_name_or_temp(RelationGetNamespace(rel)), RelationGetRelationName(rel)));
    c.in_extension = false;
    MemoryContextSwitchTo(old);
}

// A relation was created (its relcache entry is open) while the noted
// CREATE TABLE runs.
void relation_created(Oid relid) {
    const int depth = ddl_log_running_depth();
    if (depth <= create_level) {  // the statement is over: a missed end
        exact = false;
        return;
    }
    for (int level = create_level + 1; level < depth; ++level) {
        bool subcommand;
        if (ddl_log_running_statement(level, &subcommand) == nullptr) {
            exact = false;  // deeper than the running statements kept
            return;
        }
        if (!subcommand)
            return;  // a statement of its own (a trigger's, a function's): not ours
    }
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr) {
        exact = false;
        return;
    }
    const char kind = rel->rd_rel->relkind;
    if (depth == create_level + 1) {
        // The CREATE TABLE itself: its table, collected; its TOAST table
        // and index and a partition's cloned indexes, not.
        if ((kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE) && !table_noted) {
            table_noted = true;
            note(relid, "CREATE TABLE", "table", rel);
        } else if (kind != RELKIND_TOASTVALUE && kind != RELKIND_INDEX &&
                   kind != RELKIND_PARTITIONED_INDEX) {
            exact = false;
        }
    } else if (depth == create_level + 2) {
        bool subcommand;
        Node* s = ddl_log_running_statement(create_level + 1, &subcommand);
        if (s == last_subcommand)
            exact = false;  // a second relation from one sub-command
        else if (IsA(s, CreateSeqStmt) && kind == RELKIND_SEQUENCE)
            note(relid, "CREATE SEQUENCE", "sequence", rel);
        else if (IsA(s, IndexStmt) && (kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX))
            note(relid, "CREATE INDEX", "index", rel);
        else
            exact = false;
        last_subcommand = s;
    } else {
        exact = false;  // a sub-command's own sub-commands: not known here
    }
    RelationClose(rel);
}

void on_object_access(ObjectAccessType access, Oid classId, Oid objectId, int subId, void* arg) {
    if (previous_hook != nullptr)
        previous_hook(access, classId, objectId, subId, arg);
    if (active && exact && access == OAT_POST_CREATE && classId == RelationRelationId && subId == 0)
        relation_created(objectId);
}

}  // namespace

void ddl_log_created_begin(Node* parsetree) {
    if (parsetree == nullptr || !IsA(parsetree, CreateStmt))
        return;
    if (active) {  // a CREATE TABLE inside one being noted: neither is exact
        exact = false;
        return;
    }
    const int depth = ddl_log_running_depth();
    bool subcommand;
    Node* running = ddl_log_running_statement(depth - 1, &subcommand);
    // Not seen by the ProcessUtility hook (loaded by this very statement),
    // or LIKE: the function. Whatever an earlier statement left noted (its
    // end not seen: the guard switched off in between) is forgotten, so it
    // is never taken for this one's. (The hook's node may be a copy of this
    // parse tree: PostgreSQL copies a read-only tree before running it.)
    if (running == nullptr || !IsA(running, CreateStmt) ||
        has_like(reinterpret_cast<CreateStmt*>(parsetree))) {
        ddl_log_created_forget();
        return;
    }
    if (!hook_installed) {
        previous_hook = object_access_hook;
        object_access_hook = on_object_access;
        hook_installed = true;
    }
    if (noted_cxt == nullptr)
        noted_cxt = AllocSetContextCreate(TopMemoryContext, "schema_oracle ddl log created",
                                          ALLOCSET_SMALL_SIZES);
    MemoryContextReset(noted_cxt);
    noted = nullptr;
    noted_count = noted_cap = 0;
    table_noted = false;
    last_subcommand = nullptr;
    create_level = depth - 1;
    noted_statement = parsetree;
    began_subid = GetCurrentSubTransactionId();
    exact = true;
    active = true;
}

bool ddl_log_created_can_note(Node* parsetree) {
    collection_off_statement = nullptr;  // an earlier statement's, which failed
    if (parsetree == nullptr || !IsA(parsetree, CreateStmt) || active)
        return false;
    auto* stmt = reinterpret_cast<CreateStmt*>(parsetree);
    // A partition's bound is an expression PostgreSQL evaluates while the
    // statement runs (it may call a user's function, which may run DDL or
    // roll a subtransaction back): not here. LIKE: the function, as below.
    if (stmt->partbound != nullptr || has_like(stmt))
        return false;
    // Seen by the ProcessUtility hook, with room for its sub-commands and
    // theirs among the running statements kept (ddl_log.cpp keeps 32).
    const int depth = ddl_log_running_depth();
    bool subcommand;
    Node* running = ddl_log_running_statement(depth - 1, &subcommand);
    return running != nullptr && IsA(running, CreateStmt) && depth + 2 <= 32;
}

void ddl_log_created_collection_off(Node* parsetree) {
    collection_off_statement = parsetree;
}

void ddl_log_created_forget() {
    active = false;
    exact = false;
    noted_statement = nullptr;
}

void ddl_log_created_subxact_abort(SubTransactionId mine) {
    if (active && mine <= began_subid)
        ddl_log_created_forget();
}

bool ddl_log_created_table_commands(Node* parsetree, DdlCommand** out, int* n) {
    *out = nullptr;
    *n = 0;
    if (parsetree == nullptr || !IsA(parsetree, CreateStmt))
        return false;
    if (!active) {
        // Forgotten meanwhile (a statement nested in it ended): with the
        // collection off PostgreSQL has nothing either, so the caller notes
        // the table from the tree rather than from an empty list.
        const bool collection_off = parsetree == collection_off_statement;
        collection_off_statement = nullptr;
        if (collection_off)
            ereport(LOG, (errmsg("schema_oracle: the DDL log's objects of this CREATE TABLE "
                                 "could not be noted while it ran; they are left empty")));
        return collection_off;
    }
    const bool noted_this = parsetree == noted_statement;
    const bool ok = exact && noted_this && ddl_log_running_depth() == create_level + 1;
    const bool collection_off = parsetree == collection_off_statement;
    collection_off_statement = nullptr;
    ddl_log_created_forget();  // the memory stays until the next begin
    if (!ok && collection_off && noted_this) {
        // PostgreSQL collected nothing for the function to report (the
        // collection was off, ddl_log_created_can_note()): what was noted is
        // all there is. Not expected to happen (the statement ran code the
        // shape check did not foresee); said in the server log.
        ereport(LOG, (errmsg("schema_oracle: the DDL log's objects of this CREATE TABLE are "
                             "the relations noted before it left the expected shape; they "
                             "may be incomplete")));
        *out = noted;
        *n = noted_count;
        return true;
    }
    if (!ok)
        return false;
    *out = noted;
    *n = noted_count;
    return true;
}

}  // namespace schema_oracle::pg
