// backfill_table.cpp: what backfill() checks before it does any work: the
// table, its primary key, the caller's privilege, the option values and the
// clauses (parsed with PostgreSQL's own raw parser), and the settings its
// statements run with.
//
// These functions hold no C++ object with a destructor and raise ERRORs
// directly; build_statements crosses into the C++ core through
// cpp_boundary.
#include <string>
#include <vector>

#include "schema_oracle/core/backfill.hpp"
#include "schema_oracle/pg/backfill.hpp"
#include "schema_oracle/pg/boundary.hpp"
#include "schema_oracle/pg/text.hpp"

extern "C" {
#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_operator.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
}

namespace schema_oracle::pg::backfill {

void require_nonatomic(FunctionCallInfo fcinfo, const char* what) {
    bool atomic = true;
    if (fcinfo->context != nullptr && IsA(fcinfo->context, CallContext))
        atomic = reinterpret_cast<CallContext*>(fcinfo->context)->atomic;
    if (!atomic)
        return;
    if (IsTransactionBlock())
        ereport(ERROR,
                (errcode(ERRCODE_ACTIVE_SQL_TRANSACTION),
                 errmsg("%s cannot run inside a transaction block", what),
                 errdetail("It commits after every batch, so that row locks are held for one "
                           "batch only and a crash loses at most one batch."),
                 errhint("Run CALL %s(...) as a top-level statement, outside BEGIN ... COMMIT.",
                         what)));
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_TRANSACTION_TERMINATION),
             errmsg("%s must be called by a top-level CALL", what),
             errdetail("It commits after every batch, which PostgreSQL allows only in a CALL "
                       "that is not inside a function, a procedure with a SET clause or a "
                       "SECURITY DEFINER procedure."),
             errhint("Run CALL %s(...) as a statement of its own.", what)));
}

namespace {

// OPERATOR(ns.name) for an operator.
const char* qualified_operator(Oid opno, Oid* nsp_out) {
    HeapTuple tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opno));
    if (!HeapTupleIsValid(tup))
        elog(ERROR, "cache lookup failed for operator %u", opno);
    auto* form = reinterpret_cast<Form_pg_operator>(GETSTRUCT(tup));
    *nsp_out = form->oprnamespace;
    char* s = psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(form->oprnamespace)),
                       NameStr(form->oprname));
    ReleaseSysCache(tup);
    return s;
}

}  // namespace

