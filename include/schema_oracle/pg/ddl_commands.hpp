// ddl_commands.hpp: what pg_event_trigger_ddl_commands() reports at
// ddl_command_end, as a plain array (for the commit check and the DDL log).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

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

}  // namespace schema_oracle::pg
