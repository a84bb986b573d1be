// overlay.hpp: what the earlier statements of a migration file have done,
// as plain data, for schema_oracle.check().
//
// check() judges a file without running it. Each statement is judged by the
// live guard's rules against the live catalog, seen through this overlay:
// relations created earlier in the file (new in their transaction, with the
// columns they were created with), relations dropped or renamed earlier,
// columns added or dropped earlier, the locks the file's current transaction
// already holds, lock_timeout set earlier, and where the file's transactions
// begin and end (the transaction mode, BEGIN/COMMIT/ROLLBACK in the file).
//
// Pure C++: the PostgreSQL adapter (src/pg/check*.cpp) consults it where the
// guard's extractor would read the catalog. Lookups take string_views and
// return pointers, never allocate, and never throw, so the adapter may call
// them from C-style code where an ERROR can longjmp.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/flat_map.hpp>
#include <boost/container/flat_set.hpp>

#include "schema_oracle/core/facts.hpp"

namespace schema_oracle::core {

// How the file will be run.
enum class TransactionMode {
    single,         // one transaction around the whole file (Prisma, Flyway, Alembic defaults)
    per_statement,  // every statement its own transaction; BEGIN/COMMIT in the file are ignored
    as_written,     // autocommit, honouring BEGIN/COMMIT/ROLLBACK in the file (psql -f)
};
std::optional<TransactionMode> parse_transaction_mode(std::string_view text) noexcept;

enum class TransactionControl { none, begin, commit, rollback };

// A column as the file leaves it. Type identifiers are the catalog's OIDs
// (opaque here), 0 when unknown.
struct OverlayColumn {
    std::string name;
    std::uint32_t type_oid = 0;
    std::int32_t typmod = -1;
    std::uint32_t collation = 0;
    bool not_null = false;
    bool dropped = false;  // dropped (or renamed away) by the file
};

// A relation the file created, dropped or changed, keyed by its raw
// (unquoted) schema and name. A relation of the catalog the file changed
// carries its OID; one the file created has oid 0.
struct OverlayRelation {
    std::string schema, name;
    char kind = 'r';        // pg_class.relkind of what the file made ('r', 'p', 'i', 'v', 'S', ...)
    std::uint32_t oid = 0;  // the catalog relation this name now denotes (0: created by the file)
    bool dropped = false;   // the name no longer denotes anything
    bool columns_known = true;           // created with an explicit column list
    int created_xact = -1;               // the file transaction that created it (-1: not created)
    std::vector<OverlayColumn> columns;  // created with / added by / dropped by the file
    std::string parent;                  // an index: its table's key (a relation the file created)
    std::uint32_t parent_oid = 0;        // an index on a catalog table: the table
};

// An index the file creates (CREATE INDEX, PRIMARY KEY, UNIQUE), for the
// foreign keys of the same file: its table (an overlay key for a relation
// the file created, else the catalog OID) and its key columns (raw; "" for
// an expression).
struct FileIndex {
    std::string table_key;
    std::uint32_t table_oid = 0;
    std::vector<std::string> keys;
    bool btree = true;
    bool partial = false;
};

// A foreign key the file adds, judged when its transaction commits: is an
// index covering it there by then (created before or after it)?
struct PendingForeignKey {
    std::string table_key;  // as FileIndex
    std::uint32_t table_oid = 0;
    bool new_table = false;      // the table is new in the transaction
    std::string table_qname;     // quoted, qualified
    std::string index_name;      // the name PostgreSQL would give the covering index, quoted
    std::string referenced;      // the referenced table, as written
    std::string referenced_key;  // ... as FileIndex's table (a DROP of either table drops the FK)
    std::uint32_t referenced_oid = 0;
    std::vector<std::string> columns;         // raw
    std::vector<std::string> quoted_columns;  // quoted
    int file = 0, statement = 0;              // where it was added (check()'s row position)
    std::size_t at = 0, start = 0, end = 0;
    bool covered = false;  // a file index covers it
};

// fk_coverage.hpp's definition of "covers", over column names: a
// non-partial index whose first N key columns are the foreign key's N
// columns as a set; a non-btree index only a one-column key, first.
bool index_covers_columns(const std::vector<std::string>& keys, bool btree, bool partial,
                          const std::vector<std::string>& fk_columns);

// The overlay itself, plus the file's transaction state.
class Overlay {
public:
    explicit Overlay(TransactionMode mode, bool session_lock_timeout);

