#!/usr/bin/env bash
# check_shadow: for every statement of the guard's regression tests
# (sql/guard_*.sql) that the live guard judges, check() judges the same
# statement from its text, in the same transaction state, and must report
# the same rules. The guard tests run unchanged under pg_regress with the
# test module preloaded and its superuser-only setting
# schema_oracle_test.check_shadow = on (src/pg/guard.cpp:
# the shadow writes one server-log line per statement, never to the
# client); the log must show many comparisons and no difference.
#
# What this covers: check()'s adapter (name resolution and columns through
# the overlay seams, lock facts, the statement context, policy levels) gives
# the live guard's findings. The overlay's own bookkeeping across statements
# is covered by sql/check_overlay.sql. Findings only check() has
# (unknown_object for a statement PostgreSQL then rejects, ...) are listed,
# not compared.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

dir=${SO_WORK:?}/check_shadow
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir" "shared_preload_libraries = ''"
so_cluster_start "$dir" "$port"

PGXS_DIR=$(dirname "$(pg_config --pgxs)")/..
# The guard tests of the schedule, without those it marks as known failures
# (ignore: lines), which fail with or without the shadow. guard_refused runs
# too: check() leaves to PostgreSQL what the live guard leaves to it
# (src/upstream/*refusals.cpp, through the overlay), and the shadow runs as
# the live statement's role, so ownership and privilege refusals apply too.
ignored=$(sed -n 's/^ignore: *//p' test/schedule | tr ' ' '\n')
tests=$(sed -n 's/^test: *//p' test/schedule | tr ' ' '\n' | grep -E '^(setup|guard_)' |
    grep -vxF -e "${ignored:-.}" | tr '\n' ' ')
mkdir -p "$dir/regress"
set +e
PGOPTIONS="-c session_preload_libraries=schema_oracle_test -c schema_oracle_test.check_shadow=on" "$PGXS_DIR/test/regress/pg_regress" \
    --inputdir=. --outputdir="$dir/regress" --bindir="$(pg_config --bindir)" \
    --host="$dir" --port="$port" --user=postgres --dbname=so_regression $tests >"$dir/regress.log" 2>&1
status=$?
set -e
cat "$dir/regress.log" | grep -E '\.\.\. ' || true
if [ $status -ne 0 ]; then
    head -n 80 "$dir/regress/regression.diffs" 2>/dev/null || true
    echo "check_shadow: the guard tests do not pass with the shadow on"
    exit 1
fi

log=$dir/server.log
same=$(grep -c 'check shadow: same' "$log" || true)
different=$(grep -c 'check shadow: DIFFERENT' "$log" || true)
only=$(grep -c 'check-only \[' "$log" || true)
echo "check_shadow: $same statements judged alike, $different differently, $only with check-only findings"
grep 'check-only \[' "$log" | sed 's/^.*check shadow: /    check-only: /' | head -n 40 || true
if [ "$different" -ne 0 ]; then
    grep 'check shadow: DIFFERENT' "$log" | sed 's/^.*check shadow: /    /'
    exit 1
fi
# The comparison ran over the guard tests' statements (not a silent no-op).
[ "$same" -ge 200 ] || { echo "check_shadow: only $same comparisons (expected hundreds)"; exit 1; }
echo "check_shadow: ok"
