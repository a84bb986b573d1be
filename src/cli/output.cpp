// output.cpp: schema_oracle_check's output formats (output.hpp).
//
//   text    file:line:col: level: [rule] message, then the lock, the detail
//           and the fix indented below (compiler style, for terminals and
//           editors' problem matchers)
//   json    an array of finding objects
//   sarif   SARIF 2.1.0: one run, the rule catalog as tool.driver.rules,
//           each result with a physical location (file, line, column, the
//           statement as snippet), waived findings as inSource suppressions
//   github  GitHub Actions workflow commands (::error file=...,line=...::)
//   gitlab  GitLab Code Quality report (an array with fingerprints)
#include "output.hpp"

#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>

#include "schema_oracle/core/enum_names.hpp"
#include "schema_oracle/upstream/json.hpp"

namespace schema_oracle::cli {

namespace {
// "warn" is read as warning too (the guard's own spelling); printed as warning.
constexpr core::EnumName<Level> level_names[] = {{Level::off, "off"},
                                                 {Level::notice, "notice"},
                                                 {Level::warning, "warning"},
                                                 {Level::warning, "warn"},
                                                 {Level::block, "block"}};
// SARIF 2.1.0 result levels.
constexpr core::EnumName<Level> sarif_levels[] = {{Level::block, "error"},
                                                  {Level::warning, "warning"},
                                                  {Level::notice, "note"},
                                                  {Level::off, "none"}};
}  // namespace

Level parse_level(std::string_view t, bool* ok) {
    std::optional<Level> level = core::value_of(level_names, t);
    *ok = level.has_value();
    return level.value_or(Level::warning);
}

std::string_view to_string(Level l) {
    return core::name_of(level_names, l, "warning");
}

bool parse_format(std::string_view t, Format* out) {
    if (t == "text")
        *out = Format::text;
    else if (t == "json")
        *out = Format::json;
    else if (t == "sarif")
        *out = Format::sarif;
    else if (t == "github")
        *out = Format::github;
    else if (t == "gitlab")
        *out = Format::gitlab;
    else
        return false;
    return true;
}

std::string json_string(std::string_view s) {
    std::string out;
    upstream::append_json_string(out, s);
    return out;
}

// Workflow command data: %, CR and LF are escaped; properties also : and ,.
std::string github_escape_data(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '%')
            out += "%25";
        else if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else
            out += c;
    }
    return out;
}

std::string github_escape_property(std::string_view s) {
    std::string out;
    for (char c : github_escape_data(s)) {
        if (c == ':')
            out += "%3A";
        else if (c == ',')
            out += "%2C";
        else
            out += c;
    }
    return out;
}

