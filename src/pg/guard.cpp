// guard.cpp: the live DDL guard's judging flow, shared by the event
// triggers (ddl_command_start, table_rewrite) and the ProcessUtility hook.
//
//   1. cheap tests from the node tag, before any catalog access;
//   2. facts from the raw tree and the catalog (guard_facts.cpp), inside an
//      internal subtransaction so that an ERROR in our analysis is survived;
//   3. rules and policy in the pure core (C++, inside try/catch);
//   4. NOTICE / WARNING / ERROR SO001, raised in C-land once no C++ object
//      is alive.
// An internal failure never breaks the user's DDL: it becomes a WARNING and
// the statement proceeds, unless schema_oracle.fail_closed = on.
//
// Per-transaction state (waivers, the table held ACCESS EXCLUSIVE, the
// recursion flag) is plain static data, reset by an XactCallback. Waivers
// follow subtransactions too (a SubXactCallback): one granted inside a
// savepoint or an EXCEPTION block that is rolled back is gone with it.
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "schema_oracle/core/guard.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/check.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/subxact_owned.hpp"
#include "schema_oracle/pg/text.hpp"
#include "schema_oracle/pg/user_code.hpp"

extern "C" {
#include "access/xact.h"
#include "catalog/partition.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/nodeFuncs.h"
#include "miscadmin.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "storage/proc.h"
#include "tcop/utility.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
}

