// check.cpp: schema_oracle.check()'s judging flow (docs/check.md).
//
//   1. parse the whole text with PostgreSQL's raw parser; on a syntax error,
//      keep the statements before it (re-parsing the prefix up to the last
//      ';' before the error), report the error at its position, and go on
//      after the next ';';
//   2. for each statement, in order: the transaction it runs in (mode,
//      BEGIN/COMMIT/ROLLBACK in the file), SET lock_timeout, objects it
//      names that would not exist, then the live guard's extractor over the
//      catalog seen through the overlay, plus facts of relations the file
//      created; the live guard's rules and policy decide, and the ignore
//      comments before the statement waive;
//   3. the statement's effects go into the overlay for the next ones.
// Nothing is executed, created or locked beyond the brief ACCESS SHARE
// locks the extractor takes without waiting and releases at once.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "schema_oracle/core/commit_rules.hpp"
#include "schema_oracle/core/dml_rules.hpp"
#include "schema_oracle/core/guard.hpp"
#include "schema_oracle/core/overlay.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/check.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/text.hpp"
#include "schema_oracle/upstream/refusals.hpp"

extern "C" {
#include "commands/event_trigger.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parse_type.h"
#include "parser/parser.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/cmdtag.h"
#include "tcop/utility.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
}

namespace schema_oracle::pg {

namespace {

// One statement of the file, or a syntax error.
struct Item {
    RawStmt* stmt;      // nullptr for a syntax error
    std::size_t base;   // byte offset of the string the parser saw
    std::size_t start;  // byte offset of the statement's slice (incl. leading comments)
    std::size_t end;
    std::size_t error_pos;
    std::string error;
};

// Byte offset of 1-based character position `cursor` in `s` (ErrorData's
// cursorpos counts characters of the string the parser was given).
std::size_t cursor_to_byte(const char* s, std::size_t len, int cursor) {
    if (cursor <= 1)
        return 0;
    int bytes =
        pg_call([&]() noexcept { return pg_mbcharcliplen(s, static_cast<int>(len), cursor - 1); });
    return static_cast<std::size_t>(bytes);
}

List* parse(const char* s) {
    return pg_call_recoverable([&]() noexcept { return raw_parser(s, RAW_PARSE_DEFAULT); });
}

void add_parsed(std::vector<Item>& items, List* stmts, std::size_t base, std::size_t limit) {
    ListCell* lc;
    foreach (lc, stmts) {
        RawStmt* rs = lfirst_node(RawStmt, lc);
        Item it{rs, base, base + rs->stmt_location, 0, 0, {}};
        it.end = rs->stmt_len > 0 ? it.start + rs->stmt_len : limit;
        items.push_back(std::move(it));
    }
}

std::vector<Item> parse_file(const char* text, std::size_t len) {
    std::vector<Item> items;
    std::string_view all(text, len);
    std::size_t off = 0;
    while (off < len && core::skip_trivia(all, off) < len) {
        try {
            add_parsed(items, parse(text + off), off, len);
            break;
        } catch (const PgError& e) {
            const ErrorData* ed = e.data();
            const std::size_t pos = off + cursor_to_byte(text + off, len - off, ed->cursorpos);
            std::string message = ed->message ? ed->message : "syntax error";
            // The statements before the error: the longest prefix ending
            // in a ';' that parses (a ';' inside a literal or comment fails
            // with an earlier error position, which narrows the search).
            std::size_t error_start = off;
            std::size_t limit = pos;
            for (int tries = 0; tries < 64 && limit > off; ++tries) {
                std::size_t q = all.rfind(';', limit - 1);
                if (q == std::string_view::npos || q < off)
                    break;
                char* prefix =
                    pg_call([&]() noexcept { return pnstrdup(text + off, q + 1 - off); });
                try {
                    add_parsed(items, parse(prefix), off, q + 1);
                    error_start = q + 1;
                    break;
                } catch (const PgError& e2) {
                    std::size_t p2 =
                        off + cursor_to_byte(prefix, q + 1 - off, e2.data()->cursorpos);
                    limit = p2 < q ? p2 : q;
                }
            }
            Item err{nullptr, off, error_start, pos, pos, message};
            std::size_t next = all.find(';', pos);
            err.end = next == std::string_view::npos ? len : next + 1;
            items.push_back(std::move(err));
            off = err.end;
        }
    }
    return items;
}

core::TransactionControl control_of(Node* n) {
    if (!IsA(n, TransactionStmt))
        return core::TransactionControl::none;
    switch (((TransactionStmt*)n)->kind) {
        case TRANS_STMT_BEGIN:
        case TRANS_STMT_START:
            return core::TransactionControl::begin;
        case TRANS_STMT_COMMIT:
            return core::TransactionControl::commit;
        case TRANS_STMT_ROLLBACK:
            return core::TransactionControl::rollback;
        default:
            return core::TransactionControl::none;  // savepoints, PREPARE
    }
}

// SET / RESET lock_timeout: whether it sets a non-zero value.
bool lock_timeout_value(VariableSetStmt* s) {
    if (s->args == NIL)
        return false;
    Node* arg = (Node*)linitial(s->args);
    if (!IsA(arg, A_Const))
        return true;
    A_Const* c = (A_Const*)arg;
    if (c->isnull)
        return false;
    if (IsA(&c->val, Integer))
        return intVal(&c->val) != 0;
    if (IsA(&c->val, String))
        return strtod(strVal(&c->val), nullptr) != 0;  // '0', '0ms', '5s'
    return true;
}

void handle_set(VariableSetStmt* s, core::Overlay& ov) {
    if (s->name == nullptr) {
        if (s->kind == VAR_RESET_ALL)
            ov.reset_lock_timeout();
        return;
    }
    if (strcmp(s->name, "lock_timeout") != 0)
        return;
    switch (s->kind) {
        case VAR_SET_VALUE:
            ov.set_lock_timeout(lock_timeout_value(s), s->is_local);
            break;
        case VAR_SET_DEFAULT:
        case VAR_RESET:
            ov.reset_lock_timeout();
            break;
        default:
            break;
    }
}

// Whether PostgreSQL would fire ddl_command_start for the statement (or the
// guard's utility hook would see it): only then does the live guard judge.
bool judged_live(Node* n) {
    if (guard_tag_is_judged(nodeTag(n)))
        return true;
    if (IsA(n, TransactionStmt) || IsA(n, VariableSetStmt))
        return false;
    CommandTag tag = pg_call([&]() noexcept { return CreateCommandTag(n); });
    return command_tag_event_trigger_ok(tag);
}

struct ExtractArgs {
    Node* stmt;
    ActionList* list;
};

// The guard's extractor over the catalog seen through the overlay, plus the
// facts of relations the file created. C-style; run inside a subtransaction.
void extract(Node* stmt, ActionList* list) {
    guard_extract(stmt, list);
    check_file_actions(stmt, list);
}

std::string level_text(core::Level l) {
    switch (l) {
        case core::Level::off:
            return "off";
        case core::Level::notice:
            return "notice";
        case core::Level::warn:
            return "warning";
        case core::Level::block:
            return "block";
    }
    return "warning";
}

// Hooks installed only around the extractor's own calls.
struct HooksInstalled {
    HooksInstalled() { check_hooks_install(); }
    ~HooksInstalled() { check_hooks_remove(); }
};

bool statement_error_class(int sqlerrcode) {
    const char* state = unpack_sql_state(sqlerrcode);
    return (state[0] == '4' && state[1] == '2') || (state[0] == '2' && state[1] == '2') ||
           (state[0] == '0' && state[1] == 'A') || (state[0] == '3' && state[1] == 'F');
}

bool undefined_object(int sqlerrcode) {
    return sqlerrcode == ERRCODE_UNDEFINED_TABLE || sqlerrcode == ERRCODE_UNDEFINED_COLUMN ||
           sqlerrcode == ERRCODE_UNDEFINED_OBJECT || sqlerrcode == ERRCODE_UNDEFINED_FUNCTION ||
           sqlerrcode == ERRCODE_UNDEFINED_SCHEMA;
}

// The lock a finding is about, and on which table.
struct LockOn {
    core::Lock mode = core::Lock::none;
    std::string table;
};

core::Text extract_copy(const char* s) {
    const size_t n = strlen(s);
    return core::Text(pnstrdup(s, n), n);
}

class Checker {
public:
    // The shadow of the live guard starts from the live transaction's state.
    void seed(bool in_block, bool lock_timeout_reported, std::string_view ae_table,
              std::uint32_t ae_oid) {
        overlay_.seed(in_block, lock_timeout_reported, ae_table, ae_oid);
    }

