// naming.hpp: PostgreSQL's way of deriving a new relation's name, in pure
// C++ for report()'s fixes (the guard calls PostgreSQL's own
// ChooseRelationName, src/upstream/indexcmds.cpp). Follows
// src/backend/commands/indexcmds.c of PostgreSQL 15: makeObjectName,
// ChooseRelationName, ChooseIndexNameAddition.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::upstream {

// makeObjectName: name1[_name2]_label in at most 63 bytes, cutting the
// longer of name1 / name2 first and never inside a UTF-8 character.
std::string make_object_name(std::string_view name1, std::string_view name2,
                             std::string_view label);

// ChooseIndexNameAddition: the column names joined by "_", cut once the
// text reaches NAMEDATALEN (makeObjectName trims the rest).
std::string index_name_addition(const std::vector<std::string>& colnames);

// ChooseRelationName: make_object_name with label, label1, label2, ...
// until `taken` says the name is free in the namespace.
std::string choose_relation_name(std::string_view name1, std::string_view name2,
                                 std::string_view label,
                                 const std::function<bool(const std::string&)>& taken);

}  // namespace schema_oracle::upstream
