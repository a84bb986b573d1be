// maintenance.cpp: storage, maintenance and lock-only statements: VACUUM
// FULL, CLUSTER, REFRESH MATERIALIZED VIEW, ALTER DOMAIN ... ADD CONSTRAINT,
// CREATE TRIGGER (lock discipline only), and the ALTER TABLE sub-commands
// SET LOGGED / UNLOGGED, SET TABLESPACE, SET ACCESS METHOD.
#include "extract.hpp"
#include "schema_oracle/upstream/refusals.hpp"
#include "schema_oracle/upstream/upstream.hpp"
#include "schema_oracle/pg/created_objects.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "commands/defrem.h"
#include "commands/tablespace.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_type.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::extract {

namespace {

Oid relation_am(Oid relid) {
    HeapTuple tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
    if (!HeapTupleIsValid(tup))
        return InvalidOid;
    Oid am = ((Form_pg_class)GETSTRUCT(tup))->relam;
    ReleaseSysCache(tup);
    return am;
}

// What `pg_repack --order-by` needs to order the rows as CLUSTER ... USING
// `indexname` does: the index's key columns as an ORDER BY list (columns
// and expressions as pg_get_indexdef gives them, DESC / NULLS and a column's
// non-default collation kept). "" when pg_repack's default order already is
// CLUSTER's (no USING, or the index is the table's clustered one: pg_repack
// orders by it) or when no ORDER BY is CLUSTER's order (not a btree index).
const char* cluster_order_by(Oid table, const char* indexname) {
    if (indexname == nullptr)
        return "";
    const Oid index = get_relname_relid(indexname, get_rel_namespace(table));
    if (!OidIsValid(index) || relation_am(index) != BTREE_AM_OID)
        return "";
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tup))
        return "";
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    if (ind->indisclustered || ind->indrelid != table) {
        ReleaseSysCache(tup);
        return "";
    }
    bool isnull = false;
    int2vector* options = (int2vector*)DatumGetPointer(
        SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indoption, &isnull));
    oidvector* collations = (oidvector*)DatumGetPointer(
        SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indcollation, &isnull));
    StringInfoData buf;
    initStringInfo(&buf);
    // pg_repack runs with search_path = pg_catalog, pg_temp, public: the
    // expressions are deparsed with only pg_catalog (and pg_temp) visible,
    // so every other function and operator comes out schema-qualified. (An
    // ERROR in between pops the override with the guard's subtransaction.)
    OverrideSearchPath* path = GetOverrideSearchPath(CurrentMemoryContext);
    path->schemas = NIL;
    path->addCatalog = true;
    path->addTemp = true;
    PushOverrideSearchPath(path);
    for (int i = 0; i < ind->indnkeyatts; ++i) {
        if (i > 0)
            appendStringInfoString(&buf, ", ");
        text* column =
            DatumGetTextPP(DirectFunctionCall3(pg_get_indexdef_ext, ObjectIdGetDatum(index),
                                               Int32GetDatum(i + 1), BoolGetDatum(false)));
        appendStringInfoString(&buf, text_to_cstring(column));
        const AttrNumber att = ind->indkey.values[i];
        const Oid coll = collations->values[i];
        Oid att_type = InvalidOid, att_coll = InvalidOid;
        int32 att_typmod = -1;
        if (att > 0)
            get_atttypetypmodcoll(table, att, &att_type, &att_typmod, &att_coll);
        if (att > 0 && OidIsValid(coll) && coll != att_coll) {
            HeapTuple ctup = SearchSysCache1(COLLOID, ObjectIdGetDatum(coll));
            if (HeapTupleIsValid(ctup)) {
                Form_pg_collation c = (Form_pg_collation)GETSTRUCT(ctup);
                appendStringInfo(&buf, " COLLATE %s",
                                 quote_qualified_identifier(get_namespace_name(c->collnamespace),
                                                            NameStr(c->collname)));
                ReleaseSysCache(ctup);
            }
        }
        // ORDER BY's defaults are the index's: ASC NULLS LAST, DESC NULLS FIRST.
        const int16 opt = options->values[i];
        const bool desc = (opt & INDOPTION_DESC) != 0;
        const bool nulls_first = (opt & INDOPTION_NULLS_FIRST) != 0;
        if (desc)
            appendStringInfoString(&buf, " DESC");
        if (desc && !nulls_first)
            appendStringInfoString(&buf, " NULLS LAST");
        if (!desc && nulls_first)
            appendStringInfoString(&buf, " NULLS FIRST");
    }
    PopOverrideSearchPath();
    ReleaseSysCache(tup);
    return buf.data;
}

}  // namespace

void extract_create_trigger(Node* stmt, ActionList* out) {
    // CREATE TRIGGER locks the table SHARE ROW EXCLUSIVE: only lock
    // discipline applies.
    add_lock_action(out, ((CreateTrigStmt*)stmt)->relation, ShareRowExclusiveLock);
}

bool create_trigger_is_trivial(Node* stmt, TriageNote*) {
    return LockTimeout > 0 || new_in_xact(resolve_quietly(((CreateTrigStmt*)stmt)->relation));
}

