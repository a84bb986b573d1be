// ddl_log.cpp: collecting and writing the rows of schema_oracle.ddl_log
// (see include/schema_oracle/pg/ddl_log.hpp, docs/ddl-log.md).
//
// Rows live in a session-lifetime memory context until written: they must
// outlive an aborting transaction long enough to be handed to the worker.
// All of it is C-style code (palloc, StringInfo): no C++ object with a
// destructor, so every ereport may longjmp through it.
#include "schema_oracle/pg/settings.hpp"  // first: it includes core headers
#include "schema_oracle/pg/ddl_log.hpp"

extern "C" {
#include "access/brin.h"
#include "access/brin_revmap.h"
#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "executor/tuptable.h"
#include "nodes/execnodes.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/xid8.h"
#include "storage/bufmgr.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/fmgrprotos.h"
#include "miscadmin.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
}

namespace schema_oracle::pg {

namespace {

using settings::DdlLog;  // schema_oracle.ddl_log

// A finding of a row, as ddl_log_note_finding() received it (raw strings:
// rendered as JSON text only for the worker's rows, as jsonb values only
// for the direct insert).
struct Finding {
    const char* rule;
    const char* level;
    const char* message;
    const char* detail;         // NULL: none
    const char* fix;            // NULL: none
    const char* waiver_reason;  // NULL: not waived (the key is then absent)
    Finding* next;
};

struct Row {
    TimestampTz at;
    NameData session_role;
    NameData current_role;
    const char* command_tag;  // static: CreateCommandName()'s, or COMMIT / PREPARE TRANSACTION
    char* statement;
    char** object_items;  // the identities, each once, in order
    int object_count, object_cap;
    Finding* first_finding;
    Finding* last_finding;
    bool any_finding, blocked, waived;
    char* waiver_reason;
    SubTransactionId subid;
    bool rolled_back;  // undone by ROLLBACK TO SAVEPOINT
    bool ended;
    bool skip;  // about the log itself
    // Already inserted into the log by this transaction, ahead of its commit,
    // because a query of the transaction read the log (ddl_log_before_query);
    // in the subtransaction flushed_subid, whose rollback takes the insert
    // away again (the row is then written later, as any other).
    bool flushed;
    SubTransactionId flushed_subid;
    // A blocked statement's row written by the worker already, at the block
    // (ddl_log_blocking), while a subtransaction could still catch the error
    // and the transaction go on: no later write repeats it.
    bool detached;
    // A LOCK TABLE in a mode that blocks no writes (ACCESS SHARE to SHARE
    // UPDATE EXCLUSIVE, pg_dump's, a read-only report's): recorded only
    // with a finding, not as DDL of its own.
    bool only_with_findings;
};

MemoryContext log_cxt = nullptr;
SubTransactionId newest_row_subid = InvalidSubTransactionId;    // the largest subid of a row
SubTransactionId newest_flush_subid = InvalidSubTransactionId;  // ... in which rows were flushed
bool writing = false;              // our own INSERT is running (the executor hook ignores it)
SPIPlanPtr insert_plan = nullptr;  // the committing path's INSERT, kept for the session
Row* rows = nullptr;
int row_count = 0, row_cap = 0;
int current_row = -1;
int rows_inserted = 0;  // by this transaction so far: the next row's position in its ids

// The utility statements being run (ProcessUtility hook), innermost last.
struct Running {
    Node* stmt;
    const char* query;
    int location, length;
    bool subcommand;  // PROCESS_UTILITY_SUBCOMMAND: part of the statement below it
};
constexpr int max_running = 32;
Running running[max_running];
int running_depth = 0;

char* database_name = nullptr;  // cached per session

// The names of the session's role and of current_user, kept for the session
// by OID (two lookups a statement otherwise): forgotten at any change of a
// pg_authid row (a rename among them).
struct RoleName {
    Oid oid;
    NameData name;
};
RoleName role_names[2] = {{InvalidOid, {}}, {InvalidOid, {}}};
int role_names_next = 0;
bool role_names_callback = false;

void forget_role_names(Datum, int, uint32) {
    role_names[0].oid = role_names[1].oid = InvalidOid;
}

void role_name(Oid role, NameData* out) {
    for (const RoleName& r : role_names)
        if (r.oid == role && OidIsValid(role)) {
            *out = r.name;
            return;
        }
    if (!role_names_callback) {
        CacheRegisterSyscacheCallback(AUTHOID, forget_role_names, (Datum)0);
        role_names_callback = true;
    }
    RoleName& r = role_names[role_names_next];
    role_names_next ^= 1;
    namestrcpy(&r.name, GetUserNameFromId(role, false));
    r.oid = role;
    *out = r.name;
}
// The log's owner, looked up with the first row of a batch (catalog access
// is impossible once the transaction is aborting).
Oid batch_owner = InvalidOid;
Oid log_owner();

// Never during recovery: a hot standby runs no DDL, only what the guard
// also judges there (LOCK TABLE in the modes a standby allows), and it can
// write nothing (no transaction id, no heap insert).
bool logging() {
    return settings::ddl_log() != DdlLog::off && !creating_extension && IsTransactionState() &&
           !RecoveryInProgress();
}

void forget_rows() {
    ddl_log_created_forget();
    newest_row_subid = InvalidSubTransactionId;
    newest_flush_subid = InvalidSubTransactionId;
    if (log_cxt != nullptr)
        MemoryContextReset(log_cxt);
    rows = nullptr;
    row_count = row_cap = 0;
    current_row = -1;
    rows_inserted = 0;
}

// A running statement's own slice of its query string, without the
// surrounding blanks and semicolon.
char* statement_slice(const Running& r) {
    int loc = r.location < 0 ? 0 : r.location;
    int len = r.length > 0 ? r.length : static_cast<int>(strlen(r.query + loc));
    const char* s = r.query + loc;
    while (len > 0 && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')) ++s, --len;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t' ||
                       s[len - 1] == '\r' || s[len - 1] == ';'))
        --len;
    return pnstrdup(s, len);
}

char* statement_text(Node* parsetree) {
    // Only the first max_running statements are kept (the depth counts on).
    const int kept = running_depth < max_running ? running_depth : max_running;
    for (int i = kept - 1; i >= 0; --i) {
        const Running& r = running[i];
        if (r.stmt == parsetree && r.query != nullptr)
            return statement_slice(r);
    }
    // PostgreSQL runs a copy of a read-only tree (a PL/pgSQL function's
    // cached statement), so the event triggers' node is not the hook's: the
    // running statement equal to it is.
    for (int i = kept - 1; i >= 0 && running_depth <= max_running; --i) {
        const Running& r = running[i];
        if (r.stmt != nullptr && r.query != nullptr && !r.subcommand && equal(r.stmt, parsetree))
            return statement_slice(r);
    }
    // Not seen by the hook (the library was loaded by this very statement's
    // event trigger): the whole query string.
    return pstrdup(debug_query_string ? debug_query_string : "");
}

Row* new_row(const char* command_tag, char* statement) {
    if (log_cxt == nullptr)
        log_cxt =
            AllocSetContextCreate(TopMemoryContext, "schema_oracle ddl log", ALLOCSET_SMALL_SIZES);
    MemoryContext old = MemoryContextSwitchTo(log_cxt);
    if (row_count == row_cap) {
        row_cap = row_cap ? row_cap * 2 : 16;
        rows = static_cast<Row*>(rows ? repalloc(rows, sizeof(Row) * row_cap)
                                      : palloc(sizeof(Row) * row_cap));
    }
    if (row_count == 0) {
        batch_owner = log_owner();
        // Session-lived (log_cxt is reset after every batch): looked up
        // here, as no catalog can be read while a transaction aborts.
        if (database_name == nullptr)
            database_name = MemoryContextStrdup(TopMemoryContext, get_database_name(MyDatabaseId));
    }
    Row* r = &rows[row_count];
    memset(r, 0, sizeof *r);
    r->at = GetCurrentStatementStartTimestamp();
    role_name(GetSessionUserId(), &r->session_role);
    role_name(GetUserId(), &r->current_role);
    r->command_tag = command_tag;
    r->statement = statement ? pstrdup(statement) : nullptr;
    r->subid = GetCurrentSubTransactionId();
    if (r->subid > newest_row_subid)
        newest_row_subid = r->subid;
    MemoryContextSwitchTo(old);
    current_row = row_count++;
    return r;
}

const char* severity_of_level(int elevel) {
    return elevel == ERROR ? "blocked" : elevel == WARNING ? "warning" : "notice";
}

void append_json_field(StringInfo buf, const char* key, const char* value, bool comma = true) {
    if (comma)
        appendStringInfoChar(buf, ',');
    escape_json(buf, key);
    appendStringInfoChar(buf, ':');
    if (value == nullptr)
        appendStringInfoString(buf, "null");
    else
        escape_json(buf, value);
}

// inet_client_addr(): NULL for a Unix-socket client.
char* client_address() {
    LOCAL_FCINFO(fcinfo, 0);
    InitFunctionCallInfoData(*fcinfo, nullptr, 0, InvalidOid, nullptr, nullptr);
    Datum addr = inet_client_addr(fcinfo);
    if (fcinfo->isnull)
        return nullptr;
    return DatumGetCString(DirectFunctionCall1(inet_out, addr));
}

// The JSON array of the rows to write (with the given outcome for rows not
// undone by a savepoint rollback), in CurrentMemoryContext. NULL if none.
// Whether this commit happens inside a statement that commits internally
// (CREATE INDEX CONCURRENTLY, VACUUM): its row waits for the statement end.
bool commit_inside_statement() {
    if (running_depth <= 0 || running_depth > max_running)
        return false;
    Node* innermost = running[running_depth - 1].stmt;
    return innermost != nullptr && !IsA(innermost, TransactionStmt);
}

// Whether a row is written now: not a statement still running inside a
// commit (hold_unended), not about the log itself, and in `findings` mode
// only with findings.
// A row already flushed into the log by this transaction is written again
// only by the worker (include_flushed), once the transaction aborted and its
// insert is gone.
bool row_written(const Row& r, bool hold_unended, bool include_flushed) {
    if (r.detached || (r.only_with_findings && !r.any_finding))
        return false;
    if (hold_unended && !r.ended)
        return false;
    if (r.flushed && !include_flushed)
        return false;
    return !r.skip && (settings::ddl_log() != DdlLog::findings || r.any_finding);
}

const char* action_of(const Row& r) {
    return r.blocked ? "blocked" : r.waived ? "waived" : r.any_finding ? "warned" : "allowed";
}

const char* outcome_of(const Row& r, bool committed) {
    return committed && !r.rolled_back ? "committed" : "rolled back";
}

// In the writing transaction itself (committed), positions follow the rows
// it inserted already; hold_unended: only the statements that ended (at a
// commit inside a statement, CREATE INDEX CONCURRENTLY, and when a query
// reads the log before the commit).
char* rows_json(bool committed, int* written, bool hold_unended, int only = -1) {
    StringInfoData buf;
    initStringInfo(&buf);
    appendStringInfoChar(&buf, '[');
    if (database_name == nullptr) {
        MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
        database_name = get_database_name(MyDatabaseId);
        MemoryContextSwitchTo(old);
    }
    char* addr = client_address();
    FullTransactionId fxid = GetTopFullTransactionIdIfAny();
    char xid[32];
    snprintf(xid, sizeof xid, UINT64_FORMAT, U64FromFullTransactionId(fxid));
    int n = 0;
    const int first = committed ? rows_inserted : 0;
    for (int i = 0; i < row_count; ++i) {
        const Row& r = rows[i];
        if ((only >= 0 && i != only) || !row_written(r, hold_unended, !committed))
            continue;
        if (n++ > 0)
            appendStringInfoChar(&buf, ',');
        appendStringInfo(&buf, "{\"n\":%d,\"t\":%.6f,\"pid\":%d", first + n,
                         static_cast<double>(r.at - SetEpochTimestamp()) / USECS_PER_SEC,
                         MyProcPid);
        append_json_field(&buf, "sr", NameStr(r.session_role));
        append_json_field(&buf, "cr", NameStr(r.current_role));
        append_json_field(&buf, "db", database_name ? database_name : "");
        append_json_field(&buf, "app", application_name);
        append_json_field(&buf, "addr", addr);
        append_json_field(&buf, "xid", FullTransactionIdIsValid(fxid) ? xid : nullptr);
        append_json_field(&buf, "tag", r.command_tag);
        appendStringInfoString(&buf, ",\"obj\":[");
        for (int k = 0; k < r.object_count; ++k) {
            if (k > 0)
                appendStringInfoChar(&buf, ',');
            escape_json(&buf, r.object_items[k]);
        }
        appendStringInfoChar(&buf, ']');
        append_json_field(&buf, "stmt", r.statement);
        appendStringInfoString(&buf, ",\"f\":[");
        for (const Finding* f = r.first_finding; f != nullptr; f = f->next) {
            if (f != r.first_finding)
                appendStringInfoChar(&buf, ',');
            appendStringInfoChar(&buf, '{');
            append_json_field(&buf, "rule", f->rule, false);
            append_json_field(&buf, "level", f->level);
            append_json_field(&buf, "message", f->message);
            append_json_field(&buf, "detail", f->detail);
            append_json_field(&buf, "fix", f->fix);
            if (f->waiver_reason != nullptr)
                append_json_field(&buf, "waiver_reason", f->waiver_reason);
            appendStringInfoChar(&buf, '}');
        }
        appendStringInfoChar(&buf, ']');
        append_json_field(&buf, "act", action_of(r));
        append_json_field(&buf, "why", r.waiver_reason);
        append_json_field(&buf, "out", outcome_of(r, committed));
        appendStringInfoChar(&buf, '}');
    }
    appendStringInfoChar(&buf, ']');
    *written = n;
    return n > 0 ? buf.data : nullptr;
}

// The log's relation and owner, kept for the session once found: looking
// them up by name (the schema, the table, its pg_class row) cost some
// 3,500 instructions, twice in every transaction that ran DDL, which an
// autocommit migration pays at every statement. Any invalidation of the
// table's pg_class row (DROP, rename, SET SCHEMA, a new owner, DROP or
// ALTER EXTENSION of the table) or of the schema's pg_namespace row
// forgets them, as does any full cache reset; a missing log is never
// kept (it is looked up again every time).
bool log_rel_known = false;
Oid known_rel = InvalidOid, known_owner = InvalidOid;
uint32 known_rel_hash = 0, known_nsp_hash = 0;
bool log_rel_callbacks = false;

void forget_log_rel_class(Datum, int, uint32 hash) {
    if (hash == 0 || hash == known_rel_hash)
        log_rel_known = false;
}

void forget_log_rel_namespace(Datum, int, uint32 hash) {
    if (hash == 0 || hash == known_nsp_hash)
        log_rel_known = false;
}

// The log's owner, or InvalidOid if the extension (or the log) is gone;
// the log itself in *relid.
Oid log_owner_of(Oid* relid) {
    if (log_rel_known) {
        *relid = known_rel;
        return known_owner;
    }
    *relid = InvalidOid;
    Oid nsp = get_namespace_oid("schema_oracle", true);
    if (!OidIsValid(nsp))
        return InvalidOid;
    Oid rel = get_relname_relid("ddl_log", nsp);
    if (!OidIsValid(rel))
        return InvalidOid;
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(rel));
    if (!HeapTupleIsValid(tup))
        return InvalidOid;
    Oid owner = reinterpret_cast<Form_pg_class>(GETSTRUCT(tup))->relowner;
    ReleaseSysCache(tup);
    *relid = rel;
    if (!log_rel_callbacks) {
        CacheRegisterSyscacheCallback(RELOID, forget_log_rel_class, (Datum)0);
        CacheRegisterSyscacheCallback(NAMESPACEOID, forget_log_rel_namespace, (Datum)0);
        log_rel_callbacks = true;
    }
    known_rel = rel;
    known_owner = owner;
    known_rel_hash = GetSysCacheHashValue1(RELOID, ObjectIdGetDatum(rel));
    known_nsp_hash = GetSysCacheHashValue1(NAMESPACEOID, ObjectIdGetDatum(nsp));
    log_rel_known = true;
    return owner;
}

