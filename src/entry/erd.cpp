// erd.cpp: the SQL entry points that write erd()'s and data_dictionary()'s
// text:
//   schema_oracle._erd_write(format, include_schemas, exclude_schemas,
//                            around, around_root, depth, keys_only,
//                            finding_rel, finding_text, uncovered) -> text
//   schema_oracle._erd_dictionary_write(format, include_schemas,
//                                       exclude_schemas) -> text
// erd() and data_dictionary() (extension/0.2.0/41-erd-speed.sql) check
// their arguments (erd() also resolves `around` and runs report() for the
// findings), then call these.
//
// Flow (docs/development.md, the boundary rules):
//   1. C land: the arguments into plain arrays.
//   2. C land: one scan per catalog (pg/erd_catalog.cpp), in a private
//      memory context.
//   3. cpp_boundary: the model (pg/erd_builder.cpp), the neighbourhood, the
//      text (core/erd_diagram.cpp) -> a palloc'd text.
//   4. C land: the private context is deleted.
#include <string>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/erd.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(schema_oracle_erd_write);
PG_FUNCTION_INFO_V1(schema_oracle_erd_dictionary_write);
}

using namespace schema_oracle;

namespace {

struct OidList {
    int n;
    const Oid* items;
};

struct TextList {  // NULL elements are skipped
    int n;
    const char** items;
};

struct ErdArgs {
    const char* format;  // "mermaid" or "dot" (erd() checked it)
    pg::erd::ReadOptions read;
    const char* around;  // NULL: the whole selection
    Oid around_root;     // its partition root, InvalidOid if it names no table
    int depth;
    bool keys_only;
    OidList finding_rel;
    TextList finding_text;
    OidList uncovered;
};

// C land.
pg::erd::NameList name_list_arg(FunctionCallInfo fcinfo, int argno) {
    pg::erd::NameList out{false, 0, nullptr};
    if (PG_ARGISNULL(argno))
        return out;
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), TEXTOID, -1, false, TYPALIGN_INT, &elems,
                      &nulls, &n);
    auto** items = static_cast<const char**>(palloc0(sizeof(char*) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) items[i] = nulls[i] ? nullptr : TextDatumGetCString(elems[i]);
    out.present = true;
    out.n = n;
    out.items = items;
    return out;
}

OidList oid_list_arg(FunctionCallInfo fcinfo, int argno) {
    OidList out{0, nullptr};
    if (PG_ARGISNULL(argno))
        return out;
    Datum* elems;
    bool* nulls;
    int n;
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(argno), OIDOID, sizeof(Oid), true, TYPALIGN_INT, &elems,
                      &nulls, &n);
    auto* items = static_cast<Oid*>(palloc0(sizeof(Oid) * (n > 0 ? n : 1)));
    for (int i = 0; i < n; ++i) items[i] = nulls[i] ? InvalidOid : DatumGetObjectId(elems[i]);
    out.n = n;
    out.items = items;
    return out;
}

TextList text_list_arg(FunctionCallInfo fcinfo, int argno) {
    TextList out{0, nullptr};
    pg::erd::NameList l = name_list_arg(fcinfo, argno);
    out.n = l.n;
    out.items = l.items;
    return out;
}

