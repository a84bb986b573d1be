// foreign_key_refusals.cpp: what PostgreSQL 15 refuses of a foreign key
// before it takes the referenced table's lock (refusal_helpers.hpp), for
// ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY and CREATE TABLE's foreign
// keys alike. Mirrors tablecmds.c: ATAddForeignKeyConstraint (the
// referenced table's kind and persistence, the number of columns),
// transformFkeyCheckAttrs / transformFkeyGetPrimaryKey (the referenced
// key), checkFkeyPermissions (REFERENCES) and the operator lookup that
// decides whether the key can be implemented. Read the upstream source
// again before changing anything here.
#include "schema_oracle/pg/guard.hpp"
#include "refusal_helpers.hpp"

extern "C" {
#include "access/stratnum.h"
#include "access/htup_details.h"
#include "catalog/pg_am.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "parser/parse_coerce.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
}

namespace schema_oracle::pg::upstream::refusal {

// transformFkeyCheckAttrs / transformFkeyGetPrimaryKey (PostgreSQL 15): the
// referenced columns must be those of the primary key (none named) or,
// as a set, those of a valid, immediate, non-partial unique index without
// expressions.
bool referenced_key_exists(Relation pkrel, List* pk_attrs, int nfk, Oid* found) {
    List* indexes = RelationGetIndexList(pkrel);
    const Oid pkindex = pkrel->rd_pkindex;
    int npk = list_length(pk_attrs);
    AttrNumber wanted[INDEX_MAX_KEYS];
    if (npk > INDEX_MAX_KEYS)
        return false;
    int i = 0;
    ListCell* lc;
    foreach (lc, pk_attrs) {
        GuardColumn gc;
        if (!guard_column(RelationGetRelid(pkrel), strVal(lfirst(lc)), &gc) || gc.attnum <= 0)
            return false;
        if (gc.from_file)
            return true;  // a column the migration file added: not known
        for (int j = 0; j < i; ++j)
            if (wanted[j] == gc.attnum)
                return false;  // "... must not contain duplicates"
        wanted[i++] = gc.attnum;
    }
    foreach (lc, indexes) {
        const Oid idx = lfirst_oid(lc);
        if (pk_attrs == NIL && idx != pkindex)
            continue;
        HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(idx));
        if (!HeapTupleIsValid(tup))
            continue;
        Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
        bool ok = ind->indisunique && ind->indimmediate && ind->indisvalid &&
                  heap_attisnull(tup, Anum_pg_index_indpred, nullptr) &&
                  heap_attisnull(tup, Anum_pg_index_indexprs, nullptr);
        if (ok && pk_attrs == NIL) {
            ok = ind->indnkeyatts == nfk;
        } else if (ok) {
            ok = ind->indnkeyatts == npk;
            for (int k = 0; ok && k < ind->indnkeyatts; ++k) {
                bool match = false;
                for (int j = 0; j < npk; ++j) match = match || ind->indkey.values[k] == wanted[j];
                ok = match;
            }
        }
        ReleaseSysCache(tup);
        if (ok) {
            if (found != nullptr)
                *found = idx;
            return true;
        }
    }
    return false;
}

namespace {

// ATAddForeignKeyConstraint (PostgreSQL 15), the equality operators: for
// each referencing column, the referenced key column's operator class (of
// the unique index found) must have an equality operator from its input
// type to the referencing column's base type, or that type must coerce to
// the input type implicitly ("foreign key constraint ... cannot be
// implemented: Key columns ... are of incompatible types").
bool foreign_key_types_match(Relation rel, Constraint* c, Oid index, const Earlier* earlier) {
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(index));
    if (!HeapTupleIsValid(tup))
        return true;
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    bool isnull = true;
    Datum d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indclass, &isnull);
    if (isnull) {
        ReleaseSysCache(tup);
        return true;
    }
    oidvector* classes = (oidvector*)DatumGetPointer(d);
    const Oid pk = ind->indrelid;
    bool ok = true;
    int i = 0;
    ListCell* lc;
    foreach (lc, c->fk_attrs) {
        if (!ok || i >= ind->indnkeyatts)
            break;
        // The key column paired with this referencing column.
        int pos = i;
        if (c->pk_attrs != NIL && i < list_length(c->pk_attrs)) {
            const AttrNumber att = get_attnum(pk, strVal(list_nth(c->pk_attrs, i)));
            pos = -1;
            for (int k = 0; k < ind->indnkeyatts; ++k)
                if (ind->indkey.values[k] == att)
                    pos = k;
        }
        ++i;
        Column fk = column_of(RelationGetRelid(rel), strVal(lfirst(lc)), earlier);
        if (pos < 0 || !fk.found || !OidIsValid(fk.type))
            continue;  // not known
        const Oid opclass = classes->values[pos];
        const Oid family = get_opclass_family(opclass);
        const Oid opcintype = get_opclass_input_type(opclass);
        Oid fktype = getBaseType(fk.type);
        const Oid eq = get_opfamily_member(family, opcintype, fktype, BTEqualStrategyNumber);
        ok = OidIsValid(eq) || can_coerce_type(1, &fktype, (Oid*)&opcintype, COERCION_IMPLICIT);
    }
    ReleaseSysCache(tup);
    return ok;
}

