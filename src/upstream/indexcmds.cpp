// indexcmds.cpp: index naming as src/backend/commands/indexcmds.c does it
// in PostgreSQL 15 (transformIndexStmt's FigureIndexColname, then
// DefineIndex -> ChooseIndexColumnNames ->
// ChooseIndexName -> ChooseIndexNameAddition). The final step is
// PostgreSQL's own exported ChooseRelationName, which truncates to
// NAMEDATALEN - 1 bytes (multibyte-safe, makeObjectName) and appends 1, 2, ...
// while the name is taken by any relation of the namespace.
#include "schema_oracle/upstream/upstream.hpp"

extern "C" {
#include "commands/defrem.h"
#include "mb/pg_wchar.h"
#include "parser/parse_target.h"
}

namespace schema_oracle::pg::upstream {

// indexcmds.c, ChooseIndexColumnNames (PostgreSQL 15), applied to
// list_concat_copy(stmt->indexParams, stmt->indexIncludingParams) as
// DefineIndex does.
List* index_column_names(IndexStmt* stmt) {
    List* all = list_concat_copy(stmt->indexParams, stmt->indexIncludingParams);
    List* result = NIL;
    ListCell* lc;
    foreach (lc, all) {
        IndexElem* ielem = (IndexElem*)lfirst(lc);
        // parse_utilcmd.c, transformIndexStmt (PostgreSQL 15), names an
        // expression column before DefineIndex runs: FigureIndexColname
        // over the raw expression ("lower" for lower(note), "expr" when it
        // has no better name).
        const char* origname = ielem->indexcolname;
        if (origname == nullptr && ielem->expr != nullptr && ielem->name == nullptr)
            origname = FigureIndexColname(ielem->expr);  // NULL: no better name
        if (origname == nullptr)
            origname = ielem->name ? ielem->name : "expr";
        const char* curname = origname;
        char buf[NAMEDATALEN];
        for (int i = 1;; i++) {
            bool taken = false;
            ListCell* lc2;
            foreach (lc2, result)
                if (strcmp(curname, (char*)lfirst(lc2)) == 0)
                    taken = true;
            if (!taken)
                break;
            char nbuf[32];
            sprintf(nbuf, "%d", i);
            int nlen = pg_mbcliplen(origname, strlen(origname), NAMEDATALEN - 1 - strlen(nbuf));
            memcpy(buf, origname, nlen);
            strcpy(buf + nlen, nbuf);
            curname = buf;
        }
        result = lappend(result, pstrdup(curname));
    }
    return result;
}

// indexcmds.c, ChooseIndexNameAddition (PostgreSQL 15).
char* index_name_addition(List* colnames) {
    char buf[NAMEDATALEN * 2];
    int buflen = 0;
    buf[0] = '\0';
    ListCell* lc;
    foreach (lc, colnames) {
        const char* name = (const char*)lfirst(lc);
        if (buflen > 0)
            buf[buflen++] = '_';
        strlcpy(buf + buflen, name, NAMEDATALEN);
        buflen += strlen(buf + buflen);
        if (buflen >= NAMEDATALEN)
            break;
    }
    return pstrdup(buf);
}

// indexcmds.c, ChooseIndexName (PostgreSQL 15).
char* choose_index_name(const char* tabname, Oid namespace_id, List* colnames, IndexStmt* stmt) {
    if (stmt->primary)
        return ChooseRelationName(tabname, nullptr, "pkey", namespace_id, true);
    if (stmt->excludeOpNames != NIL)
        return ChooseRelationName(tabname, index_name_addition(colnames), "excl", namespace_id,
                                  true);
    if (stmt->isconstraint)
        return ChooseRelationName(tabname, index_name_addition(colnames), "key", namespace_id,
                                  true);
    return ChooseRelationName(tabname, index_name_addition(colnames), "idx", namespace_id, false);
}

}  // namespace schema_oracle::pg::upstream
