// guard.cpp: the guard's rules, dispatched. Each rule is a pure function of
// ActionFacts and the StatementContext; the rules live per statement family
// (guard_<family>.cpp, see guard_rules.hpp), this file holds what they share
// and judge_statement(), which sends each action to its family.
#include "schema_oracle/core/guard.hpp"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <iterator>

#include "guard_rules.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/core/sql_text.hpp"
#include "schema_oracle/upstream/naming.hpp"

namespace schema_oracle::core {

std::string quote_derived(std::string_view name) {
    return quote_name(name);
}

DerivedNameSpec derived_name_spec(const ActionFacts& a) noexcept {
    const TableFacts& t = a.table;
    const Text table = !t.raw_name.empty() ? t.raw_name : t.name;
    auto col = [](const ColumnName& c) { return !c.raw.empty() ? c.raw : c.quoted; };
    DerivedNameSpec d;
    auto spec = [&d](DerivedKind kind, Text name1, Text name2, Text label) {
        d.kind = kind;
        d.name1 = name1;
        d.name2 = name2;
        d.label = label;
    };
    switch (a.action) {
        case Action::add_column:
            if (a.add_column.serial || a.add_column.identity)
                spec(DerivedKind::relation, table, col(a.add_column.column), "seq");
            break;
        case Action::alter_column_type:
            spec(DerivedKind::column, col(a.alter_type.column), Text(), "new");
            break;
        case Action::set_not_null:
            spec(DerivedKind::constraint, table, col(a.set_not_null.column), "not_null");
            break;
        case Action::add_constraint:
            if (a.constraint.kind == ConstraintKind::exclusion)
                spec(DerivedKind::relation, table, Text(), "new");
            else if (!a.constraint.using_index.empty())
                spec(DerivedKind::constraint, table, Text(), "key_not_null");
            break;
        case Action::set_persistence:
        case Action::set_access_method:
            spec(DerivedKind::relation, table, Text(), "new");
            break;
        case Action::attach_partition:
            spec(DerivedKind::constraint, table, Text(), "bound");
            break;
        default:
            break;
    }
    return d;
}

std::string describe_size(const TableFacts& t) {
    std::string out = "(" + format_size(t.bytes);
    if (t.tuples >= 0) {
        char buf[64];
        const double rows = std::floor(t.tuples + 0.5);
        std::snprintf(buf, sizeof buf, ", ~%.0f %s", rows, rows == 1 ? "row" : "rows");
        out += buf;
    } else {
        out += ", row count unknown";
    }
    out += ")";
    return out;
}

std::string_view lock_name(Lock lock) noexcept {
    // In the order of the Lock enumeration (weakest first).
    static constexpr std::string_view names[] = {
        "no",    "ACCESS SHARE",        "ROW SHARE", "ROW EXCLUSIVE",   "SHARE UPDATE EXCLUSIVE",
        "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"};
    const auto i = static_cast<std::size_t>(lock);
    return i < std::size(names) ? names[i] : "unknown";
}

std::string_view lock_blocks(Lock lock) noexcept {
    switch (lock) {
        case Lock::share:
        case Lock::share_row_exclusive:
            return "it blocks writes (INSERT, UPDATE, DELETE); reads continue";
        case Lock::exclusive:
            return "it blocks writes and SELECT ... FOR UPDATE/SHARE; plain reads continue";
        case Lock::access_exclusive:
            return "it blocks all reads and writes";
        case Lock::share_update_exclusive:
            return "it blocks other schema changes and VACUUM; reads and writes continue";
        default:
            return "it blocks only statements that take an ACCESS EXCLUSIVE lock";
    }
}

bool big_existing_table(const TableFacts& t, const StatementContext& ctx) noexcept {
    if (!t.found || t.created_in_xact)
        return false;
    if (t.bytes < 0)
        return true;  // unknown size: judge it
    return t.bytes >= ctx.size_threshold_bytes;
}

namespace judging {

bool existing(const TableFacts& t) noexcept {
    return t.found && !t.created_in_xact;
}

std::string s(Text text) {
    return std::string(text);
}

std::string raw_table(const TableFacts& t) {
    return s(!t.raw_name.empty() ? t.raw_name : t.name);
}
std::string raw_col(const ColumnName& c) {
    return s(!c.raw.empty() ? c.raw : c.quoted);
}

std::string derived_name(const ActionFacts& a) {
    if (!a.derived_name.empty())
        return quote_derived(a.derived_name);
    const DerivedNameSpec d = derived_name_spec(a);
    return quote_derived(upstream::make_object_name(d.name1, d.name2, d.label));
}

std::string derived_rel(const ActionFacts& a) {
    std::string out;
    if (!a.table.schema.empty()) {
        out = s(a.table.schema);
        out += ".";
    }
    return out + derived_name(a);
}

std::string lock_detail(Lock lock, std::string_view table, std::string_view duration) {
    std::string d = "Lock: ";
    d += lock_name(lock);
    d += " on ";
    d += table;
    d += " ";
    d += duration;
    d += "; ";
    d += lock_blocks(lock);
    d += ".";
    return d;
}

std::string first_alter_table(const ActionFacts& a, std::string_view table) {
    std::string out = "ALTER TABLE " + s(table) + " ";
    // The drops, NUL-separated (facts.hpp), as sub-commands before the rest.
    std::string_view drops = a.same_statement_drops;
    while (!drops.empty()) {
        const std::size_t end = drops.find('\0');
        out += s(drops.substr(0, end)) + ", ";
        drops = end == std::string_view::npos ? std::string_view() : drops.substr(end + 1);
    }
    return out;
}

std::string not_valid_then_validate(std::string_view alter, std::string_view table,
                                    std::string_view name, std::string_view def) {
    return "Add it NOT VALID (instant), then validate in a separate transaction, which "
           "takes only SHARE UPDATE EXCLUSIVE:\n" +
           s(lock_timeout_line) + s(alter) + "ADD CONSTRAINT " + s(name) + " " + s(def) +
           " NOT VALID;\nCOMMIT;\nALTER TABLE " + s(table) + " VALIDATE CONSTRAINT " + s(name) +
           ";";
}

std::string add_column_then_validate(std::string_view alter, std::string_view table,
                                     std::string_view column_sql, std::string_view name,
                                     std::string_view def) {
    return "Add the column without the constraint, then the constraint NOT VALID (both "
           "instant), and validate it in a separate transaction, which takes only SHARE UPDATE "
           "EXCLUSIVE:\n" +
           s(lock_timeout_line) + s(alter) + "ADD COLUMN " + s(column_sql) + ";\nALTER TABLE " +
           s(table) + " ADD CONSTRAINT " + s(name) + " " + s(def) +
           " NOT VALID;\nCOMMIT;\nALTER TABLE " + s(table) + " VALIDATE CONSTRAINT " + s(name) +
           ";";
}

Finding& Builder::add(std::string_view rule_id, std::string_view table, std::string what,
                      std::string detail, std::string hint) {
    // A rule id not in the catalog is a bug: refuse it (42704) rather than
    // report a finding nobody can look up, waive or configure.
    const RuleInfo& rule = require_rule(rule_id, Scope::guard);
    Finding f;
    f.rule = rule.id;
    f.severity = rule.severity;
    f.table = std::string(table);
    f.message = "schema_oracle: " + std::move(what) + " [" + std::string(rule_id) + "]";
    f.detail = std::move(detail);
    f.hint = std::move(hint);
    f.action = action;
    f.oid = oid;
    out.push_back(std::move(f));
    return out.back();
}

namespace {

// Which family judges each action: the one table of the core side (the
// PostgreSQL side has its own, of statement kinds: src/pg/statement_kinds.cpp).
// Indexed by Action and made of the same rows of actions.def as the enum, so
// every Action has an entry and a new Action cannot be left without a family
// (no_family: only lock discipline applies).
constexpr Judge no_family = nullptr;
constexpr Judge judge_of_action[] = {
#define SO_ACTION(name, judge) judge,
#include "schema_oracle/core/actions.def"
#undef SO_ACTION
};

Judge judge_for(Action action) noexcept {
    return judge_of_action[static_cast<std::size_t>(action)];
}

}  // namespace
}  // namespace judging

namespace judging {
namespace {

// The drop sub-commands of a NUL-separated list (facts.hpp same_statement_drops).
std::vector<std::string_view> drop_list(std::string_view drops) {
    std::vector<std::string_view> out;
    while (!drops.empty()) {
        const std::size_t end = drops.find('\0');
        out.push_back(drops.substr(0, end));
        drops = end == std::string_view::npos ? std::string_view() : drops.substr(end + 1);
    }
    return out;
}

// The column the action's hint adds first, quoted ("" none).
std::string_view column_the_hint_adds(const ActionFacts& a) {
    switch (a.action) {
        case Action::add_column:
            return a.add_column.column.quoted;
        case Action::add_constraint:
            return a.constraint.new_column;
        case Action::set_not_null:
            return a.set_not_null.added_column_sql.empty() ? std::string_view()
                                                           : a.set_not_null.column.quoted;
        default:
            return {};
    }
}

// What the hints printed so far for one statement leave behind, for the
// hints after them: each is pasted after the ones before it, so a drop
// sub-command (DROP COLUMN c, ADD COLUMN c ... UNIQUE) runs in the first
// hint that needs it only, and a column an earlier hint adds is not added
// again (a second DROP COLUMN would drop the column the first recipe just
// backfilled). A column whose own DROP COLUMN hint (drop_column: "drop it
// in a later migration") came first is dropped by the first hint that needs
// the drop as DROP COLUMN IF EXISTS, so that hint runs both after the
// drop_column one and on its own (block mode's error shows it alone).
struct PastedState {
    using Marks = std::vector<std::pair<std::uint32_t, std::string>>;
    Marks drops;                           // drop sub-commands a printed hint carries, per table
    Marks columns;                         // columns a printed hint adds, per table
    Marks dropped;                         // columns a printed drop_column hint drops, per table
    std::deque<std::string> texts;         // what the copies point into
    std::vector<std::string_view> pieces;  // the current action's drops left in, as written

