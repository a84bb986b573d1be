// finding_text.cpp: the arena and the texts of report() findings (see
// finding_text.hpp).
#include "schema_oracle/core/finding_text.hpp"

#include <cstring>
#include <limits>
#include <new>
#include <ostream>
#include <stdexcept>

namespace schema_oracle::core {

namespace {

constexpr std::size_t chunk_bytes = 256 * 1024;
// The arena FindingTexts are written into now (TextArenaScope); null = each
// text owns a heap block.
TextArena* bound_arena = nullptr;

std::uint32_t checked_size(std::size_t n) {
    if (n > std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("report text too long");
    return static_cast<std::uint32_t>(n);
}

}  // namespace

TextArena::~TextArena() {
    while (chunks_ != nullptr) {
        Chunk* prev = chunks_->prev;
        ::operator delete(chunks_);
        chunks_ = prev;
    }
}

char* TextArena::allocate(std::size_t n) {
    if (static_cast<std::size_t>(end_ - top_) < n) {
        // A long text gets a chunk of its own, behind the current one, so the
        // current chunk's free room is not given up for it.
        const bool own = n > chunk_bytes / 4;
        const std::size_t size = sizeof(Chunk) + (own ? n : chunk_bytes);
        auto* c = static_cast<Chunk*>(::operator new(size));
        reserved_ += size;
        char* data = reinterpret_cast<char*>(c + 1);
        if (own && chunks_ != nullptr) {
            c->prev = chunks_->prev;
            chunks_->prev = c;
            return data;
        }
        c->prev = chunks_;
        chunks_ = c;
        top_ = data;
        end_ = data + (own ? n : chunk_bytes);
    }
    char* p = top_;
    top_ += n;
    return p;
}

bool TextArena::extend(const char* p, std::size_t n, std::size_t more) noexcept {
    if (p == nullptr || p + n != top_ || static_cast<std::size_t>(end_ - top_) < more)
        return false;
    top_ += more;
    return true;
}

TextArenaScope::TextArenaScope(TextArena& arena) noexcept : previous_(bound_arena) {
    bound_arena = &arena;
}

TextArenaScope::~TextArenaScope() {
    bound_arena = previous_;
}

char* FindingText::room(std::size_t n, bool& owned) {
    if (bound_arena != nullptr) {
        owned = false;
        return bound_arena->allocate(n);
    }
    owned = true;
    return new char[n];
}

void FindingText::clear() noexcept {
    if (owned_)
        delete[] data_;
    release();
}

void FindingText::set(std::string_view s) {
    if (s.empty()) {
        clear();
        return;
    }
    const std::uint32_t n = checked_size(s.size());
    bool owned = false;
    char* p = room(n, owned);
    std::memcpy(p, s.data(), n);  // s may be this text's own bytes: freed after
    clear();
    data_ = p;
    size_ = n;
    owned_ = owned;
}

void FindingText::copy_from(const FindingText& o) {
    if (!o.owned_) {  // arena bytes (or nothing): shared, the arena outlives both
        data_ = o.data_;
        size_ = o.size_;
        owned_ = false;
        return;
    }
    char* p = new char[o.size_];
    std::memcpy(p, o.data_, o.size_);
    data_ = p;
    size_ = o.size_;
    owned_ = true;
}

FindingText& FindingText::operator=(const FindingText& o) {
    if (this != &o) {
        FindingText copy(o);
        *this = std::move(copy);
    }
    return *this;
}

FindingText& FindingText::operator=(FindingText&& o) noexcept {
    if (this != &o) {
        clear();
        data_ = o.data_;
        size_ = o.size_;
        owned_ = o.owned_;
        o.release();
    }
    return *this;
}

void FindingText::assign(std::initializer_list<std::string_view> parts) {
    std::size_t total = 0;
    for (std::string_view p : parts) total += p.size();
    if (total == 0) {
        clear();
        return;
    }
    const std::uint32_t n = checked_size(total);
    bool owned = false;
    char* p = room(n, owned);
    char* at = p;
    for (std::string_view part : parts) {  // a part may be this text: freed after
        if (!part.empty())
            std::memcpy(at, part.data(), part.size());
        at += part.size();
    }
    clear();
    data_ = p;
    size_ = n;
    owned_ = owned;
}

FindingText& FindingText::operator+=(std::string_view more) {
    if (more.empty())
        return *this;
    const std::uint32_t n = checked_size(std::size_t(size_) + more.size());
    if (!owned_ && bound_arena != nullptr && size_ > 0 &&
        bound_arena->extend(data_, size_, more.size())) {
        // `more` cannot overlap the bytes just added: they were free room.
        std::memmove(const_cast<char*>(data_) + size_, more.data(), more.size());
        size_ = n;
        return *this;
    }
    assign({view(), more});
    return *this;
}

std::string operator+(const FindingText& a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a.data(), a.size()).append(b);
    return out;
}

std::string operator+(std::string_view a, const FindingText& b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a).append(b.data(), b.size());
    return out;
}

std::string operator+(const FindingText& a, const FindingText& b) {
    return a + b.view();
}

std::string operator+(std::string&& a, const FindingText& b) {
    a.append(b.data(), b.size());
    return std::move(a);
}

std::ostream& operator<<(std::ostream& os, const FindingText& t) {
    return os << t.view();
}

}  // namespace schema_oracle::core
