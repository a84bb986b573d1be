// naming.cpp: makeObjectName, ChooseRelationName and
// ChooseIndexNameAddition of src/backend/commands/indexcmds.c, PostgreSQL
// 15, in pure C++ (part of the core library; see naming.hpp).
#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::upstream {

namespace {

constexpr std::size_t namedatalen = 64;  // NAMEDATALEN

// pg_mbcliplen for UTF-8: at most n bytes, never splitting a character.
std::size_t clip_utf8(std::string_view s, std::size_t n) {
    if (n >= s.size())
        return s.size();
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return n;
}

}  // namespace

// indexcmds.c, makeObjectName (PostgreSQL 15).
std::string make_object_name(std::string_view name1, std::string_view name2,
                             std::string_view label) {
    std::size_t overhead = 0;
    std::size_t name1chars = name1.size(), name2chars = 0;
    if (!name2.empty()) {
        name2chars = name2.size();
        ++overhead;  // the separating underscore
    }
    if (!label.empty())
        overhead += label.size() + 1;
    const std::size_t avail = namedatalen - 1 - overhead;
    while (name1chars + name2chars > avail) {  // cut the longer name first
        if (name1chars > name2chars)
            --name1chars;
        else
            --name2chars;
    }
    std::string out(name1.substr(0, clip_utf8(name1, name1chars)));
    if (!name2.empty())
        out += "_" + std::string(name2.substr(0, clip_utf8(name2, name2chars)));
    if (!label.empty())
        out += "_" + std::string(label);
    return out;
}

// indexcmds.c, ChooseIndexNameAddition (PostgreSQL 15).
std::string index_name_addition(const std::vector<std::string>& colnames) {
    std::string out;
    for (const std::string& name : colnames) {
        if (!out.empty())
            out += '_';
        out += name.substr(0, namedatalen - 1);
        if (out.size() >= namedatalen)
            break;
    }
    return out;
}

// indexcmds.c, ChooseRelationName (PostgreSQL 15).
std::string choose_relation_name(std::string_view name1, std::string_view name2,
                                 std::string_view label,
                                 const std::function<bool(const std::string&)>& taken) {
    std::string modlabel(label);
    for (int pass = 1;; ++pass) {
        std::string name = make_object_name(name1, name2, modlabel);
        if (!taken(name))
            return name;
        modlabel = std::string(label) + std::to_string(pass);
    }
}

}  // namespace schema_oracle::upstream
