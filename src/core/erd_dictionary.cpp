// erd_dictionary.cpp: data_dictionary()'s two writers, Markdown and JSON,
// writing the text of the SQL reference (_erd_dictionary_markdown and
// jsonb_pretty() of _erd_dictionary_tables in extension/0.2.0/40-erd.sql).
//
// The JSON is what jsonb_pretty() prints: object keys in jsonb's order
// (shorter keys first, then bytewise), 4 spaces per level, no space after a
// comma, an empty array as "[" newline "]", strings escaped as escape_json()
// escapes them. The tables' objects are written from the rows of
// core/dictionary_fields.def, which list their keys in that order; the
// document's own keys below are written in it too.
#include <cmath>

#include "schema_oracle/core/erd.hpp"
#include "schema_oracle/core/guard.hpp"  // format_size: pg_size_pretty
#include "schema_oracle/upstream/json.hpp"

namespace schema_oracle::core::erd {

namespace {

// ------------------------------------------------------------------ JSON --

// jsonb.c's JsonbToCStringWorker with indent = true, driven by tokens.
class Pretty {
public:
    explicit Pretty(std::string& out) : out_(out) {}

    void begin_object() { begin('{'); }
    void end_object() { end('}'); }
    void begin_array() { begin('['); }
    void end_array() { end(']'); }

    void key(std::string_view k) {
        comma();
        first_ = true;
        indent(use_indent_);
        string(k);
        out_ += ": ";
        after_key_ = true;
    }

    void str(std::string_view v) {
        scalar([&] { string(v); });
    }
    void str(const std::optional<std::string_view>& v) {
        if (v)
            str(*v);
        else
            null();
    }
    void num(std::int64_t v) {
        scalar([&] { out_ += std::to_string(v); });
    }
    void num(const std::optional<std::int64_t>& v) {
        if (v)
            num(*v);
        else
            null();
    }
    void boolean(bool v) {
        scalar([&] { out_ += v ? "true" : "false"; });
    }
    void null() {
        scalar([&] { out_ += "null"; });
    }

    void field(std::string_view k, std::string_view v) { key(k), str(v); }
    void field(std::string_view k, const std::optional<std::string_view>& v) { key(k), str(v); }
    void field_num(std::string_view k, const std::optional<std::int64_t>& v) { key(k), num(v); }
    void field_bool(std::string_view k, bool v) { key(k), boolean(v); }
    void strings(std::string_view k, const std::vector<std::string_view>& v) {
        key(k);
        begin_array();
        for (std::string_view s : v) str(s);
        end_array();
    }

private:
    void comma() {
        if (!first_)
            out_ += ',';
    }
    void indent(bool on) {
        if (!on)
            return;
        out_ += '\n';
        out_.append(static_cast<std::size_t>(level_) * 4, ' ');
    }
    void begin(char c) {
        if (after_key_) {  // the value of a key: on the key's line
            after_key_ = false;
        } else {
            comma();
            indent(use_indent_);
        }
        out_ += c;
        first_ = true;
        ++level_;
        use_indent_ = true;
    }
    void end(char c) {
        --level_;
        indent(use_indent_);
        out_ += c;
        first_ = false;
        use_indent_ = true;
    }
    template <typename Fn>
    void scalar(Fn&& write) {
        if (after_key_) {
            after_key_ = false;
        } else {  // an array element
            comma();
            indent(use_indent_);
        }
        write();
        first_ = false;
        use_indent_ = true;
    }
    void string(std::string_view s) { upstream::append_json_string(out_, s); }

