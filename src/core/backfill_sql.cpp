// backfill_sql.cpp: the text of the statements a backfill batch runs.
//
// Keyset pagination over the primary key, never OFFSET: a batch is the key
// range (last key done, last key of the next N keys], found by walking N
// entries of the primary key index from the last key. Composite keys use a
// row comparison, which btree uses as one index condition. The operators are
// schema-qualified (OPERATOR(ns.>)) so the caller's search_path cannot
// change what "greater" means. The user's clauses are put on lines of their
// own so that a trailing "--" comment cannot swallow what follows; the
// adapter has already checked that each one parses on its own.
#include "schema_oracle/core/backfill.hpp"

#include <string>

namespace schema_oracle::core::backfill {

namespace {

std::string join_names(const std::vector<KeyColumn>& key, const char* suffix) {
    std::string out;
    for (size_t i = 0; i < key.size(); ++i) {
        if (i)
            out += ", ";
        out += key[i].name;
        out += suffix;
    }
    return out;
}

// The key as one comparable value: `k` or `ROW(k1, k2)`.
std::string key_row(const std::vector<KeyColumn>& key) {
    if (key.size() == 1)
        return key[0].name;
    return "ROW(" + join_names(key, "") + ")";
}

// Parameters $first .. $first+n-1 as one comparable value.
std::string param_row(size_t n, size_t first) {
    std::string out = n == 1 ? "" : "ROW(";
    for (size_t i = 0; i < n; ++i) {
        if (i)
            out += ", ";
        out += "$" + std::to_string(first + i);
    }
    if (n != 1)
        out += ")";
    return out;
}

}  // namespace

std::string key_list(const std::vector<KeyColumn>& key) {
    if (key.size() == 1)
        return key[0].name;
    return "(" + join_names(key, "") + ")";
}

BatchSql build_batch_sql(const BatchSqlInput& in) {
    const size_t n = in.key.size();
    const std::string cols = join_names(in.key, "");
    const std::string desc = join_names(in.key, " DESC");
    const std::string row = key_row(in.key);
    const std::string lower = row + " " + in.gt_operator + " " + param_row(n, 1);
    auto upper = [&](size_t first) {
        return row + " " + in.le_operator + " " + param_row(n, first);
    };
    const std::string user_where =
        in.where_clause.empty() ? "" : " AND (\n" + in.where_clause + "\n)";

    auto fetch = [&](const std::string& cond, size_t limit_param) {
        return "SELECT " + cols + " FROM (SELECT " + cols + " FROM " + in.relation + " WHERE " +
               cond + " ORDER BY " + cols + " LIMIT $" + std::to_string(limit_param) +
               ") AS batch ORDER BY " + desc + " LIMIT 1";
    };
    auto update = [&](const std::string& cond) {
        return "UPDATE " + in.relation + " SET\n" + in.set_clause + "\nWHERE " + cond + user_where;
    };

    BatchSql out;
    out.fetch_first = fetch(upper(1), n + 1);
    out.fetch_next = fetch(lower + " AND " + upper(n + 1), 2 * n + 1);
    out.update_first = update(upper(1));
    out.update_next = update(lower + " AND " + upper(n + 1));
    out.max_key = "SELECT " + cols + " FROM " + in.relation + " ORDER BY " + desc + " LIMIT 1";
    out.count_keys = "SELECT pg_catalog.count(*) FROM " + in.relation + " WHERE " + upper(1);
    return out;
}

}  // namespace schema_oracle::core::backfill