    explicit Checker(core::TransactionMode mode) : overlay_(mode, LockTimeout > 0) {
        overrides_ = settings::rule_levels();  // parsed at SET
        mode_ = settings::guard_mode();
    }

    std::vector<CheckRow> run(const std::vector<std::string_view>& files) {
        check_overlay = &overlay_;
        check_out_of_memory = false;
        struct Reset {
            ~Reset() { check_overlay = nullptr; }
        } reset;
        for (std::size_t f = 0; f < files.size(); ++f) {
            if (f > 0) {
                overlay_.next_file();
                drain_foreign_keys();  // still with the previous file's text
            }
            file_ = static_cast<int>(f) + 1;
            const std::string_view text = files[f];
            char* copy = pg_call([&]() noexcept { return pnstrdup(text.data(), text.size()); });
            text_ = std::string_view(copy, text.size());
            std::vector<Item> items = parse_file(copy, text_.size());
            int number = 0;
            for (const Item& it : items) {
                ++number;
                if (it.stmt == nullptr)
                    add_row(number, it.error_pos, it.start, it.end, "syntax_error", nullptr,
                            it.error,
                            "PostgreSQL cannot parse this statement, so the migration stops here.",
                            "Correct the syntax at this position (a missing ';' before it is a "
                            "common cause).",
                            {});
                else
                    judge(number, it);
                drain_foreign_keys();
                if (check_out_of_memory)
                    throw std::bad_alloc();
                pg_call([]() noexcept { CHECK_FOR_INTERRUPTS(); });
            }
        }
        overlay_.finish();
        drain_foreign_keys();
        // Foreign keys are judged when their transaction commits: back in file order.
        std::stable_sort(rows_.begin(), rows_.end(), [](const CheckRow& a, const CheckRow& b) {
            return a.file != b.file ? a.file < b.file : a.statement < b.statement;
        });
        return std::move(rows_);
    }

private:
    // Foreign keys whose transaction committed without an index covering
    // them (in the database, or created by the file before or after them in
    // that transaction): fk_missing_index at the statement that added them,
    // as a check at commit judges them. An index built only in a later
    // transaction (autocommit, non-atomic migrations) leaves the foreign key
    // uncovered in between, so it does not count.
    bool catalog_covers(const core::PendingForeignKey& fk) {
        if (fk.table_oid == 0)
            return false;
        CheckIndexKeys* keys = nullptr;
        const int n = pg_call([&]() noexcept {
            return check_catalog_indexes(static_cast<Oid>(fk.table_oid), &keys);
        });
        for (int i = 0; i < n; ++i) {
            std::vector<std::string> k;
            for (int j = 0; j < keys[i].nkeys; ++j) k.emplace_back(keys[i].keys[j]);
            if (core::index_covers_columns(k, keys[i].btree, keys[i].partial, fk.columns))
                return true;
        }
        return false;
    }

