// backfill_test.cpp: backfill() pacing (batch sizing, backoff), progress and
// the batch statements' text.
#include <gtest/gtest.h>

#include <string>

#include "schema_oracle/core/backfill.hpp"

using namespace schema_oracle::core::backfill;

namespace {

PacerConfig adaptive(double target_ms = 200) {
    PacerConfig c;
    c.target_ms = target_ms;
    c.initial_batch = 1000;
    c.max_batch = 1000000;
    return c;
}

}  // namespace

TEST(BackfillPacer, FixedSizeStaysFixed) {
    PacerConfig c;
    c.fixed_batch = 500;
    Pacer p = make_pacer(c);
    EXPECT_EQ(p.batch_size, 500);
    after_batch(p, 500, 5000);  // slow: still fixed
    EXPECT_EQ(p.batch_size, 500);
    after_batch(p, 500, 1);
    EXPECT_EQ(p.batch_size, 500);
}

TEST(BackfillPacer, FixedSizeRecoversAfterConflictGradually) {
    PacerConfig c;
    c.fixed_batch = 1000;
    Pacer p = make_pacer(c);
    after_conflict(p);
    EXPECT_EQ(p.batch_size, 500);
    after_batch(p, 500, 10);
    EXPECT_EQ(p.batch_size, 750);
    after_batch(p, 750, 10);
    EXPECT_EQ(p.batch_size, 1000);
}

TEST(BackfillPacer, GrowthIsBoundedPerBatch) {
    Pacer p = make_pacer(adaptive());
    after_batch(p, 1000, 1);  // 1000 keys/ms: ideal is 200000
    EXPECT_EQ(p.batch_size, 1500);
    after_batch(p, 1500, 1.5);
    EXPECT_EQ(p.batch_size, 2250);
}

TEST(BackfillPacer, ConvergesOnTheTarget) {
    Pacer p = make_pacer(adaptive());
    const double keys_per_ms = 50;  // a steady table: 10000 keys per 200 ms
    for (int i = 0; i < 40; ++i)
        after_batch(p, p.batch_size, static_cast<double>(p.batch_size) / keys_per_ms);
    // It aims a little under the target (90%): 9000 keys, 180 ms.
    EXPECT_NEAR(static_cast<double>(p.batch_size), 9000, 100);
}

TEST(BackfillPacer, OverrunShrinksAtOnceInProportion) {
    Pacer p = make_pacer(adaptive());
    for (int i = 0; i < 40; ++i)
        after_batch(p, p.batch_size, static_cast<double>(p.batch_size) / 50);
    int64_t before = p.batch_size;
    // The table turns 10x slower (cold pages, contention): one overrun.
    after_batch(p, before, static_cast<double>(before) / 5);
    EXPECT_LE(p.batch_size, before / 10);
    // The next batch at the slow rate fits the target.
    EXPECT_LE(static_cast<double>(p.batch_size) / 5, 200.0);
}

TEST(BackfillPacer, StaysWithinBounds) {
    PacerConfig c = adaptive();
    c.min_batch = 10;
    c.max_batch = 5000;
    Pacer p = make_pacer(c);
    for (int i = 0; i < 50; ++i) after_batch(p, p.batch_size, 0.001);
    EXPECT_EQ(p.batch_size, 5000);
    for (int i = 0; i < 50; ++i) after_batch(p, p.batch_size, 1e9);
    EXPECT_EQ(p.batch_size, 10);
    after_conflict(p);
    EXPECT_EQ(p.batch_size, 10);
}

TEST(BackfillPacer, ConflictHalves) {
    Pacer p = make_pacer(adaptive());
    after_conflict(p);
    EXPECT_EQ(p.batch_size, 500);
}

TEST(BackfillBackoff, DoublesUpToTheCapWithJitter) {
    EXPECT_DOUBLE_EQ(backoff_ms(1, 50, 10000, 1.0), 50);
    EXPECT_DOUBLE_EQ(backoff_ms(3, 50, 10000, 1.0), 200);
    EXPECT_DOUBLE_EQ(backoff_ms(30, 50, 10000, 1.0), 10000);
    EXPECT_DOUBLE_EQ(backoff_ms(3, 50, 10000, 0.0), 100);
}

TEST(BackfillProgress, EtaFromThisRunsRate) {
    Progress p;
    p.keys_estimate = 1000;
    p.keys_done = 250;
    p.keys_before = 250;
    p.elapsed_s = 5;
    EXPECT_DOUBLE_EQ(eta_seconds(p), 10);
    p.keys_estimate = -1;
    EXPECT_LT(eta_seconds(p), 0);
    p.rows_done = 100;
    p.batches = 3;
    p.batch_size = 77;
    std::string d = progress_detail(p);
    EXPECT_NE(d.find("batch size 77"), std::string::npos) << d;
    EXPECT_NE(d.find("ETA unknown"), std::string::npos) << d;
}

TEST(BackfillSql, SingleKeyUsesPlainComparisons) {
    BatchSqlInput in;
    in.relation = "ONLY public.t";
    in.key = {{"id", "bigint"}};
    in.gt_operator = "OPERATOR(pg_catalog.>)";
    in.le_operator = "OPERATOR(pg_catalog.<=)";
    in.set_clause = "c = c + 1";
    BatchSql s = build_batch_sql(in);
    EXPECT_EQ(s.update_next,
              "UPDATE ONLY public.t SET\nc = c + 1\nWHERE id OPERATOR(pg_catalog.>) $1 AND id "
              "OPERATOR(pg_catalog.<=) $2");
    EXPECT_EQ(s.fetch_first,
              "SELECT id FROM (SELECT id FROM ONLY public.t WHERE id OPERATOR(pg_catalog.<=) $1 "
              "ORDER BY id LIMIT $2) AS batch ORDER BY id DESC LIMIT 1");
    EXPECT_EQ(s.update_next.find("OFFSET"), std::string::npos);
}

TEST(BackfillSql, CompositeKeyUsesRowComparisonAndUserWhereOnItsOwnLines) {
    BatchSqlInput in;
    in.relation = "public.\"T\"";
    in.key = {{"a", "integer"}, {"\"B\"", "text"}};
    in.gt_operator = "OPERATOR(pg_catalog.>)";
    in.le_operator = "OPERATOR(pg_catalog.<=)";
    in.set_clause = "x = 1 -- note";
    in.where_clause = "x IS NULL";
    BatchSql s = build_batch_sql(in);
    EXPECT_EQ(s.update_next,
              "UPDATE public.\"T\" SET\nx = 1 -- note\nWHERE ROW(a, \"B\") OPERATOR(pg_catalog.>) "
              "ROW($1, $2) AND ROW(a, \"B\") OPERATOR(pg_catalog.<=) ROW($3, $4) AND (\nx IS "
              "NULL\n)");
    EXPECT_NE(s.fetch_next.find(
                  "ORDER BY a, \"B\" LIMIT $5) AS batch ORDER BY a DESC, \"B\" DESC LIMIT 1"),
              std::string::npos)
        << s.fetch_next;
    EXPECT_EQ(s.max_key, "SELECT a, \"B\" FROM public.\"T\" ORDER BY a DESC, \"B\" DESC LIMIT 1");
    EXPECT_EQ(key_list(in.key), "(a, \"B\")");
}
