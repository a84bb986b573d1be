// guard_hygiene.cpp: type-hygiene rules on the columns a statement creates
// (sql/guard_hygiene.sql): json_column, timestamp_without_time_zone,
// char_column, varchar_255, int4_key. Never blocking by default (info).
#include "guard_rules.hpp"

namespace schema_oracle::core::judging {

namespace {

// The guard's advice: what to write instead, in the statement being run.
std::string instead(TypeHygiene kind, const std::string& where, const std::string& column,
                    std::int32_t typmod) {
    switch (kind) {
        case TypeHygiene::json:
            return "Use jsonb: " + where + " jsonb";
        case TypeHygiene::timestamp:
            return "Use timestamptz: " + where + " timestamptz";
        case TypeHygiene::character:
            // char(n)'s typmod is n + VARHDRSZ (4); bpchar without a
            // length has none and no length to keep.
            if (typmod < 4)
                return "Use text: " + where + " text";
            return "Use text with a CHECK if the length matters: " + where +
                   " text CHECK (length(" + column + ") <= " + std::to_string(typmod - 4) + ")";
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
              std::string(type_hygiene_why(h.type)), instead(h.type, where, s(h.column), h.typmod));
    if (h.int4_key)
        b.add("int4_key", table,
              "key column " + where + " is " + s(h.key_type) + ", which runs out at 2147483647",
              "Widening a key column later rewrites the table and every referencing table.",
              "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY): " + where + " bigint");
}

}  // namespace schema_oracle::core::judging
