// commit_check.hpp: the checks judged when a transaction that ran DDL is
// about to commit (docs/commit-checks.md).
//
// The guard's event triggers note which tables a statement created, altered,
// or dropped an index or trigger of; a transaction callback judges them at
// XACT_EVENT_PRE_COMMIT / PRE_PREPARE with report()'s rules
// (core/commit_rules.hpp). A transaction that ran no DDL costs one integer
// test at commit.
#pragma once

#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/pg/ddl_commands.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "tcop/cmdtag.h"
#include "nodes/nodes.h"
}

namespace schema_oracle::pg {

// Registers the transaction callbacks (from init_hooks()).
void init_commit_check();

// ddl_command_start: notes the table of an index or trigger a DROP INDEX /
// DROP TRIGGER is about to drop (afterwards it is gone from the catalog).
// Raises no error of its own.
void commit_check_note_drop(Node* parsetree);

// Whether this transaction ran a DDL statement (fired ddl_command_start).
bool commit_check_transaction_ran_ddl();
// Whether this transaction ran CREATE EXTENSION, ALTER EXTENSION UPDATE or
// ALTER EXTENSION ADD / DROP (noted at ddl_command_start).
bool commit_check_extension_ddl_ran();

// ddl_command_end: notes the tables the statement created or altered, from
// pg_event_trigger_ddl_commands() rows.
void commit_check_note_commands(const DdlCommand* commands, int n);
// ddl_command_end of a CREATE TABLE (a CreateStmt, never CREATE TABLE AS):
// notes the one table it leaves for the commit check, the one it names,
// found from the tree as PostgreSQL created it, without reading
// pg_event_trigger_ddl_commands() (about 70,000 instructions: its other
// rows, the identity sequence, the primary key's index, the constraints,
// belong to the same table, and it creates no type or schema the guard's
// created-objects record keeps). False, having done nothing, for any other
// statement. C land (may ereport).
bool commit_check_note_created_table(Node* parsetree);
// Whether a statement's commands (pg_event_trigger_ddl_commands()) matter
// beyond the DDL log: false for statements that create at most relations
// (whose creation PostgreSQL tracks itself) and can only leave a table as
// good as it was (CREATE INDEX, COMMENT, an ALTER TABLE that only adds a
// CHECK or a plain column, ...), which then skip reading and noting them.
bool ddl_commands_matter(CommandTag tag, Node* parsetree);
// ddl_command_start: turns off PostgreSQL's collection of the statement's
// commands (a parse-tree copy per command) when nothing can read them: the
// DDL log is off, ddl_command_end will not read them, and every event
// trigger is ours (src/pg/command_collection.cpp). C land.
void commit_check_skip_unread_collection(CommandTag tag, Node* parsetree);
// Transaction end: no statement of it runs any more (command_collection.cpp).
void commit_check_forget_collection_switches();

// The catalog rows of the given tables, in report()'s raw format (C land,
// src/pg/commit_check_catalog.cpp). With name_prefixes, also every relation
// name in their schemas that starts with a judged table's name (what a
// generated index name could collide with); without, the commit check
// confirms the names its fixes generate one by one (commit_check.cpp).
RawCatalog* read_commit_catalog(const Oid* tables, int n, bool name_prefixes);

}  // namespace schema_oracle::pg