Oid log_owner() {
    Oid relid;
    return log_owner_of(&relid);
}

// The committing path's write, without SQL: each row formed from the
// collected facts and inserted into the log's heap and indexes
// (heap_multi_insert, then the index entries), in the committing transaction. Parsing,
// planning and executing the INSERT ... jsonb_to_recordset statement cost
// several times the row itself, once per transaction: an autocommit
// migration commits after every statement. The rows are the same as the
// SQL path's (ddl_log_insert_sql(), still used by the worker). Returns
// false, having written nothing, when the table is not the one this code
// knows (a column missing or of another type): the caller then runs the
// SQL. The table's CHECK constraints hold by construction (the action and
// outcome come from fixed sets); it has no triggers or policies of ours.
// C land (may ereport): the caller runs it in an internal subtransaction.
enum Column {
    c_id,
    c_logged_at,
    c_pid,
    c_session_role,
    c_active_role,
    c_database,
    c_application_name,
    c_client_addr,
    c_xid,
    c_command_tag,
    c_objects,
    c_statement,
    c_findings,
    c_action,
    c_waiver_reason,
    c_outcome,
    column_count
};
const struct {
    const char* name;
    Oid type;
} log_columns[column_count] = {
    {"id", INT8OID},
    {"logged_at", TIMESTAMPTZOID},
    {"pid", INT4OID},
    {"session_role", NAMEOID},
    {"active_role", NAMEOID},
    {"database", NAMEOID},
    {"application_name", TEXTOID},
    {"client_addr", INETOID},
    {"xid", XID8OID},
    {"command_tag", TEXTOID},
    {"objects", TEXTARRAYOID},
    {"statement", TEXTOID},
    {"findings", JSONBOID},
    {"action", TEXTOID},
    {"waiver_reason", TEXTOID},
    {"outcome", TEXTOID},
};

