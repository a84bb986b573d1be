// large_dml.cpp: large_dml_in_migration, judged from the ExecutorStart hook
// (src/pg/executor_hook.cpp): an UPDATE or DELETE in a transaction that also
// ran DDL, whose planner estimate of the rows it changes reaches
// schema_oracle.size_threshold, holds every one of those row locks (and the
// DDL's locks) until the migration commits. Facts come from the plan and
// the relcache (no catalog scan, no user code); the rule and the fix are in
// the core (core/dml_rules.hpp); the guard's policy and waivers apply.
#include <exception>
#include <string>

#include "schema_oracle/core/dml_rules.hpp"
#include "schema_oracle/core/policy.hpp"
#include "schema_oracle/core/rule.hpp"
#include "schema_oracle/pg/guard.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/relation.h"
#include "catalog/pg_index.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/plannodes.h"
#include "parser/parsetree.h"
#include "utils/builtins.h"
#include "storage/proc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg {

namespace {

// Said once per transaction and table.
LocalTransactionId said_lxid = InvalidLocalTransactionId;
Oid said_relid = InvalidOid;

struct Verdict {
    int elevel;  // 0 = nothing
    const char* reason;
    char* message;
    char* detail;
    char* hint;
};

// `key`: the primary key's `nkey` quoted columns (a partitioned DELETE).
void decide(const char* table, bool update, double rows, int64 bytes, const char* statement,
            bool partitioned, char* const* key, int nkey, Verdict* v) noexcept {
    v->elevel = 0;
    try {
        core::LargeDml facts{update,    table,       rows, bytes, settings::size_threshold_bytes(),
                             statement, partitioned, {}};
        for (int i = 0; i < nkey; ++i) facts.key_columns.emplace_back(key[i]);
        core::DmlFinding f = core::judge_large_dml(facts);
        if (!f.fires)
            return;
        const core::RuleInfo* rule = core::find_rule("large_dml_in_migration");
        if (rule == nullptr)
            return;
        core::Level level =
            core::effective_level(*rule, settings::guard_mode(), settings::rule_levels());
        if (level == core::Level::off)
            return;
        v->reason = guard_waiver_reason("large_dml_in_migration");
        v->elevel = v->reason                      ? NOTICE
                    : level == core::Level::notice ? NOTICE
                    : level == core::Level::warn   ? WARNING
                                                   : ERROR;
        v->message = to_cstring(f.message);
        v->detail = to_cstring(f.detail);
        v->hint = to_cstring(f.hint);
    } catch (...) {
        v->elevel = 0;  // never break the user's statement by our own fault
    }
}

}  // namespace

int quoted_primary_key(Oid relid, char*** key) {
    *key = nullptr;
    Relation rel = RelationIdGetRelation(relid);
    if (rel == nullptr)
        return 0;
    Oid pk = RelationGetPrimaryKeyIndex(rel);
    RelationClose(rel);
    if (!OidIsValid(pk))
        return 0;
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
    if (!HeapTupleIsValid(tup))
        return 0;
    auto* index = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
    char** names = static_cast<char**>(palloc(sizeof(char*) * (index->indnkeyatts + 1)));
    int n = 0;
    for (int i = 0; i < index->indnkeyatts; ++i) {
        char* name = get_attname(relid, index->indkey.values[i], true);
        if (name == nullptr) {  // an expression: no recipe
            n = 0;
            break;
        }
        names[n++] = pstrdup(quote_identifier(name));
    }
    ReleaseSysCache(tup);
    if (n > 0)
        *key = names;
    return n;
}

