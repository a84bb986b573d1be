// finding_text.hpp: the texts of a report() finding (identity, message,
// detail, fix), packed into one arena per call.
//
// A report over 10,000 tables makes ~61,000 findings with four or five texts
// each. As std::string each text was a heap block of its own (a malloc, a
// free, 16 bytes of malloc header and operator+'s spare capacity) and each
// finding carried 160 bytes of string objects; freeing them scattered frees
// over the whole heap at the end of the call. Half of report()'s memory
// high-water mark was these strings, and with the freed heap handed back to
// the kernel after every call (schema_oracle.report_keep_memory = 0) every
// page of it is faulted in again by the next call.
//
// A FindingText is a view (pointer, length) into a TextArena: the bytes are
// written once, back to back in large chunks, and the chunks are freed
// together when the arena goes. A caller that keeps its findings no longer
// than an arena binds one (TextArenaScope: report()'s SQL entry, whose
// findings and arena are freed together); without one bound, a FindingText
// owns a heap copy of its bytes, as the std::string it replaces did, so
// callers that keep findings (the commit-time checks, the unit tests) need
// nothing.
//
// It reads like the std::string it replaces: it converts to
// std::string_view, compares with strings, and `"text " + f.message` yields
// a std::string. Single-threaded, as the backend is: the bound arena is a
// plain static.
#pragma once
#include "schema_oracle/core/pure.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <string>
#include <string_view>

namespace schema_oracle::core {

// Bytes handed out back to back from chunks of ~256 kB (a text longer than
// a quarter chunk gets a chunk of its own); all freed by the destructor.
class TextArena {
public:
    TextArena() = default;
    TextArena(const TextArena&) = delete;
    TextArena& operator=(const TextArena&) = delete;
    ~TextArena();

    // Room for n bytes (n > 0); throws std::bad_alloc.
    char* allocate(std::size_t n);
    // Grows the block [p, p + n) by `more` bytes where it is, when it is the
    // last block handed out and the chunk has room; false otherwise.
    bool extend(const char* p, std::size_t n, std::size_t more) noexcept;
    // Bytes in chunks (for the DEBUG1 line and tests).
    std::size_t reserved() const noexcept { return reserved_; }

private:
    struct Chunk {
        Chunk* prev;
    };
    Chunk* chunks_ = nullptr;
    char* top_ = nullptr;  // next free byte of the newest chunk
    char* end_ = nullptr;
    std::size_t reserved_ = 0;
};

// Binds `arena` for the FindingTexts assigned while it lives (nests).
class TextArenaScope {
public:
    explicit TextArenaScope(TextArena& arena) noexcept;
    ~TextArenaScope();
    TextArenaScope(const TextArenaScope&) = delete;
    TextArenaScope& operator=(const TextArenaScope&) = delete;

private:
    TextArena* previous_;
};

class FindingText {
public:
    FindingText() noexcept = default;
    FindingText(const FindingText& o) { copy_from(o); }
    FindingText(FindingText&& o) noexcept : data_(o.data_), size_(o.size_), owned_(o.owned_) {
        o.release();
    }
    FindingText& operator=(const FindingText& o);
    FindingText& operator=(FindingText&& o) noexcept;
    // Copies the bytes (into the bound arena, or a heap block of its own).
    FindingText& operator=(std::string_view s) {
        set(s);
        return *this;
    }
    ~FindingText() { clear(); }

    // The parts joined, written once at their final size (as core::concat).
    void assign(std::initializer_list<std::string_view> parts);
    FindingText& operator+=(std::string_view more);
    void clear() noexcept;

    operator std::string_view() const noexcept { return {data_, size_}; }
    std::string_view view() const noexcept { return {data_, size_}; }
    std::string str() const { return std::string(data_, size_); }
    const char* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    std::size_t find(std::string_view s, std::size_t pos = 0) const noexcept {
        return view().find(s, pos);
    }
    std::size_t find(char c, std::size_t pos = 0) const noexcept { return view().find(c, pos); }
    std::size_t rfind(std::string_view s, std::size_t pos = std::string_view::npos) const noexcept {
        return view().rfind(s, pos);
    }
    int compare(std::string_view s) const noexcept { return view().compare(s); }

private:
    void set(std::string_view s);
    void copy_from(const FindingText& o);
    void release() noexcept {
        data_ = nullptr;
        size_ = 0;
        owned_ = false;
    }
    // Room for n bytes: in the bound arena, else a heap block (owned_).
    char* room(std::size_t n, bool& owned);

    const char* data_ = nullptr;
    std::uint32_t size_ = 0;
    bool owned_ = false;  // data_ is a heap block of this text's own
};

inline bool operator==(const FindingText& a, const FindingText& b) noexcept {
    return a.view() == b.view();
}
inline bool operator==(const FindingText& a, std::string_view b) noexcept {
    return a.view() == b;
}
inline bool operator==(std::string_view a, const FindingText& b) noexcept {
    return a == b.view();
}
inline bool operator!=(const FindingText& a, const FindingText& b) noexcept {
    return !(a == b);
}
inline bool operator!=(const FindingText& a, std::string_view b) noexcept {
    return !(a == b);
}
inline bool operator!=(std::string_view a, const FindingText& b) noexcept {
    return !(a == b);
}
inline bool operator<(const FindingText& a, const FindingText& b) noexcept {
    return a.view() < b.view();
}

// Texts are built with std::string's operator+: these make `"x" + text` and
// `text + "x"` std::strings.
std::string operator+(const FindingText& a, std::string_view b);
std::string operator+(std::string_view a, const FindingText& b);
std::string operator+(const FindingText& a, const FindingText& b);
std::string operator+(std::string&& a, const FindingText& b);
inline std::string operator+(const char* a, const FindingText& b) {
    return std::string_view(a) + b;
}
std::ostream& operator<<(std::ostream& os, const FindingText& t);

}  // namespace schema_oracle::core