void describe_table(Oid relid, Table* out) {
    memset(out, 0, sizeof *out);
    char* relname = get_rel_name(relid);
    if (relname == nullptr)
        ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                        errmsg("table with OID %u does not exist", relid)));
    char* nspname = get_namespace_name(get_rel_namespace(relid));
    char relkind = get_rel_relkind(relid);
    const char* qualified = quote_qualified_identifier(nspname, relname);
    if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
        ereport(ERROR,
                (errcode(ERRCODE_WRONG_OBJECT_TYPE), errmsg("\"%s\" is not a table", relname),
                 errdetail("backfill() updates the rows of a table or a partitioned table.")));
    if (pg_class_aclcheck(relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK)
        ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                        errmsg("permission denied for table %s", relname),
                        errdetail("backfill() runs with your own privileges: it needs UPDATE on "
                                  "the table (and SELECT on its primary key).")));

    Relation rel = table_open(relid, AccessShareLock);
    out->relid = relid;
    out->relkind = relkind;
    out->name_sql = qualified;
    out->relation_sql = relkind == RELKIND_RELATION ? psprintf("ONLY %s", qualified) : qualified;
    out->reltuples = rel->rd_rel->reltuples;
    Oid pk = RelationGetPrimaryKeyIndex(rel);
    if (!OidIsValid(pk)) {
        table_close(rel, AccessShareLock);
        ereport(ERROR,
                (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                 errmsg("table %s has no primary key", qualified),
                 errdetail("backfill() walks the table in primary key order, so that each batch "
                           "is one key range and a resume starts after the last committed key."),
                 errhint("Add one without blocking writes: CREATE UNIQUE INDEX CONCURRENTLY on "
                         "the key columns (NOT NULL), then ALTER TABLE %s ADD PRIMARY KEY USING "
                         "INDEX <that index>.",
                         qualified)));
    }
    Relation idx = index_open(pk, AccessShareLock);
    int n = idx->rd_index->indnkeyatts;
    out->nkeys = n;
    out->key_names = static_cast<const char**>(palloc0(sizeof(char*) * n));
    out->key_sql = static_cast<const char**>(palloc0(sizeof(char*) * n));
    out->key_type_sql = static_cast<const char**>(palloc0(sizeof(char*) * n));
    out->key_types = static_cast<Oid*>(palloc0(sizeof(Oid) * n));
    out->key_typlen = static_cast<int16*>(palloc0(sizeof(int16) * n));
    out->key_typbyval = static_cast<bool*>(palloc0(sizeof(bool) * n));
    out->key_output = static_cast<Oid*>(palloc0(sizeof(Oid) * n));
    out->key_input = static_cast<Oid*>(palloc0(sizeof(Oid) * n));
    out->key_ioparam = static_cast<Oid*>(palloc0(sizeof(Oid) * n));
    Oid op_nsp = InvalidOid;
    for (int i = 0; i < n; ++i) {
        AttrNumber att = idx->rd_index->indkey.values[i];
        Form_pg_attribute a = TupleDescAttr(RelationGetDescr(rel), att - 1);
        out->key_names[i] = pstrdup(NameStr(a->attname));
        out->key_sql[i] = quote_identifier(out->key_names[i]);
        out->key_types[i] = a->atttypid;
        out->key_type_sql[i] = format_type_be_qualified(a->atttypid);
        get_typlenbyval(a->atttypid, &out->key_typlen[i], &out->key_typbyval[i]);
        bool varlena;
        getTypeOutputInfo(a->atttypid, &out->key_output[i], &varlena);
        getTypeInputInfo(a->atttypid, &out->key_input[i], &out->key_ioparam[i]);
        Oid family = idx->rd_opfamily[i];
        Oid opcintype = idx->rd_opcintype[i];
        Oid gt = get_opfamily_member(family, opcintype, opcintype, BTGreaterStrategyNumber);
        Oid le = get_opfamily_member(family, opcintype, opcintype, BTLessEqualStrategyNumber);
        if (!OidIsValid(gt) || !OidIsValid(le))
            elog(ERROR, "no btree comparison operators for primary key column %s", out->key_sql[i]);
        Oid gt_nsp, le_nsp;
        const char* gt_sql = qualified_operator(gt, &gt_nsp);
        const char* le_sql = qualified_operator(le, &le_nsp);
        if (i == 0) {
            out->gt_operator = gt_sql;
            out->le_operator = le_sql;
            op_nsp = gt_nsp;
        } else if (gt_nsp != op_nsp || le_nsp != op_nsp || strcmp(gt_sql, out->gt_operator) != 0) {
            index_close(idx, AccessShareLock);
            table_close(rel, AccessShareLock);
            ereport(ERROR,
                    (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                     errmsg("the primary key columns of %s compare with operators from different "
                            "schemas",
                            qualified),
                     errdetail("backfill() compares composite keys with one row comparison, "
                               "which needs every column's operator in one schema.")));
        }
    }
    index_close(idx, AccessShareLock);
    // Keep the AccessShareLock until the first commit: the table cannot be
    // dropped or altered between these checks and the first batch.
    table_close(rel, NoLock);
}

namespace {

struct ParseContext {
    const char* what;
    const char* sql;
};

// A syntax error points into the text we built, not into the CALL: report
// it as an internal query (as SQL function bodies do), naming the clause.
void parse_error_context(void* arg) {
    auto* pc = static_cast<ParseContext*>(arg);
    int pos = geterrposition();
    if (pos > 0) {
        errposition(0);
        internalerrposition(pos);
        internalerrquery(pc->sql);
    }
    errcontext("while checking %s of backfill()", pc->what);
}

// One raw statement of the expected type, or an ERROR naming the clause.
Node* parse_single(const char* sql, NodeTag expected, const char* what) {
    ParseContext pc{what, sql};
    ErrorContextCallback cb;
    cb.callback = parse_error_context;
    cb.arg = &pc;
    cb.previous = error_context_stack;
    error_context_stack = &cb;
    List* stmts = raw_parser(sql, RAW_PARSE_DEFAULT);
    error_context_stack = cb.previous;
    if (list_length(stmts) != 1 || nodeTag(linitial_node(RawStmt, stmts)->stmt) != expected)
        ereport(ERROR,
                (errcode(ERRCODE_SYNTAX_ERROR),
                 errmsg("%s of backfill() must be a single %s", what,
                        strcmp(what, "set_clause") == 0 ? "SET list" : "expression"),
                 errdetail("It would make this text, which is not one statement of that form: %s",
                           sql)));
    return linitial_node(RawStmt, stmts)->stmt;
}

bool writes_walker(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (IsA(node, InsertStmt) || IsA(node, UpdateStmt) || IsA(node, DeleteStmt) ||
        IsA(node, MergeStmt))
        return true;
    if (IsA(node, SelectStmt) && reinterpret_cast<SelectStmt*>(node)->lockingClause != NIL)
        return true;
    return raw_expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(writes_walker)), context);
}

