// sql_text.cpp: quoting for SQL and for the shell (see sql_text.hpp).
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core {

std::string quote_name(std::string_view name) {
    // PostgreSQL's quote_identifier (ruleutils.c): safe if it starts with a
    // lower-case letter or underscore and holds only those and digits.
    bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            plain = false;
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
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += '\'';
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
