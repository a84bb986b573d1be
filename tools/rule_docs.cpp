// rule_docs.cpp: writes or checks docs/rules/<rule>.md from the rule catalog,
// so the docs and schema_oracle.explain_rule() can never disagree.
//
//   rule-docs --write docs/rules    regenerate every page (and the index)
//   rule-docs --check docs/rules    exit 1 if any page differs or is missing
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

#include "schema_oracle/core/rule.hpp"

namespace fs = std::filesystem;
using namespace schema_oracle::core;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string render_index() {
    std::string out =
        "# Rules\n\n"
        "Generated from the rule catalog (`SELECT * FROM schema_oracle.rules`); "
        "regenerate with `build/cmake/rule-docs --write docs/rules`.\n\n"
        "| rule | category | severity | judged by | summary |\n|---|---|---|---|---|\n";
    for (const auto& r : rules()) {
        out += "| [" + std::string(r.id) + "](" + std::string(r.id) + ".md) | ";
        out += std::string(to_string(r.category)) + " | " + std::string(to_string(r.severity)) +
               " | " + std::string(to_string(r.scope)) + " | " + std::string(r.summary) + " |\n";
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3 || (std::string(argv[1]) != "--write" && std::string(argv[1]) != "--check")) {
        std::cerr << "usage: rule-docs --write|--check DIR\n";
        return 2;
    }
    const bool write = std::string(argv[1]) == "--write";
    const fs::path dir = argv[2];
    int stale = 0;

    auto handle = [&](const fs::path& file, const std::string& expected) {
        if (write) {
            std::ofstream(file, std::ios::binary) << expected;
        } else if (!fs::exists(file) || read_file(file) != expected) {
            std::cerr << file.string() << " is out of date: run rule-docs --write " << dir.string()
                      << "\n";
            ++stale;
        }
    };

    if (write)
        fs::create_directories(dir);
    std::set<std::string> expected_files{"README.md"};
    for (const auto& r : rules()) {
        expected_files.insert(std::string(r.id) + ".md");
        handle(dir / (std::string(r.id) + ".md"), render_rule_doc(r));
    }
    handle(dir / "README.md", render_index());

    // A page for a rule that no longer exists is stale too.
    if (fs::exists(dir))
        for (const auto& entry : fs::directory_iterator(dir))
            if (!expected_files.count(entry.path().filename().string())) {
                if (write) {
                    fs::remove(entry.path());
                } else {
                    std::cerr << entry.path().string() << " documents no rule\n";
                    ++stale;
                }
            }
    return stale == 0 ? 0 : 1;
}
