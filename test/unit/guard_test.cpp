// guard_test.cpp: the guard's rules as pure functions of facts.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "schema_oracle/core/guard.hpp"
#include "schema_oracle/core/sql_text.hpp"

using namespace schema_oracle::core;

namespace {

ActionFacts action(Action kind, std::int64_t bytes = 100 * 8192, double tuples = 1000) {
    ActionFacts a{};
    a.action = kind;
    a.table.found = true;
    a.table.oid = 42;
    a.table.bytes = bytes;
    a.table.tuples = tuples;
    a.table.qname = "public.orders";
    a.table.name = "orders";
    return a;
}

StatementContext context(std::int64_t threshold = 0) {
    StatementContext c{};
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
    a.create_index.name = "orders_customer_idx";
    a.create_index.definition = " (customer_id)";
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
    a.add_column.column.quoted = "token";
    a.add_column.type = "uuid";
    a.add_column.default_sql = "gen_random_uuid()";
    a.add_column.has_default = true;
    EXPECT_TRUE(judge(a, context()).empty());  // non-volatile
    a.add_column.volatile_default = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_column_volatile_default"});
    auto findings = judge_statement(&a, 1, context());
    EXPECT_TRUE(findings[0].rewrite);
    a.add_column.volatile_default = false;
    a.add_column.generated_stored = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_column_generated_stored"});
}

TEST(GuardRules, AddColumnNotNull) {
    auto a = action(Action::add_column, 8192, 3);
    a.add_column.not_null = true;
    // Any size: the statement fails on a table with rows.
    EXPECT_EQ(judge(a, context(1LL << 40)),
              std::vector<std::string>{"add_column_not_null_no_default"});
    a.table.tuples = 0;  // known empty
    EXPECT_TRUE(judge(a, context()).empty());
    a.table.tuples = 3;
    a.add_column.has_default = true;
    EXPECT_TRUE(judge(a, context()).empty());
}

TEST(GuardRules, AlterTypeFollowsTheRewriteDecision) {
    auto a = action(Action::alter_column_type);
    a.alter_type.rewrite = false;
    EXPECT_TRUE(judge(a, context()).empty());
    a.alter_type.rewrite = true;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"alter_column_type_rewrite"});
}

TEST(GuardRules, Constraints) {
    auto a = action(Action::add_constraint);
    auto& c = a.constraint;
    c.kind = ConstraintKind::foreign_key;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_foreign_key_validated"});
    c.not_valid = true;
    EXPECT_TRUE(judge(a, context()).empty());
    c.kind = ConstraintKind::check;
    EXPECT_TRUE(judge(a, context()).empty());
    c.not_valid = false;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_check_validated"});
    c.kind = ConstraintKind::unique;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_unique_constraint"});
    c.using_index = "orders_key";
    EXPECT_TRUE(judge(a, context()).empty());
    c.kind = ConstraintKind::primary_key;
    EXPECT_TRUE(judge(a, context()).empty());
    c.nullable_columns = 1;
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"primary_key_using_index_nullable"});
    c.using_index = "";
    EXPECT_EQ(judge(a, context()), std::vector<std::string>{"add_primary_key"});
    c.kind = ConstraintKind::exclusion;
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
    c.ae_held_table = "public.orders";
    EXPECT_EQ(judge(a, c), std::vector<std::string>{"statement_after_access_exclusive"});
}

TEST(GuardRules, TypeHygiene) {
    auto a = action(Action::column_type);
    a.hygiene.column = "payload";
    a.hygiene.type = TypeHygiene::json;
    a.hygiene.int4_key = true;
    a.hygiene.key_type = "integer";
    EXPECT_EQ(judge(a, context()), (std::vector<std::string>{"json_column", "int4_key"}));
    for (const auto& f : judge_statement(&a, 1, context()))
        EXPECT_EQ(f.severity, Severity::info) << f.rule;
}

TEST(GuardRules, EveryFindingNamesItsRule) {
    auto a = action(Action::set_not_null);
    a.set_not_null.column.quoted = "customer_id";
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].message.find("[set_not_null_scan]"), std::string::npos);
    EXPECT_EQ(findings[0].message.rfind("schema_oracle: ", 0), 0u);
    EXPECT_NE(findings[0].hint.find("CHECK (customer_id IS NOT NULL) NOT VALID"),
              std::string::npos);
    a.set_not_null.implied_by_check = true;
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
    a.table.raw_name = "Orders";
    a.table.name = "\"Orders\"";
    a.table.schema = "public";
    a.set_not_null.column.quoted = "\"CustomerId\"";
    a.set_not_null.column.raw = "CustomerId";
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].hint.find("ADD CONSTRAINT \"Orders_CustomerId_not_null\" CHECK "
                                    "(\"CustomerId\" IS NOT NULL) NOT VALID"),
              std::string::npos)
        << findings[0].hint;
}