// A relative file path as a URI reference: unreserved characters and '/'
// as they are, everything else percent-encoded (RFC 3986).
std::string uri_path(std::string_view path) {
    std::string out;
    for (unsigned char c : path) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                           c == '/';
        if (plain) {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// 128 bits of two FNV-1a hashes, as hex: stable, and unique enough to tell
// findings apart (not a security property).
std::string fingerprint(std::string_view text) {
    std::uint64_t a = 14695981039346656037ull, b = 1099511628211ull * 31 + 7;
    for (unsigned char c : text) {
        a = (a ^ c) * 1099511628211ull;
        b = (b ^ c) * 1099511628211ull + 0x9e3779b97f4a7c15ull;
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(a),
                  static_cast<unsigned long long>(b));
    return buf;
}

namespace {

void indent(std::ostream& out, std::string_view text, std::string_view prefix) {
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos)
            nl = text.size();
        out << prefix << text.substr(start, nl - start) << '\n';
        start = nl + 1;
    }
}

void write_text(std::ostream& out, const Run& run) {
    for (const Finding& f : run.findings) {
        out << f.file << ':' << f.line << ':' << f.column << ": " << to_string(f.level) << ": ["
            << f.rule << "] " << f.message << '\n';
        if (!f.waiver.empty())
            out << "    waived: " << f.waiver << '\n';
        if (!f.lock_mode.empty())
            out << "    lock: " << f.lock_mode << " on " << f.lock_on << '\n';
        if (!f.detail.empty())
            indent(out, f.detail, "    ");
        if (!f.fix.empty()) {
            out << "    fix:\n";
            indent(out, f.fix, "        ");
        }
    }
}

void finding_fields(std::ostream& out, const Finding& f, std::string_view pad) {
    out << pad << "\"file\": " << json_string(f.file) << ",\n"
        << pad << "\"statement\": " << f.statement << ",\n"
        << pad << "\"line\": " << f.line << ",\n"
        << pad << "\"column\": " << f.column << ",\n"
        << pad << "\"excerpt\": " << json_string(f.excerpt) << ",\n"
        << pad << "\"rule\": " << json_string(f.rule) << ",\n"
        << pad << "\"severity\": " << json_string(f.severity) << ",\n"
        << pad << "\"level\": " << json_string(to_string(f.level)) << ",\n"
        << pad << "\"lock_mode\": " << (f.lock_mode.empty() ? "null" : json_string(f.lock_mode))
        << ",\n"
        << pad << "\"lock_on\": " << (f.lock_on.empty() ? "null" : json_string(f.lock_on)) << ",\n"
        << pad << "\"message\": " << json_string(f.message) << ",\n"
        << pad << "\"detail\": " << json_string(f.detail) << ",\n"
        << pad << "\"fix\": " << json_string(f.fix) << ",\n"
        << pad << "\"waiver\": " << (f.waiver.empty() ? "null" : json_string(f.waiver)) << "\n";
}

void write_json(std::ostream& out, const Run& run) {
    out << "[";
    for (std::size_t i = 0; i < run.findings.size(); ++i) {
        out << (i ? ",\n  {\n" : "\n  {\n");
        finding_fields(out, run.findings[i], "    ");
        out << "  }";
    }
    out << (run.findings.empty() ? "]\n" : "\n]\n");
}

std::string_view sarif_level(Level l) {
    return core::name_of(sarif_levels, l, "warning");
}

std::string_view sarif_default_level(std::string_view severity) {
    if (severity == "error")
        return "error";
    if (severity == "info")
        return "note";
    return "warning";
}

// A per-file occurrence counter keeps fingerprints of identical findings apart.
std::string stable_key(const Finding& f, std::map<std::string, int>& seen) {
    std::string key = f.file + '\x1f' + f.rule + '\x1f' + f.excerpt + '\x1f' + f.message;
    const int n = seen[key]++;
    return key + '\x1f' + std::to_string(n);
}

void write_sarif(std::ostream& out, const Run& run) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < run.rules.size(); ++i) index[run.rules[i].id] = i;
    out << "{\n"
        << "  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
        << "  \"version\": \"2.1.0\",\n"
        << "  \"runs\": [\n    {\n"
        << "      \"tool\": {\n        \"driver\": {\n"
        << "          \"name\": \"schema_oracle\",\n";
    if (!run.tool_version.empty())
        out << "          \"semanticVersion\": " << json_string(run.tool_version) << ",\n";
    out << "          \"rules\": [";
    for (std::size_t i = 0; i < run.rules.size(); ++i) {
        const Rule& r = run.rules[i];
        out << (i ? ",\n" : "\n") << "            {\n"
            << "              \"id\": " << json_string(r.id) << ",\n"
            << "              \"shortDescription\": {\"text\": " << json_string(r.summary) << "},\n"
            << "              \"help\": {\"text\": "
            << json_string("SELECT schema_oracle.explain_rule('" + r.id + "'); or docs/rules/" +
                           r.id + ".md")
            << "},\n"
            << "              \"defaultConfiguration\": {\"level\": "
            << json_string(sarif_default_level(r.severity)) << "},\n"
            << "              \"properties\": {\"category\": " << json_string(r.category)
            << ", \"severity\": " << json_string(r.severity) << ", \"tags\": ["
            << json_string(r.category) << "]}\n"
            << "            }";
    }
    out << (run.rules.empty() ? "]\n" : "\n          ]\n");
    out << "        }\n      },\n"
        << "      \"columnKind\": \"unicodeCodePoints\",\n"
        << "      \"results\": [";
    std::map<std::string, int> seen;
    for (std::size_t i = 0; i < run.findings.size(); ++i) {
        const Finding& f = run.findings[i];
        std::string text = f.message;
        if (!f.fix.empty())
            text += "\n\nFix:\n" + f.fix;
        out << (i ? ",\n" : "\n") << "        {\n"
            << "          \"ruleId\": " << json_string(f.rule) << ",\n";
        auto it = index.find(f.rule);
        if (it != index.end())
            out << "          \"ruleIndex\": " << it->second << ",\n";
        out << "          \"level\": " << json_string(sarif_level(f.level)) << ",\n"
            << "          \"message\": {\"text\": " << json_string(text) << "},\n"
            << "          \"locations\": [\n            {\n"
            << "              \"physicalLocation\": {\n"
            << "                \"artifactLocation\": {\"uri\": " << json_string(uri_path(f.file))
            << "},\n"
            << "                \"region\": {\"startLine\": " << (f.line > 0 ? f.line : 1)
            << ", \"startColumn\": " << (f.column > 0 ? f.column : 1)
            << ", \"snippet\": {\"text\": " << json_string(f.excerpt) << "}}\n"
            << "              }\n            }\n          ],\n"
            << "          \"partialFingerprints\": {\"schemaOracleFinding/v1\": "
            << json_string(fingerprint(stable_key(f, seen))) << "},\n";
        if (!f.waiver.empty())
            out << "          \"suppressions\": [{\"kind\": \"inSource\", \"justification\": "
                << json_string(f.waiver) << "}],\n";
        out << "          \"properties\": {\"statement\": " << f.statement
            << ", \"policyLevel\": " << json_string(to_string(f.level))
            << ", \"lockMode\": " << json_string(f.lock_mode)
            << ", \"lockOn\": " << json_string(f.lock_on)
            << ", \"detail\": " << json_string(f.detail) << ", \"fix\": " << json_string(f.fix)
            << "}\n"
            << "        }";
    }
    out << (run.findings.empty() ? "]\n" : "\n      ]\n");
    out << "    }\n  ]\n}\n";
}