Datum text_or_null(const char* s, bool* isnull) {
    *isnull = s == nullptr;
    return s == nullptr ? (Datum)0 : PointerGetDatum(cstring_to_text(s));
}

// action_of() and outcome_of() return one of a few static strings: each one's
// text datum is made once per batch (in its memory), not once per row.
// The command tags are static strings too (CreateCommandName()).
struct ConstantTexts {
    const char* keys[16];
    Datum values[16];
    int count;
};

Datum constant_text(ConstantTexts* c, const char* s) {
    for (int i = 0; i < c->count; ++i)
        if (c->keys[i] == s)
            return c->values[i];
    Datum d = PointerGetDatum(cstring_to_text(s));
    if (c->count < 16) {
        c->keys[c->count] = s;
        c->values[c->count++] = d;
    }
    return d;
}

Datum name_datum(const char* s) {
    auto* n = static_cast<NameData*>(palloc0(sizeof(NameData)));
    namestrcpy(n, s);
    return NameGetDatum(n);
}

// The column positions found for a table (by OID and row type version),
// kept for the session: an autocommit migration writes once per statement.
Oid mapped_relid = InvalidOid;
Oid mapped_type = InvalidOid;
int32 mapped_natts = -1;
int mapped_attno[column_count];
Datum no_findings = (Datum)0;  // '[]' as jsonb, in TopMemoryContext

void push_string(JsonbParseState** state, JsonbIteratorToken token, const char* s) {
    JsonbValue v;
    if (s == nullptr) {
        v.type = jbvNull;
    } else {
        v.type = jbvString;
        v.val.string.val = const_cast<char*>(s);
        v.val.string.len = static_cast<int>(strlen(s));
    }
    pushJsonbValue(state, token, &v);
}

void push_field(JsonbParseState** state, const char* key, const char* value) {
    push_string(state, WJB_KEY, key);
    push_string(state, WJB_VALUE, value);
}

// The row's findings as jsonb, pushed value by value as jsonb_in() would
// push them after parsing the JSON text the worker's rows carry (the same
// keys, values and order, so the same jsonb), without printing and parsing
// that text.
Datum findings_jsonb(const Row& r) {
    JsonbParseState* state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_ARRAY, nullptr);
    for (const Finding* f = r.first_finding; f != nullptr; f = f->next) {
        pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
        push_field(&state, "rule", f->rule);
        push_field(&state, "level", f->level);
        push_field(&state, "message", f->message);
        push_field(&state, "detail", f->detail);
        push_field(&state, "fix", f->fix);
        if (f->waiver_reason != nullptr)
            push_field(&state, "waiver_reason", f->waiver_reason);
        pushJsonbValue(&state, WJB_END_OBJECT, nullptr);
    }
    JsonbValue* array = pushJsonbValue(&state, WJB_END_ARRAY, nullptr);
    return JsonbPGetDatum(JsonbValueToJsonb(array));
}

// The direct insert writes heap and index entries as CatalogTupleInsert
// does, which knows nothing of expression or partial indexes, exclusion or
// deferred constraints, rules or CHECKs. So it is taken only for the table
// as the extension ships it: plain indexes, no rule, and no CHECK but the
// two shipped ones (whose values this code writes by construction).
// Anything an administrator added sends the rows through SQL, where
// PostgreSQL enforces it.
// The table found of the shipped shape, until a relcache invalidation of
// it (any ALTER, index, constraint, rule or trigger change sends one).
Oid shape_checked_rel = InvalidOid;
bool shape_callback = false;

// The log's indexes' IndexInfo, built once for the checked shape (in
// index_info_cxt) and forgotten with it, or at a relcache invalidation of
// one of the indexes (CREATE INDEX CONCURRENTLY marks an index ready for
// inserts by updating its pg_index row: that invalidates the index, not
// the table).
constexpr int max_cached_indexes = 8;
MemoryContext index_info_cxt = nullptr;
int cached_index_count = -1;  // -1: none built
Oid cached_index_oid[max_cached_indexes];
IndexInfo* cached_index_info[max_cached_indexes];

