// catalog_model.hpp: the facts report() judges, as plain data keyed by OID.
//
// The PostgreSQL adapter (pg/catalog_reader) fills this from one bulk read of
// each catalog; the rules (core/report_*.cpp) only read it. The same model
// can later be filled from a migration-file overlay, so nothing here knows
// about PostgreSQL beyond the catalog's own vocabulary (OIDs, attnums,
// relkind letters). Names are stored twice: raw (for matching) and quoted the
// way quote_identifier() quotes them (for identities and fixes).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <boost/container/flat_map.hpp>
#include <boost/container/flat_set.hpp>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::core {

using Oid = std::uint32_t;
using AttrNumber = std::int16_t;
// Key column lists: most indexes and foreign keys have at most 4 columns.
using AttrList = boost::container::small_vector<AttrNumber, 4>;
using OidList = boost::container::small_vector<Oid, 4>;

// Built-in type OIDs the rules recognise (stable since PostgreSQL 7; the
// adapter does not need to translate them).
namespace type_oid {
constexpr Oid int2 = 21, int4 = 23, int8 = 20, text = 25, json = 114, bpchar = 1042, varchar = 1043,
              timestamp = 1114;
}

struct Namespace {
    Oid oid = 0;
    std::string name;   // raw
    std::string qname;  // quoted
};

// A column's planner statistics (pg_stats), read only for big tables and only
// where the caller may read them (pg_stats's own rule: SELECT on the column
// or table, and no row security in force).
struct ColumnStats {
    float null_frac = 0;
    float n_distinct = 0;  // > 0: count; < 0: minus the fraction of rows (-1 = all distinct)
    int avg_width = 0;
    // Most common values and their frequencies: only for text-like columns
    // with a handful of distinct values (status_without_constraint).
    std::vector<std::string> common_values;
    std::vector<float> common_freqs;
};

// The small fields first, packed together: 96 bytes, not 104 (a big catalog
// has hundreds of thousands of columns).
struct Attribute {
    AttrNumber attnum = 0;
    bool not_null = false;
    bool is_local = true;   // false: inherited from a parent (judged there)
    char identity = '\0';   // 'a' / 'd' for identity columns
    char generated = '\0';  // 's' for stored generated columns
    Oid type = 0;
    std::int32_t typmod = -1;
    std::string name;
    std::string qname;
    // part::column_stats, big tables only. A pointer, not an optional: most
    // columns have none, and an optional would add its 70 bytes to every one
    // of a big catalog's hundreds of thousands of columns.
    std::shared_ptr<const ColumnStats> stats;
};

// A table's cumulative activity statistics (pg_stat_user_tables).
struct TableActivity {
    std::int64_t seq_scan = 0, seq_tup_read = 0, idx_scan = 0, idx_tup_fetch = 0, n_dead = 0;
};

// An optional text in one pointer: what std::optional<std::string> says in
// 40 bytes. A big catalog has tens of thousands of indexes, each with two
// (expressions, predicate), nearly always empty. Reads like the optional
// it replaces: if (t), *t, t->..., ==, and assignment from text.
class OptionalText {
public:
    OptionalText() noexcept = default;
    OptionalText(std::nullopt_t) noexcept {}
    OptionalText(std::string s) : text_(std::make_unique<std::string>(std::move(s))) {}
    OptionalText(const char* s) : text_(std::make_unique<std::string>(s)) {}
    OptionalText(const OptionalText& o)
        : text_(o.text_ ? std::make_unique<std::string>(*o.text_) : nullptr) {}
    OptionalText(OptionalText&&) noexcept = default;
    OptionalText& operator=(const OptionalText& o) {
        if (this != &o)
            text_ = o.text_ ? std::make_unique<std::string>(*o.text_) : nullptr;
        return *this;
    }
    OptionalText& operator=(OptionalText&&) noexcept = default;
    OptionalText& operator=(std::nullopt_t) noexcept {
        text_.reset();
        return *this;
    }
    OptionalText& operator=(std::string s) {
        text_ = std::make_unique<std::string>(std::move(s));
        return *this;
    }
    OptionalText& operator=(const char* s) { return *this = std::string(s); }

