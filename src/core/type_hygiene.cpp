// type_hygiene.cpp: detection and wording of the shared type-hygiene rules
// (see type_hygiene.hpp).
#include "schema_oracle/core/type_hygiene.hpp"

#include <iterator>

namespace schema_oracle::core {

namespace {
// pg_type OIDs (catalog/pg_type_d.h; stable).
constexpr std::uint32_t json_oid = 114, timestamp_oid = 1114, bpchar_oid = 1042, varchar_oid = 1043;
constexpr std::int32_t varhdrsz = 4;  // typmod = length + VARHDRSZ
}  // namespace

TypeHygiene classify_column_type(std::uint32_t type_oid, std::int32_t typmod) noexcept {
    switch (type_oid) {
        case json_oid:
            return TypeHygiene::json;
        case timestamp_oid:
            return TypeHygiene::timestamp;
        // bpchar without a length (typmod -1) does not pad: only char(n) does.
        case bpchar_oid:
            return typmod >= 0 ? TypeHygiene::character : TypeHygiene::none;
        case varchar_oid:
            return typmod == 255 + varhdrsz ? TypeHygiene::varchar_255 : TypeHygiene::none;
        default:
            return TypeHygiene::none;
    }
}

namespace {

// Everything said about each kind, in one place.
struct Wording {
    std::string_view rule, problem, why, better_type, conversion;
};

const Wording& wording(TypeHygiene kind) noexcept {
    static const Wording none{};
    static const Wording table[] = {
        {"json_column", "is json; jsonb is almost always the better type",
         "json re-parses the text on every access, has no equality operator and no GIN index.",
         "jsonb",
         "converting to jsonb rewrites the table: add a jsonb column and backfill in batches"},
        {"timestamp_without_time_zone",
         "is timestamp without time zone; timestamptz is almost always meant",
         "timestamp stores wall-clock readings with no zone; sessions in other time zones and "
         "daylight-saving changes make values ambiguous.",
         "timestamptz",
         "ALTER COLUMN ... TYPE timestamptz is metadata-only when the session TimeZone is UTC; "
         "otherwise it rewrites the table"},
        {"char_column", "",
         "char(n) is never faster than text and compares inconsistently "
         "(LIKE, casts).",
         "text", "use text with a CHECK constraint on the length; converting rewrites the table"},
        {"varchar_255", "is varchar(255), a length limit chosen by habit",
         "In PostgreSQL the limit buys no speed or space; raising it later is an ALTER.", "text",
         "varchar to text needs no table rewrite, but takes a brief ACCESS EXCLUSIVE lock and "
         "fails if a view uses the column"},
    };
    const auto i = static_cast<std::size_t>(kind);
    return i >= 1 && i <= std::size(table) ? table[i - 1] : none;
}

}  // namespace

std::string_view type_hygiene_rule(TypeHygiene kind) noexcept {
    return wording(kind).rule;
}

std::string type_hygiene_problem(TypeHygiene kind, std::int32_t typmod) {
    if (kind == TypeHygiene::character)  // names the length when it is known
        return "is char(" + (typmod >= varhdrsz ? std::to_string(typmod - varhdrsz) : "n") +
               "), which pads with spaces";
    return std::string(wording(kind).problem);
}

std::string_view type_hygiene_why(TypeHygiene kind) noexcept {
    return wording(kind).why;
}

std::string_view type_hygiene_better_type(TypeHygiene kind) noexcept {
    return wording(kind).better_type;
}

std::string_view type_hygiene_conversion(TypeHygiene kind) noexcept {
    return wording(kind).conversion;
}

}  // namespace schema_oracle::core