void forget_shape(Datum, Oid relid) {
    bool one_of_ours = relid == InvalidOid || relid == shape_checked_rel;
    for (int i = 0; i < cached_index_count && !one_of_ours; ++i)
        one_of_ours = relid == cached_index_oid[i];
    if (one_of_ours) {
        shape_checked_rel = InvalidOid;
        cached_index_count = -1;  // the memory is reset when rebuilt
    }
}

bool shipped_shape_uncached(Relation rel);

bool shipped_shape(Relation rel) {
    if (rel->rd_rules != nullptr)
        return false;
    if (RelationGetRelid(rel) == shape_checked_rel)
        return true;
    if (!shipped_shape_uncached(rel))
        return false;
    if (!shape_callback) {
        CacheRegisterRelcacheCallback(forget_shape, (Datum)0);
        shape_callback = true;
    }
    shape_checked_rel = RelationGetRelid(rel);
    return true;
}

bool shipped_shape_uncached(Relation rel) {
    if (rel->rd_rules != nullptr)
        return false;
    TupleConstr* constr = RelationGetDescr(rel)->constr;
    if (constr != nullptr)
        for (int i = 0; i < constr->num_check; ++i)
            if (strcmp(constr->check[i].ccname, "ddl_log_action_check") != 0 &&
                strcmp(constr->check[i].ccname, "ddl_log_outcome_check") != 0)
                return false;
    bool plain = true;
    List* list = RelationGetIndexList(rel);
    ListCell* lc;
    foreach (lc, list) {
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(lfirst_oid(lc)));
        if (!HeapTupleIsValid(tup)) {
            plain = false;
            break;
        }
        auto* i = reinterpret_cast<Form_pg_index>(GETSTRUCT(tup));
        plain = i->indimmediate && !i->indisexclusion &&
                heap_attisnull(tup, Anum_pg_index_indexprs, nullptr) &&
                heap_attisnull(tup, Anum_pg_index_indpred, nullptr);
        ReleaseSysCache(tup);
        // B-tree and BRIN only (the shipped indexes): BRIN keeps an access
        // method cache in ii_AmCache, pointing into the relcache entry, which
        // the IndexInfo kept across transactions must not hold: it is
        // cleared around every use (insert_batch_of). GIN and GiST, whose
        // inserts this code has not been checked against, go through SQL.
        if (plain) {
            HeapTuple ctup = SearchSysCache1(RELOID, ObjectIdGetDatum(lfirst_oid(lc)));
            const Oid am = HeapTupleIsValid(ctup)
                               ? reinterpret_cast<Form_pg_class>(GETSTRUCT(ctup))->relam
                               : InvalidOid;
            plain = am == BTREE_AM_OID || am == BRIN_AM_OID;
            if (HeapTupleIsValid(ctup))
                ReleaseSysCache(ctup);
        }
        if (!plain)
            break;
    }
    list_free(list);
    return plain;
}

// Rows go to the heap in batches (heap_multi_insert: one WAL record per
// page instead of one per row; a migration of one transaction writes
// thousands), then to each index as CatalogIndexInsert would, which the
// shape check above keeps to plain, immediate indexes. The index entries
// point at the TID heap_multi_insert stored in each slot (a row it toasted
// was stored as a copy, so the slot's TID, not its tuple's, is the one).
constexpr int insert_batch = 64;

// The log's indexes, opened as ExecOpenIndices() opens them (RowExclusiveLock)
// but kept locked until the transaction ends, as the table is: releasing
// each lock right after its insert (CatalogCloseIndexes) costs more than
// the commit's release of all. Their IndexInfo comes from the cache above
// when it holds these very indexes, in this order.
struct LogIndexes {
    int count;
    Relation* rels;
    IndexInfo** infos;
};

void open_log_indexes(Relation rel, LogIndexes* out) {
    List* list = RelationGetIndexList(rel);
    out->count = list_length(list);
    out->rels = static_cast<Relation*>(palloc(sizeof(Relation) * (out->count + 1)));
    out->infos = static_cast<IndexInfo**>(palloc(sizeof(IndexInfo*) * (out->count + 1)));
    bool cached = RelationGetRelid(rel) == shape_checked_rel && cached_index_count == out->count;
    int i = 0;
    ListCell* lc;
    foreach (lc, list) {
        out->rels[i] = index_open(lfirst_oid(lc), RowExclusiveLock);
        cached = cached && cached_index_oid[i] == lfirst_oid(lc);
        ++i;
    }
    list_free(list);
    if (!cached && RelationGetRelid(rel) == shape_checked_rel && out->count <= max_cached_indexes) {
        if (index_info_cxt == nullptr)
            index_info_cxt = AllocSetContextCreate(
                TopMemoryContext, "schema_oracle ddl log indexes", ALLOCSET_SMALL_SIZES);
        MemoryContextReset(index_info_cxt);
        MemoryContext old = MemoryContextSwitchTo(index_info_cxt);
        for (int k = 0; k < out->count; ++k) {
            cached_index_oid[k] = RelationGetRelid(out->rels[k]);
            cached_index_info[k] = BuildIndexInfo(out->rels[k]);
        }
        MemoryContextSwitchTo(old);
        cached_index_count = out->count;
        cached = true;
    }
    for (int k = 0; k < out->count; ++k)
        out->infos[k] = cached ? cached_index_info[k] : BuildIndexInfo(out->rels[k]);
}

void close_log_indexes(LogIndexes* indexes) {
    for (int i = 0; i < indexes->count; ++i) index_close(indexes->rels[i], NoLock);
}

// Whether the BRIN range holding heap block `block` is summarized. brininsert
// makes this very check for each row and does nothing more for a range not
// summarized (the newest, where the log's rows go, until VACUUM summarizes
// it); checked once per range and batch here, after the batch's heap tuples
// are all in the heap: a summarization that begins later scans them from
// the heap (it includes tuples of transactions in progress), and one
// already under way shows its placeholder tuple here, so every row then
// goes through brininsert as usual.
// Whether the range of `block` is summarized; *pages_per_range: the range
// size the index really uses (its metapage's: ALTER INDEX ... SET
// (pages_per_range) changes the reloption, not the index, until REINDEX).
bool brin_range_summarized(Relation index, BlockNumber block, BlockNumber* pages_per_range) {
    BrinRevmap* revmap = brinRevmapInitialize(index, pages_per_range, nullptr);
    Buffer buf = InvalidBuffer;
    OffsetNumber off;
    BrinTuple* tuple =
        brinGetTupleForHeapBlock(revmap, block, &buf, &off, nullptr, BUFFER_LOCK_SHARE, nullptr);
    if (tuple != nullptr)
        LockBuffer(buf, BUFFER_LOCK_UNLOCK);
    brinRevmapTerminate(revmap);
    if (BufferIsValid(buf))
        ReleaseBuffer(buf);
    return tuple != nullptr;
}