namespace schema_oracle::pg {

namespace {

constexpr int max_waivers = 64;
constexpr int max_rewrite_judged = 32;

struct Waiver {
    char rule[NAMEDATALEN];
    char* reason;            // in TopTransactionContext
    SubTransactionId subid;  // the subtransaction that granted it (or inherited it)
};

// All of this is POD: safe across longjmps, reset at transaction end.
bool in_guard = false;
bool callback_registered = false;
Waiver waivers[max_waivers];
int waiver_count = 0;
// The first pre-existing table this transaction took ACCESS EXCLUSIVE on
// (nullptr none; its qualified name in TopTransactionContext), noted before
// the statement runs. The statement may then fail, be blocked, or be rolled
// back to a savepoint, releasing the lock, so the note counts only while the
// backend still holds the lock (ae_forget_if_released).
char* ae_table = nullptr;
Oid ae_relid = InvalidOid;
bool ae_reported = false;
// The local transaction in which missing_lock_timeout was last reported.
LocalTransactionId lock_timeout_reported_lxid = InvalidLocalTransactionId;
Oid rewrite_judged[max_rewrite_judged];  // rewrites judged by a rule in this statement
int rewrite_judged_count = 0;
bool backstop_fired = false;
// A fact the judgement needed was unreadable because another session held
// a lock on it (guard_note_fact_locked): judge again once the statement's
// own locks are granted, when it can be read.
bool fact_locked = false;
// The relations of those facts that the statement locks only later (by
// OID, after its named targets), with the lock it takes on each: locked
// before judging again, so the facts can be read.
struct NotedLock {
    Oid relid;
    LOCKMODE mode;
};
constexpr int max_noted_locks = 16;
NotedLock noted_locks[max_noted_locks];
int noted_lock_count = 0;

// Takes the noted locks, waiting as the statement itself would a moment
// later (PostgreSQL takes them after the statement's named relations, as
// here). A wait may raise (lock_timeout, cancel): the user's statement
// failing as it would have.
void lock_noted_facts() {
    for (int i = 0; i < noted_lock_count; ++i)
        LockRelationOid(noted_locks[i].relid, noted_locks[i].mode);
    noted_lock_count = 0;
}

void reset_transaction_state() {
    in_guard = false;
    waiver_count = 0;
    ae_table = nullptr;  // TopTransactionContext is gone
    ae_relid = InvalidOid;
    ae_reported = false;
    rewrite_judged_count = 0;
    backstop_fired = false;
}

void on_xact_event(XactEvent event, void*) {
    switch (event) {
        case XACT_EVENT_COMMIT:
        case XACT_EVENT_ABORT:
        case XACT_EVENT_PARALLEL_COMMIT:
        case XACT_EVENT_PARALLEL_ABORT:
        case XACT_EVENT_PREPARE:
            reset_transaction_state();
            break;
        default:
            break;
    }
}

// A rule waived again in a subtransaction gets a second entry that shadows
// the outer one (so rolling the subtransaction back restores the outer
// reason): the newest entry wins.
const char* find_waiver(std::string_view rule) {
    for (int i = waiver_count - 1; i >= 0; --i)
        if (rule == waivers[i].rule)
            return waivers[i].reason;
    return nullptr;
}

// Waivers live and die with the subtransaction that granted them
// (subxact_owned.hpp). C-style, raises nothing.
void on_subxact_event(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid,
                      void*) noexcept {
    follow_subxact_end(event, mySubid, parentSubid, waivers, &waiver_count);
}

// What the guard will tell the client, in palloc'd memory.
struct Emit {
    const char* rule;  // the rule id (static storage), for the DDL log
    int elevel;        // NOTICE, WARNING or ERROR
    bool waived;
    bool lock_timeout;   // a missing_lock_timeout finding
    const char* reason;  // the waiver's reason
    char* message;
    char* detail;
    char* hint;
};

struct Outcome {
    Emit* items;
    int count;
};

// Test-only fault injection (schema_oracle_test.guard_fault(), declared by
// the regression tests, not by the extension): 1 raises an ERROR while
// gathering facts, 2 throws a C++ exception while deciding, 3 raises an
// ERROR while gathering the facts of a table_rewrite event, 4 calls the
// user function public.so_fault_user_code() and 5 runs CREATE TABLE
// public.so_fault_smuggled () while gathering facts (both must be refused).
int fault_injection = 0;

// Errors that mean "the statement itself is invalid" (class 42: syntax error
// or access rule violation, e.g. an unknown relation or type; class 22: data
// exception, e.g. a bad literal in a DEFAULT; class 0A: feature not
// supported, e.g. a subquery in a DEFAULT). PostgreSQL reports them itself
// when it runs the statement, so the guard stays silent instead of calling
// them internal failures.
bool statement_error(const CaughtError& caught) {
    if (caught.kind != CaughtError::Kind::pg)
        return false;
    const int sqlerrcode = caught.pg_error->sqlerrcode;
    const char* state = unpack_sql_state(sqlerrcode);
    // 55P04: a value ALTER TYPE ... ADD VALUE added in this transaction,
    // used by the statement's own expressions (a DEFAULT, a CHECK, an index
    // predicate, a USING): PostgreSQL's enum input refuses it while
    // analysing the statement, exactly as the guard's analysis did.
    return (state[0] == '4' && state[1] == '2') || (state[0] == '2' && state[1] == '2') ||
           (state[0] == '0' && state[1] == 'A') ||
           sqlerrcode == ERRCODE_UNSAFE_NEW_ENUM_VALUE_USAGE;
}

// Test-only (faults 4 and 5): SQL the analysis itself runs, standing for a
// path to user code or to DDL that the guard did not foresee; the fmgr hook
// and guard_refuse_during_analysis must refuse it.
void run_fault_sql(const char* sql) {
    if (SPI_connect() != SPI_OK_CONNECT)
        elog(ERROR, "SPI_connect failed");
    SPI_execute(sql, false, 0);
    SPI_finish();
}

// The column names a raw expression refers to (the last field of each
// ColumnRef), appended to the List* that context points to.
bool column_refs_walker(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (IsA(node, ColumnRef)) {
        List* fields = ((ColumnRef*)node)->fields;
        Node* last = fields != NIL ? (Node*)llast(fields) : nullptr;
        if (last != nullptr && IsA(last, String))
            *(List**)context = lappend(*(List**)context, strVal(last));
        return false;
    }
    return raw_expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(column_refs_walker)),
        context);
}

void add_string_names(List** names, List* strings) {
    ListCell* lc;
    foreach (lc, strings)
        if (IsA(lfirst(lc), String))
            *names = lappend(*names, strVal(lfirst(lc)));
}

