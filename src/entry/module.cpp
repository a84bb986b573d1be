// module.cpp: the module's magic block, _PG_init, and the catalog functions
// every other feature builds on: version(), rules() and explain_rule().
//
// Entry points are extern "C" shells: read arguments in C land, run C++
// inside cpp_boundary, hand back a Datum.
#include <string>

#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/core/version.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/test_hooks.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

PG_MODULE_MAGIC;

void _PG_init(void);
PG_FUNCTION_INFO_V1(schema_oracle_version);
PG_FUNCTION_INFO_V1(schema_oracle_rules);
PG_FUNCTION_INFO_V1(schema_oracle_explain_rule);
}

#include "schema_oracle/pg/module_init.hpp"

using namespace schema_oracle;

void _PG_init(void) {
    // Only settings and hooks are set up here; nothing is done per database
    // until the extension is found to exist there (see docs/guard.md).
    pg::init_settings();
    pg::init_hooks();
    pg::publish_test_hooks();  // for test/modules/schema_oracle_test only
}

Datum schema_oracle_version(PG_FUNCTION_ARGS) {
    PG_RETURN_TEXT_P(cstring_to_text(core::version));
}

// SETOF (rule, category, severity, scope, summary): the rule catalog.
Datum schema_oracle_rules(PG_FUNCTION_ARGS) {
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);

    // The catalog is built on first use and may throw; after that every
    // entry is static data, so the loop below makes no C++ allocation.
    const auto* all = pg::cpp_boundary("rules()", [] { return &core::rules(); });
    for (const core::RuleInfo& rule : *all) {
        Datum values[5];
        bool nulls[5] = {false, false, false, false, false};
        values[0] = PointerGetDatum(cstring_to_text_with_len(rule.id.data(), rule.id.size()));
        auto category = core::to_string(rule.category);
        values[1] = PointerGetDatum(cstring_to_text_with_len(category.data(), category.size()));
        auto severity = core::to_string(rule.severity);
        values[2] = PointerGetDatum(cstring_to_text_with_len(severity.data(), severity.size()));
        auto scope = core::to_string(rule.scope);
        values[3] = PointerGetDatum(cstring_to_text_with_len(scope.data(), scope.size()));
        values[4] =
            PointerGetDatum(cstring_to_text_with_len(rule.summary.data(), rule.summary.size()));
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}

// explain_rule(rule text) -> text: the rule's full documentation.
Datum schema_oracle_explain_rule(PG_FUNCTION_ARGS) {
    const text* id_arg = PG_GETARG_TEXT_PP(0);
    text* doc = pg::cpp_boundary("explain_rule()", [&]() -> text* {
        std::string id(pg::view_text(id_arg));
        return pg::to_text(core::render_rule_doc(core::require_rule(id, core::Scope::both)));
    });
    PG_RETURN_TEXT_P(doc);
}
