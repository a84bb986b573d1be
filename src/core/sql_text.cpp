// sql_text.cpp: quoting for SQL and for the shell (see sql_text.hpp).
#include "schema_oracle/core/sql_text.hpp"

#include "schema_oracle/upstream/keywords.hpp"

namespace schema_oracle::core {

std::string quote_name(std::string_view name) {
    // PostgreSQL's quote_identifier (ruleutils.c, PostgreSQL 15): safe if it
    // starts with a lower-case letter or underscore, holds only those and
    // digits, and is no keyword other than an unreserved one.
    bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            plain = false;
    if (plain) {
        auto category = upstream::keyword_category(name);
        if (category && *category != upstream::KeywordCategory::unreserved)
            plain = false;
    }
    if (plain)
        return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string quote_literal(std::string_view text) {
    // PostgreSQL's quote_literal (quote.c, quote_literal_internal,
    // PostgreSQL 15): quotes and backslashes doubled, and an E prefix when
    // there is a backslash, so the literal means the same whatever
    // standard_conforming_strings says.
    std::string out = text.find('\\') == std::string_view::npos ? "'" : "E'";
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += c;
        out += c;
    }
    return out + "'";
}

std::string shell_word(std::string_view word) {
    // Words made only of characters no shell treats specially stay as they
    // are; anything else goes in single quotes, inside which nothing is
    // special but the closing quote: ' becomes '\''.
    bool plain = !word.empty();
    for (char c : word)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == ',' ||
              c == '+' || c == '@' || c == '%'))
            plain = false;
    if (plain)
        return std::string(word);
    std::string out = "'";
    for (char c : word) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

}  // namespace schema_oracle::core
