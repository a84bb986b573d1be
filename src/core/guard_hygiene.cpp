// guard_hygiene.cpp: type-hygiene rules on the columns a statement creates
// (sql/guard_hygiene.sql): json_column, timestamp_without_time_zone,
// char_column, varchar_255, int4_key. Never blocking by default (info).
#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"

namespace schema_oracle::core::judging {

namespace {

// The guard's advice: what to write instead, in the statement being run.
std::string instead(TypeHygiene kind, const std::string& where, const std::string& column) {
    switch (kind) {
        case TypeHygiene::json:
            return "Use jsonb: " + where + " jsonb";
        case TypeHygiene::timestamp:
            return "Use timestamptz: " + where + " timestamptz";
        case TypeHygiene::character:
            return "Use text with a CHECK if the length matters: " + where +
                   " text CHECK (length(" + column + ") = <n>)";
        case TypeHygiene::varchar_255:
            return "Use text, with a CHECK if the limit is a real rule: " + where + " text";
        case TypeHygiene::none:
            break;
    }
    return "";
}

}  // namespace

void judge_column_type(const ActionFacts& a, const StatementContext&, Builder& b) {
    const TypeHygieneFacts& h = a.hygiene;
    const std::string table = s(a.table.qname);
    const std::string where = table + "." + s(h.column);
    // Detected and worded once for the guard and report() (core/type_hygiene.hpp).
    if (h.type != TypeHygiene::none)
        b.add(type_hygiene_rule(h.type), table,
              "column " + where + " " + type_hygiene_problem(h.type, h.typmod),
              std::string(type_hygiene_why(h.type)), instead(h.type, where, s(h.column)));
    if (h.int4_key)
        b.add("int4_key", table,
              "key column " + where + " is " + s(h.key_type) + ", which runs out at 2147483647",
              "Widening a key column later rewrites the table and every referencing table.",
              "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY): " + where + " bigint");
}

}  // namespace schema_oracle::core::judging

namespace schema_oracle::core {

// The catalog entries of this family's rules (and the type-hygiene rules it shares with report()),
// next to their code (rule_catalog.cpp merges every family's table).
const std::vector<RuleInfo>& guard_hygiene_rules() {
    static const std::vector<RuleInfo> table = {
        {
            "int4_key",
            Category::type_hygiene,
            Severity::info,
            // report() judges the consequence instead: sequence_near_overflow.
            Scope::guard,
            "An integer (int4/serial) primary or foreign key column, which runs out at 2^31.",
            "A primary key or foreign key column of type integer, smallint, serial or smallserial, "
            "created with CREATE TABLE or ADD COLUMN, or made a key by ALTER TABLE ... ADD PRIMARY "
            "KEY / FOREIGN KEY.",
            "Busy tables exhaust 2147483647 ids; widening the key then rewrites the table and "
            "every referencing table. (For existing schemas, report()'s sequence_near_overflow "
            "measures how close each key is.)",
            "",
            "Use bigint:\n\n```sql\nCREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY "
            "PRIMARY KEY, customer_id bigint REFERENCES customers);\n```",
        },
        {
            "json_column",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A json column where jsonb is almost always the better type.",
            "A column of type `json` (not `jsonb`), created or added, or present in the schema.",
            "`json` keeps the text verbatim and re-parses it on every access, has no equality "
            "operator (so DISTINCT, GROUP BY and UNION fail), and cannot be indexed with GIN.",
            "",
            "Use jsonb:\n\n```sql\nALTER TABLE events ADD COLUMN payload jsonb;\n```\n\n"
            "Converting an existing column rewrites the table; do it with a new column and a "
            "batched backfill.",
        },
        {
            "timestamp_without_time_zone",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A timestamp without time zone column, where timestamptz is almost always meant.",
            "A column of type `timestamp` (`timestamp without time zone`), created or added, or "
            "present in the schema.",
            "`timestamp` stores wall-clock readings with no zone: the same instant is written "
            "differently by servers or sessions in different time zones, and daylight-saving "
            "changes make values ambiguous or non-existent.",
            "",
            "Use timestamptz:\n\n```sql\nALTER TABLE orders ADD COLUMN shipped_at "
            "timestamptz;\n```\n\n"
            "Converting an existing column is metadata-only when the session TimeZone is UTC "
            "(`SET timezone = 'UTC'` first); otherwise it rewrites the table.",
        },
        {
            "char_column",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A char(n) column, which pads with spaces and is never faster than text.",
            "A column of type `char(n)` / `character(n)` (bpchar with a length), created or added, "
            "or present in the schema.",
            "`char(n)` pads values with spaces, trims them again in most comparisons but not all "
            "(LIKE, concatenation, casts), and uses at least as much space as `text`.",
            "",
            "Use text with a CHECK constraint if the length matters:\n\n"
            "```sql\nALTER TABLE countries ADD COLUMN code text CHECK (length(code) = 2);\n```",
        },
        {
            "varchar_255",
            Category::type_hygiene,
            Severity::info,
            Scope::both,
            "A varchar(255) column: a length limit chosen by habit, not by the data.",
            "A column of type `varchar(255)` / `character varying(255)`, created or added, or "
            "present in the schema.",
            "255 is a MySQL-era habit. In PostgreSQL the limit buys no speed or space, and "
            "raising it later is an ALTER; lowering it rewrites the table.",
            "",
            "Use text, with a CHECK constraint if a limit is a real business rule:\n\n"
            "```sql\nALTER TABLE users ADD COLUMN email text CHECK (length(email) <= 320);\n```",
        },
    };
    return table;
}

}  // namespace schema_oracle::core
