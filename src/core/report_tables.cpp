// report_tables.cpp: report() rules on whole tables: missing_primary_key,
// too_many_indexes, missing_audit_columns, updated_at_no_trigger.
#include <algorithm>
#include <cctype>

#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/report_needs.hpp"
#include "schema_oracle/core/updated_at.hpp"

namespace schema_oracle::core {

namespace {

// pg_trigger.tgtype bits (catalog/pg_trigger.h).
constexpr int tg_row = 1 << 0, tg_before = 1 << 1, tg_insert = 1 << 2, tg_delete = 1 << 3,
              tg_update = 1 << 4, tg_truncate = 1 << 5, tg_instead = 1 << 6;

// Column names the updated_at rule looks after: maintained_column_names
// (report_needs.hpp), which the reader keeps.
const auto& maintained_columns = maintained_column_names;

ReportFinding table_finding(const CatalogModel& m, std::string_view rule, const Relation& t) {
    ReportFinding f = make_finding(rule);
    f.object_type = "table";
    f.table_identity = m.table_identity(t);
    f.object_identity = f.table_identity;
    f.schema = m.nspace(t.nsp)->name;
    f.object_class = ObjectClass::relation;
    f.objid = t.oid;
    return f;
}

}  // namespace

bool is_maintained_column_name(std::string_view name) noexcept {
    for (const char* col : maintained_columns)
        if (name == col)
            return true;
    return false;
}

std::string trigger_cannot_maintain(const Trigger& t) {
    if (t.enabled == 'D')
        return "is disabled";
    if (t.enabled == 'R')
        return "fires only when session_replication_role = replica";
    if (!(t.type & tg_update))
        return (t.type & tg_insert) ? "fires on INSERT only" : "does not fire on UPDATE";
    if (t.type & tg_instead)
        return "is an INSTEAD OF trigger";
    if (!(t.type & tg_before))
        return "is an AFTER trigger, too late to change the row";
    if (!(t.type & tg_row))
        return "is statement-level";
    if (t.nattr > 0)
        return "fires only on UPDATE OF some columns";
    (void)tg_delete;
    (void)tg_truncate;
    return "";
}

bool function_maintains_column(const CatalogModel& m, const Function& f, const Trigger& t,
                               std::string_view column) {
    const Namespace* n = m.nspace(f.nsp);
    TriggerFunctionRef ref{n ? std::string_view(n->name) : std::string_view(), f.name, f.language,
                           f.source};
    std::vector<std::string_view> args;
    if (t.nargs > 0 || !t.first_arg.empty())
        args.push_back(t.first_arg);
    return trigger_function_maintains_column(ref, args, column);
}

void report_tables(const CatalogModel& m, const ReportScope& s, std::vector<ReportFinding>& out) {
    const int max_indexes = m.settings.max_indexes_per_table;
    const bool want_pk = s.rule("missing_primary_key"), want_many = s.rule("too_many_indexes"),
               want_audit = s.rule("missing_audit_columns"),
               want_updated = s.rule("updated_at_no_trigger");
    for (const auto& [oid, t] : m.relations) {
        if (!is_judged_table(m, t) || t.is_partition || !s.schema(t.nsp))
            continue;

        // missing_primary_key
        bool has_pk =
            !want_pk || std::any_of(t.constraints.begin(), t.constraints.end(),
                                    [&](std::size_t i) { return m.constraints[i].type == 'p'; });
        ReportFinding f;
        if (!has_pk && s.keep(f = table_finding(m, "missing_primary_key", t))) {
            f.message = std::string(t.kind == 'p' ? "partitioned table " : "table ") +
                        f.table_identity + " has no primary key";
            // A unique, valid, plain index on NOT NULL columns can become the
            // primary key without a scan (ADD PRIMARY KEY USING INDEX).
            const Index* candidate = nullptr;
            for (const Index* ix : t.indexes) {
                if (!ix || !ix->unique || !ix->usable() || ix->predicate || ix->has_expressions() ||
                    ix->am != "btree" || ix->kind != 'i' || !ix->default_sorting)
                    continue;
                bool ok = ix->nkey == static_cast<int>(ix->columns.size());
                for (AttrNumber n : ix->columns) {
                    const Attribute* a = t.attr(n);
                    if (!a || !a->not_null)
                        ok = false;
                }
                for (AttrNumber o : ix->options)
                    if (o != 0)
                        ok = false;
                if (ok && (!candidate || ix->name < candidate->name))
                    candidate = ix;
            }
            if (candidate && t.kind == 'r') {
                if (candidate->constraint == 0) {
                    f.detail = "unique index " + candidate->name +
                               " is on NOT NULL columns and can become the primary key";
                    f.fix = "ALTER TABLE " + f.table_identity + " ADD CONSTRAINT " +
                            candidate->qname + " PRIMARY KEY USING INDEX " + candidate->qname + ";";
                } else {
                    f.detail = "unique index " + candidate->name +
                               " backs a UNIQUE constraint on NOT NULL columns: it already "
                               "identifies rows; declare a primary key for tools that need one";
                }
            }
            out.push_back(std::move(f));
        }

        // too_many_indexes
        if (want_many && max_indexes > 0 && static_cast<int>(t.index_count) > max_indexes &&
            s.keep(f = table_finding(m, "too_many_indexes", t))) {
            f.message =
                "table " + f.table_identity + " has " + std::to_string(t.index_count) +
                " indexes (schema_oracle.max_indexes_per_table = " + std::to_string(max_indexes) +
                ")";
            f.detail =
                "Every index slows every INSERT and most UPDATEs and adds WAL; check "
                "duplicate_index, redundant_index and unused_index findings first.";
            out.push_back(std::move(f));
        }

        // missing_audit_columns
        bool lacks = false;  // the texts are written once the finding is kept
        for (std::size_t i = 0; want_audit && !lacks && i < m.settings.audit_columns.size(); ++i)
            lacks =
                !m.settings.audit_columns[i].empty() && !t.attr_named(m.settings.audit_columns[i]);
        if (lacks && s.keep(f = table_finding(m, "missing_audit_columns", t))) {
            std::string missing, add;
            int nmissing = 0;
            for (std::size_t i = 0; i < m.settings.audit_columns.size(); ++i) {
                const std::string& col = m.settings.audit_columns[i];
                if (t.attr_named(col))
                    continue;
                if (!missing.empty())
                    missing += ", ";
                missing += col;
                ++nmissing;
                if (!add.empty())
                    add += ", ";
                add += "ADD COLUMN IF NOT EXISTS " + m.settings.audit_columns_quoted[i] +
                       " timestamptz NOT NULL DEFAULT now()";
            }
            f.message = "table " + f.table_identity + " lacks the audit column" +
                        (nmissing > 1 ? "s " : " ") + missing;
            f.detail = "schema_oracle.audit_columns lists the columns every table should have";
            // now() is stable, so ADD COLUMN with this default needs no rewrite.
            // A typed table takes no ADD COLUMN (its columns are its type's):
            // no fix that would always fail.
            if (!t.typed)
                f.fix = "ALTER TABLE " + f.table_identity + " " + add + ";";
            else
                f.detail += "; " + f.table_identity +
                            " is a typed table (CREATE TABLE ... OF): add the columns to its type";
            out.push_back(std::move(f));
        }

        // updated_at_no_trigger
        for (const char* col : maintained_columns) {
            const Attribute* a = want_updated ? t.attr_named(col) : nullptr;
            if (!a)
                continue;
            bool maintained = false;
            std::string why;
            for (std::size_t ti : t.triggers) {
                const Trigger& tr = m.triggers[ti];
                if (tr.internal)
                    continue;
                auto fit = m.functions.find(tr.function);
                if (fit == m.functions.end())
                    continue;
                bool maintains_if_fired = function_maintains_column(m, fit->second, tr, col);
                std::string reason = trigger_cannot_maintain(tr);
                if (maintains_if_fired && reason.empty()) {
                    maintained = true;
                    break;
                }
                if (maintains_if_fired) {
                    if (!why.empty())
                        why += "; ";
                    why += "trigger " + tr.name + " sets " + col + " but " + reason;
                }
            }
            if (maintained)
                continue;
            f = make_finding("updated_at_no_trigger");
            f.object_type = "table column";
            f.table_identity = m.table_identity(t);
            f.object_identity.assign({f.table_identity, ".", a->qname});
            if (!s.keep(f))
                continue;
            f.schema = m.nspace(t.nsp)->name;
            f.objid = t.oid;
            f.objsubid = a->attnum;
            f.message.assign({"column ", f.object_identity,
                              " has no BEFORE UPDATE row trigger that keeps it current"});
            f.detail =
                why.empty()
                    ? concat({"no enabled BEFORE UPDATE FOR EACH ROW trigger assigns NEW.", col})
                    : why;
            out.push_back(std::move(f));
        }
    }
}

}  // namespace schema_oracle::core
