// commit_check.cpp: judging a migration as a whole when it commits.
//
// Noting (cheap, per DDL statement): the ddl_command_end event trigger
// passes the statement's pg_event_trigger_ddl_commands() rows, the
// ddl_command_start trigger passes DROP INDEX / DROP TRIGGER statements;
// each touched table (an index's or trigger's table, a partition's root) is
// appended to an array in TopTransactionContext with the subtransaction
// that noted it, so ROLLBACK TO SAVEPOINT forgets what it undid. POD only:
// safe across longjmps, and forgotten (not freed) at transaction end, when
// TopTransactionContext goes away.
//
// Judging (XACT_EVENT_PRE_COMMIT / PRE_PREPARE, only if something was
// noted): the tables' catalog rows are read inside an internal
// subtransaction (we are still in the transaction: catalog reads are safe,
// and an ERROR in our reading is survived), report()'s rules run in the
// pure core, and the findings are reported with the guard's policy and
// waivers. A blocking finding raises ERROR SO001 from the callback, which
// fails the COMMIT and rolls everything back, the way a deferred constraint
// trigger does.
#include <array>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "schema_oracle/core/commit_rules.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/commit_check.hpp"
#include "schema_oracle/pg/ddl_log.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/subxact_owned.hpp"
#include "schema_oracle/pg/text.hpp"
#include "statement_kinds.hpp"

