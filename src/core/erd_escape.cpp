// erd_escape.cpp: text for the languages erd() and data_dictionary() write
// (DOT quoted IDs and HTML-like labels, Mermaid, Markdown), the C++ twins of
// the SQL functions schema_oracle._erd_* in extension/0.2.0/40-erd.sql: the
// same characters, the same fast paths (a plain word passes unchanged where
// the SQL function passes it), so both write the same bytes. The database
// encoding is UTF-8 (the extension's script cannot be loaded otherwise: it
// holds U& literals beyond ASCII); an invalid byte is passed through.
#include "schema_oracle/core/erd.hpp"

namespace schema_oracle::core::erd {

namespace {

bool is_letter(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}
bool is_control(unsigned char c) {
    return (c >= 0x01 && c <= 0x1f) || c == 0x7f;
}
// CommonMark's ASCII punctuation: [!-/:-@[-`{-~].
bool is_ascii_punct(unsigned char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

// The control picture of a control character: U+2400 + c, U+2421 for DEL.
void append_picture(std::string& out, unsigned char c) {
    out += '\xe2';
    out += '\x90';
    out += static_cast<char>(c == 0x7f ? 0xa1 : 0x80 + c);
}

// The code point at s[i] and its length in bytes (an invalid byte: itself, 1).
std::uint32_t decode(std::string_view s, std::size_t i, std::size_t& len) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    unsigned char c = b(0);
    auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xc0) == 0x80; };
    if (c < 0x80) {
        len = 1;
        return c;
    }
    if ((c & 0xe0) == 0xc0 && cont(1)) {
        len = 2;
        return ((c & 0x1fu) << 6) | (b(1) & 0x3fu);
    }
    if ((c & 0xf0) == 0xe0 && cont(1) && cont(2)) {
        len = 3;
        return ((c & 0x0fu) << 12) | ((b(1) & 0x3fu) << 6) | (b(2) & 0x3fu);
    }
    if ((c & 0xf8) == 0xf0 && cont(1) && cont(2) && cont(3)) {
        len = 4;
        return ((c & 0x07u) << 18) | ((b(1) & 0x3fu) << 12) | ((b(2) & 0x3fu) << 6) |
               (b(3) & 0x3fu);
    }
    len = 1;
    return c;
}

// ^[A-Za-z][A-Za-z0-9_]*$
bool plain_word(std::string_view s) {
    if (s.empty() || !is_letter(s[0]))
        return false;
    for (unsigned char c : s)
        if (!is_letter(c) && !is_digit(c) && c != '_')
            return false;
    return true;
}

// ^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$ : a plain word with single inner
// underscores only, so "__" can join two of them unambiguously.
bool id_word(std::string_view s) {
    if (!plain_word(s) || s.back() == '_')
        return false;
    return s.find("__") == std::string_view::npos;
}

// ^[A-Za-z][A-Za-z0-9_ ]*(\([0-9,]+\))?[a-z ]*(\[\])*$ (a SQL type name made
// of plain words). [a-z ] is within the first class, so a greedy match of
// each part decides it.
bool plain_type(std::string_view s) {
    std::size_t i = 0, n = s.size();
    if (n == 0 || !is_letter(s[0]))
        return false;
    auto word = [](unsigned char c) { return is_letter(c) || is_digit(c) || c == '_' || c == ' '; };
    while (i < n && word(s[i])) ++i;
    if (i < n && s[i] == '(') {
        std::size_t start = ++i;
        while (i < n && (is_digit(s[i]) || s[i] == ',')) ++i;
        if (i == start || i >= n || s[i] != ')')
            return false;
        ++i;
        while (i < n && ((s[i] >= 'a' && s[i] <= 'z') || s[i] == ' ')) ++i;
    }
    while (i + 1 < n && s[i] == '[' && s[i + 1] == ']') i += 2;
    return i == n;
}

bool contains_direction_icase(std::string_view s) {
    static constexpr std::string_view word = "direction";
    if (s.size() < word.size())
        return false;
    for (std::size_t i = 0; i + word.size() <= s.size(); ++i) {
        std::size_t k = 0;
        while (k < word.size()) {
            unsigned char c = s[i + k];
            if (c >= 'A' && c <= 'Z')
                c = static_cast<unsigned char>(c - 'A' + 'a');
            if (c != word[k])
                break;
            ++k;
        }
        if (k == word.size())
            return true;
    }
    return false;
}

// White space as the SQL class [[:space:]\u00A0\u1680\u2000-\u200A\u2028
// \u2029\u202F\u205F\u3000\uFEFF] sees it after control characters became
// pictures (glibc's space class adds nothing beyond these).
bool mermaid_space(std::uint32_t cp) {
    return cp == 0x20 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 ||
           cp == 0xfeff;
}

