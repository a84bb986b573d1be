// settings.cpp: every schema_oracle.* configuration parameter (see
// include/schema_oracle/pg/settings.hpp and docs/settings.md).
//
// Enforcement settings (the guard, commit checks, the DDL log) are
// PGC_SUSET: only superusers, or roles granted SET on the parameter
// (PostgreSQL 15: GRANT SET ON PARAMETER), may change them, so an
// application or migration role cannot lower what an administrator set with
// ALTER SYSTEM / ALTER DATABASE / ALTER ROLE. report()'s settings change
// what a report shows, never what the server allows: any user may set them.
//
// List settings are parsed once, by their check hook, into one malloc'd
// block (`extra`, freed by the GUC machinery), and installed by their assign
// hook (pgaudit's pattern). Check hooks may not ereport: they report through
// GUC_check_errdetail / GUC_check_errhint. The storage below is plain C
// globals (no constructors), private to this file.
#include "schema_oracle/pg/settings.hpp"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "nodes/pg_list.h"
#include "utils/guc.h"
#include "utils/varlena.h"
}

namespace schema_oracle::pg {

namespace {

// --- storage ----------------------------------------------------------------
enum GuardModeSetting { guard_off = 0, guard_warn = 1, guard_block = 2 };
int guard_mode_value = guard_warn;
char* rule_levels_text = nullptr;
int size_threshold_kb = 10 * 1024;
enum FailClosedSetting { fail_closed_off = 0, fail_closed_on = 1, fail_closed_auto = 2 };
int fail_closed_value = fail_closed_auto;

bool commit_checks_value = true;
enum DdlLogSetting { log_off = 0, log_findings = 1, log_all = 2 };
int ddl_log_value = log_all;
char* ddl_log_retention_text = nullptr;

int max_indexes_per_table_value = 10;
int stats_min_rows_value = 10000;
int report_keep_memory_value = 0;  // MB
char* audit_columns_text = nullptr;
char* natural_key_columns_text = nullptr;
char* soft_delete_columns_text = nullptr;

// Installed by the assign hooks; nullptr: empty list / no override.
const core::RuleLevelTable* rule_level_table = nullptr;
struct ParsedNames;
const ParsedNames* audit_columns_parsed = nullptr;
const ParsedNames* natural_key_columns_parsed = nullptr;
const ParsedNames* soft_delete_columns_parsed = nullptr;

const struct config_enum_entry guard_mode_options[] = {
    {"off", guard_off, false},
    {"warn", guard_warn, false},
    {"block", guard_block, false},
    {nullptr, 0, false},
};

// fail_closed: auto follows the enforcement (closed where a finding could
// block), on and off are absolute. The boolean spellings PostgreSQL accepts
// for a bool setting are accepted too (hidden from the list of values).
const struct config_enum_entry fail_closed_options[] = {
    {"auto", fail_closed_auto, false}, {"on", fail_closed_on, false},
    {"off", fail_closed_off, false},   {"true", fail_closed_on, true},
    {"false", fail_closed_off, true},  {"yes", fail_closed_on, true},
    {"no", fail_closed_off, true},     {"1", fail_closed_on, true},
    {"0", fail_closed_off, true},      {nullptr, 0, false},
};

const struct config_enum_entry ddl_log_options[] = {
    {"off", log_off, false},
    {"findings", log_findings, false},
    {"all", log_all, false},
    {nullptr, 0, false},
};

// --- schema_oracle.rule_levels ---------------------------------------------
// Parsed with the core parser (in cpp_capture: C++ may throw), so a bad
// value is refused at SET time with the parser's message.
bool check_rule_levels(char** newval, void** extra, GucSource) {
    *extra = nullptr;
    if (*newval == nullptr || (*newval)[0] == '\0')
        return true;
    const char* text = *newval;
    CaughtError caught = cpp_capture([text, extra] {
        std::string error;
        auto parsed = core::parse_rule_levels(text, &error);
        if (!parsed)
            throw core::Error("22023", error);
        auto* table = static_cast<core::RuleLevelTable*>(malloc(core::rule_level_table_size()));
        if (table == nullptr)
            throw std::bad_alloc();
        core::fill_rule_level_table(*parsed, table);
        *extra = table;
    });
    if (caught.failed())
        GUC_check_errdetail("%s", caught.text());
    return !caught.failed();
}

void assign_rule_levels(const char*, void* extra) {
    rule_level_table = static_cast<const core::RuleLevelTable*>(extra);
}

// --- lists of column names -------------------------------------------------
// A comma-separated list of identifiers as SplitIdentifierString reads it
// (unquoted names folded to lower case, "..." for any other spelling), in
// one malloc'd block: the array, then the names it points to.
struct ParsedNames {
    int count;
    const char* names[1];  // count + 1 entries (allocated longer), then the text
};

// Splits `value` into a ParsedNames (empty items dropped). False when it is
// not a list of identifiers, or when `allow_empty` is false and an item is
// empty; *out is nullptr then, or on out of memory (*oom set).
bool parse_names(const char* value, bool allow_empty, ParsedNames** out, bool* oom) {
    *out = nullptr;
    *oom = false;
    char* copy = pstrdup(value ? value : "");
    List* names = NIL;
    bool ok = SplitIdentifierString(copy, ',', &names);
    Size bytes = offsetof(ParsedNames, names) + sizeof(char*) * (list_length(names) + 1);
    ListCell* lc;
    foreach (lc, names) {
        const char* name = static_cast<const char*>(lfirst(lc));
        if (name[0] == '\0' && !allow_empty)
            ok = false;
        bytes += strlen(name) + 1;
    }
    if (ok) {
        auto* parsed = static_cast<ParsedNames*>(malloc(bytes));
        if (parsed == nullptr) {
            *oom = true;
            ok = false;
        } else {
            parsed->count = 0;
            char* text = reinterpret_cast<char*>(&parsed->names[list_length(names) + 1]);
            foreach (lc, names) {
                const char* name = static_cast<const char*>(lfirst(lc));
                if (name[0] == '\0')
                    continue;
                strcpy(text, name);
                parsed->names[parsed->count++] = text;
                text += strlen(name) + 1;
            }
            parsed->names[parsed->count] = nullptr;
            *out = parsed;
        }
    }
    list_free(names);
    pfree(copy);
    return ok;
}

// schema_oracle.audit_columns: empty items are dropped.
bool check_audit_columns(char** newval, void** extra, GucSource) {
    bool oom;
    ParsedNames* parsed;
    bool ok = parse_names(*newval, true, &parsed, &oom);
    *extra = parsed;
    if (oom) {
        GUC_check_errdetail("out of memory");
    } else if (!ok) {
        GUC_check_errdetail("schema_oracle.audit_columns is not a list of column names.");
        GUC_check_errhint("Write column names separated by commas.");
    }
    return ok;
}

// The statistics rules' lists: an empty item is refused too.
bool check_column_list(char** newval, void** extra, GucSource) {
    bool oom;
    ParsedNames* parsed;
    bool ok = parse_names(*newval, false, &parsed, &oom);
    *extra = parsed;
    if (oom) {
        GUC_check_errdetail("out of memory");
    } else if (!ok) {
        GUC_check_errdetail("The value must be a list of column names separated by commas.");
        GUC_check_errhint("Quote a name that is not a plain lower-case identifier with \"...\".");
    }
    return ok;
}

void assign_audit_columns(const char*, void* extra) {
    audit_columns_parsed = static_cast<const ParsedNames*>(extra);
}
void assign_natural_key_columns(const char*, void* extra) {
    natural_key_columns_parsed = static_cast<const ParsedNames*>(extra);
}
void assign_soft_delete_columns(const char*, void* extra) {
    soft_delete_columns_parsed = static_cast<const ParsedNames*>(extra);
}

settings::NameList name_list(const ParsedNames* parsed) {
    static const char* const none[1] = {nullptr};
    if (parsed == nullptr)
        return {none, 0};
    return {parsed->names, parsed->count};
}

// --- definitions -------------------------------------------------------------
void define_guard_settings() {
    DefineCustomEnumVariable(
        "schema_oracle.guard", "What the live DDL guard does with its findings.",
        "off: judge nothing; warn: report findings as NOTICE/WARNING; block: also raise "
        "ERROR (SQLSTATE SO001) for rules of severity error.",
        &guard_mode_value, guard_warn, guard_mode_options, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.rule_levels", "Per-rule levels that override the defaults.",
        "A comma-separated list of rule=off|notice|warn|block.", &rule_levels_text, "", PGC_SUSET,
        0, check_rule_levels, assign_rule_levels, nullptr);
    DefineCustomIntVariable(
        "schema_oracle.size_threshold", "Lock and rewrite rules skip tables smaller than this.",
        "Size is max(pg_class.relpages, the current block count) over all leaves.",
        &size_threshold_kb, 10 * 1024, 0, INT_MAX, PGC_SUSET, GUC_UNIT_KB, nullptr, nullptr,
        nullptr);
    DefineCustomEnumVariable(
        "schema_oracle.fail_closed",
        "Block a statement when the guard itself fails while judging it.",
        "auto (default): block when the statement could have been blocked (guard = block, or "
        "a rule_levels entry at block), else warn and let it run; on: always block; off: "
        "always warn and let it run.",
        &fail_closed_value, fail_closed_auto, fail_closed_options, PGC_SUSET, 0, nullptr, nullptr,
        nullptr);
}

void define_commit_settings() {
    DefineCustomEnumVariable(
        "schema_oracle.ddl_log", "What the DDL audit log schema_oracle.ddl_log records.",
        "all: every DDL statement the guard sees; findings: only statements with findings; "
        "off: nothing.",
        &ddl_log_value, log_all, ddl_log_options, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable("schema_oracle.ddl_log_retention",
                               "How long schema_oracle.ddl_log_purge() keeps DDL log rows.",
                               "An interval, e.g. '90 days'.", &ddl_log_retention_text, "90 days",
                               PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomBoolVariable(
        "schema_oracle.commit_checks",
        "Judge the tables a transaction created or altered when it commits.",
        "fk_missing_index, updated_at_no_trigger, and for new tables missing_primary_key and "
        "missing_audit_columns, with the guard's policy (docs/commit-checks.md).",
        &commit_checks_value, true, PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

void define_report_settings() {
    DefineCustomIntVariable(
        "schema_oracle.max_indexes_per_table",
        "report(): a table with more indexes than this is reported (too_many_indexes).",
        "0 turns the rule off.", &max_indexes_per_table_value, 10, 0, 10000, PGC_USERSET, 0,
        nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.audit_columns",
        "report(): comma-separated columns every table should have (missing_audit_columns).",
        "An empty list turns the rule off.", &audit_columns_text, "created_at,updated_at",
        PGC_USERSET, GUC_LIST_INPUT, check_audit_columns, assign_audit_columns, nullptr);
    DefineCustomIntVariable(
        "schema_oracle.stats_min_rows",
        "report(): the statistics-aware rules judge only tables with at least this many rows.",
        "By the planner's estimate (pg_class.reltuples); a table never analyzed is not judged.",
        &stats_min_rows_value, 10000, 1, 2000000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomIntVariable(
        "schema_oracle.report_keep_memory",
        "report(): how much freed memory a backend keeps for its next report() call.",
        "Kept, a later call reuses the pages instead of faulting them in again; when more is "
        "free after a call, all of it is returned to the operating system. 0 returns it "
        "after every call.",
        &report_keep_memory_value, 0, 0, INT_MAX, PGC_USERSET, GUC_UNIT_MB, nullptr, nullptr,
        nullptr);
    DefineCustomStringVariable(
        "schema_oracle.natural_key_columns",
        "report(): column names that say a column is a natural key (natural_key_not_unique).",
        "A column matches a name, or ends with _name. An empty list turns the rule off.",
        &natural_key_columns_text,
        "email,username,user_name,login,slug,code,sku,handle,isbn,ean,iban", PGC_USERSET,
        GUC_LIST_INPUT, check_column_list, assign_natural_key_columns, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.soft_delete_columns",
        "report(): columns that mark a row as soft-deleted (soft_delete_unindexed).",
        "An empty list turns the rule off.", &soft_delete_columns_text, "deleted_at", PGC_USERSET,
        GUC_LIST_INPUT, check_column_list, assign_soft_delete_columns, nullptr);
}

}  // namespace

void init_settings() {
    define_report_settings();
    define_commit_settings();
    define_guard_settings();
    MarkGUCPrefixReserved("schema_oracle");
}

namespace settings {

core::GuardMode guard_mode() {
    switch (guard_mode_value) {
        case guard_off:
            return core::GuardMode::off;
        case guard_block:
            return core::GuardMode::block;
        default:
            return core::GuardMode::warn;
    }
}
const core::RuleLevelTable* rule_levels() {
    return rule_level_table;
}
std::int64_t size_threshold_bytes() {
    return static_cast<std::int64_t>(size_threshold_kb) * 1024;
}
FailClosed fail_closed_setting() {
    switch (fail_closed_value) {
        case fail_closed_on:
            return FailClosed::on;
        case fail_closed_off:
            return FailClosed::off;
        default:
            return FailClosed::automatic;
    }
}
bool fail_closed() {
    switch (fail_closed_setting()) {
        case FailClosed::on:
            return true;
        case FailClosed::off:
            return false;
        case FailClosed::automatic:
            break;
    }
    if (guard_mode_value == guard_off)
        return false;
    if (guard_mode_value == guard_block)
        return true;
    // warn: closed if a per-rule level makes some finding block.
    if (rule_level_table != nullptr)
        for (std::size_t i = 0; i < rule_level_table->count; ++i)
            if (rule_level_table->levels[i] == static_cast<std::int8_t>(core::Level::block))
                return true;
    return false;
}
bool commit_checks() {
    return commit_checks_value;
}
DdlLog ddl_log() {
    switch (ddl_log_value) {
        case log_off:
            return DdlLog::off;
        case log_findings:
            return DdlLog::findings;
        default:
            return DdlLog::all;
    }
}
int max_indexes_per_table() {
    return max_indexes_per_table_value;
}
int stats_min_rows() {
    return stats_min_rows_value;
}
int report_keep_memory() {
    return report_keep_memory_value;
}
NameList audit_columns() {
    return name_list(audit_columns_parsed);
}
NameList natural_key_columns() {
    return name_list(natural_key_columns_parsed);
}
NameList soft_delete_columns() {
    return name_list(soft_delete_columns_parsed);
}

}  // namespace settings
}  // namespace schema_oracle::pg