extern "C" {
#include "catalog/objectaddress.h"
#include "access/xact.h"
#include "catalog/catalog.h"
#include "catalog/index.h"
#include "catalog/namespace.h"
#include "catalog/partition.h"
#include "access/genam.h"
#include "access/relscan.h"
#include "access/stratnum.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_language.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "commands/extension.h"
#include "miscadmin.h"
#include "storage/proc.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "common/hashfn.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

namespace {

struct Noted {
    Oid relid;
    SubTransactionId subid;
    bool created;  // CREATE TABLE in this transaction
};

Noted* noted = nullptr;  // in TopTransactionContext
SubTransactionId newest_noted_subid = InvalidSubTransactionId;
int noted_count = 0;
int noted_cap = 0;
bool checking = false;
bool callbacks_registered = false;

bool noting_active() {
    return settings::commit_checks() && settings::guard_mode() != core::GuardMode::off &&
           !creating_extension && IsTransactionState();
}

// The table a relation stands for: a table itself, an index's table; a
// partition's topmost parent (partitioned tables are judged once, there).
// InvalidOid for everything else (views, sequences, temporary and system
// tables).
Oid judged_table(Oid relid) {
    char kind = get_rel_relkind(relid);
    if (kind == RELKIND_INDEX || kind == RELKIND_PARTITIONED_INDEX) {
        relid = IndexGetRelation(relid, true);
        if (!OidIsValid(relid))
            return InvalidOid;
        kind = get_rel_relkind(relid);
    }
    if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
        return InvalidOid;
    if (get_rel_persistence(relid) == RELPERSISTENCE_TEMP)
        return InvalidOid;
    if (IsCatalogNamespace(get_rel_namespace(relid)))
        return InvalidOid;
    if (get_rel_relispartition(relid)) {
        List* ancestors = get_partition_ancestors(relid);
        if (ancestors != NIL)
            relid = llast_oid(ancestors);
    }
    return relid;
}

void note(Oid relid, bool created) {
    relid = judged_table(relid);
    if (!OidIsValid(relid))
        return;
    const SubTransactionId subid = GetCurrentSubTransactionId();
    for (int i = noted_count - 1; i >= 0; --i)
        if (noted[i].relid == relid && noted[i].subid == subid) {
            noted[i].created = noted[i].created || created;
            return;
        }
    if (noted_count == noted_cap) {
        noted_cap = noted_cap ? noted_cap * 2 : 32;
        noted = static_cast<Noted*>(
            noted ? repalloc(noted, sizeof(Noted) * noted_cap)
                  : MemoryContextAlloc(TopTransactionContext, sizeof(Noted) * noted_cap));
    }
    noted[noted_count++] = Noted{relid, subid, created};
    if (subid > newest_noted_subid)
        newest_noted_subid = subid;
}

Oid trigger_table(Oid trigger) {
    // No syscache on pg_trigger's OID: PostgreSQL's own lookup scans its
    // OID index (and returns a copy).
    Relation rel = table_open(TriggerRelationId, AccessShareLock);
    HeapTuple tup = get_catalog_object_by_oid(rel, Anum_pg_trigger_oid, trigger);
    table_close(rel, AccessShareLock);
    return HeapTupleIsValid(tup) ? reinterpret_cast<Form_pg_trigger>(GETSTRUCT(tup))->tgrelid
                                 : InvalidOid;
}

Oid constraint_table(Oid constraint) {
    HeapTuple tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(constraint));
    if (!HeapTupleIsValid(tup))
        return InvalidOid;
    Oid table = reinterpret_cast<Form_pg_constraint>(GETSTRUCT(tup))->conrelid;
    ReleaseSysCache(tup);
    return table;
}

// --- judging at commit ------------------------------------------------------

struct Emit {
    int elevel;  // NOTICE, WARNING or ERROR
    const char* rule;
    const char* reason;  // waiver reason, or NULL
    char* message;
    char* detail;
    char* hint;
};

struct Verdicts {
    Emit* items;
    int count;
    bool prepare;              // PREPARE TRANSACTION rather than COMMIT
    char internal_error[512];  // "" = none
    ErrorData* unrecoverable;  // a cancel: re-raised
};

struct Gathered {
    RawCatalog* raw;
    bool has_set_updated_at;
    char* moddatetime;  // qualified name or NULL
};

// Whether a function of that name exists in a schema (any signature), and
// its schema's name for the first one (C land).
char* find_function(const char* name, const char* in_schema, bool want_c) {
    CatCList* list = SearchSysCacheList1(PROCNAMEARGSNSP, CStringGetDatum(name));
    char* found = nullptr;
    for (int i = 0; i < list->n_members && found == nullptr; ++i) {
        auto* p = reinterpret_cast<Form_pg_proc>(GETSTRUCT(&list->members[i]->tuple));
        if (want_c && p->prolang != ClanguageId)
            continue;
        char* nsp = get_namespace_name(p->pronamespace);
        if (nsp == nullptr)
            continue;
        if (in_schema != nullptr && strcmp(nsp, in_schema) != 0)
            continue;
        found = psprintf("%s.%s", quote_identifier(nsp), quote_identifier(name));
    }
    ReleaseSysCacheList(list);
    return found;
}

// Whether a judged table has a column the updated_at rule looks after: only
// then can its fix need the trigger functions (two catalog list lookups,
// about 5,000 instructions, at every autocommit CREATE TABLE otherwise).
bool has_maintained_column(const RawCatalog* raw) {
    for (int i = 0; i < raw->attributes.n; ++i)
        if (core::is_maintained_column_name(raw->attributes.items[i].name))
            return true;
    return false;
}

void gather(const Oid* tables, int n, bool name_prefixes, Gathered* out) {
    out->raw = read_commit_catalog(tables, n, name_prefixes);
    if (!has_maintained_column(out->raw))
        return;
    out->has_set_updated_at = find_function("set_updated_at", "schema_oracle", false) != nullptr;
    out->moddatetime = find_function("moddatetime", nullptr, true);
}

// A generated index name and whether a relation already has it (C land).
struct NameProbe {
    Oid nsp;
    char* name;
    bool taken;
};

// One scan of pg_class's (relname, relnamespace) index, restarted for each
// name: a syscache lookup per name (the names are new, so each missed)
// opened the catalog, began and ended a scan and left a negative cache
// entry, about 14,000 instructions a name, where a restart costs a fraction.
// The same rows either way: the catalog snapshot, the index, name equality.
void probe_names(NameProbe* probes, int n) {
    if (n <= 1) {
        for (int i = 0; i < n; ++i)
            probes[i].taken = OidIsValid(get_relname_relid(probes[i].name, probes[i].nsp));
        return;
    }
    Relation rel = table_open(RelationRelationId, AccessShareLock);
    NameData name;
    namestrcpy(&name, probes[0].name);
    ScanKeyData keys[2];
    ScanKeyInit(&keys[0], Anum_pg_class_relname, BTEqualStrategyNumber, F_NAMEEQ,
                NameGetDatum(&name));
    ScanKeyInit(&keys[1], Anum_pg_class_relnamespace, BTEqualStrategyNumber, F_OIDEQ,
                ObjectIdGetDatum(probes[0].nsp));
    SysScanDesc scan = systable_beginscan(rel, ClassNameNspIndexId, true, nullptr, 2, keys);
    for (int i = 0; i < n; ++i) {
        if (i > 0 && scan->iscan == nullptr) {
            // Without the index (ignore_system_indexes): the syscache.
            probes[i].taken = OidIsValid(get_relname_relid(probes[i].name, probes[i].nsp));
            continue;
        }
        if (i > 0) {
            // systable_beginscan numbered the keys by index column: as here.
            namestrcpy(&name, probes[i].name);
            ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_NAMEEQ, NameGetDatum(&name));
            ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_OIDEQ,
                        ObjectIdGetDatum(probes[i].nsp));
            index_rescan(scan->iscan, keys, 2, nullptr, 0);
        }
        probes[i].taken = systable_getnext(scan) != nullptr;
    }
    systable_endscan(scan);
    table_close(rel, AccessShareLock);
}