    void drain_foreign_keys() {
        for (core::PendingForeignKey& fk : overlay_.take_committed_foreign_keys())
            if (!fk.covered && !catalog_covers(fk))
                uncovered_fks_.push_back(std::move(fk));
        for (const core::PendingForeignKey& fk : uncovered_fks_) {
            std::string cols;
            for (const std::string& c : fk.quoted_columns) cols += (cols.empty() ? "" : ", ") + c;
            const std::string create =
                fk.new_table
                    ? "CREATE INDEX " + fk.index_name + " ON " + fk.table_qname + " (" + cols + ");"
                    : "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY IF NOT EXISTS " +
                          fk.index_name + " ON " + fk.table_qname + " (" + cols + ");";
            add_row(
                fk.statement, fk.at, fk.start, fk.end, "fk_missing_index", nullptr,
                "foreign key on " + fk.table_qname + " (" + cols + ") has no index covering it " +
                    "when its transaction commits: every DELETE or key UPDATE on " + fk.referenced +
                    " scans " + fk.table_qname,
                "No valid, non-partial index of " + fk.table_qname + " has (" + cols +
                    ") as its leading key columns, in the database or created by the migration "
                    "before its transaction ends.",
                fk.new_table ? "Create the index in the same migration:\n" + create
                             : "Create it concurrently, outside a transaction block:\n" + create,
                {});
        }
        uncovered_fks_.clear();
    }

