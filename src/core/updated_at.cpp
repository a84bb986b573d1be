// updated_at.cpp: the recogniser of trigger functions that keep a column
// current (see updated_at.hpp). The PL/pgSQL part is a small tokenizer that
// follows PostgreSQL's SQL scanner (src/backend/parser/scan.l, PostgreSQL
// 15) for what can hide or disguise code: comments, string literals, dollar
// quotes, quoted identifiers and identifier case folding.
#include "schema_oracle/core/updated_at.hpp"

#include <cctype>
#include <string>

namespace schema_oracle::core {

namespace {

enum class Tok { ident, assign, equals, dot, semicolon, label_end, other };

struct Token {
    Tok kind;
    std::string text;  // identifiers: folded (unquoted) or exact (quoted)
};

bool ident_start(unsigned char c) {
    return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool ident_char(unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

class Scanner {
public:
    explicit Scanner(std::string_view s) : s_(s) {}

    // The next significant token; false at the end.
    bool next(Token& t) {
        for (;;) {
            skip_space();
            if (i_ >= s_.size())
                return false;
            char c = s_[i_];
            if (c == '-' && peek(1) == '-') {  // -- comment to the end of the line
                while (i_ < s_.size() && s_[i_] != '\n') ++i_;
                continue;
            }
            if (c == '/' && peek(1) == '*') {  // /* comment */, nested as in scan.l
                skip_block_comment();
                continue;
            }
            break;
        }
        char c = s_[i_];
        if (c == '\'') {
            skip_string(false);
            t = {Tok::other, ""};
        } else if ((c == 'e' || c == 'E') && peek(1) == '\'') {
            ++i_;
            skip_string(true);
            t = {Tok::other, ""};
        } else if (c == '$' && dollar_quote()) {
            t = {Tok::other, ""};
        } else if (c == '"') {
            t = {Tok::ident, quoted_identifier()};
        } else if (ident_start(static_cast<unsigned char>(c))) {
            std::string word;
            while (i_ < s_.size() && ident_char(static_cast<unsigned char>(s_[i_])))
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(s_[i_++])));
            t = {Tok::ident, word};
        } else if (c == ':' && peek(1) == '=') {
            i_ += 2;
            t = {Tok::assign, ""};
        } else if (c == '>' && peek(1) == '>') {
            i_ += 2;
            t = {Tok::label_end, ""};
        } else {
            ++i_;
            t = {c == '='   ? Tok::equals
                 : c == '.' ? Tok::dot
                 : c == ';' ? Tok::semicolon
                            : Tok::other,
                 ""};
        }
        return true;
    }

private:
    char peek(std::size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }

    void skip_space() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }

    void skip_block_comment() {
        int depth = 0;
        while (i_ < s_.size()) {
            if (s_[i_] == '/' && peek(1) == '*') {
                ++depth;
                i_ += 2;
            } else if (s_[i_] == '*' && peek(1) == '/') {
                i_ += 2;
                if (--depth == 0)
                    return;
            } else {
                ++i_;
            }
        }
    }

    // '...' with '' (and, for E'', backslash escapes).
    void skip_string(bool backslashes) {
        ++i_;  // opening quote
        while (i_ < s_.size()) {
            char c = s_[i_];
            if (backslashes && c == '\\') {
                i_ += 2;
            } else if (c == '\'') {
                if (peek(1) == '\'') {
                    i_ += 2;
                } else {
                    ++i_;
                    return;
                }
            } else {
                ++i_;
            }
        }
    }

    // $tag$ ... $tag$ (the tag: an identifier without $, or empty); false
    // (nothing consumed) for a $1 parameter or a lone $.
    bool dollar_quote() {
        std::size_t j = i_ + 1;
        if (j < s_.size() && ident_start(static_cast<unsigned char>(s_[j])))
            while (j < s_.size() && s_[j] != '$' && ident_char(static_cast<unsigned char>(s_[j])))
                ++j;
        if (j >= s_.size() || s_[j] != '$')
            return false;
        std::string_view tag = s_.substr(i_, j - i_ + 1);
        std::size_t end = s_.find(tag, j + 1);
        i_ = end == std::string_view::npos ? s_.size() : end + tag.size();
        return true;
    }

    std::string quoted_identifier() {
        std::string out;
        ++i_;
        while (i_ < s_.size()) {
            if (s_[i_] == '"') {
                if (peek(1) == '"') {
                    out += '"';
                    i_ += 2;
                    continue;
                }
                ++i_;
                break;
            }
            out += s_[i_++];
        }
        return out;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

// Does a statement start after `previous`?
bool starts_statement(const Token& previous) {
    if (previous.kind == Tok::semicolon || previous.kind == Tok::label_end)
        return true;
    if (previous.kind != Tok::ident)
        return false;
    const std::string& w = previous.text;
    return w == "begin" || w == "then" || w == "else" || w == "loop";
}

}  // namespace

bool plpgsql_assigns_new_column(std::string_view source, std::string_view column) {
    Scanner scan(source);
    std::vector<Token> toks;
    Token t;
    while (scan.next(t)) toks.push_back(std::move(t));
    // [statement start] new . column (:= | =)
    for (std::size_t k = 0; k + 3 < toks.size(); ++k) {
        if (k > 0 && !starts_statement(toks[k - 1]))
            continue;
        if (toks[k].kind != Tok::ident || toks[k].text != "new")
            continue;
        if (toks[k + 1].kind != Tok::dot)
            continue;
        if (toks[k + 2].kind != Tok::ident || toks[k + 2].text != column)
            continue;
        if (toks[k + 3].kind == Tok::assign || toks[k + 3].kind == Tok::equals)
            return true;
    }
    return false;
}

bool trigger_function_maintains_column(const TriggerFunctionRef& fn,
                                       const std::vector<std::string_view>& args,
                                       std::string_view column) {
    if (fn.name == "moddatetime" && fn.language == "c")
        return !args.empty() && args[0] == column;
    if (fn.schema == "schema_oracle" && fn.name == "set_updated_at")
        return args.empty() ? column == "updated_at" : args[0] == column;
    if (fn.language == "plpgsql")
        return plpgsql_assigns_new_column(fn.source, column);
    return false;
}

}  // namespace schema_oracle::core