// The rules, with every index name a fix generates free in pg_class, as
// PostgreSQL's ChooseRelationName makes it. The model holds only the judged
// tables, so the names the fixes chose are confirmed against the catalog
// (one pg_class name-index scan restarted per name, the lookup
// ChooseRelationName itself makes);
// when one is taken, every name a fix for these tables could take is read
// (the names in their schemas that start with a table's name) and the
// tables are judged again, and again with any further name found taken,
// until every chosen name is free. Reading those names up front instead
// was a catalog range scan per table (about 40,000 instructions each) at
// every commit, for a collision that is rare.
std::vector<core::CommitFinding> judge_with_free_names(const Oid* tables, int n,
                                                       std::unique_ptr<core::CatalogModel>& model,
                                                       const core::CommitScope& scope) {
    std::vector<std::pair<Oid, std::string>> generated;
    bool prefixes_read = false;
    for (;;) {
        generated.clear();
        model->generated_names = &generated;
        std::vector<core::CommitFinding> findings = core::judge_at_commit(*model, scope);
        model->generated_names = nullptr;
        if (generated.empty())
            return findings;
        const int k = static_cast<int>(generated.size());
        auto* probes = static_cast<NameProbe*>(alloc_or_throw(sizeof(NameProbe) * k));
        for (int i = 0; i < k; ++i)
            probes[i] = NameProbe{generated[i].first, to_cstring(generated[i].second), false};
        pg_call_recoverable([&]() noexcept { probe_names(probes, k); });
        bool any_taken = false;
        for (int i = 0; i < k && !any_taken; ++i) any_taken = probes[i].taken;
        if (!any_taken)
            return findings;
        if (!prefixes_read) {
            prefixes_read = true;
            Gathered g = {nullptr, false, nullptr};
            pg_call_recoverable([&]() noexcept { gather(tables, n, true, &g); });
            model = std::make_unique<core::CatalogModel>();
            build_model(*g.raw, *model);
        }
        // Names outside the prefixes (a table name cut shorter to fit a
        // long column list): kept by name, so no later round chooses them.
        for (int i = 0; i < k; ++i)
            if (probes[i].taken)
                model->other_relation_names.emplace_back(probes[i].nsp, probes[i].name);
    }
}

