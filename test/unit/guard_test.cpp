// guard_test.cpp: the guard's rules as pure functions of facts.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "schema_oracle/core/guard.hpp"

using namespace schema_oracle::core;

namespace {

ActionFacts action(Action kind, std::int64_t bytes = 100 * 8192, double tuples = 1000) {
    ActionFacts a;
    std::memset(&a, 0, sizeof a);
    a.action = kind;
    a.table.found = true;
    a.table.oid = 42;
    a.table.bytes = bytes;
    a.table.tuples = tuples;
    std::strcpy(a.table.qname, "public.orders");
    std::strcpy(a.table.name, "orders");
    return a;
}

StatementContext context(std::int64_t threshold = 0) {
    StatementContext c;
    std::memset(&c, 0, sizeof c);
    c.size_threshold_bytes = threshold;
    c.lock_timeout_set = true;
    return c;
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings) out.emplace_back(f.rule);
    return out;
}

std::vector<std::string> judge(const ActionFacts& a, const StatementContext& c) {
    return rules_of(judge_statement(&a, 1, c));
}

}  // namespace

TEST(GuardFormat, SizesLikePgSizePretty) {
    EXPECT_EQ(format_size(0), "0 bytes");
    EXPECT_EQ(format_size(8192), "8192 bytes");
    EXPECT_EQ(format_size(10239), "10239 bytes");
    EXPECT_EQ(format_size(10240), "10 kB");
    EXPECT_EQ(format_size(106496), "104 kB");
    EXPECT_EQ(format_size(12LL * 1024 * 1024), "12 MB");
    EXPECT_EQ(format_size(20LL * 1024 * 1024 * 1024), "20 GB");
    EXPECT_EQ(format_size(-1), "size unknown");
}

TEST(GuardFormat, DescribeSize) {
    auto a = action(Action::other, 8192, 1);
    EXPECT_EQ(describe_size(a.table), "(8192 bytes, ~1 row)");
    a.table.tuples = -1;
    EXPECT_EQ(describe_size(a.table), "(8192 bytes, row count unknown)");
}

TEST(GuardRules, CreateIndex) {
    auto a = action(Action::create_index);
    std::strcpy(a.object, "orders_customer_idx");
    std::strcpy(a.expr_sql, " (customer_id)");
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].rule, "create_index_not_concurrently");
    EXPECT_NE(findings[0].message.find("public.orders (800 kB, ~1000 rows)"), std::string::npos);
    EXPECT_NE(findings[0].hint.find(
                  "CREATE INDEX CONCURRENTLY orders_customer_idx ON public.orders (customer_id);"),
              std::string::npos);
    EXPECT_NE(findings[0].detail.find("SHARE"), std::string::npos);
    a.concurrent = true;
    EXPECT_TRUE(judge(a, context()).empty());
}

TEST(GuardRules, ConcurrentlyInsideTransactionBlock) {
    auto a = action(Action::create_index);
    a.concurrent = true;
    auto c = context();
    c.in_transaction_block = true;
    EXPECT_EQ(judge(a, c), std::vector<std::string>{"concurrently_in_transaction"});
}

TEST(GuardRules, SameTransactionAndThreshold) {
    auto a = action(Action::create_index);
    a.table.created_in_xact = true;
    EXPECT_TRUE(judge(a, context()).empty());
    a.table.created_in_xact = false;
    EXPECT_TRUE(judge(a, context(1024LL * 1024 * 1024)).empty());
    EXPECT_EQ(judge(a, context(a.table.bytes)).size(), 1u);  // threshold is inclusive
}

TEST(GuardRules, AddColumn) {
    auto a = action(Action::add_column);
    std::strcpy(a.column, "token");
    std::strcpy(a.type_sql, "uuid");
    std::strcpy(a.expr_sql, "gen_random_uuid()");
    a.has_default = true;
    EXPECT_TRUE(judge(a, context()).empty());  // non-volatile
    a.volatile_default = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_column_volatile_default"});
    auto findings = judge_statement(&a, 1, context());
    EXPECT_TRUE(findings[0].rewrite);
    a.volatile_default = false;
    a.generated_stored = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_column_generated_stored"});
}

TEST(GuardRules, AddColumnNotNull) {
    auto a = action(Action::add_column, 8192, 3);
    a.not_null = true;
    // Any size: the statement fails on a table with rows.
    EXPECT_EQ(judge(a, context(1LL << 40)),
              std::vector<std::string>{"add_column_not_null_no_default"});
    a.table.tuples = 0;  // known empty
    EXPECT_TRUE(judge(a, context()).empty());
    a.table.tuples = 3;
    a.has_default = true;
    EXPECT_TRUE(judge(a, context()).empty());
}

TEST(GuardRules, AlterTypeFollowsTheRewriteDecision) {
    auto a = action(Action::alter_column_type);
    a.rewrite = false;
    EXPECT_TRUE(judge(a, context()).empty());
    a.rewrite = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"alter_column_type_rewrite"});
}

TEST(GuardRules, Constraints) {
    auto a = action(Action::add_constraint);
    a.constraint = ConstraintKind::foreign_key;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_foreign_key_validated"});
    a.not_valid = true;
    EXPECT_TRUE(judge(a, context()).empty());
    a.constraint = ConstraintKind::check;
    EXPECT_TRUE(judge(a, context()).empty());
    a.not_valid = false;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_check_validated"});
    a.constraint = ConstraintKind::unique;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_unique_constraint"});
    a.using_index = true;
    EXPECT_TRUE(judge(a, context()).empty());
    a.constraint = ConstraintKind::primary_key;
    EXPECT_TRUE(judge(a, context()).empty());
    a.nullable_columns = 1;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"primary_key_using_index_nullable"});
    a.using_index = false;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_primary_key"});
    a.constraint = ConstraintKind::exclusion;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_exclusion_constraint"});
}

