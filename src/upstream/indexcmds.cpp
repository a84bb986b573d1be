// indexcmds.cpp: index naming for the guard and check(), as PostgreSQL 15
// names an index (src/backend/commands/indexcmds.c: DefineIndex ->
// ChooseIndexColumnNames -> ChooseIndexName -> ChooseIndexNameAddition ->
// ChooseRelationName). The naming itself is the core's one implementation
// (src/upstream/naming.cpp, also used by report()); this adapter gives it
// what only PostgreSQL knows: each expression column's name
// (FigureIndexColname), the database encoding's pg_mbcliplen, and whether a
// name is taken in the namespace (any relation of any relkind, and for
// constraints any constraint: ChooseRelationName's own two lookups).
#include <string>
#include <vector>

#include "schema_oracle/upstream/naming.hpp"  // core first
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "catalog/pg_constraint.h"
#include "mb/pg_wchar.h"
#include "parser/parse_target.h"
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg::upstream {

namespace core_naming = schema_oracle::upstream;

namespace {

std::vector<std::string> strings_of(List* names) {
    std::vector<std::string> out;
    ListCell* lc;
    foreach (lc, names) out.emplace_back(static_cast<const char*>(lfirst(lc)));
    return out;
}

// What C-style callers get back: a palloc'd List of palloc'd strings. Runs
// inside cpp_boundary, where palloc's ERROR is a PgError (pg_call).
List* list_of(const std::vector<std::string>& names) {
    List* out = NIL;
    for (const std::string& n : names) {
        const char* text = n.c_str();
        out = pg_call([&]() noexcept { return lappend(out, pstrdup(text)); });
    }
    return out;
}

char* pstrdup_of(const std::string& s) {
    const char* text = s.c_str();
    return pg_call([&]() noexcept { return pstrdup(text); });
}

}  // namespace

// pg_mbcliplen in the database encoding (it reports no error).
std::size_t database_clip(std::string_view text, std::size_t limit) noexcept {
    return static_cast<std::size_t>(
        pg_mbcliplen(text.data(), static_cast<int>(text.size()), static_cast<int>(limit)));
}

// ChooseRelationName's test: get_relname_relid (pg_class, every relkind),
// and ConstraintNameExists for a constraint's index.
bool name_taken_in(Oid namespace_id, const std::string& name, bool constraint) {
    const char* text = name.c_str();
    return pg_call([&]() noexcept {
        return OidIsValid(get_relname_relid(text, namespace_id)) ||
               (constraint && ConstraintNameExists(text, namespace_id));
    });
}

// Whether "<namespace oid>.<name>" is in `taken` (names a hint creates
// before the one it is choosing, as choose_index_name's also_taken).
static bool taken_in_list(List* taken, Oid namespace_id, const std::string& name) {
    if (taken == NIL)
        return false;
    const std::string key = std::to_string(namespace_id) + "." + name;
    const char* text = key.c_str();
    return pg_call([&]() noexcept {
        ListCell* lc;
        foreach (lc, taken)
            if (strcmp(static_cast<const char*>(lfirst(lc)), text) == 0)
                return true;
        return false;
    });
}

// parse_utilcmd.c, transformIndexStmt (PostgreSQL 15) names an expression
// column before DefineIndex runs: FigureIndexColname over the raw
// expression ("lower" for lower(note), "expr" when it has no better name).
// Then ChooseIndexColumnNames over list_concat_copy(stmt->indexParams,
// stmt->indexIncludingParams), as DefineIndex does.
List* index_column_names(IndexStmt* stmt) {
    List* all = list_concat_copy(stmt->indexParams, stmt->indexIncludingParams);
    List* orignames = NIL;
    ListCell* lc;
    foreach (lc, all) {
        IndexElem* ielem = (IndexElem*)lfirst(lc);
        const char* origname = ielem->indexcolname;
        if (origname == nullptr && ielem->expr != nullptr && ielem->name == nullptr)
            origname = FigureIndexColname(ielem->expr);  // NULL: no better name
        if (origname == nullptr)
            origname = ielem->name ? ielem->name : "expr";
        orignames = lappend(orignames, const_cast<char*>(origname));
    }
    return cpp_boundary("index column names", [&] {
        return list_of(core_naming::index_column_names(strings_of(orignames), database_clip));
    });
}

char* index_name_addition(List* colnames) {
    return cpp_boundary("index name", [&] {
        return pstrdup_of(core_naming::index_name_addition(strings_of(colnames)));
    });
}

char* choose_relation_name(const char* name1, const char* name2, const char* label,
                           Oid namespace_id) {
    return cpp_boundary("relation name", [&] {
        return pstrdup_of(core_naming::choose_relation_name(
            name1, name2 ? name2 : "", label,
            [namespace_id](const std::string& name) {
                return name_taken_in(namespace_id, name, false);
            },
            database_clip));
    });
}

char* choose_index_name(const char* tabname, Oid namespace_id, List* colnames, IndexStmt* stmt,
                        List* also_taken) {
    const core_naming::IndexNameKind kind =
        stmt->primary                 ? core_naming::IndexNameKind::primary_key
        : stmt->excludeOpNames != NIL ? core_naming::IndexNameKind::exclusion
        : stmt->isconstraint          ? core_naming::IndexNameKind::unique_constraint
                                      : core_naming::IndexNameKind::index;
    return cpp_boundary("index name", [&] {
        return pstrdup_of(core_naming::choose_index_name(
            tabname, strings_of(colnames), kind,
            [namespace_id, also_taken](const std::string& name, bool constraint) {
                return name_taken_in(namespace_id, name, constraint) ||
                       taken_in_list(also_taken, namespace_id, name);
            },
            database_clip));
    });
}

}  // namespace schema_oracle::pg::upstream
