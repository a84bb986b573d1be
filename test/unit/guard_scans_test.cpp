// guard_scans_test.cpp: the rules of issue 8, items 3-4, as pure functions
// of facts: scans of other tables and rebuilds a statement causes, and
// unknown sizes judged as big.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "schema_oracle/core/guard.hpp"

using namespace schema_oracle::core;

namespace {

ActionFacts action(Action kind, std::int64_t bytes = 100 * 8192, double tuples = 1000) {
    ActionFacts a{};
    a.action = kind;
    a.table.found = true;
    a.table.oid = 7;
    a.table.bytes = bytes;
    a.table.tuples = tuples;
    a.table.qname = "public.items";
    a.table.name = "items";
    a.table.raw_name = "items";
    a.table.schema = "public";
    return a;
}

StatementContext context(std::int64_t threshold = 0) {
    StatementContext c{};
    c.size_threshold_bytes = threshold;
    c.lock_timeout_set = true;
    return c;
}

std::vector<Finding> judge(const ActionFacts& a, const StatementContext& c) {
    return judge_statement(&a, 1, c);
}

}  // namespace

TEST(GuardScans, InlineCheckAddsTheColumnFirst) {
    auto a = action(Action::add_constraint);
    a.lock = Lock::access_exclusive;
    a.constraint.kind = ConstraintKind::check;
    a.constraint.name = "items_qty_check";
    a.constraint.definition = "CHECK ((qty > 0))";
    a.constraint.new_column = "qty";
    a.constraint.new_column_sql = "qty integer DEFAULT 0";
    auto f = judge(a, context());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "add_check_validated");
    EXPECT_NE(f[0].message.find("ADD COLUMN qty ... CHECK"), std::string::npos);
    const std::string& h = f[0].hint;
    const auto add = h.find("ALTER TABLE public.items ADD COLUMN qty integer DEFAULT 0;\n");
    const auto con = h.find("ADD CONSTRAINT items_qty_check CHECK ((qty > 0)) NOT VALID;\n");
    ASSERT_NE(add, std::string::npos);
    ASSERT_NE(con, std::string::npos);
    EXPECT_LT(add, con);
    EXPECT_NE(h.find("VALIDATE CONSTRAINT items_qty_check;"), std::string::npos);
}

TEST(GuardScans, InlineReferencesNamesTheStrongerLock) {
    auto a = action(Action::add_constraint);
    a.lock = Lock::access_exclusive;
    a.constraint.kind = ConstraintKind::foreign_key;
    a.constraint.name = "items_owner_fkey";
    a.constraint.referenced_table = "public.owners";
    a.constraint.definition = "FOREIGN KEY (owner) REFERENCES public.owners";
    a.constraint.new_column = "owner";
    a.constraint.new_column_sql = "owner bigint DEFAULT 1";
    auto f = judge(a, context());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "add_foreign_key_validated");
    EXPECT_NE(f[0].detail.find("ACCESS EXCLUSIVE on public.items"), std::string::npos);
    EXPECT_NE(f[0].detail.find("public.owners is locked SHARE ROW EXCLUSIVE"), std::string::npos);
}

TEST(GuardScans, DefaultPartitionScan) {
    auto a = action(Action::scan_default_partition);
    a.table.qname = "public.events_rest";
    a.table.raw_name = "events_rest";
    a.partition.parent = "public.events";
    a.partition.partition = "public.events_2";
    a.partition.constraint_sql = "((at IS NULL) OR (at < 2000) OR (at >= 3000))";
    auto f = judge(a, context());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "default_partition_scan");
    EXPECT_NE(f[0].hint.find("ALTER TABLE public.events_rest ADD CONSTRAINT events_rest_excl CHECK "
                             "(((at IS NULL) OR (at < 2000) OR (at >= 3000))) NOT VALID;"),
              std::string::npos);
    a.partition.implied_by_check = true;  // PostgreSQL skips the scan
    EXPECT_TRUE(judge(a, context()).empty());
    a.partition.implied_by_check = false;
    a.table.created_in_xact = true;
    EXPECT_TRUE(judge(a, context()).empty());
}

TEST(GuardScans, IndexRebuildsAndRevalidations) {
    auto a = action(Action::rebuild_indexes);
    a.rebuild.column = {"note", "note"};
    a.rebuild.type = "text";
    a.rebuild.count = 1;
    a.rebuild.index_bytes = 8192;
    a.rebuild.names = "public.items_lower_idx";
    a.rebuild.drop_sql = "DROP INDEX CONCURRENTLY public.items_lower_idx;\n";
    a.rebuild.create_sql =
        "CREATE INDEX CONCURRENTLY items_lower_idx ON public.items (lower(note));";
    auto f = judge(a, context());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "alter_type_rebuilds_index");
    EXPECT_NE(
        f[0].hint.find("DROP INDEX CONCURRENTLY public.items_lower_idx;\nALTER TABLE "
                       "public.items ALTER COLUMN note TYPE text;\nCREATE INDEX CONCURRENTLY"),
        std::string::npos);
    EXPECT_TRUE(judge(a, context(1LL << 40)).empty());  // below the threshold

    auto r = action(Action::revalidate_foreign_key);
    r.constraint.name = "items_kind_fkey";
    r.constraint.referenced_table = "public.kinds";
    r.constraint.definition = "FOREIGN KEY (kind) REFERENCES public.kinds(id)";
    r.alter_type.column = {"id", "id"};
    r.alter_type.type = "bigint";
    f = judge(r, context());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "type_change_revalidates_foreign_key");
    EXPECT_NE(f[0].hint.find("ALTER TABLE public.items ADD CONSTRAINT items_kind_fkey FOREIGN KEY "
                             "(kind) REFERENCES public.kinds(id) NOT VALID;"),
              std::string::npos);
}

TEST(GuardScans, UnknownSizeCountsAsBig) {
    auto a = action(Action::set_not_null, -1, -1);
    a.set_not_null.column = {"v", "v"};
    auto f = judge(a, context(1LL << 40));
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].message.find("size unknown"), std::string::npos);
}

TEST(GuardScans, AllInTablespaceJudgedByTheTotal) {
    auto a = action(Action::set_tablespace, 8192, 10);
    a.whole_database = true;
    a.storage.tablespace = "fast";
    a.storage.from_tablespace = "slow";
    a.storage.relations = 3;
    a.storage.total_bytes = 3LL * 1024 * 1024;
    EXPECT_EQ(judge(a, context(1024 * 1024)).size(), 1u);  // the biggest alone is below
    a.storage.total_bytes = 16384;
    EXPECT_TRUE(judge(a, context(1024 * 1024)).empty());
}