void judge_large_dml(QueryDesc* query) {
    PlannedStmt* plan = query->plannedstmt;
    if (plan == nullptr || (plan->commandType != CMD_UPDATE && plan->commandType != CMD_DELETE) ||
        plan->resultRelations == NIL || plan->planTree == nullptr)
        return;
    // The statement's target: for a partitioned table ModifyTable's
    // rootRelation (resultRelations then lists the leaf partitions it
    // changes, the first of which says nothing about the table as a whole).
    Index target = linitial_int(plan->resultRelations);
    if (IsA(plan->planTree, ModifyTable) &&
        reinterpret_cast<ModifyTable*>(plan->planTree)->rootRelation > 0)
        target = reinterpret_cast<ModifyTable*>(plan->planTree)->rootRelation;
    RangeTblEntry* rte = rt_fetch(target, plan->rtable);
    if (rte == nullptr || rte->rtekind != RTE_RELATION)
        return;
    Oid relid = rte->relid;
    if (said_lxid == MyProc->lxid && said_relid == relid)
        return;
    // The statement already holds its lock on the target (parse analysis
    // took it), so the relcache entry can be read without another one.
    Relation rel = relation_open(relid, NoLock);
    const bool new_in_xact = rel->rd_createSubid != InvalidSubTransactionId ||
                             rel->rd_firstRelfilenodeSubid != InvalidSubTransactionId;
    const bool temp = rel->rd_rel->relpersistence == RELPERSISTENCE_TEMP;
    const bool partitioned = rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
    double tuples = rel->rd_rel->reltuples;
    int64 table_bytes = static_cast<int64>(rel->rd_rel->relpages) * BLCKSZ;
    relation_close(rel, NoLock);
    if (new_in_xact || temp)
        return;  // nobody else can wait on its rows yet
    if (partitioned) {
        // A partitioned table has no pages of its own: the average row size
        // comes from the partitions the statement changes (the executor
        // locks them before ExecutorStart, or they were pruned away).
        tuples = 0;
        table_bytes = 0;
        ListCell* lc;
        foreach (lc, plan->resultRelations) {
            RangeTblEntry* leaf = rt_fetch(lfirst_int(lc), plan->rtable);
            if (leaf == nullptr || leaf->rtekind != RTE_RELATION || leaf->relid == relid)
                continue;
            Relation part = relation_open(leaf->relid, NoLock);
            if (part->rd_rel->reltuples > 0)
                tuples += part->rd_rel->reltuples;
            table_bytes += static_cast<int64>(part->rd_rel->relpages) * BLCKSZ;
            relation_close(part, NoLock);
        }
    }
    // ModifyTable estimates 0 rows without RETURNING: the rows it changes
    // are its subplan's.
    Plan* source = plan->planTree;
    if (IsA(source, ModifyTable) && outerPlan(source) != nullptr)
        source = outerPlan(source);
    const double rows = source->plan_rows;
    const int64 bytes = tuples > 0 ? static_cast<int64>(rows * (table_bytes / tuples))
                                   : static_cast<int64>(rows * Max(source->plan_width, 1));
    // The rule's own test (core dml_rules: bytes below the threshold or no
    // row is silent), made here first so that the small UPDATEs of a
    // migration's loop cost no name lookup, copy or rule-level parse.
    if (bytes < settings::size_threshold_bytes() || rows < 1)
        return;
    char* table = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                             get_rel_name(relid));
    char* statement = nullptr;
    if (query->sourceText != nullptr) {
        int loc = plan->stmt_location < 0 ? 0 : plan->stmt_location;
        int len =
            plan->stmt_len > 0 ? plan->stmt_len : static_cast<int>(strlen(query->sourceText + loc));
        statement = pnstrdup(query->sourceText + loc, len);
    }
    // A partitioned DELETE's batched recipe keys on the primary key (ctid
    // repeats across partitions).
    char** key = nullptr;
    const int nkey =
        partitioned && plan->commandType == CMD_DELETE ? quoted_primary_key(relid, &key) : 0;
    Verdict v;
    decide(table, plan->commandType == CMD_UPDATE, rows, bytes, statement ? statement : "",
           partitioned, key, nkey, &v);
    if (v.elevel == 0)
        return;
    said_lxid = MyProc->lxid;
    said_relid = relid;
    if (v.reason != nullptr)
        ereport(NOTICE,
                (errmsg("%s", v.message),
                 errdetail("Waived for this transaction by schema_oracle.allow(): %s", v.reason)));
    else if (v.elevel == ERROR)
        ereport(ERROR, (errcode(MAKE_SQLSTATE('S', 'O', '0', '0', '1')), errmsg("%s", v.message),
                        errdetail("%s", v.detail), errhint("%s", v.hint)));
    else
        ereport(v.elevel,
                (errmsg("%s", v.message), errdetail("%s", v.detail), errhint("%s", v.hint)));
}

}  // namespace schema_oracle::pg
