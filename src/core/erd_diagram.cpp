// erd_diagram.cpp: erd()'s two writers (Mermaid erDiagram, Graphviz DOT),
// the neighbourhood of `around`, and the numbering of the findings. The text
// is the one the SQL reference (_erd_mermaid_text, _erd_dot in
// extension/0.2.0/40-erd.sql) writes; the layout of each is described there
// and in docs/erd.md.
#include <algorithm>
#include <numeric>

#include "schema_oracle/core/erd.hpp"

namespace schema_oracle::core::erd {

namespace {

const char* plural(std::int64_t n) {
    return n == 1 ? "" : "s";
}

// The findings drawn, in their numbering order (table order, then report
// order), each with the position of its table.
struct Numbered {
    std::size_t table;
    std::string_view text;
};

std::vector<Numbered> number_findings(const Diagram& d) {
    // table OID -> position; the tables are few enough to sort a copy
    std::vector<std::pair<Oid, std::size_t>> pos(d.tables.size());
    for (std::size_t i = 0; i < d.tables.size(); ++i) pos[i] = {d.tables[i].oid, i};
    std::sort(pos.begin(), pos.end());
    std::vector<Numbered> out;
    for (const Finding& f : d.findings) {
        auto it = std::lower_bound(pos.begin(), pos.end(), std::make_pair(f.table, std::size_t{0}));
        if (it != pos.end() && it->first == f.table)
            out.push_back({it->second, f.text});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Numbered& a, const Numbered& b) { return a.table < b.table; });
    return out;
}

bool is_uncovered(const std::vector<Oid>& sorted_uncovered, Oid fk) {
    return std::binary_search(sorted_uncovered.begin(), sorted_uncovered.end(), fk);
}

// The foreign keys in drawing order: by the referencing table, then name
// (C collation), then OID.
std::vector<const ForeignKey*> ordered_keys(const Diagram& d) {
    std::vector<const ForeignKey*> keys;
    keys.reserve(d.foreign_keys.size());
    for (const ForeignKey& k : d.foreign_keys) keys.push_back(&k);
    std::sort(keys.begin(), keys.end(), [](const ForeignKey* a, const ForeignKey* b) {
        if (a->child != b->child)
            return a->child < b->child;
        int c = a->name.compare(b->name);  // bytewise, as COLLATE "C"
        if (c != 0)
            return c < 0;
        return a->oid < b->oid;
    });
    return keys;
}

bool drawn(const Diagram& d, const Column& c) {
    return !d.keys_only || c.pk || c.fk || c.uq;
}

void append_int(std::string& out, std::int64_t n) {
    out += std::to_string(n);
}

// A foreign key's label, "name (column, column)", each name escaped for the
// diagram's language.
void append_key_label(std::string& out, const ForeignKey& k,
                      void (*escape)(std::string&, std::string_view)) {
    escape(out, k.name);
    out += " (";
    for (std::size_t c = 0; c < k.columns.size(); ++c) {
        if (c > 0)
            out += ", ";
        escape(out, k.columns[c]);
    }
    out += ')';
}

}  // namespace

