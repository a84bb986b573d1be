// overlay_test.cpp: check()'s overlay of a migration file's earlier
// statements (transactions, relations, columns, locks, lock_timeout) and
// its text helpers (positions, excerpts, ignore comments).
#include <gtest/gtest.h>

#include "schema_oracle/core/overlay.hpp"

using namespace schema_oracle::core;

TEST(Overlay, SingleModeIsOneTransactionUntilTheFileCommits) {
    Overlay ov(TransactionMode::single, false);
    EXPECT_TRUE(ov.statement_begins(TransactionControl::none));
    ov.statement_ends();
    const int x = ov.xact();
    EXPECT_TRUE(ov.statement_begins(TransactionControl::none));
    ov.statement_ends();
    EXPECT_EQ(ov.xact(), x);
    EXPECT_TRUE(ov.statement_begins(TransactionControl::begin));  // BEGIN inside a block: no-op
    EXPECT_FALSE(ov.statement_begins(TransactionControl::commit));
    ov.statement_ends();
    EXPECT_FALSE(ov.statement_begins(TransactionControl::none));  // autocommit after the COMMIT
    ov.statement_ends();
}

TEST(Overlay, PerStatementIgnoresTransactionControl) {
    Overlay ov(TransactionMode::per_statement, false);
    EXPECT_FALSE(ov.statement_begins(TransactionControl::begin));
    ov.statement_ends();
    const int x = ov.xact();
    EXPECT_FALSE(ov.statement_begins(TransactionControl::none));
    EXPECT_NE(ov.xact(), x);
    ov.statement_ends();
}

TEST(Overlay, CreatedTablesAreNewOnlyInTheirTransaction) {
    Overlay ov(TransactionMode::as_written, false);
    ov.statement_begins(TransactionControl::begin);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::none);
    OverlayRelation& t = ov.create("public", "fresh", 'r');
    ov.add_column(t, {"id", 20, -1, 0, true, false});
    ov.statement_ends();
    const OverlayRelation* r = ov.find("public", "fresh");
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(ov.created_in_current_xact(*r));
    ov.statement_begins(TransactionControl::commit);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::none);
    r = ov.find("public", "fresh");
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(ov.created_in_current_xact(*r));
    ASSERT_NE(Overlay::column(*r, "id"), nullptr);
    EXPECT_TRUE(Overlay::column(*r, "id")->not_null);
}

TEST(Overlay, RollbackUndoesTheBlock) {
    Overlay ov(TransactionMode::as_written, false);
    ov.statement_begins(TransactionControl::begin);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::none);
    ov.create("public", "gone", 'r');
    ov.set_lock_timeout(true, false);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::rollback);
    ov.statement_ends();
    EXPECT_EQ(ov.find("public", "gone"), nullptr);
    EXPECT_FALSE(ov.lock_timeout_set());  // SET is transactional
}

// A catalog relation the file named or locked stays changed for the rest of
// the run: after a rollback and into the next file too (its catalog facts
// are not known any more: src/upstream/*refusals.cpp).
TEST(Overlay, ChangedRelationsStayChanged) {
    Overlay ov(TransactionMode::as_written, false);
    EXPECT_FALSE(ov.changed("oid:42"));
    ov.statement_begins(TransactionControl::begin);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::none);
    ov.note_changed("oid:42");
    ov.statement_ends();
    ov.statement_begins(TransactionControl::rollback);
    ov.statement_ends();
    EXPECT_TRUE(ov.changed("oid:42"));
    ov.next_file();
    EXPECT_TRUE(ov.changed("oid:42"));
    EXPECT_FALSE(ov.changed("oid:43"));
}