void write_github(std::ostream& out, const Run& run) {
    for (const Finding& f : run.findings) {
        if (f.level == Level::off)
            continue;
        const char* command = f.level == Level::block     ? "error"
                              : f.level == Level::warning ? "warning"
                                                          : "notice";
        std::string body = f.message;
        if (!f.waiver.empty())
            body += "\nWaived: " + f.waiver;
        if (!f.fix.empty())
            body += "\nFix:\n" + f.fix;
        out << "::" << command << " file=" << github_escape_property(f.file) << ",line=" << f.line
            << ",col=" << f.column
            << ",title=" << github_escape_property("schema_oracle [" + f.rule + "]")
            << "::" << github_escape_data(body) << '\n';
    }
}

std::string_view gitlab_severity(Level l) {
    switch (l) {
        case Level::block:
            return "critical";
        case Level::warning:
            return "major";
        case Level::notice:
        case Level::off:
            return "info";
    }
    return "major";
}

void write_gitlab(std::ostream& out, const Run& run) {
    std::map<std::string, int> seen;
    out << "[";
    bool first = true;
    for (const Finding& f : run.findings) {
        out << (first ? "\n" : ",\n");
        first = false;
        std::string description = "[" + f.rule + "] " + f.message;
        if (!f.waiver.empty())
            description += " (waived: " + f.waiver + ")";
        out << "  {\n"
            << "    \"description\": " << json_string(description) << ",\n"
            << "    \"check_name\": " << json_string(f.rule) << ",\n"
            << "    \"fingerprint\": " << json_string(fingerprint(stable_key(f, seen))) << ",\n"
            << "    \"severity\": " << json_string(gitlab_severity(f.level)) << ",\n"
            << "    \"location\": {\"path\": " << json_string(f.file)
            << ", \"lines\": {\"begin\": " << (f.line > 0 ? f.line : 1) << "}}\n"
            << "  }";
    }
    out << (first ? "]\n" : "\n]\n");
}

}  // namespace

void write(std::ostream& out, Format format, const Run& run) {
    switch (format) {
        case Format::text:
            write_text(out, run);
            break;
        case Format::json:
            write_json(out, run);
            break;
        case Format::sarif:
            write_sarif(out, run);
            break;
        case Format::github:
            write_github(out, run);
            break;
        case Format::gitlab:
            write_gitlab(out, run);
            break;
    }
}

}  // namespace schema_oracle::cli
