// guard_dependents.cpp: rules on changes whose damage reaches past the
// object the statement names (sql/guard_forms.sql): drop_cascade (what a
// DROP ... CASCADE takes with it, from pg_depend), rename_enum_value and
// enum_value_in_transaction (ALTER TYPE on an enum that clients and this
// transaction's later statements use).
#include <algorithm>

#include "guard_rules.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core::judging {

namespace {

void judge_cascade(const ActionFacts& a, Builder& b) {
    const CascadeFacts& c = a.cascade;
    if (c.count == 0 || (a.table.found && a.table.created_in_xact))
        return;
    const std::string object = s(c.object);
    std::string list;  // "  - view public.v\n  - ..."
    std::size_t start = 0;
    const std::string deps = s(c.dependents);
    while (start <= deps.size()) {
        std::size_t end = deps.find('\n', start);
        if (end == std::string::npos)
            end = deps.size();
        if (end > start)
            list += "\n  " + deps.substr(start, end - start);
        start = end + 1;
    }
    b.add("drop_cascade", s(a.table.qname),
          "dropping " + object + " with CASCADE also drops " + std::to_string(c.count) +
              (c.count == 1 ? " other object that depends" : " other objects that depend") +
              " on it, and breaks every client that uses " + (c.count == 1 ? "it:" : "them:") +
              list,
          "Lock: ACCESS EXCLUSIVE on every table, view and materialized view dropped or "
          "changed, until the end of the transaction; it blocks all reads and writes of them.",
          "Drop (or change) the dependent objects explicitly first, each in the release "
          "that stops using it, then drop " +
              object +
              " without CASCADE (RESTRICT, the default, refuses while anything still "
              "depends on it).");
}

// RENAME VALUE's batched move of the rows: one backfill per column of the
// type (three NUL-terminated fields each: table, column, "+" when backfill()
// can move its rows, "-" when the table has no primary key or the column is
// in it).
std::string move_rows(const EnumFacts& e) {
    std::string out = "-- deploy code that accepts both values, then move the rows over in batches";
    const std::vector<std::string_view> f = nul_fields(e.columns);
    if (f.size() < 3)
        return out + " (no table column has the type yet)";
    out += ":";
    for (std::size_t i = 0; i + 2 < f.size(); i += 3) {
        const std::string table(f[i]), column(f[i + 1]);
        if (f[i + 2] == "+")
            out += "\nCALL schema_oracle.backfill(" + quote_literal(table) + ", " +
                   quote_literal(column + " = " + s(e.new_value)) + ", " +
                   quote_literal(column + " = " + s(e.old_value)) + ");";
        else
            out += "\n-- UPDATE " + table + " SET " + column + " = " + s(e.new_value) + " WHERE " +
                   column + " = " + s(e.old_value) +
                   ", in batches (schema_oracle.backfill() needs a primary key without this "
                   "column)";
    }
    return out;
}

void judge_enum(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    const TableFacts& t = a.table;
    if (!existing(t))
        return;
    const std::string type = s(t.qname);
    const EnumFacts& e = a.enum_value;
    if (e.rename) {
        b.add("rename_enum_value", type,
              "ALTER TYPE " + type + " RENAME VALUE " + s(e.old_value) + " TO " + s(e.new_value) +
                  " breaks every client that still sends or expects " + s(e.old_value),
              "The rename is instant (no table lock); queries of running clients that use the "
              "old label fail at once with \"invalid input value for enum\".",
              "Add the new value next to the old one (so it sorts where the old one does), move "
              "the rows over in batches, and stop using the old value (an enum value cannot be "
              "dropped; recreate the type later if it must go):\n" +
                  std::string("ALTER TYPE ") + type + " ADD VALUE IF NOT EXISTS " + s(e.new_value) +
                  " AFTER " + s(e.old_value) + ";\nCOMMIT;\n" + move_rows(e));
        return;
    }
    if (!ctx.in_transaction_block)
        return;
    b.add("enum_value_in_transaction", type,
          "ALTER TYPE " + type + " ADD VALUE " + s(e.new_value) +
              " inside a transaction block: the new value cannot be used until this "
              "transaction commits",
          "PostgreSQL refuses every use of the new value (a DEFAULT, a CHECK, an UPDATE, an "
          "index predicate) later in the same transaction: \"unsafe use of new value\", and "
          "the migration fails half way.",
          "Commit right after ADD VALUE and use the value in the next transaction (migration "
          "tools: put ADD VALUE in a migration of its own):\n" +
              std::string("ALTER TYPE ") + type + " ADD VALUE IF NOT EXISTS " + s(e.new_value) +
              s(e.placement) + ";\nCOMMIT;");
}

}  // namespace

void judge_dependents(const ActionFacts& a, const StatementContext& ctx, Builder& b) {
    if (a.action == Action::drop_cascade)
        judge_cascade(a, b);
    else if (a.action == Action::alter_enum)
        judge_enum(a, ctx, b);
}

}  // namespace schema_oracle::core::judging