TEST(Overlay, RenameAndDrop) {
    Overlay ov(TransactionMode::single, false);
    ov.touch_catalog("public", "orders", 'r', 4711);
    ov.rename("public", "orders", "purchases");
    ASSERT_NE(ov.find("public", "orders"), nullptr);
    EXPECT_TRUE(ov.find("public", "orders")->dropped);
    ASSERT_NE(ov.find_oid(4711), nullptr);
    EXPECT_EQ(ov.find_oid(4711)->name, "purchases");
    OverlayRelation* p = ov.find("public", "purchases");
    ov.add_column(*p, {"note", 25, -1, 100, false, false});
    ov.rename_column(*p, "note", "remark");
    EXPECT_TRUE(Overlay::column(*p, "note")->dropped);
    EXPECT_EQ(Overlay::column(*p, "remark")->type_oid, 25u);
    ov.drop("public", "purchases");
    EXPECT_EQ(ov.find_oid(4711), nullptr);
}

// Quoted identifiers may hold any byte but NUL, so the key cannot rely on a
// separator byte: "a"."b<US>c" and "a<US>b"."c" are two relations.
TEST(Overlay, KeysOfHostileNamesNeverCollide) {
    Overlay ov(TransactionMode::single, false);
    ov.create("a",
              "b\x1f"
              "c",
              'r');
    EXPECT_EQ(ov.find("a\x1f"
                      "b",
                      "c"),
              nullptr);
    EXPECT_NE(Overlay::key("a",
                           "b\x1f"
                           "c"),
              Overlay::key("a\x1f"
                           "b",
                           "c"));
    EXPECT_NE(Overlay::key("1:a", "b"), Overlay::key("1", ":ab"));
    EXPECT_NE(ov.find("a",
                      "b\x1f"
                      "c"),
              nullptr);
    const std::string long_schema(200, 's');
    ov.create(long_schema, "t", 'r');
    EXPECT_NE(ov.find(long_schema, "t"), nullptr);  // past the stack buffer: the scan
}

TEST(Overlay, LocksLastUntilTheTransactionEnds) {
    Overlay ov(TransactionMode::as_written, false);
    ov.statement_begins(TransactionControl::begin);
    ov.note_lock("oid:1", Lock::share_row_exclusive);
    ov.note_lock("oid:1", Lock::access_share);
    EXPECT_EQ(ov.held("oid:1"), Lock::share_row_exclusive);
    ov.statement_ends();
    ov.statement_begins(TransactionControl::commit);
    EXPECT_EQ(ov.held("oid:1"), Lock::none);
}

TEST(Overlay, LockTimeoutLocalSessionReset) {
    Overlay ov(TransactionMode::as_written, false);
    ov.statement_begins(TransactionControl::none);
    ov.set_lock_timeout(true, true);  // SET LOCAL outside a block: no effect
    EXPECT_FALSE(ov.lock_timeout_set());
    ov.statement_ends();
    ov.statement_begins(TransactionControl::begin);
    ov.set_lock_timeout(true, true);
    EXPECT_TRUE(ov.lock_timeout_set());
    ov.statement_begins(TransactionControl::commit);
    EXPECT_FALSE(ov.lock_timeout_set());
    ov.set_lock_timeout(true, false);
    EXPECT_TRUE(ov.lock_timeout_set());
    ov.reset_lock_timeout();
    EXPECT_FALSE(ov.lock_timeout_set());
    Overlay preset(TransactionMode::single, true);  // the role's or database's setting
    preset.set_lock_timeout(false, false);
    preset.reset_lock_timeout();
    EXPECT_TRUE(preset.lock_timeout_set());
}

TEST(CheckText, LineColumnCountsCharacters) {
    const std::string text = "ab\nçd;\n  x";
    EXPECT_EQ(line_column(text, 0).line, 1);
    EXPECT_EQ(line_column(text, 3).line, 2);
    EXPECT_EQ(line_column(text, 3).column, 1);
    EXPECT_EQ(line_column(text, 6).column, 3);  // after the two-byte ç
    EXPECT_EQ(line_column(text, text.size() - 1).line, 3);
    EXPECT_EQ(line_column(text, text.size() - 1).column, 3);
}