TEST(GuardFacts, TextOfAnyLengthIsNeverCut) {
    // A 5,000-character CHECK and a long index definition come back whole.
    const std::string check = "CHECK (" + std::string(5000, 'x') + " > 0)";
    auto a = action(Action::add_constraint);
    a.constraint.kind = ConstraintKind::check;
    a.constraint.name = "orders_x_check";
    a.constraint.definition = check;
    auto findings = judge_statement(&a, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].hint.find(check + " NOT VALID;"), std::string::npos);
    const std::string long_table(300, 't');
    auto b = action(Action::create_index);
    b.table.qname = long_table;
    b.create_index.name = "i";
    const std::string definition = " ((" + std::string(3000, 'y') + "))";  // facts view their text
    b.create_index.definition = definition;
    findings = judge_statement(&b, 1, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_NE(findings[0].hint.find(long_table + definition + ";"), std::string::npos);
}

TEST(GuardFacts, FindingsCarryTheActionsIdentity) {
    ActionFacts list[2] = {action(Action::other), action(Action::alter_column_type)};
    list[1].table.oid = 77;
    list[1].alter_type.rewrite = true;
    auto findings = judge_statement(list, 2, context());
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].action, 1);
    EXPECT_EQ(findings[0].oid, 77u);
}

TEST(SqlText, ShellWordsRunNothing) {
    EXPECT_EQ(shell_word("--table=public.orders"), "--table=public.orders");
    EXPECT_EQ(shell_word("--table=public.\"orders$(touch x)\""),
              "'--table=public.\"orders$(touch x)\"'");
    EXPECT_EQ(shell_word("it's"), "'it'\\''s'");
    EXPECT_EQ(shell_word(""), "''");
    EXPECT_EQ(quote_name("a$b"), "\"a$b\"");  // like quote_identifier: $ is not plain
}

// One statement's hints are pasted one after the other, in the order
// printed: a drop the statement runs first is carried by the first hint that
// needs it only (NUL-separated in the facts, joined with ", " in the hint),
// and a later hint starts from the state the earlier ones leave.
TEST(GuardRules, StatementHintsPasteInOrder) {
    using namespace std::string_view_literals;
    const std::string_view drops = "DROP COLUMN token\0DROP CONSTRAINT t_key"sv;
    auto add = action(Action::add_column);
    add.add_column.column = {"token", "token"};
    add.add_column.type = "uuid";
    add.add_column.has_default = true;
    add.add_column.volatile_default = true;
    add.add_column.default_sql = "gen_random_uuid()";
    add.same_statement_drops = drops.substr(0, std::strlen("DROP COLUMN token"));
    auto key = action(Action::add_constraint);
    key.constraint.kind = ConstraintKind::unique;
    key.constraint.name = "t_key";
    key.constraint.key_columns = "token";
    key.constraint.new_column = "token";
    key.constraint.new_column_type = "uuid";
    key.same_statement_drops = drops;
    const ActionFacts both[] = {add, key};
    auto findings = judge_statement(both, 2, context());
    ASSERT_EQ(findings.size(), 2u);
    EXPECT_NE(findings[0].hint.find("ALTER TABLE public.orders DROP COLUMN token, ADD COLUMN token "
                                    "uuid;"),
              std::string::npos);
    // The key's hint: no second DROP COLUMN, no second ADD COLUMN; the drop
    // the first hint did not need is carried here, at the attach.
    EXPECT_EQ(findings[1].hint.find("DROP COLUMN"), std::string::npos);
    EXPECT_EQ(findings[1].hint.find("ADD COLUMN"), std::string::npos);
    EXPECT_NE(findings[1].hint.find("ALTER TABLE public.orders DROP CONSTRAINT t_key, ADD "
                                    "CONSTRAINT t_key UNIQUE USING INDEX"),
              std::string::npos);
    // Alone, the key's hint carries both drops and adds the column.
    auto alone = judge_statement(&key, 1, context());
    ASSERT_EQ(alone.size(), 1u);
    EXPECT_NE(alone[0].hint.find("ALTER TABLE public.orders DROP COLUMN token, DROP CONSTRAINT "
                                 "t_key, ADD COLUMN token uuid;"),
              std::string::npos);
    // After the column's own drop_column hint, the first hint that needs the
    // drop writes it DROP COLUMN IF EXISTS (it runs after that hint, or alone).
    auto drop = action(Action::drop_column);
    drop.rename_drop.column = {"token", "token"};
    const ActionFacts three[] = {drop, add, key};
    auto after_drop = judge_statement(three, 3, context());
    ASSERT_EQ(after_drop.size(), 3u);
    EXPECT_EQ(after_drop[0].rule, "drop_column");
    EXPECT_NE(after_drop[1].hint.find("DROP COLUMN IF EXISTS token, ADD COLUMN token uuid;"),
              std::string::npos);
    EXPECT_EQ(after_drop[2].hint.find("DROP COLUMN"), std::string::npos);
}