bool params_walker(Node* node, void* context) {
    if (node == nullptr)
        return false;
    if (IsA(node, ParamRef))
        return true;
    return raw_expression_tree_walker(
        node, reinterpret_cast<bool (*)()>(reinterpret_cast<void (*)()>(params_walker)), context);
}

void refuse_writes(Node* expr, const char* what) {
    // $1, $2 ... would silently refer to the batch's key bounds.
    if (params_walker(expr, nullptr))
        ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("%s of backfill() must not contain parameters ($1, $2, ...)", what),
                        errhint("Write the values into the clause as literals.")));
    if (writes_walker(expr, nullptr))
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s of backfill() must not modify or lock data in a subquery", what),
                        errdetail("backfill() runs one UPDATE of the target table per batch; a "
                                  "data-modifying or FOR UPDATE subquery would run again in every "
                                  "batch and is not undone with the job.")));
}

void refuse_extra(bool extra, const char* what, const char* part) {
    if (extra)
        ereport(ERROR, (errcode(ERRCODE_SYNTAX_ERROR),
                        errmsg("%s of backfill() must not contain %s", what, part)));
}

// A condition must be one expression on its own: parsed as the only
// target of a bare SELECT (no parentheses around it, so that a
// "true) OR (true" that would escape the parentheses the batch puts around
// it is a syntax error here), with no alias, FROM, WHERE or anything else.
void check_expression(const char* expr, const char* what) {
    auto* s = reinterpret_cast<SelectStmt*>(
        parse_single(psprintf("SELECT\n%s\n", expr), T_SelectStmt, what));
    bool plain = s->op == SETOP_NONE && list_length(s->targetList) == 1 &&
                 linitial_node(ResTarget, s->targetList)->name == nullptr && s->fromClause == NIL &&
                 s->whereClause == nullptr && s->groupClause == NIL && s->havingClause == nullptr &&
                 s->windowClause == NIL && s->sortClause == NIL && s->limitCount == nullptr &&
                 s->limitOffset == nullptr && s->lockingClause == NIL && s->withClause == nullptr &&
                 s->distinctClause == NIL && s->intoClause == nullptr;
    refuse_extra(!plain, what, "anything but one expression");
    refuse_writes(reinterpret_cast<Node*>(s->targetList), what);
}

bool blank(const char* s) {
    for (; *s; ++s)
        if (!isspace(static_cast<unsigned char>(*s)))
            return false;
    return true;
}

}  // namespace

