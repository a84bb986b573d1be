// derived_names.cpp: the names of the objects a statement's hints create,
// chosen free in the catalog (src/upstream/choose_names.cpp) for every
// action whose hint derives one (core::derived_name_spec says which name,
// from which parts). Only for actions a size-dependent rule can judge: the
// others never show a hint that creates anything.
#include "extract.hpp"
#include "schema_oracle/core/guard.hpp"
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "utils/lsyscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

// A Text as a NUL-terminated palloc'd string (nullptr for "").
char* cstring_or_null(Text t) {
    return t.empty() ? nullptr : pnstrdup(t.data(), t.size());
}

}  // namespace

void fill_derived_names(ActionList* list) {
    for (int i = 0; i < list->count; ++i) {
        ActionFacts* a = &list->items[i];
        const Oid relid = static_cast<Oid>(a->table.oid);
        if (!OidIsValid(relid) || !size_rules_apply(a->table))
            continue;
        const core::DerivedNameSpec d = core::derived_name_spec(*a);
        if (d.kind == core::DerivedKind::none)
            continue;
        char* name1 = cstring_or_null(d.name1);
        char* name2 = cstring_or_null(d.name2);
        char* label = cstring_or_null(d.label);
        if (name1 == nullptr || label == nullptr)
            continue;
        const Oid nsp = get_rel_namespace(relid);
        if (!OidIsValid(nsp))
            continue;
        char* chosen = nullptr;
        switch (d.kind) {
            case core::DerivedKind::relation:
                chosen = upstream::choose_free_relation_name(name1, name2, label, nsp);
                break;
            case core::DerivedKind::constraint:
                chosen = upstream::choose_free_constraint_name(name1, name2, label, nsp);
                break;
            case core::DerivedKind::column:
                chosen = upstream::choose_free_column_name(name1, name2, label, relid);
                break;
            case core::DerivedKind::none:
                break;
        }
        if (chosen != nullptr)
            a->derived_name = Text(chosen, strlen(chosen));
    }
}

}  // namespace schema_oracle::pg::extract