    TransactionMode mode() const noexcept { return mode_; }

    // --- transactions --------------------------------------------------
    // Called before each statement with its kind; updates the block state
    // the way PostgreSQL would (BEGIN inside a block is a no-op warning,
    // COMMIT outside one is a no-op). Returns whether the statement runs
    // inside a transaction block.
    bool statement_begins(TransactionControl control);
    // Called after each statement (ends the implicit transaction of an
    // autocommitted statement).
    void statement_ends();
    bool in_transaction_block() const noexcept { return in_block_; }
    // Between two migration files: a transaction the first left open is
    // committed (each file is one migration), session settings return to
    // where the checking session started, and in single mode the next file
    // starts its own transaction. Relations and columns carry over.
    void next_file();
    // The shadow of the live guard: start from the live transaction's state.
    void seed(bool in_block, bool lock_timeout_reported, std::string_view ae_table,
              std::uint32_t ae_oid) {
        in_block_ = in_block;
        lock_timeout_reported_ = lock_timeout_reported;
        ae_table_ = std::string(ae_table);
        ae_oid_ = ae_oid;
        ae_reported_ = false;
    }
    int xact() const noexcept { return xact_; }

    // --- relations -----------------------------------------------------
    static std::string key(std::string_view schema, std::string_view name);
    const OverlayRelation* find(std::string_view schema, std::string_view name) const noexcept;
    OverlayRelation* find(std::string_view schema, std::string_view name) noexcept;
    const OverlayRelation* find_key(std::string_view key) const noexcept;
    // The overlay entry that now denotes catalog relation `oid` (renamed or changed).
    const OverlayRelation* find_oid(std::uint32_t oid) const noexcept;
    // Whether a relation the file created is new in the current transaction.
    bool created_in_current_xact(const OverlayRelation& rel) const noexcept {
        return rel.created_xact >= 0 && rel.created_xact == xact_;
    }
    // The column `name` of `rel` as the file leaves it, or nullptr when the
    // file says nothing about it.
    static const OverlayColumn* column(const OverlayRelation& rel, std::string_view name) noexcept;

    OverlayRelation& create(std::string_view schema, std::string_view name, char kind);
    // A catalog relation the file touches (dropped, renamed, columns changed).
    OverlayRelation& touch_catalog(std::string_view schema, std::string_view name, char kind,
                                   std::uint32_t oid);
    void drop(std::string_view schema, std::string_view name);
    void rename(std::string_view schema, std::string_view from, std::string_view to);
    void add_column(OverlayRelation& rel, OverlayColumn column);
    void drop_column(OverlayRelation& rel, std::string_view name);
    void rename_column(OverlayRelation& rel, std::string_view from, std::string_view to);

    // --- locks held by the file's current transaction ---------------------
    void note_lock(std::string_view relation_key, Lock lock);
    Lock held(std::string_view relation_key) const noexcept;

    // --- catalog relations the file changed ---------------------------------
    // A relation the file named or locked (any statement, any transaction,
    // rolled back or not): what the catalog says of its constraints,
    // indexes, partitions and dependents may no longer hold for the file.
    void note_changed(std::string_view relation_key);
    bool changed(std::string_view relation_key) const noexcept;

    // --- foreign keys and their indexes ---------------------------------------
    void note_index(FileIndex index);
    void note_foreign_key(PendingForeignKey fk);
    // The foreign keys of transactions that committed since the last call,
    // each marked covered when an index of the file covers it (the caller
    // still asks the catalog for the others). A rolled-back transaction's
    // foreign keys are gone.
    std::vector<PendingForeignKey> take_committed_foreign_keys();
    // Whether an index the file has created so far covers the foreign key.
    bool covered_by_file_index(const PendingForeignKey& fk) const;
    // The end of the last file: an open transaction commits.
    void finish();