// The commit rules' catalog entries, looked up once: the catalog is static
// for the life of the process, and a lookup per rule and finding at every
// commit cost about 5,000 instructions an autocommit CREATE TABLE. Kept
// only once all four were found (find_rule() says nullptr when building
// the catalog ran out of memory: looked up again next time).
std::array<const core::RuleInfo*, 4> commit_rules() {
    static std::array<const core::RuleInfo*, 4> infos = {};
    static bool complete = false;
    if (!complete) {
        infos = {core::find_rule("fk_missing_index"), core::find_rule("missing_audit_columns"),
                 core::find_rule("missing_primary_key"), core::find_rule("updated_at_no_trigger")};
        complete = infos[0] && infos[1] && infos[2] && infos[3];
    }
    return infos;
}

// C++: the catalog read (protected), the rules and the policy. Only POD
// leaves this function; errors come back in `v`.
void judge(const Oid* tables, int n, const bool* created, Verdicts* v) noexcept {
    v->items = nullptr;
    v->count = 0;
    v->internal_error[0] = '\0';
    v->unrecoverable = nullptr;
    try {
        // A rule at level off is not judged: its findings would be dropped
        // below. With none left, nothing is read.
        const core::RuleLevelTable* overrides = settings::rule_levels();  // parsed at SET
        std::vector<std::string_view> wanted;
        for (const core::RuleInfo* rule : commit_rules()) {
            if (rule != nullptr &&
                core::effective_level(*rule, settings::guard_mode(), overrides) != core::Level::off)
                wanted.push_back(rule->id);
        }
        if (wanted.empty())
            return;
        Gathered g = {nullptr, false, nullptr};
        pg_call_recoverable([&]() noexcept { gather(tables, n, false, &g); });
        auto model = std::make_unique<core::CatalogModel>();
        build_model(*g.raw, *model);
        core::CommitScope scope;
        for (int i = 0; i < n; ++i) {
            scope.tables.insert(tables[i]);
            if (created[i])
                scope.created.insert(tables[i]);
        }
        scope.rules = wanted;
        scope.has_set_updated_at = g.has_set_updated_at;
        if (g.moddatetime)
            scope.moddatetime = g.moddatetime;
        std::vector<core::CommitFinding> findings = judge_with_free_names(tables, n, model, scope);
        if (findings.empty())
            return;

        auto* items = static_cast<Emit*>(alloc_or_throw(sizeof(Emit) * findings.size()));
        int k = 0;
        for (const core::CommitFinding& f : findings) {
            const core::RuleInfo* rule = nullptr;
            for (const core::RuleInfo* r : commit_rules())
                if (r != nullptr && r->id == f.rule)
                    rule = r;
            if (rule == nullptr)
                continue;
            core::Level level = core::effective_level(*rule, settings::guard_mode(), overrides);
            if (level == core::Level::off)
                continue;
            Emit& e = items[k++];
            e.rule = rule->id.data();  // static, NUL-terminated string literal
            e.reason = guard_waiver_reason(e.rule);
            e.elevel = e.reason != nullptr            ? NOTICE
                       : level == core::Level::notice ? NOTICE
                       : level == core::Level::warn   ? WARNING
                                                      : ERROR;
            e.message = to_cstring(f.message);
            e.detail = to_cstring(f.detail);
            e.hint = to_cstring(e.elevel == ERROR ? f.fix_before : f.fix_after);
        }
        v->items = items;
        v->count = k;
    } catch (const PgUnrecoverable& e) {
        v->unrecoverable = e.data();
    } catch (const PgError& e) {
        strlcpy(v->internal_error, e.what(), sizeof v->internal_error);
    } catch (const std::exception& e) {
        strlcpy(v->internal_error, e.what(), sizeof v->internal_error);
    } catch (...) {
        strlcpy(v->internal_error, "unknown C++ exception", sizeof v->internal_error);
    }
}