    void judge(int number, const Item& it) {
        Node* n = it.stmt->stmt;
        const std::size_t first = core::skip_trivia(text_, it.start);
        std::vector<core::IgnoreComment> waivers =
            core::ignore_comments(text_.substr(it.start, first - it.start), it.start);
        const bool in_block = overlay_.statement_begins(control_of(n));
        struct End {
            core::Overlay& ov;
            ~End() { ov.statement_ends(); }
        } end{overlay_};
        if (IsA(n, VariableSetStmt)) {
            handle_set((VariableSetStmt*)n, overlay_);
            return;
        }
        if (IsA(n, TransactionStmt))
            return;
        if (IsA(n, AlterEnumStmt))
            note_enum_value((AlterEnumStmt*)n);
        for (const core::IgnoreComment& w : waivers) {
            const core::RuleInfo* r = core::find_rule(w.rule);
            if (r == nullptr || r->scope == core::Scope::report || w.reason.empty())
                add_row(number, w.offset, it.start, it.end, "invalid_ignore_comment", nullptr,
                        r == nullptr
                            ? "the ignore comment names no rule schema_oracle judges: " + w.rule
                        : w.reason.empty() ? "the ignore comment for " + w.rule + " gives no reason"
                                           : "rule " + w.rule + " is judged by report(), not here",
                        "Ignore comments waive one statement's findings and must say why.",
                        "-- schema_oracle: allow " + w.rule + " -- <why this is safe here>", {});
        }
        // What the overlay does not follow: known no longer for the statements after it.
        if (pg_call([n]() noexcept { return check_changes_outside_relations(n); }))
            overlay_.note_outside_relations_changed();
        if (judge_dml(number, it, n, first, waivers))
            return;
        if (!judged_live(n))
            return;
        // The live guard's "the transaction ran DDL" comes from
        // ddl_command_start: not from the statements its utility hook
        // judges (TRUNCATE, LOCK, VACUUM, CLUSTER, REINDEX).
        if (!pg_call([n]() noexcept { return guard_judged_by_utility_hook(n); }))
            ddl_xact_ = overlay_.xact();

        // Objects the statement names that would not exist.
        CheckUnknownList unknown;
        unknown.count = 0;
        try {
            HooksInstalled hooks;
            pg_call_recoverable([&]() noexcept { check_unknown_objects(n, &unknown); });
        } catch (const PgError&) {
            unknown.count = 0;
        }
        if (unknown.count > 0) {
            for (int i = 0; i < unknown.count; ++i) {
                const CheckUnknown& u = unknown.items[i];
                std::size_t at = u.location >= 0 ? it.base + u.location : first;
                add_row(
                    number, at, it.start, it.end, "unknown_object", nullptr, u.message,
                    "Neither the database nor an earlier statement of the migration creates it, "
                    "so this statement fails when the migration runs.",
                    "Create it earlier in the migration, or correct the name.", waivers);
            }
            return;  // the statement would fail: it neither judges nor changes anything
        }

        // Facts, through the overlay.
        ActionList list = {nullptr, 0, 0};
        ActionList* lp = &list;
        pg_call([]() noexcept { upstream::clear_refusal_reason(); });
        try {
            HooksInstalled hooks;
            pg_call_recoverable([&]() noexcept { extract(n, lp); });
        } catch (const PgError& e) {
            const int code = e.sqlerrcode();
            std::string msg = e.what();
            if (const AddedEnumValue* v = added_enum_value(code, msg)) {
                if (v->xact == overlay_.xact())
                    add_row(number, first, it.start, it.end, "statement_would_fail", nullptr,
                            v->unsafe_use,
                            "New enum values must be committed before they can be used: "
                            "PostgreSQL rejects this statement when the migration runs.",
                            "Commit right after ALTER TYPE ... ADD VALUE, and use the value in "
                            "the next transaction (migration tools: a migration of its own).",
                            waivers);
                return;  // committed since: it runs, unanalysed here
            }
            if (undefined_object(code))
                add_row(number, first, it.start, it.end, "unknown_object", nullptr, msg,
                        "This statement fails when the migration runs.",
                        "Create it earlier in the migration, or correct the name.", waivers);
            else if (statement_error_class(code))
                add_row(number, first, it.start, it.end, "statement_would_fail", nullptr, msg,
                        "PostgreSQL would reject this statement when the migration runs.",
                        "Correct the statement.", waivers);
            else
                add_row(number, first, it.start, it.end, "not_judged", nullptr,
                        "schema_oracle could not judge this statement: " + msg,
                        "The statement was not judged; its findings, if any, are unknown.",
                        "Report this as a schema_oracle bug, with the statement.", waivers);
            return;
        }

        // A statement the refusals (src/upstream/*refusals.cpp) are certain
        // PostgreSQL refuses, from the catalog as the file leaves it: the
        // live guard leaves it to PostgreSQL's own error, so check() says
        // that error is coming (PostgreSQL's words, names elided: getting
        // its exact message would mean running the statement). A refusal
        // that only could not be confirmed gives nothing, as live.
        const char* refused = pg_call([]() noexcept { return upstream::refusal_reason(); });
        if (list.count == 0 && refused != nullptr) {
            add_row(number, first, it.start, it.end, "statement_would_fail", nullptr,
                    std::string("PostgreSQL refuses this statement: ") + refused,
                    "PostgreSQL would reject this statement when the migration runs (the "
                    "catalog, as the earlier statements of the migration leave it, says so).",
                    "Correct the statement.", waivers);
            return;
        }

        // A catalog table renamed earlier in the file goes by its new name.
        for (int i = 0; i < list.count; ++i) {
            core::TableFacts& t = list.items[i].table;
            const core::OverlayRelation* rel = t.oid != 0 ? overlay_.find_oid(t.oid) : nullptr;
            if (rel == nullptr || rel->name == t.raw_name)
                continue;
            pg_call([&]() noexcept {
                t.qname = extract_copy(
                    quote_qualified_identifier(rel->schema.c_str(), rel->name.c_str()));
                t.name = extract_copy(quote_identifier(rel->name.c_str()));
                t.raw_name = extract_copy(rel->name.c_str());
            });
        }

        core::StatementContext ctx;
        ctx.size_threshold_bytes = settings::size_threshold_bytes();
        ctx.lock_timeout_set = overlay_.lock_timeout_set();
        ctx.lock_timeout_reported = overlay_.lock_timeout_reported();
        ctx.in_transaction_block = in_block;
        bool ae_pending = !overlay_.ae_table().empty() && !overlay_.ae_reported();
        if (ae_pending) {
            // Not for a statement that cannot add lock time (as live:
            // guard_statement_adds_no_lock_time), checked through the overlay.
            try {
                HooksInstalled hooks;
                ae_pending = !pg_call_recoverable(
                    [&]() noexcept { return check_statement_adds_no_lock_time(n); });
            } catch (const PgError&) {
            }
        }
        if (ae_pending) {
            ctx.ae_held_table = overlay_.ae_table();
            ctx.ae_held_oid = overlay_.ae_oid();
        }

        // A rule at level off gives no row, so its hint is never pasted.
        struct Levels {
            core::GuardMode mode;
            const core::RuleLevelTable* overrides;
        } levels{mode_, overrides_};
        const core::HintShown shown{
            [](const core::Finding& f, void* arg) {
                const Levels* l = static_cast<const Levels*>(arg);
                const core::RuleInfo* rule = core::find_rule(f.rule);
                return rule == nullptr || l->mode == core::GuardMode::off ||
                       core::effective_level(*rule, l->mode, l->overrides) != core::Level::off;
            },
            &levels};
        std::vector<core::Finding> findings =
            core::judge_statement(list.items, static_cast<std::size_t>(list.count), ctx, &shown);
        add_findings(findings, list, number, first, it, waivers);
        if (ae_pending)
            overlay_.note_ae_reported();
        if (overlay_.ae_table().empty())
            for (int i = 0; i < list.count; ++i) {
                const core::ActionFacts& a = list.items[i];
                if (a.lock == core::Lock::access_exclusive && a.table.found &&
                    !a.table.created_in_xact && a.action != core::Action::table_rewrite) {
                    overlay_.note_access_exclusive(a.table.qname, a.table.oid);
                    break;
                }
            }
        check_statement = {file_, number, first, it.start, it.end};
        try {
            HooksInstalled hooks;
            pg_call_recoverable([&]() noexcept { check_apply_effects(n, lp); });
        } catch (const PgError&) {
            // An effect we could not follow: later statements see the catalog.
        }
    }

