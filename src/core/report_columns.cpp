// report_columns.cpp: report() rules on columns: json_column,
// timestamp_without_time_zone, char_column, varchar_255 (shared with the
// guard), date_stored_as_text, plaintext_password_column.
//
// Only columns defined locally are judged: inherited columns (every column
// of a partition) are judged once, on the parent.
#include <cctype>

#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/type_hygiene.hpp"

namespace schema_oracle::core {

namespace {

bool text_like(Oid type) {
    return type == type_oid::text || type == type_oid::varchar || type == type_oid::bpchar;
}

bool ends_with(const std::string& s, const char* suffix) {
    std::size_t n = std::char_traits<char>::length(suffix);
    return s.size() > n && s.compare(s.size() - n, n, suffix) == 0;
}

bool contains(const std::string& s, const char* part) {
    return s.find(part) != std::string::npos;
}

bool looks_like_date(const std::string& low) {
    return ends_with(low, "_at") || ends_with(low, "_date") || ends_with(low, "_on") ||
           low == "birthday" || low == "birthdate" || low == "date_of_birth";
}

bool looks_like_password(const std::string& low) {
    bool secretish = contains(low, "password") || contains(low, "passwd") || contains(low, "pwd") ||
                     contains(low, "secret");
    bool protected_ = contains(low, "hash") || contains(low, "digest") || contains(low, "crypt");
    return secretish && !protected_;
}

}  // namespace

void report_columns(const CatalogModel& m, const ReportScope& s, std::vector<ReportFinding>& out) {
    // Nothing to look at when no rule of this family is requested (a report
    // over index rules reads the columns of index keys only for their names).
    const bool want_date = s.rule("date_stored_as_text"),
               want_password = s.rule("plaintext_password_column");
    bool want_type = false;
    for (TypeHygiene kind : {TypeHygiene::json, TypeHygiene::timestamp, TypeHygiene::character,
                             TypeHygiene::varchar_255})
        want_type = want_type || s.rule(type_hygiene_rule(kind));
    if (!want_date && !want_password && !want_type)
        return;
    std::string low;
    for (const auto& [toid, t] : m.relations) {
        if (!is_judged_table(m, t) || !s.schema(t.nsp))
            continue;
        FindingText table_identity;  // written once per table, shared by its findings
        for (const Attribute& a : t.attrs) {
            if (!a.is_local)
                continue;
            // The texts are written only for a finding that survives the
            // exemptions (`texts` fills message-part, detail and fix).
            auto emit = [&](std::string_view rule_id, auto texts) {
                if (!s.rule(rule_id))
                    return;
                if (table_identity.empty())
                    table_identity = m.table_identity(t);
                ReportFinding f = make_finding(rule_id);
                f.object_type = "table column";
                f.table_identity = table_identity;
                f.object_identity.assign({table_identity, ".", a.qname});
                if (!s.keep(f))
                    return;
                f.schema = m.nspace(t.nsp)->name;
                f.objid = t.oid;
                f.objsubid = a.attnum;
                std::string msg;
                texts(msg, f.detail, f.fix);
                f.message.assign({"column ", f.object_identity, " ", msg});
                out.push_back(std::move(f));
            };
            // Detected and worded once for report() and the guard
            // (core/type_hygiene.hpp); the detail says how to convert.
            const TypeHygiene kind = classify_column_type(a.type, a.typmod);
            if (kind != TypeHygiene::none && s.rule(type_hygiene_rule(kind)))
                emit(type_hygiene_rule(kind),
                     [&](std::string& msg, FindingText& det, FindingText& fx) {
                         msg = type_hygiene_problem(kind, a.typmod);
                         det = std::string(type_hygiene_conversion(kind));
                         if (kind == TypeHygiene::varchar_255)
                             fx = "ALTER TABLE " + m.table_identity(t) + " ALTER COLUMN " +
                                  a.qname + " TYPE text;";
                     });
            // The name rules look at text-like columns only: lower-case
            // just those names.
            if (!(want_date || want_password) || !text_like(a.type))
                continue;
            low = a.name;
            for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (looks_like_date(low))
                emit("date_stored_as_text", [&](std::string& msg, FindingText& det, FindingText&) {
                    msg = "is " +
                          std::string(a.type == type_oid::text ? "text" : "a character type") +
                          " but its name says it holds a date or time";
                    det =
                        "text dates sort and compare as strings and accept invalid values; use "
                        "date or timestamptz (converting rewrites the table)";
                });
            if (looks_like_password(low))
                emit("plaintext_password_column",
                     [](std::string& msg, FindingText& det, FindingText&) {
                         msg = "looks like it stores a password or secret in plain text";
                         det =
                             "store a slow salted hash (e.g. crypt(password, gen_salt('bf')) "
                             "from pgcrypto, or the application's bcrypt/argon2) and name the "
                             "column *_hash";
                     });
        }
    }
}

}  // namespace schema_oracle::core