    std::string& out_;
    bool first_ = true;
    bool use_indent_ = false;  // the very first token is not indented
    bool after_key_ = false;
    int level_ = 0;
};

const char* kind_name(char kind) {
    return kind == 'p' ? "partitioned table" : kind == 'f' ? "foreign table" : "table";
}

struct Coverage {
    std::int64_t tables = 0, tables_with_comment = 0, columns = 0, columns_with_comment = 0;
};

Coverage coverage_of(const Dictionary& d) {
    Coverage c;
    for (const DictTable& t : d.tables) {
        ++c.tables;
        if (t.comment)
            ++c.tables_with_comment;
        for (const DictColumn& col : t.columns) {
            ++c.columns;
            if (col.comment)
                ++c.columns_with_comment;
        }
    }
    return c;
}

// An array of objects under `key`: begin, fields(item), end per item.
template <typename Item, typename Fields>
void json_objects(Pretty& j, std::string_view key, const std::vector<Item>& items,
                  Fields&& fields) {
    j.key(key);
    j.begin_array();
    for (const Item& item : items) {
        j.begin_object();
        fields(item);
        j.end_object();
    }
    j.end_array();
}

// The names of a table's columns without a comment, in column order.
std::vector<std::string_view> uncommented_columns(const DictTable& t) {
    std::vector<std::string_view> missing;
    for (const DictColumn& col : t.columns)
        if (!col.comment)
            missing.push_back(col.name);
    return missing;
}

// json_fields(j, x) for each struct of dictionary_fields.def: its fields,
// in the rows' (jsonb's) order. A struct's rows come after those of the
// structs it holds lists of, so their json_fields are declared by then.
// clang-format off
#define SO_DICT_STRUCT(Name) void json_fields(Pretty& j, const Name& x) {
#define SO_DICT_TEXT(member, key) j.field(key, x.member);
#define SO_DICT_OPTIONAL(member, key) j.field(key, x.member);
#define SO_DICT_FLAG(member, key, initial) j.field_bool(key, x.member);
#define SO_DICT_COUNT(member, key) j.field_num(key, x.member);
#define SO_DICT_NAMES(member, key) j.strings(key, x.member);
#define SO_DICT_OBJECTS(Type, member, key) \
    json_objects(j, key, x.member, [&](const Type& item) { json_fields(j, item); });
#define SO_DICT_KIND(member, key) j.field(key, std::string_view(kind_name(x.member)));
#define SO_DICT_END }
// clang-format on
#include "schema_oracle/core/dictionary_fields.def"

// ------------------------------------------------------------- Markdown --

void md_names(std::string& out, const std::vector<std::string_view>& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += ", ";
        append_md(out, names[i]);
    }
}

void md_qualified(std::string& out, std::string_view schema, std::string_view table) {
    append_md(out, schema);
    out += '.';
    append_md(out, table);
}

// round(100.0 * part / total) ' %', or an em dash for nothing to count
void md_percent(std::string& out, std::int64_t part, std::int64_t total) {
    if (total == 0) {
        out += "\xe2\x80\x94";
        return;
    }
    out += std::to_string((200 * part + total) / (2 * total));  // half away from zero
    out += " %";
}

// A Markdown table of a list, or nothing for an empty list: `head` (a
// title and the header rows), then "| " cells " |" per item.
template <typename Item, typename Cells>
void md_table(std::string& out, const std::vector<Item>& items, const char* head, Cells&& cells) {
    if (items.empty())
        return;
    out += head;
    for (const Item& item : items) {
        out += "| ";
        cells(item);
        out += " |\n";
    }
    out += '\n';
}

}  // namespace

std::string write_dictionary_json(const Dictionary& d) {
    std::string out;
    out.reserve(1024 + d.tables.size() * 8000);
    Pretty j(out);
    const Coverage c = coverage_of(d);
    j.begin_object();
    json_objects(j, "tables", d.tables, [&](const DictTable& t) { json_fields(j, t); });
    j.key("coverage");
    j.begin_object();
    j.field_num("tables", c.tables);
    j.field_num("columns", c.columns);
    j.field_num("tables_with_comment", c.tables_with_comment);
    j.field_num("columns_with_comment", c.columns_with_comment);
    j.key("tables_without_comment");
    j.begin_array();
    for (const DictTable& t : d.tables) {
        if (t.comment)
            continue;
        j.begin_object();
        j.field("table", t.name);
        j.field("schema", t.schema);
        j.end_object();
    }
    j.end_array();
    j.key("columns_without_comment");
    j.begin_array();
    for (const DictTable& t : d.tables) {
        const std::vector<std::string_view> missing = uncommented_columns(t);
        if (missing.empty())
            continue;
        j.begin_object();
        j.field("table", t.name);
        j.field("schema", t.schema);
        j.strings("columns", missing);
        j.end_object();
    }
    j.end_array();
    j.end_object();
    j.field("database", d.database);
    j.end_object();
    return out;
}

