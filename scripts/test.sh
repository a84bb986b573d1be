#!/usr/bin/env bash
# The test command: installs what is missing, builds, then runs every suite
# against a throwaway PostgreSQL 15 cluster and prints one closing line
# "N passed, N failed". Exits non-zero on any failure.
#
#   bash scripts/test.sh            everything
#   SO_SUITES="unit regress" bash scripts/test.sh     a subset
#
# Suites: unit (GoogleTest via ctest), regress (pg_regress), isolation
# (pg_isolation_regress), fault (shell tests in test/fault), crashscan
# (the server log must show no backend killed by a signal).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/cluster.sh

suites=${SO_SUITES:-"unit regress isolation fault crashscan"}
passed=0
failed=0
skipped=0
failures=()

note_result() {  # note_result NAME STATUS(0 = pass)
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$1")
    fi
}

. scripts/lib/private_pg.sh

bash scripts/install-deps.sh || { echo "dependency installation failed"; echo "0 passed, 1 failed"; exit 1; }
# The suites run a private copy of PostgreSQL with the extension installed
# into it, so testing never writes into the system's PostgreSQL and two
# checkouts can test at once (scripts/lib/private_pg.sh).
pg_root=$root/build/pg
so_private_pg_stage "$pg_root" || { echo "staging PostgreSQL failed"; echo "0 passed, 1 failed"; exit 1; }
SO_DESTDIR=$pg_root bash scripts/build.sh || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
chmod -R a+rX "$pg_root"
export PATH=$(so_private_pg_bindir "$pg_root"):$PATH

export PGBIN=$(pg_config --bindir)
PGXS_DIR=$(dirname "$(pg_config --pgxs)")/..
REGRESS_BIN=$PGXS_DIR/test/regress/pg_regress
ISOLATION_BIN=$PGXS_DIR/test/isolation/pg_isolation_regress

# Unit tests of the pure core: counted one by one from ctest's summary.
if [[ " $suites " == *" unit "* ]]; then
    echo "== unit tests (ctest)"
    out=$(ctest --test-dir build/cmake --output-on-failure 2>&1)
    echo "$out" | tail -n 15
    total=$(echo "$out" | sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\)/\2/p')
    bad=$(echo "$out" | sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\)/\1/p')
    if [ -z "$total" ]; then
        note_result "ctest" 1
    else
        passed=$((passed + total - bad))
        failed=$((failed + bad))
        [ "$bad" -eq 0 ] || failures+=("ctest ($bad)")
    fi
fi

# One throwaway cluster serves the server-side suites.
work=$(mktemp -d /tmp/schema_oracle_test.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
cleanup() { so_cluster_stop "$work/cluster"; }
trap cleanup EXIT
need_server=0
for s in regress isolation fault crashscan; do [[ " $suites " == *" $s "* ]] && need_server=1; done
if [ $need_server -eq 1 ]; then
    so_cluster_init "$work/cluster" "shared_preload_libraries = ''" \
        "log_min_messages = warning" || { echo "0 passed, 1 failed"; exit 1; }
    so_cluster_start "$work/cluster" "$port" || { echo "0 passed, 1 failed"; exit 1; }
fi
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

# Reads pg_regress output, counting "ok" and "FAILED" lines per test.
count_pg_regress() {
    local log=$1
    local ok bad
    ok=$(grep -cE '^(test |     |ok |    )?.*\.\.\. ok' "$log" || true)
    bad=$(grep -cE '\.\.\. FAILED|\.\.\. failed' "$log" || true)
    passed=$((passed + ok))
    failed=$((failed + bad))
    grep -E '\.\.\. FAILED|\.\.\. failed' "$log" | sed 's/^/    /' || true
}

if [[ " $suites " == *" regress "* ]]; then
    echo "== regression tests (pg_regress)"
    mkdir -p build/regress
    "$REGRESS_BIN" --inputdir=. --outputdir=build/regress --bindir="$PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=so_regression \
        --schedule=test/schedule >build/regress/run.log 2>&1
    status=$?
    cat build/regress/run.log | grep -E '^(test|ok|not ok|     |parallel group)|tests' | tail -n 60
    count_pg_regress build/regress/run.log
    if [ $status -ne 0 ]; then
        [ -f build/regress/regression.diffs ] && head -n 200 build/regress/regression.diffs
        failures+=("pg_regress")
    fi
fi

if [[ " $suites " == *" isolation "* ]] && ls test/isolation/specs/*.spec >/dev/null 2>&1; then
    echo "== isolation tests (pg_isolation_regress)"
    mkdir -p build/isolation
    specs=$(ls test/isolation/specs/*.spec | xargs -n1 basename | sed 's/\.spec$//')
    "$ISOLATION_BIN" --inputdir=test/isolation --outputdir=build/isolation --bindir="$PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=so_isolation \
        $specs >build/isolation/run.log 2>&1
    status=$?
    grep -E '\.\.\. ' build/isolation/run.log
    count_pg_regress build/isolation/run.log
    if [ $status -ne 0 ]; then
        [ -f build/isolation/regression.diffs ] && head -n 200 build/isolation/regression.diffs
        failures+=("isolation")
    fi
fi

if [[ " $suites " == *" fault "* ]]; then
    echo "== fault tests (test/fault)"
    for t in test/fault/*.sh; do
        [ -e "$t" ] || continue
        name=$(basename "$t" .sh)
        SO_WORK="$work" bash "$t" >"build/fault-$name.log" 2>&1
        status=$?
        if [ $status -eq 0 ]; then
            echo "fault $name ... ok"
            note_result "$name" 0
        elif [ $status -eq 77 ]; then
            # exit 77 (as in automake): the test could not run here; it says why
            echo "fault $name ... $(grep -m1 '^skipped' "build/fault-$name.log" || echo skipped)"
            skipped=$((skipped + 1))
        else
            echo "fault $name ... FAILED"
            tail -n 30 "build/fault-$name.log" | sed 's/^/    /'
            note_result "fault $name" 1
        fi
    done
fi

if [[ " $suites " == *" crashscan "* ]]; then
    echo "== server log scan"
    # Fault tests kill backends with SIGKILL on purpose; any other signal
    # there, and any signal at all in the main cluster, is a crash.
    crashes=$(so_crash_lines "$work/cluster/server.log"; for l in "$work"/*/server.log; do
        [ "$l" = "$work/cluster/server.log" ] || so_crash_lines "$l" | grep -v "signal 9:" ; done)
    if [ -n "$crashes" ]; then
        echo "a backend was terminated by a signal:"
        echo "$crashes" | sed 's/^/    /'
        note_result "crashscan" 1
    else
        echo "crashscan ... ok"
        note_result "crashscan" 0
    fi
fi

[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