// C++ (inside cpp_boundary).
text* write(const pg::erd::RawErd& raw, const ErdArgs& args) {
    core::erd::Diagram d;
    pg::erd::build_diagram(raw, d);
    d.keys_only = args.keys_only;
    if (args.around != nullptr) {
        std::size_t root = d.tables.size();
        for (std::size_t i = 0; i < d.tables.size(); ++i)
            if (args.around_root != InvalidOid && d.tables[i].oid == args.around_root)
                root = i;
        if (root == d.tables.size())
            throw core::Error(
                "42P01", std::string("table \"") + args.around + "\" is not in the diagram", "",
                "around => names a table (schema-qualified, as in a query) that you "
                "may see, in the schemas drawn.");
        core::erd::restrict_to(d, core::erd::neighbourhood(d, root, args.depth));
    }
    int nf = std::min(args.finding_rel.n, args.finding_text.n);
    for (int i = 0; i < nf; ++i)
        if (args.finding_text.items[i] != nullptr)
            d.findings.push_back({args.finding_rel.items[i], args.finding_text.items[i]});
    d.uncovered.assign(args.uncovered.items, args.uncovered.items + args.uncovered.n);
    std::string out = std::string_view(args.format) == "dot" ? core::erd::write_dot(d)
                                                             : core::erd::write_mermaid(d);
    return pg::to_text(out);
}

text* write_dictionary(const pg::erd::RawErd& raw, bool json) {
    core::erd::Dictionary d;
    pg::erd::build_dictionary(raw, d);
    return pg::to_text(json ? core::erd::write_dictionary_json(d)
                            : core::erd::write_dictionary_markdown(d));
}

}  // namespace

Datum schema_oracle_erd_write(PG_FUNCTION_ARGS) {
    ErdArgs args;
    args.format = PG_ARGISNULL(0) ? "mermaid" : text_to_cstring(PG_GETARG_TEXT_PP(0));
    args.read.include_schemas = name_list_arg(fcinfo, 1);
    args.read.exclude_schemas = name_list_arg(fcinfo, 2);
    args.read.dictionary = false;
    args.around = PG_ARGISNULL(3) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(3));
    args.around_root = PG_ARGISNULL(4) ? InvalidOid : PG_GETARG_OID(4);
    args.depth = PG_ARGISNULL(5) ? 1 : PG_GETARG_INT32(5);
    // a NULL keys_only keeps the key columns only, as "WHERE NOT keys_only OR pk OR
    // fk OR uq" does in the SQL reference
    args.keys_only = PG_ARGISNULL(6) ? true : PG_GETARG_BOOL(6);
    args.finding_rel = oid_list_arg(fcinfo, 7);
    args.finding_text = text_list_arg(fcinfo, 8);
    args.uncovered = oid_list_arg(fcinfo, 9);
    if (args.depth < 0)
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("depth must be 0 or more, not %d", args.depth)));

    MemoryContext scan_cxt = AllocSetContextCreate(CurrentMemoryContext, "schema_oracle erd scan",
                                                   ALLOCSET_DEFAULT_SIZES);
    MemoryContext caller = MemoryContextSwitchTo(scan_cxt);
    pg::erd::RawErd* raw = pg::erd::read_erd_catalog(args.read);
    MemoryContextSwitchTo(caller);
    text* result = pg::cpp_boundary("erd()", [&] { return write(*raw, args); });
    MemoryContextDelete(scan_cxt);
    PG_RETURN_TEXT_P(result);
}

Datum schema_oracle_erd_dictionary_write(PG_FUNCTION_ARGS) {
    const bool json =
        !PG_ARGISNULL(0) && strcmp(text_to_cstring(PG_GETARG_TEXT_PP(0)), "json") == 0;
    pg::erd::ReadOptions read;
    read.include_schemas = name_list_arg(fcinfo, 1);
    read.exclude_schemas = name_list_arg(fcinfo, 2);
    read.dictionary = true;
    MemoryContext scan_cxt = AllocSetContextCreate(
        CurrentMemoryContext, "schema_oracle data_dictionary scan", ALLOCSET_DEFAULT_SIZES);
    MemoryContext caller = MemoryContextSwitchTo(scan_cxt);
    pg::erd::RawErd* raw = pg::erd::read_erd_catalog(read);
    MemoryContextSwitchTo(caller);
    text* result =
        pg::cpp_boundary("data_dictionary()", [&] { return write_dictionary(*raw, json); });
    MemoryContextDelete(scan_cxt);
    PG_RETURN_TEXT_P(result);
}
