// report_needs.cpp: the catalogs and model parts each report() rule reads
// (see report_needs.hpp). A new rule adds its line here; the unit test
// rule_needs_cover_every_report_rule fails for a report rule without one.
#include "schema_oracle/core/report_needs.hpp"

#include <utility>

namespace schema_oracle::core {

namespace {

using namespace part;

struct RuleNeeds {
    std::string_view rule;
    unsigned parts;
    bool big_tables_only = false;  // judges only analyzed tables of stats_min_rows rows or more
};

// Index rules know which index backs a constraint (constraints are linked
// to their indexes: no constraint names or keys needed); duplicate_index and
// redundant_index name the columns of the indexes they report (both need
// two indexes starting with the same column); unused_index spares the
// indexes that cover a foreign key (so it reads the foreign keys' columns).
constexpr unsigned index_rule = indexes | index_key_names | constraint_indexes | index_details;
// The foreign-key rules read a table's columns only through its foreign
// keys: the key columns (named in fk_missing_index's message and fix, typed
// in fk_type_mismatch's) and the referenced ones (typed), so they declare
// part::fk_columns, not every column of every table.
// The column-type rules judge a column by its type alone (json_column,
// timestamp_without_time_zone, char_column, varchar_255) or a text-like
// column by its name (date_stored_as_text, plaintext_password_column): they
// declare part::hygiene_columns, not every column.
// missing_audit_columns and updated_at_no_trigger look a table's columns up
// by name only (the audit columns, updated_at and its kin): they declare
// part::named_columns; sequence_near_overflow reads only the column a
// sequence feeds (part::sequence_columns).
// Constraints with their names (what most rules that read constraints print
// or must keep free); unused_index alone reads only their types and keys.
constexpr unsigned named_constraints = constraints | constraint_names;

constexpr RuleNeeds table[] = {
    {"fk_missing_index", named_constraints | indexes | fk_columns},
    {"fk_type_mismatch", named_constraints | fk_columns},
    {"constraint_not_valid", named_constraints},
    {"missing_primary_key", pk_candidates},
    {"too_many_indexes", index_counts},
    {"missing_audit_columns", named_columns},
    {"updated_at_no_trigger", named_columns | triggers},
    {"duplicate_index", index_rule},
    {"redundant_index", index_rule},
    {"invalid_index", unusable_indexes | index_builds},
    {"unused_index", indexes | constraints | index_usage},
    {"json_column", hygiene_columns},
    {"timestamp_without_time_zone", hygiene_columns},
    {"char_column", hygiene_columns},
    {"varchar_255", hygiene_columns},
    {"date_stored_as_text", hygiene_columns},
    {"plaintext_password_column", hygiene_columns},
    {"sequence_near_overflow", sequences | sequence_columns},
    {"security_definer_search_path", definer_functions},
    {"nullable_never_null", columns | named_constraints | column_stats, true},
    {"status_without_constraint", columns | named_constraints | column_stats, true},
    {"natural_key_not_unique", columns | indexes | column_stats, true},
    {"cascade_chain", named_constraints | table_stats | fk_definitions},
    {"soft_delete_unindexed", columns | indexes | named_constraints | table_stats, true},
    {"seq_scan_heavy", indexes | table_stats, true},
    {"table_bloat", columns | column_stats, true},
};

}  // namespace

unsigned rule_needs(std::string_view rule_id) noexcept {
    for (const RuleNeeds& r : table)
        if (r.rule == rule_id)
            return r.parts;
    return 0;
}

bool rule_judges_big_tables_only(std::string_view rule_id) noexcept {
    for (const RuleNeeds& r : table)
        if (r.rule == rule_id)
            return r.big_tables_only;
    return false;
}

unsigned report_needs(const std::optional<std::vector<std::string>>& rules) noexcept {
    if (!rules) {
        unsigned all_parts = 0;
        for (const RuleNeeds& r : table) all_parts |= r.parts;
        return all_parts;
    }
    unsigned parts = 0;
    bool big_only = !rules->empty();
    for (const std::string& id : *rules) {
        parts |= rule_needs(id);
        big_only = big_only && rule_judges_big_tables_only(id);
    }
    return big_only ? parts | big_tables_only : parts;
}

}  // namespace schema_oracle::core
