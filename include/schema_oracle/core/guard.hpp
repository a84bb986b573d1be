// guard.hpp: the live DDL guard's rules, pure functions of facts.
//
// judge_statement() takes every action of one statement (core/facts.hpp)
// and returns the findings, with messages that name the table, its size,
// the lock and the exact safe statements. Policy (core/policy.hpp) decides
// afterwards what each finding does.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "schema_oracle/core/facts.hpp"
#include "schema_oracle/core/finding.hpp"

namespace schema_oracle::core {

// "8192 bytes", "12 MB": the rounding of pg_size_pretty (src/upstream/dbsize.cpp).
std::string format_size(std::int64_t bytes);

// A new identifier the guard suggests (orders_id_seq, price_new), quoted
// the way quote_ident would when it is not a plain lower-case name.
// Suggested names carry suffixes, so they are never reserved keywords.
std::string quote_derived(std::string_view name);

// The name an action's hint derives, as parts for makeObjectName
// (kind none: the hint derives no name). Views into the facts and literals:
// allocates nothing, so the PostgreSQL side may call it from C-style code.
DerivedNameSpec derived_name_spec(const ActionFacts& a) noexcept;

// "(12 MB, ~250000 rows)" for the table facts.
std::string describe_size(const TableFacts& table);

// "ACCESS EXCLUSIVE", and what that mode blocks for other sessions.
std::string_view lock_name(Lock lock) noexcept;
std::string_view lock_blocks(Lock lock) noexcept;

// Whether a lock/rewrite rule applies to this table: it existed before
// the transaction and is at least the size threshold.
bool big_existing_table(const TableFacts& table, const StatementContext& ctx) noexcept;

// Whether the user is shown a finding's hint (asked once per finding, in
// order): not for a rule turned off, a waived finding, or a second blocking
// finding (block mode raises the first only). The hints of one statement
// are written to be pasted in the order shown, so a drop or an added column
// counts as done only by a hint that is shown. nullptr: every one is.
struct HintShown {
    bool (*shown)(const Finding& finding, void* arg);
    void* arg;
};

// All findings for one statement, in the order of its actions, followed by
// at most one finding of each lock-discipline rule.
std::vector<Finding> judge_statement(const ActionFacts* actions, std::size_t count,
                                     const StatementContext& ctx, const HintShown* shown = nullptr);

}  // namespace schema_oracle::core