void check_clauses(const Table* t, const char* set_clause, const char* where_clause,
                   const char* throttle_while) {
    if (blank(set_clause))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("set_clause of backfill() is empty"),
                        errhint("Give the SET list of the UPDATE, e.g. 'total = price * qty'.")));
    // The clauses go on lines of their own, as in the statements that run,
    // so that a trailing "--" comment ends with its line.
    auto* set = reinterpret_cast<UpdateStmt*>(parse_single(
        psprintf("UPDATE %s SET\n%s\n", t->relation_sql, set_clause), T_UpdateStmt, "set_clause"));
    refuse_extra(set->whereClause != nullptr, "set_clause", "a WHERE clause (use where_clause)");
    refuse_extra(set->fromClause != NIL, "set_clause", "a FROM clause");
    refuse_extra(set->returningList != NIL, "set_clause", "a RETURNING clause");
    refuse_extra(set->withClause != nullptr, "set_clause", "a WITH clause");
    ListCell* lc;
    foreach (lc, set->targetList) {
        auto* target = lfirst_node(ResTarget, lc);
        for (int i = 0; i < t->nkeys; ++i)
            if (strcmp(target->name, t->key_names[i]) == 0)
                ereport(ERROR,
                        (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                         errmsg("backfill() cannot assign primary key column \"%s\"", target->name),
                         errdetail("Batches walk the primary key in order; a row whose key "
                                   "changes could be updated twice or skipped.")));
        refuse_writes(target->val, "set_clause");
        refuse_writes(reinterpret_cast<Node*>(target->indirection), "set_clause");
    }
    if (where_clause != nullptr) {
        if (blank(where_clause))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("where_clause of backfill() is empty"),
                            errhint("Pass NULL to update every row.")));
        check_expression(where_clause, "where_clause");
    }
    if (throttle_while != nullptr) {
        if (blank(throttle_while))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("throttle_while of backfill() is empty")));
        check_expression(throttle_while, "throttle_while");
    }
}

void build_statements(const Table* t, const char* set_clause, const char* where_clause,
                      Statements* out) {
    namespace cb = core::backfill;
    cpp_boundary("backfill", [&] {
        cb::BatchSqlInput in;
        in.relation = t->relation_sql;
        for (int i = 0; i < t->nkeys; ++i) in.key.push_back({t->key_sql[i], t->key_type_sql[i]});
        in.gt_operator = t->gt_operator;
        in.le_operator = t->le_operator;
        in.set_clause = set_clause;
        in.where_clause = where_clause ? where_clause : "";
        cb::BatchSql s = cb::build_batch_sql(in);
        out->fetch_first = to_cstring(s.fetch_first);
        out->fetch_next = to_cstring(s.fetch_next);
        out->update_first = to_cstring(s.update_first);
        out->update_next = to_cstring(s.update_next);
        out->max_key = to_cstring(s.max_key);
        out->count_keys = to_cstring(s.count_keys);
    });
    // The whole statement, as it will run, must still be exactly one UPDATE.
    parse_single(out->update_next, T_UpdateStmt, "set_clause and where_clause");
}

void check_options(const Options* o) {
    auto bad = [](const char* name, const char* rule) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s of backfill() must be %s", name, rule)));
    };
    if (o->batch_size < 0)
        bad("batch_size", "positive (or NULL for adaptive batches)");
    if (!(o->target_ms > 0))
        bad("target_batch_time", "positive");
    if (o->max_batch_size < 1)
        bad("max_batch_size", "at least 1");
    if (o->pause_ms < 0)
        bad("pause", "zero or positive");
    if (o->lock_timeout_ms < 0)
        bad("lock_timeout", "zero (no limit) or positive");
    if (o->lock_timeout_ms > INT_MAX)
        bad("lock_timeout", "below 24 days");
    if (o->max_retries < 0)
        bad("max_retries", "zero or positive");
    if (!(o->check_interval_ms > 0))
        bad("throttle_check_interval", "positive");
    if (o->progress_interval_ms < 0)
        bad("progress_interval", "zero (every batch) or positive");
}

double interval_ms(Datum d) {
    Interval* iv = DatumGetIntervalP(d);
    return static_cast<double>(iv->time) / 1000.0 +
           (static_cast<double>(iv->day) + static_cast<double>(iv->month) * DAYS_PER_MONTH) *
               (SECS_PER_DAY * 1000.0);
}

namespace {

void set_local(const char* name, const char* value) {
    (void)set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0,
                            false);
}

}  // namespace

int push_internal_settings() {
    int level = NewGUCNestLevel();
    set_local("search_path", "pg_catalog, pg_temp");
    set_local("datestyle", "ISO, MDY");
    set_local("intervalstyle", "postgres");
    set_local("extra_float_digits", "3");
    set_local("bytea_output", "hex");
    set_local("timezone", "UTC");
    return level;
}

int push_user_search_path(const char* search_path) {
    int level = NewGUCNestLevel();
    set_local("search_path", search_path);
    return level;
}

void pop_settings(int level) {
    AtEOXact_GUC(true, level);
}

}  // namespace schema_oracle::pg::backfill
