// fk_coverage_test.cpp: the foreign-key coverage definition shared by
// report() and the transaction-end check.
#include <gtest/gtest.h>

#include "schema_oracle/core/fk_coverage.hpp"

using namespace schema_oracle::core;

namespace {

Index make_index(const std::string& name, AttrList cols, int nkey = -1, std::string am = "btree") {
    Index ix;
    ix.oid = static_cast<Oid>(std::hash<std::string>{}(name)&0xffff) + 1;
    ix.name = name;
    ix.am = std::move(am);
    ix.columns = std::move(cols);
    ix.nkey = nkey < 0 ? static_cast<int>(ix.columns.size()) : nkey;
    return ix;
}

Relation table() {
    Relation t;
    t.oid = 100;
    t.name = "comments";
    for (AttrNumber n = 1; n <= 4; ++n) {
        Attribute a;
        a.attnum = n;
        a.name = std::string("c") + std::to_string(n);
        t.attrs.push_back(a);
    }
    t.attrs[1].name = "post_id";
    return t;
}

}  // namespace

TEST(FkCoverage, LeadingColumnsAsASet) {
    EXPECT_TRUE(index_covers(make_index("i", {2}), {2}));
    EXPECT_TRUE(index_covers(make_index("i", {2, 3}), {2}));
    EXPECT_TRUE(index_covers(make_index("i", {3, 2}), {2, 3}));      // other order
    EXPECT_TRUE(index_covers(make_index("i", {3, 2, 1}), {2, 3}));   // extra trailing column
    EXPECT_FALSE(index_covers(make_index("i", {1, 2}), {2}));        // second
    EXPECT_FALSE(index_covers(make_index("i", {2}), {2, 3}));        // too short
    EXPECT_FALSE(index_covers(make_index("i", {2, 1, 3}), {2, 3}));  // not the leading pair
}

TEST(FkCoverage, IncludeColumnsDoNotCover) {
    EXPECT_FALSE(index_covers(make_index("i", {1, 2}, 1), {2}));
    EXPECT_FALSE(index_covers(make_index("i", {2, 3}, 1), {2, 3}));
}

TEST(FkCoverage, PartialInvalidAndExpressionIndexesDoNotCover) {
    Index partial = make_index("p", {2});
    partial.predicate = "(open)";
    EXPECT_FALSE(index_covers(partial, {2}));
    Index invalid = make_index("v", {2});
    invalid.valid = false;
    EXPECT_FALSE(index_covers(invalid, {2}));
    Index notready = make_index("r", {2});
    notready.ready = false;
    EXPECT_FALSE(index_covers(notready, {2}));
    EXPECT_FALSE(index_covers(make_index("e", {0}), {2}));
    EXPECT_FALSE(index_covers(make_index("e", {0, 2}), {2}));
}

TEST(FkCoverage, OtherAccessMethodsOnlySingleColumn) {
    EXPECT_TRUE(index_covers(make_index("h", {2}, -1, "hash"), {2}));
    EXPECT_FALSE(index_covers(make_index("g", {2, 3}, -1, "gist"), {2, 3}));
    EXPECT_FALSE(index_covers(make_index("h", {1}, -1, "hash"), {2}));
    EXPECT_FALSE(index_covers(make_index("x", {2}), {}));
}

TEST(FkCoverage, NearMissesAreExplained) {
    Relation t = table();
    Index second = make_index("votes_user_post_idx", {1, 2});
    Index partial = make_index("flags_open_post_idx", {2});
    partial.predicate = "open";
    Index incl = make_index("reads_incl", {1, 2}, 1);
    FkCoverage c = judge_fk_coverage({2}, {&second, &partial, &incl}, t);
    EXPECT_FALSE(c.covered);
    ASSERT_EQ(c.near_misses.size(), 3u);
    EXPECT_EQ(c.near_misses[0], "index flags_open_post_idx is partial");
    EXPECT_EQ(c.near_misses[1], "index reads_incl has post_id only as an INCLUDE column");
    EXPECT_EQ(c.near_misses[2], "index votes_user_post_idx has post_id second");
}

TEST(FkCoverage, CoveredNamesTheIndex) {
    Relation t = table();
    Index ok = make_index("comments_post_id_idx", {2, 3});
    Index partial = make_index("a_partial", {2});
    partial.predicate = "x";
    FkCoverage c = judge_fk_coverage({2}, {&partial, &ok}, t);
    EXPECT_TRUE(c.covered);
    EXPECT_EQ(c.covering_index, ok.oid);
    EXPECT_TRUE(c.near_misses.empty());
}
