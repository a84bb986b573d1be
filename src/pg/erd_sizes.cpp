// erd_sizes.cpp: pg_total_relation_size() for every table of
// data_dictionary() at once, from the files (C land).
//
// pg_total_relation_size() (src/backend/utils/adt/dbsize.c, PostgreSQL 15)
// opens the relation, its indexes and its TOAST table through the relcache
// and stat()s every fork's segments one path at a time: for 10,000 tables
// that is some 300,000 stat() calls, most of them of forks that do not
// exist, and a relcache entry built for each of some 60,000 relations in a
// new session. The sum is the same when taken from one listing of each
// tablespace directory of the database: the bytes of every file of a
// relfilenode (main, _fsm, _vm, _init forks and their .N segments), added
// up for the table, its TOAST table and the TOAST table's indexes, and the
// table's indexes (calculate_total_relation_size: calculate_table_size +
// calculate_indexes_size; indexes being dropped, !indislive, are left out as
// RelationGetIndexList leaves them out). The relfilenodes come from the
// pg_class rows the catalog snapshot shows, so no lock is taken and nothing
// waits behind another session's ACCESS EXCLUSIVE lock; a file that
// disappears while it is read counts as 0 bytes, as dbsize.c counts it.
#include <cstring>

#include "schema_oracle/pg/erd_sizes.hpp"
#include "schema_oracle/pg/postgres.hpp"

extern "C" {
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "catalog/pg_tablespace_d.h"
#include "common/relpath.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/hsearch.h"
}

namespace schema_oracle::pg::erd {

namespace {

struct FileKey {
    Oid tablespace;
    Oid relfilenode;
};

struct FileEntry {
    FileKey key;
    std::int64_t bytes;
};

struct SpaceEntry {
    Oid key;
    bool listed;
};

// "<relfilenode>[_fsm|_vm|_init][.<segment>]": the relfilenode, or 0 for
// any other file (PG_VERSION, pg_filenode.map, temporary "t..." files).
Oid relfilenode_of(const char* name) {
    const char* p = name;
    if (*p < '1' || *p > '9')
        return InvalidOid;
    std::uint64_t n = 0;
    while (*p >= '0' && *p <= '9') {
        n = n * 10 + static_cast<std::uint64_t>(*p - '0');
        if (n > 0xffffffffu)
            return InvalidOid;
        ++p;
    }
    if (*p == '_') {
        if (strncmp(p, "_fsm", 4) == 0)
            p += 4;
        else if (strncmp(p, "_vm", 3) == 0)
            p += 3;
        else if (strncmp(p, "_init", 5) == 0)
            p += 5;
        else
            return InvalidOid;
    }
    if (*p == '.') {
        ++p;
        if (*p < '0' || *p > '9')
            return InvalidOid;
        while (*p >= '0' && *p <= '9') ++p;
    }
    return *p == '\0' ? static_cast<Oid>(n) : InvalidOid;
}

}  // namespace

struct FileSizes {
    HTAB* files;   // (tablespace, relfilenode) -> bytes
    HTAB* spaces;  // tablespaces listed
};

FileSizes* file_sizes_create() {
    auto* s = static_cast<FileSizes*>(palloc0(sizeof(FileSizes)));
    HASHCTL ctl;
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(FileKey);
    ctl.entrysize = sizeof(FileEntry);
    ctl.hcxt = CurrentMemoryContext;
    s->files = hash_create("erd relation files", 1024, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    memset(&ctl, 0, sizeof(ctl));
    ctl.keysize = sizeof(Oid);
    ctl.entrysize = sizeof(SpaceEntry);
    ctl.hcxt = CurrentMemoryContext;
    s->spaces = hash_create("erd tablespaces", 8, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
    return s;
}

// Lists the database's directory in `tablespace` once.
static void list_tablespace(FileSizes& s, Oid tablespace) {
    bool found;
    auto* space = static_cast<SpaceEntry*>(hash_search(s.spaces, &tablespace, HASH_ENTER, &found));
    if (found)
        return;
    space->listed = true;
    char* path = GetDatabasePath(MyDatabaseId, tablespace);
    DIR* dir = AllocateDir(path);
    if (dir == nullptr)  // a tablespace without this database's directory
        return;
    int fd = dirfd(dir);
    struct dirent* de;
    while ((de = ReadDir(dir, path)) != nullptr) {
        CHECK_FOR_INTERRUPTS();
        Oid relfilenode = relfilenode_of(de->d_name);
        if (!OidIsValid(relfilenode))
            continue;
        struct stat st;
        if (fstatat(fd, de->d_name, &st, 0) < 0) {
            if (errno == ENOENT)
                continue;  // gone since the listing: 0 bytes, as dbsize.c counts it
            ereport(ERROR, (errcode_for_file_access(),
                            errmsg("could not stat file \"%s/%s\": %m", path, de->d_name)));
        }
        FileKey key{tablespace, relfilenode};
        auto* e = static_cast<FileEntry*>(hash_search(s.files, &key, HASH_ENTER, &found));
        if (!found)
            e->bytes = 0;
        e->bytes += st.st_size;
    }
    FreeDir(dir);
}

std::int64_t file_bytes(FileSizes& s, Oid tablespace, Oid relfilenode) {
    if (!OidIsValid(relfilenode))  // no storage (partitioned, foreign, mapped catalogs)
        return 0;
    if (!OidIsValid(tablespace))
        tablespace = MyDatabaseTableSpace;
    list_tablespace(s, tablespace);
    FileKey key{tablespace, relfilenode};
    auto* e = static_cast<FileEntry*>(hash_search(s.files, &key, HASH_FIND, nullptr));
    return e ? e->bytes : 0;
}

}  // namespace schema_oracle::pg::erd