// The same test when the referenced key's index is not known yet (this
// statement adds it: a self-reference to a UNIQUE added before it), with
// the default btree operator class of each referenced column's type, which
// is the one a key this statement adds gets unless it names another.
bool foreign_key_default_types_match(Relation rel, Constraint* c, Oid pk, const Earlier* earlier) {
    const Earlier* pk_earlier = pk == RelationGetRelid(rel) ? earlier : nullptr;
    ListCell* f;
    ListCell* p;
    forboth(f, c->fk_attrs, p, c->pk_attrs) {
        Column fk = column_of(RelationGetRelid(rel), strVal(lfirst(f)), earlier);
        Column key = column_of(pk, strVal(lfirst(p)), pk_earlier);
        if (!fk.found || !key.found || !OidIsValid(fk.type) || !OidIsValid(key.type))
            continue;
        const Oid opclass = GetDefaultOpClass(key.type, BTREE_AM_OID);
        if (!OidIsValid(opclass))
            continue;
        const Oid opcintype = get_opclass_input_type(opclass);
        Oid fktype = getBaseType(fk.type);
        if (!OidIsValid(get_opfamily_member(get_opclass_family(opclass), opcintype, fktype,
                                            BTEqualStrategyNumber)) &&
            !can_coerce_type(1, &fktype, (Oid*)&opcintype, COERCION_IMPLICIT))
            return false;
    }
    return true;
}

// checkFkeyPermissions (tablecmds.c, PostgreSQL 15): REFERENCES on the
// referenced table, or on each referenced column ("permission denied for
// table ..."). With no columns named, they are the primary key's.
bool references_allowed(Relation pkrel, List* pk_attrs) {
    if (!role_known())
        return true;
    const Oid pk = RelationGetRelid(pkrel);
    if (pg_class_aclcheck(pk, GetUserId(), ACL_REFERENCES) == ACLCHECK_OK)
        return true;
    if (pk_attrs != NIL) {
        ListCell* lc;
        foreach (lc, pk_attrs) {
            const AttrNumber att = get_attnum(pk, strVal(lfirst(lc)));
            if (att == InvalidAttrNumber ||
                pg_attribute_aclcheck(pk, att, GetUserId(), ACL_REFERENCES) != ACLCHECK_OK)
                return false;
        }
        return true;
    }
    const Oid pkindex = RelationGetPrimaryKeyIndex(pkrel);
    HeapTuple tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pkindex));
    if (!HeapTupleIsValid(tup))
        return false;  // no primary key: refused for that anyway
    Form_pg_index ind = (Form_pg_index)GETSTRUCT(tup);
    bool ok = true;
    for (int k = 0; ok && k < ind->indnkeyatts; ++k)
        ok = pg_attribute_aclcheck(pk, ind->indkey.values[k], GetUserId(), ACL_REFERENCES) ==
             ACLCHECK_OK;
    ReleaseSysCache(tup);
    return ok;
}

}  // namespace

