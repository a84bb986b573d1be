// rule_catalog_gen.cpp: compiles the rule catalog's data files
// (src/core/rules/*.rules) into the C++ table the core serves (rules()).
//
//   rule-catalog-gen OUT.cpp FILE.rules...
//
// Both builds run it: CMake (CMakeLists.txt) and the PGXS Makefile, which
// compile the written OUT.cpp into the core. The format is documented in
// docs/development.md ("The rule catalog"). In short, a file is a header of
// '#' comment lines, then one block per rule:
//
//   @rule <id>
//   @category <lock|rewrite|breaking|timeout|integrity|performance|type_hygiene|security>
//   @severity <info|warning|error>
//   @scope <guard|report|both|check>
//   @summary <one line>
//   @detects            what it detects    (markdown text, the lines below
//   @hazard             why it hurts        the marker up to the next line
//   @lock               the lock, optional  starting with '@'; or the rest of
//   @safe               the safe way        the marker's line)
//
// Text is taken verbatim: line breaks are kept, trailing blank lines are
// dropped, and a text line that starts with '@' is written "@@...". The
// generator refuses (file:line: message, exit 1) anything else: an unknown
// marker or value, a field given twice or missing, an id defined twice, a
// rule id that is not snake_case. It writes the rows sorted by id, so
// rules() needs no sort and no check at run time, and no global constructor
// runs (the table is constexpr).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Rule {
    std::string file;
    int line = 0;
    std::map<std::string, std::string> fields;  // marker -> value
};

// Each marker and what it holds: the enum type of a keyword field, or "" for text.
struct Marker {
    const char* name;
    const char* enum_type;              // "" = text
    std::vector<std::string> keywords;  // the values a keyword field takes
    bool required;
};

const std::vector<Marker>& markers() {
    static const std::vector<Marker> all = {
        {"rule", "", {}, true},
        {"category",
         "Category",
         {"lock", "rewrite", "breaking", "timeout", "integrity", "performance", "type_hygiene",
          "security"},
         true},
        {"severity", "Severity", {"info", "warning", "error"}, true},
        {"scope", "Scope", {"guard", "report", "both", "check"}, true},
        {"summary", "", {}, true},
        {"detects", "", {}, true},
        {"hazard", "", {}, true},
        {"lock", "", {}, false},
        {"safe", "", {}, true},
    };
    return all;
}

const Marker* find_marker(const std::string& name) {
    for (const Marker& m : markers())
        if (name == m.name)
            return &m;
    return nullptr;
}

[[noreturn]] void fail(const std::string& file, int line, const std::string& message) {
    std::cerr << file << ':' << line << ": " << message << '\n';
    std::exit(1);
}

