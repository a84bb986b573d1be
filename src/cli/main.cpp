// main.cpp: schema_oracle_check, the command-line client of
// schema_oracle.check() (docs/check.md).
//
//   schema_oracle_check [OPTION]... FILE|DIRECTORY...
//
// Reads the migration files (a directory: its *.sql files, recursively,
// in version order), sends them in one call to schema_oracle.check(text[])
// on the target database (libpq: -d conninfo or URI, -h -p -U, PG*
// variables, .pgpass, service files), and prints the findings.
//
// Exit status: 0 no finding at or above --fail-on (waived findings never
// count), 1 findings at or above it, 2 usage, file, connection or server
// error.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "output.hpp"

namespace fs = std::filesystem;
using namespace schema_oracle::cli;

namespace {

constexpr const char* version = "schema_oracle_check (schema_oracle) " SCHEMA_ORACLE_VERSION;

void usage(std::ostream& out) {
    out << "schema_oracle_check judges migration files against a live database without running "
           "them.\n\n"
           "Usage:\n  schema_oracle_check [OPTION]... FILE|DIRECTORY...\n\n"
           "Files are checked in the order given; a directory contributes its *.sql files\n"
           "(recursively), ordered by file name in version order (V2 before V10), wherever\n"
           "they are in the tree. Each file is one migration.\n\n"
           "Options:\n"
           "  -d, --dbname=CONNINFO     database name, connection string or URI\n"
           "  -h, --host=HOST           database server host or socket directory\n"
           "  -p, --port=PORT           database server port\n"
           "  -U, --username=USER       database user name\n"
           "  -t, --transaction=MODE    how each file runs: single (default), per_statement,\n"
           "                            as_written\n"
           "  -f, --format=FORMAT       text (default), json, sarif, github, gitlab\n"
           "      --fail-on=LEVEL       exit 1 on findings at or above: notice, warning\n"
           "                            (default), block\n"
           "  -o, --output=FILE         write the report to FILE instead of standard output\n"
           "  -q, --quiet               no summary line on standard error\n"
           "  -V, --version             print the version and exit\n"
           "  -?, --help                show this help and exit\n\n"
           "The connection also honours the PG* environment variables, ~/.pgpass and\n"
           "pg_service.conf, as psql does.\n\n"
           "Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, file,\n"
           "connection or server error.\n";
}

[[noreturn]] void fail(const std::string& message) {
    std::cerr << "schema_oracle_check: error: " << message << '\n';
    std::exit(2);
}

[[noreturn]] void usage_error(const std::string& message) {
    std::cerr << "schema_oracle_check: " << message << "\n"
              << "Try \"schema_oracle_check --help\" for more information.\n";
    std::exit(2);
}

// Version order: runs of digits compare as numbers, everything else bytewise.
bool version_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) &&
            std::isdigit(static_cast<unsigned char>(b[j]))) {
            std::size_t ie = i, je = j;
            while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
            while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
            std::string_view da(a.data() + i, ie - i), db(b.data() + j, je - j);
            while (da.size() > 1 && da[0] == '0') da.remove_prefix(1);
            while (db.size() > 1 && db[0] == '0') db.remove_prefix(1);
            if (da.size() != db.size())
                return da.size() < db.size();
            if (da != db)
                return da < db;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j])
                return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

std::vector<std::string> collect_files(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    for (const std::string& arg : args) {
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(arg, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec) && it->path().extension() == ".sql")
                    found.push_back(it->path().generic_string());
            if (ec)
                fail("cannot read directory \"" + arg + "\": " + ec.message());
            // By file name, as migration tools order them (a subdirectory
            // only groups files), then by path.
            std::sort(found.begin(), found.end(), [](const std::string& x, const std::string& y) {
                const std::string bx = fs::path(x).filename().string(),
                                  by = fs::path(y).filename().string();
                if (bx != by)
                    return version_less(bx, by);
                return version_less(x, y);
            });
            files.insert(files.end(), found.begin(), found.end());
        } else if (fs::exists(arg, ec)) {
            files.push_back(arg);
        } else {
            fail("no such file or directory: \"" + arg + "\"");
        }
    }
    return files;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read \"" + path + "\": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.find('\0') != std::string::npos)
        fail("\"" + path + "\" contains a NUL byte: not an SQL file");
    return text;
}

