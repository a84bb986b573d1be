// naming.cpp: makeObjectName, ChooseRelationName, ChooseIndexName,
// ChooseIndexNameAddition and ChooseIndexColumnNames of
// src/backend/commands/indexcmds.c, PostgreSQL 15, in pure C++ (part of the
// core library; see naming.hpp).
#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::upstream {

namespace {

constexpr std::size_t namedatalen = 64;  // NAMEDATALEN

}  // namespace

// pg_mbcliplen for UTF-8 (mbutils.c, PostgreSQL 15): at most `limit` bytes,
// never splitting a character.
std::size_t clip_utf8(std::string_view s, std::size_t limit) noexcept {
    if (limit >= s.size())
        return s.size();
    while (limit > 0 && (static_cast<unsigned char>(s[limit]) & 0xC0) == 0x80) --limit;
    return limit;
}

// indexcmds.c, makeObjectName (PostgreSQL 15).
std::string make_object_name(std::string_view name1, std::string_view name2, std::string_view label,
                             ClipLength clip) {
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
    std::string out(name1.substr(0, clip(name1, name1chars)));
    if (!name2.empty())
        out += "_" + std::string(name2.substr(0, clip(name2, name2chars)));
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

// indexcmds.c, ChooseIndexColumnNames (PostgreSQL 15).
std::vector<std::string> index_column_names(const std::vector<std::string>& orignames,
                                            ClipLength clip) {
    std::vector<std::string> result;
    result.reserve(orignames.size());
    for (const std::string& origname : orignames) {
        std::string curname = origname;
        for (int i = 1;; ++i) {
            bool taken = false;
            for (const std::string& earlier : result)
                if (earlier == curname)
                    taken = true;
            if (!taken)
                break;
            const std::string suffix = std::to_string(i);
            curname = origname.substr(0, clip(origname, namedatalen - 1 - suffix.size())) + suffix;
        }
        result.push_back(std::move(curname));
    }
    return result;
}

// indexcmds.c, ChooseRelationName (PostgreSQL 15).
std::string choose_relation_name(std::string_view name1, std::string_view name2,
                                 std::string_view label, const NameTaken& taken, ClipLength clip) {
    std::string modlabel(label);
    for (int pass = 1;; ++pass) {
        std::string name = make_object_name(name1, name2, modlabel, clip);
        if (!taken(name))
            return name;
        modlabel = std::string(label) + std::to_string(pass);
    }
}

// indexcmds.c, ChooseIndexName (PostgreSQL 15).
std::string choose_index_name(std::string_view table, const std::vector<std::string>& colnames,
                              IndexNameKind kind, const IndexNameTaken& taken, ClipLength clip) {
    const bool constraint = kind != IndexNameKind::index;
    const NameTaken taken_here = [&](const std::string& name) { return taken(name, constraint); };
    switch (kind) {
        case IndexNameKind::primary_key:
            return choose_relation_name(table, "", "pkey", taken_here, clip);
        case IndexNameKind::exclusion:
            return choose_relation_name(table, index_name_addition(colnames), "excl", taken_here,
                                        clip);
        case IndexNameKind::unique_constraint:
            return choose_relation_name(table, index_name_addition(colnames), "key", taken_here,
                                        clip);
        case IndexNameKind::index:
            break;
    }
    return choose_relation_name(table, index_name_addition(colnames), "idx", taken_here, clip);
}

}  // namespace schema_oracle::upstream
