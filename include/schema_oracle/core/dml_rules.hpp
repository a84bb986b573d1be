// dml_rules.hpp: large_dml_in_migration, a pure function of the planner's
// estimate for an UPDATE or DELETE that runs in a transaction that also ran
// DDL (a migration): it holds its row locks until the migration commits.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::core {

// The SET and WHERE clauses of an UPDATE (or the WHERE of a DELETE), cut
// out of the statement's own text at parenthesis depth 0, outside quotes,
// dollar quotes and comments. ok = false for forms a batched backfill
// cannot take as they are (WITH ..., UPDATE ... FROM, DELETE ... USING,
// WHERE CURRENT OF).
struct DmlClauses {
    bool ok = false;
    std::string set;    // "" for DELETE
    std::string where;  // "" when there is none
};
DmlClauses split_dml(std::string_view statement, bool update);

struct LargeDml {
    bool update;             // UPDATE (else DELETE)
    std::string table;       // qualified, quoted
    double rows;             // the planner's estimate
    std::int64_t bytes;      // estimated bytes of the rows touched
    std::int64_t threshold;  // schema_oracle.size_threshold in bytes
    std::string statement;   // its own text
    // The target is a partitioned table (ctid is unique only within one
    // partition, so the batched DELETE keys on the primary key instead).
    bool partitioned = false;
    std::vector<std::string> key_columns;  // the primary key's columns, quoted; empty = none
};

struct DmlFinding {
    bool fires = false;
    std::string message, detail, hint;
};

DmlFinding judge_large_dml(const LargeDml& facts);

}  // namespace schema_oracle::core