TEST(CheckText, SkipTriviaAndExcerpt) {
    EXPECT_EQ(skip_trivia("  -- c\n /* a /* b */ */ SELECT", 0), 24u);
    EXPECT_EQ(excerpt("ALTER   TABLE\n\tt  ADD x int"), "ALTER TABLE t ADD x int");
    EXPECT_EQ(excerpt("abcdefghij", 5), "abcde...");
    EXPECT_EQ(excerpt("ééééé", 3), "ééé...");
}

TEST(CheckText, IgnoreComments) {
    auto c =
        ignore_comments("-- schema_oracle: allow rename_column -- column unused since v42\n", 10);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].rule, "rename_column");
    EXPECT_EQ(c[0].reason, "column unused since v42");
    EXPECT_EQ(c[0].offset, 10u);
    c = ignore_comments("--schema_oracle: allow a, b -- why\n-- schema_oracle: allow c\n-- other\n",
                        0);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[1].rule, "b");
    EXPECT_EQ(c[1].reason, "why");
    EXPECT_EQ(c[2].reason, "");
    EXPECT_TRUE(
        ignore_comments("-- schema_oracle: allowed x -- y\n-- note schema_oracle: allow x -- y", 0)
            .empty());
}

TEST(CheckText, PlainMessage) {
    EXPECT_EQ(
        plain_message("schema_oracle: CREATE INDEX on t blocks [create_index_not_concurrently]",
                      "create_index_not_concurrently"),
        "CREATE INDEX on t blocks");
    EXPECT_EQ(plain_message("other text", "x"), "other text");
}

TEST(CheckText, TransactionModes) {
    EXPECT_EQ(parse_transaction_mode("single"), TransactionMode::single);
    EXPECT_EQ(parse_transaction_mode("per_statement"), TransactionMode::per_statement);
    EXPECT_EQ(parse_transaction_mode("as_written"), TransactionMode::as_written);
    EXPECT_FALSE(parse_transaction_mode("Single"));
}

TEST(Overlay, IndexCoversForeignKeyAsFkCoverageDefines) {
    EXPECT_TRUE(index_covers_columns({"a"}, true, false, {"a"}));
    EXPECT_TRUE(index_covers_columns({"b", "a", "c"}, true, false, {"a", "b"}));
    EXPECT_FALSE(index_covers_columns({"c", "a"}, true, false, {"a"}));  // second place
    EXPECT_FALSE(index_covers_columns({"a"}, true, true, {"a"}));        // partial
    EXPECT_FALSE(index_covers_columns({""}, true, false, {"a"}));        // expression
    EXPECT_TRUE(index_covers_columns({"a", "b"}, false, false, {"a"}));  // gin/hash: first column
    EXPECT_FALSE(index_covers_columns({"a", "b"}, false, false, {"a", "b"}));
    EXPECT_FALSE(index_covers_columns({"a"}, true, false, {"a", "b"}));
}

TEST(Overlay, ForeignKeysAreJudgedWhenTheirTransactionCommits) {
    Overlay ov(TransactionMode::single, true);
    PendingForeignKey fk;
    fk.table_key = Overlay::key("public", "child");
    fk.columns = {"parent_id"};
    ov.create("public", "child", 'r');
    ov.note_foreign_key(fk);
    EXPECT_TRUE(ov.take_committed_foreign_keys().empty());  // still open
    FileIndex ix;
    ix.table_key = fk.table_key;
    ix.keys = {"parent_id"};
    ov.note_index(ix);  // later in the same transaction
    ov.finish();
    auto done = ov.take_committed_foreign_keys();
    ASSERT_EQ(done.size(), 1u);
    EXPECT_TRUE(done[0].covered);

    Overlay rolled(TransactionMode::as_written, true);
    rolled.statement_begins(TransactionControl::begin);
    rolled.note_foreign_key(fk);
    rolled.statement_begins(TransactionControl::rollback);
    EXPECT_TRUE(rolled.take_committed_foreign_keys().empty());

    Overlay dropped(TransactionMode::single, true);
    dropped.create("public", "child", 'r');
    dropped.note_foreign_key(fk);
    dropped.drop("public", "child");
    dropped.finish();
    EXPECT_TRUE(dropped.take_committed_foreign_keys().empty());
}
