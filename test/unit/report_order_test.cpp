// report_order_test.cpp: report()'s stable order (most severe first, then
// rule, identity, message) as run_report() computes it -- a counting sort by
// severity and rule, then keys from the bytes after each bucket's shared
// identity prefix -- against a plain reference sort; the order-only
// run_report() against the sorted one; and the near-miss explanations of
// foreign-key coverage (ordered by index name, leading columns counted as a
// multiset).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "schema_oracle/core/fk_coverage.hpp"
#include "schema_oracle/core/report.hpp"

using namespace schema_oracle::core;

namespace {

// Tables whose names share long prefixes, are prefixes of one another
// ("t", "t1", "t10") and differ only past the 16th byte of the identity, in
// two schemas whose names are prefixes of each other.
CatalogModel model() {
    CatalogModel m;
    m.namespaces[10] = Namespace{10, "app", "app"};
    m.namespaces[11] = Namespace{11, "app_archive", "app_archive"};
    m.settings.audit_columns = {"created_at"};
    m.settings.audit_columns_quoted = {"created_at"};
    const std::vector<std::string> names = {
        "t",
        "t1",
        "t10",
        "t2",
        "customer_addresses_history_2024",
        "customer_addresses_history_2023",
        "customer_addresses_history_20231",
        "customer_addresses",
        "Zeta",
        "zeta",
        "a",
    };
    Oid next = 1000;
    for (Oid nsp : {Oid{11}, Oid{10}}) {
        for (const std::string& name : names) {
            Relation r;
            r.oid = ++next;
            r.nsp = nsp;
            r.name = name;
            r.qname = name == "Zeta" ? "\"Zeta\"" : name;
            Attribute a;
            a.attnum = 1;
            a.name = a.qname = "payload";
            a.type = type_oid::json;
            r.attrs.push_back(a);
            Attribute b;
            b.attnum = 2;
            b.name = b.qname = "updated_at";
            b.type = type_oid::timestamp;  // timestamp_without_time_zone, updated_at_no_trigger
            r.attrs.push_back(b);
            m.relations[r.oid] = r;
        }
    }
    m.link();
    return m;
}

int severity_rank(const ReportFinding& f) {
    return 2 - static_cast<int>(f.severity);
}

bool reference_before(const ReportFinding& a, const ReportFinding& b) {
    if (severity_rank(a) != severity_rank(b))
        return severity_rank(a) < severity_rank(b);
    if (a.rule_rank != b.rule_rank)
        return a.rule_rank < b.rule_rank;
    if (a.object_identity != b.object_identity)
        return a.object_identity < b.object_identity;
    return a.message < b.message;
}

std::vector<std::string> keys(const std::vector<ReportFinding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(std::string(f.rule) + " " + f.object_identity);
    return out;
}

Index make_index(Oid oid, const std::string& name, AttrList cols) {
    Index ix;
    ix.oid = oid;
    ix.name = name;
    ix.am = "btree";
    ix.columns = std::move(cols);
    ix.nkey = static_cast<int>(ix.columns.size());
    return ix;
}

}  // namespace

TEST(ReportOrder, MatchesAReferenceSort) {
    const CatalogModel m = model();
    const ReportOptions o;
    std::vector<ReportFinding> got = run_report(m, o);
    ASSERT_GT(got.size(), 60u);  // five rules over 22 tables
    std::vector<ReportFinding> want = got;
    std::stable_sort(want.begin(), want.end(), reference_before);
    EXPECT_EQ(keys(got), keys(want));
    // Identities that are prefixes of others sort first, byte order ("Z" < "a").
    std::vector<std::string> json;
    for (const auto& f : got)
        if (f.rule == "json_column" && f.object_identity.rfind("app.", 0) == 0)
            json.push_back(f.object_identity.str());
    const std::vector<std::string> expected = {
        "app.\"Zeta\".payload",
        "app.a.payload",
        "app.customer_addresses.payload",
        "app.customer_addresses_history_2023.payload",
        "app.customer_addresses_history_20231.payload",
        "app.customer_addresses_history_2024.payload",
        "app.t.payload",
        "app.t1.payload",
        "app.t10.payload",
        "app.t2.payload",
        "app.zeta.payload",
    };
    EXPECT_EQ(json, expected);
}

