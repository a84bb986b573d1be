// catalog_reader.cpp: report()'s one pass over the catalogs.
//
// Each catalog is read by ONE bulk query (no per-object queries or pg_depend
// probes) and copied into plain columns in C land; build_model() then fills
// the pure core's model with OID-keyed flat maps. Everything is read-only
// (no temp tables, no writes), so it works on a hot standby, and runs with
// the caller's privileges: sequences the caller may not read are skipped.
#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "schema_oracle/pg/catalog_reader.hpp"
#include "schema_oracle/pg/report.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include "access/relation.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "commands/sequence.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
}

namespace schema_oracle::pg {

namespace {

// Schemas report() never looks at.
#define SO_USER_NAMESPACES                                                               \
    "(SELECT oid FROM pg_catalog.pg_namespace WHERE nspname NOT IN ('pg_catalog', "      \
    "'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' "            \
    "AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%')"

const char* const q_namespaces =
    "SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE oid IN " SO_USER_NAMESPACES;

enum { NSP_OID, NSP_NAME };

const char* const q_classes =
    "SELECT c.oid, c.relnamespace, c.relname, c.relkind, c.relispartition, c.relpages "
    "FROM pg_catalog.pg_class c WHERE c.relkind IN ('r', 'p', 'S') AND c.relpersistence <> 't' "
    "AND c.relnamespace IN " SO_USER_NAMESPACES;

enum { CLS_OID, CLS_NSP, CLS_NAME, CLS_KIND, CLS_ISPART, CLS_PAGES };

const char* const q_attributes =
    "SELECT a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, "
    "a.attislocal, a.attidentity FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
    "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') "
    "AND c.relpersistence <> 't' AND c.relnamespace IN " SO_USER_NAMESPACES;

enum { ATT_REL, ATT_NUM, ATT_NAME, ATT_TYPE, ATT_TYPMOD, ATT_NOTNULL, ATT_LOCAL, ATT_IDENTITY };

// Type names for messages: every type except composite row types (one per
// table) and arrays of them.
const char* const q_types =
    "SELECT t.oid, pg_catalog.format_type(t.oid, NULL) FROM pg_catalog.pg_type t "
    "WHERE t.typtype <> 'c' AND NOT (t.typcategory = 'A' AND t.typelem IN "
    "(SELECT oid FROM pg_catalog.pg_type WHERE typtype = 'c'))";

enum { TYP_OID, TYP_NAME };

// Expressions and predicates are deparsed only where present (rare).
const char* const q_indexes =
    "SELECT i.indexrelid, i.indrelid, c.relnamespace, c.relname, c.relkind, c.relispartition, "
    "am.amname, i.indnkeyatts, i.indkey::pg_catalog.int2[], i.indclass::pg_catalog.oid[], "
    "i.indcollation::pg_catalog.oid[], i.indoption::pg_catalog.int2[], "
    "CASE WHEN i.indexprs IS NOT NULL THEN pg_catalog.pg_get_expr(i.indexprs, i.indrelid) END, "
    "CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END, "
    "pg_catalog.array_to_string(c.reloptions, ','), i.indisunique, i.indisprimary, "
    "i.indisexclusion, i.indnullsnotdistinct, i.indisvalid, i.indisready, i.indislive, "
    "c.relpages, pg_catalog.pg_stat_get_numscans(i.indexrelid) "
    "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
    "JOIN pg_catalog.pg_am am ON am.oid = c.relam "
    "WHERE c.relpersistence <> 't' AND c.relnamespace IN " SO_USER_NAMESPACES;

enum {
    IDX_OID, IDX_TABLE, IDX_NSP, IDX_NAME, IDX_KIND, IDX_ISPART, IDX_AM, IDX_NKEY, IDX_KEY,
    IDX_CLASS, IDX_COLL, IDX_OPTION, IDX_EXPRS, IDX_PRED, IDX_RELOPTS, IDX_UNIQUE, IDX_PRIMARY,
    IDX_EXCL, IDX_NND, IDX_VALID, IDX_READY, IDX_LIVE, IDX_PAGES, IDX_SCANS
};

const char* const q_constraints =
    "SELECT c.oid, c.conname, c.contype, c.conrelid, c.confrelid, c.conindid, c.conparentid, "
    "c.convalidated, c.conkey, c.confkey FROM pg_catalog.pg_constraint c "
    "WHERE c.conrelid <> 0 AND c.contype IN ('p', 'u', 'f', 'c', 'x') "
    "AND c.connamespace IN " SO_USER_NAMESPACES;

enum { CON_OID, CON_NAME, CON_TYPE, CON_REL, CON_FREL, CON_IND, CON_PARENT, CON_VALID, CON_KEY,
       CON_FKEY };

// The first trigger argument (moddatetime's column): tgargs is bytea with
// NUL-terminated arguments, which encode(..., 'escape') shows as \000.
const char* const q_triggers =
    "SELECT t.tgrelid, t.tgname, t.tgfoid, t.tgtype, t.tgenabled, t.tgisinternal, "
    "CASE WHEN t.tgnargs > 0 THEN pg_catalog.split_part(pg_catalog.encode(t.tgargs, 'escape'), "
    "'\\000', 1) END, pg_catalog.array_length(t.tgattr::pg_catalog.int2[], 1) "
    "FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal";

enum { TRG_REL, TRG_NAME, TRG_FUNC, TRG_TYPE, TRG_ENABLED, TRG_INTERNAL, TRG_ARG, TRG_NATTR };

// Trigger functions (with their source) and SECURITY DEFINER functions
// (with their identity, computed for those few rows only).
const char* const q_functions =
    "WITH tf AS (SELECT DISTINCT tgfoid FROM pg_catalog.pg_trigger WHERE NOT tgisinternal) "
    "SELECT p.oid, p.pronamespace, p.proname, l.lanname, p.prosecdef, p.prokind = 'p', "
    "COALESCE((SELECT bool_or(s LIKE 'search\\_path=%') FROM pg_catalog.unnest(p.proconfig) s), "
    "false), CASE WHEN tf.tgfoid IS NOT NULL THEN p.prosrc END, "
    "CASE WHEN p.prosecdef THEN (pg_catalog.pg_identify_object('pg_catalog.pg_proc'::pg_catalog.regclass, "
    "p.oid, 0)).identity END "
    "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang "
    "LEFT JOIN tf ON tf.tgfoid = p.oid WHERE p.prosecdef OR tf.tgfoid IS NOT NULL";

enum { FN_OID, FN_NSP, FN_NAME, FN_LANG, FN_SECDEF, FN_PROC, FN_PINNED, FN_SRC, FN_IDENTITY };

// The last column is filled by read_sequence_values(), not by SQL.
const char* const q_sequences =
    "SELECT s.seqrelid, s.seqtypid, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcycle, "
    "c.relpersistence = 'u', NULL::pg_catalog.int8 FROM pg_catalog.pg_sequence s "
    "JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
    "WHERE c.relpersistence <> 't' AND c.relnamespace IN " SO_USER_NAMESPACES;

enum { SEQ_OID, SEQ_TYPE, SEQ_START, SEQ_INC, SEQ_MAX, SEQ_MIN, SEQ_CYCLE, SEQ_UNLOGGED, SEQ_LAST };

// The one pg_depend read: extension membership, and sequence ownership
// (serial: 'a', identity: 'i').
const char* const q_depends =
    "SELECT d.deptype, d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass, "
    "d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass, d.objid, d.refobjid, d.refobjsubid "
    "FROM pg_catalog.pg_depend d WHERE (d.deptype = 'e' AND d.classid IN "
    "('pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, "
    "'pg_catalog.pg_namespace'::pg_catalog.regclass)) OR (d.deptype IN ('a', 'i') "
    "AND d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass "
    "AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refobjsubid > 0 "
    "AND d.objid IN (SELECT seqrelid FROM pg_catalog.pg_sequence))";

enum { DEP_TYPE, DEP_IS_CLASS, DEP_IS_PROC, DEP_OBJ, DEP_REF, DEP_REFSUB };

// Tables with an index build running now: the progress view (complete for
// the caller's own and, with pg_read_all_stats, everyone's sessions), and
// any other session's SHARE UPDATE EXCLUSIVE table lock (visible to all),
// which CREATE INDEX CONCURRENTLY holds for its whole run.
const char* const q_builds =
    "SELECT relid FROM pg_catalog.pg_stat_progress_create_index WHERE relid IS NOT NULL "
    "UNION SELECT relation FROM pg_catalog.pg_locks WHERE locktype = 'relation' "
    "AND mode = 'ShareUpdateExclusiveLock' AND granted AND relation IS NOT NULL "
    "AND pid <> pg_catalog.pg_backend_pid() "
    "AND database = (SELECT oid FROM pg_catalog.pg_database "
    "WHERE datname = pg_catalog.current_database())";

const char* const q_stats =
    "SELECT pg_catalog.date_trunc('second', r)::text, "
    "pg_catalog.date_part('epoch', pg_catalog.now() - r)::pg_catalog.int8 "
    "FROM (SELECT pg_catalog.pg_stat_get_db_stat_reset_time(d.oid) r FROM pg_catalog.pg_database d "
    "WHERE d.datname = pg_catalog.current_database()) s";

const char* const q_audit_columns =
    "SELECT a, pg_catalog.quote_ident(a) FROM (SELECT (pg_catalog.parse_ident(pg_catalog.btrim(x)))[1] a "
    "FROM pg_catalog.unnest(pg_catalog.string_to_array("
    "pg_catalog.current_setting('schema_oracle.audit_columns'), ',')) x "
    "WHERE pg_catalog.btrim(x) <> '') s";

const char* const q_exemptions = "SELECT rule, object_pattern FROM schema_oracle.exemptions";

// ---------------------------------------------------------------- C land --

std::int64_t* int_array(Datum d, int* len) {
    ArrayType* arr = DatumGetArrayTypeP(d);
    int n = ArrayGetNItems(ARR_NDIM(arr), ARR_DIMS(arr));
    std::int64_t* out = static_cast<std::int64_t*>(palloc(sizeof(std::int64_t) * (n > 0 ? n : 1)));
    const char* p = ARR_DATA_PTR(arr);
    Oid elem = ARR_ELEMTYPE(arr);
    for (int i = 0; i < n; ++i) {
        if (elem == INT2OID)
            out[i] = reinterpret_cast<const int16*>(p)[i];
        else if (elem == INT4OID)
            out[i] = reinterpret_cast<const int32*>(p)[i];
        else
            out[i] = reinterpret_cast<const Oid*>(p)[i];
    }
    *len = n;
    return out;
}

RawTable* raw_query(const char* sql) {
    int rc = SPI_execute(sql, true, 0);
    if (rc != SPI_OK_SELECT) elog(ERROR, "schema_oracle: catalog query failed: %s", sql);
    SPITupleTable* tt = SPI_tuptable;
    TupleDesc desc = tt->tupdesc;
    auto* t = static_cast<RawTable*>(palloc0(sizeof(RawTable)));
    t->nrows = static_cast<int>(SPI_processed);
    t->ncols = desc->natts;
    t->cols = static_cast<RawColumn*>(palloc0(sizeof(RawColumn) * desc->natts));
    const Size n = t->nrows > 0 ? t->nrows : 1;
    for (int c = 0; c < desc->natts; ++c) {
        RawColumn& col = t->cols[c];
        Oid type = TupleDescAttr(desc, c)->atttypid;
        col.nulls = static_cast<bool*>(palloc0(sizeof(bool) * n));
        if (type == TEXTOID || type == NAMEOID) {
            col.kind = 's';
            col.strs = static_cast<const char**>(palloc0(sizeof(char*) * n));
            if (type == NAMEOID) col.quoted = static_cast<const char**>(palloc0(sizeof(char*) * n));
        } else if (type == INT2ARRAYOID || type == OIDARRAYOID || type == INT4ARRAYOID) {
            col.kind = 'a';
            col.arrs = static_cast<std::int64_t**>(palloc0(sizeof(std::int64_t*) * n));
            col.arrlens = static_cast<int*>(palloc0(sizeof(int) * n));
        } else if (type == INT2OID || type == INT4OID || type == INT8OID || type == OIDOID ||
                   type == BOOLOID || type == CHAROID) {
            col.kind = 'i';
            col.ints = static_cast<std::int64_t*>(palloc0(sizeof(std::int64_t) * n));
        } else {
            elog(ERROR, "schema_oracle: unexpected column type %u in catalog query", type);
        }
        for (int r = 0; r < t->nrows; ++r) {
            bool isnull = false;
            Datum d = SPI_getbinval(tt->vals[r], desc, c + 1, &isnull);
            col.nulls[r] = isnull;
            if (isnull) continue;
            switch (col.kind) {
                case 's':
                    if (type == NAMEOID) {
                        col.strs[r] = NameStr(*DatumGetName(d));
                        col.quoted[r] = quote_identifier(col.strs[r]);
                    } else {
                        col.strs[r] = TextDatumGetCString(d);
                    }
                    break;
                case 'a':
                    col.arrs[r] = int_array(d, &col.arrlens[r]);
                    break;
                default:
                    switch (type) {
                        case INT2OID: col.ints[r] = DatumGetInt16(d); break;
                        case INT4OID: col.ints[r] = DatumGetInt32(d); break;
                        case INT8OID: col.ints[r] = DatumGetInt64(d); break;
                        case OIDOID: col.ints[r] = DatumGetObjectId(d); break;
                        case BOOLOID: col.ints[r] = DatumGetBool(d) ? 1 : 0; break;
                        case CHAROID: col.ints[r] = static_cast<unsigned char>(DatumGetChar(d)); break;
                    }
            }
        }
    }
    return t;
}

// Reads each sequence's last value straight from its page, the way
// pg_sequence_last_value() does, but releases each sequence's lock at once:
// a database with tens of thousands of sequences would otherwise exhaust
// the lock table within one transaction. Skipped (left NULL): sequences
// the caller may not read, and unlogged ones during recovery (a standby
// has no data for them).
void read_sequence_values(RawTable* seqs) {
    const bool recovery = RecoveryInProgress();
    RawColumn& last = seqs->cols[SEQ_LAST];
    last.kind = 'i';
    last.ints = static_cast<std::int64_t*>(palloc0(sizeof(std::int64_t) * (seqs->nrows + 1)));
    for (int r = 0; r < seqs->nrows; ++r) {
        last.nulls[r] = true;
        Oid relid = static_cast<Oid>(seqs->i(r, SEQ_OID));
        if (recovery && seqs->i(r, SEQ_UNLOGGED)) continue;
        if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT | ACL_USAGE) != ACLCHECK_OK) continue;
        Relation rel = try_relation_open(relid, AccessShareLock);
        if (rel == nullptr) continue;  // dropped meanwhile
        if (rel->rd_rel->relkind == RELKIND_SEQUENCE) {
            Buffer buf = ReadBuffer(rel, 0);
            LockBuffer(buf, BUFFER_LOCK_SHARE);
            Page page = BufferGetPage(buf);
            ItemId lp = PageGetItemId(page, FirstOffsetNumber);
            if (ItemIdIsNormal(lp)) {
                auto* tup = reinterpret_cast<HeapTupleHeader>(PageGetItem(page, lp));
                auto* data = reinterpret_cast<Form_pg_sequence_data>(
                    reinterpret_cast<char*>(tup) + tup->t_hoff);
                if (data->is_called) {
                    last.ints[r] = data->last_value;
                    last.nulls[r] = false;
                }
            }
            UnlockReleaseBuffer(buf);
        }
        relation_close(rel, AccessShareLock);
    }
}

}  // namespace

