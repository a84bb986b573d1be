// guard_rules.hpp: what the guard's rule files share (private to src/core).
//
// The rules are split per statement family, mirroring the regression suites
// (sql/guard_<family>.sql): guard_index.cpp, guard_columns.cpp,
// guard_constraints.cpp, guard_breaking.cpp, guard_maintenance.cpp,
// guard_hygiene.cpp, guard_lock.cpp. guard.cpp dispatches each action to its
// family's judge through one table (judge_for). Every finding's text follows
// one layout:
//   message  what the statement does, to which table (size), why it hurts [rule]
//   detail   the lock it takes and what that blocks
//   hint     the exact statements to run instead, with the user's names
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <string>
#include <string_view>
#include <vector>

#include "schema_oracle/core/facts.hpp"
#include "schema_oracle/core/finding.hpp"
#include "schema_oracle/core/guard.hpp"

namespace schema_oracle::core::judging {

inline constexpr std::string_view lock_timeout_line = "SET lock_timeout = '5s';\n";

// Collects findings; each carries the identity of the action being judged.
struct Builder {
    std::vector<Finding>& out;
    int action = -1;        // index of the action being judged
    std::uint32_t oid = 0;  // its relation

    Finding& add(std::string_view rule_id, std::string_view table, std::string what,
                 std::string detail, std::string hint);
};

// A family's judge: one action, its findings into `b`.
using Judge = void (*)(const ActionFacts& a, const StatementContext& ctx, Builder& b);

bool existing(const TableFacts& t) noexcept;
std::string s(Text text);  // a Text as a std::string
// The NUL-terminated fields of a list the adapter wrote (partition steps,
// an enum's columns): NUL because no identifier contains it, while any other
// byte may be in a quoted one.
inline std::vector<std::string_view> nul_fields(std::string_view list) {
    std::vector<std::string_view> out;
    while (!list.empty()) {
        const std::size_t end = list.find('\0');
        out.push_back(list.substr(0, end));
        if (end == std::string_view::npos)
            break;
        list.remove_prefix(end + 1);
    }
    return out;
}
std::string raw_table(const TableFacts& t);
std::string raw_col(const ColumnName& c);
// The name the action's hint creates (derived_name_spec), quoted: the one
// the adapter chose free in the namespace, else makeObjectName's.
std::string derived_name(const ActionFacts& a);
// The same as a relation next to the table: schema.orders_new.
std::string derived_rel(const ActionFacts& a);
// "Lock: ACCESS EXCLUSIVE on t <duration>; it blocks ...".
std::string lock_detail(Lock lock, std::string_view table, std::string_view duration);
// "ALTER TABLE <table> " for a hint's first ALTER TABLE on the action's
// table, carrying the statement's drops that PostgreSQL runs first and the
// hint depends on (ActionFacts::same_statement_drops): "ALTER TABLE t DROP
// CONSTRAINT t_pkey, ".
std::string first_alter_table(const ActionFacts& a, std::string_view table);
// The recipe for a constraint validated under a strong lock: NOT VALID, then
// VALIDATE. `alter` opens the first statement (first_alter_table).
std::string not_valid_then_validate(std::string_view alter, std::string_view table,
                                    std::string_view name, std::string_view def);

// The same for a constraint given inline in ADD COLUMN: the column first.
std::string add_column_then_validate(std::string_view alter, std::string_view table,
                                     std::string_view column_sql, std::string_view name,
                                     std::string_view def);

// CREATE INDEX / DROP INDEX / REINDEX / DETACH PARTITION CONCURRENTLY inside
// a transaction block: the statement fails (concurrently_in_transaction),
// and no other rule judges it.
inline bool fails_in_transaction_block(const ActionFacts& a, const StatementContext& ctx) {
    return a.concurrent && ctx.in_transaction_block &&
           (a.action == Action::create_index || a.action == Action::drop_index ||
            a.action == Action::reindex || a.action == Action::detach_partition);
}

// PreventInTransactionBlock (PostgreSQL 15): VACUUM, and CLUSTER or REINDEX
// of a partitioned table, refuse to run inside a transaction block. Left to
// PostgreSQL: not judged, not even for lock discipline.
inline bool refused_in_transaction_block(const ActionFacts& a, const StatementContext& ctx) {
    return ctx.in_transaction_block &&
           (a.action == Action::vacuum_full ||
            ((a.action == Action::cluster || a.action == Action::reindex) && a.table.partitioned));
}

// The families (one file each).
void judge_index(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_concurrently_in_transaction(const ActionFacts& a, const StatementContext& ctx,
                                       Builder& b);
void judge_add_column(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_alter_type(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_set_not_null(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_add_constraint(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_validate(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_breaking(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_maintenance(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_rebuilds(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_revalidation(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_table_rewrite(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_column_type(const ActionFacts& a, const StatementContext& ctx, Builder& b);
void judge_dependents(const ActionFacts& a, const StatementContext& ctx, Builder& b);
// Lock discipline over the whole statement (missing_lock_timeout,
// statement_after_access_exclusive), after every action was judged.
void judge_lock_discipline(const ActionFacts* actions, std::size_t count,
                           const StatementContext& ctx, Builder& b);

}  // namespace schema_oracle::core::judging
