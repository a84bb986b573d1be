// report.cpp: runs every rule family of report() over the catalog model,
// then applies the caller's filters, the exemptions and the stable order.
#include "schema_oracle/core/report.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "schema_oracle/core/error.hpp"
#include "schema_oracle/core/sort_keys.hpp"

namespace schema_oracle::core {

void validate_rule_ids(const std::vector<std::string>& ids) {
    for (const auto& id : ids) (void)require_rule(id, Scope::report);
}

Severity parse_min_severity(std::string_view text) {
    auto s = parse_severity(text);
    if (!s)
        throw Error("22023", "invalid severity \"" + std::string(text) + "\"", {},
                    "Use info, warning or error.");
    return *s;
}

bool like_match(std::string_view t, std::string_view p, CharLength char_length) noexcept {
    // Iterative matcher with backtracking on the last %, one character (of
    // 1..n bytes) at a time; a truncated character at the end counts as the
    // bytes that are there.
    auto len = [char_length](std::string_view s, std::size_t at) -> std::size_t {
        if (char_length == nullptr)
            return 1;
        std::size_t n = static_cast<std::size_t>(std::max(1, char_length(s.data() + at)));
        return std::min(n, s.size() - at);
    };
    std::size_t ti = 0, pi = 0, star_p = std::string_view::npos, star_t = 0;
    while (ti < t.size()) {
        if (pi < p.size() && p[pi] == '%') {
            star_p = ++pi;
            star_t = ti;
            continue;
        }
        const std::size_t tn = len(t, ti);
        if (pi < p.size()) {
            bool escaped = p[pi] == '\\' && pi + 1 < p.size();
            std::size_t at = escaped ? pi + 1 : pi;
            std::size_t pn = len(p, at);
            if (!escaped && p[pi] == '_') {
                pi += 1;
                ti += tn;
                continue;
            }
            if (pn == tn && p.compare(at, pn, t.substr(ti, tn)) == 0) {
                pi = at + pn;
                ti += tn;
                continue;
            }
        }
        if (star_p == std::string_view::npos)
            return false;
        pi = star_p;
        star_t += len(t, star_t);
        ti = star_t;
    }
    while (pi < p.size() && p[pi] == '%') ++pi;
    return pi == p.size();
}

std::string concat(std::initializer_list<std::string_view> parts) {
    std::size_t n = 0;
    for (std::string_view p : parts) n += p.size();
    std::string out(n, '\0');  // sized once, then filled without append's checks
    char* at = out.data();
    for (std::string_view p : parts) {
        if (!p.empty())
            std::memcpy(at, p.data(), p.size());
        at += p.size();
    }
    return out;
}

ReportFinding make_finding(std::string_view rule_id) {
    ReportFinding f;
    // A family makes thousands of findings of a few rules: the rules last
    // asked for are compared by content before the catalog's binary search.
    static const RuleInfo* recent[4] = {};
    static unsigned next = 0;
    const RuleInfo* r = nullptr;
    for (const RuleInfo* c : recent)
        if (c != nullptr && c->id == rule_id) {
            r = c;
            break;
        }
    if (r == nullptr && (r = find_rule(rule_id)) != nullptr)
        recent[next++ % 4] = r;
    if (r == nullptr)
        throw std::logic_error("report rule missing from the catalog");
    f.rule = r->id;
    f.rule_rank = static_cast<int>(r - rules().data());
    f.severity = r->severity;
    f.category = r->category;
    return f;
}

bool is_judged_table(const CatalogModel& m, const Relation& r) noexcept {
    if (r.kind != 'r' && r.kind != 'p')
        return false;
    if (m.extension_relations.count(r.oid) || m.extension_namespaces.count(r.nsp))
        return false;
    return m.nspace(r.nsp) != nullptr;
}

namespace {
// Room for the usual number of findings, so the vector rarely regrows (a
// regrowth moves every finding). Reserved pages the findings never reach
// are not touched, so the room costs address space, not memory.
std::size_t m_estimate(const CatalogModel& m) {
    return m.relations.size() + m.indexes.size() + m.constraints.size();
}

bool listed(const std::vector<std::string>& list, std::string_view s) {
    for (const auto& item : list)
        if (item == s)
            return true;
    return false;
}

// The most severe level a rule's findings can have: its default, except
// sequence_near_overflow, which rises to error near the limit.
Severity max_severity(const RuleInfo& r) {
    return r.id == "sequence_near_overflow" ? Severity::error : r.severity;
}
}  // namespace

ReportScope::ReportScope(const CatalogModel& m, const ReportOptions& o) : options_(o) {
    const auto& all = rules();
    rules_.resize(all.size());
    for (std::size_t i = 0; i < all.size(); ++i)
        rules_[i] = (all[i].scope == Scope::report || all[i].scope == Scope::both) &&
                    max_severity(all[i]) >= o.min_severity &&
                    (!o.rules || listed(*o.rules, all[i].id));
    for (const auto& [oid, n] : m.namespaces) {
        if (o.include_schemas && !listed(*o.include_schemas, n.name))
            continue;
        if (listed(o.exclude_schemas, n.name))
            continue;
        schemas_.insert(oid);
    }
}

bool ReportScope::rule(std::string_view id) const noexcept {
    const RuleInfo* r = find_rule(id);
    return r != nullptr && rules_[static_cast<std::size_t>(r - rules().data())];
}

bool ReportScope::schema(Oid nsp) const noexcept {
    return schemas_.count(nsp) > 0;
}

bool ReportScope::keep(ReportFinding& f) const {
    for (const auto& e : options_.exemptions) {
        if (e.rule == f.rule && like_match(f.object_identity, e.pattern, options_.char_length)) {
            f.exempted = true;
            break;
        }
    }
    return !f.exempted || options_.show_exempted;
}

std::vector<ReportFinding> run_report(const CatalogModel& model, const ReportOptions& opt,
                                      std::vector<std::uint32_t>& order) {
    std::vector<ReportFinding> all;
    all.reserve(64 + m_estimate(model));
    auto poll = [&opt] {
        for (const volatile std::sig_atomic_t* flag : opt.cancel_flags)
            if (flag != nullptr && *flag)
                throw Cancelled();
    };
    const ReportScope scope(model, opt);
    for (auto family : {report_foreign_keys, report_tables, report_indexes, report_columns,
                        report_sequences, report_functions, report_statistics}) {
        poll();
        family(model, scope, all);
    }
    poll();

    // The families emitted only findings in scope (rule, schema, exemptions
    // applied); the filters are checked again here as the contract, cheaply.
    // Filtered in place: a ReportFinding is large, so a second vector of
    // them would double the peak memory (and the pages the kernel has to
    // hand over) on big catalogs.
    //
    // The order: most severe first, then rule, then identity, then message.
    // The findings stay where the rules put them and `order` lists them in
    // that order (a caller that renders rows walks it; moving every finding
    // to its place costs a random access to each large element).
    //
    // First a counting sort into one bucket per (severity, rule), which
    // keeps the rules' own order within a bucket; then each bucket is sorted
    // on small keys: the 16 bytes of the identity that follow the prefix all
    // its identities share (the schema, often more), as two big-endian
    // integers. Zero padding keeps the order of string_view::compare (an
    // identity holds no NUL byte, so a shorter one still sorts first);
    // equal words fall back to the whole identity, then the message (read
    // through `at`: rare).
    //
    // Each pass over the findings reads megabytes of large elements, so the
    // filter and the buckets' counts share one pass, and the placement into
    // buckets and each bucket's shared identity prefix share the next.
    constexpr std::size_t rank_limit = 1024;  // rules in the catalog, with room
    auto group_of = [](const ReportFinding& f) {
        return (2 - static_cast<std::size_t>(f.severity)) * rank_limit +
               static_cast<std::size_t>(f.rule_rank);
    };
    const bool schema_filters = opt.include_schemas || !opt.exclude_schemas.empty();
    std::vector<std::uint32_t> start(3 * rank_limit + 1, 0);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const ReportFinding& f = all[i];
        if (f.severity < opt.min_severity)
            continue;
        if (schema_filters) {
            if (opt.include_schemas && !listed(*opt.include_schemas, f.schema))
                continue;
            if (!opt.exclude_schemas.empty() && listed(opt.exclude_schemas, f.schema))
                continue;
        }
        if (opt.rules && !listed(*opt.rules, f.rule))
            continue;
        if (f.exempted && !opt.show_exempted)
            continue;
        if (static_cast<std::size_t>(f.rule_rank) >= rank_limit ||
            static_cast<int>(f.severity) < 0 || static_cast<int>(f.severity) > 2)
            throw std::logic_error("report finding outside the rule catalog");
        ++start[group_of(f) + 1];
        if (kept != i)
            all[kept] = std::move(all[i]);
        ++kept;
    }
    all.resize(kept);
    for (std::size_t g = 1; g < start.size(); ++g) start[g] += start[g - 1];
    order.resize(all.size());
    // Per bucket: its first identity and how many leading bytes every
    // identity placed in it so far shares with that one.
    std::vector<std::string_view> first(start.size() - 1);
    std::vector<std::size_t> shared(start.size() - 1, 0);
    {
        std::vector<std::uint32_t> fill(start.begin(), start.end() - 1);
        for (std::size_t i = 0; i < all.size(); ++i) {
            const std::size_t g = group_of(all[i]);
            const std::string_view id = all[i].object_identity;
            if (fill[g] == start[g]) {
                first[g] = id;
                shared[g] = id.size();
            } else {
                const std::string_view f0 = first[g];
                std::size_t n = 0;
                const std::size_t limit = std::min(shared[g], id.size());
                while (n < limit && id[n] == f0[n]) ++n;
                shared[g] = n;
            }
            order[fill[g]++] = static_cast<std::uint32_t>(i);
        }
    }
    struct Key {
        std::uint64_t word[2];
        std::uint32_t at;  // position in `all`
    };
    auto word_at = [](std::string_view s, std::size_t from) {
        std::uint64_t w = 0;
        for (std::size_t k = 0; k < 8; ++k)
            w = (w << 8) | (from + k < s.size() ? static_cast<unsigned char>(s[from + k]) : 0u);
        return w;
    };
    std::vector<Key> keys;
    for (std::size_t g = 0; g + 1 < start.size(); ++g) {
        const std::size_t from = start[g], to = start[g + 1];
        if (to - from < 2)
            continue;
        keys.clear();
        for (std::size_t k = from; k < to; ++k) {
            const std::string_view id = all[order[k]].object_identity;
            keys.push_back({{word_at(id, shared[g]), word_at(id, shared[g] + 8)}, order[k]});
        }
        // pdqsort: std::sort's quicksort fell into its heapsort fallback on
        // these keys (core/sort_keys.hpp); ties end on the position, so the
        // order is total.
        sort_keys(keys.begin(), keys.end(), [&all](const Key& a, const Key& b) {
            if (a.word[0] != b.word[0])
                return a.word[0] < b.word[0];
            if (a.word[1] != b.word[1])
                return a.word[1] < b.word[1];
            const ReportFinding& x = all[a.at];
            const ReportFinding& y = all[b.at];
            int c = x.object_identity.compare(y.object_identity);
            if (c != 0)
                return c < 0;
            c = x.message.compare(y.message);
            return c != 0 ? c < 0 : a.at < b.at;
        });
        for (std::size_t k = from; k < to; ++k) order[k] = keys[k - from].at;
    }
    return all;
}

std::vector<ReportFinding> run_report(const CatalogModel& model, const ReportOptions& opt) {
    std::vector<std::uint32_t> source;  // position i takes all[source[i]]
    std::vector<ReportFinding> all = run_report(model, opt, source);
    // Move each finding to its place along the permutation's cycles.
    std::vector<bool> placed(source.size(), false);
    for (std::size_t start = 0; start < source.size(); ++start) {
        if (placed[start])
            continue;
        ReportFinding held = std::move(all[start]);
        std::size_t at = start;
        while (source[at] != start) {
            all[at] = std::move(all[source[at]]);
            placed[at] = true;
            at = source[at];
        }
        all[at] = std::move(held);
        placed[at] = true;
    }
    return all;
}

}  // namespace schema_oracle::core
