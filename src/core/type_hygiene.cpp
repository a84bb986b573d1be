// type_hygiene.cpp: detection and wording of the shared type-hygiene rules
// (see type_hygiene.hpp).
#include "schema_oracle/core/type_hygiene.hpp"

namespace schema_oracle::core {

namespace {
// pg_type OIDs (catalog/pg_type_d.h; stable).
constexpr std::uint32_t json_oid = 114, timestamp_oid = 1114, bpchar_oid = 1042,
                        varchar_oid = 1043;
constexpr std::int32_t varhdrsz = 4;  // typmod = length + VARHDRSZ
}  // namespace

TypeHygiene classify_column_type(std::uint32_t type_oid, std::int32_t typmod) noexcept {
    switch (type_oid) {
        case json_oid: return TypeHygiene::json;
        case timestamp_oid: return TypeHygiene::timestamp;
        // bpchar without a length (typmod -1) does not pad: only char(n) does.
        case bpchar_oid: return typmod >= 0 ? TypeHygiene::character : TypeHygiene::none;
        case varchar_oid: return typmod == 255 + varhdrsz ? TypeHygiene::varchar_255 : TypeHygiene::none;
        default: return TypeHygiene::none;
    }
}

std::string_view type_hygiene_rule(TypeHygiene kind) noexcept {
    switch (kind) {
        case TypeHygiene::json: return "json_column";
        case TypeHygiene::timestamp: return "timestamp_without_time_zone";
        case TypeHygiene::character: return "char_column";
        case TypeHygiene::varchar_255: return "varchar_255";
        case TypeHygiene::none: break;
    }
    return "";
}

std::string type_hygiene_problem(TypeHygiene kind, std::int32_t typmod) {
    switch (kind) {
        case TypeHygiene::json: return "is json; jsonb is almost always the better type";
        case TypeHygiene::timestamp:
            return "is timestamp without time zone; timestamptz is almost always meant";
        case TypeHygiene::character:
            return "is char(" + (typmod >= varhdrsz ? std::to_string(typmod - varhdrsz) : "n") +
                   "), which pads with spaces";
        case TypeHygiene::varchar_255: return "is varchar(255), a length limit chosen by habit";
        case TypeHygiene::none: break;
    }
    return "";
}

std::string_view type_hygiene_why(TypeHygiene kind) noexcept {
    switch (kind) {
        case TypeHygiene::json:
            return "json re-parses the text on every access, has no equality operator and no GIN "
                   "index.";
        case TypeHygiene::timestamp:
            return "timestamp stores wall-clock readings with no zone; sessions in other time "
                   "zones and daylight-saving changes make values ambiguous.";
        case TypeHygiene::character:
            return "char(n) is never faster than text and compares inconsistently (LIKE, casts).";
        case TypeHygiene::varchar_255:
            return "In PostgreSQL the limit buys no speed or space; raising it later is an ALTER.";
        case TypeHygiene::none: break;
    }
    return "";
}

std::string_view type_hygiene_better_type(TypeHygiene kind) noexcept {
    switch (kind) {
        case TypeHygiene::json: return "jsonb";
        case TypeHygiene::timestamp: return "timestamptz";
        case TypeHygiene::character:
        case TypeHygiene::varchar_255: return "text";
        case TypeHygiene::none: break;
    }
    return "";
}

}  // namespace schema_oracle::core
