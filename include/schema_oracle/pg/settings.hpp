// settings.hpp (pg): every schema_oracle.* setting, in one place.
//
// src/pg/settings.cpp defines each parameter (DefineCustom*Variable), keeps
// its storage private, and parses every list setting once, in its check
// hook, into the GUC's `extra`; the assign hook installs the parsed value
// (pgaudit's pattern). A bad value is refused at SET time with a clear
// message, and no statement parses a setting again. Everything else reads
// settings only through the typed accessors below: no other file declares a
// setting's variable or looks a setting up by name. docs/settings.md lists
// each setting, its default and who may change it.
#pragma once

#include <cstdint>

#include "schema_oracle/core/policy.hpp"

namespace schema_oracle::pg {

// Defines every setting and reserves the schema_oracle. prefix (_PG_init).
void init_settings();

namespace settings {

// A list of names as its check hook parsed it: unquoted, empty items
// dropped. The storage belongs to the GUC machinery and is freed by the next
// SET: copy what must outlive the current statement.
struct NameList {
    const char* const* names;
    int count;
};

// --- the live guard (PGC_SUSET) --------------------------------------------
core::GuardMode guard_mode();               // schema_oracle.guard
const core::RuleLevelTable* rule_levels();  // schema_oracle.rule_levels (nullptr: none)
std::int64_t size_threshold_bytes();        // schema_oracle.size_threshold
// schema_oracle.fail_closed as set: auto (the default), on or off.
enum class FailClosed { off, on, automatic };
FailClosed fail_closed_setting();
// Whether a failure of the guard's own analysis blocks the statement now:
// fail_closed = on; or auto while a finding could block (guard = block, or a
// rule_levels entry at block). An ordinary role can change none of the
// settings this reads (PGC_SUSET), so it cannot turn an analysis error into
// "statement allowed" where the administrator blocks.
bool fail_closed();

// --- commit checks and the DDL audit log (PGC_SUSET) -----------------------
bool commit_checks();  // schema_oracle.commit_checks
enum class DdlLog { off, findings, all };
DdlLog ddl_log();  // schema_oracle.ddl_log (schema_oracle.ddl_log_retention: read by SQL)

// --- report() (PGC_USERSET: they change what a report shows) ---------------
int max_indexes_per_table();     // schema_oracle.max_indexes_per_table
int stats_min_rows();            // schema_oracle.stats_min_rows
int report_keep_memory();        // schema_oracle.report_keep_memory (MB)
NameList audit_columns();        // schema_oracle.audit_columns
NameList natural_key_columns();  // schema_oracle.natural_key_columns
NameList soft_delete_columns();  // schema_oracle.soft_delete_columns

}  // namespace settings
}  // namespace schema_oracle::pg
