// dml_rules.cpp: large_dml_in_migration (see dml_rules.hpp).
#include "schema_oracle/core/dml_rules.hpp"

#include <cctype>
#include <cmath>

#include "schema_oracle/core/guard.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core {

namespace {

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Positions of the top-level words of a statement (lower-cased), skipping
// string literals, quoted identifiers, dollar quotes, comments and anything
// inside parentheses.
struct Word {
    std::size_t begin, end;
    std::string lower;
};

std::vector<Word> top_level_words(std::string_view s) {
    std::vector<Word> out;
    std::size_t i = 0;
    int depth = 0;
    while (i < s.size()) {
        char c = s[i];
        if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
            while (i < s.size() && s[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            int nest = 1;
            i += 2;
            while (i < s.size() && nest > 0) {
                if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*')
                    nest++, i += 2;
                else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/')
                    nest--, i += 2;
                else
                    ++i;
            }
        } else if (c == '\'') {
            bool backslash = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e');
            ++i;
            while (i < s.size()) {
                if (backslash && s[i] == '\\') {
                    i += 2;
                    continue;
                }
                if (s[i] == '\'') {
                    if (i + 1 < s.size() && s[i + 1] == '\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                ++i;
            }
            ++i;
        } else if (c == '"') {
            ++i;
            while (i < s.size() && !(s[i] == '"' && !(i + 1 < s.size() && s[i + 1] == '"'))) {
                if (s[i] == '"')
                    ++i;
                ++i;
            }
            ++i;
        } else if (c == '$' && (i == 0 || !word_char(s[i - 1]))) {
            std::size_t j = i + 1;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
                ++j;
            if (j < s.size() && s[j] == '$') {
                std::string_view tag = s.substr(i, j - i + 1);
                std::size_t close = s.find(tag, j + 1);
                i = close == std::string_view::npos ? s.size() : close + tag.size();
            } else {
                ++i;
            }
        } else if (c == '(') {
            ++depth, ++i;
        } else if (c == ')') {
            --depth, ++i;
        } else if (word_char(c)) {
            std::size_t b = i;
            while (i < s.size() && word_char(s[i])) ++i;
            if (depth == 0) {
                std::string w(s.substr(b, i - b));
                for (auto& ch : w)
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                out.push_back({b, i, std::move(w)});
            }
        } else {
            ++i;
        }
    }
    return out;
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (std::isspace(static_cast<unsigned char>(s[b])))) ++b;
    while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == ';')) --e;
    return std::string(s.substr(b, e - b));
}

std::string rows_text(double rows) {
    return std::to_string(static_cast<long long>(std::llround(rows)));
}

// Whether `s` (trimmed) is one relation name, qualified or not: no blank
// outside double quotes. A blank means an alias (`orders o`, `orders AS o`)
// that the clauses may use but a hint built on the bare table cannot; a
// qualified name written with blanks around its dot falls back too (safe).
bool single_name(std::string_view s) {
    std::string t;  // s without its comments
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 2, "--") == 0) {
            while (i < s.size() && s[i] != '\n') ++i;
            t += ' ';
        } else if (s.compare(i, 2, "/*") == 0) {
            std::size_t close = s.find("*/", i + 2);
            i = close == std::string_view::npos ? s.size() : close + 1;
            t += ' ';
        } else {
            t += s[i];
        }
    }
    t = trim(t);
    bool quoted = false;
    for (char c : t) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && std::isspace(static_cast<unsigned char>(c)))
            return false;
    }
    return !t.empty();
}

// Whether `s` holds a parameter ($1, $2, ...): a statement an ORM sent with
// parameters cannot be pasted, and backfill() refuses it. A "$1" inside a
// literal also counts, which only costs a placeholder hint.
bool has_parameter(std::string_view s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i)
        if (s[i] == '$' && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
            (i == 0 || !word_char(s[i - 1])))
            return true;
    return false;
}

}  // namespace

