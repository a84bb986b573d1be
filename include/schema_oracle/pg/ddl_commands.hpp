// ddl_commands.hpp: what pg_event_trigger_ddl_commands() reports at
// ddl_command_end, as a plain array (for the commit check and the DDL log).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/nodes.h"
}

namespace schema_oracle::pg {

struct DdlCommand {
    Oid classid;
    Oid objid;
    int objsubid;
    const char* command_tag;      // "CREATE TABLE", never NULL
    const char* object_type;      // "table", "index", ... (may be NULL)
    const char* object_identity;  // pg_identify_object() identity (may be NULL)
    bool in_extension;
};

// Calls pg_event_trigger_ddl_commands() directly (no SQL) and copies its
// rows into CurrentMemoryContext. Only valid inside a ddl_command_end event
// trigger. C land: may ereport. Returns the number of rows.
int read_ddl_commands(DdlCommand** out);

// For the statements where PostgreSQL 15 collects exactly one command whose
// object the parse tree determines (a named CREATE INDEX, COMMENT, an ALTER
// TABLE whose subcommands run no statement of their own): that object's
// identity, exactly as pg_event_trigger_ddl_commands() would report it
// (object_identity), for a fraction of the cost (src/pg/ddl_identity.cpp).
// False for every other statement, which reads the function. Only valid at
// ddl_command_end. C land: may ereport.
bool single_ddl_command_identity(Node* parsetree, char** identity);

// Whether the statement is one of those (decided from the tree alone, at
// ddl_command_start): when single_ddl_command_identity() then returns false
// for it at ddl_command_end, PostgreSQL collected no command either (an
// ALTER TABLE IF EXISTS of a missing table; a COMMENT's object not found
// fails the statement). So a DDL log that wants only its identity needs no
// collection of its commands (src/pg/command_collection.cpp).
bool single_ddl_command_from_tree(Node* parsetree);

}  // namespace schema_oracle::pg