bool is_snake_case(const std::string& id) {
    if (id.empty() || id.front() < 'a' || id.front() > 'z')
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void drop_trailing_blank_lines(std::string& text) {
    while (!text.empty() && text.back() == '\n') text.pop_back();
}

// The rules of one file, each field checked, appended to `out` (a deque, so
// the rule and the text field being read stay put as rules are added).
void parse_file(const std::string& path, std::deque<Rule>& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path, 0, "cannot read the file");
    Rule* rule = nullptr;
    std::string* text = nullptr;  // the text field being read, if any
    bool inline_value = false;    // it was given on its marker's line: no lines may follow
    std::string line;
    int number = 0;
    auto close_field = [&] {
        if (text != nullptr)
            drop_trailing_blank_lines(*text);
        text = nullptr;
    };
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r')
            fail(path, number, "carriage return: the file must have Unix line ends");
        if (line.rfind("@@", 0) == 0 || line.empty() || line[0] != '@') {
            std::string content = line.rfind("@@", 0) == 0 ? line.substr(1) : line;
            if (text == nullptr) {
                if (rule == nullptr && (content.empty() || content[0] == '#'))
                    continue;  // the file's header comment
                if (content.empty())
                    continue;
                fail(path, number, "text outside a text field (a field is a line \"@name\")");
            }
            if (inline_value) {
                if (content.empty())
                    continue;
                fail(path, number, "text after a field given on its marker's line");
            }
            *text += content + '\n';
            continue;
        }
        close_field();
        std::size_t space = line.find(' ');
        std::string name =
            line.substr(1, space == std::string::npos ? std::string::npos : space - 1);
        std::string value = space == std::string::npos ? "" : line.substr(space + 1);
        const Marker* m = find_marker(name);
        if (m == nullptr)
            fail(path, number,
                 "unknown marker @" + name + " (a text line starting with @ is written @@)");
        if (name == "rule") {
            out.push_back(Rule{path, number, {}});
            rule = &out.back();
        } else if (rule == nullptr) {
            fail(path, number, "@" + name + " before the first @rule");
        }
        if (rule->fields.count(name) != 0)
            fail(path, number, "@" + name + " given twice for rule " + rule->fields["rule"]);
        std::string& field = rule->fields[name];
        if (*m->enum_type != '\0' || name == "rule") {
            if (value.empty())
                fail(path, number, "@" + name + " needs a value on its line");
            if (!m->keywords.empty() &&
                std::find(m->keywords.begin(), m->keywords.end(), value) == m->keywords.end())
                fail(path, number, "@" + name + " " + value + ": not one of its values");
            if (name == "rule" && !is_snake_case(value))
                fail(path, number, "rule id " + value + " is not snake_case");
            field = value;
        } else {
            field = value;
            text = &field;
            inline_value = !value.empty();
            if (inline_value)
                field += '\n';
        }
    }
    close_field();
}

// A C++ string literal of `s`, split after each line break; bytes outside
// printable ASCII as octal escapes, so the source charset never matters.
std::string literal(const std::string& s) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c == '\n') {
            out += "\\n\"";
            if (i + 1 < s.size())
                out += "\n            \"";
            else
                return out;
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\%03o", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string value_of(const Rule& r, const Marker& m) {
    auto it = r.fields.find(m.name);
    std::string v = it == r.fields.end() ? "" : it->second;
    if (*m.enum_type != '\0')
        return std::string(m.enum_type) + "::" + v;
    return literal(v);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: rule-catalog-gen OUT.cpp FILE.rules...\n";
        return 2;
    }
    std::deque<Rule> rules;
    for (int i = 2; i < argc; ++i) parse_file(argv[i], rules);
    for (const Rule& r : rules)
        for (const Marker& m : markers())
            if (m.required && r.fields.count(m.name) == 0)
                fail(r.file, r.line, "rule " + r.fields.at("rule") + " has no @" + m.name);
    // stable: of two rules with one id, the later one is the one refused
    std::stable_sort(rules.begin(), rules.end(), [](const Rule& a, const Rule& b) {
        return a.fields.at("rule") < b.fields.at("rule");
    });
    for (std::size_t i = 1; i < rules.size(); ++i)
        if (rules[i].fields.at("rule") == rules[i - 1].fields.at("rule"))
            fail(rules[i].file, rules[i].line,
                 "rule " + rules[i].fields.at("rule") + " is also defined at " + rules[i - 1].file +
                     ':' + std::to_string(rules[i - 1].line));

    std::ostringstream out;
    out << "// Generated by tools/rule_catalog_gen.cpp from src/core/rules/*.rules:\n"
           "// do not edit (docs/development.md, \"The rule catalog\").\n"
           "#include \"schema_oracle/core/rule.hpp\"\n\n"
           "namespace schema_oracle::core {\n\n"
           "constexpr RuleInfo rule_table[] = {\n";
    for (const Rule& r : rules) {
        out << "    {\n";
        for (const Marker& m : markers()) out << "        " << value_of(r, m) << ",\n";
        out << "    },\n";
    }
    out << "};\n\nconstexpr std::size_t rule_table_size = " << rules.size()
        << ";\n\n}  // namespace schema_oracle::core\n";

    // Written whole or not at all, so a failed run leaves no half table for make.
    const std::string path = argv[1];
    const std::string tmp = path + ".tmp";
    {
        std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
        file << out.str();
        if (!file.flush())
            fail(tmp, 0, "cannot write the file");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        fail(path, 0, "cannot rename " + tmp + " to it");
    return 0;
}