DmlClauses split_dml(std::string_view s, bool update) {
    DmlClauses out;
    std::vector<Word> words = top_level_words(s);
    if (words.empty() || words[0].lower != (update ? "update" : "delete"))
        return out;
    std::size_t set_at = 0, where_at = 0, end_at = s.size();
    bool have_set = false, have_where = false;
    for (std::size_t k = 1; k < words.size(); ++k) {
        const std::string& w = words[k].lower;
        if (w == "from" && update && have_set && !have_where)
            return out;  // UPDATE ... FROM
        if (w == "using" && !update)
            return out;  // DELETE ... USING
        if (w == "set" && update && !have_set) {
            have_set = true;
            set_at = k;
        } else if (w == "where" && !have_where) {
            have_where = true;
            where_at = k;
            if (k + 1 < words.size() && words[k + 1].lower == "current")
                return out;
        } else if (w == "returning") {
            end_at = words[k].begin;
            break;
        }
    }
    if (update && !have_set)
        return out;
    // The target: UPDATE [ONLY] name SET / DELETE FROM [ONLY] name WHERE.
    std::size_t name_from = 1;
    if (!update) {
        if (words.size() < 2 || words[1].lower != "from")
            return out;
        name_from = 2;
    }
    std::size_t name_begin = name_from < words.size() && words[name_from].lower == "only"
                                 ? words[name_from].end
                                 : words[name_from - 1].end;
    std::size_t name_end = update       ? words[set_at].begin
                           : have_where ? words[where_at].begin
                                        : end_at;
    if (name_end < name_begin || !single_name(s.substr(name_begin, name_end - name_begin)))
        return out;
    if (update) {
        std::size_t set_end = have_where ? words[where_at].begin : end_at;
        out.set = trim(s.substr(words[set_at].end, set_end - words[set_at].end));
    }
    if (have_where)
        out.where = trim(s.substr(words[where_at].end, end_at - words[where_at].end));
    if (has_parameter(out.set) || has_parameter(out.where))
        return DmlClauses{};
    out.ok = true;
    return out;
}

DmlFinding judge_large_dml(const LargeDml& f) {
    DmlFinding out;
    if (f.bytes < f.threshold || f.rows < 1)
        return out;
    out.fires = true;
    const std::string verb = f.update ? "UPDATE" : "DELETE";
    out.message = "schema_oracle: " + verb + " of ~" + rows_text(f.rows) +
                  (std::llround(f.rows) == 1 ? " row of " : " rows of ") + f.table + " (~" +
                  format_size(f.bytes) +
                  ") inside a migration holds their row locks until it commits "
                  "[large_dml_in_migration]";
    out.detail = "Lock: ROW EXCLUSIVE on " + f.table + " and a row lock on every " +
                 (f.update ? "updated" : "deleted") +
                 " row until COMMIT; concurrent writers of those rows wait, and everything the "
                 "migration's DDL locked stays locked for the whole " +
                 verb + ".";
    DmlClauses c = split_dml(f.statement, f.update);
    std::string set = c.ok ? c.set : "<SET clause>";
    std::string where = c.ok ? (c.where.empty() ? "true" : c.where) : "<WHERE clause>";
    // A DELETE's WHERE goes on lines of its own (it may end in a --
    // comment); a DELETE of every row needs none.
    const std::string filter = c.ok && c.where.empty() ? "" : " WHERE (\n" + where + "\n)";
    if (f.update)
        out.hint =
            "Commit the schema change first, then update the rows in batches, outside the "
            "migration's transaction:\nCALL schema_oracle.backfill(" +
            quote_literal(f.table) + ", " + quote_literal(set) + ", " + quote_literal(where) + ");";
    else if (!f.partitioned)
        out.hint =
            "Commit the schema change first, then delete in batches, outside the "
            "migration's transaction (repeat until it deletes 0 rows):\nDELETE FROM " +
            f.table + " WHERE ctid IN (SELECT ctid FROM " + f.table + filter + " LIMIT 10000);";
    else if (!f.key_columns.empty()) {
        // A ctid names a row only within one partition: key the batches on
        // the primary key, which is unique across the whole partitioned table.
        std::string key;
        for (const std::string& k : f.key_columns) key += (key.empty() ? "" : ", ") + k;
        out.hint =
            "Commit the schema change first, then delete in batches, outside the "
            "migration's transaction (repeat until it deletes 0 rows):\nDELETE FROM " +
            f.table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + f.table + filter +
            " LIMIT 10000);";
    } else
        out.hint =
            "Commit the schema change first, then delete in batches, outside the migration's "
            "transaction. " +
            f.table +
            " is partitioned and has no primary key to batch on (a ctid is unique only within "
            "one partition): delete partition by partition, or by ranges of a unique key.";
    return out;
}

}  // namespace schema_oracle::core