RawCatalog* read_catalog() {
    auto* raw = static_cast<RawCatalog*>(palloc0(sizeof(RawCatalog)));
    raw->namespaces = raw_query(q_namespaces);
    raw->classes = raw_query(q_classes);
    raw->attributes = raw_query(q_attributes);
    raw->types = raw_query(q_types);
    raw->indexes = raw_query(q_indexes);
    raw->constraints = raw_query(q_constraints);
    raw->triggers = raw_query(q_triggers);
    raw->functions = raw_query(q_functions);
    raw->sequences = raw_query(q_sequences);
    read_sequence_values(raw->sequences);
    raw->depends = raw_query(q_depends);
    raw->builds = raw_query(q_builds);
    raw->stats = raw_query(q_stats);
    raw->audit_columns = raw_query(q_audit_columns);
    raw->exemptions = raw_query(q_exemptions);
    raw->max_indexes_per_table = report_max_indexes_per_table();
    return raw;
}

// ------------------------------------------------------------------ C++ --

namespace {

core::AttrList attr_list(const RawTable& t, int r, int c) {
    core::AttrList out;
    if (t.null(r, c)) return out;
    const RawColumn& col = t.cols[c];
    for (int k = 0; k < col.arrlens[r]; ++k) out.push_back(static_cast<core::AttrNumber>(col.arrs[r][k]));
    return out;
}

core::OidList oid_list(const RawTable& t, int r, int c) {
    core::OidList out;
    if (t.null(r, c)) return out;
    const RawColumn& col = t.cols[c];
    for (int k = 0; k < col.arrlens[r]; ++k) out.push_back(static_cast<core::Oid>(col.arrs[r][k]));
    return out;
}

std::string str(const RawTable& t, int r, int c) { return t.null(r, c) ? std::string() : t.s(r, c); }

template <typename Map, typename Vec>
void fill_sorted(Map& map, Vec&& items) {
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    items.erase(std::unique(items.begin(), items.end(),
                            [](const auto& a, const auto& b) { return a.first == b.first; }),
                items.end());
    map.adopt_sequence(boost::container::ordered_unique_range, std::move(items));
}

}  // namespace

