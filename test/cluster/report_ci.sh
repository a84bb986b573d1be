#!/usr/bin/env bash
# report_ci: scripts/report-ci.sh fails a CI job on findings at or above the
# requested level, never on exempted ones, and writes a well-formed SARIF
# 2.1.0 log. Starts its own cluster under $SO_WORK/report_ci.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

dir=${SO_WORK:?}/report_ci
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir"
so_cluster_start "$dir" "$port"
export PGHOST=$dir PGPORT=$port PGUSER=postgres PGDATABASE=postgres

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE SCHEMA app;
CREATE TABLE app.events (id bigint, payload json);            -- warning (no PK), info (json)
CREATE TABLE app.users (id int PRIMARY KEY, created_at timestamptz, updated_at timestamptz);
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS
    'BEGIN NEW.updated_at := now(); RETURN NEW; END';
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
SQL

expect_exit() {  # expect_exit CODE ARGS...
    local want=$1; shift
    set +e
    bash scripts/report-ci.sh "$@" >"$dir/out.txt" 2>&1
    local got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        echo "report-ci.sh $* exited $got, expected $want"; cat "$dir/out.txt"; exit 1
    fi
}

expect_exit 0 --fail-on error
grep -q "missing_primary_key" "$dir/out.txt" || { echo "findings table missing"; cat "$dir/out.txt"; exit 1; }
expect_exit 1 --fail-on warning
expect_exit 1 --fail-on info
expect_exit 0                                   # default level: error
expect_exit 2 --fail-on fatal
expect_exit 0 --fail-on warning --schema nosuchschema
expect_exit 1 --fail-on warning --schema app -d postgres
expect_exit 2 -d no_such_database

# Exempted findings never fail the job.
psql -X -q -v ON_ERROR_STOP=1 -c "INSERT INTO schema_oracle.exemptions (rule, object_pattern, reason)
    VALUES ('missing_primary_key', 'app.events', 'append-only log')"
expect_exit 0 --fail-on warning
expect_exit 1 --fail-on info

# SARIF and JSON files: well formed, with the fields code-scanning tools need.
expect_exit 1 --fail-on info --sarif "$dir/report.sarif" --json "$dir/report.json"
python3 - "$dir/report.sarif" "$dir/report.json" <<'PY'
import json, sys
sarif = json.load(open(sys.argv[1]))
assert sarif["version"] == "2.1.0", sarif.get("version")
assert sarif["$schema"].endswith("sarif-2.1.0.json")
run = sarif["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "schema_oracle"
rules = driver["rules"]
ids = [r["id"] for r in rules]
assert ids == sorted(ids) and len(ids) == len(set(ids))
for r in rules:
    assert r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
results = run["results"]
assert results, "no results"
for res in results:
    assert res["level"] in ("error", "warning", "note")
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["message"]["text"]
    loc = res["locations"][0]["logicalLocations"][0]
    assert loc["fullyQualifiedName"]
assert any(r["ruleId"] == "json_column" and r["level"] == "note" for r in results)
assert not any(r["ruleId"] == "missing_primary_key" for r in results), "exempted finding in SARIF"
doc = json.load(open(sys.argv[2]))
assert doc["summary"]["warning"] == 0 and doc["summary"]["info"] >= 1, doc["summary"]
assert len(doc["findings"]) == len(results)
PY
echo "report_ci: ok"