// Non-blocking findings already reported in this session (hashes of their
// messages): an autocommit migration judges a table at every ALTER of it,
// and would otherwise hear the same warning after each statement.
constexpr int max_said = 4096;
constexpr uint32 said_slots = 2 * max_said;  // open addressing, half full at most
uint32 said[said_slots];                     // 0 = empty
bool said_zero = false;                      // the hash 0, which marks an empty slot
int said_count = 0;

// A hash set rather than a list: a migration of one transaction says two
// findings per new table, and searching every earlier one was quadratic.
bool said_before(const char* message, const char* detail) {
    uint32 h = hash_combine(hash_bytes(reinterpret_cast<const unsigned char*>(message),
                                       static_cast<int>(strlen(message))),
                            hash_bytes(reinterpret_cast<const unsigned char*>(detail),
                                       static_cast<int>(strlen(detail))));
    if (h == 0) {
        if (said_zero)
            return true;
        if (said_count < max_said) {
            said_zero = true;
            ++said_count;
        }
        return false;
    }
    uint32 at = h & (said_slots - 1);
    while (said[at] != 0) {
        if (said[at] == h)
            return true;
        at = (at + 1) & (said_slots - 1);
    }
    if (said_count < max_said) {
        said[at] = h;
        ++said_count;
    }
    return false;
}

// C land: tell the client (non-blocking findings first, then one ERROR).
void report(const Verdicts* v) {
    if (v->unrecoverable != nullptr)
        ReThrowError(v->unrecoverable);
    if (v->internal_error[0] != '\0') {
        if (settings::fail_closed())
            ereport(ERROR, (errcode(MAKE_SQLSTATE('S', 'O', '0', '0', '1')),
                            errmsg("schema_oracle: internal error in the commit check; "
                                   "COMMIT blocked"),
                            errdetail("%s", v->internal_error),
                            settings::fail_closed_setting() == settings::FailClosed::on
                                ? errhint("schema_oracle.fail_closed is on. Set it to off to let "
                                          "transactions commit when the guard fails.")
                                : errhint("schema_oracle.fail_closed is auto: where the guard "
                                          "blocks, a commit it cannot check is blocked too. Set "
                                          "it to off to let transactions commit when the guard "
                                          "fails.")));
        ereport(WARNING, (errmsg("schema_oracle: internal error in the commit check; COMMIT "
                                 "allowed"),
                          errdetail("%s", v->internal_error)));
        return;
    }
    const Emit* block = nullptr;
    if (v->count > 0)
        ddl_log_begin_commit(v->prepare);
    for (int i = 0; i < v->count; ++i) {
        const Emit& e = v->items[i];
        ddl_log_note_finding(e.rule, e.elevel, e.reason, e.message, e.detail, e.hint);
        if (e.elevel == ERROR) {
            if (block == nullptr)
                block = &e;
            continue;
        }
        if (said_before(e.message, e.detail))
            continue;
        if (e.reason != nullptr)
            ereport(NOTICE, (errmsg_internal("%s", e.message),
                             errdetail("Waived for this transaction by schema_oracle.allow(): %s",
                                       e.reason)));
        else
            ereport(e.elevel,
                    (errmsg_internal("%s", e.message),
                     e.detail[0] ? errdetail_internal("%s", e.detail) : 0, errhint("%s", e.hint)));
    }
    if (block != nullptr)
        ddl_log_blocking();
    if (block != nullptr)
        ereport(ERROR, (errcode(MAKE_SQLSTATE('S', 'O', '0', '0', '1')),
                        errmsg_internal("%s", block->message),
                        errdetail("%s%sThe COMMIT failed: the whole transaction is rolled back.",
                                  block->detail,
                                  block->detail[0] == '\0'                          ? ""
                                  : block->detail[strlen(block->detail) - 1] == '.' ? " "
                                                                                    : ". "),
                        errhint("%s", block->hint)));
}

