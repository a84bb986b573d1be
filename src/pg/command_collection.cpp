// command_collection.cpp: turning off PostgreSQL's collection of a DDL
// statement's commands when nobody will read them.
//
// While any ddl_command_end (or sql_drop, table_rewrite) event trigger
// exists, PostgreSQL collects every DDL statement's commands for
// pg_event_trigger_ddl_commands(): a copy of the parse tree per command
// (EventTriggerCollectSimpleCommand, EventTriggerAlterTableStart and one per
// ALTER TABLE sub-command), about 5,000 instructions a statement of a
// migration. Our own ddl_command_end trigger is what makes it collect, and
// with the DDL log off it reads them only for statements that may leave a
// table for the commit check or create a non-relation object
// (ddl_commands_matter()); for the others (CREATE TABLE, CREATE INDEX,
// COMMENT, an ALTER TABLE that adds a plain column or a CHECK) the copies
// are thrown away unread. At such a statement's ddl_command_start the
// collection is inhibited (EventTriggerInhibitCommandCollection(), PostgreSQL's
// own switch, which REFRESH MATERIALIZED VIEW uses for its inner commands),
// exactly when nothing else could read them:
//   - every enabled ddl_command_start, ddl_command_end, sql_drop and
//     table_rewrite event trigger in the database is one of ours (any other
//     function may call pg_event_trigger_ddl_commands()), and
//   - our ddl_command_end trigger is among them: PostgreSQL then began a
//     collection state for this very statement (EventTriggerBeginCompleteQuery
//     sees the same trigger cache), so the switch never touches an
//     enclosing statement's collection;
//   - the guard is on, and the DDL log is off (its ddl_command_end reads
//     nothing then: src/entry/commit_check.cpp), or the log is on and the
//     statement is one whose single object's identity the log takes from
//     the parse tree (single_ddl_command_from_tree(): a named CREATE INDEX,
//     COMMENT, an ALTER TABLE adding a plain column or a CHECK) or notes
//     as a CREATE TABLE creates its relations (ddl_log_created_can_note()).
// The switch belongs to the statement's own collection state, which
// PostgreSQL frees when the statement ends; a nested statement gets a state
// of its own and is decided at its own ddl_command_start.
#include <cstdint>

#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/ddl_commands.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/settings.hpp"

extern "C" {
#include "access/htup_details.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "commands/event_trigger.h"
#include "commands/extension.h"
#include "utils/builtins.h"
#include "utils/evtcache.h"
#include "utils/inval.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

namespace {

// Event trigger functions already classified (ours or not), forgotten at
// every pg_proc invalidation: a function's OID cannot come to mean another
// function without one.
constexpr int max_known = 16;
struct Known {
    Oid fnoid;
    bool ours;
};
Known known[max_known];
int known_count = 0;
bool callback_registered = false;

// Whether the collection may be inhibited as far as the database's event
// triggers go (the test of only_ours() over the four events), kept until a
// pg_event_trigger or pg_proc invalidation, the ones that can change it (the
// event trigger cache itself is rebuilt at the first). Deciding it afresh
// walked four cache lists at every DDL statement.
enum class Verdict : std::uint8_t { unknown, inhibit, keep };
Verdict verdict = Verdict::unknown;
std::uint64_t invalidations = 0;  // counts the resets, so a verdict raced by one is not kept

void forget_known(Datum, int, uint32) {
    known_count = 0;
    verdict = Verdict::unknown;
    ++invalidations;
}

void forget_verdict(Datum, int, uint32) {
    verdict = Verdict::unknown;
    ++invalidations;
}

void register_callbacks() {
    if (callback_registered)
        return;
    CacheRegisterSyscacheCallback(PROCOID, forget_known, (Datum)0);
    CacheRegisterSyscacheCallback(EVENTTRIGGEROID, forget_verdict, (Datum)0);
    callback_registered = true;
}

// Whether the function is one of the extension's event trigger functions:
// a C function whose symbol is one of theirs (only a superuser can declare
// a C function, and this symbol is our code whatever the declaration).
bool classify(Oid fnoid) {
    HeapTuple tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fnoid));
    if (!HeapTupleIsValid(tup))
        return false;
    bool ours = false;
    if (reinterpret_cast<Form_pg_proc>(GETSTRUCT(tup))->prolang == ClanguageId) {
        bool isnull;
        Datum src = SysCacheGetAttr(PROCOID, tup, Anum_pg_proc_prosrc, &isnull);
        if (!isnull) {
            char* s = TextDatumGetCString(src);
            ours = strcmp(s, "schema_oracle_guard_ddl_command_start") == 0 ||
                   strcmp(s, "schema_oracle_guard_ddl_command_end") == 0 ||
                   strcmp(s, "schema_oracle_guard_table_rewrite") == 0;
            pfree(s);
        }
    }
    ReleaseSysCache(tup);
    return ours;
}