void add_constraint_names(List** names, Constraint* c) {
    add_string_names(names, c->keys);
    add_string_names(names, c->including);
    add_string_names(names, c->fk_attrs);
    if (c->raw_expr != nullptr)
        column_refs_walker(c->raw_expr, names);
    ListCell* lc;
    foreach (lc, c->exclusions) {
        List* pair = (List*)lfirst(lc);
        IndexElem* e = (IndexElem*)linitial(pair);
        if (e->name != nullptr)
            *names = lappend(*names, e->name);
        if (e->expr != nullptr)
            column_refs_walker(e->expr, names);
    }
}

// The columns one ALTER TABLE sub-command names or its expressions read.
List* columns_used(AlterTableCmd* cmd) {
    List* names = NIL;
    if (cmd->name != nullptr)
        names = lappend(names, cmd->name);
    Node* def = cmd->def;
    if (def == nullptr)
        return names;
    if (IsA(def, ColumnDef)) {
        ColumnDef* cd = (ColumnDef*)def;
        if (cd->raw_default != nullptr)  // ALTER TYPE ... USING
            column_refs_walker(cd->raw_default, &names);
        ListCell* lc;
        foreach (lc, cd->constraints) add_constraint_names(&names, (Constraint*)lfirst(lc));
    } else if (IsA(def, Constraint)) {
        add_constraint_names(&names, (Constraint*)def);
    }
    return names;
}

bool any_name_in(List* names, List* set) {
    ListCell* a;
    ListCell* b;
    foreach (a, names)
        foreach (b, set)
            if (strcmp((const char*)lfirst(a), (const char*)lfirst(b)) == 0)
                return true;
    return false;
}

// Whether the guard analyses the statement's expressions over the relation
// as PostgreSQL will, so that an error of the statement class in the
// analysis is PostgreSQL's own refusal. Not so when a sub-command of an
// ALTER TABLE uses a column that an earlier sub-command adds, drops or
// retypes: the guard reads the catalog as it is before the statement,
// PostgreSQL after the earlier sub-commands, so the error (a CHECK over a
// column added earlier, say) may be the guard's alone. Such an error is the
// guard's failure, and schema_oracle.fail_closed decides: an ordinary role
// cannot hide a hazardous sub-command behind one the guard cannot analyse.
// C-style (the lists are palloc'd); raises nothing.
bool analysis_mirrors_statement(Node* stmt) {
    if (!IsA(stmt, AlterTableStmt))
        return true;
    List* changed = NIL;
    ListCell* lc;
    foreach (lc, ((AlterTableStmt*)stmt)->cmds) {
        AlterTableCmd* cmd = (AlterTableCmd*)lfirst(lc);
        if (changed != NIL && any_name_in(columns_used(cmd), changed))
            return false;
        if (cmd->subtype == AT_AddColumn && IsA(cmd->def, ColumnDef))
            changed = lappend(changed, ((ColumnDef*)cmd->def)->colname);
        else if ((cmd->subtype == AT_DropColumn || cmd->subtype == AT_AlterColumnType) &&
                 cmd->name != nullptr)
            changed = lappend(changed, cmd->name);
    }
    return true;
}

// Gathers a statement's facts (C-style code that may ereport) inside an
// internal subtransaction, through the boundary: an ERROR there rolls the
// subtransaction back and comes back as a CaughtError, never as a longjmp.
CaughtError extract_protected(Node* stmt, ActionList* list) {
    CaughtError caught = run_recoverable([stmt, list]() noexcept {
        if (fault_injection == 4)
            run_fault_sql("SELECT public.so_fault_user_code()");
        if (fault_injection == 5)
            run_fault_sql("CREATE TABLE public.so_fault_smuggled ()");
        guard_extract(stmt, list);
        if (fault_injection == 1)
            ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                            errmsg("injected fault while gathering facts")));
    });
    if (caught.failed())
        list->count = 0;
    return caught;
}

// The facts of a table_rewrite event: whether a rule already judged the
// rewrite through a partitioned ancestor (then relid becomes InvalidOid),
// else the table's facts.
struct RewriteWork {
    Oid relid;
    core::TableFacts* table;
};