TEST(GuardRules, ValidateOnlyWhileStrongLockHeld) {
    auto a = action(Action::validate_constraint);
    EXPECT_TRUE(judge(a, context()).empty());
    a.lock_already_held = true;
    a.lock = Lock::access_exclusive;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"validate_same_transaction"});
}

TEST(GuardRules, BreakingRulesIgnoreSizeButNotNewTables) {
    for (Action kind : {Action::rename_column, Action::rename_table, Action::drop_column,
                        Action::drop_table, Action::truncate}) {
        auto a = action(kind, 0, 0);
        EXPECT_EQ(judge(a, context(1LL << 40)).size(), 1u) << static_cast<int>(kind);
        a.table.created_in_xact = true;
        EXPECT_TRUE(judge(a, context()).empty());
    }
}

TEST(GuardRules, LockDiscipline) {
    auto a = action(Action::other, 0, 0);
    a.lock = Lock::access_exclusive;
    auto c = context(1LL << 40);
    c.lock_timeout_set = false;
    EXPECT_EQ(judge(a, c), std::vector<std::string>{"missing_lock_timeout"});
    c.lock_timeout_reported = true;  // said once in this transaction: not again
    EXPECT_TRUE(judge(a, c).empty());
    c.lock_timeout_reported = false;
    a.lock_already_held = true;
    EXPECT_TRUE(judge(a, c).empty());
    a.lock_already_held = false;
    a.lock = Lock::share_update_exclusive;  // blocks no reads or writes
    EXPECT_TRUE(judge(a, c).empty());
    c.lock_timeout_set = true;
    std::strcpy(c.ae_held_table, "public.orders");
    EXPECT_EQ(judge(a, c), std::vector<std::string>{"statement_after_access_exclusive"});
}

TEST(GuardRules, TypeHygiene) {
    auto a = action(Action::column_type);
    std::strcpy(a.column, "payload");
    a.type_json = true;
    a.type_int4_key = true;
    std::strcpy(a.type_sql, "integer");
    EXPECT_EQ(judge(a, context()), (std::vector<std::string>{"json_column", "int4_key"}));
    for (const auto& f : judge_statement(&a, 1, context()))
        EXPECT_EQ(f.severity, Severity::info) << f.rule;
}

TEST(GuardRules, EveryFindingNamesItsRule) {
    auto a = action(Action::set_not_null);
    std::strcpy(a.column, "customer_id");
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("[set_not_null_scan]"), std::string::npos);
    EXPECT_EQ(findings[0].message.rfind("schema_oracle: ", 0), 0u);
    EXPECT_NE(findings[0].hint.find("CHECK (customer_id IS NOT NULL) NOT VALID"), std::string::npos);
    a.implied_by_check = true;
    EXPECT_TRUE(judge(a, context()).empty());
}

TEST(GuardFormat, LockNamesAndWhatTheyBlock) {
    EXPECT_EQ(lock_name(Lock::access_exclusive), "ACCESS EXCLUSIVE");
    EXPECT_EQ(lock_name(Lock::share_row_exclusive), "SHARE ROW EXCLUSIVE");
    EXPECT_NE(lock_blocks(Lock::access_exclusive).find("all reads and writes"), std::string::npos);
    EXPECT_NE(lock_blocks(Lock::share).find("blocks writes"), std::string::npos);
    EXPECT_NE(lock_blocks(Lock::share_update_exclusive).find("reads and writes continue"),
              std::string::npos);
    EXPECT_LT(Lock::share, Lock::access_exclusive);
}

TEST(GuardRules, BigExistingTable) {
    auto a = action(Action::other, 8192, 1);
    auto c = context(8192);
    EXPECT_TRUE(big_existing_table(a.table, c));
    c.size_threshold_bytes = 8193;
    EXPECT_FALSE(big_existing_table(a.table, c));
    a.table.bytes = -1;  // unknown size: judged
    EXPECT_TRUE(big_existing_table(a.table, c));
    a.table.created_in_xact = true;
    EXPECT_FALSE(big_existing_table(a.table, c));
    a.table.created_in_xact = false;
    a.table.found = false;
    EXPECT_FALSE(big_existing_table(a.table, c));
}

TEST(GuardFormat, QuoteDerivedNames) {
    EXPECT_EQ(quote_derived("orders_id_seq"), "orders_id_seq");
    EXPECT_EQ(quote_derived("Orders_id_seq"), "\"Orders_id_seq\"");
    EXPECT_EQ(quote_derived("my table_new"), "\"my table_new\"");
    EXPECT_EQ(quote_derived("a\"b"), "\"a\"\"b\"");
    EXPECT_EQ(quote_derived("1abc"), "\"1abc\"");
}

TEST(GuardRules, DerivedNamesInHints) {
    auto a = action(Action::set_not_null);
    std::strcpy(a.table.raw_name, "Orders");
    std::strcpy(a.table.name, "\"Orders\"");
    std::strcpy(a.table.schema, "public");
    std::strcpy(a.column, "\"CustomerId\"");
    std::strcpy(a.raw_column, "CustomerId");
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].hint.find("ADD CONSTRAINT \"Orders_CustomerId_not_null\" CHECK "
                                    "(\"CustomerId\" IS NOT NULL) NOT VALID"),
              std::string::npos)
        << findings[0].hint;
}
