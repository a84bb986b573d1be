// report.hpp: schema_oracle.report() in the pure core: options, findings and
// the rule families that turn a CatalogModel into findings.
//
// A finding is data (rule id, severity, object address, message parts), so
// the same verdicts can be rendered as rows, JSON, SARIF or (roadmap) logged
// to an audit table.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <csignal>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema_oracle/core/catalog_model.hpp"
#include "schema_oracle/core/finding_text.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core {

// Which catalog an object address points into; the adapter maps these to
// pg_class / pg_constraint / pg_proc OIDs.
enum class ObjectClass { relation, constraint, function };

struct ReportFinding {
    std::string_view rule;  // a catalog rule id (static storage)
    int rule_rank = 0;      // position of the rule in the sorted catalog (cheap ordering)
    Severity severity = Severity::warning;
    Category category = Category::performance;
    std::string_view object_type;  // as pg_identify_object(): "table", "index", ... (static)
    // The texts (core/finding_text.hpp: in the arena the caller bound, if any).
    FindingText object_identity;  // as pg_identify_object()
    FindingText table_identity;   // schema.table the object belongs to ("" if none)
    FindingText message;
    FindingText detail;       // "" = NULL
    FindingText fix;          // runnable SQL, "" = NULL
    std::string_view schema;  // raw schema name, for the schema filters (points into the model)
    ObjectClass object_class = ObjectClass::relation;
    Oid objid = 0;
    int objsubid = 0;
    bool exempted = false;
};

struct Exemption {
    std::string rule;
    std::string pattern;  // LIKE pattern on object_identity
};

// Thrown by run_report() when the host asked to stop (query cancel,
// statement_timeout, termination); the host then raises its own error.
struct Cancelled : std::exception {
    const char* what() const noexcept override { return "report cancelled"; }
};

// The byte length of the character starting at `s` in the database
// encoding (the adapter passes PostgreSQL's pg_encoding_mblen); null = one
// byte per character.
using CharLength = int (*)(const char* s);

struct ReportOptions {
    // Flags the host sets asynchronously to ask for a stop (PostgreSQL's
    // QueryCancelPending / ProcDiePending), polled between rule families;
    // null = never.
    const volatile std::sig_atomic_t* cancel_flags[2] = {nullptr, nullptr};

    std::optional<std::vector<std::string>> include_schemas;
    std::vector<std::string> exclude_schemas;
    Severity min_severity = Severity::info;
    std::optional<std::vector<std::string>> rules;  // validated ids
    bool show_exempted = false;
    std::vector<Exemption> exemptions;
    CharLength char_length = nullptr;  // for the exemptions' LIKE patterns
};

// Checks a rule list: every id must name a rule report() judges. Throws
// core::Error 22023 otherwise.
void validate_rule_ids(const std::vector<std::string>& ids);
// Parses a severity name or throws core::Error 22023.
Severity parse_min_severity(std::string_view text);

// SQL LIKE with % and _ and backslash escapes, character by character as
// PostgreSQL's LIKE reads them in the database encoding (_ is one
// character, however many bytes it takes).
bool like_match(std::string_view text, std::string_view pattern,
                CharLength char_length = nullptr) noexcept;

// The whole report: every rule family, then filters, exemptions and the
// stable order (most severe first, then rule, then identity).
std::vector<ReportFinding> run_report(const CatalogModel& model, const ReportOptions& options);
// The same findings unordered, with `order` listing their positions in the
// stable order: a caller that walks them once (the SQL rows) spares moving
// every finding to its place.
std::vector<ReportFinding> run_report(const CatalogModel& model, const ReportOptions& options,
                                      std::vector<std::uint32_t>& order);

// What the caller asked for, known before any finding is formatted, so the
// rule families do only the work whose findings can be shown: a rule not
// requested is not judged, an object in a filtered-out schema not looked at,
// and a finding's message, detail and fix are written only once keep() has
// seen its identity survive the exemptions.
class ReportScope {
public:
    ReportScope(const CatalogModel& m, const ReportOptions& o);
    // The rule is requested and its findings can reach the minimum severity.
    bool rule(std::string_view id) const noexcept;
    // The schema passes include_schemas / exclude_schemas.
    bool schema(Oid nsp) const noexcept;
    bool wants(std::string_view id, Oid nsp) const noexcept { return schema(nsp) && rule(id); }
    // With f.rule and f.object_identity set: marks it exempted if an
    // exemption matches; false if it is then hidden (show_exempted off).
    bool keep(ReportFinding& f) const;

private:
    const ReportOptions& options_;
    std::vector<bool> rules_;                  // by rule rank
    boost::container::flat_set<Oid> schemas_;  // namespaces that pass the filters
};

// Rule families (src/core/report_*.cpp). Each appends the findings in scope
// for the objects it judges; run_report() filters on severity afterwards.
void report_foreign_keys(
    const CatalogModel& m, const ReportScope& s,
    std::vector<ReportFinding>& out);  // fk_missing_index, fk_type_mismatch, constraint_not_valid
void report_tables(
    const CatalogModel& m, const ReportScope& s,
    std::vector<ReportFinding>& out);  // missing_primary_key, too_many_indexes,
                                       // missing_audit_columns, updated_at_no_trigger
void report_indexes(const CatalogModel& m, const ReportScope& s,
                    std::vector<ReportFinding>&
                        out);  // duplicate_index, redundant_index, invalid_index, unused_index
void report_columns(const CatalogModel& m, const ReportScope& s,
                    std::vector<ReportFinding>&
                        out);  // type hygiene, date_stored_as_text, plaintext_password_column
void report_sequences(const CatalogModel& m, const ReportScope& s,
                      std::vector<ReportFinding>& out);  // sequence_near_overflow
void report_functions(const CatalogModel& m, const ReportScope& s,
                      std::vector<ReportFinding>& out);  // security_definer_search_path
void report_statistics(const CatalogModel& m, const ReportScope& s,
                       std::vector<ReportFinding>& out);  // the statistics-aware rules

// unused_index judges only the indexes these conditions leave (plain,
// usable, not attached to a parent, backing no constraint, not unique,
// covering no foreign key): the adapter fetches usage statistics for the
// indexes unused_index_candidates() lists only (Index::scans), after the
// model is built.
bool may_be_unused(const CatalogModel& m, const Relation& t, const Index& ix) noexcept;
std::vector<Oid> unused_index_candidates(const CatalogModel& m);

// Helpers shared by the rule families.
ReportFinding make_finding(std::string_view rule_id);
// The parts joined into one string allocated once at its final size: rules
// that return tens of thousands of findings build their texts with it
// instead of chains of operator+ (a temporary and a regrowth per step).
std::string concat(std::initializer_list<std::string_view> parts);
bool is_judged_table(const CatalogModel& m, const Relation& r) noexcept;
// quote_literal, quote_name (for generated names): core/sql_text.hpp.
// Whether a trigger function keeps `column` (raw name) current: the model's
// view of core/updated_at.hpp's trigger_function_maintains_column().
bool function_maintains_column(const CatalogModel& m, const Function& f, const Trigger& t,
                               std::string_view column);
// Why a trigger cannot keep a column current ("" if it can): disabled,
// AFTER, statement-level, not on UPDATE, UPDATE OF other columns.
std::string trigger_cannot_maintain(const Trigger& t);
// Whether updated_at_no_trigger looks after a column of this name (as
// stored): updated_at, updated_on, modified_at.
bool is_maintained_column_name(std::string_view name) noexcept;

}  // namespace schema_oracle::core
