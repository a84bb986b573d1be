// report_needs.hpp: which catalogs and model parts each report() rule reads,
// so report() scans and builds only what the requested rules need.
//
// The namespaces, the relations (pg_class), extension membership, the
// settings and the exemptions are always read; everything else is a part a
// rule must declare here (src/core/report_needs.cpp). A rule that reads a
// part it did not declare sees it empty, so the unit tests run every rule
// on a model holding only its declared parts and compare the findings.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::core {

namespace part {
constexpr unsigned columns = 1u << 0;        // pg_attribute: user columns, type names
constexpr unsigned pk_candidates = 1u << 1;  // primary keys and unique constraints (no
                                             // names, no keys); the unique indexes of tables
                                             // without a primary key, and their key columns
constexpr unsigned indexes = 1u << 2;        // pg_index, pg_am
constexpr unsigned index_usage = 1u << 3;    // idx_scan per index, statistics reset time
constexpr unsigned index_builds = 1u << 4;   // CREATE INDEX running now (backend progress)
constexpr unsigned constraints = 1u << 5;    // pg_constraint
constexpr unsigned triggers = 1u << 6;       // pg_trigger, trigger functions (pg_proc, pg_language)
constexpr unsigned definer_functions = 1u << 7;  // SECURITY DEFINER functions (pg_proc)
constexpr unsigned sequences = 1u << 8;          // pg_sequence, last values, owning columns
constexpr unsigned column_stats = 1u << 9;       // pg_stats of big tables' columns (what the
                                                 // caller may read); implies columns, table_stats
constexpr unsigned table_stats = 1u << 10;       // pg_stat_user_tables counters of big tables,
                                                 // partition parents (pg_inherits)
constexpr unsigned fk_definitions = 1u << 11;    // pg_get_constraintdef() of ON DELETE
                                                 // CASCADE foreign keys; implies constraints
constexpr unsigned unusable_indexes = 1u << 12;  // pg_index rows of the indexes not valid,
                                                 // ready and live only; implied by indexes
constexpr unsigned index_counts = 1u << 13;      // how many indexes each table has (pg_index
                                                 // rows counted, nothing else); implied by indexes
constexpr unsigned index_key_names = 1u << 14;   // the names (and types) of the key columns
                                                 // of the indexes on tables where two usable
                                                 // indexes start with the same column (the
                                                 // only ones duplicate_index and
                                                 // redundant_index name); implied by columns
constexpr unsigned constraint_indexes = 1u << 15;  // which index backs which primary key,
                                                   // unique or exclusion constraint (no
                                                   // names, no keys); implied by constraints
constexpr unsigned index_details = 1u << 16;       // of the indexes read: operator classes,
                                                   // collations, ordering options (indclass,
                                                   // indcollation, indoption) and storage
                                                   // options (reloptions), which only the
                                                   // rules comparing two indexes read
constexpr unsigned constraint_names = 1u << 17;    // of the constraints read: their names
                                                   // (quoted too); every rule that reads
                                                   // constraints but unused_index
constexpr unsigned fk_columns = 1u << 18;          // the key and referenced columns of the
                                                   // foreign keys read (names, types): all
                                                   // the foreign-key rules name or compare;
                                                   // implied by columns
constexpr unsigned hygiene_columns = 1u << 19;     // the columns the column-type rules can
                                                   // flag: a type classify_column_type()
                                                   // names (json, timestamp, char(n),
                                                   // varchar(255)) or a text-like one (the
                                                   // name rules); implied by columns
constexpr unsigned named_columns = 1u << 20;       // the columns named like an audit column
                                                   // (schema_oracle.audit_columns) or like one
                                                   // updated_at_no_trigger looks after
                                                   // (maintained_column_names): the only ones
                                                   // those two rules read; implied by columns
constexpr unsigned sequence_columns = 1u << 21;    // the columns the sequences read feed
                                                   // (owned by, or identity of); implied by
                                                   // columns
constexpr unsigned all = (1u << 22) - 1;
// Not a part: every requested rule judges only big tables (analyzed, at
// least schema_oracle.stats_min_rows rows), so the columns, indexes and
// constraints of the other tables are not read. report_needs() sets it.
constexpr unsigned big_tables_only = 1u << 22;
}  // namespace part

// The column names updated_at_no_trigger looks after (as stored, lower
// case); the reader keeps these (and the audit columns) for part::named_columns.
inline constexpr const char* maintained_column_names[] = {"updated_at", "updated_on",
                                                          "modified_at"};

// The parts one rule reads (0 for an id report() does not judge).
unsigned rule_needs(std::string_view rule_id) noexcept;

// Whether the rule judges only big tables (part::big_tables_only).
bool rule_judges_big_tables_only(std::string_view rule_id) noexcept;

// The parts a report over these rules reads (nullopt = every rule), with
// part::big_tables_only when every one of them judges only big tables.
unsigned report_needs(const std::optional<std::vector<std::string>>& rules) noexcept;

}  // namespace schema_oracle::core