// Characters of Mermaid's grammar, of markdown inline syntax, and of
// Mermaid's own entity placeholders.
bool mermaid_special(std::uint32_t cp) {
    switch (cp) {
        case '"':
        case '#':
        case '$':
        case '%':
        case '&':
        case '*':
        case '<':
        case '>':
        case '[':
        case '\\':
        case ']':
        case '_':
        case '`':
        case '{':
        case '|':
        case '}':
        case '~':
        case 0xfb02:
        case 0xb0:
        case 0xb6:
        case 0xdf:
            return true;
        default:
            return false;
    }
}

// _erd_mermaid_coded: every character of concern as #<code>; (see the SQL
// function for why each one).
void append_mermaid_coded(std::string& out, std::string_view s) {
    const bool direction = contains_direction_icase(s);
    std::uint32_t prev = 0;
    std::size_t n = 0;  // characters written so far (the WORD JOINERs count)
    auto put = [&](std::uint32_t cp, std::string_view raw) {
        ++n;
        bool code = mermaid_special(cp) ||
                    (n == 1 && cp < 0x80 && !is_letter(static_cast<unsigned char>(cp)) &&
                     cp >= 0x20 && cp <= 0x7e) ||
                    (direction && mermaid_space(cp));
        if (code) {
            out += '#';
            out += std::to_string(cp);
            out += ';';
        } else {
            out.append(raw.data(), raw.size());
        }
    };
    std::string picture;
    for (std::size_t i = 0; i < s.size();) {
        std::size_t len;
        std::uint32_t cp = decode(s, i, len);
        std::string_view raw = s.substr(i, len);
        i += len;
        if (cp < 0x80 && is_control(static_cast<unsigned char>(cp))) {
            picture.clear();
            append_picture(picture, static_cast<unsigned char>(cp));
            cp = cp == 0x7f ? 0x2421 : 0x2400 + cp;
            raw = picture;
        }
        // the placeholder pairs get a WORD JOINER between them
        if ((prev == 0xfb02 && cp == 0xb0) || (prev == 0xb6 && cp == 0xdf))
            put(0x2060, "\xe2\x81\xa0");
        put(cp, raw);
        prev = cp;
    }
}

}  // namespace

void append_visible(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        if (is_control(c))
            append_picture(out, c);
        else
            out += static_cast<char>(c);
    }
}

void append_html(std::string& out, std::string_view s) {
    for (unsigned char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                if (is_control(c))
                    append_picture(out, c);
                else
                    out += static_cast<char>(c);
        }
    }
}

void append_dot_id(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = s[i];
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (is_control(c)) {
            append_picture(out, c);
        } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x90 &&
                   static_cast<unsigned char>(s[i + 2]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 2]) <= 0xa6) {
            // a control picture already in the name (U+2400..U+2426) is
            // marked, so it cannot be confused with a drawn control character
            out += "\\p";
            out.append(s.data() + i, 3);
            i += 2;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

void append_mermaid(std::string& out, std::string_view s) {
    if (plain_word(s))
        out.append(s.data(), s.size());
    else
        append_mermaid_coded(out, s);
}

void append_mermaid_type(std::string& out, std::string_view s) {
    if (plain_type(s) && s.find("direction") == std::string_view::npos)
        out.append(s.data(), s.size());
    else
        append_mermaid_coded(out, s);
}

void append_mermaid_id(std::string& out, std::string_view nsp, std::string_view rel,
                       std::int64_t position) {
    if (id_word(nsp) && id_word(rel)) {
        out.append(nsp.data(), nsp.size());
        out += "__";
        out.append(rel.data(), rel.size());
    } else {
        out += 't';
        out += std::to_string(position);
    }
}

void append_md(std::string& out, std::string_view s) {
    if (plain_word(s)) {
        out.append(s.data(), s.size());
        return;
    }
    for (unsigned char c : s) {
        if (is_control(c)) {
            append_picture(out, c);
        } else {
            if (is_ascii_punct(c))
                out += '\\';
            out += static_cast<char>(c);
        }
    }
}

void append_md_code(std::string& out, std::string_view s) {
    std::size_t longest = 0, run = 0;
    for (char c : s) {
        run = c == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    std::string fence(longest + 1, '`');
    out += fence;
    if (longest > 0)
        out += ' ';
    for (unsigned char c : s) {
        if (c == '|')
            out += "\\|";
        else if (is_control(c))
            append_picture(out, c);
        else
            out += static_cast<char>(c);
    }
    if (longest > 0)
        out += ' ';
    out += fence;
}

#define SO_ERD_WHOLE(name)                 \
    std::string name(std::string_view s) { \
        std::string out;                   \
        append_##name(out, s);             \
        return out;                        \
    }
SO_ERD_WHOLE(html)
SO_ERD_WHOLE(dot_id)
SO_ERD_WHOLE(mermaid)
SO_ERD_WHOLE(mermaid_type)
SO_ERD_WHOLE(md)
SO_ERD_WHOLE(md_code)
#undef SO_ERD_WHOLE

}  // namespace schema_oracle::core::erd
