// sql_text_test.cpp: the core's quoting follows PostgreSQL's quote_identifier
// (keywords included) and quote_literal (backslashes), and the keyword table
// is PostgreSQL 15's kwlist.h.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "schema_oracle/core/sql_text.hpp"
#include "schema_oracle/upstream/keywords.hpp"

using schema_oracle::core::quote_literal;
using schema_oracle::core::quote_name;
using schema_oracle::upstream::keyword_category;
using schema_oracle::upstream::keyword_count;
using schema_oracle::upstream::KeywordCategory;

TEST(QuoteName, PlainNamesStayBare) {
    EXPECT_EQ(quote_name("orders"), "orders");
    EXPECT_EQ(quote_name("_x1"), "_x1");
    EXPECT_EQ(quote_name("orders_customer_id_idx"), "orders_customer_id_idx");
}

TEST(QuoteName, OtherSpellingsAreQuoted) {
    EXPECT_EQ(quote_name("Orders"), "\"Orders\"");
    EXPECT_EQ(quote_name("1a"), "\"1a\"");
    EXPECT_EQ(quote_name("a b"), "\"a b\"");
    EXPECT_EQ(quote_name("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(quote_name(""), "\"\"");
}

// quote_identifier quotes every keyword but the unreserved ones.
TEST(QuoteName, KeywordsAreQuotedLikeQuoteIdentifier) {
    EXPECT_EQ(quote_name("select"), "\"select\"");    // reserved
    EXPECT_EQ(quote_name("user"), "\"user\"");        // reserved
    EXPECT_EQ(quote_name("order"), "\"order\"");      // reserved
    EXPECT_EQ(quote_name("int"), "\"int\"");          // col_name
    EXPECT_EQ(quote_name("between"), "\"between\"");  // col_name
    EXPECT_EQ(quote_name("left"), "\"left\"");        // type_func_name
    EXPECT_EQ(quote_name("authorization"), "\"authorization\"");
    EXPECT_EQ(quote_name("action"), "action");  // unreserved
    EXPECT_EQ(quote_name("name"), "name");      // unreserved
    EXPECT_EQ(quote_name("zone"), "zone");      // unreserved, the last keyword
    EXPECT_EQ(quote_name("selects"), "selects");
    EXPECT_EQ(quote_name("user_id"), "user_id");
}

TEST(QuoteLiteral, QuotesAreDoubled) {
    EXPECT_EQ(quote_literal("it's"), "'it''s'");
    EXPECT_EQ(quote_literal(""), "''");
}

// quote_literal: a backslash is doubled and the literal becomes E'...', so it
// means the same under either standard_conforming_strings.
TEST(QuoteLiteral, BackslashesMakeAnEscapeString) {
    EXPECT_EQ(quote_literal("C:\\dir"), "E'C:\\\\dir'");
    EXPECT_EQ(quote_literal("a\\'b"), "E'a\\\\''b'");
    EXPECT_EQ(quote_literal("\\"), "E'\\\\'");
}

TEST(Keywords, CategoriesOfKnownWords) {
    EXPECT_EQ(keyword_category("select"), KeywordCategory::reserved);
    EXPECT_EQ(keyword_category("abort"), KeywordCategory::unreserved);
    EXPECT_EQ(keyword_category("bigint"), KeywordCategory::col_name);
    EXPECT_EQ(keyword_category("freeze"), KeywordCategory::type_func_name);
    EXPECT_FALSE(keyword_category("orders").has_value());
    EXPECT_FALSE(keyword_category("").has_value());
    EXPECT_FALSE(keyword_category("all analyse").has_value());
    EXPECT_FALSE(keyword_category("analys").has_value());  // a prefix of a keyword
    EXPECT_EQ(keyword_count(), 460u);                      // kwlist.h, PostgreSQL 15
}

// The table is kwlist.h, word for word and category for category, where the
// server headers are installed (scripts/install-deps.sh installs them).
TEST(Keywords, TableIsPostgreSQL15KwlistH) {
    std::ifstream in("/usr/include/postgresql/15/server/parser/kwlist.h");
    if (!in)
        GTEST_SKIP() << "PostgreSQL 15's server headers are not installed";
    std::stringstream text;
    text << in.rdbuf();
    const std::string all = text.str();
    const std::regex entry(R"re(PG_KEYWORD\("([^"]+)",\s*\w+,\s*(\w+)_KEYWORD)re");
    std::size_t n = 0;
    for (auto it = std::sregex_iterator(all.begin(), all.end(), entry);
         it != std::sregex_iterator(); ++it, ++n) {
        const std::string word = (*it)[1];
        const std::string cat = (*it)[2];
        const KeywordCategory want = cat == "RESERVED"         ? KeywordCategory::reserved
                                     : cat == "COL_NAME"       ? KeywordCategory::col_name
                                     : cat == "TYPE_FUNC_NAME" ? KeywordCategory::type_func_name
                                                               : KeywordCategory::unreserved;
        EXPECT_EQ(keyword_category(word), want) << word;
    }
    EXPECT_EQ(n, keyword_count());
}
