#!/usr/bin/env bash
# check_client: the schema_oracle_check client against a real server. It is
# installed next to PostgreSQL's programs; it reads files and directories
# (version order), connects the libpq ways (-d conninfo/URI, -h -p -U, PG*
# variables, .pgpass), prints every format (text, json, sarif validated
# against the SARIF 2.1.0 JSON schema, github, gitlab), and exits 0 / 1 / 2
# as documented. Starts its own cluster under $SO_WORK/check_client.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
. scripts/lib/cluster.sh

dir=${SO_WORK:?}/check_client
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir"
# A password role for the .pgpass test: scram over the socket, trust for the rest.
so_as_postgres sed -i '1i local all pwuser scram-sha-256' "$dir/data/pg_hba.conf"
so_cluster_start "$dir" "$port"
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres

fail() { echo "check_client: $*"; exit 1; }

bin=$(command -v schema_oracle_check) || fail "schema_oracle_check is not on PATH"
[ "$bin" = "$(pg_config --bindir)/schema_oracle_check" ] ||
    fail "schema_oracle_check is $bin, not in PostgreSQL's bindir $(pg_config --bindir)"
schema_oracle_check --version | grep -q "^schema_oracle_check (schema_oracle) " || fail "--version"
schema_oracle_check --help | grep -q "Exit status" || fail "--help"

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION schema_oracle;
ALTER DATABASE postgres SET schema_oracle.size_threshold = '8kB';
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note text);
INSERT INTO orders SELECT g, g % 100, 'n' FROM generate_series(1, 5000) g;
ANALYZE orders;
CREATE ROLE pwuser LOGIN PASSWORD 'sekrit';
CREATE DATABASE noext;
SQL

m=$dir/migrations
mkdir -p "$m/sub dir"
cat >"$m/V1__customers.sql" <<'SQL'
CREATE TABLE customers (id bigint PRIMARY KEY, name text);
SQL
cat >"$m/V2__orders_index.sql" <<'SQL'
SET lock_timeout = '5s';
CREATE INDEX orders_customer_idx ON orders (customer_id);
-- schema_oracle: allow rename_column -- note is unused since v42
ALTER TABLE orders RENAME COLUMN note TO remark;
SQL
# Version order: V10 after V2 (and after V9 in the subdirectory).
cat >"$m/sub dir/V9__fk.sql" <<'SQL'
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);
SQL
cat >"$m/V10__broken.sql" <<'SQL'
ALTER TABLE customers ADD COLUMN email varchar(255);
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
SELEC 1;
SQL
clean=$dir/clean.sql
echo "CREATE TABLE fine (id bigint PRIMARY KEY, at timestamptz);" >"$clean"

out=$dir/out
run() {  # run EXPECTED_EXIT ARGS...: runs the client, output in $out
    local want=$1; shift
    set +e
    schema_oracle_check "$@" >"$out" 2>"$out.err"
    local got=$?
    set -e
    [ "$got" -eq "$want" ] || { cat "$out" "$out.err"; fail "schema_oracle_check $* exited $got, expected $want"; }
}

# --- text, files in version order, exit codes --------------------------------
run 1 "$m"
grep -q "^$m/V2__orders_index.sql:2:1: warning: \[create_index_not_concurrently\] CREATE INDEX on public.orders" "$out" ||
    { cat "$out"; fail "text: create_index_not_concurrently line"; }
grep -q "^        CREATE INDEX CONCURRENTLY orders_customer_idx ON public.orders (customer_id);$" "$out" ||
    { cat "$out"; fail "text: the fix below the finding"; }
grep -q "^$m/V2__orders_index.sql:4:1: notice: \[rename_column\]" "$out" || { cat "$out"; fail "text: waived rename"; }
grep -q "^    waived: note is unused since v42$" "$out" || fail "text: waiver reason"
# V9's foreign key references a table V1 creates: judged, with it in the fix.
grep -q "^$m/sub dir/V9__fk.sql:2:1: warning: \[add_foreign_key_validated\] " "$out" ||
    { cat "$out"; fail "text: V9 foreign key to the table of V1"; }
grep -q "REFERENCES public.customers (id) NOT VALID;$" "$out" || { cat "$out"; fail "text: V9 fix"; }
# V10 sees the rename of V2 (note no longer exists) and customers from V1.
grep -q "^$m/V10__broken.sql:2:13: warning: \[unknown_object\] column \"note\" of relation \"orders\" does not exist" "$out" ||
    { cat "$out"; fail "text: unknown column after the earlier rename"; }
