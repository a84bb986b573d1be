#!/usr/bin/env bash
# pg15_regress: PostgreSQL 15's own regression suite (../shared/pg15-regress)
# run three times on one cluster: without schema_oracle, with it active
# (extension created, library preloaded, default policy = warn), and with
# guard = block.
#   warn:  the extension must change nothing but add its own notices: every
#          difference from the plain run must be lines added by a
#          "WARNING/NOTICE:  schema_oracle" message.
#   block: no crash, and every statement that fails where it did not fail
#          before is blocked by a documented rule (SO001, "[rule]" with a
#          page in docs/rules), or fails because a statement blocked
#          earlier in the same test did not run (its object is missing).
#          The blocks per rule are printed.
#
# Tests listed in ALLOWED_DIFFS differ for a documented reason (they list
# every event trigger or function in the database, for instance).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh
suite_src=${PG15_REGRESS:-../shared/pg15-regress}
# Not part of a clone: without the suite this test cannot run, and says so
# (exit 77 = skipped, as automake's harness counts it; scripts/test.sh).
if [ ! -d "$suite_src" ]; then
    echo "skipped: PostgreSQL's regression suite not found at $suite_src (set PG15_REGRESS)"
    exit 77
fi

work=${SO_WORK:-$(mktemp -d)}/pg15_regress
mkdir -p "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"' EXIT

# The server reads the suite's data files, so it gets its own readable copy,
# and regress.so is built from regress.c with PGXS.
cp -r "$suite_src" "$work/suite"
cat >"$work/suite/Makefile" <<'MK'
MODULES = regress
PG_CONFIG = pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)
MK
make -s -C "$work/suite" >/dev/null
chmod -R a+rX "$work"

so_cluster_init "$work/cluster" "max_connections = 50"
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres
regress=$(dirname "$(pg_config --pgxs)")/../test/regress/pg_regress

# Both runs use the same database name and output directory (the suite
# prints both), and each run's results are moved aside afterwards.
run_suite() {  # run_suite NAME [extra pg_regress options]
    local name=$1; shift
    rm -rf "$work/out" && mkdir -p "$work/out/results"
    chmod -R a+rwX "$work/out"   # the server writes COPY TO files there
    "$regress" --inputdir="$work/suite" --outputdir="$work/out" --dlpath="$work/suite" \
        --bindir="$(pg_config --bindir)" --host="$PGHOST" --port="$PGPORT" --user=postgres \
        --max-connections=20 --dbname=regression --schedule="$work/suite/parallel_schedule" "$@" \
        >"$work/out/run.log" 2>&1 || true
    grep -E "tests (passed|failed)|failed \(ignored\)" "$work/out/run.log" | sed "s/^/$name: /"
    rm -rf "$work/$name" && mv "$work/out" "$work/$name"
}

run_suite plain
PGOPTIONS="-c session_preload_libraries=schema_oracle" run_suite oracle --load-extension=schema_oracle
PGOPTIONS="-c session_preload_libraries=schema_oracle -c schema_oracle.guard=block" \
    run_suite block --load-extension=schema_oracle

# Tests whose output legitimately depends on the extension being installed.
#   opr_sanity: looks for functions with the same name and argument types in
#               any schema; schema_oracle.version() shares its name with
#               pg_catalog.version() by design (issue: "schema_oracle.version()").
#   event_trigger: lists every event trigger in the database, ours included.
ALLOWED_DIFFS=" opr_sanity event_trigger ${SO_PG15_ALLOWED_DIFFS:-} "

bad=0
for plain_out in "$work"/plain/results/*.out; do
    t=$(basename "$plain_out" .out)
    oracle_out=$work/oracle/results/$t.out
    [ -f "$oracle_out" ] || { echo "$t: no result with the extension"; bad=1; continue; }
    # Keep only what is not an added schema_oracle message block.
    # --minimal: the suite repeats lines (drop table x;) and a plain diff may
    # pair the wrong copies, showing a move where there is only an insertion.
    # (diff exits 1 whenever the files differ; only awk's verdict counts.)
    if ! { diff --minimal -U0 "$plain_out" "$oracle_out" || true; } | awk -v t="$t" '
        /^(---|\+\+\+|@@)/ { inblock = 0; next }
        /^\+(WARNING|NOTICE|INFO):  schema_oracle/ { inblock = 1; next }
        /^\+/ && inblock { next }
        { print t ": " $0; bad = 1 }
        END { exit bad }' >"$work/$t.unexplained"; then
        if [[ "$ALLOWED_DIFFS" == *" $t "* ]]; then
            echo "$t: differs (allowed)"
        else
            echo "$t: the extension changed this output:"
            head -n 20 "$work/$t.unexplained"
            bad=1
        fi
    fi
done
notices=$(cat "$work"/oracle/results/*.out | grep -cE '^(WARNING|NOTICE):  schema_oracle' || true)
echo "schema_oracle added $notices notices/warnings across the suite"
[ $bad -eq 0 ] && echo "no other difference"

# Block mode. A new ERROR in a test is either a block by a documented rule,
# or comes after one in the same test (a consequence: the blocked object is
# missing). A new ERROR in a test with no block before it is unexplained.
blocks=0
consequences=0
: >"$work/block.rules"
for plain_out in "$work"/plain/results/*.out; do
    t=$(basename "$plain_out" .out)
    block_out=$work/block/results/$t.out
    [ -f "$block_out" ] || { echo "block: $t has no result"; bad=1; continue; }
    { diff --minimal -U0 "$plain_out" "$block_out" || true; } | grep -E '^\+ERROR:  ' >"$work/$t.block-errors" || true
    seen_block=0
    while IFS= read -r line; do
        rule=$(echo "$line" | sed -n 's/^+ERROR:  schema_oracle: .*\[\([a-z0-9_]*\)\]$/\1/p')
        if [ -n "$rule" ]; then
            if [ ! -f "docs/rules/$rule.md" ]; then
                echo "block: $t: blocked by an undocumented rule: $line"
                bad=1
            fi
            echo "$rule" >>"$work/block.rules"
            blocks=$((blocks + 1))
            seen_block=1
        elif [ $seen_block -eq 1 ]; then
            consequences=$((consequences + 1))
        elif [[ "$ALLOWED_DIFFS" != *" $t "* ]]; then
            echo "block: $t: a statement failed with no block before it: $line"
            bad=1
        fi
    done <"$work/$t.block-errors"
done
echo "block: $blocks statements blocked (SO001), $consequences later errors in the same tests; by rule:"
sort "$work/block.rules" | uniq -c | sort -rn | sed 's/^/    /'
crashes=$(so_crash_lines "$work/cluster/server.log")
[ -z "$crashes" ] || { echo "crash: $crashes"; bad=1; }
exit $bad
