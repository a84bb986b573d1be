// output.hpp: the findings of schema_oracle_check and how they are printed
// (text, JSON, SARIF 2.1.0, GitHub workflow commands, GitLab Code Quality).
//
// Pure C++ without libpq, so the formats are unit-tested on their own
// (test/unit/cli_output_test.cpp) and the client (main.cpp) only gathers.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace schema_oracle::cli {

enum class Level { off, notice, warning, block };
Level parse_level(std::string_view text, bool* ok);
std::string_view to_string(Level level);

struct Finding {
    std::string file;  // as given on the command line (or found in a directory)
    int statement = 0, line = 0, column = 0;
    std::string excerpt, rule, severity;
    Level level = Level::warning;
    std::string lock_mode, lock_on, message, detail, fix, waiver;
};

// A rule of schema_oracle.rules, for SARIF's and GitLab's rule metadata.
struct Rule {
    std::string id, category, severity, summary;
};

enum class Format { text, json, sarif, github, gitlab };
bool parse_format(std::string_view text, Format* out);

struct Run {
    std::vector<Finding> findings;
    std::vector<Rule> rules;
    std::string tool_version;  // the extension's version on the server
};

void write(std::ostream& out, Format format, const Run& run);

// Helpers, exposed for the tests.
std::string json_string(std::string_view s);
std::string github_escape_data(std::string_view s);
std::string github_escape_property(std::string_view s);
std::string uri_path(std::string_view path);
std::string fingerprint(std::string_view text);

}  // namespace schema_oracle::cli