void build_model(const RawCatalog& raw, core::CatalogModel& m) {
    using core::Oid;
    {
        const RawTable& t = *raw.namespaces;
        boost::container::flat_map<Oid, core::Namespace>::sequence_type v;
        v.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Namespace n;
            n.oid = static_cast<Oid>(t.i(r, NSP_OID));
            n.name = t.s(r, NSP_NAME);
            n.qname = t.q(r, NSP_NAME);
            v.emplace_back(n.oid, std::move(n));
        }
        fill_sorted(m.namespaces, std::move(v));
    }
    {
        const RawTable& t = *raw.classes;
        boost::container::flat_map<Oid, core::Relation>::sequence_type v;
        v.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Relation rel;
            rel.oid = static_cast<Oid>(t.i(r, CLS_OID));
            rel.nsp = static_cast<Oid>(t.i(r, CLS_NSP));
            rel.name = t.s(r, CLS_NAME);
            rel.qname = t.q(r, CLS_NAME);
            rel.kind = static_cast<char>(t.i(r, CLS_KIND));
            rel.is_partition = t.i(r, CLS_ISPART) != 0;
            rel.pages = t.i(r, CLS_PAGES);
            v.emplace_back(rel.oid, std::move(rel));
        }
        fill_sorted(m.relations, std::move(v));
    }
    {
        const RawTable& t = *raw.attributes;
        for (int r = 0; r < t.nrows; ++r) {
            auto it = m.relations.find(static_cast<Oid>(t.i(r, ATT_REL)));
            if (it == m.relations.end()) continue;
            core::Attribute a;
            a.attnum = static_cast<core::AttrNumber>(t.i(r, ATT_NUM));
            a.name = t.s(r, ATT_NAME);
            a.qname = t.q(r, ATT_NAME);
            a.type = static_cast<Oid>(t.i(r, ATT_TYPE));
            a.typmod = static_cast<std::int32_t>(t.i(r, ATT_TYPMOD));
            a.not_null = t.i(r, ATT_NOTNULL) != 0;
            a.is_local = t.i(r, ATT_LOCAL) != 0;
            a.identity = static_cast<char>(t.i(r, ATT_IDENTITY));
            it->second.attrs.push_back(std::move(a));
        }
        for (auto& [oid, rel] : m.relations)
            std::sort(rel.attrs.begin(), rel.attrs.end(),
                      [](const core::Attribute& x, const core::Attribute& y) {
                          return x.attnum < y.attnum;
                      });
    }
    {
        const RawTable& t = *raw.types;
        boost::container::flat_map<Oid, std::string>::sequence_type v;
        v.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r)
            v.emplace_back(static_cast<Oid>(t.i(r, TYP_OID)), str(t, r, TYP_NAME));
        fill_sorted(m.type_names, std::move(v));
    }
    {
        const RawTable& t = *raw.indexes;
        boost::container::flat_map<Oid, core::Index>::sequence_type v;
        v.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Index ix;
            ix.oid = static_cast<Oid>(t.i(r, IDX_OID));
            ix.table = static_cast<Oid>(t.i(r, IDX_TABLE));
            ix.nsp = static_cast<Oid>(t.i(r, IDX_NSP));
            ix.name = t.s(r, IDX_NAME);
            ix.qname = t.q(r, IDX_NAME);
            ix.kind = static_cast<char>(t.i(r, IDX_KIND));
            ix.is_partition = t.i(r, IDX_ISPART) != 0;
            ix.am = t.s(r, IDX_AM);
            ix.nkey = static_cast<int>(t.i(r, IDX_NKEY));
            ix.columns = attr_list(t, r, IDX_KEY);
            ix.opclasses = oid_list(t, r, IDX_CLASS);
            ix.collations = oid_list(t, r, IDX_COLL);
            ix.options = attr_list(t, r, IDX_OPTION);
            if (!t.null(r, IDX_EXPRS)) ix.expressions = t.s(r, IDX_EXPRS);
            if (!t.null(r, IDX_PRED)) ix.predicate = t.s(r, IDX_PRED);
            ix.reloptions = str(t, r, IDX_RELOPTS);
            ix.unique = t.i(r, IDX_UNIQUE) != 0;
            ix.primary = t.i(r, IDX_PRIMARY) != 0;
            ix.exclusion = t.i(r, IDX_EXCL) != 0;
            ix.nulls_not_distinct = t.i(r, IDX_NND) != 0;
            ix.valid = t.i(r, IDX_VALID) != 0;
            ix.ready = t.i(r, IDX_READY) != 0;
            ix.live = t.i(r, IDX_LIVE) != 0;
            ix.pages = t.i(r, IDX_PAGES);
            if (!t.null(r, IDX_SCANS)) ix.scans = t.i(r, IDX_SCANS);
            v.emplace_back(ix.oid, std::move(ix));
        }
        fill_sorted(m.indexes, std::move(v));
    }
    {
        const RawTable& t = *raw.constraints;
        m.constraints.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Constraint c;
            c.oid = static_cast<Oid>(t.i(r, CON_OID));
            c.name = t.s(r, CON_NAME);
            c.qname = t.q(r, CON_NAME);
            c.type = static_cast<char>(t.i(r, CON_TYPE));
            c.table = static_cast<Oid>(t.i(r, CON_REL));
            c.ref_table = static_cast<Oid>(t.i(r, CON_FREL));
            c.index = static_cast<Oid>(t.i(r, CON_IND));
            c.parent = static_cast<Oid>(t.i(r, CON_PARENT));
            c.validated = t.i(r, CON_VALID) != 0;
            c.key = attr_list(t, r, CON_KEY);
            c.ref_key = attr_list(t, r, CON_FKEY);
            m.constraints.push_back(std::move(c));
        }
        // Stable order whatever the scan order was.
        std::sort(m.constraints.begin(), m.constraints.end(),
                  [](const core::Constraint& a, const core::Constraint& b) { return a.oid < b.oid; });
    }
    {
        const RawTable& t = *raw.triggers;
        m.triggers.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Trigger tr;
            tr.table = static_cast<Oid>(t.i(r, TRG_REL));
            tr.name = t.s(r, TRG_NAME);
            tr.function = static_cast<Oid>(t.i(r, TRG_FUNC));
            tr.type = static_cast<int>(t.i(r, TRG_TYPE));
            tr.enabled = static_cast<char>(t.i(r, TRG_ENABLED));
            tr.internal = t.i(r, TRG_INTERNAL) != 0;
            tr.first_arg = str(t, r, TRG_ARG);
            tr.nattr = t.null(r, TRG_NATTR) ? 0 : static_cast<int>(t.i(r, TRG_NATTR));
            m.triggers.push_back(std::move(tr));
        }
        std::sort(m.triggers.begin(), m.triggers.end(),
                  [](const core::Trigger& a, const core::Trigger& b) {
                      return std::tie(a.table, a.name) < std::tie(b.table, b.name);
                  });
    }
    {
        const RawTable& t = *raw.functions;
        boost::container::flat_map<Oid, core::Function>::sequence_type v;
        v.reserve(t.nrows);
        for (int r = 0; r < t.nrows; ++r) {
            core::Function f;
            f.oid = static_cast<Oid>(t.i(r, FN_OID));
            f.nsp = static_cast<Oid>(t.i(r, FN_NSP));
            f.name = t.s(r, FN_NAME);
            f.language = t.s(r, FN_LANG);
            f.security_definer = t.i(r, FN_SECDEF) != 0;
            f.is_procedure = t.i(r, FN_PROC) != 0;
            f.pins_search_path = t.i(r, FN_PINNED) != 0;
            f.source = str(t, r, FN_SRC);
            f.identity = str(t, r, FN_IDENTITY);
            v.emplace_back(f.oid, std::move(f));
        }
        fill_sorted(m.functions, std::move(v));
    }
    {
        const RawTable& t = *raw.depends;
        std::vector<Oid> ext_rel, ext_fn, ext_nsp;
        boost::container::flat_map<Oid, std::pair<Oid, core::AttrNumber>> owner;
        for (int r = 0; r < t.nrows; ++r) {
            char type = static_cast<char>(t.i(r, DEP_TYPE));
            Oid obj = static_cast<Oid>(t.i(r, DEP_OBJ));
            if (type == 'e') {
                if (t.i(r, DEP_IS_CLASS))
                    ext_rel.push_back(obj);
                else if (t.i(r, DEP_IS_PROC))
                    ext_fn.push_back(obj);
                else
                    ext_nsp.push_back(obj);
            } else {
                owner[obj] = {static_cast<Oid>(t.i(r, DEP_REF)),
                              static_cast<core::AttrNumber>(t.i(r, DEP_REFSUB))};
            }
        }
        m.extension_relations.insert(ext_rel.begin(), ext_rel.end());
        m.extension_functions.insert(ext_fn.begin(), ext_fn.end());
        m.extension_namespaces.insert(ext_nsp.begin(), ext_nsp.end());

        const RawTable& s = *raw.sequences;
        m.sequences.reserve(s.nrows);
        for (int r = 0; r < s.nrows; ++r) {
            core::Sequence q;
            q.oid = static_cast<Oid>(s.i(r, SEQ_OID));
            q.type = static_cast<Oid>(s.i(r, SEQ_TYPE));
            q.start = s.i(r, SEQ_START);
            q.increment = s.i(r, SEQ_INC);
            q.max = s.i(r, SEQ_MAX);
            q.min = s.i(r, SEQ_MIN);
            q.cycle = s.i(r, SEQ_CYCLE) != 0;
            if (!s.null(r, SEQ_LAST)) q.last = s.i(r, SEQ_LAST);
            auto o = owner.find(q.oid);
            if (o != owner.end()) {
                q.owner_table = o->second.first;
                q.owner_column = o->second.second;
            }
            m.sequences.push_back(q);
        }
        std::sort(m.sequences.begin(), m.sequences.end(),
                  [](const core::Sequence& a, const core::Sequence& b) { return a.oid < b.oid; });
    }
    {
        const RawTable& t = *raw.builds;
        for (int r = 0; r < t.nrows; ++r)
            if (!t.null(r, 0)) m.index_builds_in_progress.insert(static_cast<Oid>(t.i(r, 0)));
    }
    {
        const RawTable& t = *raw.stats;
        if (t.nrows > 0 && !t.null(0, 0)) {
            m.stats_reset = std::string(t.s(0, 0));
            if (!t.null(0, 1)) m.stats_age_seconds = static_cast<double>(t.i(0, 1));
        }
    }
    {
        const RawTable& t = *raw.audit_columns;
        m.settings.audit_columns.clear();
        m.settings.audit_columns_quoted.clear();
        for (int r = 0; r < t.nrows; ++r) {
            m.settings.audit_columns.push_back(t.s(r, 0));
            m.settings.audit_columns_quoted.push_back(t.s(r, 1));
        }
    }
    m.settings.max_indexes_per_table = raw.max_indexes_per_table;
    m.link();
}

}  // namespace schema_oracle::pg
