// created_objects.hpp: the objects the current transaction created, as the
// guard itself recorded them from pg_event_trigger_ddl_commands() at
// ddl_command_end (src/pg/created_objects.cpp).
//
// "Created in this transaction" decides whether a DROP SCHEMA ... CASCADE
// or an ALTER DOMAIN ... ADD CONSTRAINT can hurt anyone. A catalog row's
// xmin cannot tell: a GRANT, ALTER ... OWNER or RENAME earlier in the
// transaction writes a new row version whose xmin is the current
// transaction, so an old, populated schema would pass as new. Relations use
// PostgreSQL's own tracking instead (rd_createSubid).
#pragma once

#include "schema_oracle/pg/ddl_commands.hpp"
#include "schema_oracle/pg/postgres.hpp"

namespace schema_oracle::pg {

// Records the objects the statement's CREATE commands made. C land: may
// ereport (out of memory).
void created_objects_note(const DdlCommand* commands, int n);

// Whether this transaction created the object (classid: its catalog, e.g.
// NamespaceRelationId, TypeRelationId). Raises nothing.
bool created_in_this_transaction(Oid classid, Oid objid);

}  // namespace schema_oracle::pg
