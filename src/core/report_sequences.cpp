// report_sequences.cpp: report() rule sequence_near_overflow, and
// report_functions: security_definer_search_path.
//
// A sequence runs out at the first limit it reaches: its own MAXVALUE
// (MINVALUE when descending) unless it cycles, or the range of the integer
// column it feeds (serial / identity), whichever comes first. Usage is
// measured over its own range, from its MINVALUE (MAXVALUE when descending)
// to that limit, so negative sequences are judged on the values they have.
#include <algorithm>
#include <cmath>

#include "schema_oracle/core/report.hpp"

namespace schema_oracle::core {

namespace {

struct TypeRange {
    bool known = false;
    std::int64_t min = 0, max = 0;
    const char* sql_name = "";
};

TypeRange int_range(Oid type) {
    switch (type) {
        case type_oid::int2:
            return TypeRange{true, -32768, 32767, "smallint"};
        case type_oid::int4:
            return TypeRange{true, -2147483648LL, 2147483647LL, "integer"};
        case type_oid::int8:
            return TypeRange{true, INT64_MIN, INT64_MAX, "bigint"};
        default:
            return TypeRange{};
    }
}

}  // namespace

void report_sequences(const CatalogModel& m, const ReportScope& scope,
                      std::vector<ReportFinding>& out) {
    if (!scope.rule("sequence_near_overflow"))
        return;
    for (const Sequence& s : m.sequences) {
        const Relation* rel = m.relation(s.oid);
        if (!rel || m.extension_relations.count(s.oid) || m.extension_namespaces.count(rel->nsp) ||
            !scope.schema(rel->nsp))
            continue;
        const Namespace* nsp = m.nspace(rel->nsp);
        if (!nsp || !s.last || s.increment == 0)
            continue;

        const Relation* table = s.owner_table ? m.relation(s.owner_table) : nullptr;
        const Attribute* column = table ? table->attr(s.owner_column) : nullptr;
        TypeRange col_range = column ? int_range(column->type) : TypeRange{};
        const bool up = s.increment > 0;
        const std::int64_t seq_limit = up ? s.max : s.min;

        // The limit reached first, and whether it is the column's.
        std::optional<std::int64_t> limit;
        bool column_limit = false;
        if (!s.cycle)
            limit = seq_limit;
        if (col_range.known) {
            std::int64_t c = up ? col_range.max : col_range.min;
            bool tighter =
                up ? c <= seq_limit : c >= seq_limit;  // equal: the column is the limit to fix
            if (tighter) {
                limit = c;
                column_limit = true;
            }
        }
        if (!limit)
            continue;
        const std::int64_t last = *s.last;
        // Usage over the sequence's own range: from the end it moves away
        // from (MINVALUE when ascending, MAXVALUE when descending; the
        // column's range when that is narrower) to the limit it runs into
        // (a sequence counting up from -2^31 on an integer column has used
        // half its range at 0). long double: int64 differences can overflow.
        std::int64_t origin = up ? s.min : s.max;
        if (col_range.known)
            origin = up ? std::max(origin, col_range.min) : std::min(origin, col_range.max);
        const long double from = static_cast<long double>(origin);
        const long double to = static_cast<long double>(*limit);
        const long double at = static_cast<long double>(last);
        const long double span = up ? to - from : from - to;
        if (span <= 0)
            continue;
        const double used = static_cast<double>((up ? at - from : from - at) / span);
        if (used < 0.75)
            continue;

        ReportFinding f = make_finding("sequence_near_overflow");
        f.severity = used >= 0.90 ? Severity::error : Severity::warning;
        f.object_type = "sequence";
        f.object_identity = nsp->qname + "." + rel->qname;
        if (!scope.keep(f))
            continue;
        if (table)
            f.table_identity = m.table_identity(*table);
        f.schema = nsp->name;
        f.objid = s.oid;
        int percent = static_cast<int>(std::floor(used * 100.0));
        std::string column_id = column ? f.table_identity + "." + column->qname : std::string();
        f.message = "sequence " + f.object_identity + " has used " + std::to_string(percent) +
                    "% of its range: last value " + std::to_string(last) + ", limit " +
                    std::to_string(*limit) +
                    (column_limit ? " (the range of " + std::string(col_range.sql_name) +
                                        " column " + column_id + ")"
                                  : std::string(up ? " (its MAXVALUE)" : " (its MINVALUE)"));
        if (column_limit && column->type == type_oid::int8) {
            // Nothing is wider than bigint: no "widen" advice.
            f.detail = column_id +
                       " is already bigint, the widest integer type: before the "
                       "sequence runs out, give new rows keys from another source (a new "
                       "bigint sequence in the unused half of the range, or uuid keys)";
        } else if (column_limit) {
            f.detail = "widening " + column_id +
                       " to bigint rewrites the table under an ACCESS EXCLUSIVE lock: plan it "
                       "(new column + batched backfill + swap) before the sequence runs out";
        } else {
            // The sequence's own limit comes first: raise it to the column's
            // range (or bigint's for a sequence no column owns).
            TypeRange target = col_range.known ? col_range : int_range(type_oid::int8);
            std::string bound = up ? "MAXVALUE " + std::to_string(target.max)
                                   : "MINVALUE " + std::to_string(target.min);
            if (column && column->identity)
                f.fix = "ALTER TABLE " + f.table_identity + " ALTER COLUMN " + column->qname +
                        " SET " + bound + ";";
            else
                f.fix = "ALTER SEQUENCE " + f.object_identity + " AS " + target.sql_name + " " +
                        bound + ";";
            f.detail = std::string("the sequence's own ") + (up ? "MAXVALUE" : "MINVALUE") +
                       " is reached before the range of " +
                       (column ? column_id : std::string("bigint"));
            if (s.cycle)
                f.detail += "; it cycles, which would reuse old values";
        }
        out.push_back(std::move(f));
    }
}

void report_functions(const CatalogModel& m, const ReportScope& s,
                      std::vector<ReportFinding>& out) {
    if (!s.rule("security_definer_search_path"))
        return;
    for (const auto& [oid, fn] : m.functions) {
        if (!fn.security_definer || fn.pins_search_path || !s.schema(fn.nsp))
            continue;
        if (m.extension_functions.count(oid) || m.extension_namespaces.count(fn.nsp))
            continue;
        const Namespace* nsp = m.nspace(fn.nsp);
        if (!nsp)
            continue;
        ReportFinding f = make_finding("security_definer_search_path");
        f.object_type = fn.is_procedure ? "procedure" : "function";
        f.object_identity = fn.identity;
        if (!s.keep(f))
            continue;
        f.schema = nsp->name;
        f.object_class = ObjectClass::function;
        f.objid = oid;
        f.message = std::string(fn.is_procedure ? "procedure " : "function ") + fn.identity +
                    " is SECURITY DEFINER without a pinned search_path";
        f.detail =
            "a caller can put objects in a schema on its search_path that the function "
            "then resolves with its owner's rights";
        f.fix = std::string("ALTER ") + (fn.is_procedure ? "PROCEDURE " : "FUNCTION ") +
                fn.identity + " SET search_path = " + nsp->qname + ", pg_temp;";
        out.push_back(std::move(f));
    }
}

}  // namespace schema_oracle::core
