// commit_rules_test.cpp: the checks judged at commit keep report()'s
// verdicts, only for the transaction's tables, and word both fixes.
#include <gtest/gtest.h>

#include "schema_oracle/core/commit_rules.hpp"
#include "schema_oracle/core/fk_coverage.hpp"

using namespace schema_oracle::core;

namespace {

Attribute column(AttrNumber n, const std::string& name) {
    Attribute a;
    a.attnum = n;
    a.name = a.qname = name;
    a.type = type_oid::int8;
    return a;
}

// public.child (id, parent_id, updated_at) with FK (parent_id), no index.
CatalogModel model() {
    CatalogModel m;
    m.namespaces[1] = Namespace{1, "public", "public"};
    Relation t;
    t.oid = 10;
    t.nsp = 1;
    t.name = t.qname = "child";
    t.attrs = {column(1, "id"), column(2, "parent_id"), column(3, "updated_at")};
    m.relations[10] = t;
    Relation p;
    p.oid = 11;
    p.nsp = 1;
    p.name = p.qname = "parent";
    p.attrs = {column(1, "id")};
    m.relations[11] = p;
    Constraint fk;
    fk.oid = 100;
    fk.name = fk.qname = "child_parent_id_fkey";
    fk.type = 'f';
    fk.table = 10;
    fk.ref_table = 11;
    fk.key = {2};
    fk.ref_key = {1};
    m.constraints.push_back(fk);
    Constraint pk;
    pk.oid = 101;
    pk.name = pk.qname = "child_pkey";
    pk.type = 'p';
    pk.table = 10;
    pk.key = {1};
    m.constraints.push_back(pk);
    m.settings.audit_columns = {"created_at", "updated_at"};
    m.settings.audit_columns_quoted = {"created_at", "updated_at"};
    return m;
}

Index index_on(AttrList cols, Oid oid = 200) {
    Index ix;
    ix.oid = oid;
    ix.table = 10;
    ix.nsp = 1;
    ix.name = ix.qname = "child_idx" + std::to_string(oid);
    ix.am = "btree";
    ix.columns = cols;
    ix.nkey = static_cast<int>(cols.size());
    return ix;
}

std::vector<std::string> rules_of(const std::vector<CommitFinding>& f) {
    std::vector<std::string> out;
    for (const auto& x : f) out.emplace_back(x.rule);
    return out;
}

}  // namespace

TEST(CommitRules, ExistingTableFkAndUpdatedAt) {
    CatalogModel m = model();
    m.link();
    CommitScope scope;
    scope.tables.insert(10);
    auto f = judge_at_commit(m, scope);
    EXPECT_EQ(rules_of(f), (std::vector<std::string>{"fk_missing_index", "updated_at_no_trigger"}));
    EXPECT_NE(f[0].fix_after.find("CREATE INDEX CONCURRENTLY IF NOT EXISTS child_parent_id_idx ON "
                                  "public.child (parent_id);"),
              std::string::npos);
    EXPECT_NE(f[0].message.find("[fk_missing_index]"), std::string::npos);
    EXPECT_NE(f[1].fix_after.find("CREATE EXTENSION IF NOT EXISTS moddatetime;"),
              std::string::npos);
}

TEST(CommitRules, NewTableAlsoPrimaryKeyAndAuditColumns) {
    CatalogModel m = model();
    m.constraints.pop_back();  // no primary key
    m.link();
    CommitScope scope;
    scope.tables.insert(10);
    scope.created.insert(10);
    scope.has_set_updated_at = true;
    auto f = judge_at_commit(m, scope);
    EXPECT_EQ(rules_of(f),
              (std::vector<std::string>{"fk_missing_index", "missing_audit_columns",
                                        "missing_primary_key", "updated_at_no_trigger"}));
    // Blocked on a new table: a plain CREATE INDEX goes into the migration.
    EXPECT_NE(f[0].fix_before.find("CREATE INDEX IF NOT EXISTS child_parent_id_idx"),
              std::string::npos);
    EXPECT_NE(f[3].fix_after.find("EXECUTE FUNCTION schema_oracle.set_updated_at('updated_at');"),
              std::string::npos);
}

TEST(CommitRules, OnlyTheTransactionsTables) {
    CatalogModel m = model();
    m.link();
    CommitScope scope;
    scope.tables.insert(11);  // the parent: nothing to say
    EXPECT_TRUE(judge_at_commit(m, scope).empty());
}

TEST(CommitRules, PartialIndexCoversWhenImpliedByNotNull) {
    Index ix = index_on({2});
    ix.predicate = "{NULLTEST ...}";
    EXPECT_FALSE(index_covers(ix, {2}));
    ix.predicate_implied_by_not_null = 1;  // WHERE parent_id IS NOT NULL
    EXPECT_TRUE(index_covers(ix, {2}));
    // (a, b) WHERE b IS NOT NULL: implied once both key columns are NOT NULL.
    Index two = index_on({2, 3});
    two.predicate = "{NULLTEST ...}";
    two.predicate_implied_by_not_null = 2;
    EXPECT_FALSE(index_covers(two, {2}));
    EXPECT_TRUE(index_covers(two, {2, 3}));
}

