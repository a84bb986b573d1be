#!/usr/bin/env bash
# report-ci.sh: run schema_oracle.report() in CI and fail the job on findings.
#
#   scripts/report-ci.sh [--fail-on error|warning|info] [--sarif FILE] [--json FILE]
#                        [--schema NAME]... [--exclude-schema NAME]... [psql connection args]
#
# Prints every finding (info and up) as a table, optionally writes the SARIF
# 2.1.0 log and/or the JSON document, and exits
#   0  no finding at or above the --fail-on level (default: error)
#   1  at least one such finding (exempted findings never count)
#   2  usage error, or psql could not run the report
# Connection arguments go to psql unchanged (-h, -p, -U, -d or a conninfo
# string); the PG* environment variables work as usual.
set -uo pipefail

fail_on=error
sarif=""
json=""
include=()
exclude=()
psql_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --fail-on) fail_on=${2:-}; shift 2 || { echo "report-ci: --fail-on needs a level" >&2; exit 2; } ;;
        --fail-on=*) fail_on=${1#*=}; shift ;;
        --sarif) sarif=${2:-}; shift 2 || exit 2 ;;
        --json) json=${2:-}; shift 2 || exit 2 ;;
        --schema) include+=("${2:-}"); shift 2 || exit 2 ;;
        --exclude-schema) exclude+=("${2:-}"); shift 2 || exit 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) psql_args+=("$1"); shift ;;
    esac
done
case "$fail_on" in
    error|warning|info) ;;
    *) echo "report-ci: --fail-on must be error, warning or info (got '$fail_on')" >&2; exit 2 ;;
esac

# Schema lists as SQL array literals, quoted with psql's own :'var' syntax.
sql_array() {  # sql_array NAME...  -> ARRAY[...]::text[] or NULL
    [ $# -eq 0 ] && { echo "NULL"; return; }
    local out="" s
    for s in "$@"; do
        s=${s//\'/\'\'}
        out+="${out:+,}'$s'"
    done
    echo "ARRAY[$out]::text[]"
}
inc=$(sql_array "${include[@]+"${include[@]}"}")
exc=$(sql_array "${exclude[@]+"${exclude[@]}"}")
args="include_schemas => $inc, exclude_schemas => $exc"

run_psql() { psql -X -v ON_ERROR_STOP=1 -P pager=off "${psql_args[@]+"${psql_args[@]}"}" "$@"; }

run_psql -c "SELECT severity, rule, object_identity, message, fix
             FROM schema_oracle.report($args)
             ORDER BY CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,
                      rule, object_identity" || { echo "report-ci: report() failed" >&2; exit 2; }

if [ -n "$sarif" ]; then
    run_psql -At -c "SELECT schema_oracle.report_sarif($args)" >"$sarif" \
        || { echo "report-ci: report_sarif() failed" >&2; exit 2; }
fi
if [ -n "$json" ]; then
    run_psql -At -c "SELECT schema_oracle.report_json($args)" >"$json" \
        || { echo "report-ci: report_json() failed" >&2; exit 2; }
fi

count=$(run_psql -At -c "SELECT count(*) FROM schema_oracle.report($args, min_severity => '$fail_on')") \
    || { echo "report-ci: report() failed" >&2; exit 2; }
if [ "$count" -gt 0 ]; then
    echo "report-ci: $count finding(s) at or above '$fail_on'" >&2
    exit 1
fi
echo "report-ci: no finding at or above '$fail_on'"
exit 0
