// overlay.cpp: the facts earlier statements of a migration file leave
// behind (core/overlay.hpp), and the text helpers check() needs.
#include "schema_oracle/core/overlay.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace schema_oracle::core {

std::optional<TransactionMode> parse_transaction_mode(std::string_view text) noexcept {
    if (text == "single")
        return TransactionMode::single;
    if (text == "per_statement")
        return TransactionMode::per_statement;
    if (text == "as_written")
        return TransactionMode::as_written;
    return std::nullopt;
}

Overlay::Overlay(TransactionMode mode, bool session_lock_timeout)
    : mode_(mode),
      session_lock_timeout_(session_lock_timeout),
      initial_lock_timeout_(session_lock_timeout),
      session_lock_timeout_at_start_(session_lock_timeout) {
    if (mode_ == TransactionMode::single) {
        begin_xact();
        in_block_ = true;
    }
}

void Overlay::begin_xact() {
    ++xact_;
    // Only an explicit block can be rolled back by the file itself; an
    // autocommitted statement that fails stops the migration anyway.
    if (!implicit_) {
        at_xact_start_ = relations_;
        indexes_at_xact_start_ = indexes_;
    }
    session_lock_timeout_at_start_ = session_lock_timeout_;
}

void Overlay::end_xact(bool commit) {
    if (!commit) {
        relations_ = at_xact_start_;
        indexes_ = indexes_at_xact_start_;
        session_lock_timeout_ = session_lock_timeout_at_start_;  // SET is transactional
        pending_fks_.clear();
    }
    for (PendingForeignKey& fk : pending_fks_) {
        fk.covered = covered_by_file_index(fk);
        committed_fks_.push_back(std::move(fk));
    }
    pending_fks_.clear();
    at_xact_start_.clear();
    indexes_at_xact_start_.clear();
    locks_.clear();
    local_lock_timeout_.reset();
    lock_timeout_reported_ = false;
    ae_table_.clear();
    ae_oid_ = 0;
    ae_reported_ = false;
}

bool Overlay::statement_begins(TransactionControl control) {
    if (mode_ == TransactionMode::per_statement)
        control = TransactionControl::none;
    switch (control) {
        case TransactionControl::begin:
            if (!in_block_) {
                begin_xact();
                in_block_ = true;
            }
            return in_block_;
        case TransactionControl::commit:
        case TransactionControl::rollback:
            if (in_block_) {
                end_xact(control == TransactionControl::commit);
                in_block_ = false;
            }
            return false;
        case TransactionControl::none:
            if (!in_block_) {
                implicit_ = true;
                begin_xact();
            }
            return in_block_;
    }
    return in_block_;
}

bool index_covers_columns(const std::vector<std::string>& keys, bool btree, bool partial,
                          const std::vector<std::string>& fk) {
    if (partial || fk.empty() || keys.size() < fk.size())
        return false;
    if (!btree && (fk.size() != 1 || keys.empty() || keys[0] != fk[0]))
        return false;
    for (std::size_t i = 0; i < fk.size(); ++i) {
        if (keys[i].empty())
            return false;  // an expression column never covers
        if (std::find(fk.begin(), fk.end(), keys[i]) == fk.end())
            return false;
    }
    return true;
}

void Overlay::note_index(FileIndex index) {
    indexes_.push_back(std::move(index));
}

bool Overlay::covered_by_file_index(const PendingForeignKey& fk) const {
    for (const FileIndex& ix : indexes_)
        if (((!fk.table_key.empty() && ix.table_key == fk.table_key) ||
             (fk.table_oid != 0 && ix.table_oid == fk.table_oid)) &&
            index_covers_columns(ix.keys, ix.btree, ix.partial, fk.columns))
            return true;
    return false;
}

void Overlay::note_foreign_key(PendingForeignKey fk) {
    pending_fks_.push_back(std::move(fk));
}

std::vector<PendingForeignKey> Overlay::take_committed_foreign_keys() {
    std::vector<PendingForeignKey> out;
    out.swap(committed_fks_);
    return out;
}

void Overlay::finish() {
    if (implicit_) {
        end_xact(true);
        implicit_ = false;
    }
    if (in_block_) {
        end_xact(true);
        in_block_ = false;
    }
}

void Overlay::next_file() {
    if (in_block_) {
        end_xact(true);
        in_block_ = false;
    }
    session_lock_timeout_ = initial_lock_timeout_;
    if (mode_ == TransactionMode::single) {
        begin_xact();
        in_block_ = true;
    }
}

void Overlay::statement_ends() {
    if (implicit_) {
        end_xact(true);
        implicit_ = false;
    }
}

// The schema's length leads the key, so no pair of names can spell another
// pair's key: a quoted identifier may contain any byte but NUL (U&"a\001F"
// included), so no separator byte alone would keep "a"."b<sep>c" and
// "a<sep>b"."c" apart.
std::string Overlay::key(std::string_view schema, std::string_view name) {
    std::string k = std::to_string(schema.size());
    k += ':';
    k += schema;
    k += name;
    return k;
}