void insert_batch_of(Relation rel, const LogIndexes* indexes, TupleTableSlot** slots, int n) {
    if (n == 0)
        return;
    if (n == 1) {
        // One row (an autocommit statement's): heap_insert's one record is
        // cheaper than a multi-insert's. A toasted row is stored as a copy;
        // heap_insert puts the copy's TID into the slot's tuple.
        HeapTuple tuple = ExecFetchSlotHeapTuple(slots[0], false, nullptr);
        heap_insert(rel, tuple, GetCurrentCommandId(true), 0, nullptr);
        slots[0]->tts_tid = tuple->t_self;
    } else {
        heap_multi_insert(rel, slots, n, GetCurrentCommandId(true), 0, nullptr);
    }
    // BRIN builds its descriptor (from the index's relcache entry) into
    // ii_AmCache in ii_Context at its first insert into a summarized range:
    // here in this batch's memory, and forgotten after it.
    // For each BRIN index (without autosummarize, whose request brininsert
    // makes): the range last checked, and whether it was summarized.
    BlockNumber brin_range[INDEX_MAX_KEYS];
    bool brin_summarized[INDEX_MAX_KEYS];
    bool brin_shortcut[INDEX_MAX_KEYS];
    BlockNumber brin_pages[INDEX_MAX_KEYS];
    for (int i = 0; i < indexes->count; ++i) {
        indexes->infos[i]->ii_AmCache = nullptr;
        indexes->infos[i]->ii_Context = CurrentMemoryContext;
    }
    for (int i = 0; i < indexes->count && i < INDEX_MAX_KEYS; ++i) {
        Relation index = indexes->rels[i];
        brin_shortcut[i] = index->rd_rel->relam == BRIN_AM_OID && !BrinGetAutoSummarize(index);
        brin_pages[i] = 1;  // until the metapage is read (brin_range_summarized)
        brin_range[i] = InvalidBlockNumber;
        brin_summarized[i] = true;
    }
    Datum values[INDEX_MAX_KEYS];
    bool isnull[INDEX_MAX_KEYS];
    for (int s = 0; s < n; ++s) {
        for (int i = 0; i < indexes->count; ++i) {
            IndexInfo* info = indexes->infos[i];
            Relation index = indexes->rels[i];
            if (!info->ii_ReadyForInserts)
                continue;
            if (i < INDEX_MAX_KEYS && brin_shortcut[i]) {
                const BlockNumber block = ItemPointerGetBlockNumber(&slots[s]->tts_tid);
                if (brin_range[i] == InvalidBlockNumber || block / brin_pages[i] != brin_range[i]) {
                    brin_summarized[i] = brin_range_summarized(index, block, &brin_pages[i]);
                    brin_range[i] = block / brin_pages[i];
                }
                if (!brin_summarized[i])
                    continue;  // what brininsert would do for this row
            }
            FormIndexDatum(info, slots[s], nullptr, values, isnull);
            index_insert(index, values, isnull, &slots[s]->tts_tid, rel,
                         index->rd_index->indisunique ? UNIQUE_CHECK_YES : UNIQUE_CHECK_NO, false,
                         info);
        }
        ExecClearTuple(slots[s]);
    }
    for (int i = 0; i < indexes->count; ++i) indexes->infos[i]->ii_AmCache = nullptr;
}

enum class Direct {
    written,  // every row to write is in the log
    unknown,  // a table this code does not know: nothing written, use SQL
    missing,  // the relation is gone (dropped since its OID was kept)
};

// The columns this code may leave null (a NOT NULL an administrator added
// to one of them sends the rows through SQL, where PostgreSQL enforces it).
bool may_be_null(int c) {
    return c == c_application_name || c == c_client_addr || c == c_xid || c == c_statement ||
           c == c_waiver_reason;
}

Direct insert_rows_directly(Oid relid, bool committed, bool hold_unended, int* written) {
    *written = 0;
    Relation rel = try_table_open(relid, RowExclusiveLock);
    if (rel == nullptr)
        return Direct::missing;
    TupleDesc desc = RelationGetDescr(rel);
    int attno[column_count];
    for (int c = 0; c < column_count; ++c) attno[c] = -1;
    bool known = rel->rd_rel->relkind == RELKIND_RELATION && rel->trigdesc == nullptr &&
                 !rel->rd_rel->relrowsecurity && shipped_shape(rel);
    // The mapping is reused for the same table with as many columns (an
    // added column moves the count), each mapped column still there with
    // its type (a changed type would be refused below, as at first).
    bool reuse = known && relid == mapped_relid && desc->tdtypeid == mapped_type &&
                 desc->natts == mapped_natts;
    for (int c = 0; c < column_count && reuse; ++c) {
        Form_pg_attribute a = TupleDescAttr(desc, mapped_attno[c]);
        reuse = !a->attisdropped && a->atttypid == log_columns[c].type;
    }
    if (reuse)
        memcpy(attno, mapped_attno, sizeof attno);
    for (int i = 0; i < desc->natts && known && !reuse; ++i) {
        Form_pg_attribute a = TupleDescAttr(desc, i);
        if (a->attisdropped)
            continue;
        int c = 0;
        while (c < column_count && strcmp(NameStr(a->attname), log_columns[c].name) != 0) ++c;
        if (c == column_count || a->atttypid != log_columns[c].type)
            known = false;  // a column this code does not fill, or another type
        else
            attno[c] = i;
    }
    for (int c = 0; c < column_count && known; ++c)
        if (attno[c] < 0 || (may_be_null(c) && TupleDescAttr(desc, attno[c])->attnotnull))
            known = false;
    if (!known) {
        table_close(rel, RowExclusiveLock);
        mapped_relid = InvalidOid;
        return Direct::unknown;
    }
    if (!reuse) {
        memcpy(mapped_attno, attno, sizeof attno);
        mapped_relid = relid;
        mapped_type = desc->tdtypeid;
        mapped_natts = desc->natts;
    }
    FullTransactionId fxid = GetTopFullTransactionId();
    const int64 base = static_cast<int64>(U64FromFullTransactionId(fxid));
    LOCAL_FCINFO(fcinfo, 0);
    InitFunctionCallInfoData(*fcinfo, nullptr, 0, InvalidOid, nullptr, nullptr);
    Datum addr = inet_client_addr(fcinfo);
    const bool addr_null = fcinfo->isnull;
    // The same for every row of the batch.
    const Datum database = name_datum(database_name ? database_name : "");
    bool application_null;
    const Datum application = text_or_null(application_name, &application_null);
    ConstantTexts texts;
    texts.count = 0;
    Datum values[MaxTupleAttributeNumber];
    bool nulls[MaxTupleAttributeNumber];
    LogIndexes indexes;
    open_log_indexes(rel, &indexes);
    TupleTableSlot* slots[insert_batch];
    int slot_count = 0, filled = 0;
    int n = 0;
    const SubTransactionId subid = GetCurrentSubTransactionId();
    for (int i = 0; i < row_count; ++i) {
        Row& r = rows[i];
        if (!row_written(r, hold_unended, false))
            continue;
        ++n;
        int64 id;
        // Unique by construction only while the position fits its 20 bits
        // (the table has no primary key to catch a collision).
        if (rows_inserted + n >= 1048576)
            ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                            errmsg("schema_oracle: more than 1048575 DDL log rows in one "
                                   "transaction")));
        if (pg_mul_s64_overflow(base, 1048576, &id) ||
            pg_add_s64_overflow(id, rows_inserted + n, &id))
            ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                            errmsg("schema_oracle: DDL log row id out of range")));
        for (int k = 0; k < desc->natts; ++k) {
            values[k] = (Datum)0;
            nulls[k] = true;  // dropped columns
        }
        auto set = [&](Column c, Datum d, bool isnull) {
            values[attno[c]] = d;
            nulls[attno[c]] = isnull;
        };
        bool isnull;
        set(c_id, Int64GetDatum(id), false);
        set(c_logged_at, TimestampTzGetDatum(r.at), false);
        set(c_pid, Int32GetDatum(MyProcPid), false);
        set(c_session_role, NameGetDatum(&r.session_role), false);
        set(c_active_role, NameGetDatum(&r.current_role), false);
        set(c_database, database, false);
        set(c_application_name, application, application_null);
        set(c_client_addr, addr, addr_null);
        set(c_xid, FullTransactionIdGetDatum(fxid), false);
        set(c_command_tag, constant_text(&texts, r.command_tag), false);
        Datum* items = static_cast<Datum*>(palloc(sizeof(Datum) * (r.object_count + 1)));
        for (int k = 0; k < r.object_count; ++k)
            items[k] = PointerGetDatum(cstring_to_text(r.object_items[k]));
        set(c_objects,
            PointerGetDatum(r.object_count > 0 ? construct_array(items, r.object_count, TEXTOID, -1,
                                                                 false, TYPALIGN_INT)
                                               : construct_empty_array(TEXTOID)),
            false);
        Datum d = text_or_null(r.statement, &isnull);
        set(c_statement, d, isnull);
        // Most rows have no findings: one '[]' for all of them.
        if (r.first_finding != nullptr) {
            set(c_findings, findings_jsonb(r), false);
        } else {
            if (no_findings == (Datum)0) {
                MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
                no_findings = DirectFunctionCall1(jsonb_in, CStringGetDatum("[]"));
                MemoryContextSwitchTo(old);
            }
            set(c_findings, no_findings, false);
        }
        set(c_action, constant_text(&texts, action_of(r)), false);
        d = text_or_null(r.waiver_reason, &isnull);
        set(c_waiver_reason, d, isnull);
        set(c_outcome, constant_text(&texts, outcome_of(r, committed)), false);
        // heap_insert checks no NOT NULL: the shape check above sent a table
        // with one on a column this code may leave null through SQL.
        r.flushed = true;
        r.flushed_subid = subid;
        if (filled == slot_count)
            slots[slot_count++] = MakeSingleTupleTableSlot(desc, &TTSOpsHeapTuple);
        ExecStoreHeapTuple(heap_form_tuple(desc, values, nulls), slots[filled++], true);
        if (filled == insert_batch) {
            insert_batch_of(rel, &indexes, slots, filled);
            filled = 0;
        }
    }
    insert_batch_of(rel, &indexes, slots, filled);
    for (int i = 0; i < slot_count; ++i) ExecDropSingleTupleTableSlot(slots[i]);
    close_log_indexes(&indexes);
    table_close(rel, NoLock);  // the lock is held until commit
    rows_inserted += n;
    if (n > 0) {
        if (subid > newest_flush_subid)
            newest_flush_subid = subid;
    }
    *written = n;
    return Direct::written;
}

