// policy_test.cpp: schema_oracle.rule_levels parsing and effective levels.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_oracle/core/policy.hpp"

using namespace schema_oracle::core;

TEST(Policy, ParsesRuleLevelLists) {
    std::string error;
    auto levels = parse_rule_levels(" rename_column = block ,json_column=off,", &error);
    ASSERT_TRUE(levels.has_value()) << error;
    EXPECT_EQ(levels->size(), 2u);
    EXPECT_EQ(levels->at("rename_column"), Level::block);
    EXPECT_EQ(levels->at("json_column"), Level::off);
    EXPECT_TRUE(parse_rule_levels("", &error).has_value());
    EXPECT_TRUE(parse_rule_levels("   ", &error).has_value());
}

TEST(Policy, RejectsMalformedLists) {
    std::string error;
    EXPECT_FALSE(parse_rule_levels("no_such_rule=off", &error));
    EXPECT_NE(error.find("no_such_rule"), std::string::npos);
    EXPECT_FALSE(parse_rule_levels("rename_column=loud", &error));
    EXPECT_FALSE(parse_rule_levels("rename_column", &error));
    EXPECT_FALSE(parse_rule_levels("rename_column=off,,json_column=off", &error));
    // Rules only report() judges cannot be given guard levels.
    EXPECT_FALSE(parse_rule_levels("duplicate_index=off", &error));
}

TEST(Policy, EffectiveLevels) {
    const RuleInfo* error_rule = find_rule("create_index_not_concurrently");
    const RuleInfo* warning_rule = find_rule("rename_column");
    const RuleInfo* info_rule = find_rule("json_column");
    ASSERT_TRUE(error_rule && warning_rule && info_rule);
    RuleLevels none;
    EXPECT_EQ(effective_level(*error_rule, GuardMode::warn, none), Level::warn);
    EXPECT_EQ(effective_level(*error_rule, GuardMode::block, none), Level::block);
    EXPECT_EQ(effective_level(*warning_rule, GuardMode::block, none), Level::warn);
    EXPECT_EQ(effective_level(*info_rule, GuardMode::block, none), Level::notice);
    EXPECT_EQ(effective_level(*error_rule, GuardMode::off, none), Level::off);
    RuleLevels overrides;
    overrides["rename_column"] = Level::block;
    overrides["create_index_not_concurrently"] = Level::off;
    EXPECT_EQ(effective_level(*warning_rule, GuardMode::warn, overrides), Level::block);
    EXPECT_EQ(effective_level(*error_rule, GuardMode::block, overrides), Level::off);
    // guard = off silences even explicit levels.
    EXPECT_EQ(effective_level(*warning_rule, GuardMode::off, overrides), Level::off);
}

TEST(Policy, LevelNamesRoundTrip) {
    for (auto l : {Level::off, Level::notice, Level::warn, Level::block})
        EXPECT_EQ(parse_level(to_string(l)), l);
    EXPECT_FALSE(parse_level("error").has_value());
}

TEST(Policy, ParsedOnceIntoPlainStorage) {
    // What the rule_levels check hook keeps in `extra`: the same answers as
    // the parsed map, without parsing again.
    std::string error;
    auto parsed =
        parse_rule_levels("rename_column=block, create_index_not_concurrently=off", &error);
    ASSERT_TRUE(parsed.has_value()) << error;
    std::vector<char> storage(rule_level_table_size());
    auto* table = reinterpret_cast<RuleLevelTable*>(storage.data());
    fill_rule_level_table(*parsed, table);
    for (const RuleInfo& rule : rules())
        for (auto mode : {GuardMode::off, GuardMode::warn, GuardMode::block})
            EXPECT_EQ(effective_level(rule, mode, table), effective_level(rule, mode, *parsed))
                << rule.id;
    EXPECT_EQ(effective_level(*find_rule("rename_column"), GuardMode::warn, table), Level::block);
    EXPECT_EQ(effective_level(*find_rule("rename_column"), GuardMode::warn,
                              static_cast<const RuleLevelTable*>(nullptr)),
              Level::warn);
}
