// cli_output_test.cpp: schema_oracle_check's output formats (src/cli/output.cpp):
// escaping for JSON, GitHub workflow commands and URIs, and the layout of
// each format.
#include <gtest/gtest.h>

#include <sstream>

#include "../../src/cli/output.hpp"

using namespace schema_oracle::cli;

namespace {

Run sample() {
    Run run;
    run.tool_version = "0.2.0";
    run.rules = {{"rename_column", "breaking", "warning", "RENAME COLUMN breaks clients."}};
    Finding f;
    f.file = "db/migrate/V2 add.sql";
    f.statement = 1;
    f.line = 3;
    f.column = 5;
    f.excerpt = "ALTER TABLE t RENAME COLUMN a TO b";
    f.rule = "rename_column";
    f.severity = "warning";
    f.level = Level::warning;
    f.message = "RENAME COLUMN t.a to b: 100%, \"quoted\"";
    f.fix = "line one\nline two";
    run.findings.push_back(f);
    return run;
}

std::string render(Format format, const Run& run) {
    std::ostringstream out;
    write(out, format, run);
    return out.str();
}

}  // namespace

TEST(CliOutput, Escaping) {
    EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    EXPECT_EQ(github_escape_data("50%\r\nx"), "50%25%0D%0Ax");
    EXPECT_EQ(github_escape_property("a:b,c"), "a%3Ab%2Cc");
    EXPECT_EQ(uri_path("db/V2 add.sql"), "db/V2%20add.sql");
    EXPECT_EQ(fingerprint("x"), fingerprint("x"));
    EXPECT_NE(fingerprint("x"), fingerprint("y"));
    EXPECT_EQ(fingerprint("x").size(), 32u);
}

TEST(CliOutput, Text) {
    const std::string out = render(Format::text, sample());
    EXPECT_EQ(out.substr(0, out.find('\n')),
              "db/migrate/V2 add.sql:3:5: warning: [rename_column] RENAME COLUMN t.a to b: 100%, "
              "\"quoted\"");
    EXPECT_NE(out.find("    fix:\n        line one\n        line two\n"), std::string::npos);
}

TEST(CliOutput, Github) {
    const std::string out = render(Format::github, sample());
    EXPECT_EQ(
        out,
        "::warning file=db/migrate/V2 add.sql,line=3,col=5,title=schema_oracle [rename_column]::"
        "RENAME COLUMN t.a to b: 100%25, \"quoted\"%0AFix:%0Aline one%0Aline two\n");
}

TEST(CliOutput, SarifAndGitlabMentionTheRule) {
    const std::string sarif = render(Format::sarif, sample());
    EXPECT_NE(sarif.find("\"version\": \"2.1.0\""), std::string::npos);
    EXPECT_NE(sarif.find("\"ruleIndex\": 0"), std::string::npos);
    EXPECT_NE(sarif.find("\"uri\": \"db/migrate/V2%20add.sql\""), std::string::npos);
    EXPECT_NE(sarif.find("\"startLine\": 3, \"startColumn\": 5"), std::string::npos);
    const std::string gitlab = render(Format::gitlab, sample());
    EXPECT_NE(gitlab.find("\"check_name\": \"rename_column\""), std::string::npos);
    EXPECT_NE(gitlab.find("\"severity\": \"major\""), std::string::npos);
    schema_oracle::cli::Run empty;
    EXPECT_EQ(render(Format::json, empty), "[]\n");
    EXPECT_EQ(render(Format::gitlab, empty), "[]\n");
}

TEST(CliOutput, Levels) {
    bool ok;
    EXPECT_EQ(parse_level("block", &ok), Level::block);
    EXPECT_TRUE(ok);
    parse_level("fatal", &ok);
    EXPECT_FALSE(ok);
    Format f;
    EXPECT_TRUE(parse_format("sarif", &f));
    EXPECT_EQ(f, Format::sarif);
    EXPECT_FALSE(parse_format("xml", &f));
}
