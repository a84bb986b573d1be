// backfill_pacing.cpp: batch sizing and retry backoff for backfill().
//
// The model is the one pt-online-schema-change (--chunk-time) and GitLab's
// batch optimizer use: keep a smoothed rate of keys per millisecond and size
// the next batch so it takes the target time. Two asymmetries keep batches
// short rather than merely short on average: growth is bounded per batch
// (a fast batch on cached pages must not invite a huge one on cold pages),
// and an overrun shrinks the next batch at once, in proportion, without
// waiting for the smoothed rate to catch up.
#include "schema_oracle/core/backfill.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace schema_oracle::core::backfill {

namespace {

int64_t clamp_size(const PacerConfig& c, double size) noexcept {
    if (!(size >= 1.0))
        size = 1.0;  // also NaN
    double lo = static_cast<double>(std::max<int64_t>(1, c.min_batch));
    double hi = static_cast<double>(std::max(c.max_batch, c.min_batch));
    return static_cast<int64_t>(std::clamp(std::floor(size), lo, hi));
}

constexpr double smoothing = 0.5;  // weight of the newest batch in the rate
// Batches aim a little under the target: a batch's time varies with the
// pages it meets and the load of the machine, and the promise is about the
// longest batch, not the average one.
constexpr double aim = 0.9;

}  // namespace

Pacer make_pacer(const PacerConfig& config) noexcept {
    Pacer p;
    p.config = config;
    p.batch_size =
        clamp_size(config, config.fixed_batch > 0 ? config.fixed_batch : config.initial_batch);
    return p;
}

void after_batch(Pacer& p, int64_t keys, double elapsed_ms) noexcept {
    const PacerConfig& c = p.config;
    if (keys <= 0)
        return;
    if (elapsed_ms < 0.01)
        elapsed_ms = 0.01;
    double rate = static_cast<double>(keys) / elapsed_ms;
    p.keys_per_ms = p.keys_per_ms > 0 ? smoothing * rate + (1 - smoothing) * p.keys_per_ms : rate;
    if (c.fixed_batch > 0) {
        // A fixed size comes back after a conflict halved it, at the same
        // bounded pace as adaptive growth.
        double grown = static_cast<double>(p.batch_size) * c.max_growth;
        p.batch_size = clamp_size(c, std::min(grown, static_cast<double>(c.fixed_batch)));
        return;
    }
    double current = static_cast<double>(p.batch_size);
    double next;
    if (elapsed_ms > c.target_ms) {
        // Overrun: this batch's own rate says how big it should have been.
        // Aim a little under the target, as the next pages may be colder.
        next = std::min(current, rate * c.target_ms * aim * aim);
    } else {
        next = std::min(p.keys_per_ms * c.target_ms * aim, current * c.max_growth);
        // Below the target the smoothed rate may lag behind: shrink only to
        // what this batch's own rate asks for.
        next = std::max(next, std::min(current, rate * c.target_ms * aim));
    }
    p.batch_size = clamp_size(c, next);
}

void after_conflict(Pacer& p) noexcept {
    p.batch_size = clamp_size(p.config, static_cast<double>(p.batch_size) / 2.0);
}

double backoff_ms(int attempt, double base_ms, double cap_ms, double jitter01) noexcept {
    if (attempt < 1)
        attempt = 1;
    double d = base_ms * std::pow(2.0, std::min(attempt - 1, 30));
    d = std::min(d, cap_ms);
    jitter01 = std::clamp(jitter01, 0.0, 1.0);
    return d * (0.5 + 0.5 * jitter01);
}

double eta_seconds(const Progress& p) noexcept {
    if (p.keys_estimate < 0 || p.keys_done <= 0 || p.elapsed_s <= 0)
        return -1;
    double left = static_cast<double>(p.keys_estimate - p.keys_before - p.keys_done);
    if (left < 0)
        left = 0;
    return left / (static_cast<double>(p.keys_done) / p.elapsed_s);
}

std::string progress_detail(const Progress& p) {
    char buf[256];
    double rate = p.elapsed_s > 0 ? static_cast<double>(p.rows_done) / p.elapsed_s : 0;
    double eta = eta_seconds(p);
    char eta_text[64];
    if (eta < 0)
        snprintf(eta_text, sizeof eta_text, "unknown");
    else
        snprintf(eta_text, sizeof eta_text, "%.0f s", eta);
    snprintf(buf, sizeof buf,
             "%lld rows in %.1f s (%.0f rows/s), %lld batches, batch size %lld, ETA %s",
             static_cast<long long>(p.rows_done), p.elapsed_s, rate,
             static_cast<long long>(p.batches), static_cast<long long>(p.batch_size), eta_text);
    return buf;
}

}  // namespace schema_oracle::core::backfill