    static bool has(const Marks& v, std::uint32_t oid, std::string_view what) {
        for (const auto& e : v)
            if (e.first == oid && e.second == what)
                return true;
        return false;
    }

    // The drop sub-command (as pass_order.cpp writes it: "DROP COLUMN [IF
    // EXISTS ]<column>[ CASCADE]") with IF EXISTS when a drop_column hint
    // printed before drops that column already; else as it is.
    std::string idempotent(std::uint32_t oid, std::string_view d) const {
        const std::string plain = "DROP COLUMN ";
        const std::string if_exists = "DROP COLUMN IF EXISTS ";
        for (const auto& e : dropped) {
            if (e.first != oid)
                continue;
            if (d == plain + e.second || d == plain + e.second + " CASCADE")
                return if_exists + std::string(d.substr(plain.size()));
        }
        return std::string(d);
    }

    // The action as its hint is written after the hints before it.
    ActionFacts after_earlier_hints(const ActionFacts& a) {
        ActionFacts copy = a;
        pieces.clear();
        if (!a.same_statement_drops.empty()) {
            std::string left;
            for (std::string_view d : drop_list(a.same_statement_drops)) {
                if (has(drops, a.table.oid, d))
                    continue;
                pieces.push_back(d);
                if (!left.empty())
                    left += '\0';
                left += idempotent(a.table.oid, d);
            }
            texts.push_back(std::move(left));
            copy.same_statement_drops = texts.back();
        }
        const std::string_view column = column_the_hint_adds(a);
        copy.column_added_by_earlier_hint = !column.empty() && has(columns, a.table.oid, column);
        if (a.action == Action::drop_column) {
            const std::string col(a.rename_drop.column.quoted);
            for (const auto& e : drops)
                for (const std::string& form :
                     {"DROP COLUMN " + col, "DROP COLUMN IF EXISTS " + col})
                    if (e.first == a.table.oid &&
                        (e.second == form || e.second == form + " CASCADE"))
                        copy.column_dropped_by_earlier_hint = true;
        }
        return copy;
    }