TEST(CommitRules, CoveredAndMaintainedIsSilent) {
    CatalogModel m = model();
    m.indexes[200] = index_on({2});
    Function touch;
    touch.oid = 300;
    touch.name = "touch";
    touch.language = "plpgsql";
    touch.source = "BEGIN NEW.updated_at := now(); RETURN NEW; END";
    m.functions[300] = touch;
    Trigger tr;
    tr.table = 10;
    tr.name = "child_touch";
    tr.function = 300;
    tr.type = (1 << 0) | (1 << 1) | (1 << 4);  // ROW, BEFORE, UPDATE
    m.triggers.push_back(tr);
    m.link();
    CommitScope scope;
    scope.tables.insert(10);
    EXPECT_TRUE(judge_at_commit(m, scope).empty());
}

#include "schema_oracle/core/dml_rules.hpp"

TEST(LargeDml, SplitsSetAndWhereAtTopLevel) {
    DmlClauses c = split_dml(
        "UPDATE orders SET status = 'new; where', total = (SELECT 1 WHERE true) "
        "WHERE status IS NULL AND note <> $$ returning $$ RETURNING id;",
        true);
    ASSERT_TRUE(c.ok);
    EXPECT_EQ(c.set, "status = 'new; where', total = (SELECT 1 WHERE true)");
    EXPECT_EQ(c.where, "status IS NULL AND note <> $$ returning $$");
    DmlClauses d = split_dml("delete from t -- where x\n where a = 1", false);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.where, "a = 1");
    EXPECT_TRUE(split_dml("UPDATE t SET a = 1", true).ok);
    EXPECT_EQ(split_dml("UPDATE t SET a = 1", true).where, "");
}

TEST(LargeDml, FormsABackfillCannotTakeAreNotSplit) {
    EXPECT_FALSE(split_dml("UPDATE t SET a = s.a FROM s WHERE s.id = t.id", true).ok);
    EXPECT_FALSE(split_dml("DELETE FROM t USING s WHERE s.id = t.id", false).ok);
    EXPECT_FALSE(split_dml("UPDATE t SET a = 1 WHERE CURRENT OF c", true).ok);
    EXPECT_FALSE(split_dml("WITH x AS (SELECT 1) UPDATE t SET a = 1", true).ok);
    // An alias the clauses use cannot be carried into backfill()'s UPDATE.
    EXPECT_FALSE(split_dml("UPDATE orders o SET a = 1 WHERE o.id > 0", true).ok);
    EXPECT_FALSE(split_dml("UPDATE orders AS o SET a = 1", true).ok);
    EXPECT_FALSE(split_dml("DELETE FROM orders o WHERE o.x = 1", false).ok);
    EXPECT_TRUE(split_dml("UPDATE ONLY \"my orders\".t SET a = 1", true).ok);
    // Parameters of a driver's statement cannot be pasted.
    EXPECT_FALSE(split_dml("UPDATE t SET a = $1 WHERE id = $2", true).ok);
    EXPECT_FALSE(split_dml("DELETE FROM t WHERE id = $1", false).ok);
}

TEST(LargeDml, ACommentInTheWhereClauseCannotSwallowTheDeleteRecipe) {
    LargeDml f{false, "public.t", 50000, 20 << 20, 10 << 20, "DELETE FROM t WHERE a < 5 -- purge",
               false, {}};
    DmlFinding out = judge_large_dml(f);
    ASSERT_TRUE(out.fires);
    EXPECT_NE(out.hint.find("WHERE (\na < 5 -- purge\n) LIMIT 10000);"), std::string::npos)
        << out.hint;
}

TEST(LargeDml, APartitionedDeleteBatchesOnThePrimaryKeyNotOnCtid) {
    // ctid repeats across partitions: a ctid-keyed batch would delete rows
    // of other partitions that the statement never meant.
    LargeDml f{
        false, "public.events",     50000, 20 << 20, 10 << 20, "DELETE FROM events WHERE old",
        true,  {"tenant", "\"Id\""}};
    DmlFinding out = judge_large_dml(f);
    ASSERT_TRUE(out.fires);
    EXPECT_EQ(out.hint.find("ctid IN"), std::string::npos) << out.hint;
    EXPECT_NE(out.hint.find("DELETE FROM public.events WHERE (tenant, \"Id\") IN (SELECT tenant, "
                            "\"Id\" FROM public.events WHERE (\nold\n) LIMIT 10000);"),
              std::string::npos)
        << out.hint;
    f.key_columns.clear();  // no primary key: no recipe at all
    out = judge_large_dml(f);
    ASSERT_TRUE(out.fires);
    EXPECT_EQ(out.hint.find("DELETE FROM"), std::string::npos) << out.hint;
    EXPECT_NE(out.hint.find("no primary key"), std::string::npos) << out.hint;
}

TEST(LargeDml, FiresFromTheThresholdAndQuotesTheFix) {
    LargeDml f{true,     "public.orders",
               50000,    20 << 20,
               10 << 20, "UPDATE orders SET note = 'it''s' WHERE note IS NULL",
               false,    {}};
    DmlFinding out = judge_large_dml(f);
    ASSERT_TRUE(out.fires);
    EXPECT_NE(out.message.find("[large_dml_in_migration]"), std::string::npos);
    EXPECT_NE(out.hint.find("schema_oracle.backfill('public.orders', 'note = ''it''''s''', "
                            "'note IS NULL');"),
              std::string::npos);
    f.bytes = 1 << 20;
    EXPECT_FALSE(judge_large_dml(f).fires);
}
