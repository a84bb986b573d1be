// report_settings.cpp: the settings only report() reads. They change what a
// report shows, never what the server allows, so any user may set them.
#include "schema_oracle/pg/module_init.hpp"
#include "schema_oracle/pg/report.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "utils/builtins.h"
#include "nodes/pg_list.h"
#include "utils/guc.h"
#include "utils/varlena.h"
}

namespace {
// Plain C globals (no constructors): GUC storage.
int max_indexes_per_table = 10;
int stats_min_rows = 10000;
char* audit_columns = nullptr;
char* natural_key_columns = nullptr;
char* soft_delete_columns = nullptr;

// A comma-separated list of column names, each an identifier (quoted with
// "..." for any other spelling), as SplitIdentifierString reads it: the
// statistics rules' lists are refused at SET time too.
bool check_column_list(char** newval, void**, GucSource) {
    char* copy = pstrdup(*newval ? *newval : "");
    List* names = NIL;
    bool ok = SplitIdentifierString(copy, ',', &names);
    if (ok) {
        ListCell* lc;
        foreach (lc, names)
            if (static_cast<const char*>(lfirst(lc))[0] == '\0')
                ok = false;
    }
    list_free(names);
    pfree(copy);
    if (!ok) {
        GUC_check_errdetail("The value must be a list of column names separated by commas.");
        GUC_check_errhint("Quote a name that is not a plain lower-case identifier with \"...\".");
    }
    return ok;
}

// schema_oracle.audit_columns parsed once, by its check hook, into one
// malloc'd block (GUC extra): the names, unquoted, empty ones dropped.
struct AuditColumns {
    int n;
    const char* names[1];  // n entries (allocated longer), pointing into the same block
};
const AuditColumns* audit_columns_parsed = nullptr;

// A bad list is refused at SET time, with a clear message (the pgaudit
// pattern); C-style: SplitIdentifierString and palloc only.
bool check_audit_columns(char** newval, void** extra, GucSource) {
    *extra = nullptr;
    char* copy = pstrdup(*newval ? *newval : "");
    List* names = NIL;
    if (!SplitIdentifierString(copy, ',', &names)) {
        GUC_check_errdetail("schema_oracle.audit_columns is not a list of column names.");
        GUC_check_errhint("Write column names separated by commas.");
        return false;
    }
    Size bytes = offsetof(AuditColumns, names) + sizeof(char*) * (list_length(names) + 1);
    ListCell* lc;
    foreach (lc, names) bytes += strlen((const char*)lfirst(lc)) + 1;
    auto* parsed = static_cast<AuditColumns*>(malloc(bytes));
    if (parsed == nullptr) {
        GUC_check_errdetail("out of memory");
        return false;
    }
    parsed->n = 0;
    char* text = reinterpret_cast<char*>(&parsed->names[list_length(names) + 1]);
    foreach (lc, names) {
        const char* name = (const char*)lfirst(lc);
        if (name[0] == '\0')
            continue;
        strcpy(text, name);
        parsed->names[parsed->n++] = text;
        text += strlen(name) + 1;
    }
    *extra = parsed;
    return true;
}

void assign_audit_columns(const char*, void* extra) {
    audit_columns_parsed = static_cast<const AuditColumns*>(extra);
}
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
        "An empty list turns the rule off.", &audit_columns, "created_at,updated_at", PGC_USERSET,
        GUC_LIST_INPUT, check_audit_columns, assign_audit_columns, nullptr);
    DefineCustomIntVariable(
        "schema_oracle.stats_min_rows",
        "report(): the statistics-aware rules judge only tables with at least this many rows.",
        "By the planner's estimate (pg_class.reltuples); a table never analyzed is not judged.",
        &stats_min_rows, 10000, 1, 2000000000, PGC_USERSET, 0, nullptr, nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.natural_key_columns",
        "report(): column names that say a column is a natural key (natural_key_not_unique).",
        "A column matches a name, or ends with _name. An empty list turns the rule off.",
        &natural_key_columns, "email,username,user_name,login,slug,code,sku,handle,isbn,ean,iban",
        PGC_USERSET, GUC_LIST_INPUT, check_column_list, nullptr, nullptr);
    DefineCustomStringVariable(
        "schema_oracle.soft_delete_columns",
        "report(): columns that mark a row as soft-deleted (soft_delete_unindexed).",
        "An empty list turns the rule off.", &soft_delete_columns, "deleted_at", PGC_USERSET,
        GUC_LIST_INPUT, check_column_list, nullptr, nullptr);
}

int report_max_indexes_per_table() {
    return max_indexes_per_table;
}
int report_stats_min_rows() {
    return stats_min_rows;
}

int report_audit_columns(const char* const** names) {
    static const char* const none[1] = {nullptr};
    if (audit_columns_parsed == nullptr) {
        *names = none;
        return 0;
    }
    *names = audit_columns_parsed->names;
    return audit_columns_parsed->n;
}

}  // namespace schema_oracle::pg