grep -q "^$m/V10__broken.sql:1:1: notice: \[varchar_255\]" "$out" || { cat "$out"; fail "text: customers from V1"; }
grep -q "^$m/V10__broken.sql:3:1: warning: \[syntax_error\] syntax error at or near \"SELEC\"" "$out" ||
    { cat "$out"; fail "text: syntax error position"; }
order=$(grep -o "^$m/[^:]*" "$out" | uniq | sed "s|^$m/||" | tr '\n' ' ')
[ "$order" = "V2__orders_index.sql sub dir/V9__fk.sql V10__broken.sql " ] || fail "file order: $order"
grep -q "^schema_oracle_check: 4 files, " "$out.err" || { cat "$out.err"; fail "summary line"; }
# Every finding line has the compiler layout.
grep -v '^ ' "$out" | grep -Evq '^[^:]+:[0-9]+:[0-9]+: (notice|warning|block|off): \[[a-z0-9_]+\] ' &&
    { cat "$out"; fail "text: a line without the file:line:col: level: [rule] layout"; }

run 0 "$clean"
[ ! -s "$out" ] || { cat "$out"; fail "clean file printed findings"; }
run 0 --fail-on block "$m"                       # nothing blocks under guard = warn
run 1 --fail-on notice "$m/V1__customers.sql" "$m/V10__broken.sql"
cat >"$dir/waived.sql" <<'SQL'
SET lock_timeout = '5s';
-- schema_oracle: allow rename_column -- nobody reads it
ALTER TABLE orders RENAME COLUMN note TO remark;
SQL
run 0 --fail-on notice "$dir/waived.sql" -q        # a waived finding never fails
grep -q "notice: \[rename_column\]" "$out" || { cat "$out"; fail "waived finding not printed"; }
[ ! -s "$out.err" ] || fail "--quiet printed a summary"
run 1 -t per_statement "$m"
run 1 --transaction=as_written "$m/V10__broken.sql"

# guard = block makes error-severity findings block, as they would live.
PGOPTIONS='-c schema_oracle.guard=block' run 1 --fail-on block "$m/V2__orders_index.sql"
grep -q ": block: \[create_index_not_concurrently\]" "$out" || { cat "$out"; fail "block level"; }

# Usage, file and connection errors: 2.
run 2
run 2 --format=xml "$m"
run 2 --fail-on=fatal "$m"
run 2 --transaction=twice "$m"
run 2 --no-such-option "$m"
run 2 "$dir/no_such_file.sql"
run 2 -d no_such_database "$m"
grep -q "connection failed" "$out.err" || fail "connection error message"
run 2 -d noext "$m"
grep -q "extension is not installed" "$out.err" || fail "missing extension message"

# --- connections: -h -p -U, URI, PG* only, .pgpass -------------------------------
(unset PGHOST PGPORT PGUSER PGDATABASE; run 0 -h "$dir" -p "$port" -U postgres -d postgres "$clean")
(unset PGHOST PGPORT PGUSER PGDATABASE
 run 1 -d "postgresql://postgres@/postgres?host=$dir&port=$port" "$m/V2__orders_index.sql")
(unset PGHOST PGPORT PGUSER PGDATABASE; run 1 -d "host=$dir port=$port user=postgres dbname=postgres" "$m")
printf '%s\n' "$dir:$port:postgres:pwuser:sekrit" >"$dir/pgpass"
chmod 0600 "$dir/pgpass"
(export PGPASSFILE=$dir/pgpass PGUSER=pwuser; run 1 "$m/V2__orders_index.sql")
grep -q "create_index_not_concurrently" "$out" || fail ".pgpass connection (non-superuser) found nothing"
(export PGPASSFILE=/dev/null PGUSER=pwuser; run 2 "$m/V2__orders_index.sql")

# --- json ----------------------------------------------------------------------------
run 1 -f json -o "$dir/report.json" "$m"
[ ! -s "$out" ] || fail "-o still wrote to standard output"
python3 - "$dir/report.json" "$m" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
assert isinstance(rows, list) and rows, rows
keys = {"file", "statement", "line", "column", "excerpt", "rule", "severity", "level", "lock_mode",
        "lock_on", "message", "detail", "fix", "waiver"}
for r in rows:
    assert set(r) == keys, r.keys()
    assert r["level"] in ("notice", "warning", "block", "off"), r
    assert r["line"] >= 1 and r["column"] >= 1, r