void rewrite_work(RewriteWork* w) {
    if (fault_injection == 3)
        ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR),
                        errmsg("injected fault while gathering rewrite facts")));
    // A partition's or inheritance child's rewrite was judged if a rule
    // judged its ancestor's (sizes are summed over the children).
    if (guard_descends_from_any(w->relid, rewrite_judged, rewrite_judged_count)) {
        w->relid = InvalidOid;
        return;
    }
    guard_table_facts(w->relid, w->table);
}

// Whether the client is shown the finding's hint, as decide() below emits
// it: not for a rule at level off, nor a waived one (a NOTICE without the
// hint), nor a second blocking one (block mode raises the first only).
struct HintShownState {
    const core::RuleLevelTable* overrides;
    core::GuardMode mode;
    bool blocked;
};

bool hint_shown(const core::Finding& f, void* arg) {
    HintShownState* st = static_cast<HintShownState*>(arg);
    const core::RuleInfo* rule = core::find_rule(f.rule);
    if (rule == nullptr)
        return true;
    const core::Level level = core::effective_level(*rule, st->mode, st->overrides);
    if (level == core::Level::off || find_waiver(f.rule) != nullptr)
        return false;
    if (level == core::Level::notice || level == core::Level::warn)
        return true;
    if (st->blocked)
        return false;
    st->blocked = true;
    return true;
}

// The C++ part: rules and policy. Only pure C++ and allocation that throws
// (never longjmps) happen here; it runs inside cpp_capture, which turns any
// exception into the guard's internal failure.
void decide(const ActionList* list, const core::StatementContext& ctx, Outcome* out) {
    if (fault_injection == 2)
        throw std::runtime_error("injected fault while deciding");
    const core::RuleLevelTable* overrides = settings::rule_levels();  // parsed at SET
    const core::GuardMode mode = settings::guard_mode();
    HintShownState shown_state{overrides, mode, false};
    const core::HintShown shown{hint_shown, &shown_state};
    std::vector<core::Finding> findings =
        core::judge_statement(list->items, static_cast<std::size_t>(list->count), ctx, &shown);
    if (findings.empty())
        return;
    auto* items = static_cast<Emit*>(alloc_or_throw(sizeof(Emit) * findings.size()));
    int n = 0;
    for (const core::Finding& f : findings) {
        // The rewrite a rule judged is known by the relation's OID: the
        // table_rewrite backstop then stays quiet about it.
        if (f.rewrite && f.oid != 0 && rewrite_judged_count < max_rewrite_judged)
            rewrite_judged[rewrite_judged_count++] = static_cast<Oid>(f.oid);
        // A finding names a rule of the catalog; anything else is a bug,
        // reported as the guard's internal failure rather than dropped.
        const core::RuleInfo& rule = core::require_rule(f.rule, core::Scope::guard);
        core::Level level = core::effective_level(rule, mode, overrides);
        if (level == core::Level::off)
            continue;
        Emit& e = items[n++];
        e.rule = rule.id.data();  // a NUL-terminated literal in the rule table
        e.reason = find_waiver(f.rule);
        e.waived = e.reason != nullptr;
        e.lock_timeout = f.rule == "missing_lock_timeout";
        e.elevel = e.waived                       ? NOTICE
                   : level == core::Level::notice ? NOTICE
                   : level == core::Level::warn   ? WARNING
                                                  : ERROR;
        e.message = to_cstring(f.message);
        e.detail = to_cstring(f.detail);
        e.hint = to_cstring(f.hint);
    }
    out->items = items;
    out->count = n;
}

// Forgets the ACCESS EXCLUSIVE note if the lock is no longer held: the
// statement that was to take it failed, was blocked, or its subtransaction
// was rolled back. The local lock table is exact for this and cheap (a hash
// lookup), and it raises no error.
void ae_forget_if_released() {
    if (ae_table == nullptr)
        return;
    LOCKTAG tag;
    SET_LOCKTAG_RELATION(tag, MyDatabaseId, ae_relid);
    if (OidIsValid(ae_relid) && LockHeldByMe(&tag, AccessExclusiveLock))
        return;
    ae_table = nullptr;
    ae_relid = InvalidOid;
    ae_reported = false;
}