    // DML and SELECT, which the live guard judges from its ExecutorStart
    // hook (src/pg/executor_hook.cpp): statement_after_access_exclusive
    // while the file's transaction holds ACCESS EXCLUSIVE on an existing
    // table (the "add a column, then backfill it in the same transaction"
    // mistake), and large_dml_in_migration for an UPDATE / DELETE of every
    // row in a transaction that ran DDL (src/pg/check_dml.cpp: without a
    // plan that is the one row count check() knows). Returns false for
    // other statements.
    bool judge_dml(int number, const Item& it, Node* n, std::size_t first,
                   const std::vector<core::IgnoreComment>& waivers) {
        switch (nodeTag(n)) {
            case T_SelectStmt:
            case T_InsertStmt:
            case T_UpdateStmt:
            case T_DeleteStmt:
            case T_MergeStmt:
                break;
            default:
                return false;
        }
        judge_large_dml(number, it, n, first, waivers);  // first, as live
        const ActionList none = {nullptr, 0, 0};
        if (!overlay_.ae_table().empty() && !overlay_.ae_reported()) {
            core::StatementContext ctx;
            ctx.in_transaction_block = overlay_.in_transaction_block();
            ctx.ae_held_table = overlay_.ae_table();
            ctx.ae_held_oid = overlay_.ae_oid();
            add_findings(core::judge_statement(nullptr, 0, ctx), none, number, first, it, waivers);
            overlay_.note_ae_reported();
        }
        return true;
    }

