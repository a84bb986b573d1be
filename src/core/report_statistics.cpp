// report_statistics.cpp: report()'s statistics-aware design rules, judged
// from the database's own statistics (pg_stats, pg_class.reltuples,
// pg_stat_user_tables): nullable_never_null, status_without_constraint,
// natural_key_not_unique, cascade_chain, soft_delete_unindexed,
// seq_scan_heavy, table_bloat.
//
// Each is silent for a table without statistics (never analyzed: reltuples
// -1, no pg_stats row) or below schema_oracle.stats_min_rows rows, and sees
// only the statistics the caller may read (the reader applies pg_stats's own
// visibility rule). Statistics are estimates from a sample: the messages say
// "by the statistics", and no fix here rewrites a table.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <string_view>

#include "schema_oracle/core/report.hpp"
#include "schema_oracle/core/sql_text.hpp"

namespace schema_oracle::core {

namespace {

constexpr std::size_t max_identifier = 63;  // NAMEDATALEN - 1
constexpr int status_max_values = 10;       // "a handful" of distinct values
constexpr std::size_t status_max_value_bytes = 32;
constexpr double cascade_min_depth = 3;        // tables on the path, the first included
constexpr double cascade_many_rows = 1000000;  // or this many rows reachable
constexpr std::int64_t seq_scan_min_scans = 50;
constexpr double bloat_min_ratio = 2.0;  // pages / expected pages
constexpr double bloat_min_waste_bytes = 8.0 * 1024 * 1024;
constexpr double block_size = 8192;  // BLCKSZ, as on every packaged build

bool analyzed_big(const CatalogModel& m, double rows) {
    return rows >= 0 && rows >= m.settings.stats_min_rows;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Cuts to at most n bytes without splitting a UTF-8 character.
std::string clip_utf8(const std::string& s, std::size_t n) {
    if (s.size() <= n)
        return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut);
}

// PostgreSQL's makeObjectName(table, column, label) (commands/indexcmds.c,
// PostgreSQL 15): the longer of the two names loses a character at a time
// until "table_column_label" fits in 63 bytes; then ChooseConstraintName's
// numeric suffix until the name is free among the table's constraints.
std::string choose_constraint_name(const CatalogModel& m, const Relation& t,
                                   const std::string& column, const std::string& label) {
    for (int n = 0;; ++n) {
        std::string suffix = n == 0 ? label : label + std::to_string(n);
        std::size_t avail = max_identifier - suffix.size() - 2;
        std::string a = t.name, b = column;
        while (a.size() + b.size() > avail) {
            if (a.size() > b.size())
                a = clip_utf8(a, a.size() - 1);
            else
                b = clip_utf8(b, b.size() - 1);
        }
        std::string name = a + "_" + b + "_" + suffix;
        bool taken = false;
        for (std::size_t ci : t.constraints)
            if (m.constraints[ci].name == name)
                taken = true;
        if (!taken)
            return name;
    }
}

std::string rows_text(double rows) {
    char buf[32];
    if (rows >= 1e6) {
        std::snprintf(buf, sizeof buf, "%.1f million", rows / 1e6);
        return buf;
    }
    return std::to_string(static_cast<long long>(std::llround(rows)));
}

// Node text of an expression (nodeToString): does it test `attnum` of the
// table (varno 1) with IS NULL (nulltesttype 0) or IS NOT NULL (1)?
bool has_null_test(const std::string& node, AttrNumber attnum, int nulltesttype) {
    const std::string var =
        "{NULLTEST :arg {VAR :varno 1 :varattno " + std::to_string(attnum) + " ";
    const std::string type = ":nulltesttype " + std::to_string(nulltesttype) + " ";
    for (std::size_t pos = node.find(var); pos != std::string::npos;
         pos = node.find(var, pos + 1)) {
        std::size_t next = node.find("{NULLTEST", pos + 1);
        std::size_t t = node.find(type, pos);
        if (t != std::string::npos && (next == std::string::npos || t < next))
            return true;
    }
    return false;
}

// Rows of a table by the statistics; a partitioned table sums its partitions.
class RowEstimates {
public:
    explicit RowEstimates(const CatalogModel& m) : m_(m) {
        for (const auto& [oid, r] : m.relations)
            if (r.parent != 0)
                children_.emplace_back(r.parent, oid);
        std::sort(children_.begin(), children_.end());
    }
    // -1 when unknown (never analyzed).
    double rows(const Relation& r, int depth = 0) const {
        if (r.kind != 'p')
            return r.tuples;
        if (depth > 32)
            return -1;
        double sum = 0;
        bool any = false;
        auto lo =
            std::lower_bound(children_.begin(), children_.end(), std::make_pair(r.oid, Oid{0}));
        for (auto it = lo; it != children_.end() && it->first == r.oid; ++it) {
            const Relation* c = m_.relation(it->second);
            double n = c ? rows(*c, depth + 1) : -1;
            if (n < 0)
                return -1;
            sum += n;
            any = true;
        }
        return any ? sum : (r.tuples >= 0 ? r.tuples : -1);
    }

private:
    const CatalogModel& m_;
    std::vector<std::pair<Oid, Oid>> children_;
};

ReportFinding column_finding(const CatalogModel& m, std::string_view rule, const Relation& t,
                             const Attribute& a) {
    ReportFinding f = make_finding(rule);
    f.object_type = "table column";
    f.table_identity = m.table_identity(t);
    f.object_identity = f.table_identity + "." + a.qname;
    f.schema = m.nspace(t.nsp)->name;
    f.objid = t.oid;
    f.objsubid = a.attnum;
    return f;
}

ReportFinding table_finding(const CatalogModel& m, std::string_view rule, const Relation& t) {
    ReportFinding f = make_finding(rule);
    f.object_type = "table";
    f.table_identity = m.table_identity(t);
    f.object_identity = f.table_identity;
    f.schema = m.nspace(t.nsp)->name;
    f.objid = t.oid;
    return f;
}

bool constrained_by(const CatalogModel& m, const Relation& t, AttrNumber attnum, char type) {
    for (std::size_t ci : t.constraints) {
        const Constraint& c = m.constraints[ci];
        if (c.type == type && std::find(c.key.begin(), c.key.end(), attnum) != c.key.end())
            return true;
    }
    return false;
}

// --------------------------------------------------- the column rules --

void nullable_never_null(const CatalogModel& m, const ReportScope& s, const Relation& t,
                         const Attribute& a, std::vector<ReportFinding>& out) {
    if (a.not_null || a.generated || !a.stats || a.stats->null_frac != 0)
        return;
    ReportFinding f = column_finding(m, "nullable_never_null", t, a);
    if (!s.keep(f))
        return;
    const FindingText& table = f.table_identity;
    f.message = "column " + f.object_identity +
                " allows NULL, but by the statistics none of its ~" + rows_text(t.tuples) +
                " rows holds one";
    // schema_oracle.set_not_null() runs the safe recipe (and reuses a CHECK
    // (col IS NOT NULL) already there, valid or not); the detail spells it
    // out for doing it by hand.
    std::string name = quote_name(choose_constraint_name(m, t, a.name, "not_null"));
    f.detail =
        "SET NOT NULL alone scans the whole table under an ACCESS EXCLUSIVE lock; the fix "
        "proves it first, each step in its own transaction. By hand: ALTER TABLE " +
        table + " ADD CONSTRAINT " + name + " CHECK (" + a.qname +
        " IS NOT NULL) NOT VALID; "
        "ALTER TABLE " +
        table + " VALIDATE CONSTRAINT " + name + "; ALTER TABLE " + table + " ALTER COLUMN " +
        a.qname + " SET NOT NULL; ALTER TABLE " + table + " DROP CONSTRAINT " + name + ";";
    f.fix = "CALL schema_oracle.set_not_null(" + quote_literal(table) + ", " +
            quote_literal(a.name) + ");";
    out.push_back(std::move(f));
}

void status_without_constraint(const CatalogModel& m, const ReportScope& s, const Relation& t,
                               const Attribute& a, std::vector<ReportFinding>& out) {
    if (a.type != type_oid::text && a.type != type_oid::varchar)
        return;  // an enum or domain is typed
    if (!a.stats || a.stats->common_values.size() < 2)
        return;
    const ColumnStats& st = *a.stats;
    double distinct = st.n_distinct >= 0 ? st.n_distinct : -st.n_distinct * t.tuples;
    if (distinct < 2 || distinct > status_max_values)
        return;
    if (st.common_values.size() + 0.5 < distinct)
        return;  // the sample saw values it did not list
    double covered = st.null_frac;
    for (float fr : st.common_freqs) covered += fr;
    if (covered < 0.999)
        return;
    for (const auto& v : st.common_values)
        if (v.empty() || v.size() > status_max_value_bytes)
            return;
    if (constrained_by(m, t, a.attnum, 'c') || constrained_by(m, t, a.attnum, 'f'))
        return;
    ReportFinding f = column_finding(m, "status_without_constraint", t, a);
    if (!s.keep(f))
        return;
    std::vector<std::string> values(st.common_values);
    std::sort(values.begin(), values.end());
    std::string list, shown;
    for (const auto& v : values) {
        if (!list.empty()) {
            list += ", ";
            shown += ", ";
        }
        list += quote_literal(v);
        shown += v;
    }
    f.message = "column " + f.object_identity + " holds only " + std::to_string(values.size()) +
                " distinct values by the statistics (" + shown +
                ") but no CHECK, enum type or foreign key limits them";
    std::string name = quote_name(choose_constraint_name(m, t, a.name, "check"));
    f.detail =
        "a typo or a retired value is stored silently; the fix adds the CHECK NOT VALID "
        "(instant, new rows only), then ALTER TABLE " +
        f.table_identity + " VALIDATE CONSTRAINT " + name +
        " checks the existing rows without blocking writes. The values come from a "
        "sample: review the list first. An enum type or a lookup table with a foreign "
        "key does the same.";
    f.fix = "ALTER TABLE " + f.table_identity + " ADD CONSTRAINT " + name + " CHECK (" + a.qname +
            " IN (" + list + ")) NOT VALID;";
    out.push_back(std::move(f));
}

bool named_like_natural_key(const CatalogModel& m, const std::string& column) {
    std::string low = lower(column);
    for (const auto& key : m.settings.natural_key_columns) {
        std::string k = lower(key);
        if (low == k)
            return true;
        if (low.size() > k.size() + 1 && low.compare(low.size() - k.size(), k.size(), k) == 0 &&
            low[low.size() - k.size() - 1] == '_')
            return true;
    }
    return false;
}

void natural_key_not_unique(const CatalogModel& m, const ReportScope& s, const Relation& t,
                            const Attribute& a, std::vector<ReportFinding>& out) {
    if (!a.stats || a.stats->n_distinct >= 0)
        return;
    // ANALYZE writes -(1 - null_frac) when every sampled value is distinct.
    if (std::fabs(-a.stats->n_distinct - (1.0 - a.stats->null_frac)) > 1e-6)
        return;
    if (!named_like_natural_key(m, a.name))
        return;
    const std::string var = ":varattno " + std::to_string(a.attnum) + " ";
    for (const Index* ix : t.indexes) {
        if (!ix->unique)
            continue;
        for (int k = 0; k < ix->nkey && k < static_cast<int>(ix->columns.size()); ++k)
            if (ix->columns[k] == a.attnum)
                return;  // unique alone or with others (per tenant)
        if (ix->expressions && ix->expressions->find(var) != std::string::npos)
            return;  // lower(email)
    }
    ReportFinding f = column_finding(m, "natural_key_not_unique", t, a);
    if (!s.keep(f))
        return;
    f.message = "column " + f.object_identity +
                " is named like a natural key and all its values are distinct by the "
                "statistics, but no unique index enforces it";
    f.detail =
        "without one, a retried request or a race stores a duplicate. The statistics "
        "come from a sample: if the build fails on a duplicate it leaves an invalid "
        "index (invalid_index says how to drop it); remove the duplicates and rerun. "
        "schema_oracle.natural_key_columns lists the names";
    f.fix = "CREATE UNIQUE INDEX CONCURRENTLY ON " + f.table_identity + " (" + a.qname + ");";
    out.push_back(std::move(f));
}

// cascade_chain's fix: each link rebuilt with ON DELETE RESTRICT, every
// other part of its definition kept (pg_get_constraintdef()), added NOT
// VALID and then validated, so the table is not scanned under the ACCESS
// EXCLUSIVE lock DROP CONSTRAINT takes. Changing what DELETE does is a
// design decision: the statements are commented out, so \gexec runs none of
// them; the user removes the "-- " of the ones chosen. "" if no link's
// definition was read.
std::string restrict_fix(const CatalogModel& m, const std::vector<const Constraint*>& links) {
    std::string statements;
    for (const Constraint* c : links) {
        const Relation* child = m.relation(c->table);
        const Relation* parent = m.relation(c->ref_table);
        const std::string cascade = " ON DELETE CASCADE";
        std::size_t at = c->definition.rfind(cascade);  // after every identifier
        if (!child || !parent || at == std::string::npos)
            continue;
        std::string def = c->definition;
        def.replace(at, cascade.size(), " ON DELETE RESTRICT");
        const std::string not_valid = " NOT VALID";
        bool was_valid = true;
        if (def.size() >= not_valid.size() &&
            def.compare(def.size() - not_valid.size(), not_valid.size(), not_valid) == 0) {
            def.erase(def.size() - not_valid.size());
            was_valid = false;
        }
        const std::string& table = m.table_identity(*child);
        statements += "\n-- ALTER TABLE " + table + " DROP CONSTRAINT " + c->qname +
                      ", ADD CONSTRAINT " + c->qname + " " + def + " NOT VALID;";
        if (was_valid)
            statements += "\n-- ALTER TABLE " + table + " VALIDATE CONSTRAINT " + c->qname + ";";
    }
    if (statements.empty())
        return "";
    return "-- cascade_chain: changing ON DELETE changes what DELETE does, so these statements "
           "are commented out\n-- (\\gexec runs none of them). Remove the \"-- \" of each "
           "to make a DELETE fail while\n-- child rows reference the row, instead of "
           "deleting them.\n-- SET lock_timeout = '5s';" +
           statements;
}

void table_bloat(const CatalogModel& m, const ReportScope& s, const Relation& t,
                 std::vector<ReportFinding>& out) {
    if (t.kind != 'r' || !t.heap || t.attrs.empty() || t.pages <= 0)
        return;
    // splinter's lint 0020 estimate (the PostgreSQL wiki's), over the
    // columns' pg_stats: every column's statistics are needed, or the
    // width is unknown.
    const double hdr = 23, ma = 4;
    double datawidth = 0, maxnullfrac = 0;
    int nullable = 0;
    for (const Attribute& a : t.attrs) {
        if (!a.stats)
            return;
        datawidth += (1 - a.stats->null_frac) * a.stats->avg_width;
        maxnullfrac = std::max<double>(maxnullfrac, a.stats->null_frac);
        if (a.stats->null_frac != 0)
            ++nullable;
    }
    auto pad = [&](double x) {
        double r = std::fmod(x, ma);
        return x + ma - (r == 0 ? ma : r);
    };
    double nullhdr = hdr + 1 + nullable / 8;
    double datahdr = datawidth + pad(hdr);  // data width + aligned tuple header
    double nullhdr2 = maxnullfrac * pad(nullhdr);
    double otta = std::ceil(t.tuples * (pad(datahdr) + nullhdr2 + 4) / (block_size - 20));
    if (otta <= 0)
        return;
    double ratio = static_cast<double>(t.pages) / otta;
    double waste = block_size * (static_cast<double>(t.pages) - otta);
    if (ratio < bloat_min_ratio || waste < bloat_min_waste_bytes)
        return;
    ReportFinding f = table_finding(m, "table_bloat", t);
    if (!s.keep(f))
        return;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " takes %.0f MB, about %.1f times what its ~%s rows need "
                  "(an estimate of %.0f MB wasted)",
                  t.pages * block_size / 1048576.0, ratio, rows_text(t.tuples).c_str(),
                  waste / 1048576.0);
    f.message = "table " + f.table_identity + buf;
    std::string repack = "pg_repack --no-order --table=" + shell_word(f.table_identity) +
                         " (plus your connection options)";
    f.detail =
        "VACUUM only makes dead space reusable; giving it back means rewriting the "
        "table. VACUUM FULL does it under an ACCESS EXCLUSIVE lock (no reads or writes "
        "until it ends); ";
    f.detail +=
        m.settings.has_pg_repack
            ? "pg_repack, installed here, does it online from the shell: " + repack
            : "the pg_repack extension does it online: CREATE EXTENSION pg_repack, then " + repack;
    f.detail +=
        ". If the dead space comes from a one-off purge, the fix (VACUUM, which blocks no "
        "reads or writes) makes it reusable by new rows and refreshes the estimate; the "
        "finding stays until new rows fill it or the table is rewritten";
    f.fix = "VACUUM (ANALYZE) " + f.table_identity + ";";
    out.push_back(std::move(f));
}

}  // namespace