void log_fallback(const char* json, int n, const char* why) {
    ereport(LOG, (errmsg("schema_oracle: could not write %d DDL log row(s) to "
                         "schema_oracle.ddl_log (%s); the rows follow",
                         n, why),
                  errdetail_internal("%s", json), errhidestmt(true)));
}

// Hands `n` rows (JSON) to a worker, waited for or only launched, or to
// the server log when that fails.
void hand_to_worker(const char* json, int n, bool wait) {
    char why[256];
    why[0] = '\0';
    if (!OidIsValid(batch_owner))
        log_fallback(json, n, "the extension is not installed");
    else if (!(wait ? ddl_log_write_in_worker(json, batch_owner, why, sizeof why)
                    : ddl_log_launch_worker(json, batch_owner, why, sizeof why)))
        log_fallback(json, n, why);
}

// Writes the rows through the worker (rolled back), or to the server log.
void write_detached() {
    int n = 0;
    char* json = rows_json(false, &n, false);
    if (json != nullptr)
        hand_to_worker(json, n, true);
    forget_rows();
}

}  // namespace

bool ddl_log_writing() {
    return writing;
}

bool inside_ddl_statement() {
    if (running_depth <= 0 || running_depth > max_running)
        return false;
    Node* s = running[running_depth - 1].stmt;
    if (s == nullptr)
        return false;
    switch (nodeTag(s)) {
        case T_DoStmt:  // DO, CALL: the statements inside are the user's own
        case T_CallStmt:
        case T_ExplainStmt:  // EXPLAIN ANALYZE runs the statement
        case T_ExecuteStmt:  // EXECUTE of a prepared statement
        case T_DeclareCursorStmt:
        case T_FetchStmt:
        case T_CopyStmt:
            return false;
        default:
            return true;  // REFRESH, CREATE TABLE AS, ...: their own queries
    }
}

void ddl_log_leave_statement() {
    current_row = -1;
}

const char* ddl_log_insert_sql() {
    return "INSERT INTO schema_oracle.ddl_log (id, logged_at, pid, session_role, active_role, "
           "database, application_name, client_addr, xid, command_tag, objects, statement, "
           "findings, action, waiver_reason, outcome) "
           "SELECT pg_catalog.pg_current_xact_id()::pg_catalog.text::pg_catalog.int8 "
           "OPERATOR(pg_catalog.*) 1048576 OPERATOR(pg_catalog.+) r.n, "
           "pg_catalog.to_timestamp(r.t), r.pid, r.sr, r.cr, r.db, r.app, "
           "r.addr::pg_catalog.inet, r.xid::pg_catalog.xid8, r.tag, "
           "ARRAY(SELECT pg_catalog.jsonb_array_elements_text(r.obj)), r.stmt, r.f, r.act, "
           "r.why, r.out "
           "FROM pg_catalog.jsonb_to_recordset($1::pg_catalog.jsonb) AS r(n pg_catalog.int8, "
           "t pg_catalog.float8, "
           "pid pg_catalog.int4, sr pg_catalog.name, cr pg_catalog.name, db pg_catalog.name, "
           "app pg_catalog.text, addr pg_catalog.text, xid pg_catalog.text, tag pg_catalog.text, "
           "obj pg_catalog.jsonb, stmt pg_catalog.text, f pg_catalog.jsonb, act pg_catalog.text, "
           "why pg_catalog.text, out pg_catalog.text)";
}

void ddl_log_push_statement(Node* stmt, const char* query_string, int location, int length,
                            bool subcommand) {
    if (running_depth < max_running)
        running[running_depth] = Running{stmt, query_string, location, length, subcommand};
    ++running_depth;
}

int ddl_log_running_depth() {
    return running_depth;
}

Node* ddl_log_running_statement(int level, bool* subcommand) {
    *subcommand = false;
    if (level < 0 || level >= running_depth || level >= max_running)
        return nullptr;
    *subcommand = running[level].subcommand;
    return running[level].stmt;
}

void ddl_log_pop_statement() {
    if (running_depth > 0)
        --running_depth;
}

void ddl_log_begin_statement(Node* parsetree, bool fires_no_end_event) {
    if (parsetree == nullptr || !logging())
        return;
    Row* r = new_row(CreateCommandName(parsetree), statement_text(parsetree));
    r->ended = fires_no_end_event;
    r->only_with_findings =
        IsA(parsetree, LockStmt) && reinterpret_cast<LockStmt*>(parsetree)->mode < ShareLock;
    if (!fires_no_end_event)
        ddl_log_created_begin(parsetree);  // a CREATE TABLE's relations, as they are created
}

void ddl_log_begin_commit(bool prepare) {
    if (!logging())
        return;
    Row* r = new_row(prepare ? "PREPARE TRANSACTION" : "COMMIT", nullptr);
    r->ended = true;
}