    // large_dml_in_migration in check(): see judge_dml.
    void judge_large_dml(int number, const Item& it, Node* n, std::size_t first,
                         const std::vector<core::IgnoreComment>& waivers) {
        if (ddl_xact_ != overlay_.xact())
            return;  // no DDL before it in its transaction: not a migration's DML
        CheckWholeTableDml dml;
        bool whole = false;
        try {
            whole = pg_call_recoverable([&]() noexcept { return check_whole_table_dml(n, &dml); });
        } catch (const PgError&) {
            whole = false;
        }
        // Said once per transaction and table, as live.
        const std::string table = whole ? std::string(dml.table) : std::string();
        if (!whole || (large_dml_xact_ == overlay_.xact() && large_dml_table_ == table))
            return;
        const std::size_t end = std::min(it.end, text_.size());
        std::string_view statement = text_.substr(first, end > first ? end - first : 0);
        while (!statement.empty() && (statement.back() == ';' ||
                                      std::isspace(static_cast<unsigned char>(statement.back()))))
            statement.remove_suffix(1);
        core::LargeDml facts{dml.update,
                             table,
                             dml.rows,
                             dml.bytes,
                             settings::size_threshold_bytes(),
                             std::string(statement),
                             dml.partitioned,
                             {}};
        for (int i = 0; i < dml.nkey; ++i) facts.key_columns.emplace_back(dml.key[i]);
        const core::DmlFinding f = core::judge_large_dml(facts);
        if (!f.fires)
            return;
        const core::RuleInfo* rule = core::find_rule("large_dml_in_migration");
        if (rule == nullptr ||
            (core::effective_level(*rule, mode_, overrides_) == core::Level::off &&
             mode_ != core::GuardMode::off))
            return;
        large_dml_xact_ = overlay_.xact();
        large_dml_table_ = table;
        LockOn lock;
        lock.mode = core::Lock::row_exclusive;
        lock.table = table;
        add_row(number, first, it.start, it.end, "large_dml_in_migration", &lock,
                core::plain_message(f.message, "large_dml_in_migration"), f.detail, f.hint,
                waivers);
    }

