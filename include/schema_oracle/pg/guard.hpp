// guard.hpp (pg): the live DDL guard's PostgreSQL side.
//
// Settings are read through pg/settings.hpp; the table of statement kinds
// (src/pg/statement_kinds.cpp), fact extraction from raw parse trees and the
// catalog (src/pg/extract/, one file per statement family), and the judging
// flow shared by the event triggers and the ProcessUtility hook
// (src/pg/guard.cpp).
#pragma once

#include "schema_oracle/core/facts.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/pg/postgres.hpp"
#include "schema_oracle/pg/settings.hpp"

extern "C" {
#include "nodes/nodes.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
#include "storage/lockdefs.h"
}

namespace schema_oracle::pg {

// --- fact extraction ------------------------------------------------------
// A growable, palloc'd array of actions for one statement.
struct ActionList {
    core::ActionFacts* items;
    int count;
    int capacity;
};

// Whether a statement of this node tag may be judged at all: a cheap test
// made before any catalog access.
bool guard_tag_is_judged(NodeTag tag);

// Whether the ProcessUtility hook judges this statement (one PostgreSQL 15
// runs without firing event triggers: TRUNCATE, VACUUM FULL, CLUSTER,
// REINDEX). No statement is judged by both the hook and the event trigger.
bool guard_judged_by_utility_hook(Node* stmt);

// Whether a statement certainly yields no finding (DDL on a table created
// in this transaction, or on a table below the size threshold when only
// size-dependent rules apply), decided with lookups that raise no error, so
// the guard can skip it without a subtransaction. If it is skipped but
// takes ACCESS EXCLUSIVE on an existing table, that table's qualified name
// (palloc'd) and OID are returned in `ae_table` / `ae_relid` when `want_ae`
// (for statement_after_access_exclusive); else ae_table is empty.
bool guard_statement_is_trivial(Node* stmt, bool want_ae, core::Text* ae_table, Oid* ae_relid);

// Fills `out` with the actions of one raw statement. C-style: may ereport;
// run it inside a subtransaction (see guard.cpp). `out` is zeroed first.
void guard_extract(Node* stmt, ActionList* out);

// Facts of a relation by OID (for the table_rewrite event).
void guard_table_facts(Oid relid, core::TableFacts* out);

// Whether relid is a partition or inheritance child, at any depth, of one of
// the `count` relations given (the table_rewrite backstop: a descendant's
// rewrite was judged with its ancestor's). C-style: may ereport.
bool guard_descends_from_any(Oid relid, const Oid* ancestors, int count);

// The primary key's key columns of `relid`, quoted, in index order, into a
// palloc'd *key; 0 (and *key nullptr) when it has none or one is an
// expression. For large_dml_in_migration's batched DELETE of a partitioned
// table (src/pg/large_dml.cpp, and check()'s src/pg/check_dml.cpp).
// C-style: may ereport.
int quoted_primary_key(Oid relid, char*** key);

// --- check() seam: the catalog as a migration file's earlier statements
// leave it (src/pg/check*.cpp). nullptr for the live guard. Where the
// extractor resolves a relation name, asks which locks the transaction
// holds, whether lock_timeout is set, or reads a column, it asks this
// instead of the catalog and the backend's own state.
struct GuardColumn {
    Oid type;
    int32 typmod;
    Oid collation;
    AttrNumber attnum;  // a column the file added has a number past the table's own
    bool not_null;
    bool from_file;  // added by the file: not in the relation PostgreSQL can analyse
};
struct GuardOverlay {
    // The catalog relation the name denotes once the file's earlier
    // statements ran; InvalidOid for a relation the file created (the
    // adapter judges those itself), dropped or renamed away, or none.
    Oid (*resolve)(RangeVar* rv);
    // The strongest lock >= mode the file's transaction holds on relid, or NoLock.
    LOCKMODE (*held_at_least)(Oid relid, LOCKMODE mode);
    // 1: the file added the column (filled in); 0: the file dropped it;
    // -1: the file says nothing (read the catalog).
    int (*column)(Oid relid, const char* name, GuardColumn* out);
    // A relation the file created (resolve() gave InvalidOid): its
    // qualified, quoted name (palloc'd); "" when the file did not create it.
    core::Text (*file_relation)(RangeVar* rv);
    bool lock_timeout_set;  // lock_timeout is set where the statement runs
    // Whether an earlier statement of the file named or locked the catalog
    // relation relid (altered it, indexed it, attached to or detached from
    // it, referenced it): its constraints, indexes, triggers, partitions and
    // dependents in the catalog may no longer be the file's, so the
    // refusals that read them do not apply (src/upstream/*refusals.cpp).
    bool (*changed)(Oid relid);
    // Whether the session's role is the one the statement runs as: true for
    // the shadow of the live guard (test/cluster/check_shadow.sh), false for
    // check() itself, which does not know the role that will run the file,
    // so ownership and privilege refusals are not judged there.
    bool session_role;
    // Whether an earlier statement of the file changed an object the
    // overlay does not follow (a function, type, operator, cast, access
    // method; a DO block): the refusals that read those from the catalog
    // are then not certain (refusal_helpers.hpp live_catalog_only).
    bool outside_relations_changed;
};
extern const GuardOverlay* guard_overlay;

// A column as the file leaves it, else as the catalog has it (dropped
// columns are not found).
bool guard_column(Oid relid, const char* name, GuardColumn* out);

// lock_timeout > 0 where the statement runs (the file's, under check()).
bool guard_lock_timeout_set();

// --- judging --------------------------------------------------------------

// Judges one statement and reports: NOTICE/WARNING for findings, ERROR
// SO001 for a blocked one. Never throws; an internal failure becomes a
// WARNING (or ERROR SO001 under fail_closed).
void guard_judge_statement(Node* stmt);

// The relations a statement names and waits to lock
// (src/pg/lock_identity.cpp): which ones, and what each name denotes now
// (error-free lookups), before the statement is judged. False when the
// statement names none (or runs under check()'s overlay).
struct LockTarget;
struct GuardBinding {
    LockTarget* targets;  // palloc'd, `count` of them
    Oid* judged;          // what each name denoted when judged
    int count;
};
bool guard_statement_targets(Node* stmt, GuardBinding* out);
// Takes the locks PostgreSQL takes next for the statement, in its order and
// modes, waiting as it would, and says whether a name now denotes another
// relation than the one judged (then the statement must be judged again;
// the locks keep every name bound). May raise (lock_timeout, cancel), as
// the statement would a moment later.
bool guard_lock_statement_targets(const GuardBinding* binding);
// Whether the statement adds no time to a lock the transaction already
// holds (statement_after_access_exclusive): it only changes the catalog,
// and every relation it names was created in this transaction (no other
// session can hold a lock on it) or is already locked by it in the mode
// it needs, so it cannot wait and ends at once. Error-free lookups.
bool guard_statement_adds_no_lock_time(Node* stmt);

// An extractor could not read a fact of `relid` because another session
// holds a lock on it (it never waits): the statement is judged again once
// its own locks are granted (a sequence's last value under ALTER SEQUENCE's
// lock). `statement_lock`: the lock the statement itself takes on `relid`
// later, beyond the names it locks first (ALTER TABLE ... ALTER COLUMN ...
// RESTART locks the identity sequence after the table): the guard waits for
// it, as the statement would, before judging again; NoLock: none.
void guard_note_fact_locked(Oid relid, LOCKMODE statement_lock);

// The table_rewrite backstop. Never throws; like guard_judge_statement, an
// internal failure becomes a WARNING (or ERROR SO001 under fail_closed).
void guard_judge_rewrite(Oid relid, int reason);

// schema_oracle.allow(rule, reason).
void guard_allow(const char* rule, const char* reason);

// Whether the guard is on in this backend (setting, not creating an
// extension, not already inside the guard).
bool guard_active();

// Raises an ERROR if a utility statement arrives while the guard analyses
// another one (only code the user wrote could issue it): it is never run
// unjudged. Called by the ProcessUtility hook for every utility statement
// and by guard_judge_statement.
void guard_refuse_during_analysis(Node* stmt);

// The reason of the waiver of `rule` in force in this (sub)transaction, or
// NULL. Raises nothing. (Used by the commit check, src/pg/commit_check.cpp.)
const char* guard_waiver_reason(const char* rule);

// Test-only: 0 none, 1 an ERROR while gathering facts, 2 a C++ exception
// while deciding, 3 an ERROR while gathering a table rewrite's facts, 4 a
// call of user code and 5 a CREATE TABLE while gathering facts
// (schema_oracle_test.guard_fault()).
void guard_set_fault_injection(int kind);

// Whether an ACCESS EXCLUSIVE lock taken by an earlier statement of this
// transaction waits to be reported (statement_after_access_exclusive): the
// ExecutorStart hook's cheap test (src/pg/executor_hook.cpp).
bool guard_access_exclusive_pending();

// Registers the transaction callback (from _PG_init).
void init_guard_state();

// Whether a utility statement's option list (VACUUM (FULL), REINDEX
// (CONCURRENTLY)) sets `name` to true.
bool guard_option_true(List* options, const char* name);

}  // namespace schema_oracle::pg