void fill_context(core::StatementContext* ctx, bool ae_pending) {
    *ctx = core::StatementContext();
    ctx->size_threshold_bytes = settings::size_threshold_bytes();
    ctx->lock_timeout_set = LockTimeout > 0;
    ctx->lock_timeout_reported = lock_timeout_reported_lxid == MyProc->lxid;
    ctx->in_transaction_block = IsTransactionBlock();
    if (ae_pending) {
        ctx->ae_held_table = ae_table;
        ctx->ae_held_oid = ae_relid;
    }
}

// Notes the table for statement_after_access_exclusive, for the rest of the
// transaction. C++ side: the copy throws std::bad_alloc instead of raising.
void note_ae_table(core::Text qname, Oid relid) {
    MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
    char* copy = nullptr;
    try {
        copy = to_cstring(qname);
    } catch (...) {
        MemoryContextSwitchTo(old);
        throw;
    }
    MemoryContextSwitchTo(old);
    ae_table = copy;
    ae_relid = relid;
}

// Remembers the first pre-existing table this transaction locks ACCESS
// EXCLUSIVE (for statement_after_access_exclusive).
void note_access_exclusive(const ActionList* list) {
    if (ae_table != nullptr)
        return;
    for (int i = 0; i < list->count; ++i) {
        const core::ActionFacts& a = list->items[i];
        if (a.lock == core::Lock::access_exclusive && a.table.found && !a.table.created_in_xact &&
            !a.table.untouched && a.action != core::Action::table_rewrite) {
            note_ae_table(a.table.qname, static_cast<Oid>(a.table.oid));
            return;
        }
    }
}

// C-land: tell the client. Non-blocking findings first, then at most one
// ERROR. A failure of the guard itself fails open (WARNING) unless
// fail_closed; a cancel is re-raised as it was.
// Findings a first judgement of this statement already said: a second one
// (after the names were bound under the statement's locks) does not say
// them again, to the client or to the DDL log. Set only around that second
// judgement.
const Outcome* said_before = nullptr;

bool already_said(const Emit& e) {
    if (said_before == nullptr || e.elevel == ERROR)
        return false;
    for (int i = 0; i < said_before->count; ++i) {
        const Emit& s = said_before->items[i];
        if (s.elevel == e.elevel && s.waived == e.waived && strcmp(s.rule, e.rule) == 0 &&
            strcmp(s.message, e.message) == 0 && strcmp(s.detail, e.detail) == 0 &&
            strcmp(s.hint, e.hint) == 0)
            return true;
    }
    return false;
}

void report(const Outcome* out, const char* what, const CaughtError& failure) {
    if (failure.unrecoverable())
        raise_caught(failure, what);
    if (failure.failed()) {
        const char* why = failure.text();
        if (settings::fail_closed())
            ereport(
                ERROR,
                (errcode(MAKE_SQLSTATE('S', 'O', '0', '0', '1')),
                 errmsg("schema_oracle: internal error while judging %s; statement blocked", what),
                 errdetail("%s", why),
                 settings::fail_closed_setting() == settings::FailClosed::on
                     ? errhint("schema_oracle.fail_closed is on. Set it to off to let statements "
                               "proceed when the guard fails.")
                     : errhint("schema_oracle.fail_closed is auto: where the guard blocks, a "
                               "statement it cannot judge is blocked too. Set it to off to let "
                               "statements proceed when the guard fails.")));
        else
            ereport(
                WARNING,
                (errmsg("schema_oracle: internal error while judging %s; statement allowed", what),
                 errdetail("%s", why)));
        return;
    }
    const Emit* block = nullptr;
    for (int i = 0; i < out->count; ++i) {
        const Emit& e = out->items[i];
        if (already_said(e))
            continue;
        ddl_log_note_finding(e.rule, e.elevel, e.reason, e.message, e.detail, e.hint);  // DDL log
        if (e.elevel == ERROR) {
            if (block == nullptr)
                block = &e;
            continue;
        }
        if (e.waived)
            ereport(NOTICE, (errmsg_internal("%s", e.message),
                             errdetail("Waived for this transaction by schema_oracle.allow(): %s",
                                       e.reason)));
        else
            ereport(e.elevel, (errmsg_internal("%s", e.message), errdetail_internal("%s", e.detail),
                               errhint("%s", e.hint)));
        // The missing lock_timeout is a property of the session, not of the
        // statement: once said in a transaction, it is not repeated there.
        if (e.lock_timeout)
            lock_timeout_reported_lxid = MyProc->lxid;
    }
    if (block != nullptr)
        ddl_log_blocking();  // DDL log: written before the rollback
    if (block != nullptr)
        ereport(ERROR, (errcode(MAKE_SQLSTATE('S', 'O', '0', '0', '1')),
                        errmsg_internal("%s", block->message),
                        errdetail_internal("%s", block->detail), errhint("%s", block->hint)));
}