void report_statistics(const CatalogModel& m, const ReportScope& s,
                       std::vector<ReportFinding>& out) {
    const bool want_null = s.rule("nullable_never_null"),
               want_status = s.rule("status_without_constraint"),
               want_key = s.rule("natural_key_not_unique"), want_cascade = s.rule("cascade_chain"),
               want_soft = s.rule("soft_delete_unindexed"), want_seq = s.rule("seq_scan_heavy"),
               want_bloat = s.rule("table_bloat");
    if (!(want_null || want_status || want_key || want_cascade || want_soft || want_seq ||
          want_bloat))
        return;
    RowEstimates estimates(m);

    for (const auto& [oid, t] : m.relations) {
        if (!is_judged_table(m, t) || t.is_partition || !s.schema(t.nsp))
            continue;
        if (!analyzed_big(m, t.kind == 'r' ? t.tuples : -1))
            continue;  // partitioned: not yet
        for (const Attribute& a : t.attrs) {
            if (!a.is_local)
                continue;
            if (want_null)
                nullable_never_null(m, s, t, a, out);
            if (want_status)
                status_without_constraint(m, s, t, a, out);
            if (want_key)
                natural_key_not_unique(m, s, t, a, out);
        }
        if (want_bloat)
            table_bloat(m, s, t, out);

        // soft_delete_unindexed
        for (const std::string& col :
             want_soft ? m.settings.soft_delete_columns : std::vector<std::string>{}) {
            const Attribute* a = t.attr_named(col);
            if (!a || !t.activity || t.activity->seq_scan + t.activity->idx_scan == 0)
                continue;
            bool indexed = false;
            for (const Index* ix : t.indexes)
                if (ix->usable() && ix->predicate && has_null_test(*ix->predicate, a->attnum, 0))
                    indexed = true;
            if (indexed)
                continue;
            ReportFinding f = column_finding(m, "soft_delete_unindexed", t, *a);
            if (!s.keep(f))
                continue;
            f.message = "table " + f.table_identity + " marks deleted rows with " + a->name +
                        " but none of its indexes has WHERE " + a->name +
                        " IS NULL, while queries read it (" +
                        std::to_string(t.activity->seq_scan + t.activity->idx_scan) + " scans)";
            const Constraint* pk = nullptr;
            for (std::size_t ci : t.constraints)
                if (m.constraints[ci].type == 'p')
                    pk = &m.constraints[ci];
            f.detail =
                "every query for live rows also walks the deleted ones; a partial index "
                "WHERE " +
                a->qname +
                " IS NULL on the columns the queries filter or sort "
                "on keeps only live rows";
            if (pk) {
                std::string cols;
                for (AttrNumber n : pk->key)
                    if (const Attribute* k = t.attr(n))
                        cols += (cols.empty() ? "" : ", ") + k->qname;
                f.detail +=
                    "; the fix indexes the primary key (keyset pagination of live rows): "
                    "adapt its columns to your queries";
                f.fix = "CREATE INDEX CONCURRENTLY ON " + f.table_identity + " (" + cols +
                        ") WHERE " + a->qname + " IS NULL;";
            }
            out.push_back(std::move(f));
        }

        // seq_scan_heavy
        if (want_seq && t.activity && t.activity->seq_scan >= seq_scan_min_scans) {
            const TableActivity& act = *t.activity;
            double per_scan =
                static_cast<double>(act.seq_tup_read) / static_cast<double>(act.seq_scan);
            if (per_scan >= 0.5 * t.tuples &&
                act.seq_tup_read >= 10 * std::max<std::int64_t>(act.idx_tup_fetch, 1)) {
                ReportFinding f = table_finding(m, "seq_scan_heavy", t);
                if (s.keep(f)) {
                    f.message = "table " + f.table_identity + " (~" + rows_text(t.tuples) +
                                " rows) was read by " + std::to_string(act.seq_scan) +
                                " sequential scans (" + rows_text(per_scan) +
                                " rows each on average), against " +
                                std::to_string(act.idx_tup_fetch) + " rows fetched by index scans";
                    // No fix: the index depends on the queries' WHERE
                    // clauses, which neither the catalog nor the counters show.
                    f.detail =
                        "some frequent query filters on columns no index leads with: find "
                        "it in pg_stat_statements (SELECT calls, total_exec_time, query "
                        "FROM pg_stat_statements WHERE strpos(query, " +
                        quote_literal(t.name) +
                        ") > 0 ORDER BY total_exec_time DESC LIMIT 20;) or auto_explain, "
                        "and index what it filters on with CREATE INDEX CONCURRENTLY; "
                        "counters since the statistics were last reset";
                    out.push_back(std::move(f));
                }
            }
        }
    }

    // cascade_chain: ON DELETE CASCADE edges parent -> child, on the
    // declared constraints (partition clones skipped, so a partitioned table
    // is one node); judged from each root (no cascade into it from another
    // table).
    if (!want_cascade)
        return;
    std::vector<std::pair<Oid, const Constraint*>> edges;  // by referenced table
    boost::container::flat_set<Oid> targets;
    for (const Constraint& c : m.constraints) {
        if (c.type != 'f' || c.on_delete != 'c' || c.parent != 0 || c.table == c.ref_table)
            continue;
        edges.emplace_back(c.ref_table, &c);
        targets.insert(c.table);
    }
    std::sort(edges.begin(), edges.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second->oid < y.second->oid;
    });
    auto children = [&](Oid parent) {
        auto lo = std::lower_bound(edges.begin(), edges.end(), parent,
                                   [](const auto& e, Oid k) { return e.first < k; });
        std::vector<Oid> out_oids;
        for (auto it = lo; it != edges.end() && it->first == parent; ++it)
            out_oids.push_back(it->second->table);
        return out_oids;
    };
    for (auto e = edges.begin(); e != edges.end();) {
        Oid root = e->first;
        while (e != edges.end() && e->first == root) ++e;
        if (targets.count(root))
            continue;
        const Relation* r = m.relation(root);
        if (!r || !is_judged_table(m, *r) || !s.schema(r->nsp))
            continue;
        // Longest path and every table reachable (each once; cycles cut).
        std::vector<Oid> longest, path{root};
        boost::container::flat_set<Oid> reached;
        std::function<void(Oid)> walk = [&](Oid at) {
            if (path.size() > longest.size())
                longest = path;
            for (Oid child : children(at)) {
                if (std::find(path.begin(), path.end(), child) != path.end())
                    continue;
                reached.insert(child);
                path.push_back(child);
                walk(child);
                path.pop_back();
            }
        };
        walk(root);
        double rows = 0;
        bool known = estimates.rows(*r) >= 0;
        for (Oid o : reached) {
            const Relation* x = m.relation(o);
            double n = x ? estimates.rows(*x) : -1;
            if (n < 0)
                known = false;
            rows += n;
        }
        if (!known || rows < m.settings.stats_min_rows)
            continue;  // no statistics, or small
        if (longest.size() < cascade_min_depth && rows < cascade_many_rows)
            continue;
        ReportFinding f = table_finding(m, "cascade_chain", *r);
        if (!s.keep(f))
            continue;
        std::string chain;
        for (Oid o : longest) {
            if (!chain.empty())
                chain += " -> ";
            chain += m.table_identity(*m.relation(o));
        }
        f.message = "deleting a row of " + f.table_identity + " cascades " +
                    (longest.size() >= cascade_min_depth
                         ? "through " + chain
                         : "into " + std::to_string(reached.size()) + " tables") +
                    ": by the statistics up to " + rows_text(rows) + " rows in " +
                    std::to_string(reached.size()) + " tables can go with it";
        f.detail =
            "one DELETE (or a script, or a console mistake) removes them all, in one "
            "transaction holding row locks on every table of the path; longest path: " +
            chain +
            ". Consider ON DELETE RESTRICT on the deeper links and deleting "
            "children deliberately, or soft deletes; the fix is commented out, since it "
            "changes what DELETE does";
        // The links to change: past the first one on the longest path (the
        // root's own children still go with it), or, for a fan-out with no
        // deeper link, the root's links.
        std::vector<const Constraint*> links;
        auto links_between = [&](Oid parent, Oid child) {
            auto lo = std::lower_bound(edges.begin(), edges.end(), parent,
                                       [](const auto& e, Oid k) { return e.first < k; });
            for (auto it = lo; it != edges.end() && it->first == parent; ++it)
                if (it->second->table == child)
                    links.push_back(it->second);
        };
        if (longest.size() >= 3)
            for (std::size_t i = 1; i + 1 < longest.size(); ++i)
                links_between(longest[i], longest[i + 1]);
        else
            for (Oid child : children(root)) links_between(root, child);
        f.fix = restrict_fix(m, links);
        out.push_back(std::move(f));
    }
}

}  // namespace schema_oracle::core
