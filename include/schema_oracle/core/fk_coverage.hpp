// fk_coverage.hpp: does an index cover a foreign key? One definition, shared
// by report() and (roadmap) the transaction-end check.
//
// Covered = a usable (indisvalid, indisready, indislive) index, not partial
// or partial with a predicate implied by the key columns being NOT NULL
// (Index::predicate_implied_by_not_null), on the referencing table whose first N key columns
// (indnkeyatts, never INCLUDE columns) equal the foreign key's N columns as a set. A btree covers
// any N; another access method covers only a single-column foreign key, with that column as its
// first key column (hash has one key column; for gist/gin/brin only the first column is a safe
// bet). Expression key columns (attnum 0) never cover. For a partitioned table, pass the parent's
// partitioned indexes: the FK is judged once at the parent.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string>
#include <vector>

#include "schema_oracle/core/catalog_model.hpp"

namespace schema_oracle::core {

struct FkCoverage {
    bool covered = false;
    Oid covering_index = 0;
    // Why near-miss indexes do not count, e.g. "index x is partial",
    // "index y has post_id second". Deterministic order (by index name).
    std::vector<std::string> near_misses;
};

// Whether `index` alone covers the key columns `fk_columns`.
bool index_covers(const Index& index, const AttrList& fk_columns) noexcept;

// Judges one foreign key against the indexes of its referencing table.
// `table` supplies column names for the near-miss explanations.
FkCoverage judge_fk_coverage(const AttrList& fk_columns, const std::vector<const Index*>& indexes,
                             const Relation& table);

}  // namespace schema_oracle::core