    // The rows of the findings the guard's rules gave for one statement's
    // actions, at the levels of this database's policy.
    void add_findings(const std::vector<core::Finding>& findings, const ActionList& list,
                      int number, std::size_t first, const Item& it,
                      const std::vector<core::IgnoreComment>& waivers) {
        for (const core::Finding& f : findings) {
            const core::RuleInfo* rule = core::find_rule(f.rule);
            if (rule == nullptr)
                continue;
            const core::Level level = core::effective_level(*rule, mode_, overrides_);
            if (level == core::Level::off && mode_ == core::GuardMode::off) {
                // The live guard judges nothing when off; say what it would
                // have found anyway, at the level 'off'.
            } else if (level == core::Level::off) {
                continue;
            }
            if (f.rule == "missing_lock_timeout")
                overlay_.note_lock_timeout_reported();
            // The lock of the action the finding judged (statement_after_access_exclusive:
            // the ACCESS EXCLUSIVE already held).
            LockOn lock;
            if (f.action >= 0 && f.action < list.count &&
                list.items[f.action].lock != core::Lock::none) {
                lock.mode = list.items[f.action].lock;
                lock.table = std::string(list.items[f.action].table.qname);
            } else if (f.rule == "statement_after_access_exclusive") {
                lock.mode = core::Lock::access_exclusive;
                lock.table = f.table;
            }
            add_row(number, first, it.start, it.end, std::string(f.rule), &lock,
                    core::plain_message(f.message, f.rule), f.detail, f.hint, waivers, &level);
        }
    }

    void add_row(int number, std::size_t at, std::size_t start, std::size_t end, std::string rule,
                 const LockOn* lock_on, std::string message, std::string detail, std::string fix,
                 const std::vector<core::IgnoreComment>& waivers,
                 const core::Level* level = nullptr) {
        CheckRow row;
        row.file = file_;
        row.statement = number;
        core::LineColumn lc = core::line_column(text_, at);
        row.line = lc.line;
        row.column = lc.column;
        const std::size_t first = core::skip_trivia(text_, start);
        std::string_view stmt = text_.substr(first, end > first ? end - first : 0);
        while (!stmt.empty() && (stmt.back() == ';' || stmt.back() == ' ' || stmt.back() == '\n' ||
                                 stmt.back() == '\t' || stmt.back() == '\r'))
            stmt.remove_suffix(1);
        row.excerpt = core::excerpt(stmt);
        row.rule = rule;
        const core::RuleInfo* info = core::find_rule(rule);
        row.severity = info ? std::string(core::to_string(info->severity)) : "error";
        core::Level l = level  ? *level
                        : info ? core::effective_level(*info, mode_, overrides_)
                               : core::Level::warn;
        row.level = level_text(l);
        for (const core::IgnoreComment& w : waivers)
            if (w.rule == rule && !w.reason.empty()) {
                row.waiver = w.reason;
                if (l != core::Level::off)
                    row.level = "notice";
            }
        if (lock_on != nullptr && lock_on->mode != core::Lock::none) {
            row.lock = std::string(core::lock_name(lock_on->mode));
            row.lock_on = lock_on->table;
        }
        row.message = std::move(message);
        row.detail = std::move(detail);
        row.fix = std::move(fix);
        rows_.push_back(std::move(row));
    }

    std::string_view text_;
    int file_ = 1;
    core::Overlay overlay_;
    const core::RuleLevelTable* overrides_;
    core::GuardMode mode_;
    std::vector<CheckRow> rows_;
    std::vector<core::PendingForeignKey> uncovered_fks_;  // committed uncovered, to report
    int ddl_xact_ = -1;            // the last file transaction that ran DDL (judge_dml)
    int large_dml_xact_ = -1;      // large_dml_in_migration said in this transaction ...
    std::string large_dml_table_;  // ... for this table

    // Enum values ALTER TYPE ... ADD VALUE adds earlier in the file: the
    // catalog does not have them, so analysing a later use of one fails
    // with enum_in's "invalid input value for enum <type>: "<label>"".
    // Used in the transaction that added it, PostgreSQL refuses the use
    // (check_safe_enum_use, 55P04); after that transaction committed, the
    // use runs and check() cannot analyse it (silent, docs/check.md).
    struct AddedEnumValue {
        std::string invalid_input;  // enum_in's message for it
        std::string unsafe_use;     // check_safe_enum_use's
        int xact;                   // the file transaction that added it
    };
    std::vector<AddedEnumValue> enum_values_;