// Whether the extension is still installed: it may have been dropped in
// this transaction after its tables were noted. Its log table standing in
// its schema says so in two syscache lookups (DROP EXTENSION drops the
// table); only when it is missing is pg_extension scanned (a catalog index
// scan, about 17,000 instructions at every commit of an autocommit
// migration's CREATE TABLE), so a log table taken out of the extension by
// a superuser still gets the exact answer.
bool extension_installed() {
    const Oid nsp = get_namespace_oid("schema_oracle", true);
    if (OidIsValid(nsp) && OidIsValid(get_relname_relid("ddl_log", nsp)))
        return true;
    return OidIsValid(get_extension_oid("schema_oracle", true));
}

void check_at_commit(bool prepare) {
    if (!settings::commit_checks() || settings::guard_mode() == core::GuardMode::off ||
        creating_extension)
        return;
    if (!extension_installed())
        return;  // dropped meanwhile
    // One entry per table (the same table may be noted by several
    // subtransactions); the copy lives in TopTransactionContext.
    MemoryContext old = MemoryContextSwitchTo(TopTransactionContext);
    Oid* tables = static_cast<Oid*>(palloc(sizeof(Oid) * noted_count));
    bool* created = static_cast<bool*>(palloc(sizeof(bool) * noted_count));
    int n = 0;
    for (int i = 0; i < noted_count; ++i) {
        int j = 0;
        while (j < n && tables[j] != noted[i].relid) ++j;
        if (j == n) {
            tables[n] = noted[i].relid;
            created[n++] = noted[i].created;
        } else {
            created[j] = created[j] || noted[i].created;
        }
    }
    // The transaction's last catalog changes become visible to our reads,
    // as at a statement boundary: a statement that commits inside itself
    // (DROP INDEX CONCURRENTLY marks the index invalid, then commits) has
    // had no command-counter increment since its last change.
    CommandCounterIncrement();
    Verdicts v;
    judge(tables, n, created, &v);
    v.prepare = prepare;
    MemoryContextSwitchTo(old);
    report(&v);
}

void on_xact_event(XactEvent event, void*) {
    switch (event) {
        case XACT_EVENT_PRE_COMMIT:
        case XACT_EVENT_PRE_PREPARE:
            if (checking)
                return;
            if (noted_count > 0) {
                checking = true;
                check_at_commit(event == XACT_EVENT_PRE_PREPARE);
                checking = false;
                noted_count = 0;
            }
            ddl_log_pre_commit();  // the DDL log's rows, in this transaction (or none: one test)
            return;
        case XACT_EVENT_ABORT:
            commit_check_forget_collection_switches();
            ddl_log_abort();  // rolled back: written by a background worker
            newest_noted_subid = InvalidSubTransactionId;
            noted = nullptr;
            noted_count = 0;
            noted_cap = 0;
            checking = false;
            return;
        case XACT_EVENT_COMMIT:
        case XACT_EVENT_PREPARE:
            ddl_log_committed();
            commit_check_forget_collection_switches();
            [[fallthrough]];
        case XACT_EVENT_PARALLEL_COMMIT:
        case XACT_EVENT_PARALLEL_ABORT:
            noted = nullptr;  // TopTransactionContext is reset: forget, never free
            newest_noted_subid = InvalidSubTransactionId;
            noted_count = 0;
            noted_cap = 0;
            checking = false;
            return;
        default:
            return;
    }
}

void on_subxact_event(SubXactEvent event, SubTransactionId mySubid, SubTransactionId parentSubid,
                      void*) noexcept {
    ddl_log_subxact(event, mySubid, parentSubid);
    // Subtransaction ids only grow within a transaction: one started after
    // the newest note owns none (the guard's own internal subtransactions).
    if (mySubid > newest_noted_subid)
        return;
    follow_subxact_end(event, mySubid, parentSubid, noted, &noted_count);
}

}  // namespace

// The local transaction that last ran DDL (any statement that fired
// ddl_command_start): large_dml_in_migration judges DML only in those.
LocalTransactionId ddl_lxid = InvalidLocalTransactionId;