namespace {

// Overlay::key() in a stack buffer, so that lookups never allocate
// (PostgreSQL names are at most 63 bytes; longer ones fall back to a scan).
struct KeyBuffer {
    char data[272];
    std::size_t size = 0;
    bool fits = false;
    KeyBuffer(std::string_view schema, std::string_view name) noexcept {
        if (schema.size() + name.size() + 24 > sizeof data)
            return;
        const int n = std::snprintf(data, sizeof data, "%zu:", schema.size());
        std::memcpy(data + n, schema.data(), schema.size());
        std::memcpy(data + n + schema.size(), name.data(), name.size());
        size = n + schema.size() + name.size();
        fits = true;
    }
    std::string_view view() const noexcept { return {data, size}; }
};

}  // namespace

const OverlayRelation* Overlay::find(std::string_view schema,
                                     std::string_view name) const noexcept {
    return const_cast<Overlay*>(this)->find(schema, name);
}

OverlayRelation* Overlay::find(std::string_view schema, std::string_view name) noexcept {
    KeyBuffer k(schema, name);
    if (k.fits) {
        auto it = relations_.find(k.view());
        return it == relations_.end() ? nullptr : &it->second;
    }
    for (auto& [key, rel] : relations_)
        if (rel.schema == schema && rel.name == name)
            return &rel;
    return nullptr;
}

const OverlayRelation* Overlay::find_key(std::string_view k) const noexcept {
    auto it = relations_.find(k);
    return it == relations_.end() ? nullptr : &it->second;
}

const OverlayRelation* Overlay::find_oid(std::uint32_t oid) const noexcept {
    if (oid == 0)
        return nullptr;
    for (const auto& [k, rel] : relations_)
        if (rel.oid == oid && !rel.dropped)
            return &rel;
    return nullptr;
}

const OverlayColumn* Overlay::column(const OverlayRelation& rel, std::string_view name) noexcept {
    // The newest entry wins (a column dropped and added again).
    for (auto it = rel.columns.rbegin(); it != rel.columns.rend(); ++it)
        if (it->name == name)
            return &*it;
    return nullptr;
}

OverlayRelation& Overlay::create(std::string_view schema, std::string_view name, char kind) {
    OverlayRelation& rel = relations_[key(schema, name)];
    rel = OverlayRelation{};
    rel.schema = std::string(schema);
    rel.name = std::string(name);
    rel.kind = kind;
    rel.created_xact = xact_;
    return rel;
}

OverlayRelation& Overlay::touch_catalog(std::string_view schema, std::string_view name, char kind,
                                        std::uint32_t oid) {
    auto it = relations_.find(key(schema, name));
    if (it != relations_.end())
        return it->second;
    OverlayRelation& rel = relations_[key(schema, name)];
    rel.schema = std::string(schema);
    rel.name = std::string(name);
    rel.kind = kind;
    rel.oid = oid;
    return rel;
}

void Overlay::drop(std::string_view schema, std::string_view name) {
    auto it = relations_.find(key(schema, name));
    if (it == relations_.end())
        return;
    const std::string dropped_key = it->first;
    const std::uint32_t dropped_oid = it->second.oid;
    it->second.dropped = true;
    it->second.columns.clear();
    // Its foreign keys go with it, and so do those referencing it (CASCADE).
    pending_fks_.erase(
        std::remove_if(pending_fks_.begin(), pending_fks_.end(),
                       [&](const PendingForeignKey& fk) {
                           return fk.table_key == dropped_key || fk.referenced_key == dropped_key ||
                                  (dropped_oid != 0 && (fk.table_oid == dropped_oid ||
                                                        fk.referenced_oid == dropped_oid));
                       }),
        pending_fks_.end());
    // Its indexes go with it.
    for (auto& [k, rel] : relations_)
        if (rel.parent == dropped_key)
            rel.dropped = true;
}

void Overlay::rename(std::string_view schema, std::string_view from, std::string_view to) {
    auto it = relations_.find(key(schema, from));
    if (it == relations_.end())
        return;
    OverlayRelation moved = it->second;
    it->second.dropped = true;
    it->second.columns.clear();
    moved.name = std::string(to);
    moved.dropped = false;
    relations_[key(schema, to)] = std::move(moved);
}

void Overlay::add_column(OverlayRelation& rel, OverlayColumn column) {
    rel.columns.push_back(std::move(column));
}

void Overlay::drop_column(OverlayRelation& rel, std::string_view name) {
    OverlayColumn c;
    c.name = std::string(name);
    c.dropped = true;
    rel.columns.push_back(std::move(c));
}

void Overlay::rename_column(OverlayRelation& rel, std::string_view from, std::string_view to) {
    OverlayColumn moved;
    if (const OverlayColumn* c = column(rel, from))
        moved = *c;
    drop_column(rel, from);
    moved.name = std::string(to);
    moved.dropped = false;
    rel.columns.push_back(std::move(moved));
}

