// settings.cpp: the schema_oracle.* configuration parameters.
//
// Every enforcement setting is PGC_SUSET: only superusers, or roles granted
// SET on the parameter (PostgreSQL 15: GRANT SET ON PARAMETER), may change
// it, so an application or migration role cannot lower what an
// administrator set with ALTER SYSTEM / ALTER DATABASE / ALTER ROLE.
// See docs/settings.md for each setting, its default and who may change it.
#include <climits>
#include <cstdlib>
#include <new>
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace schema_oracle::pg {

int guard_mode = guard_mode_warn;
char* guard_rule_levels = nullptr;
int guard_size_threshold_kb = 10 * 1024;
int guard_fail_closed = guard_fail_closed_auto;

namespace {

const struct config_enum_entry guard_mode_options[] = {
    {"off", guard_mode_off, false},
    {"warn", guard_mode_warn, false},
    {"block", guard_mode_block, false},
    {nullptr, 0, false},
};

// fail_closed: auto follows the enforcement (closed where a finding could
// block), on and off are absolute. The boolean spellings PostgreSQL accepts
// for a bool setting are accepted too (hidden from the list of values).
const struct config_enum_entry fail_closed_options[] = {
    {"auto", guard_fail_closed_auto, false}, {"on", guard_fail_closed_on, false},
    {"off", guard_fail_closed_off, false},   {"true", guard_fail_closed_on, true},
    {"false", guard_fail_closed_off, true},  {"yes", guard_fail_closed_on, true},
    {"no", guard_fail_closed_off, true},     {"1", guard_fail_closed_on, true},
    {"0", guard_fail_closed_off, true},      {nullptr, 0, false},
};

// The parsed rule_levels, installed by the assign hook; nullptr: no override.
const core::RuleLevelTable* rule_level_table = nullptr;

// Parses 'rule=level, ...' once, with the core parser, into `extra` (the
// pgaudit pattern): a bad value is refused at SET time with the parser's
// message, and a good one is never parsed again. A check hook may not
// ereport; it reports through GUC_check_errdetail, and `extra` must come
// from malloc (the GUC machinery frees it). The C++ runs in cpp_capture.
bool check_rule_levels(char** newval, void** extra, GucSource source) {
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

}  // namespace

const core::RuleLevelTable* guard_rule_levels_parsed() {
    return rule_level_table;
}

bool guard_fails_closed() {
    switch (guard_fail_closed) {
        case guard_fail_closed_on:
            return true;
        case guard_fail_closed_off:
            return false;
        default:
            break;
    }
    if (guard_mode == guard_mode_off)
        return false;
    if (guard_mode == guard_mode_block)
        return true;
    // warn: closed if a per-rule level makes some finding block.
    if (rule_level_table != nullptr)
        for (std::size_t i = 0; i < rule_level_table->count; ++i)
            if (rule_level_table->levels[i] == static_cast<std::int8_t>(core::Level::block))
                return true;
    return false;
}

void init_settings() {
    DefineCustomEnumVariable(
        "schema_oracle.guard", "What the live DDL guard does with its findings.",
        "off: judge nothing; warn: report findings as NOTICE/WARNING; block: also raise "
        "ERROR (SQLSTATE SO001) for rules of severity error.",
        &guard_mode, guard_mode_warn, guard_mode_options, PGC_SUSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.rule_levels", "Per-rule levels that override the defaults.",
        "A comma-separated list of rule=off|notice|warn|block.", &guard_rule_levels, "", PGC_SUSET,
        0, check_rule_levels, assign_rule_levels, nullptr);
    DefineCustomIntVariable(
        "schema_oracle.size_threshold", "Lock and rewrite rules skip tables smaller than this.",
        "Size is max(pg_class.relpages, the current block count) over all leaves.",
        &guard_size_threshold_kb, 10 * 1024, 0, INT_MAX, PGC_SUSET, GUC_UNIT_KB, nullptr, nullptr,
        nullptr);
    DefineCustomEnumVariable(
        "schema_oracle.fail_closed",
        "Block a statement when the guard itself fails while judging it.",
        "auto (default): block when the statement could have been blocked (guard = block, or "
        "a rule_levels entry at block), else warn and let it run; on: always block; off: "
        "always warn and let it run.",
        &guard_fail_closed, guard_fail_closed_auto, fail_closed_options, PGC_SUSET, 0, nullptr,
        nullptr, nullptr);
    MarkGUCPrefixReserved("schema_oracle");
}

}  // namespace schema_oracle::pg