void ddl_log_note_finding(const char* rule, int elevel, const char* waiver_reason,
                          const char* message, const char* detail, const char* hint) {
    if (current_row < 0 || settings::ddl_log() == DdlLog::off)
        return;
    Row* r = &rows[current_row];
    MemoryContext old = MemoryContextSwitchTo(log_cxt);
    auto* f = static_cast<Finding*>(palloc(sizeof(Finding)));
    f->rule = pstrdup(rule);
    f->level = waiver_reason ? "waived" : severity_of_level(elevel);  // static strings
    f->message = pstrdup(message);
    f->detail = detail && detail[0] ? pstrdup(detail) : nullptr;
    f->fix = hint && hint[0] ? pstrdup(hint) : nullptr;
    f->waiver_reason = waiver_reason ? pstrdup(waiver_reason) : nullptr;
    f->next = nullptr;
    if (r->last_finding != nullptr)
        r->last_finding->next = f;
    else
        r->first_finding = f;
    r->last_finding = f;
    r->any_finding = true;
    if (elevel == ERROR)
        r->blocked = true;
    if (waiver_reason != nullptr) {
        r->waived = true;
        if (r->waiver_reason == nullptr)
            r->waiver_reason = pstrdup(waiver_reason);
    }
    MemoryContextSwitchTo(old);
}

void ddl_log_blocking() {
    if (row_count == 0 || settings::ddl_log() == DdlLog::off)
        return;
    // At the top level (a statement outside any savepoint, or the COMMIT)
    // the error rolls the whole transaction back: every row goes to the
    // worker now, waited for, as rolled back.
    if (GetCurrentTransactionNestLevel() <= 1) {
        write_detached();
        return;
    }
    // Inside a subtransaction (a savepoint, a PL/pgSQL EXCEPTION block) the
    // error may be caught and the transaction commit: only the blocked
    // statement's row, which never ran, is certain, and it alone is written
    // now. The others stay pending for the commit (or for the rollback,
    // ddl_log_abort), so none is written twice or with the wrong outcome.
    int i = row_count - 1;
    while (i >= 0 && !(rows[i].blocked && !rows[i].detached)) --i;
    if (i < 0)
        return;
    int n = 0;
    char* json = rows_json(false, &n, false, i);
    if (json != nullptr)
        hand_to_worker(json, n, true);
    rows[i].detached = true;
}

void ddl_log_end_statement(const DdlCommand* commands, int n) {
    ddl_log_created_forget();  // whichever statement ends: what was noted is over
    // The innermost statement not yet ended is the one ending now.
    int i = row_count - 1;
    while (i >= 0 && rows[i].ended) --i;
    if (i < 0)
        return;
    Row* r = &rows[i];
    MemoryContext old = MemoryContextSwitchTo(log_cxt);
    for (int k = 0; k < n; ++k) {
        const char* identity = commands[k].object_identity;
        if (identity == nullptr)
            continue;
        // The log never records itself.
        if (strncmp(identity, "schema_oracle.ddl_log", 21) == 0)
            r->skip = true;
        bool seen = false;  // ALTER subcommands repeat it
        for (int j = 0; j < r->object_count && !seen; ++j)
            seen = strcmp(r->object_items[j], identity) == 0;
        if (seen)
            continue;
        if (r->object_count == r->object_cap) {
            r->object_cap = r->object_cap ? r->object_cap * 2 : 4;
            r->object_items = static_cast<char**>(
                r->object_items ? repalloc(r->object_items, sizeof(char*) * r->object_cap)
                                : palloc(sizeof(char*) * r->object_cap));
        }
        r->object_items[r->object_count++] = pstrdup(identity);
    }
    r->ended = true;
    MemoryContextSwitchTo(old);
}

bool ddl_log_wants_objects() {
    if (settings::ddl_log() == DdlLog::off)
        return false;
    int i = row_count - 1;
    while (i >= 0 && rows[i].ended) --i;
    return i >= 0 && (settings::ddl_log() == DdlLog::all || rows[i].any_finding);
}

// After a commit wrote the ended rows, keeps the others (in log_cxt).
void keep_unended_rows() {
    if (!commit_inside_statement()) {
        forget_rows();
        return;
    }
    int kept = 0;
    for (int i = 0; i < row_count; ++i)
        if (!rows[i].ended)
            rows[kept++] = rows[i];
    if (kept == 0) {
        forget_rows();
        return;
    }
    row_count = kept;
    current_row = kept - 1;
    rows_inserted = 0;  // the next transaction's ids start anew
}

namespace {

// The SQL path: the INSERT ... jsonb_to_recordset statement through SPI,
// as the log's owner (ordinary roles may not write the log).
void run_sql_insert(Oid owner, const char* json) {
    Oid saved_user;
    int saved_sec;
    GetUserIdAndSecContext(&saved_user, &saved_sec);
    // A transaction that ran DDL wrote the catalogs already: it is
    // read-write in substance even if SET TRANSACTION READ ONLY followed.
    // Its rows are written all the same (the direct path's heap insert never
    // asks), so the executor's read-only check is lifted for our INSERT
    // alone. Never during recovery, where nothing may be written (no DDL ran
    // there, so no rows exist).
    const bool saved_read_only = XactReadOnly;
    PG_TRY();
    {
        if (!RecoveryInProgress())
            XactReadOnly = false;
        SetUserIdAndSecContext(
            owner, saved_sec | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
        // The INSERT runs as the owner under a search_path of our own: the
        // session's could put a role's own operator or function ahead of
        // pg_catalog's (every name in it is qualified too). An error leaves
        // the level to the (sub)transaction's abort, as for a function's SET.
        const int guc_level = NewGUCNestLevel();
        (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                                GUC_ACTION_SAVE, true, 0, false);
        PushActiveSnapshot(GetTransactionSnapshot());
        if (SPI_connect() != SPI_OK_CONNECT)
            elog(ERROR, "SPI_connect failed");
        // Parsed and planned once per session (the plan cache re-plans it if
        // the log is dropped and created again).
        if (insert_plan == nullptr) {
            Oid type = TEXTOID;
            SPIPlanPtr plan = SPI_prepare(ddl_log_insert_sql(), 1, &type);
            if (plan == nullptr)
                elog(ERROR, "could not prepare the DDL log insert");
            if (SPI_keepplan(plan) != 0)
                elog(ERROR, "could not keep the DDL log insert plan");
            insert_plan = plan;
        }
        Datum value = CStringGetTextDatum(json);
        writing = true;
        if (SPI_execute_plan(insert_plan, &value, nullptr, false, 0) != SPI_OK_INSERT)
            elog(ERROR, "could not insert into schema_oracle.ddl_log");
        writing = false;
        SPI_finish();
        PopActiveSnapshot();
        AtEOXact_GUC(true, guc_level);
    }
    PG_FINALLY();
    {
        writing = false;
        XactReadOnly = saved_read_only;
        SetUserIdAndSecContext(saved_user, saved_sec);
    }
    PG_END_TRY();
}

// What a failure to write the log says, under the error it raised.
struct WriteContext {
    bool at_commit;
};

void write_error_context(void* arg) {
    const auto* w = static_cast<const WriteContext*>(arg);
    errcontext(w->at_commit ? "schema_oracle: writing the DDL audit log schema_oracle.ddl_log at "
                              "COMMIT (the transaction is rolled back; its rows go to the log "
                              "as rolled back, or to the server log)"
                            : "schema_oracle: writing the DDL audit log schema_oracle.ddl_log "
                              "before a query that reads it");
}

// Inserts the rows not yet in the log (only the statements that ended, if
// hold_unended) in the current transaction: directly into the heap and
// indexes, else (a table this code does not know) through SQL. An error
// propagates: at COMMIT it fails the COMMIT, the transaction rolls back and
// the rows go to the worker as rolled back (ddl_log_abort), so a row is
// never lost silently, and a committed migration always has its rows.
// False if the log does not exist (the extension was dropped).
bool write_pending(bool at_commit, bool hold_unended) {
    WriteContext w = {at_commit};
    ErrorContextCallback callback;
    callback.callback = write_error_context;
    callback.arg = &w;
    callback.previous = error_context_stack;
    error_context_stack = &callback;
    bool exists = false;
    for (int attempt = 0; attempt < 2 && !exists; ++attempt) {
        Oid relid;
        Oid owner = log_owner_of(&relid);  // now: the extension may have been dropped meanwhile
        if (!OidIsValid(owner))
            break;
        int written = 0;
        switch (insert_rows_directly(relid, true, hold_unended, &written)) {
            case Direct::written:
                exists = true;
                break;
            case Direct::missing:
                log_rel_known = false;  // dropped since it was found: look again
                break;
            case Direct::unknown: {
                exists = true;
                int n = 0;
                char* json = rows_json(true, &n, hold_unended);
                if (json == nullptr)
                    break;
                if (rows_inserted + n >= 1048576)  // as insert_rows_directly()
                    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                                    errmsg("schema_oracle: more than 1048575 DDL log rows in one "
                                           "transaction")));
                run_sql_insert(owner, json);
                const SubTransactionId subid = GetCurrentSubTransactionId();
                for (int i = 0; i < row_count; ++i)
                    if (row_written(rows[i], hold_unended, false)) {
                        rows[i].flushed = true;
                        rows[i].flushed_subid = subid;
                    }
                rows_inserted += n;
                if (subid > newest_flush_subid)
                    newest_flush_subid = subid;
                break;
            }
        }
    }
    error_context_stack = callback.previous;
    return exists;
}

}  // namespace

