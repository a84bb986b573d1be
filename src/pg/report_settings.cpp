// report_settings.cpp: the settings only report() reads. They change what a
// report shows, never what the server allows, so any user may set them.
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/report.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "utils/guc.h"
}

namespace {
// Plain C globals (no constructors): GUC storage.
int max_indexes_per_table = 10;
char* audit_columns = nullptr;
}  // namespace

namespace schema_oracle::pg {

void init_report_settings() {
    DefineCustomIntVariable(
        "schema_oracle.max_indexes_per_table",
        "report(): a table with more indexes than this is reported (too_many_indexes).",
        "0 turns the rule off.", &max_indexes_per_table, 10, 0, 10000, PGC_USERSET, 0, nullptr,
        nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.audit_columns",
        "report(): comma-separated columns every table should have (missing_audit_columns).",
        "An empty list turns the rule off.", &audit_columns, "created_at,updated_at",
        PGC_USERSET, GUC_LIST_INPUT, nullptr, nullptr, nullptr);
}

int report_max_indexes_per_table() { return max_indexes_per_table; }

}  // namespace schema_oracle::pg