    // Notes what the action's new findings' hints do: the drops its first
    // ALTER TABLE carries, the column it adds; DROP COLUMN's own hint.
    void note(const ActionFacts& a, const std::vector<Finding>& out, std::size_t from,
              const HintShown* shown) {
        const std::string table(a.table.qname);
        const std::string alter = first_alter_table(a, table);
        const std::string_view column = column_the_hint_adds(a);
        for (std::size_t i = from; i < out.size(); ++i) {
            if (shown != nullptr && !shown->shown(out[i], shown->arg))
                continue;  // never pasted: it changes nothing
            const std::string& hint = out[i].hint;
            if (a.action == Action::drop_column && !a.column_dropped_by_earlier_hint &&
                hint.find(" DROP COLUMN IF EXISTS " + std::string(a.rename_drop.column.quoted) +
                          ";") != std::string::npos)
                dropped.emplace_back(a.table.oid, std::string(a.rename_drop.column.quoted));
            if (!pieces.empty() && hint.find(alter) != std::string::npos)
                for (std::string_view d : pieces) drops.emplace_back(a.table.oid, std::string(d));
            if (!column.empty() && !a.column_added_by_earlier_hint &&
                hint.find(alter + "ADD COLUMN " + std::string(column) + " ") != std::string::npos)
                columns.emplace_back(a.table.oid, std::string(column));
        }
    }
};

}  // namespace
}  // namespace judging

std::vector<Finding> judge_statement(const ActionFacts* actions, std::size_t count,
                                     const StatementContext& ctx, const HintShown* shown) {
    using namespace judging;
    std::vector<Finding> out;
    Builder b{out};
    PastedState pasted;
    for (std::size_t i = 0; i < count; ++i) {
        const ActionFacts a = pasted.after_earlier_hints(actions[i]);
        const std::size_t before = out.size();
        b.action = static_cast<int>(i);
        b.oid = a.table.oid;
        if (fails_in_transaction_block(a, ctx)) {
            judge_concurrently_in_transaction(a, ctx, b);
            continue;
        }
        if (refused_in_transaction_block(a, ctx))
            continue;  // PostgreSQL's error is the answer
        if (Judge judge = judge_for(a.action))
            judge(a, ctx, b);
        pasted.note(a, out, before, shown);
    }
    judge_lock_discipline(actions, count, ctx, b);
    return out;
}

}  // namespace schema_oracle::core
