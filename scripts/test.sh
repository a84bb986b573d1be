#!/usr/bin/env bash
# The test command: installs what is missing, builds, then runs every suite
# against a throwaway PostgreSQL 15 cluster and prints one closing line
# "N passed, N failed, N skipped". Exits non-zero on any failure; a test
# that could not run is counted as skipped, says why, and fails nothing.
#
#   bash scripts/test.sh            everything
#   SO_SUITES="unit regress" bash scripts/test.sh     a subset
#
# Suites: format (clang-format, schema_oracle.so's exports, META.json), unit (GoogleTest via ctest), regress
# (pg_regress), isolation (pg_isolation_regress), fault (shell tests that
# inject faults: test/fault), cluster (shell tests with clusters of their
# own: test/cluster), fuzz (test/fuzz), crashscan (the server log must show
# no backend killed by a signal).
#
# Shell tests report through their exit code, as automake's test harness
# does: 0 passed, 77 skipped (the last line starting "skipped:" gives the
# reason), anything else failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/cluster.sh

suites=${SO_SUITES:-"format unit regress isolation fault cluster fuzz crashscan"}
passed=0
failed=0
skipped=0
failures=()
skips=()

note_result() {  # note_result NAME STATUS(0 = pass)
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures+=("$1")
    fi
}

note_skip() {  # note_skip NAME REASON
    skipped=$((skipped + 1))
    skips+=("$1 ($2)")
}

