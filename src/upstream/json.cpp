// json.cpp: escape_json() of src/backend/utils/adt/json.c, PostgreSQL 15, in
// pure C++ (part of the core library; see json.hpp).
#include "schema_oracle/upstream/json.hpp"

namespace schema_oracle::upstream {

// json.c, escape_json (PostgreSQL 15). Unlike the C original it takes a
// length, so a NUL byte is escaped (\u0000) instead of ending the string.
void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    // the runs that need no escape are copied whole
    std::size_t plain = 0;
    while (plain < s.size()) {
        unsigned char c = s[plain];
        if (c < ' ' || c == '"' || c == '\\')
            break;
        ++plain;
    }
    out.append(s.data(), plain);
    for (unsigned char c : s.substr(plain)) {
        switch (c) {
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                if (c < ' ') {
                    static const char hex[] = "0123456789abcdef";
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

}  // namespace schema_oracle::upstream