std::vector<std::size_t> neighbourhood(const Diagram& d, std::size_t root, int depth) {
    const std::size_t n = d.tables.size();
    std::vector<std::vector<std::size_t>> next(n);
    for (const ForeignKey& k : d.foreign_keys) {
        next[k.child].push_back(k.parent);
        next[k.parent].push_back(k.child);
    }
    std::vector<int> hops(n, -1);
    std::vector<std::size_t> frontier{root}, found;
    hops[root] = 0;
    for (int h = 0; h < depth && !frontier.empty(); ++h) {
        std::vector<std::size_t> following;
        for (std::size_t t : frontier)
            for (std::size_t u : next[t])
                if (hops[u] < 0) {
                    hops[u] = h + 1;
                    following.push_back(u);
                }
        frontier.swap(following);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (hops[i] >= 0)
            found.push_back(i);
    return found;
}

void restrict_to(Diagram& d, const std::vector<std::size_t>& keep) {
    std::vector<std::size_t> moved(d.tables.size(), SIZE_MAX);
    std::vector<Table> tables;
    tables.reserve(keep.size());
    for (std::size_t i : keep) {
        moved[i] = tables.size();
        tables.push_back(std::move(d.tables[i]));
    }
    d.tables = std::move(tables);
    std::vector<ForeignKey> keys;
    for (ForeignKey& k : d.foreign_keys) {
        if (moved[k.child] == SIZE_MAX || moved[k.parent] == SIZE_MAX)
            continue;
        k.child = moved[k.child];
        k.parent = moved[k.parent];
        keys.push_back(std::move(k));
    }
    d.foreign_keys = std::move(keys);
}

// ------------------------------------------------------------- Mermaid --

std::string write_mermaid(const Diagram& d) {
    std::vector<Numbered> findings = number_findings(d);
    std::vector<std::int64_t> notes(d.tables.size(), 0);
    for (const Numbered& f : findings) ++notes[f.table];
    std::vector<Oid> uncovered = d.uncovered;
    std::sort(uncovered.begin(), uncovered.end());

    std::string out;
    out.reserve(64 + d.tables.size() * 400);
    out += "erDiagram\n";
    std::vector<std::string> ids(d.tables.size());
    for (std::size_t i = 0; i < d.tables.size(); ++i)
        append_mermaid_id(ids[i], d.tables[i].nsp, d.tables[i].name,
                          static_cast<std::int64_t>(i + 1));

    for (std::size_t i = 0; i < d.tables.size(); ++i) {
        const Table& t = d.tables[i];
        if (t.comment) {
            out += "    %% ";
            append_visible(out, t.nsp);
            out += '.';
            append_visible(out, t.name);
            out += ": ";
            append_visible(out, *t.comment);
            out += '\n';
        }
        out += "    ";
        out += ids[i];
        out += "[\"";
        append_mermaid(out, t.nsp);
        out += '.';
        append_mermaid(out, t.name);
        if (t.kind == 'p') {
            out += " (partitioned, ";
            append_int(out, t.partitions);
            out += " partition";
            out += plural(t.partitions);
            out += ')';
        } else if (t.kind == 'f') {
            out += " (foreign table)";
        }
        if (notes[i] > 0) {
            out += " \xe2\x9a\xa0 ";  // U+26A0
            append_int(out, notes[i]);
        }
        out += "\"]";
        bool any = false;
        for (const Column& c : t.columns) {
            if (!drawn(d, c))
                continue;
            if (!any) {
                out += " {\n";
                any = true;
            }
            out += "        `";
            append_mermaid_type(out, c.type);
            out += "` `";
            append_mermaid(out, c.name);
            out += '`';
            if (c.pk || c.fk || c.uq) {
                out += ' ';
                bool first = true;
                for (auto [on, word] : {std::pair{c.pk, "PK"}, {c.fk, "FK"}, {c.uq, "UK"}}) {
                    if (!on)
                        continue;
                    if (!first)
                        out += ", ";
                    out += word;
                    first = false;
                }
            }
            bool not_null = c.nn && !c.pk;
            if (not_null || c.comment) {
                out += " \"";
                if (not_null)
                    out += "NOT NULL";
                if (c.comment) {
                    if (not_null)
                        out += "; ";
                    append_mermaid(out, *c.comment);
                }
                out += '"';
            }
            out += '\n';
        }
        if (any)
            out += "    }";
        out += '\n';
    }

    for (const ForeignKey* k : ordered_keys(d)) {
        bool dashed = is_uncovered(uncovered, k->oid);
        out += "    ";
        out += ids[k->parent];
        out += ' ';
        out += k->nullable ? "|o" : "||";
        out += dashed ? ".." : "--";
        out += k->unique ? "o|" : "o{";
        out += ' ';
        out += ids[k->child];
        out += " : \"";
        if (dashed)
            out += "\xe2\x9a\xa0 no index: ";
        append_key_label(out, *k, append_mermaid);
        out += ", ON DELETE ";
        out += k->on_delete;
        out += "\"\n";
    }

    if (!findings.empty()) {
        out += "    classDef finding fill:#f4c7c3,stroke:#b03a2e,stroke-width:2px\n";
        out += "    class ";
        bool first = true;
        for (std::size_t i = 0; i < d.tables.size(); ++i) {
            if (notes[i] == 0)
                continue;
            if (!first)
                out += ',';
            out += ids[i];
            first = false;
        }
        out += " finding\n";
        for (std::size_t n = 0; n < findings.size(); ++n) {
            out += "    %% [";
            append_int(out, static_cast<std::int64_t>(n + 1));
            out += "] ";
            append_visible(out, findings[n].text);
            out += '\n';
        }
    }
    return out;
}

// ----------------------------------------------------------------- DOT --

std::string write_dot(const Diagram& d) {
    std::vector<Numbered> findings = number_findings(d);
    std::vector<std::string> refs(d.tables.size());
    for (std::size_t n = 0; n < findings.size(); ++n) {
        std::string& r = refs[findings[n].table];
        if (!r.empty())
            r += ' ';
        r += '[';
        append_int(r, static_cast<std::int64_t>(n + 1));
        r += ']';
    }
    std::vector<Oid> uncovered = d.uncovered;
    std::sort(uncovered.begin(), uncovered.end());
    std::vector<std::string> ids(d.tables.size());
    for (std::size_t i = 0; i < d.tables.size(); ++i) append_dot_id(ids[i], d.tables[i].qualified);

    std::string out;
    out.reserve(256 + d.tables.size() * 900);
    out += "digraph erd {\n";
    out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, nodesep=0.4, ranksep=1.2];\n";
    out += "  node [shape=plain, fontname=\"Helvetica\", fontsize=11];\n";
    out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", dir=both];\n";

    // one cluster per schema; the tables are in schema order, so each
    // schema's tables are one run
    for (std::size_t i = 0; i < d.tables.size();) {
        std::string_view nsp = d.tables[i].nsp;
        out += "  subgraph ";
        std::string cluster = "cluster_";
        cluster.append(nsp.data(), nsp.size());
        append_dot_id(out, cluster);
        out += " {\n    label=<<B>";
        append_html(out, nsp);
        out += "</B>>; style=\"rounded\"; color=\"#8c8c8c\"; fontcolor=\"#404040\";\n";
        for (; i < d.tables.size() && d.tables[i].nsp == nsp; ++i) {
            const Table& t = d.tables[i];
            bool commented = false;  // a column drawn has a comment: a fourth cell
            for (const Column& c : t.columns)
                if (drawn(d, c) && c.comment)
                    commented = true;
            const char* span = commented ? "COLSPAN=\"4\"" : "COLSPAN=\"3\"";
            out += "    ";
            out += ids[i];
            out +=
                " [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
                "CELLPADDING=\"3\"><TR><TD ";
            out += span;
            out += refs[i].empty() ? " BGCOLOR=\"#dbe6f4\"><B>" : " BGCOLOR=\"#f4c7c3\"><B>";
            append_html(out, t.nsp);
            out += '.';
            append_html(out, t.name);
            out += "</B>";
            if (!refs[i].empty()) {
                out += " <FONT COLOR=\"#b03a2e\">&#9888; ";
                out += refs[i];
                out += "</FONT>";
            }
            out += "</TD></TR>";
            if (t.kind == 'p') {
                out += "<TR><TD ";
                out += span;
                out += "><I>partitioned table, ";
                append_int(out, t.partitions);
                out += " partition";
                out += plural(t.partitions);
                out += "</I></TD></TR>";
            } else if (t.kind == 'f') {
                out += "<TR><TD ";
                out += span;
                out += "><I>foreign table</I></TD></TR>";
            }
            if (t.comment) {
                out += "<TR><TD ";
                out += span;
                out += " ALIGN=\"LEFT\"><I>";
                append_html(out, *t.comment);
                out += "</I></TD></TR>";
            }
            for (const Column& c : t.columns) {
                if (!drawn(d, c))
                    continue;
                out += "<TR><TD ALIGN=\"LEFT\">";
                bool first = true;
                for (auto [on, word] :
                     {std::pair{c.pk, "PK"}, {c.fk, "FK"}, {c.uq, "UQ"}, {c.nn && !c.pk, "NN"}}) {
                    if (!on)
                        continue;
                    if (!first)
                        out += ' ';
                    out += word;
                    first = false;
                }
                out += "</TD><TD ALIGN=\"LEFT\">";
                if (c.pk)
                    out += "<B>";
                append_html(out, c.name);
                if (c.pk)
                    out += "</B>";
                out += "</TD><TD ALIGN=\"LEFT\">";
                append_html(out, c.type);
                out += "</TD>";
                if (c.comment) {
                    out += "<TD ALIGN=\"LEFT\"><I>";
                    append_html(out, *c.comment);
                    out += "</I></TD>";
                } else if (commented) {
                    out += "<TD></TD>";
                }
                out += "</TR>";
            }
            out += "</TABLE>>];\n";
        }
        out += "  }\n";
    }

    if (!findings.empty()) {
        out +=
            "  \"findings\" [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" "
            "CELLPADDING=\"3\"><TR><TD BGCOLOR=\"#f4c7c3\" ALIGN=\"LEFT\"><B>Findings "
            "(schema_oracle.report)</B></TD></TR>";
        for (std::size_t n = 0; n < findings.size(); ++n) {
            out += "<TR><TD ALIGN=\"LEFT\">[";
            append_int(out, static_cast<std::int64_t>(n + 1));
            out += "] ";
            append_html(out, findings[n].text);
            out += "</TD></TR>";
        }
        out += "</TABLE>>];\n";
    }

    for (const ForeignKey* k : ordered_keys(d)) {
        bool dashed = is_uncovered(uncovered, k->oid);
        out += "  ";
        out += ids[k->child];
        out += " -> ";
        out += ids[k->parent];
        out += " [label=<";
        if (dashed)
            out += "no index: ";
        append_key_label(out, *k, append_html);
        out += "<BR/>ON DELETE ";
        out += k->on_delete;
        out += ">, arrowtail=";
        out += k->unique ? "teeodot" : "crowodot";
        out += ", arrowhead=";
        out += k->nullable ? "teeodot" : "teetee";
        if (dashed)
            out += ", style=dashed, color=\"#b03a2e\", fontcolor=\"#b03a2e\", penwidth=1.6";
        out += "];\n";
    }
    out += "}\n";
    return out;
}

}  // namespace schema_oracle::core::erd