void Overlay::note_lock(std::string_view relation_key, Lock lock) {
    auto it = locks_.find(relation_key);
    if (it == locks_.end())
        locks_.emplace(std::string(relation_key), lock);
    else if (lock > it->second)
        it->second = lock;
}

void Overlay::note_changed(std::string_view relation_key) {
    changed_.emplace(std::string(relation_key));
}

bool Overlay::changed(std::string_view relation_key) const noexcept {
    return changed_.find(relation_key) != changed_.end();
}

Lock Overlay::held(std::string_view relation_key) const noexcept {
    auto it = locks_.find(relation_key);
    return it == locks_.end() ? Lock::none : it->second;
}

void Overlay::set_lock_timeout(bool nonzero, bool local) {
    if (local) {
        // SET LOCAL outside a transaction block has no effect (PostgreSQL warns).
        if (in_block_)
            local_lock_timeout_ = nonzero;
    } else {
        session_lock_timeout_ = nonzero;
        local_lock_timeout_.reset();
    }
}

void Overlay::reset_lock_timeout() {
    // RESET returns to the value the session started with (role, database,
    // server defaults), which is what the checking session sees.
    session_lock_timeout_ = initial_lock_timeout_;
    local_lock_timeout_.reset();
}

bool Overlay::lock_timeout_set() const noexcept {
    return local_lock_timeout_ ? *local_lock_timeout_ : session_lock_timeout_;
}

// --- text helpers -----------------------------------------------------------

std::size_t skip_trivia(std::string_view text, std::size_t i) noexcept {
    const std::size_t n = text.size();
    while (i < n) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
        } else if (c == '-' && i + 1 < n && text[i + 1] == '-') {
            while (i < n && text[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
            int depth = 0;
            while (i < n) {
                if (text[i] == '/' && i + 1 < n && text[i + 1] == '*') {
                    ++depth;
                    i += 2;
                } else if (text[i] == '*' && i + 1 < n && text[i + 1] == '/') {
                    i += 2;
                    if (--depth == 0)
                        break;
                } else {
                    ++i;
                }
            }
        } else {
            break;
        }
    }
    return std::min(i, n);
}

LineColumn line_column(std::string_view text, std::size_t offset) noexcept {
    LineColumn lc{1, 1};
    const std::size_t end = std::min(offset, text.size());
    for (std::size_t i = 0; i < end; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++lc.line;
            lc.column = 1;
        } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
            ++lc.column;
        }
    }
    return lc;
}

std::string excerpt(std::string_view s, std::size_t max_chars) {
    std::string out;
    std::size_t chars = 0;
    bool space = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = !out.empty();
            continue;
        }
        const bool starts_char = (c & 0xC0) != 0x80;
        if (starts_char) {
            if (chars + (space ? 1 : 0) >= max_chars) {
                out += "...";
                return out;
            }
            if (space) {
                out += ' ';
                ++chars;
            }
            space = false;
            ++chars;
        }
        out += static_cast<char>(c);
    }
    return out;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

std::vector<IgnoreComment> ignore_comments(std::string_view trivia, std::size_t base) {
    std::vector<IgnoreComment> out;
    constexpr std::string_view marker = "schema_oracle:";
    std::size_t i = 0;
    while ((i = trivia.find("--", i)) != std::string_view::npos) {
        const std::size_t start = i;
        std::size_t eol = trivia.find('\n', i);
        if (eol == std::string_view::npos)
            eol = trivia.size();
        std::string_view line = trim(trivia.substr(i + 2, eol - i - 2));
        i = eol;
        if (line.substr(0, marker.size()) != marker)
            continue;
        line = trim(line.substr(marker.size()));
        if (line.substr(0, 5) != "allow" || (line.size() > 5 && line[5] != ' ' && line[5] != '\t'))
            continue;
        line = trim(line.substr(5));
        std::string_view rules = line, reason;
        const std::size_t sep = line.find("--");
        if (sep != std::string_view::npos) {
            rules = trim(line.substr(0, sep));
            reason = trim(line.substr(sep + 2));
        }
        while (!rules.empty()) {
            const std::size_t comma = rules.find_first_of(", \t");
            std::string_view rule = rules.substr(0, comma);
            rules = comma == std::string_view::npos ? std::string_view{} : rules.substr(comma + 1);
            if (rule.empty())
                continue;
            out.push_back({std::string(rule), std::string(reason), base + start});
        }
    }
    return out;
}

std::string plain_message(std::string_view message, std::string_view rule) {
    constexpr std::string_view prefix = "schema_oracle: ";
    if (message.substr(0, prefix.size()) == prefix)
        message.remove_prefix(prefix.size());
    const std::string suffix = " [" + std::string(rule) + "]";
    if (message.size() >= suffix.size() && message.substr(message.size() - suffix.size()) == suffix)
        message.remove_suffix(suffix.size());
    return std::string(message);
}

}  // namespace schema_oracle::core