// check() shadow seam (test-only, test/cluster/check_shadow.sh): when the
// test module is loaded and its superuser-only setting
// schema_oracle_test.check_shadow is on, every statement the guard judges is
// also judged by check() from its source text, in the same transaction
// state, and the two lists of rules are compared in the server log. The
// switch is a bool the test module publishes through a rendezvous variable
// (test/modules/schema_oracle_test/check_shadow_switch.cpp), so no setting of
// the production module lets an ordinary role turn it on. Off, it costs one
// pointer read per judged statement.
void shadow(Node* stmt, const Outcome* out, bool ae_pending) {
    static void** slot = nullptr;
    if (slot == nullptr)
        slot = find_rendezvous_variable("schema_oracle_test.check_shadow");
    const bool* on = static_cast<const bool*>(*slot);
    if (on == nullptr || !*on)
        return;
    CheckShadowState st;
    st.in_transaction_block = IsTransactionBlock();
    st.lock_timeout_reported = lock_timeout_reported_lxid == MyProc->lxid;
    st.ae_table = ae_pending ? ae_table : nullptr;
    st.ae_relid = ae_relid;
    st.live_rules = static_cast<const char**>(palloc0(sizeof(char*) * (out ? out->count + 1 : 1)));
    st.live_count = 0;
    for (int i = 0; out != nullptr && i < out->count; ++i) {
        // The rule id ends the message: "... [rule]".
        const char* m = out->items[i].message;
        const char* open = strrchr(m, '[');
        if (open == nullptr)
            continue;
        st.live_rules[st.live_count++] = pnstrdup(open + 1, strlen(open + 1) - 1);
    }
    check_shadow(stmt, &st);
}

}  // namespace

bool guard_active() {
    return settings::guard_mode() != core::GuardMode::off && !creating_extension && !in_guard &&
           IsTransactionState();
}

// The recursion flag (in_guard) exempts the guard's own catalog reads from
// being judged; the guard itself never runs a utility statement while it
// analyses. So a statement arriving while the flag is set comes from code
// the analysis reached that is not the guard's (user code the fmgr hook of
// user_code.cpp did not see): it is refused, which fails the analysis (the
// subtransaction rolls the statement's effects back) and lets
// schema_oracle.fail_closed decide, instead of running unjudged.
void guard_refuse_during_analysis(Node* stmt) {
    if (!in_guard || settings::guard_mode() == core::GuardMode::off || creating_extension)
        return;
    ereport(ERROR, (errcode(SO_ERRCODE_USER_CODE_REFUSED),
                    errmsg("schema_oracle: %s is refused while the guard analyses a statement",
                           CreateCommandName(stmt)),
                    errdetail("Only code the user wrote could run it here; the guard never runs "
                              "the user's code.")));
}

