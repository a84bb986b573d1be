// erd.hpp: the text of schema_oracle.erd() (Mermaid erDiagram, Graphviz DOT)
// and of data_dictionary() (Markdown, JSON), written from a plain model of
// the tables the caller may see.
//
// The adapter (pg/erd_catalog.cpp) fills the model from one scan per
// catalog; everything here is pure text work: the escaping of each target
// language (erd_escape.cpp), the neighbourhood of `around`, the order of the
// findings, and the writers. The model does not own its strings: they are
// views of the adapter's palloc'd rows, which outlive the writing.
//
// The output is byte for byte what the SQL implementation in
// extension/0.2.0/40-erd.sql writes (kept as the reference: the regression
// test erd_equivalence compares the two).
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::core::erd {

using Oid = std::uint32_t;

// ------------------------------------------------------------ escaping --
// Each function below is the C++ twin of the SQL function named after it
// (schema_oracle._erd_*), with the same rules (docs/erd.md "Names of any kind").

// Control characters U+0001..U+001F and U+007F as their control pictures.
void append_visible(std::string& out, std::string_view s);
// Graphviz HTML-like label text: & < > " as entities.
void append_html(std::string& out, std::string_view s);
// A DOT quoted ID, with its quotes, distinct for distinct names.
void append_dot_id(std::string& out, std::string_view s);
// Mermaid label text (plain words unchanged, anything else entity-coded).
void append_mermaid(std::string& out, std::string_view s);
// A SQL type name in a Mermaid attribute.
void append_mermaid_type(std::string& out, std::string_view s);
// A Mermaid entity id: schema__table for plain words, else t<position>.
void append_mermaid_id(std::string& out, std::string_view nsp, std::string_view rel,
                       std::int64_t position);
// Markdown inline text (ASCII punctuation backslash-escaped).
void append_md(std::string& out, std::string_view s);
// A Markdown code span, | escaped.
void append_md_code(std::string& out, std::string_view s);

// Whole-string forms, for tests and one-off uses.
std::string html(std::string_view s);
std::string dot_id(std::string_view s);
std::string mermaid(std::string_view s);
std::string mermaid_type(std::string_view s);
std::string md(std::string_view s);
std::string md_code(std::string_view s);

// --------------------------------------------------------------- model --

struct Column {
    std::int16_t attnum = 0;
    std::string_view name;
    std::string_view type;  // format_type(atttypid, atttypmod)
    bool pk = false;        // in the primary key
    bool fk = false;        // in a foreign key
    bool uq = false;        // a key column of a valid, non-partial unique index (not the PK)
    bool nn = false;        // NOT NULL
    std::optional<std::string_view> comment;
};

struct Table {
    Oid oid = 0;
    std::string_view nsp;
    std::string_view name;
    std::string_view qualified;   // format('%I.%I', schema, table)
    char kind = 'r';              // r, p (partitioned), f (foreign)
    std::int64_t partitions = 0;  // direct partitions of a partitioned table
    std::optional<std::string_view> comment;
    std::vector<Column> columns;  // the ones the caller may see, by attnum
};

// One foreign key the user declared, both ends mapped to their partition
// root; child and parent are positions in Diagram::tables.
struct ForeignKey {
    Oid oid = 0;
    std::string_view name;
    std::size_t child = 0, parent = 0;
    std::vector<std::string_view> columns;  // the referencing columns, in key order
    bool unique = false;         // a valid, non-partial unique index has only FK columns as keys
    bool nullable = false;       // an FK column may be NULL
    std::string_view on_delete;  // NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT
};

// A report() finding, by the table it is drawn on (its partition root).
struct Finding {
    Oid table = 0;
    std::string_view text;  // "<severity> <rule>: <message>"
};

struct Diagram {
    std::vector<Table> tables;  // in schema, table order (C collation)
    std::vector<ForeignKey> foreign_keys;
    // In report order (severity, rule, object); those on tables not drawn
    // are left out, the rest numbered in table order, then this order.
    std::vector<Finding> findings;
    std::vector<Oid> uncovered;  // foreign keys fk_missing_index found without an index
    bool keys_only = false;
};

// The positions of the tables reachable from `root` over at most `depth`
// foreign keys, either way, in table order.
std::vector<std::size_t> neighbourhood(const Diagram& d, std::size_t root, int depth);

// Keeps only the tables at `keep` (sorted positions), and the foreign keys
// between them.
void restrict_to(Diagram& d, const std::vector<std::size_t>& keep);

std::string write_mermaid(const Diagram& d);
std::string write_dot(const Diagram& d);

// ---------------------------------------------------- data dictionary --
// One table of data_dictionary(), as the SQL reference's JSON document
// (_erd_dictionary_tables) holds it; std::nullopt is JSON null.

// The structs DictColumn, DictIndex, DictTrigger, DictConstraint,
// DictForeignKey, DictReference and DictTable, one member per row of
// dictionary_fields.def (which says what each holds). Not formatted:
// clang-format cannot read braces one macro opens and another closes.
// clang-format off
#define SO_DICT_STRUCT(Name) struct Name {
#define SO_DICT_TEXT(member, key) std::string_view member;
#define SO_DICT_OPTIONAL(member, key) std::optional<std::string_view> member;
#define SO_DICT_FLAG(member, key, initial) bool member = initial;
#define SO_DICT_COUNT(member, key) std::optional<std::int64_t> member;
#define SO_DICT_NAMES(member, key) std::vector<std::string_view> member;
#define SO_DICT_OBJECTS(Type, member, key) std::vector<Type> member;
#define SO_DICT_KIND(member, key) char member = 'r';
#define SO_DICT_END };
// clang-format on
#include "schema_oracle/core/dictionary_fields.def"

struct Dictionary {
    std::string_view database;
    std::vector<DictTable> tables;  // in schema, table order
};

// jsonb_pretty() of the SQL reference's document: the same keys in jsonb's
// order, the same indentation and escapes.
std::string write_dictionary_json(const Dictionary& d);
std::string write_dictionary_markdown(const Dictionary& d);

}  // namespace schema_oracle::core::erd
