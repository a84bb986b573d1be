// guard_hygiene.cpp: type-hygiene rules on the columns a statement creates
// (sql/guard_hygiene.sql): json_column, timestamp_without_time_zone,
// char_column, varchar_255, int4_key. Never blocking by default (info).
#include "guard_rules.hpp"

namespace schema_oracle::core::judging {

void judge_column_type(const ActionFacts& a, const StatementContext&, Builder& b) {
    const TypeHygieneFacts& h = a.hygiene;
    const std::string table = s(a.table.qname);
    const std::string where = table + "." + s(h.column);
    if (h.json)
        b.add("json_column", table,
              "column " + where + " is json; jsonb is almost always the better type",
              "json re-parses the text on every access, has no equality operator and no GIN index.",
              "Use jsonb: " + where + " jsonb");
    if (h.timestamp)
        b.add("timestamp_without_time_zone", table,
              "column " + where + " is timestamp without time zone; timestamptz is almost always meant",
              "timestamp stores wall-clock readings with no zone; sessions in other time zones and "
              "daylight-saving changes make values ambiguous.",
              "Use timestamptz: " + where + " timestamptz");
    if (h.character)
        b.add("char_column", table, "column " + where + " is char(n), which pads with spaces",
              "char(n) is never faster than text and compares inconsistently (LIKE, casts).",
              "Use text with a CHECK if the length matters: " + where + " text CHECK (length(" +
                  s(h.column) + ") = <n>)");
    if (h.varchar_255)
        b.add("varchar_255", table,
              "column " + where + " is varchar(255), a length limit chosen by habit",
              "In PostgreSQL the limit buys no speed or space; raising it later is an ALTER.",
              "Use text, with a CHECK if the limit is a real rule: " + where + " text");
    if (h.int4_key)
        b.add("int4_key", table,
              "key column " + where + " is " + s(h.key_type) + ", which runs out at 2147483647",
              "Widening a key column later rewrites the table and every referencing table.",
              "Use bigint (or bigint GENERATED ALWAYS AS IDENTITY): " + where + " bigint");
}

}  // namespace schema_oracle::core::judging