# The closing line, and the exit status: failures fail, skips do not.
finish() {
    [ ${#skips[@]} -eq 0 ] || printf 'skipped: %s\n' "${skips[@]}"
    [ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
    exit $?
}

# A setup step failed: nothing can run.
abort() {  # abort MESSAGE
    echo "$1"
    failed=$((failed + 1))
    failures+=("$1")
    finish
}

. scripts/lib/private_pg.sh

bash scripts/install-deps.sh || abort "dependency installation failed"
# The suites run a private copy of PostgreSQL with the extension installed
# into it, so testing never writes into the system's PostgreSQL and two
# checkouts can test at once (scripts/lib/private_pg.sh).
# The copy lives under /tmp, not in the checkout: the server runs as the
# postgres OS user, which cannot reach a checkout in a private (0700)
# folder such as a fresh `mktemp -d` clone. One copy per checkout (its
# path's hash), so parallel checkouts stay apart; build/pg points at it for
# the benchmarks.
pg_root=/tmp/schema_oracle_pg.$(printf '%s' "$root" | md5sum | cut -c1-12)
so_private_pg_stage "$pg_root" || abort "staging PostgreSQL failed"
SO_DESTDIR=$pg_root bash scripts/build.sh || abort "build failed"
# The test-only module (boundary probes, fault injection) goes into the
# private copy only: schema_oracle.so itself carries no test code.
{ make -s -C test/modules/schema_oracle_test -j2 \
    && make -s -C test/modules/schema_oracle_test install DESTDIR="$pg_root" >/dev/null; } \
    || abort "build of test/modules/schema_oracle_test failed"
chmod -R a+rX "$pg_root"
export PATH=$(so_private_pg_bindir "$pg_root"):$PATH
mkdir -p build && { [ -L build/pg ] || rm -rf build/pg; } && ln -sfn "$pg_root" build/pg

export PGBIN=$(pg_config --bindir)
PGXS_DIR=$(dirname "$(pg_config --pgxs)")/..
REGRESS_BIN=$PGXS_DIR/test/regress/pg_regress
ISOLATION_BIN=$PGXS_DIR/test/isolation/pg_isolation_regress

# The C++ sources read as .clang-format writes them (make format-check).
if [[ " $suites " == *" format "* ]]; then
    echo "== format check (clang-format)"
    bash scripts/format-check.sh >build/format-check.log 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        echo "format ... ok"
        note_result "format" 0
    elif [ $rc -eq 77 ]; then
        reason=$(sed -n 's/^skipped: //p' build/format-check.log | tail -n 1)
        echo "format ... skipped ($reason)"
        note_skip "format" "$reason"
    else
        echo "format ... FAILED"
        sed 's/^/    /' build/format-check.log
        note_result "format" 1
    fi
    # The production module exports no test code (test/modules has it).
    if bash scripts/check-exports.sh "$(pg_config --pkglibdir)/schema_oracle.so" >build/exports-check.log 2>&1; then
        echo "exports ... ok"
        note_result "exports" 0
    else
        echo "exports ... FAILED"
        sed 's/^/    /' build/exports-check.log
        note_result "exports" 1
    fi
    # The PGXN distribution metadata agrees with the spec and the tree.
    if perl scripts/check-meta.pl >build/meta-check.log 2>&1; then
        echo "meta ... ok"
        note_result "meta" 0
    else
        echo "meta ... FAILED"
        sed 's/^/    /' build/meta-check.log
        note_result "meta" 1
    fi
fi

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
# The work folder holds every cluster of the run (gigabytes with the fault
# and fuzz tests): removed at the end unless SO_KEEP_WORK=1.
cleanup() {
    so_cluster_stop "$work/cluster"
    [ "${SO_KEEP_WORK:-0}" = 1 ] || rm -rf "$work"
}
trap cleanup EXIT
need_server=0
for s in regress isolation fault cluster fuzz crashscan; do [[ " $suites " == *" $s "* ]] && need_server=1; done
if [ $need_server -eq 1 ]; then
    so_cluster_init "$work/cluster" "shared_preload_libraries = ''" \
        "log_min_messages = warning" || abort "initdb of the test cluster failed"
    so_cluster_start "$work/cluster" "$port" || abort "the test cluster did not start"
fi
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

# Reads pg_regress output, counting "ok" and "FAILED" lines per test.
count_pg_regress() {
    local log=$1
    local ok bad
    ok=$(grep -cE '^(test |     |ok |    )?.*\.\.\. ok' "$log" || true)
    bad=$(grep -E '\.\.\. FAILED|\.\.\. failed' "$log" | grep -vc 'failed (ignored)' || true)
    passed=$((passed + ok))
    failed=$((failed + bad))
    grep -E '\.\.\. FAILED|\.\.\. failed' "$log" | grep -v 'failed (ignored)' | sed 's/^/    /' || true
    # A known failure (an "ignore:" line in the schedule) fails nothing but
    # is never silent: it counts as skipped, with the reason.
    local t
    for t in $(sed -n 's/^\(test \|ok [0-9]* *- *\)\{0,1\} *\([a-z0-9_]*\) *\.\.\. failed (ignored).*/\2/p' "$log"); do
        echo "    $t ... known failure (ignore: in the schedule; see test/schedule)"
        note_skip "$t" "known failure: ignore: in the schedule"
    done
}

if [[ " $suites " == *" regress "* ]]; then
    echo "== regression tests (pg_regress)"
    mkdir -p build/regress
    "$REGRESS_BIN" --inputdir=. --outputdir=build/regress --bindir="$PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=so_regression \
        --schedule=test/schedule >build/regress/run.log 2>&1
    status=$?
    cat build/regress/run.log | grep -E '^(test|ok|not ok|     |parallel group)|tests' | tail -n 60
    failed_before=$failed
    count_pg_regress build/regress/run.log
    if [ $status -ne 0 ]; then
        [ -f build/regress/regression.diffs ] && head -n 200 build/regress/regression.diffs
        failures+=("pg_regress")
        # pg_regress stopped before reporting a test (a missing expected
        # file, a lost connection): that is a failure too.
        if [ "$failed" -eq "$failed_before" ]; then
            echo "    pg_regress exited with status $status before the schedule ended (see build/regress/run.log)"
            tail -n 3 build/regress/run.log | sed 's/^/    /'
            failed=$((failed + 1))
        fi
    fi
fi

if [[ " $suites " == *" isolation "* ]] && ! ls test/isolation/specs/*.spec >/dev/null 2>&1; then
    echo "isolation ... skipped (no test/isolation/specs/*.spec)"
    note_skip "isolation" "no test/isolation/specs/*.spec"
elif [[ " $suites " == *" isolation "* ]]; then
    echo "== isolation tests (pg_isolation_regress)"
    mkdir -p build/isolation
    specs=$(ls test/isolation/specs/*.spec | xargs -n1 basename | sed 's/\.spec$//')
    "$ISOLATION_BIN" --inputdir=test/isolation --outputdir=build/isolation --bindir="$PGBIN" \
        --host="$PGHOST" --port="$PGPORT" --user=postgres --dbname=so_isolation \
        $specs >build/isolation/run.log 2>&1
    status=$?
    grep -E '\.\.\. ' build/isolation/run.log
    failed_before=$failed
    count_pg_regress build/isolation/run.log
    if [ $status -ne 0 ]; then
        [ -f build/isolation/regression.diffs ] && head -n 200 build/isolation/regression.diffs
        failures+=("isolation")
        if [ "$failed" -eq "$failed_before" ]; then
            echo "    pg_isolation_regress exited with status $status before all specs ran (see build/isolation/run.log)"
            tail -n 3 build/isolation/run.log | sed 's/^/    /'
            failed=$((failed + 1))
        fi
    fi
fi

# run_shell_test KIND FILE: one shell test with its own clusters under $work.
run_shell_test() {
    local kind=$1 t=$2 name log rc reason
    name=$(basename "$t" .sh)
    log=build/$kind-$name.log
    SO_WORK="$work" bash "$t" >"$log" 2>&1
    rc=$?
    case $rc in
        0)
            echo "$kind $name ... ok"
            # The fuzzer's counts and memory (PostgreSQL's growth, the extension's delta).
            [ "$kind" != fuzz ] || grep -E 'statements generated|memory|^crashes' "$log" | sed 's/^/    /'
            note_result "$kind $name" 0 ;;
        77)
            reason=$(grep -E '^skipped([: (]|$)' "$log" | tail -n 1 | sed -E 's/^skipped[: (]*//; s/\)$//')
            [ -n "$reason" ] || reason="no reason given (see $log)"
            echo "$kind $name ... skipped ($reason)"
            note_skip "$kind $name" "$reason" ;;
        *)
            echo "$kind $name ... FAILED (exit $rc)"
            tail -n 30 "$log" | sed 's/^/    /'
            note_result "$kind $name" 1 ;;
    esac
}

# Shell tests, one folder per kind. Every *.sh in a folder runs, so a test
# merged into a folder later runs without touching this script.
#   test/fault    faults injected: killed backends, cancels, crashes
#   test/cluster  their own clusters: standby, preload, upgrade, dump/restore,
#                 PostgreSQL's own suite
#   test/fuzz     generated statements (SO_FUZZ_STATEMENTS sets the size)
for kind in fault cluster fuzz; do
    [[ " $suites " == *" $kind "* ]] || continue
    echo "== $kind tests (test/$kind)"
    for t in test/"$kind"/*.sh; do
        [ -e "$t" ] || continue
        run_shell_test "$kind" "$t"
    done
done

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

finish