// ATAddForeignKeyConstraint (PostgreSQL 15) on the referenced table: a
// table (not a view...), of a persistence the referencing table may
// reference, on which the role has REFERENCES. `persistence` is the
// referencing table's.
bool foreign_key_target_accepted(Relation pkrel, char persistence, List* pk_attrs) {
    const char kind = pkrel->rd_rel->relkind;
    const char pkpers = pkrel->rd_rel->relpersistence;
    if (kind != RELKIND_RELATION && kind != RELKIND_PARTITIONED_TABLE)
        return false;  // "referenced relation ... is not a table"
    if ((persistence == RELPERSISTENCE_PERMANENT && pkpers != RELPERSISTENCE_PERMANENT) ||
        (persistence == RELPERSISTENCE_UNLOGGED && pkpers == RELPERSISTENCE_TEMP) ||
        (persistence == RELPERSISTENCE_TEMP && pkpers != RELPERSISTENCE_TEMP))
        return false;  // "constraints on permanent tables may reference only permanent tables", ...
    if (RELATION_IS_OTHER_TEMP(pkrel))
        return false;  // "constraints on temporary tables must involve temporary tables of this
                       // session"
    return references_allowed(pkrel, pk_attrs);
}

// ATAddForeignKeyConstraint (PostgreSQL 15), up to the key's lookup.
bool foreign_key_accepted(Relation rel, Constraint* c, const Earlier* earlier) {
    const Oid relid = RelationGetRelid(rel);
    if (c->skip_validation && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
        return rejected("cannot add NOT VALID foreign key on partitioned table");
    if (!earlier->recurse && rel->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
        return rejected("cannot use ONLY for foreign key on partitioned table ...");
    ListCell* lc;
    foreach (lc, c->fk_attrs)
        if (!user_column(relid, strVal(lfirst(lc)), earlier))
            return rejected("column ... referenced in foreign key constraint does not exist");
    bool file_made = false;
    const Oid pk = relation_of(c->pktable, &file_made);
    if (!OidIsValid(pk)) {
        // "relation ... does not exist": no sub-command of ALTER TABLE makes one.
        if (!file_made)
            (void)refused_by_statement("relation ... does not exist");
        return file_made;  // or the file's own: not known
    }
    Relation pkrel = RelationIdGetRelation(pk);
    if (pkrel == nullptr)
        return false;
    bool ok = foreign_key_target_accepted(pkrel, rel->rd_rel->relpersistence, c->pk_attrs);
    if (!ok)
        (void)rejected(
            "referenced relation ... is not a table this one may reference (a view, another "
            "persistence, or no REFERENCES privilege)");
    // A unique key the file added to the referenced table is not in the
    // catalog: not known then.
    Oid key_index = InvalidOid;
    if (ok && !catalog_changed_by_file(pk) &&
        (pk != relid || (earlier->added == NIL && !earlier->key_added))) {
        ok = referenced_key_exists(pkrel, c->pk_attrs, list_length(c->fk_attrs), &key_index);
        if (!ok)
            (void)rejected(c->pk_attrs == NIL
                               ? "there is no primary key for referenced table ..."
                               : "there is no unique constraint matching given keys for "
                                 "referenced table ...");
    } else if (ok && pk == relid && c->pk_attrs == NIL && !earlier->pk_added &&
               !catalog_changed_by_file(pk) && !OidIsValid(RelationGetPrimaryKeyIndex(pkrel)))
        ok = rejected(
            "there is no primary key for referenced table ...");  // transformFkeyGetPrimaryKey
    // Key types are the catalog's operators and casts: not certain once
    // check()'s file changed such objects (then judged, not refused).
    if (ok && OidIsValid(key_index))
        ok = file_changed_objects() || foreign_key_types_match(rel, c, key_index, earlier);
    else if (ok && c->pk_attrs != NIL)
        ok = file_changed_objects() || foreign_key_default_types_match(rel, c, pk, earlier);
    if (!ok && OidIsValid(key_index))
        (void)rejected(unless_file_changed_objects(
            "foreign key constraint ... cannot be implemented (incompatible key types)"));
    if (ok && c->pk_attrs != NIL && list_length(c->pk_attrs) != list_length(c->fk_attrs))
        ok = rejected("number of referencing and referenced columns for foreign key disagree");
    RelationClose(pkrel);
    return ok;
}

}  // namespace schema_oracle::pg::upstream::refusal
