// naming_test.cpp: names derived the way PostgreSQL 15 derives them
// (indexcmds.c: makeObjectName, ChooseRelationName, ChooseIndexNameAddition).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "schema_oracle/upstream/naming.hpp"

using namespace schema_oracle::upstream;

TEST(Naming, LikePostgresMakeObjectName) {
    EXPECT_EQ(make_object_name("orders", "customer_id", "idx"), "orders_customer_id_idx");
    EXPECT_EQ(make_object_name("orders", "", "pkey"), "orders_pkey");
    // The longer part is cut first; the result is 63 bytes (what PostgreSQL
    // itself chose for this table in sql/guard_text.sql).
    const std::string table = "a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk";
    EXPECT_EQ(make_object_name(table, "v", "idx"),
              "a_table_name_that_is_exactly_sixty_three_bytes_long_abcde_v_idx");
    EXPECT_EQ(make_object_name(table, "v", "idx").size(), 63u);
    // Never inside a UTF-8 character.
    std::string wide;
    for (int i = 0; i < 40; ++i) wide += "\xC3\x9F";  // ß
    const std::string cut = make_object_name(wide, "", "idx");
    EXPECT_LE(cut.size(), 63u);
    EXPECT_EQ((cut.size() - 4) % 2, 0u);
}

TEST(Naming, AllColumnsAndASuffixWhenTaken) {
    EXPECT_EQ(index_name_addition({"a", "b", "c"}), "a_b_c");
    std::set<std::string> taken = {"t_a_b_idx", "t_a_b_idx1"};
    auto is_taken = [&](const std::string& n) { return taken.count(n) > 0; };
    EXPECT_EQ(choose_relation_name("t", "a_b", "idx", is_taken), "t_a_b_idx2");
    EXPECT_EQ(choose_relation_name("t", "c", "idx", is_taken), "t_c_idx");
}

// ChooseIndexColumnNames: a repeated name gets 1, 2, ... (cut to fit).
TEST(Naming, RepeatedColumnNamesGetASuffix) {
    EXPECT_EQ(index_column_names({"a", "expr", "expr", "a", "expr"}),
              (std::vector<std::string>{"a", "expr", "expr1", "a1", "expr2"}));
    const std::string long_name(63, 'x');
    const std::vector<std::string> cut = index_column_names({long_name, long_name});
    EXPECT_EQ(cut[1], std::string(62, 'x') + "1");
}

// ChooseIndexName: the label says what the index is; constraints' names
// must also be free among constraints (the callback is told).
TEST(Naming, ChooseIndexNameLikePostgres) {
    std::set<std::string> relations = {"t_a_idx"};
    std::set<std::string> constraints = {"t_a_key"};
    auto taken = [&](const std::string& n, bool constraint) {
        return relations.count(n) > 0 || (constraint && constraints.count(n) > 0);
    };
    EXPECT_EQ(choose_index_name("t", {"a"}, IndexNameKind::index, taken), "t_a_idx1");
    EXPECT_EQ(choose_index_name("t", {"a"}, IndexNameKind::unique_constraint, taken), "t_a_key1");
    EXPECT_EQ(choose_index_name("t", {"a", "b"}, IndexNameKind::exclusion, taken), "t_a_b_excl");
    EXPECT_EQ(choose_index_name("t", {"a"}, IndexNameKind::primary_key, taken), "t_pkey");
}

// pg_mbcliplen depends on the encoding: the adapter passes the database's;
// a single-byte encoding may cut anywhere.
TEST(Naming, ClipFollowsTheEncoding) {
    std::string wide;
    for (int i = 0; i < 40; ++i) wide += "\xC3\x9F";  // ß in UTF-8
    EXPECT_EQ(clip_utf8(wide, 59), 58u);
    auto single_byte = [](std::string_view s, std::size_t limit) {
        return limit < s.size() ? limit : s.size();
    };
    EXPECT_EQ(make_object_name(wide, "", "idx", single_byte).size(), 63u);
    EXPECT_EQ(make_object_name(wide, "", "idx").size(), 62u);
}
