// helpers.cpp: the C-level checks behind the lock-retrying DDL and the safe
// executors (extension/0.2.0/30-helpers.sql, docs/helpers.md): is this one
// DDL statement, are we inside a transaction block, which name would
// PostgreSQL choose. Plain C frames (no C++ object with a destructor), so
// PostgreSQL's errors may longjmp through them.
#include "schema_oracle/pg/helpers.hpp"

#include "schema_oracle/pg/postgres.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/pg_constraint.h"
#include "commands/defrem.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "tcop/cmdtag.h"
#include "tcop/utility.h"
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg {

namespace {

// Statements PostgreSQL refuses inside a transaction block (its
// PreventInTransactionBlock callers), as far as the raw tree shows them.
bool needs_own_transaction(Node* stmt) {
    switch (nodeTag(stmt)) {
        case T_IndexStmt:
            return castNode(IndexStmt, stmt)->concurrent;
        case T_DropStmt:
            return castNode(DropStmt, stmt)->concurrent;
        case T_ReindexStmt:
            for (ListCell* lc = list_head(castNode(ReindexStmt, stmt)->params); lc;
                 lc = lnext(castNode(ReindexStmt, stmt)->params, lc)) {
                auto* opt = static_cast<DefElem*>(lfirst(lc));
                if (strcmp(opt->defname, "concurrently") == 0)
                    return true;
            }
            return false;
        case T_VacuumStmt:
        case T_CreatedbStmt:
        case T_DropdbStmt:
        case T_CreateTableSpaceStmt:
        case T_DropTableSpaceStmt:
        case T_AlterSystemStmt:
            return true;
        default:
            return false;
    }
}

// A syntax error's position is in the statement text, not in the CALL that
// carried it: report it as an internal query position, as SPI does.
void statement_error_callback(void* arg) {
    int position = geterrposition();
    if (position > 0) {
        errposition(0);
        internalerrposition(position);
        internalerrquery(static_cast<const char*>(arg));
    }
}

}  // namespace

const char* helpers_one_ddl_statement(const char* sql, const char* caller) {
    ErrorContextCallback callback;
    callback.callback = statement_error_callback;
    callback.arg = const_cast<char*>(sql);
    callback.previous = error_context_stack;
    error_context_stack = &callback;
    List* stmts = raw_parser(sql, RAW_PARSE_DEFAULT);
    error_context_stack = callback.previous;
    int n = list_length(stmts);
    if (n != 1)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s runs exactly one statement, this text has %d", caller, n),
                        errhint("Call it once per statement: each one then takes its lock, and is "
                                "retried, on its own.")));
    Node* stmt = linitial_node(RawStmt, stmts)->stmt;
    const char* tag = GetCommandTagName(CreateCommandTag(stmt));
    switch (nodeTag(stmt)) {
        case T_SelectStmt:
        case T_InsertStmt:
        case T_UpdateStmt:
        case T_DeleteStmt:
        case T_MergeStmt:
        case T_ExplainStmt:
        case T_ExecuteStmt:
        case T_PrepareStmt:
        case T_CallStmt:
        case T_DoStmt:
        case T_CopyStmt:
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                     errmsg("%s runs one DDL statement, not %s", caller, tag),
                     errhint("Run queries and data changes yourself, with SET lock_timeout.")));
            break;
        case T_TransactionStmt:
            ereport(ERROR,
                    (errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
                     errmsg("%s manages the transactions itself; it cannot run %s", caller, tag)));
            break;
        default:
            break;
    }
    if (needs_own_transaction(stmt))
        ereport(ERROR,
                (errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                 errmsg("%s cannot run %s: it cannot run inside a transaction block", caller, tag),
                 errhint("Run it directly from psql, after SET lock_timeout; it manages its own "
                         "transactions.")));
    return tag;
}

void helpers_refuse_transaction_block(const char* caller) {
    if (IsTransactionBlock())
        ereport(
            ERROR,
            (errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
             errmsg("%s cannot run inside a transaction block", caller),
             errdetail("It commits after every step so that no lock is held longer than "
                       "one step, and between retries."),
             errhint("Run the CALL on its own, outside BEGIN ... COMMIT (psql's autocommit).")));
}

char* helpers_choose_name(Oid relid, List* columns, const char* label, bool index) {
    char* relname = get_rel_name(relid);
    if (relname == nullptr)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("relation with OID %u does not exist", relid)));
    Oid nsp = get_rel_namespace(relid);
    // The column part, as tablecmds.c's ChooseForeignKeyConstraintNameAddition
    // and indexcmds.c's ChooseIndexNameAddition build it alike (the core's
    // naming, upstream/naming.hpp); makeObjectName then cuts the whole name
    // to 63 bytes on a character boundary.
    char* addition = upstream::index_name_addition(columns);
    return index ? upstream::choose_relation_name(relname, addition, label, nsp)
                 : ChooseConstraintName(relname, addition, label, nsp, NIL);
}

}  // namespace schema_oracle::pg
