// ddl_identity.cpp: the object a DDL statement's collected command names,
// from its parse tree, for the statements where PostgreSQL 15 collects
// exactly one command whose object the tree determines (see
// ddl_commands.hpp).
//
// pg_event_trigger_ddl_commands() costs some 37,000 instructions a call
// (its result descriptor is rebuilt from pg_proc at every call, each row
// opens the object's catalog for its schema), more than many a statement it
// describes; the DDL log needs only the identities. For these statements the
// object is found the way the statement itself found it, under the lock it
// holds, and its identity is built as getObjectIdentity() builds it (which
// is what the function reports as object_identity), from the names the
// statement itself resolved where they are exact, without the catalog
// lookups the statement's own changes turned into cache misses. Every other statement, and every
// case below that could collect more or fewer commands (an unnamed or IF NOT EXISTS index, an ALTER
// TABLE subcommand that runs statements of its own), reads the function.
#include "statement_kinds.hpp"  // the sub-command table (C++ headers first)

#include "schema_oracle/pg/ddl_commands.hpp"

extern "C" {
#include "access/relation.h"
#include "catalog/namespace.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_class.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg {

namespace {

// A column definition that transformAlterTableStmt() turns into no
// statement of its own: no serial type (CREATE SEQUENCE before, ALTER
// SEQUENCE OWNED BY after), no identity (the same), no PRIMARY KEY or
// UNIQUE (whose NOT NULL handling may add statements).
bool plain_column(const ColumnDef* def) {
    if (def == nullptr || def->identity != 0 || def->identitySequence != nullptr)
        return false;
    if (def->typeName != nullptr) {
        const char* type = strVal(llast(def->typeName->names));
        if (strcmp(type, "smallserial") == 0 || strcmp(type, "serial2") == 0 ||
            strcmp(type, "serial") == 0 || strcmp(type, "serial4") == 0 ||
            strcmp(type, "bigserial") == 0 || strcmp(type, "serial8") == 0)
            return false;
    }
    ListCell* lc;
    foreach (lc, def->constraints) {
        Node* n = static_cast<Node*>(lfirst(lc));
        if (!IsA(n, Constraint))
            return false;
        switch (reinterpret_cast<Constraint*>(n)->contype) {
            case CONSTR_NULL:
            case CONSTR_NOTNULL:
            case CONSTR_DEFAULT:
            case CONSTR_GENERATED:
            case CONSTR_CHECK:
            case CONSTR_FOREIGN:
            case CONSTR_ATTR_DEFERRABLE:
            case CONSTR_ATTR_NOT_DEFERRABLE:
            case CONSTR_ATTR_DEFERRED:
            case CONSTR_ATTR_IMMEDIATE:
                break;
            default:
                return false;
        }
    }
    return true;
}

// The identity getObjectIdentity() gives a relation: its schema (pg_temp
// for this session's temporary schema) and name, quoted.
char* relation_identity(Oid nsp, const char* name) {
    return pstrdup(quote_qualified_identifier(get_namespace_name_or_temp(nsp), name));
}

// The same for a relation the statement named as schema.name and found: the
// schema is the one of that exact name, unless the name is a temporary
// schema's (pg_temp, pg_temp_N: identities say pg_temp for this session's).
// NULL when the tree does not say (no schema given, or a temporary one).
char* named_identity(const RangeVar* rv, const char* name) {
    if (rv->schemaname == nullptr || strncmp(rv->schemaname, "pg_temp", 7) == 0 ||
        strncmp(rv->schemaname, "pg_toast_temp", 13) == 0)
        return nullptr;
    return pstrdup(quote_qualified_identifier(rv->schemaname, name));
}

// ALTER TABLE name ...: the table, found as ProcessUtility found it (the
// statement holds its lock, so the name still denotes it). Without IF
// EXISTS the statement found it by that very name; with it, the table may
// be missing (no command), which only a lookup tells.
bool alter_table_identity(AlterTableStmt* stmt, char** out) {
    if (stmt->objtype != OBJECT_TABLE || stmt->cmds == NIL || stmt->relation == nullptr ||
        !alter_subcommands_one_command(stmt->cmds))  // the sub-command table's one_command
        return false;
    if (!stmt->missing_ok && (*out = named_identity(stmt->relation, stmt->relation->relname)))
        return true;
    Oid relid = RangeVarGetRelid(stmt->relation, NoLock, true);
    if (!OidIsValid(relid))
        return false;  // IF EXISTS of a missing table: no command (the function says so)
    *out = relation_identity(get_rel_namespace(relid), stmt->relation->relname);
    return true;
}

// CREATE INDEX name ON table: DefineIndex() creates the index under that
// name in the table's schema. An unnamed index's name is chosen on a copy
// of the tree, and IF NOT EXISTS may create nothing: not here.
bool index_identity(IndexStmt* stmt, char** out) {
    if (stmt->idxname == nullptr || stmt->if_not_exists || stmt->relation == nullptr)
        return false;
    if ((*out = named_identity(stmt->relation, stmt->idxname)))
        return true;
    Oid table = RangeVarGetRelid(stmt->relation, NoLock, true);
    if (!OidIsValid(table))
        return false;
    *out = relation_identity(get_rel_namespace(table), stmt->idxname);
    return true;
}

// COMMENT ON ...: CommentObject() finds its object with get_object_address()
// and this lock mode, already held, so the same call finds the same object.
// A relation's or column's identity comes from the relation it opened (a
// column found by its exact name is named so); any other object's from
// getObjectIdentity().
bool comment_identity(CommentStmt* stmt, char** out) {
    if (stmt->objtype == OBJECT_DATABASE)
        return false;  // a missing database is a WARNING there, no command
    Relation rel = nullptr;
    ObjectAddress a =
        get_object_address(stmt->objtype, stmt->object, &rel, ShareUpdateExclusiveLock, true);
    char* identity = nullptr;
    if (OidIsValid(a.objectId)) {
        if (rel != nullptr && a.classId == RelationRelationId &&
            a.objectId == RelationGetRelid(rel) &&
            (a.objectSubId == 0 || stmt->objtype == OBJECT_COLUMN)) {
            identity = relation_identity(RelationGetNamespace(rel), RelationGetRelationName(rel));
            if (a.objectSubId != 0)
                identity = psprintf("%s.%s", identity,
                                    quote_identifier(strVal(llast(castNode(List, stmt->object)))));
        } else {
            identity = getObjectIdentity(&a, true);
        }
    }
    if (rel != nullptr)
        relation_close(rel, NoLock);
    if (identity == nullptr)
        return false;
    *out = identity;
    return true;
}

}  // namespace

// The sub-command table's one_command column (statement_kinds.cpp) for ADD
// COLUMN: a plain column; for ADD CONSTRAINT: a CHECK or a foreign key
// (the others build an index: not here).
bool one_command_add_column(const AlterTableCmd* cmd) {
    return cmd->def != nullptr && IsA(cmd->def, ColumnDef) &&
           plain_column(reinterpret_cast<ColumnDef*>(cmd->def));
}

bool one_command_add_constraint(const AlterTableCmd* cmd) {
    if (cmd->def == nullptr || !IsA(cmd->def, Constraint))
        return false;
    ConstrType t = reinterpret_cast<Constraint*>(cmd->def)->contype;
    return t == CONSTR_CHECK || t == CONSTR_FOREIGN;
}

bool single_ddl_command_from_tree(Node* parsetree) {
    if (parsetree == nullptr)
        return false;
    switch (nodeTag(parsetree)) {
        case T_AlterTableStmt: {
            auto* stmt = reinterpret_cast<AlterTableStmt*>(parsetree);
            return stmt->objtype == OBJECT_TABLE && stmt->cmds != NIL &&
                   stmt->relation != nullptr && alter_subcommands_one_command(stmt->cmds);
        }
        case T_IndexStmt: {
            auto* stmt = reinterpret_cast<IndexStmt*>(parsetree);
            return stmt->idxname != nullptr && !stmt->if_not_exists && stmt->relation != nullptr;
        }
        case T_CommentStmt:
            return reinterpret_cast<CommentStmt*>(parsetree)->objtype != OBJECT_DATABASE;
        default:
            return false;
    }
}

bool single_ddl_command_identity(Node* parsetree, char** identity) {
    *identity = nullptr;
    if (parsetree == nullptr)
        return false;
    switch (nodeTag(parsetree)) {
        case T_AlterTableStmt:
            return alter_table_identity(reinterpret_cast<AlterTableStmt*>(parsetree), identity);
        case T_IndexStmt:
            return index_identity(reinterpret_cast<IndexStmt*>(parsetree), identity);
        case T_CommentStmt:
            return comment_identity(reinterpret_cast<CommentStmt*>(parsetree), identity);
        default:
            return false;
    }
}

}  // namespace schema_oracle::pg