bool is_ours(Oid fnoid) {
    for (int i = 0; i < known_count; ++i)
        if (known[i].fnoid == fnoid)
            return known[i].ours;
    register_callbacks();
    const bool ours = classify(fnoid);
    if (known_count < max_known)
        known[known_count++] = Known{fnoid, ours};
    return ours;
}

// Whether every enabled trigger of the event runs one of our functions;
// *any_ours says whether one does.
bool only_ours(EventTriggerEvent event, bool* any_ours) {
    *any_ours = false;
    // The functions first: is_ours() may read pg_proc, which processes
    // invalidations, and those may free the event trigger cache that
    // EventCacheLookup()'s list lives in (PostgreSQL's own walk of it reads
    // no catalog for that reason).
    List* functions = NIL;
    ListCell* lc;
    foreach (lc, EventCacheLookup(event))
        functions = lappend_oid(functions, static_cast<EventTriggerCacheItem*>(lfirst(lc))->fnoid);
    foreach (lc, functions) {
        if (!is_ours(lfirst_oid(lc)))
            return false;
        *any_ours = true;
    }
    return true;
}

// Which running statements had their collection switched off by us: bit d
// for the statement at running depth d (ddl_log_running_depth(): 0 for a
// statement that loaded the library itself; deeper than 63 is not kept).
// PostgreSQL gives a statement nested in one of them (DDL that a function
// of its CHECK, DEFAULT or index expression runs) a collection state of its
// own, but copies the switch into it (EventTriggerBeginCompleteQuery): a
// nested statement whose commands are read must have it turned back on. A
// statement starting at depth d means that every one noted at d or deeper
// is over.
std::uint64_t switched_off = 0;

// The statement starting at `depth`: whether an enclosing statement of ours
// is switched off; forgets the ones that are over.
bool enclosing_switched_off(int depth) {
    if (depth < 64)
        switched_off &= (std::uint64_t{1} << depth) - 1;
    return switched_off != 0;
}

// The statement starting now needs its commands collected.
void collection_needed() {
    if (enclosing_switched_off(ddl_log_running_depth()))
        EventTriggerUndoInhibitCommandCollection();  // only this statement's own state
}

void decide(CommandTag tag, Node* parsetree);

}  // namespace

void commit_check_skip_unread_collection(CommandTag tag, Node* parsetree) {
    if (parsetree == nullptr)
        return;
    decide(tag, parsetree);
}

void commit_check_forget_collection_switches() {
    switched_off = 0;
}

namespace {

// Returns, leaving the collection on, for a statement whose commands are
// read; switches it off (and notes it) for one whose are not.
void decide(CommandTag tag, Node* parsetree) {
    if (creating_extension || settings::guard_mode() == core::GuardMode::off)
        return collection_needed();
    if (settings::ddl_log() == settings::DdlLog::off) {
        // What ddl_command_end reads with the log off: the commands of a
        // statement they matter for, and never a CREATE TABLE's (its table is
        // noted from the tree, commit_check_note_created_table()).
        if (ddl_commands_matter(tag, parsetree) && !IsA(parsetree, CreateStmt))
            return collection_needed();
    } else if (IsA(parsetree, CreateStmt) ? !ddl_log_created_can_note(parsetree)
                                          : ddl_commands_matter(tag, parsetree) ||
                                                !single_ddl_command_from_tree(parsetree)) {
        // With the log on, ddl_command_end reads the commands of every
        // statement it keeps a row for, but those whose one object's
        // identity comes from the tree (a named CREATE INDEX, COMMENT, an
        // ALTER TABLE whose sub-commands run no statement of their own:
        // single_ddl_command_identity(), src/pg/ddl_identity.cpp) and a
        // CREATE TABLE whose relations the log notes as they are created
        // (src/pg/ddl_log_created.cpp; its table the commit check notes
        // from the tree) when nothing else reads them.
        return collection_needed();
    }
    if (verdict == Verdict::unknown) {
        register_callbacks();  // before the lookups: an invalidation they process counts
        const std::uint64_t seen = invalidations;
        bool ours_end = false, ours_other = false;
        const bool inhibit = only_ours(EVT_DDLCommandEnd, &ours_end) && ours_end &&
                             only_ours(EVT_DDLCommandStart, &ours_other) &&
                             only_ours(EVT_SQLDrop, &ours_other) &&
                             only_ours(EVT_TableRewrite, &ours_other);
        // An invalidation processed by the lookups themselves (is_ours()
        // reads pg_proc) may have changed the lists: decided again next time.
        if (invalidations == seen)
            verdict = inhibit ? Verdict::inhibit : Verdict::keep;
        if (!inhibit)
            return collection_needed();
    } else if (verdict == Verdict::keep) {
        return collection_needed();
    }
    EventTriggerInhibitCommandCollection();
    const int depth = ddl_log_running_depth();
    (void)enclosing_switched_off(depth);  // forgets the statements that are over
    if (depth < 64)
        switched_off |= std::uint64_t{1} << depth;
    if (IsA(parsetree, CreateStmt))
        ddl_log_created_collection_off(parsetree);
}

}  // namespace

}  // namespace schema_oracle::pg