// Large buckets: 1,500 identities in random order that differ only far past
// the 16 key bytes, are prefixes of one another or hold bytes above 0x7f.
TEST(ReportOrder, LargeBucketsMatchAReferenceSort) {
    CatalogModel m;
    m.namespaces[10] = Namespace{10, "app", "app"};
    std::uint32_t seed = 12345;
    auto next_rand = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7fff;
    };
    const std::string alphabet = "abcz_019\xc3\xa9";
    Oid next = 1000;
    for (int i = 0; i < 1500; ++i) {
        std::string name;
        switch (i % 5) {
            case 0:  // long shared prefix, differing past the 16 key bytes
                name = "customer_addresses_history_" + std::to_string(next_rand() % 50);
                break;
            case 1:  // short names, prefixes of one another
                name = "t" + std::to_string(next_rand() % 200);
                break;
            default:
                for (int k = 0, n = 1 + next_rand() % 30; k < n; ++k)
                    name += alphabet[next_rand() % alphabet.size()];
        }
        Relation r;
        r.oid = ++next;
        r.nsp = 10;
        r.name = r.qname = name;
        Attribute a;
        a.attnum = 1;
        a.name = a.qname = "payload";
        a.type = type_oid::json;
        r.attrs.push_back(a);
        m.relations[r.oid] = r;
    }
    m.link();
    const std::vector<ReportFinding> got = run_report(m, ReportOptions{});
    ASSERT_GE(got.size(), 1500u);
    std::vector<ReportFinding> want = got;
    std::stable_sort(want.begin(), want.end(), reference_before);
    EXPECT_EQ(keys(got), keys(want));
}

TEST(ReportOrder, OrderOnlyRunListsTheSortedFindings) {
    const CatalogModel m = model();
    ReportOptions o;
    o.exclude_schemas = {"app_archive"};
    const std::vector<ReportFinding> sorted = run_report(m, o);
    std::vector<std::uint32_t> order;
    const std::vector<ReportFinding> unsorted = run_report(m, o, order);
    ASSERT_EQ(order.size(), unsorted.size());
    ASSERT_EQ(sorted.size(), unsorted.size());
    std::vector<bool> seen(order.size(), false);
    for (std::size_t i = 0; i < order.size(); ++i) {
        ASSERT_LT(order[i], unsorted.size());
        EXPECT_FALSE(seen[order[i]]);  // a permutation
        seen[order[i]] = true;
        const ReportFinding& f = unsorted[order[i]];
        EXPECT_EQ(f.rule, sorted[i].rule);
        EXPECT_EQ(f.object_identity, sorted[i].object_identity);
        EXPECT_EQ(f.message, sorted[i].message);
        EXPECT_EQ(f.schema, "app");
    }
}

TEST(ReportOrder, NoFindingsAndOneFinding) {
    CatalogModel m;
    m.namespaces[10] = Namespace{10, "app", "app"};
    m.link();
    std::vector<std::uint32_t> order = {7};
    EXPECT_TRUE(run_report(m, ReportOptions{}, order).empty());
    EXPECT_TRUE(order.empty());
    Relation r;
    r.oid = 2000;
    r.nsp = 10;
    r.name = r.qname = "only";
    m.relations[r.oid] = r;
    m.link();
    ReportOptions o;
    o.rules = std::vector<std::string>{"missing_primary_key"};
    const auto one = run_report(m, o, order);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(order, std::vector<std::uint32_t>{0});
}

TEST(FkCoverageNearMisses, OrderedByIndexNameWhateverTheTableOrder) {
    Relation t;
    t.oid = 100;
    t.name = "comments";
    for (AttrNumber n = 1; n <= 3; ++n) {
        Attribute a;
        a.attnum = n;
        a.name = "c" + std::to_string(n);
        t.attrs.push_back(a);
    }
    Index zed = make_index(1, "zed", {1, 2});  // c2 second
    Index abc = make_index(2, "abc", {3, 2});  // c2 second
    Index mid = make_index(3, "mid", {2});
    mid.predicate = "(c1 > 0)";  // partial
    const std::vector<const Index*> indexes = {&zed, &mid, &abc};
    const FkCoverage cov = judge_fk_coverage({2}, indexes, t);
    EXPECT_FALSE(cov.covered);
    const std::vector<std::string> want = {"index abc has c2 second", "index mid is partial",
                                           "index zed has c2 second"};
    EXPECT_EQ(cov.near_misses, want);
}

TEST(FkCoverageNearMisses, RepeatedIndexColumnIsNotTheKey) {
    Relation t;
    t.oid = 100;
    t.name = "pairs";
    for (AttrNumber n = 1; n <= 2; ++n) {
        Attribute a;
        a.attnum = n;
        a.name = "c" + std::to_string(n);
        t.attrs.push_back(a);
    }
    // (c1, c1, c2) does not lead with the key (c1, c2): c2 is third.
    Index twice = make_index(1, "twice", {1, 1, 2});
    twice.predicate = "(c1 > 0)";
    const FkCoverage cov = judge_fk_coverage({1, 2}, {&twice}, t);
    EXPECT_FALSE(cov.covered);
    EXPECT_EQ(cov.near_misses, std::vector<std::string>{"index twice has c2 third"});
    // (c2, c1) partial does lead with it: reported as partial.
    Index swapped = make_index(2, "swapped", {2, 1});
    swapped.predicate = "(c1 > 0)";
    const FkCoverage cov2 = judge_fk_coverage({1, 2}, {&swapped}, t);
    EXPECT_EQ(cov2.near_misses, std::vector<std::string>{"index swapped is partial"});
}