void extract_refresh_matview(Node* stmt, ActionList* out) {
    RefreshMatViewStmt* s = (RefreshMatViewStmt*)stmt;
    ActionFacts* a = new_action(out, Action::refresh_matview);
    Oid relid = fill_table(a, s->relation);
    a->concurrent = s->concurrent;
    fill_lock(a, relid, s->concurrent ? ExclusiveLock : AccessExclusiveLock);
}

void extract_alter_domain(Node* stmt, ActionList* out) {
    AlterDomainStmt* s = (AlterDomainStmt*)stmt;
    if (s->subtype != 'C' || s->def == nullptr || !IsA(s->def, Constraint))
        return;
    Constraint* c = (Constraint*)s->def;
    if (c->contype != CONSTR_CHECK)
        return;
    TypeName* tn = makeTypeNameFromNameList(s->typeName);
    Oid typid = LookupTypeNameOid(nullptr, tn, true);
    if (!OidIsValid(typid) || get_typtype(typid) != TYPTYPE_DOMAIN)
        return;  // PostgreSQL reports it
    // Never the pg_type row's xmin: a GRANT or ALTER DOMAIN earlier in the
    // transaction rewrites it (created_objects.hpp).
    if (created_in_this_transaction(TypeRelationId, typid))
        return;
    ActionFacts* a = new_action(out, Action::alter_domain_add_constraint);
    a->domain.not_valid = c->skip_validation;
    a->domain.domain = copy_text(format_type_be_qualified(typid));
    a->table.found = true;
    a->table.qname = a->domain.domain;
    if (c->skip_validation)
        return;  // NOT VALID: nothing to judge, no hint to write
    // The name ChooseConstraintName gives an unnamed one, as
    // domainAddConstraint asks it: <domain>_check, free in the namespace.
    const char* name = c->conname;
    if (name == nullptr) {
        HeapTuple tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
        if (!HeapTupleIsValid(tup))
            return;
        Form_pg_type type = (Form_pg_type)GETSTRUCT(tup);
        name = upstream::choose_free_constraint_name(NameStr(type->typname), nullptr, "check",
                                                     type->typnamespace);
        ReleaseSysCache(tup);
    }
    a->domain.constraint = quoted(name);
    a->domain.check_sql = copy_text(psprintf(
        "CHECK (%s)", c->raw_expr ? upstream::deparse_domain_check(typid, c->raw_expr) : "true"));
}

void extract_vacuum(Node* stmt, ActionList* out) {
    VacuumStmt* s = (VacuumStmt*)stmt;
    if (!s->is_vacuumcmd || !guard_option_true(s->options, "full"))
        return;
    if (s->rels == NIL) {
        ActionFacts* a = new_action(out, Action::vacuum_full);
        a->whole_database = true;
        a->rewrite.database = copy_text(get_database_name(MyDatabaseId));
        return;
    }
    ListCell* lc;
    foreach (lc, s->rels) {
        VacuumRelation* vr = (VacuumRelation*)lfirst(lc);
        Oid target = resolve(vr->relation);
        if (!OidIsValid(target) || !is_table_or_matview(target))
            continue;
        ActionFacts* a = new_action(out, Action::vacuum_full);
        guard_table_facts(target, &a->table);
        fill_lock(a, target, AccessExclusiveLock);
    }
}

void extract_cluster(Node* stmt, ActionList* out) {
    ClusterStmt* s = (ClusterStmt*)stmt;
    if (s->relation == nullptr) {
        ActionFacts* a = new_action(out, Action::cluster);
        a->whole_database = true;
        a->rewrite.database = copy_text(get_database_name(MyDatabaseId));
        return;
    }
    Oid target = resolve(s->relation);
    if (!OidIsValid(target) || !is_table_or_matview(target) || upstream::cluster_refused(target, s))
        return;  // PostgreSQL reports it
    ActionFacts* a = new_action(out, Action::cluster);
    guard_table_facts(target, &a->table);
    fill_lock(a, target, AccessExclusiveLock);
    a->rewrite.order_by = copy_text(cluster_order_by(target, s->indexname));
}

void extract_set_persistence(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    char persistence = get_rel_persistence(t.relid);
    bool logged = cmd->subtype == AT_SetLogged;
    if ((persistence == RELPERSISTENCE_PERMANENT) == logged)
        return;  // a no-op
    ActionFacts* a = new_action(out, Action::set_persistence);
    a->table = t.table;
    a->storage.logged = logged;
    fill_lock(a, t.relid, t.mode);
}

void extract_set_tablespace(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    Oid ts = get_tablespace_oid(cmd->name, true);
    Oid cur = get_rel_tablespace(t.relid);
    if (!OidIsValid(cur))
        cur = MyDatabaseTableSpace;
    if (!OidIsValid(ts) || ts == cur)
        return;  // an error, or a no-op
    ActionFacts* a = new_action(out, Action::set_tablespace);
    a->table = t.table;
    a->storage.tablespace = quoted(cmd->name);
    fill_lock(a, t.relid, t.mode);
}

void extract_set_access_method(const AlterTarget& t, AlterTableCmd* cmd, ActionList* out) {
    Oid am = get_am_oid(cmd->name, true);
    if (!OidIsValid(am) || am == relation_am(t.relid))
        return;  // an error, or a no-op
    ActionFacts* a = new_action(out, Action::set_access_method);
    a->table = t.table;
    a->storage.access_method = quoted(cmd->name);
    fill_lock(a, t.relid, t.mode);
}

}  // namespace schema_oracle::pg::extract
