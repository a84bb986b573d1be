// statement_kinds.hpp: ALTER TABLE's sub-commands in the statement table
// (src/pg/statement_kinds.cpp). One row per sub-command kind answers every
// question a part of the extension asks of a sub-command: how the guard
// extracts and triages it, whether it only changes the catalog (the lock
// re-binding), whether PostgreSQL 15 collects it into the statement's one
// ALTER TABLE command (the DDL log's identity shortcut), whether it can
// introduce a finding the commit check judges. Private to src/pg.
#pragma once

#include "extract/extract.hpp"

namespace schema_oracle::pg {

// A yes/no column of the table: nullptr is "no", and a test other than
// "yes" looks at the sub-command's definition (ADD COLUMN's column, ADD
// CONSTRAINT's constraint).
using SubcommandTest = bool (*)(const AlterTableCmd* cmd);

struct AlterSubcommandKind {
    AlterTableType subtype;
    // The extractor (src/pg/extract/), nullptr: none (only the statement's
    // lock is judged), and how the sub-command bears on triage.
    extract::SubExtractor extract;
    extract::SubcommandTriage triage;
    // Updates catalog rows only: no scan, rewrite or index build
    // (tablecmds.c ATRewriteTables has no work for it), and no lock on
    // another table (unlike DROP CONSTRAINT / DROP COLUMN, which may drop a
    // foreign key and lock the referenced table). lock_identity.cpp.
    SubcommandTest catalog_only;
    // Collected into the statement's one ALTER TABLE command: it runs no
    // statement of its own (pg_event_trigger_ddl_commands() then reports
    // exactly that one command). ddl_identity.cpp.
    SubcommandTest one_command;
    // Cannot introduce a commit finding: not a foreign key, not a column
    // the updated_at rule looks after, not one that drops an index, a
    // constraint or a column, or disables a trigger. commit_check.cpp.
    SubcommandTest harmless_at_commit;
};

// The row of a sub-command kind; nullptr for a kind the table does not
// list, which no column says yes of (not extracted, neutral to triage).
const AlterSubcommandKind* alter_subcommand_kind(AlterTableType subtype);

// Whether every sub-command of an ALTER TABLE's list (`cmds`) is, by its
// row, catalog-only / collected into one command / harmless at commit.
// True for an empty list.
bool alter_subcommands_catalog_only(List* cmds);
bool alter_subcommands_one_command(List* cmds);
bool alter_subcommands_harmless_at_commit(List* cmds);

// The tests the table names for ADD COLUMN and ADD CONSTRAINT, each beside
// the code that asks its question.
bool one_command_add_column(const AlterTableCmd* cmd);      // ddl_identity.cpp
bool one_command_add_constraint(const AlterTableCmd* cmd);  // ddl_identity.cpp
bool harmless_add_column(const AlterTableCmd* cmd);         // commit_check.cpp
bool harmless_add_constraint(const AlterTableCmd* cmd);     // commit_check.cpp

}  // namespace schema_oracle::pg