    bool has_value() const noexcept { return text_ != nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    const std::string& operator*() const noexcept { return *text_; }
    std::string& operator*() noexcept { return *text_; }
    const std::string* operator->() const noexcept { return text_.get(); }
    std::string* operator->() noexcept { return text_.get(); }
    const std::string& value() const {
        if (!text_)
            throw std::bad_optional_access();
        return *text_;
    }
    std::string value_or(std::string fallback) const {
        return text_ ? *text_ : std::move(fallback);
    }
    void reset() noexcept { text_.reset(); }

    friend bool operator==(const OptionalText& a, const OptionalText& b) noexcept {
        return a.text_ ? (b.text_ && *a.text_ == *b.text_) : !b.text_;
    }
    friend bool operator!=(const OptionalText& a, const OptionalText& b) noexcept {
        return !(a == b);
    }

private:
    std::unique_ptr<std::string> text_;
};

struct Index;

struct Relation {
    Oid oid = 0;
    Oid nsp = 0;
    std::string name;
    std::string qname;
    char kind = 'r';  // pg_class.relkind: r, p, S, m, ...
    bool is_partition = false;
    bool typed = false;  // CREATE TABLE ... OF type: its columns come from the type (no ADD COLUMN)
    std::int64_t pages = 0;
    double tuples = -1;  // pg_class.reltuples: -1 = never vacuumed or analyzed
    bool heap = true;    // table access method heap (the bloat estimate assumes it)
    Oid parent = 0;      // partitions: the partitioned table (part::table_stats)
    std::optional<TableActivity> activity;  // part::table_stats, big tables only
    std::vector<Attribute> attrs;           // user columns, sorted by attnum
    std::vector<const Index*> indexes;      // this table's indexes, by OID (set by link())
    // How many indexes the table has: indexes.size() once link() ran, or
    // with part::index_counts alone, the count of its pg_index rows.
    std::size_t index_count = 0;
    std::vector<std::size_t> constraints;  // positions in CatalogModel::constraints
    std::vector<std::size_t> triggers;     // positions in CatalogModel::triggers
    mutable std::string identity;          // "schema.table", filled on first use

    const Attribute* attr(AttrNumber n) const noexcept;
    const Attribute* attr_named(const std::string& raw_name) const noexcept;
};

// ~330 bytes, not ~430 (the flags packed together, the optional texts one pointer
// each): a big catalog has tens of thousands, and their pages are faulted in
// at every report().
struct Index {
    Oid oid = 0;
    Oid table = 0;
    Oid nsp = 0;
    Oid constraint = 0;  // the constraint this index backs, or 0
    std::string name;
    std::string qname;
    std::string am;  // access method name: btree, hash, gist, ...
    int nkey = 0;    // indnkeyatts
    // For a partial index: the smallest n such that "the first n key columns
    // are NOT NULL" implies the predicate (PostgreSQL's predicate_implied_by,
    // e.g. WHERE fk_col IS NOT NULL); 0 = no such n. Filled by the adapter.
    int predicate_implied_by_not_null = 0;
    AttrList columns;          // indkey: key columns then INCLUDE columns; 0 = expression
    OidList opclasses;         // indclass (key columns)
    OidList collations;        // indcollation (key columns)
    AttrList options;          // indoption (key columns)
    OptionalText expressions;  // deparsed, or none
    OptionalText predicate;    // deparsed, or none
    OptionalText reloptions;   // comma-joined, or none (nearly every index)
    std::int64_t pages = 0;
    std::optional<std::int64_t> scans;  // pg_stat_user_indexes.idx_scan
    char kind = 'i';                    // 'i' index, 'I' partitioned index
    bool is_partition = false;          // attached to a partitioned parent index
    bool unique = false, primary = false, exclusion = false, nulls_not_distinct = false;
    bool valid = true, ready = true, live = true;
    // Unique indexes: every key column has the column's collation and its
    // type's default operator class, no DESC / NULLS FIRST, so ADD PRIMARY
    // KEY ... USING INDEX accepts it (parse_utilcmd.c
    // transformIndexConstraint); filled by the adapter.
    bool default_sorting = true;

