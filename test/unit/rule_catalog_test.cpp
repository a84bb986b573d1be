// rule_catalog_test.cpp: the catalog is well formed, sorted, unique, and its
// rendered documentation carries every field.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "schema_oracle/core/rule.hpp"

using namespace schema_oracle::core;

TEST(RuleCatalog, IdsAreSortedUniqueSnakeCase) {
    const auto& all = rules();
    ASSERT_FALSE(all.empty());
    std::set<std::string_view> seen;
    const std::regex snake("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
    for (size_t i = 0; i < all.size(); ++i) {
        EXPECT_TRUE(std::regex_match(std::string(all[i].id), snake)) << all[i].id;
        EXPECT_TRUE(seen.insert(all[i].id).second) << "duplicate " << all[i].id;
        if (i > 0) {
            EXPECT_LT(all[i - 1].id, all[i].id);
        }
    }
}

TEST(RuleCatalog, EveryRuleIsDocumented) {
    for (const auto& r : rules()) {
        EXPECT_FALSE(r.summary.empty()) << r.id;
        EXPECT_FALSE(r.detects.empty()) << r.id;
        EXPECT_FALSE(r.hazard.empty()) << r.id;
        EXPECT_FALSE(r.safe.empty()) << r.id;
        EXPECT_EQ(r.summary.find('\n'), std::string_view::npos) << r.id << ": summary is one line";
    }
}

TEST(RuleCatalog, FindRule) {
    const RuleInfo* r = find_rule("create_index_not_concurrently");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->category, Category::lock);
    EXPECT_EQ(find_rule("no_such_rule"), nullptr);
    EXPECT_EQ(find_rule(""), nullptr);
}

TEST(RuleCatalog, RenderedDocHasEverySection) {
    const RuleInfo* r = find_rule("create_index_not_concurrently");
    ASSERT_NE(r, nullptr);
    std::string doc = render_rule_doc(*r);
    EXPECT_EQ(doc.rfind("# create_index_not_concurrently\n", 0), 0u);
    for (const char* section :
         {"## What it detects", "## Why it hurts", "## Lock", "## Safe alternative"})
        EXPECT_NE(doc.find(section), std::string::npos) << section;
    EXPECT_NE(doc.find("CREATE INDEX CONCURRENTLY"), std::string::npos);
}

TEST(RuleCatalog, SeverityNamesRoundTrip) {
    for (auto s : {Severity::info, Severity::warning, Severity::error})
        EXPECT_EQ(parse_severity(to_string(s)), s);
    EXPECT_FALSE(parse_severity("fatal").has_value());
    EXPECT_LT(Severity::info, Severity::error);
}