    // --- settings ----------------------------------------------------------
    // SET [LOCAL|SESSION] lock_timeout = ..., RESET lock_timeout.
    void set_lock_timeout(bool nonzero, bool local);
    void reset_lock_timeout();
    bool lock_timeout_set() const noexcept;

    // --- objects outside relations ---------------------------------------
    // The overlay follows relations and columns only. Once an earlier
    // statement of the files created, altered or dropped a function, type,
    // operator, cast, access method or the like (or ran a DO block, which
    // may do any of it), what the catalog says of those objects is no
    // longer certain for the statements after it (GuardOverlay::
    // outside_relations_changed, src/upstream/refusal_helpers.hpp).
    void note_outside_relations_changed() noexcept { outside_relations_changed_ = true; }
    bool outside_relations_changed() const noexcept { return outside_relations_changed_; }

    // missing_lock_timeout speaks once per transaction.
    bool lock_timeout_reported() const noexcept { return lock_timeout_reported_; }
    void note_lock_timeout_reported() noexcept { lock_timeout_reported_ = true; }

    // statement_after_access_exclusive: the first pre-existing table the
    // current transaction locked ACCESS EXCLUSIVE, and whether it was said.
    const std::string& ae_table() const noexcept { return ae_table_; }
    std::uint32_t ae_oid() const noexcept { return ae_oid_; }
    bool ae_reported() const noexcept { return ae_reported_; }
    void note_access_exclusive(std::string_view table, std::uint32_t oid) {
        if (!ae_table_.empty())
            return;
        ae_table_ = std::string(table);
        ae_oid_ = oid;
    }
    void note_ae_reported() noexcept { ae_reported_ = true; }

private:
    void begin_xact();
    void end_xact(bool commit);

    using Relations = boost::container::flat_map<std::string, OverlayRelation, std::less<>>;
    TransactionMode mode_;
    bool in_block_ = false;
    bool outside_relations_changed_ = false;
    bool implicit_ = false;  // an autocommitted statement's own transaction is open
    int xact_ = 0;
    Relations relations_;
    Relations at_xact_start_;  // for ROLLBACK
    std::vector<FileIndex> indexes_, indexes_at_xact_start_;
    std::vector<PendingForeignKey> pending_fks_, committed_fks_;
    boost::container::flat_map<std::string, Lock, std::less<>> locks_;
    boost::container::flat_set<std::string, std::less<>> changed_;
    bool session_lock_timeout_;
    bool initial_lock_timeout_;
    bool session_lock_timeout_at_start_;
    std::optional<bool> local_lock_timeout_;
    bool lock_timeout_reported_ = false;
    std::string ae_table_;
    std::uint32_t ae_oid_ = 0;
    bool ae_reported_ = false;
};

// --- text helpers for check() (pure, byte-based, UTF-8 aware) ------------

// The offset of the first byte of `text` that is not whitespace or a
// comment (-- to end of line, nested /* */), from `from`.
std::size_t skip_trivia(std::string_view text, std::size_t from) noexcept;

// 1-based line and column (in characters) of byte offset `offset`.
struct LineColumn {
    int line;
    int column;
};
LineColumn line_column(std::string_view text, std::size_t offset) noexcept;

// A one-line excerpt of a statement: whitespace runs collapsed, at most
// `max_chars` characters, "..." when cut (never inside a UTF-8 sequence).
std::string excerpt(std::string_view statement, std::size_t max_chars = 100);

// Ignore comments in the trivia before a statement:
//   -- schema_oracle: allow rule[, rule...] -- reason
// Each names rules waived for the next statement, with the reason (required:
// a comment without one is returned with an empty reason, which check()
// reports instead of honouring).
struct IgnoreComment {
    std::string rule;
    std::string reason;
    std::size_t offset;  // of the comment, for error positions
};
std::vector<IgnoreComment> ignore_comments(std::string_view trivia, std::size_t base_offset);

// A guard message without its "schema_oracle: " prefix and " [rule]" suffix.
std::string plain_message(std::string_view message, std::string_view rule);

}  // namespace schema_oracle::core