    bool usable() const noexcept { return valid && ready && live; }
    bool has_expressions() const noexcept;
};

struct Constraint {
    Oid oid = 0;
    std::string name;
    std::string qname;
    char type = 'c';  // contype: p, u, f, c, x, t
    Oid table = 0;
    Oid ref_table = 0;
    Oid index = 0;
    Oid parent = 0;  // conparentid
    bool validated = true;
    char on_delete = 'a';     // confdeltype: a, r, c (cascade), n, d
    OptionalText check_expr;  // conbin node text of single-column CHECKs (part::constraints)
    std::string definition;   // pg_get_constraintdef() of ON DELETE CASCADE foreign keys
                              // (part::fk_definitions), "" otherwise
    AttrList key;             // conkey
    AttrList ref_key;         // confkey
};

struct Trigger {
    Oid table = 0;
    std::string name;
    Oid function = 0;
    int type = 0;           // tgtype bits
    char enabled = 'O';     // tgenabled
    std::string first_arg;  // first trigger argument, "" if none
    int nargs = 0;          // tgnargs
    int nattr = 0;          // number of UPDATE OF columns (0 = all)
    bool internal = false;
};

struct Function {
    Oid oid = 0;
    Oid nsp = 0;
    std::string name;
    std::string language;
    bool security_definer = false;
    bool pins_search_path = false;
    bool is_procedure = false;
    std::string source;    // prosrc, read only for trigger functions
    std::string identity;  // as pg_identify_object(), read for SECURITY DEFINER ones
};

struct Sequence {
    Oid oid = 0;
    Oid type = type_oid::int8;
    std::int64_t start = 1, increment = 1, min = 1, max = INT64_MAX;
    bool cycle = false;
    std::optional<std::int64_t> last;  // nullopt: never used, or not readable
    Oid owner_table = 0;
    AttrNumber owner_column = 0;
};

struct ReportSettings {
    int max_indexes_per_table = 10;
    // Statistics-aware rules judge only tables with at least this many rows
    // (pg_class.reltuples); schema_oracle.stats_min_rows.
    double stats_min_rows = 10000;
    std::vector<std::string> natural_key_columns;  // schema_oracle.natural_key_columns
    std::vector<std::string> soft_delete_columns;  // schema_oracle.soft_delete_columns
    bool has_pg_repack = false;                    // the pg_repack extension is installed
    std::vector<std::string> audit_columns = {"created_at", "updated_at"};  // raw names
    std::vector<std::string> audit_columns_quoted = {"created_at", "updated_at"};
};

struct CatalogModel {
    boost::container::flat_map<Oid, Namespace> namespaces;
    boost::container::flat_map<Oid, Relation> relations;
    boost::container::flat_map<Oid, Index> indexes;
    boost::container::flat_map<Oid, Function> functions;
    boost::container::flat_map<Oid, std::string> type_names;  // format_type() of columns' types
    std::vector<Constraint> constraints;
    std::vector<Trigger> triggers;
    std::vector<Sequence> sequences;
    // Objects that belong to an extension (pg_depend deptype 'e'): pg_class
    // and pg_proc OIDs, and extension-created schemas.
    boost::container::flat_set<Oid> extension_relations;
    boost::container::flat_set<Oid> extension_functions;
    boost::container::flat_set<Oid> extension_namespaces;
    // Tables on which a CREATE INDEX [CONCURRENTLY] is running right now.
    boost::container::flat_set<Oid> index_builds_in_progress;
    std::optional<std::string> stats_reset;  // text of the stats reset time
    std::optional<double> stats_age_seconds;
    ReportSettings settings;
    // The schemas' other relations (views, materialized views, composite
    // types, foreign tables) by schema and name: a new index's name must be
    // free among all of pg_class, whatever the kind.
    std::vector<std::pair<Oid, std::string>> other_relation_names;
    // pg_mbcliplen in the database encoding, for derived names (set by
    // pg::build_model; unit tests: UTF-8).
    upstream::ClipLength clip_name = upstream::clip_utf8;
    // When set, every index name a fix generates is appended here (schema,
    // name): the commit check, whose model holds only the judged tables,
    // confirms them against pg_class and judges again with the names it
    // finds taken (src/pg/commit_check.cpp). report() leaves it null.
    std::vector<std::pair<Oid, std::string>>* generated_names = nullptr;

    const Relation* relation(Oid oid) const noexcept;
    const Index* index(Oid oid) const noexcept;
    // The OIDs of `relations` and `indexes` in map order, set by link(): a
    // binary search over these few cache lines instead of over the large
    // elements themselves (tens of thousands of lookups per report). A
    // lookup checks that the element found is the one asked for, and falls
    // back to the map, so a map changed after link() is still answered right.
    std::vector<Oid> relation_oids, index_oids;
    const Namespace* nspace(Oid oid) const noexcept;
    // Fills Relation::indexes/constraints/triggers and Index::constraint
    // after the raw rows are in. Call once.
    void link();
    // "schema.table", quoted (computed once per relation).
    const std::string& table_identity(const Relation& r) const;
    std::string type_name(Oid type) const;
};

}  // namespace schema_oracle::core