bool commit_check_transaction_ran_ddl() {
    return ddl_lxid == MyProc->lxid;
}

// The local transaction that last ran CREATE EXTENSION, ALTER EXTENSION
// UPDATE or ALTER EXTENSION ADD / DROP: only then can a table this
// transaction created be an extension's member (read_commit_catalog()).
LocalTransactionId extension_ddl_lxid = InvalidLocalTransactionId;

bool commit_check_extension_ddl_ran() {
    return extension_ddl_lxid == MyProc->lxid;
}

void commit_check_note_drop(Node* parsetree) {
    if (parsetree != nullptr && settings::guard_mode() != core::GuardMode::off)
        ddl_lxid = MyProc->lxid;
    if (parsetree != nullptr &&
        (IsA(parsetree, CreateExtensionStmt) || IsA(parsetree, AlterExtensionStmt) ||
         IsA(parsetree, AlterExtensionContentsStmt)))
        extension_ddl_lxid = MyProc->lxid;
    if (parsetree == nullptr || !IsA(parsetree, DropStmt) || !noting_active())
        return;
    auto* drop = reinterpret_cast<DropStmt*>(parsetree);
    // DROP INDEX CONCURRENTLY (outside any transaction block) commits inside
    // the statement: its first internal commit, right after it marked the
    // index invalid, is the transaction noted here, so the check judges the
    // table without the index then. Blocking there fails that commit, which
    // rolls the mark back: the index stays as it was.
    if (drop->removeType != OBJECT_INDEX && drop->removeType != OBJECT_TRIGGER)
        return;
    ListCell* cell;
    foreach (cell, drop->objects) {
        List* names = static_cast<List*>(lfirst(cell));
        if (drop->removeType == OBJECT_TRIGGER) {
            if (list_length(names) < 2)
                continue;
            names = list_truncate(list_copy(names), list_length(names) - 1);
        }
        if (list_length(names) < 1 || list_length(names) > 3)
            continue;  // PostgreSQL says why
        RangeVar* rv = makeRangeVarFromNameList(names);
        // The same lookup DROP makes next, without a lock: it only chooses
        // which table to judge at commit.
        Oid relid = RangeVarGetRelid(rv, NoLock, true);
        if (OidIsValid(relid))
            note(relid, false);
    }
}

// Only statements that can introduce a finding note their tables: a new
// table, an ALTER TABLE (a foreign key, a column, a disabled trigger, a
// dropped constraint), a DROP INDEX / DROP TRIGGER (ddl_command_start). A
// CREATE INDEX, CREATE TRIGGER or COMMENT can only leave a table as good
// as it was, so it does not make the commit judge it.
bool may_introduce_finding(const char* tag) {
    return strcmp(tag, "CREATE TABLE") == 0 || strcmp(tag, "CREATE TABLE AS") == 0 ||
           strcmp(tag, "SELECT INTO") == 0 || strcmp(tag, "ALTER TABLE") == 0;
}

// The sub-command table's harmless_at_commit column (statement_kinds.cpp)
// for ADD CONSTRAINT: anything but a foreign key; for ADD COLUMN: a column
// the updated_at rule does not look after, with no foreign key.
bool harmless_add_constraint(const AlterTableCmd* cmd) {
    return cmd->def != nullptr && IsA(cmd->def, Constraint) &&
           reinterpret_cast<Constraint*>(cmd->def)->contype != CONSTR_FOREIGN;
}

bool harmless_add_column(const AlterTableCmd* cmd) {
    if (cmd->def == nullptr || !IsA(cmd->def, ColumnDef))
        return false;
    auto* def = reinterpret_cast<ColumnDef*>(cmd->def);
    if (def->colname == nullptr || core::is_maintained_column_name(def->colname))
        return false;
    ListCell* lc;
    foreach (lc, def->constraints) {
        Node* c = static_cast<Node*>(lfirst(lc));
        if (!IsA(c, Constraint) || reinterpret_cast<Constraint*>(c)->contype == CONSTR_FOREIGN)
            return false;
    }
    return true;
}

