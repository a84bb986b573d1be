// finding_text_test.cpp: report() findings' texts read and compare like the
// std::strings they replaced, in an arena (bound by TextArenaScope) and
// without one (each text its own heap copy), and survive their own bytes
// being a part of what is assigned or appended.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "schema_oracle/core/finding_text.hpp"
#include "schema_oracle/core/report.hpp"

using schema_oracle::core::FindingText;
using schema_oracle::core::ReportFinding;
using schema_oracle::core::TextArena;
using schema_oracle::core::TextArenaScope;

namespace {

// The same operations, with or without an arena: the results must not differ.
void exercise() {
    FindingText a;
    EXPECT_TRUE(a.empty());
    EXPECT_EQ(a, "");
    a = std::string("public.t");
    EXPECT_EQ(a, "public.t");
    EXPECT_EQ(a.size(), 8u);
    FindingText b;
    b.assign({a, ".", "col"});
    EXPECT_EQ(b, "public.t.col");
    b.assign({"column ", b, " is wide"});  // its own bytes as a part
    EXPECT_EQ(b, "column public.t.col is wide");
    b += "; ";
    b += b.view().substr(0, 6);  // its own bytes appended
    EXPECT_EQ(b, "column public.t.col is wide; column");
    a += "x";  // not the last text written: copied, then grown
    EXPECT_EQ(a, "public.tx");
    EXPECT_EQ(b, "column public.t.col is wide; column");

    FindingText c = a;  // copies compare equal and stay apart
    EXPECT_EQ(c, a);
    c = "other";
    EXPECT_EQ(a, "public.tx");
    EXPECT_NE(c, a);
    EXPECT_TRUE(FindingText() < a);
    FindingText d = std::move(c);
    EXPECT_EQ(d, "other");
    EXPECT_TRUE(c.empty());
    d = d;  // self-assignment keeps the text
    EXPECT_EQ(d, "other");

    EXPECT_EQ("index " + a + " on", "index public.tx on");
    EXPECT_EQ(a + a, "public.txpublic.tx");
    EXPECT_EQ(std::string("x: ") + a, "x: public.tx");
    EXPECT_NE(b.find("wide"), std::string::npos);
    EXPECT_EQ(b.rfind("column"), 29u);
    std::ostringstream os;
    os << a;
    EXPECT_EQ(os.str(), "public.tx");
    a = "";
    EXPECT_TRUE(a.empty());
    a.assign({});
    EXPECT_TRUE(a.empty());

    // Longer than a quarter chunk: a chunk of its own, texts around it intact.
    FindingText before, big, after;
    before = "before";
    big = std::string(100000, 'z');
    after = "after";
    after += "!";
    EXPECT_EQ(before, "before");
    EXPECT_EQ(big.size(), 100000u);
    EXPECT_EQ(big.view().find_first_not_of('z'), std::string::npos);
    EXPECT_EQ(after, "after!");

    // Findings move and copy with their texts.
    std::vector<ReportFinding> fs(3);
    for (int i = 0; i < 3; ++i) fs[i].message = "finding " + std::to_string(i);
    fs.erase(fs.begin());
    ReportFinding copy = fs[1];
    EXPECT_EQ(fs[0].message, "finding 1");
    EXPECT_EQ(copy.message, "finding 2");
}

}  // namespace

TEST(FindingText, WithoutArenaEachTextIsOwned) {
    exercise();
}

TEST(FindingText, InAnArena) {
    TextArena arena;
    {
        const TextArenaScope bind(arena);
        exercise();
        FindingText many;
        for (int i = 0; i < 20000; ++i) many = "text number " + std::to_string(i);
        EXPECT_EQ(many, "text number 19999");
    }
    EXPECT_GT(arena.reserved(), 256u * 1024);
}

TEST(FindingText, OwnedTextsOutliveTheScope) {
    FindingText kept;
    kept = "owned";  // no arena bound
    TextArena arena;
    {
        const TextArenaScope bind(arena);
        FindingText copy = kept;  // an owned text copies its bytes
        EXPECT_EQ(copy, "owned");
    }
    EXPECT_EQ(kept, "owned");
}
