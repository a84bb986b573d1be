// backfill.hpp: the pure parts of schema_oracle.backfill(): how big the next
// batch is (pacing), the SQL text the batches run, and the progress line.
//
// Nothing here touches PostgreSQL. The pacer is a plain struct with no
// destructor and noexcept functions, so the batch driver (src/pg/backfill_run.cpp),
// which commits between batches in C frames, may keep it on its stack.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace schema_oracle::core::backfill {

// --- pacing --------------------------------------------------------------

struct PacerConfig {
    int64_t fixed_batch = 0;       // > 0: always this many keys per batch
    double target_ms = 200.0;      // adaptive: aim every batch at this duration
    int64_t initial_batch = 1000;  // the first (probe) batch when adaptive
    int64_t min_batch = 1;
    int64_t max_batch = 1000000;
    double max_growth = 1.5;  // a batch is at most this many times the last
};

struct Pacer {
    PacerConfig config;
    int64_t batch_size = 0;    // keys the next batch will walk
    double keys_per_ms = 0.0;  // smoothed rate (0 = unknown yet)
};

// A pacer whose first batch is config.fixed_batch or config.initial_batch
// (clamped to [min_batch, max_batch]).
Pacer make_pacer(const PacerConfig& config) noexcept;

// After a committed batch that walked `keys` keys in `elapsed_ms`: the next
// size. A batch that overran the target shrinks at once in proportion (no
// smoothing, so one slow batch is never followed by another); otherwise the
// size moves toward rate x target, growing by at most max_growth per batch.
void after_batch(Pacer& p, int64_t keys, double elapsed_ms) noexcept;

// After a batch rolled back on a lock timeout, deadlock or serialization
// failure: half the size (even with a fixed size: contention is the signal).
void after_conflict(Pacer& p) noexcept;

// Retry backoff: base * 2^(attempt-1), capped, times jitter in [0.5, 1.0]
// (jitter01 in [0, 1] comes from the caller's random source).
double backoff_ms(int attempt, double base_ms, double cap_ms, double jitter01) noexcept;

// --- progress ------------------------------------------------------------

struct Progress {
    int64_t rows_done = 0;       // rows updated so far (this job, all runs)
    int64_t keys_done = 0;       // keys walked in this run
    int64_t keys_estimate = -1;  // keys in the table (planner estimate), -1 = unknown
    int64_t keys_before = 0;     // keys walked by earlier runs of the job
    double elapsed_s = 0.0;      // this run
    int64_t batch_size = 0;
    int64_t batches = 0;
};

// "rows/s, ETA, batch size" detail line of a progress NOTICE.
std::string progress_detail(const Progress& p);

// Seconds left at this run's rate, or -1 when it cannot be told.
double eta_seconds(const Progress& p) noexcept;

// --- SQL text ------------------------------------------------------------

// What the adapter knows about the table, every name already quoted for SQL.
struct KeyColumn {
    std::string name;  // quoted column name
    std::string type;  // schema-qualified type name (format_type)
};

struct BatchSqlInput {
    std::string relation;        // "ONLY s.t" or "s.t" (partitioned), quoted
    std::vector<KeyColumn> key;  // primary key columns, in index order
    std::string gt_operator;     // OPERATOR(ns.>) for every key column
    std::string le_operator;     // OPERATOR(ns.<=)
    std::string set_clause;      // the user's SET list, as given
    std::string where_clause;    // the user's condition, empty = none
};

// The statements one batch runs. Parameters: $1..$n the lower bound (the
// last key done, exclusive), $n+1..$2n the upper bound (inclusive). The
// first batch has no lower bound (variants *_first take only the upper
// bound as $1..$n).
struct BatchSql {
    std::string fetch_first;   // last key of the next batch: ($1..$n = end key)
    std::string fetch_next;    // ($1..$n = lower, $n+1..$2n = end key)
    std::string update_first;  // ($1..$n = upper)
    std::string update_next;   // ($1..$n = lower, $n+1..$2n = upper)
    std::string max_key;       // the end key captured when the job starts
    std::string count_keys;    // keys in (lower, end] (plan only)
};

// fetch_* take the batch size as the last parameter ($n+1 or $2n+1).
BatchSql build_batch_sql(const BatchSqlInput& in);

// "(a, b)" or "a": the key as a row expression (for messages).
std::string key_list(const std::vector<KeyColumn>& key);

}  // namespace schema_oracle::core::backfill