bool ddl_commands_matter(CommandTag tag, Node* parsetree) {
    // An ALTER TABLE of sub-commands that cannot introduce a commit finding
    // (the sub-command table's harmless_at_commit, statement_kinds.cpp).
    if (tag == CMDTAG_ALTER_TABLE && parsetree != nullptr && IsA(parsetree, AlterTableStmt)) {
        List* cmds = reinterpret_cast<AlterTableStmt*>(parsetree)->cmds;
        if (cmds != NIL && alter_subcommands_harmless_at_commit(cmds))
            return false;
    }
    switch (tag) {
        // Never a table created or altered, never an object other than a
        // relation created (a CREATE SCHEMA, by contrast, may hold CREATE
        // TABLEs, and the guard records the schema: read).
        case CMDTAG_CREATE_INDEX:
        case CMDTAG_ALTER_INDEX:
        case CMDTAG_COMMENT:
        case CMDTAG_CREATE_VIEW:
        case CMDTAG_CREATE_SEQUENCE:
        case CMDTAG_ALTER_SEQUENCE:
        case CMDTAG_GRANT:
        case CMDTAG_REVOKE:
            return false;
        default:
            return true;
    }
}

void commit_check_note_commands(const DdlCommand* commands, int n) {
    if (!noting_active())
        return;
    for (int i = 0; i < n; ++i) {
        const DdlCommand& c = commands[i];
        if (c.in_extension || !OidIsValid(c.objid) || !may_introduce_finding(c.command_tag))
            continue;
        if (c.classid == RelationRelationId) {
            const bool created = strcmp(c.command_tag, "CREATE TABLE") == 0 ||
                                 strcmp(c.command_tag, "CREATE TABLE AS") == 0 ||
                                 strcmp(c.command_tag, "SELECT INTO") == 0;
            char kind = get_rel_relkind(c.objid);
            note(c.objid,
                 created && (kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE));
        } else if (c.classid == TriggerRelationId) {
            Oid table = trigger_table(c.objid);
            if (OidIsValid(table))
                note(table, false);
        } else if (c.classid == ConstraintRelationId) {
            Oid table = constraint_table(c.objid);
            if (OidIsValid(table))
                note(table, false);
        }
    }
}

bool commit_check_note_created_table(Node* parsetree) {
    if (parsetree == nullptr || !IsA(parsetree, CreateStmt))
        return false;
    auto* stmt = reinterpret_cast<CreateStmt*>(parsetree);
    RangeVar* rv = stmt->relation;
    if (!noting_active() || rv == nullptr || rv->relpersistence == RELPERSISTENCE_TEMP)
        return true;  // temporary tables are never judged
    // The namespace PostgreSQL created it in (the search_path's creation
    // schema for an unqualified name, as DefineRelation chose it), not a
    // lookup along the search_path, where a temporary table of the same
    // name would come first.
    Oid relid = get_relname_relid(rv->relname, RangeVarGetCreationNamespace(rv));
    if (!OidIsValid(relid))
        return true;
    if (stmt->if_not_exists) {
        // IF NOT EXISTS over a table that was already there created
        // nothing (PostgreSQL then collects no command): only a table this
        // transaction created is noted.
        Relation rel = RelationIdGetRelation(relid);
        if (rel == nullptr)
            return true;
        const bool fresh = rel->rd_createSubid != InvalidSubTransactionId;
        RelationClose(rel);
        if (!fresh)
            return true;
    }
    const char kind = get_rel_relkind(relid);
    note(relid, kind == RELKIND_RELATION || kind == RELKIND_PARTITIONED_TABLE);
    return true;
}

void init_commit_check() {
    if (callbacks_registered)
        return;
    RegisterXactCallback(on_xact_event, nullptr);
    RegisterSubXactCallback(on_subxact_event, nullptr);
    callbacks_registered = true;
}

}  // namespace schema_oracle::pg