namespace {

// Judges the statement and reports the outcome; *said (when given) keeps
// what was reported, for a second judgement not to repeat it.
void judge_once(Node* stmt, Outcome* said = nullptr) {
    ae_forget_if_released();
    // A statement that cannot extend the ACCESS EXCLUSIVE already held
    // (catalog-only, on relations created here or already locked: the
    // final RENAME of a table swap) is not one "after" it.
    const bool ae_pending =
        ae_table != nullptr && !ae_reported && !guard_statement_adds_no_lock_time(stmt);
    const bool judged = guard_tag_is_judged(nodeTag(stmt));
    if (!judged && !ae_pending)
        return;

    rewrite_judged_count = 0;
    backstop_fired = false;
    if (!ae_pending) {
        core::Text ae_candidate;
        Oid ae_candidate_relid = InvalidOid;
        if (guard_statement_is_trivial(stmt, ae_table == nullptr, &ae_candidate,
                                       &ae_candidate_relid)) {
            // C land: a plain copy into the transaction's context.
            if (!ae_candidate.empty()) {
                ae_table = static_cast<char*>(
                    MemoryContextAlloc(TopTransactionContext, ae_candidate.size() + 1));
                memcpy(ae_table, ae_candidate.data(), ae_candidate.size());
                ae_table[ae_candidate.size()] = '\0';
                ae_relid = ae_candidate_relid;
            }
            shadow(stmt, nullptr, false);
            return;
        }
    }
    Outcome outcome = {nullptr, 0};
    ActionList list = {nullptr, 0, 0};
    in_guard = true;
    user_code_refused_begin();
    CaughtError failure = judged ? extract_protected(stmt, &list) : CaughtError{};
    user_code_refused_end();
    // An error in the user's statement itself: PostgreSQL reports it.
    const bool silent = statement_error(failure) &&
                        pg_call([stmt]() noexcept { return analysis_mirrors_statement(stmt); });
    if (!failure.failed())
        failure = cpp_capture([&] {
            core::StatementContext ctx;
            fill_context(&ctx, ae_pending);
            decide(&list, ctx, &outcome);
            if (ae_pending)
                ae_reported = true;
            note_access_exclusive(&list);
        });
    in_guard = false;
    if (silent)
        return;
    if (!failure.failed())
        shadow(stmt, &outcome, ae_pending);
    report(&outcome, CreateCommandName(stmt), failure);
    if (said != nullptr)
        *said = outcome;
}

}  // namespace

void guard_judge_statement(Node* stmt) {
    guard_refuse_during_analysis(stmt);
    if (!guard_active())
        return;
    GuardBinding binding;
    const bool names_relations = guard_statement_targets(stmt, &binding);
    fact_locked = false;
    noted_lock_count = 0;
    // What statement_after_access_exclusive knew before this statement: a
    // second judgement replaces the first, whose own ACCESS EXCLUSIVE must
    // not count as an earlier statement's.
    char* const ae_table_before = ae_table;
    const Oid ae_relid_before = ae_relid;
    const bool ae_reported_before = ae_reported;
    Outcome first = {nullptr, 0};
    judge_once(stmt, &first);  // raises SO001 when blocked: no lock is taken then
    if (!names_relations || !guard_active())
        return;
    // Allowed: bind the names under the statement's own locks, and judge
    // again if one now denotes another relation (src/pg/lock_identity.cpp),
    // or if a fact could not be read while another session held it locked.
    const bool unread = fact_locked;
    fact_locked = false;
    const bool moved = guard_lock_statement_targets(&binding);
    if (unread)
        lock_noted_facts();
    if (moved || unread) {
        ae_table = ae_table_before;
        ae_relid = ae_relid_before;
        ae_reported = ae_reported_before;
        said_before = &first;
        PG_TRY();
        { judge_once(stmt); }
        PG_FINALLY();
        { said_before = nullptr; }
        PG_END_TRY();
    }
}

void guard_note_fact_locked(Oid relid, LOCKMODE statement_lock) {
    fact_locked = true;
    if (statement_lock == NoLock || !OidIsValid(relid))
        return;
    for (int i = 0; i < noted_lock_count; ++i)
        if (noted_locks[i].relid == relid) {
            noted_locks[i].mode = Max(noted_locks[i].mode, statement_lock);
            return;
        }
    if (noted_lock_count < max_noted_locks)
        noted_locks[noted_lock_count++] = {relid, statement_lock};
}