std::string write_dictionary_markdown(const Dictionary& d) {
    std::string out;
    out.reserve(1024 + d.tables.size() * 3000);
    const Coverage c = coverage_of(d);
    out += "# Data dictionary: ";
    append_md(out, d.database);
    out +=
        "\n\n## Documentation coverage\n\n| | with a comment | total | coverage |\n"
        "|---|---:|---:|---:|\n";
    out += "| tables | " + std::to_string(c.tables_with_comment) + " | " +
           std::to_string(c.tables) + " | ";
    md_percent(out, c.tables_with_comment, c.tables);
    out += " |\n| columns | " + std::to_string(c.columns_with_comment) + " | " +
           std::to_string(c.columns) + " | ";
    md_percent(out, c.columns_with_comment, c.columns);
    out += " |\n\n";
    if (c.tables_with_comment < c.tables) {
        out += "Tables without a comment:\n\n";
        for (const DictTable& t : d.tables)
            if (!t.comment) {
                out += "- ";
                md_qualified(out, t.schema, t.name);
                out += '\n';
            }
        out += '\n';
    }
    if (c.columns_with_comment < c.columns) {
        out += "Columns without a comment:\n\n| table | columns |\n|---|---|\n";
        for (const DictTable& t : d.tables) {
            const std::vector<std::string_view> missing = uncommented_columns(t);
            if (missing.empty())
                continue;
            out += "| ";
            md_qualified(out, t.schema, t.name);
            out += " | ";
            md_names(out, missing);
            out += " |\n";
        }
        out += '\n';
    }

    for (const DictTable& t : d.tables) {
        out += "## ";
        md_qualified(out, t.schema, t.name);
        out += "\n\n";
        if (t.comment) {
            append_md(out, *t.comment);
            out += "\n\n";
        } else {
            out += "*No comment.*\n\n";
        }
        out += kind_name(t.kind);
        if (t.partitions) {
            out += " (" + std::to_string(*t.partitions) + " partition";
            out += *t.partitions == 1 ? ")" : "s)";
        }
        out += " \xc2\xb7 size ";
        out += t.size_bytes ? format_size(*t.size_bytes) : std::string("\xe2\x80\x94");
        out += " \xc2\xb7 rows (estimate) ";
        out += t.row_estimate ? std::to_string(*t.row_estimate)
                              : std::string("unknown (never analyzed)");
        out += "\n\n| column | type | null | default | comment |\n|---|---|---|---|---|\n";
        for (const DictColumn& col : t.columns) {
            out += "| ";
            append_md(out, col.name);
            if (col.primary_key)
                out += " (PK)";
            out += " | ";
            append_md_code(out, col.type);
            out += col.nullable ? " | yes | " : " | NOT NULL | ";
            if (col.identity) {
                out += "identity ";
                out += *col.identity;
            } else if (col.generated) {
                out += "generated ";
                append_md_code(out, *col.generated);
            } else if (col.default_expr) {
                append_md_code(out, *col.default_expr);
            }
            out += " | ";
            if (col.comment)
                append_md(out, *col.comment);
            out += " |\n";
        }
        out += '\n';
        md_table(out, t.constraints,
                 "Constraints:\n\n| name | type | definition |\n|---|---|---|\n",
                 [&](const DictConstraint& k) {
                     append_md(out, k.name);
                     out += " | ";
                     out += k.type;
                     out += " | ";
                     append_md_code(out, k.definition);
                     if (!k.validated)
                         out += " (not validated)";
                 });
        md_table(out, t.indexes, "Indexes:\n\n| name | definition |\n|---|---|\n",
                 [&](const DictIndex& x) {
                     append_md(out, x.name);
                     out += " | ";
                     append_md_code(out, x.definition);
                     if (!x.valid)
                         out += " (invalid)";
                 });
        md_table(
            out, t.foreign_keys,
            "Foreign keys:\n\n| name | columns | references | definition |\n|---|---|---|---|\n",
            [&](const DictForeignKey& k) {
                append_md(out, k.name);
                out += " | ";
                md_names(out, k.columns);
                out += " | ";
                md_qualified(out, k.references_schema, k.references_table);
                out += " (";
                md_names(out, k.references_columns);
                out += ") | ";
                append_md_code(out, k.definition);
            });
        md_table(out, t.referenced_by,
                 "Referenced by:\n\n| table | columns | constraint |\n|---|---|---|\n",
                 [&](const DictReference& r) {
                     md_qualified(out, r.schema, r.table);
                     out += " | ";
                     md_names(out, r.columns);
                     out += " | ";
                     append_md(out, r.name);
                 });
        md_table(out, t.triggers, "Triggers:\n\n| name | definition |\n|---|---|\n",
                 [&](const DictTrigger& g) {
                     append_md(out, g.name);
                     out += " | ";
                     append_md_code(out, g.definition);
                     if (g.enabled != "origin") {
                         out += " (";
                         out += g.enabled;
                         out += ')';
                     }
                 });
    }
    return out;
}

}  // namespace schema_oracle::core::erd