void ddl_log_pre_commit() {
    if (row_count == 0)
        return;
    if (settings::ddl_log() == DdlLog::off) {
        forget_rows();
        return;
    }
    // In the committing transaction, without an internal subtransaction: a
    // failure to write fails the COMMIT (see write_pending).
    if (!write_pending(true, commit_inside_statement()))
        forget_rows();
    // Otherwise kept, marked written, until ddl_log_committed(): PostgreSQL
    // may still fail this commit after the callback, and its abort takes
    // the insert away; ddl_log_abort() then writes every row as rolled back.
}

void ddl_log_committed() {
    if (row_count > 0)
        keep_unended_rows();
}

void ddl_log_before_query(const List* range_table, Snapshot snapshot) {
    if (row_count == 0 || writing || settings::ddl_log() == DdlLog::off)
        return;
    Oid relid = known_rel;
    if (!log_rel_known && !(IsTransactionState() && OidIsValid(log_owner_of(&relid))))
        return;
    bool reads = false;
    const ListCell* lc;
    foreach (lc, range_table) {
        const auto* rte = static_cast<const RangeTblEntry*>(lfirst(lc));
        if (rte->rtekind == RTE_RELATION && rte->relid == relid) {
            reads = true;
            break;
        }
    }
    if (!reads || IsInParallelMode() || !IsTransactionState())
        return;
    // The query's snapshot is made visible to the new rows below; only one
    // the query owns alone may be changed: a statement's own, active once
    // and registered at most once (by its portal; standard_ExecutorStart
    // registers it again after this hook). A query inside a STABLE function
    // shares its caller's snapshot, which the caller's executor registered
    // too: changing it would let the caller see its own writes (an INSERT
    // ... SELECT reading back its new rows). Such a query does not see the
    // pending rows (they are written at the commit).
    if (snapshot == nullptr || snapshot->regd_count > 1 || snapshot->active_count != 1)
        return;
    const int before = rows_inserted;
    write_pending(false, true);
    // The rows were inserted with the query's own command id, which its
    // snapshot does not see: the next command id makes them visible, as
    // between two statements of a function.
    if (rows_inserted != before) {
        CommandCounterIncrement();
        snapshot->curcid = GetCurrentCommandId(false);
    }
}

void ddl_log_abort() {
    running_depth = 0;
    ddl_log_created_forget();
    if (row_count == 0)
        return;
    if (settings::ddl_log() == DdlLog::off) {
        forget_rows();
        return;
    }
    for (int i = 0; i < row_count; ++i) {
        rows[i].rolled_back = true;
        rows[i].ended = true;
    }
    // We are inside AbortTransaction: no catalog access (the owner and the
    // database name were looked up with the first row), no subtransaction
    // can start, and interrupts are held off (no cancel or die can arrive
    // here). The rows go to a worker launched now and not waited for: this
    // backend still holds the transaction's locks, and it releases them
    // right after this callback, before the worker gets far. The only
    // errors possible here are out of memory and a failing shared-memory
    // call, which take no lock, pin or buffer: caught without a
    // subtransaction, they leave nothing to release, and the rows go to the
    // server log instead. Every allocation is in log_cxt, reset below.
    MemoryContext cxt = MemoryContextSwitchTo(log_cxt);
    volatile int n = 0;
    char* volatile json = nullptr;
    // errfinish zeroes the holdoff counts before it jumps to PG_CATCH;
    // AbortTransaction holds interrupts around this callback and resumes
    // them after it, so the counts are put back as they were.
    const uint32 interrupt_holdoff = InterruptHoldoffCount;
    const uint32 cancel_holdoff = QueryCancelHoldoffCount;
    PG_TRY();
    {
        int count = 0;
        json = rows_json(false, &count, false);
        n = count;
        if (json != nullptr)
            hand_to_worker(json, n, false);
    }
    PG_CATCH();
    {
        InterruptHoldoffCount = interrupt_holdoff;
        QueryCancelHoldoffCount = cancel_holdoff;
        MemoryContextSwitchTo(log_cxt);
        ErrorData* edata = CopyErrorData();
        FlushErrorState();
        if (json != nullptr)
            log_fallback(json, n, edata->message ? edata->message : "unknown error");
        else
            ereport(LOG, (errmsg("schema_oracle: the DDL log rows of an aborted transaction "
                                 "were lost: %s",
                                 edata->message ? edata->message : "unknown error")));
    }
    PG_END_TRY();
    MemoryContextSwitchTo(cxt);
    forget_rows();
}

void ddl_log_subxact(SubXactEvent event, SubTransactionId mine, SubTransactionId parent) {
    if (event == SUBXACT_EVENT_ABORT_SUB)
        ddl_log_created_subxact_abort(mine);
    // Subtransaction ids only grow: one started after the newest row (the
    // guard's and the commit check's own internal subtransactions, every
    // statement) owns none, so it costs one comparison, not a scan.
    if (mine > newest_row_subid && mine > newest_flush_subid)
        return;
    for (int i = 0; i < row_count; ++i) {
        Row& r = rows[i];
        // A row flushed into the log in this subtransaction: its insert is
        // rolled back with it, so it is written again later.
        if (r.flushed && r.flushed_subid == mine) {
            if (event == SUBXACT_EVENT_ABORT_SUB)
                r.flushed = false;
            else if (event == SUBXACT_EVENT_COMMIT_SUB)
                r.flushed_subid = parent;
        }
        if (r.subid != mine)
            continue;
        if (event == SUBXACT_EVENT_ABORT_SUB) {
            r.rolled_back = true;
            r.ended = true;
        } else if (event == SUBXACT_EVENT_COMMIT_SUB) {
            r.subid = parent;
        }
    }
}

}  // namespace schema_oracle::pg