// The table_rewrite backstop. The event fires for every table rewritten,
// but a rewrite a rule already judged in this statement returns at once,
// from memory; only the others pay for the internal subtransaction that
// protects the user's DDL from an ERROR while their facts are gathered.
void guard_judge_rewrite(Oid rewritten, int reason) {
    if (!guard_active() || backstop_fired)
        return;
    for (int i = 0; i < rewrite_judged_count; ++i)
        if (rewrite_judged[i] == rewritten)
            return;

    Outcome outcome = {nullptr, 0};
    ActionList list = {nullptr, 0, 0};
    list.items = new (palloc(sizeof(core::ActionFacts))) core::ActionFacts();
    list.count = 1;
    list.capacity = 1;
    core::ActionFacts* a = &list.items[0];
    RewriteWork w = {rewritten, &a->table};
    in_guard = true;
    user_code_refused_begin();
    CaughtError failure = run_recoverable([&w]() noexcept { rewrite_work(&w); });
    user_code_refused_end();
    if (!failure.failed() && OidIsValid(w.relid)) {
        a->action = core::Action::table_rewrite;
        a->lock = core::Lock::access_exclusive;
        std::string_view why = (reason & 4)   ? "reason: a column type change"
                               : (reason & 2) ? "reason: a column default"
                               : (reason & 1) ? "reason: SET LOGGED/UNLOGGED"
                               : (reason & 8) ? "reason: SET ACCESS METHOD"
                                              : "reason: unknown";
        a->rewrite.reason = why;
        failure = cpp_capture([&] {
            core::StatementContext ctx;
            fill_context(&ctx, false);
            decide(&list, ctx, &outcome);
            if (outcome.count > 0)
                backstop_fired = true;
        });
    }
    in_guard = false;
    report(&outcome, "a table rewrite", failure);
}

void guard_allow(const char* rule, const char* reason) {
    cpp_boundary("allow()", [rule] { (void)core::require_rule(rule, core::Scope::guard); });
    const char* p = reason;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') ++p;
    if (*p == '\0')
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("schema_oracle: a waiver needs a reason"),
                        errhint("Say why the hazard is acceptable, e.g. "
                                "schema_oracle.allow('%s', 'table is empty in production').",
                                rule)));
    if (!IsTransactionBlock())
        ereport(WARNING,
                (errmsg("schema_oracle: the waiver for %s ends with this statement's transaction",
                        rule),
                 errhint("Call schema_oracle.allow() inside BEGIN ... COMMIT (or the same DO "
                         "block) before the statement it waives.")));
    const SubTransactionId subid = GetCurrentSubTransactionId();
    for (int i = 0; i < waiver_count; ++i)
        if (strcmp(waivers[i].rule, rule) == 0 && waivers[i].subid == subid) {
            waivers[i].reason = MemoryContextStrdup(TopTransactionContext, reason);
            goto logged;
        }
    if (waiver_count >= max_waivers)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("schema_oracle: at most %d waivers per transaction", max_waivers)));
    strlcpy(waivers[waiver_count].rule, rule, sizeof waivers[waiver_count].rule);
    waivers[waiver_count].reason = MemoryContextStrdup(TopTransactionContext, reason);
    waivers[waiver_count].subid = subid;
    ++waiver_count;
logged:
    ereport(LOG, (errmsg("schema_oracle: waiver of rule %s for this transaction by role %s: %s",
                         rule, GetUserNameFromId(GetUserId(), false), reason),
                  errhidestmt(true)));
}

void guard_set_fault_injection(int kind) {
    fault_injection = kind;
}

// ExecutorStart hook (src/pg/executor_hook.cpp): DML and SELECT after an
// ACCESS EXCLUSIVE lock.
bool guard_access_exclusive_pending() {
    return ae_table != nullptr && !ae_reported;
}

// commit check (src/pg/commit_check.cpp): waivers apply at commit too.
const char* guard_waiver_reason(const char* rule) {
    return find_waiver(rule);
}

void init_guard_state() {
    if (callback_registered)
        return;
    RegisterXactCallback(on_xact_event, nullptr);
    RegisterSubXactCallback(on_subxact_event, nullptr);
    callback_registered = true;
    init_commit_check();  // commit check: its own callbacks (src/pg/commit_check.cpp)
}

}  // namespace schema_oracle::pg
