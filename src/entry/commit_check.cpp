// commit_check.cpp (entry): the ddl_command_end event trigger function. It
// hands the statement's pg_event_trigger_ddl_commands() rows to the commit
// check (src/pg/commit_check.cpp), which notes the tables to judge at
// commit. C land only.
#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/created_objects.hpp"
#include "schema_oracle/pg/ddl_commands.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "fmgr.h"

PG_FUNCTION_INFO_V1(schema_oracle_guard_ddl_command_end);
}

using namespace schema_oracle;

Datum schema_oracle_guard_ddl_command_end(PG_FUNCTION_ARGS) {
    if (!CALLED_AS_EVENT_TRIGGER(fcinfo))
        ereport(ERROR, (errcode(ERRCODE_E_R_I_E_EVENT_TRIGGER_PROTOCOL_VIOLATED),
                        errmsg("schema_oracle: function must be fired by an event trigger")));
    if (pg::settings::guard_mode() == core::GuardMode::off || creating_extension)
        PG_RETURN_VOID();
    // pg_event_trigger_ddl_commands() costs more than many a statement it
    // describes: read it only when the log will keep this statement's row
    // (its object identities), or the statement may leave a table for the
    // commit check to judge or create something other than a relation (the
    // guard's created-objects record).
    auto* data = reinterpret_cast<EventTriggerData*>(fcinfo->context);
    const bool matters = pg::ddl_commands_matter(data->tag, data->parsetree);
    if (!matters && !pg::ddl_log_wants_objects()) {
        pg::ddl_log_end_statement(nullptr, 0);
        PG_RETURN_VOID();
    }
    // Only the log wants this statement's identity, and its one command is
    // known from the tree: its identity without the function (a fraction
    // of the cost). The guard's created-objects record, which keeps
    // schemas and types, has nothing to note from these statements.
    char* identity = nullptr;
    if (!matters && pg::single_ddl_command_identity(data->parsetree, &identity)) {
        pg::DdlCommand one = {InvalidOid, InvalidOid, 0,    GetCommandTagName(data->tag),
                              nullptr,    identity,   false};
        pg::ddl_log_end_statement(&one, 1);
        PG_RETURN_VOID();
    }
    // A CREATE TABLE whose objects the log does not want: its table is
    // noted from the tree.
    if (!pg::ddl_log_wants_objects() && pg::commit_check_note_created_table(data->parsetree)) {
        pg::ddl_log_end_statement(nullptr, 0);
        PG_RETURN_VOID();
    }
    // A CREATE TABLE whose objects the log wants: the relations it created,
    // noted as it ran (src/pg/ddl_log_created.cpp), and its table noted
    // from the tree as above.
    pg::DdlCommand* commands = nullptr;
    int n = 0;
    if (pg::ddl_log_created_table_commands(data->parsetree, &commands, &n) &&
        pg::commit_check_note_created_table(data->parsetree)) {
        pg::created_objects_note(commands, n);
        pg::ddl_log_end_statement(commands, n);
        PG_RETURN_VOID();
    }
    n = pg::read_ddl_commands(&commands);
    pg::created_objects_note(commands, n);  // the guard's "created here" (created_objects.hpp)
    if (matters)
        pg::commit_check_note_commands(commands, n);
    pg::ddl_log_end_statement(commands, n);
    PG_RETURN_VOID();
}
