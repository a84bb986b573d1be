// report_needs_test.cpp: every rule report() judges declares the catalogs
// and model parts it reads (core/report_needs.hpp), and a report over some
// rules reads no more than their union.
#include <gtest/gtest.h>

#include "schema_oracle/core/report_needs.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/rule.hpp"

using namespace schema_oracle::core;

TEST(ReportNeeds, EveryReportRuleDeclaresItsParts) {
    for (const RuleInfo& r : rules()) {
        if (r.scope != Scope::report && r.scope != Scope::both) {
            EXPECT_EQ(rule_needs(r.id), 0u) << r.id;
            continue;
        }
        EXPECT_NE(rule_needs(r.id), 0u) << r.id << " has no entry in src/core/report_needs.cpp";
        EXPECT_EQ(rule_needs(r.id) & ~part::all, 0u) << r.id;
    }
}

TEST(ReportNeeds, SomeRulesReadTheUnionOfTheirParts) {
    EXPECT_EQ(report_needs(std::vector<std::string>{"missing_primary_key"}),
              rule_needs("missing_primary_key"));
    EXPECT_EQ(report_needs(std::vector<std::string>{"missing_primary_key", "unused_index"}),
              rule_needs("missing_primary_key") | rule_needs("unused_index"));
    // The single-table rule reads neither all of pg_attribute nor all indexes.
    EXPECT_EQ(rule_needs("missing_primary_key") & (part::columns | part::indexes), 0u);
    unsigned all_rules = 0;
    for (const RuleInfo& r : rules()) all_rules |= rule_needs(r.id);
    EXPECT_EQ(report_needs(std::nullopt), all_rules);
}

TEST(ReportNeeds, ForeignKeyAndColumnTypeRulesKeepOnlyTheColumnsTheyJudge) {
    // The foreign-key rules: the key and referenced columns only.
    for (const char* id : {"fk_missing_index", "fk_type_mismatch"}) {
        EXPECT_EQ(rule_needs(id) & part::columns, 0u) << id;
        EXPECT_NE(rule_needs(id) & part::fk_columns, 0u) << id;
    }
    // The column-type rules: columns of a flagged or a text-like type only.
    for (const char* id : {"json_column", "timestamp_without_time_zone", "char_column",
                           "varchar_255", "date_stored_as_text", "plaintext_password_column"}) {
        EXPECT_EQ(rule_needs(id) & part::columns, 0u) << id;
        EXPECT_NE(rule_needs(id) & part::hygiene_columns, 0u) << id;
    }
    // The rules that look columns up by name: those names only.
    for (const char* id : {"missing_audit_columns", "updated_at_no_trigger"}) {
        EXPECT_EQ(rule_needs(id) & part::columns, 0u) << id;
        EXPECT_NE(rule_needs(id) & part::named_columns, 0u) << id;
    }
    // sequence_near_overflow: the columns the sequences feed only.
    EXPECT_EQ(rule_needs("sequence_near_overflow") & part::columns, 0u);
    EXPECT_NE(rule_needs("sequence_near_overflow") & part::sequence_columns, 0u);
    // A rule that looks at every column still reads them all.
    EXPECT_NE(rule_needs("table_bloat") & part::columns, 0u);
}

TEST(ReportNeeds, StatisticsRulesAloneReadOnlyTheBigTables) {
    // Rules that judge only analyzed big tables let the reader skip the
    // columns, indexes and constraints of every other table...
    EXPECT_NE(report_needs(std::vector<std::string>{"seq_scan_heavy"}) & part::big_tables_only, 0u);
    EXPECT_NE(report_needs(std::vector<std::string>{"nullable_never_null", "table_bloat"}) &
                  part::big_tables_only,
              0u);
    // ...but not once any rule judges every table, nor for every rule.
    EXPECT_EQ(report_needs(std::vector<std::string>{"seq_scan_heavy", "json_column"}) &
                  part::big_tables_only,
              0u);
    EXPECT_EQ(report_needs(std::vector<std::string>{"cascade_chain"}) & part::big_tables_only, 0u);
    EXPECT_EQ(report_needs(std::nullopt) & part::big_tables_only, 0u);
    EXPECT_EQ(report_needs(std::vector<std::string>{}) & part::big_tables_only, 0u);
}

TEST(ReportNeeds, InvalidIndexReadsOnlyTheUnusableIndexes) {
    EXPECT_EQ(rule_needs("invalid_index") & part::indexes, 0u);
    EXPECT_NE(rule_needs("invalid_index") & part::unusable_indexes, 0u);
}

namespace {
// UTF-8 lead byte -> length (what pg_encoding_mblen gives for UTF8).
int utf8_length(const char* s) {
    unsigned char c = static_cast<unsigned char>(*s);
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}
}  // namespace

TEST(ReportLike, UnderscoreIsOneCharacterInTheDatabaseEncoding) {
    EXPECT_TRUE(like_match("public.t\xC3\xA9st", "public.t_st", utf8_length));
    EXPECT_FALSE(like_match("public.t\xC3\xA9st", "public.t_st"));  // bytes: _ is half of é
    EXPECT_TRUE(like_match("public.t\xC3\xA9st", "public.t__st"));
    EXPECT_FALSE(like_match("public.t\xC3\xA9st", "public.t__st", utf8_length));
    EXPECT_TRUE(like_match("\xE6\x97\xA5\xE6\x9C\xAC", "%\xE6\x9C\xAC", utf8_length));
    EXPECT_TRUE(like_match("a\xC3\xA9", "a\\\xC3\xA9", utf8_length));  // escaped multibyte literal
    EXPECT_TRUE(like_match("x\xC3\xA9y\xC3\xA9z", "%\xC3\xA9z", utf8_length));
}