// A text[] literal of the files' contents.
std::string array_literal(const std::vector<std::string>& texts) {
    std::string out = "{";
    for (std::size_t i = 0; i < texts.size(); ++i) {
        if (i)
            out += ',';
        out += '"';
        for (char c : texts[i]) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

struct Options {
    std::string dbname, host, port, user;
    std::string transaction = "single";
    Format format = Format::text;
    Level fail_on = Level::warning;
    std::string output;
    bool quiet = false;
    std::vector<std::string> paths;
};

// --name=value, --name value, -x value, -xvalue.
Options parse_args(int argc, char** argv) {
    Options o;
    auto value = [&](int& i, const std::string& arg, const char* long_name, char short_name,
                     std::string* out) -> bool {
        const std::string l = std::string("--") + long_name;
        const std::string s = std::string("-") + short_name;
        if (arg == l || (short_name && arg == s)) {
            if (i + 1 >= argc)
                usage_error("option " + arg + " needs a value");
            *out = argv[++i];
            return true;
        }
        if (arg.rfind(l + "=", 0) == 0) {
            *out = arg.substr(l.size() + 1);
            return true;
        }
        if (short_name && arg.size() > 2 && arg.rfind(s, 0) == 0 && arg[1] != '-') {
            *out = arg.substr(2);
            return true;
        }
        return false;
    };
    bool only_paths = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string v;
        if (only_paths || arg.empty() || arg[0] != '-' || arg == "-") {
            o.paths.push_back(arg);
        } else if (arg == "--") {
            only_paths = true;
        } else if (arg == "--help" || arg == "-?") {
            usage(std::cout);
            std::exit(0);
        } else if (arg == "--version" || arg == "-V") {
            std::cout << version << '\n';
            std::exit(0);
        } else if (arg == "--quiet" || arg == "-q") {
            o.quiet = true;
        } else if (value(i, arg, "dbname", 'd', &o.dbname) || value(i, arg, "host", 'h', &o.host) ||
                   value(i, arg, "port", 'p', &o.port) || value(i, arg, "username", 'U', &o.user) ||
                   value(i, arg, "output", 'o', &o.output)) {
        } else if (value(i, arg, "transaction", 't', &v)) {
            if (v != "single" && v != "per_statement" && v != "as_written")
                usage_error("invalid --transaction \"" + v +
                            "\" (single, per_statement, as_written)");
            o.transaction = v;
        } else if (value(i, arg, "format", 'f', &v)) {
            if (!parse_format(v, &o.format))
                usage_error("invalid --format \"" + v + "\" (text, json, sarif, github, gitlab)");
        } else if (value(i, arg, "fail-on", 0, &v)) {
            bool ok;
            o.fail_on = parse_level(v, &ok);
            if (!ok || o.fail_on == Level::off)
                usage_error("invalid --fail-on \"" + v + "\" (notice, warning, block)");
        } else {
            usage_error("unknown option \"" + arg + "\"");
        }
    }
    if (o.paths.empty())
        usage_error("no migration file or directory given");
    return o;
}

PGconn* connect(const Options& o) {
    std::vector<const char*> keys, values;
    auto add = [&](const char* k, const std::string& v) {
        if (!v.empty()) {
            keys.push_back(k);
            values.push_back(v.c_str());
        }
    };
    add("host", o.host);
    add("port", o.port);
    add("user", o.user);
    // dbname last: a connection string or URI in it is expanded and wins
    // over nothing given before it, as psql's -d does.
    add("dbname", o.dbname);
    keys.push_back("fallback_application_name");
    values.push_back("schema_oracle_check");
    keys.push_back(nullptr);
    values.push_back(nullptr);
    PGconn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (conn == nullptr)
        fail("out of memory connecting");
    if (PQstatus(conn) != CONNECTION_OK) {
        std::string m = PQerrorMessage(conn);
        while (!m.empty() && m.back() == '\n') m.pop_back();
        PQfinish(conn);
        fail("connection failed: " + m);
    }
    if (PQsetClientEncoding(conn, "UTF8") != 0)
        fail("cannot set client_encoding to UTF8");
    return conn;
}

std::string server_error(PGresult* res) {
    std::string m = PQresultErrorMessage(res);
    while (!m.empty() && m.back() == '\n') m.pop_back();
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = parse_args(argc, argv);
    std::vector<std::string> files = collect_files(o.paths);
    std::vector<std::string> texts;
    for (const std::string& f : files) texts.push_back(read_file(f));

    PGconn* conn = connect(o);
    Run run;
    {
        PGresult* res = PQexec(conn,
                               "SELECT e.extversion FROM pg_catalog.pg_extension e "
                               "WHERE e.extname = 'schema_oracle'");
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            fail(server_error(res));
        if (PQntuples(res) == 0)
            fail(
                "the schema_oracle extension is not installed in this database (CREATE EXTENSION "
                "schema_oracle)");
        run.tool_version = PQgetvalue(res, 0, 0);
        PQclear(res);
    }
    {
        // Qualified by the extension's schema, whatever it is.
        PGresult* res = PQexec(conn,
                               "SELECT r.rule, r.category, r.severity, r.summary "
                               "FROM schema_oracle.rules r ORDER BY r.rule");
        if (PQresultStatus(res) != PGRES_TUPLES_OK)
            fail(server_error(res));
        for (int i = 0; i < PQntuples(res); ++i)
            run.rules.push_back({PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
                                 PQgetvalue(res, i, 2), PQgetvalue(res, i, 3)});
        PQclear(res);
    }
    if (!texts.empty()) {
        const std::string array = array_literal(texts);
        const char* params[2] = {array.c_str(), o.transaction.c_str()};
        PGresult* res = PQexecParams(
            conn,
            "SELECT migration, statement, line, col, excerpt, rule, severity, level, lock_mode, "
            "lock_on, message, detail, fix, waiver FROM schema_oracle.check($1::text[], $2::text)",
            2, nullptr, params, nullptr, nullptr, 0);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            std::string m = server_error(res);
            if (m.find("function schema_oracle.check") != std::string::npos)
                m += " (schema_oracle 0.2.0 or later is needed: ALTER EXTENSION schema_oracle "
                     "UPDATE)";
            fail(m);
        }
        auto text = [&](int row, int col) -> std::string {
            return PQgetisnull(res, row, col) ? std::string()
                                              : std::string(PQgetvalue(res, row, col));
        };
        for (int i = 0; i < PQntuples(res); ++i) {
            Finding f;
            const int index = std::atoi(PQgetvalue(res, i, 0));
            f.file = index >= 1 && index <= static_cast<int>(files.size()) ? files[index - 1] : "?";
            f.statement = std::atoi(PQgetvalue(res, i, 1));
            f.line = std::atoi(PQgetvalue(res, i, 2));
            f.column = std::atoi(PQgetvalue(res, i, 3));
            f.excerpt = text(i, 4);
            f.rule = text(i, 5);
            f.severity = text(i, 6);
            bool ok;
            f.level = parse_level(text(i, 7), &ok);
            f.lock_mode = text(i, 8);
            f.lock_on = text(i, 9);
            f.message = text(i, 10);
            f.detail = text(i, 11);
            f.fix = text(i, 12);
            f.waiver = text(i, 13);
            run.findings.push_back(std::move(f));
        }
        PQclear(res);
    }
    PQfinish(conn);

    if (o.output.empty()) {
        write(std::cout, o.format, run);
        std::cout.flush();
        if (!std::cout)
            fail("cannot write to standard output");
    } else {
        std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
        if (!out)
            fail("cannot write \"" + o.output + "\": " + std::strerror(errno));
        write(out, o.format, run);
        out.close();
        if (!out)
            fail("cannot write \"" + o.output + "\"");
    }

    int failing = 0, counts[4] = {0, 0, 0, 0};
    for (const Finding& f : run.findings) {
        counts[static_cast<int>(f.level)]++;
        if (f.waiver.empty() && f.level != Level::off && f.level >= o.fail_on)
            ++failing;
    }
    if (!o.quiet)
        std::cerr << "schema_oracle_check: " << files.size()
                  << (files.size() == 1 ? " file, " : " files, ") << run.findings.size()
                  << (run.findings.size() == 1 ? " finding" : " findings") << " (" << counts[3]
                  << " block, " << counts[2] << " warning, " << counts[1] << " notice"
                  << (counts[0] ? ", " + std::to_string(counts[0]) + " off" : std::string())
                  << "); " << failing << " at or above --fail-on=" << to_string(o.fail_on) << '\n';
    return failing > 0 ? 1 : 0;
}