    void note_enum_value(AlterEnumStmt* s) {
        if (s->newVal == nullptr || s->oldVal != nullptr)
            return;
        const char* type = nullptr;
        try {
            type = pg_call_recoverable([&]() noexcept -> const char* {
                Oid typid = LookupTypeNameOid(nullptr, makeTypeNameFromNameList(s->typeName), true);
                return OidIsValid(typid) ? format_type_be(typid) : nullptr;
            });
        } catch (const PgError&) {
            type = nullptr;
        }
        if (type == nullptr)
            return;
        const std::string label = s->newVal;
        enum_values_.push_back(
            {std::string("invalid input value for enum ") + type + ": \"" + label + "\"",
             "unsafe use of new value \"" + label + "\" of enum type " + type, overlay_.xact()});
    }

    // The enum value the file added that this analysis error is about, or nullptr.
    const AddedEnumValue* added_enum_value(int code, const std::string& message) const {
        if (code != ERRCODE_INVALID_TEXT_REPRESENTATION)
            return nullptr;
        for (const AddedEnumValue& v : enum_values_)
            if (v.invalid_input == message)
                return &v;
        return nullptr;
    }
};

}  // namespace

std::vector<CheckRow> check_migrations(const std::vector<std::string_view>& files,
                                       core::TransactionMode mode) {
    Checker checker(mode);
    return checker.run(files);
}

namespace {

// The shadow's comparison, C++ side: a palloc'd log line, or nullptr when
// the query string is not exactly this statement.
char* shadow_line(Node* stmt, const CheckShadowState& st, const char* query) {
    List* stmts = nullptr;
    try {
        stmts = parse(query);
    } catch (const PgError&) {
        return nullptr;
    }
    if (list_length(stmts) != 1)
        return nullptr;
    RawStmt* rs = linitial_node(RawStmt, stmts);
    if (nodeTag(rs->stmt) != nodeTag(stmt))
        return nullptr;
    const std::size_t len = std::strlen(query);
    const std::size_t start = static_cast<std::size_t>(rs->stmt_location);
    const std::size_t end = rs->stmt_len > 0 ? start + static_cast<std::size_t>(rs->stmt_len) : len;
    const std::string_view text(query + start, end - start);

    Checker checker(core::TransactionMode::as_written);
    checker.seed(st.in_transaction_block, st.lock_timeout_reported,
                 st.ae_table ? std::string_view(st.ae_table) : std::string_view(), st.ae_relid);
    struct LiveLocks {
        LiveLocks() { check_live_locks = true; }
        ~LiveLocks() { check_live_locks = false; }
    } live_locks;
    std::vector<CheckRow> rows = checker.run({text});

    std::vector<std::string> live, ours, only_check;
    for (int i = 0; i < st.live_count; ++i) live.emplace_back(st.live_rules[i]);
    for (const CheckRow& r : rows) {
        const core::RuleInfo* info = core::find_rule(r.rule);
        // check()'s own rules, and the rules judged when the transaction
        // commits (the live guard reports those at COMMIT, not on the
        // statement: src/pg/commit_check.cpp).
        if (info != nullptr && (info->scope == core::Scope::check ||
                                info->scope == core::Scope::report || core::is_commit_rule(r.rule)))
            only_check.push_back(r.rule);
        else
            ours.push_back(r.rule);
    }
    std::sort(live.begin(), live.end());
    std::sort(ours.begin(), ours.end());
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const std::string& x : v) s += (s.empty() ? "" : " ") + x;
        return s;
    };
    std::string line = std::string("schema_oracle check shadow: ") +
                       (live == ours ? "same" : "DIFFERENT") + " live [" + join(live) +
                       "] check [" + join(ours) + "]";
    if (!only_check.empty())
        line += " check-only [" + join(only_check) + "]";
    line += ": " + core::excerpt(text, 160);
    return to_cstring(line);
}

}  // namespace

void check_shadow(Node* stmt, const CheckShadowState* state) {
    const char* query = debug_query_string;
    if (query == nullptr)
        return;
    char* line = cpp_boundary("check() shadow", [&] { return shadow_line(stmt, *state, query); });
    if (line != nullptr)
        ereport(LOG_SERVER_ONLY, (errmsg("%s", line), errhidestmt(true)));
}

}  // namespace schema_oracle::pg
