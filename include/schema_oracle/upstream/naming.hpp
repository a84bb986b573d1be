// naming.hpp: PostgreSQL's way of naming a new index, in pure C++: the one
// implementation, used by the guard's hints (through the adapter in
// src/upstream/indexcmds.cpp, which names expression columns and asks the
// catalog which names are taken) and by report()'s fixes (src/core/report_fk.cpp).
// Follows src/backend/commands/indexcmds.c of PostgreSQL 15: makeObjectName,
// ChooseRelationName, ChooseIndexName, ChooseIndexNameAddition,
// ChooseIndexColumnNames.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::upstream {

// pg_mbcliplen in the database's encoding: the length of the longest prefix
// of `text` of at most `limit` bytes that ends on a character boundary. The
// adapter passes PostgreSQL's own (any server encoding); clip_utf8 is the
// UTF-8 one, the default.
using ClipLength = std::size_t (*)(std::string_view text, std::size_t limit);
std::size_t clip_utf8(std::string_view text, std::size_t limit) noexcept;

// Whether a name is taken in the namespace: by any relation (pg_class, every
// relkind), and for `constraint` also by a constraint (ChooseRelationName's
// isconstraint: ConstraintNameExists).
using NameTaken = std::function<bool(const std::string& name)>;
using IndexNameTaken = std::function<bool(const std::string& name, bool constraint)>;

// makeObjectName: name1[_name2]_label in at most 63 bytes (NAMEDATALEN - 1),
// cutting the longer of name1 / name2 first, never inside a character.
std::string make_object_name(std::string_view name1, std::string_view name2, std::string_view label,
                             ClipLength clip = clip_utf8);

// ChooseIndexNameAddition: the column names joined by "_", cut once the
// text reaches NAMEDATALEN (makeObjectName trims the rest).
std::string index_name_addition(const std::vector<std::string>& colnames);

// ChooseIndexColumnNames: each index column's name (the caller has named
// expressions as transformIndexStmt does: FigureIndexColname, else "expr"),
// with 1, 2, ... appended (the name cut to fit 63 bytes) where it repeats an
// earlier one.
std::vector<std::string> index_column_names(const std::vector<std::string>& orignames,
                                            ClipLength clip = clip_utf8);

// ChooseRelationName: make_object_name with label, label1, label2, ...
// until `taken` says the name is free in the namespace.
std::string choose_relation_name(std::string_view name1, std::string_view name2,
                                 std::string_view label, const NameTaken& taken,
                                 ClipLength clip = clip_utf8);

// ChooseIndexName: which label a new index's name gets.
enum class IndexNameKind {
    index,             // table_cols_idx
    primary_key,       // table_pkey (a constraint)
    exclusion,         // table_cols_excl (a constraint)
    unique_constraint  // table_cols_key (a UNIQUE constraint)
};
std::string choose_index_name(std::string_view table, const std::vector<std::string>& colnames,
                              IndexNameKind kind, const IndexNameTaken& taken,
                              ClipLength clip = clip_utf8);

}  // namespace schema_oracle::upstream