idx = [r for r in rows if r["rule"] == "create_index_not_concurrently"][0]
assert idx["lock_mode"] == "SHARE" and idx["lock_on"] == "public.orders", idx
assert "CREATE INDEX CONCURRENTLY" in idx["fix"], idx
assert [r for r in rows if r["rule"] == "rename_column"][0]["waiver"] == "note is unused since v42"
PY

# --- sarif: structure, and the SARIF 2.1.0 JSON schema ----------------------------------
run 1 -f sarif -o "$dir/report.sarif" "$m"
python3 - "$dir/report.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
run = log["runs"][0]
rules = run["tool"]["driver"]["rules"]
ids = [r["id"] for r in rules]
assert "create_index_not_concurrently" in ids and "syntax_error" in ids and "unknown_object" in ids
for r in rules:
    assert r["shortDescription"]["text"], r
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note"), r
results = run["results"]
assert results
fps = set()
for res in results:
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"], res
    assert res["level"] in ("error", "warning", "note", "none")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] and " " not in loc["artifactLocation"]["uri"], loc
    assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1, loc
    fp = res["partialFingerprints"]["schemaOracleFinding/v1"]
    assert fp not in fps, fp
    fps.add(fp)
waived = [r for r in results if r["ruleId"] == "rename_column"][0]
assert waived["suppressions"][0]["kind"] == "inSource", waived
PY
if ! command -v npm >/dev/null; then
    fail "npm is missing (scripts/install-deps.sh installs it): cannot validate SARIF against its schema"
fi
(cd tools/sarif-validate && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) ||
    fail "npm ci in tools/sarif-validate failed (the npm registry must be reachable)"
node tools/sarif-validate/validate.js "$dir/report.sarif"
# The validator does reject a broken log (a result without a message).
python3 -c "import json,sys; l=json.load(open(sys.argv[1])); del l['runs'][0]['results'][0]['message']; json.dump(l, open(sys.argv[2],'w'))" \
    "$dir/report.sarif" "$dir/broken.sarif"
if node tools/sarif-validate/validate.js "$dir/broken.sarif" >/dev/null; then fail "the SARIF validator accepted a broken log"; fi
# An empty run is valid SARIF too.
run 0 -f sarif -o "$dir/empty.sarif" "$clean"
node tools/sarif-validate/validate.js "$dir/empty.sarif"

# --- github ------------------------------------------------------------------------
run 1 -f github "$m"
grep -Evq '^::(error|warning|notice) file=[^,]+,line=[0-9]+,col=[0-9]+,title=schema_oracle \[[a-z0-9_]+\]::' "$out" &&
    { cat "$out"; fail "github: a line that is not a workflow command"; }
grep -q "^::warning file=$m/V2__orders_index.sql,line=2,col=1,title=schema_oracle \[create_index_not_concurrently\]::CREATE INDEX on public.orders .*%0AFix:%0A.*CREATE INDEX CONCURRENTLY" "$out" ||
    { cat "$out"; fail "github: create_index annotation with the fix"; }
grep -q "^::notice .*\[rename_column\]::.*%0AWaived: note is unused since v42" "$out" || fail "github: waived notice"

# --- gitlab ------------------------------------------------------------------------
run 1 -f gitlab -o "$dir/codequality.json" "$m"
python3 - "$dir/codequality.json" <<'PY'
import json, sys
issues = json.load(open(sys.argv[1]))
assert isinstance(issues, list) and issues
fps = set()
for i in issues:
    assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}, i
    assert i["severity"] in ("info", "minor", "major", "critical", "blocker"), i
    assert i["location"]["path"] and i["location"]["lines"]["begin"] >= 1, i
    assert i["fingerprint"] not in fps
    fps.add(i["fingerprint"])
    assert i["description"].startswith("[" + i["check_name"] + "] "), i
PY
# Fingerprints are stable: the same files give the same report.
run 1 -f gitlab -o "$dir/codequality2.json" "$m"
cmp -s "$dir/codequality.json" "$dir/codequality2.json" || fail "gitlab fingerprints are not stable"

# check() left nothing behind.
[ "$(psql -X -At -c "SELECT count(*) FROM pg_class WHERE relname IN ('customers', 'fine')")" = 0 ] ||
    fail "check() created a table"
[ "$(psql -X -At -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'note'")" = 1 ] ||
    fail "check() renamed a column"
echo "check_client: ok"
