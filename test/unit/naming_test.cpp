// naming_test.cpp: names derived the way PostgreSQL 15 derives them
// (indexcmds.c: makeObjectName, ChooseRelationName, ChooseIndexNameAddition).
#include <gtest/gtest.h>

#include <set>
#include <string>

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
