// backfill.hpp: the PostgreSQL side of schema_oracle.backfill().
//
// Everything here is plain data (palloc'd, no destructors) and C-style
// functions that may raise ERRORs directly: the batch driver commits between
// batches, which only works from C frames (docs/development.md). C++ is used
// behind cpp_boundary for the pure parts (core/backfill.hpp).
#pragma once

#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "fmgr.h"
#include "executor/spi.h"
}

namespace schema_oracle::pg::backfill {

// The table and its primary key, every name quoted for SQL.
struct Table {
    Oid relid;
    char relkind;
    const char* relation_sql;  // "ONLY s.t" (plain table) or "s.t" (partitioned)
    const char* name_sql;      // "s.t"
    double reltuples;          // planner estimate, -1 = never analyzed
    int nkeys;
    const char** key_names;     // raw column names
    const char** key_sql;       // quoted column names
    const char** key_type_sql;  // schema-qualified type names
    Oid* key_types;
    int16* key_typlen;
    bool* key_typbyval;
    Oid* key_output;  // output function
    Oid* key_input;   // input function
    Oid* key_ioparam;
    const char* gt_operator;  // OPERATOR(ns.>)
    const char* le_operator;  // OPERATOR(ns.<=)
};

// The statements of a batch (core::backfill::BatchSql) as C strings.
struct Statements {
    const char* fetch_first;
    const char* fetch_next;
    const char* update_first;
    const char* update_next;
    const char* max_key;
    const char* count_keys;
};

// Options in the units the driver uses.
struct Options {
    int batch_size;  // 0 = adaptive
    double target_ms;
    int max_batch_size;
    double pause_ms;
    double lock_timeout_ms;
    int max_retries;
    double max_lag_ms;     // < 0 = no limit
    double max_lag_bytes;  // < 0 = no limit
    bool throttle_autovacuum;
    const char* throttle_while;  // NULL = none
    double check_interval_ms;
    double progress_interval_ms;
};

// Fails (ERROR) unless the caller may commit: a top-level CALL outside a
// transaction block. `what` names the procedure in the message.
void require_nonatomic(FunctionCallInfo fcinfo, const char* what);

// Looks the table up, checks the caller may UPDATE it, finds its primary key
// and the comparison operators of the key's btree operator class.
void describe_table(Oid relid, Table* out);

// Parses the clauses with PostgreSQL's raw parser and refuses anything but
// one plain SET list / one condition / one boolean expression: no second
// statement, no FROM or RETURNING smuggled in, no data-modifying subquery,
// no assignment to a primary key column. throttle_while may be NULL.
void check_clauses(const Table* t, const char* set_clause, const char* where_clause,
                   const char* throttle_while);

// The batch statements for this table and these clauses (NULL where = none).
void build_statements(const Table* t, const char* set_clause, const char* where_clause,
                      Statements* out);

// Validates option values (22023 on a bad one).
void check_options(const Options* o);

// Milliseconds in an interval (months count as 30 days).
double interval_ms(Datum interval);

// Settings our own statements run with: search_path = pg_catalog, pg_temp and
// the output formats key values are stored in. Returns the GUC nest level
// to pass to pop_settings (which must be called in the same (sub)transaction;
// an error rolls it back with the subtransaction).
int push_internal_settings();
// The job's recorded search_path (the caller's, when the job started), for
// the user's clauses.
int push_user_search_path(const char* search_path);
void pop_settings(int level);

// Entry points' bodies (src/pg/backfill_run.cpp, backfill_plan.cpp).
int start_job(FunctionCallInfo fcinfo);  // returns the job id
void resume_job(int job_id);
Datum plan(FunctionCallInfo fcinfo);

}  // namespace schema_oracle::pg::backfill
