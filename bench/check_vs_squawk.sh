#!/usr/bin/env bash
# check_vs_squawk.sh: schema_oracle_check and squawk on the same migration
# files against the same populated database, side by side, and their time
# per 1,000 statements including the connection (docs/check.md).
#
#   bash bench/check_vs_squawk.sh            # 5 timing rounds
#   ROUNDS=9 TABLES=500 bash bench/check_vs_squawk.sh
#
# 1. Findings. Every case of bench/check_vs_squawk/cases.txt becomes one
#    migration file per table class: big (an existing table of ~40 MB,
#    above schema_oracle.size_threshold), small (an existing table of ten
#    rows) and new (a table the same migration creates). Both tools judge
#    each file as one transaction (squawk --assume-in-transaction, ours
#    -t single). bench/check_vs_squawk/rules.txt says what kind of hazard
#    each rule reports and which rules of the other tool are equivalent.
#    Printed: the findings per case and class, then the counts:
#      - hazards squawk reports on the big table, and how many of them we
#        report too (the target: all);
#      - false alarms of each tool: lock/rewrite findings on the small or
#        the new table, breaking and lock_timeout findings on the new table
#        (a table nobody else can see yet), style findings counted apart.
# 2. Time. bench/lib/migration.sh's migration (TABLES * 8 + 2 statements)
#    is judged ROUNDS times by each tool, alternating; the median wall time
#    per 1,000 statements, connection included for ours, and the ratio.
#
# squawk comes from npm (tools/squawk: squawk-cli pinned, installed here
# with npm ci on first use). schema_oracle_check and the extension come
# from the private PostgreSQL scripts/test.sh stages under build/pg (or
# from PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. scripts/lib/cluster.sh
. bench/lib/migration.sh
[ -d build/pg ] && export PATH=$root/build/pg$(pg_config --bindir):$PATH
export PGBIN=$(pg_config --bindir)
command -v schema_oracle_check >/dev/null ||
    { echo "schema_oracle_check is not installed: run scripts/test.sh first" >&2; exit 1; }
ROUNDS=${ROUNDS:-5}
TABLES=${TABLES:-300}

(cd tools/squawk && [ -x node_modules/.bin/squawk ] || npm ci --no-audit --no-fund --silent)
squawk=$root/tools/squawk/node_modules/.bin/squawk
"$squawk" --version

work=$(mktemp -d /tmp/schema_oracle_squawk.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
trap 'so_cluster_stop "$work/cluster"; rm -rf "$work"' EXIT
so_cluster_init "$work/cluster" >/dev/null
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres PGDATABASE=bench
psql -X -q -d postgres -c "CREATE DATABASE bench"
psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE EXTENSION schema_oracle;
CREATE TABLE owners (id bigint PRIMARY KEY);
INSERT INTO owners SELECT g FROM generate_series(1, 1000) g;
CREATE TABLE big_accounts (id bigint PRIMARY KEY, owner_id bigint, email text, name text,
                           code varchar(20), balance integer, legacy text, created_at timestamptz);
INSERT INTO big_accounts
SELECT g, g % 1000 + 1, 'user' || g || '@example.com', 'name ' || g, 'c' || g % 97, g % 5000,
       'legacy', now() - g * interval '1 minute'
FROM generate_series(1, 400000) g;
CREATE INDEX big_accounts_created_idx ON big_accounts (created_at);
CREATE TABLE small_accounts (LIKE big_accounts INCLUDING ALL);
INSERT INTO small_accounts SELECT * FROM big_accounts WHERE id <= 10;
CREATE INDEX small_accounts_created_idx ON small_accounts (created_at);
VACUUM ANALYZE;
SQL
psql -X -At -c "SELECT 'big_accounts: ' || pg_size_pretty(pg_table_size('big_accounts')) || ', small_accounts: ' || pg_size_pretty(pg_table_size('small_accounts')) || ', size_threshold ' || current_setting('schema_oracle.size_threshold', true)"

# --- the corpus -------------------------------------------------------------------
corpus=$work/corpus
mkdir -p "$corpus/big" "$corpus/small" "$corpus/new"
timeouts="SET lock_timeout = '5s';
SET statement_timeout = '10min';"
: >"$corpus/safe.txt"
while IFS='|' read -r name stmt safe; do
    name=$(echo "$name" | xargs)
    stmt=$(echo "$stmt" | sed 's/^ *//; s/ *$//')
    [ "$(echo "${safe:-}" | xargs)" = safe ] && echo "$name" >>"$corpus/safe.txt"
    [ -z "$name" ] || [ "${name:0:1}" = "#" ] && continue
    # set_default is the lock_timeout case: no timeouts in that file.
    pre=$timeouts
    [ "$name" = set_default ] && pre="-- no timeouts set"
    printf '%s\n%s\n' "$pre" "${stmt//\{T\}/big_accounts}" >"$corpus/big/$name.sql"
    printf '%s\n%s\n' "$pre" "${stmt//\{T\}/small_accounts}" >"$corpus/small/$name.sql"
    printf '%s\n%s\n%s\n%s\n' "$pre" \
        "CREATE TABLE new_accounts (id bigint PRIMARY KEY, owner_id bigint, email text, name text, code varchar(20), balance integer, legacy text, created_at timestamptz);" \
        "CREATE INDEX new_accounts_created_idx ON new_accounts (created_at);" \
        "${stmt//\{T\}/new_accounts}" >"$corpus/new/$name.sql"
done <bench/check_vs_squawk/cases.txt

# --- findings ---------------------------------------------------------------------
for class in big small new; do
    for f in "$corpus/$class"/*.sql; do
        set +e
        "$squawk" --assume-in-transaction --reporter json "$f" >"$f.squawk.json" 2>"$f.squawk.err"
        schema_oracle_check -q -t single -f json "$f" >"$f.ours.json" 2>"$f.ours.err"
        rc=$?
        set -e
        [ "$rc" -le 1 ] || { cat "$f.ours.err"; exit 1; }
    done
done

python3 - "$corpus" bench/check_vs_squawk/rules.txt <<'PY'
import json, os, sys
corpus, rules_file = sys.argv[1], sys.argv[2]
kind, equiv = {}, {}
for line in open(rules_file):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    parts = [p.strip() for p in line.split("|")]
    kind[parts[0]] = parts[1]
    equiv[parts[0]] = set(parts[2].split()) if len(parts) > 2 and parts[2] else set()

def load(path, tool):
    try:
        data = json.load(open(path))
    except (ValueError, OSError):
        return []
    if tool == "squawk":
        return sorted({d["rule_name"] for d in data})
    return sorted({d["rule"] for d in data if d["level"] != "off"})

safe = set(open(os.path.join(corpus, "safe.txt")).read().split())

# A finding is a false alarm where its kind cannot hurt: lock/rewrite
# duration on a small or new table, or for a statement that takes no
# harmful lock or rewrite at all; breaking or timeout on a new table.
def false_alarm(rule, cls, case):
    k = kind.get(rule, "unknown")
    if k == "lock" and case in safe:
        return True
    if cls == "small":
        return k == "lock"
    if cls == "new":
        return k in ("lock", "breaking", "timeout")
    return False

cases = sorted(f[:-4] for f in os.listdir(os.path.join(corpus, "big")) if f.endswith(".sql"))
print()
print("%-28s %-6s  %-48s  %s" % ("case", "table", "squawk", "schema_oracle"))
stats = {t: {"style": 0, "false": 0, "real": 0} for t in ("squawk", "ours")}
big_squawk, big_matched, missed, ours_only_big, unknown = 0, 0, [], [], set()
for case in cases:
    for cls in ("big", "small", "new"):
        base = os.path.join(corpus, cls, case + ".sql")
        sq, ou = load(base + ".squawk.json", "squawk"), load(base + ".ours.json", "ours")
        print("%-28s %-6s  %-48s  %s" % (case, cls, " ".join(sq) or "-", " ".join(ou) or "-"))
        for tool, found in (("squawk", sq), ("ours", ou)):
            for r in found:
                if r not in kind:
                    unknown.add(r)
                if kind.get(r) == "style":
                    stats[tool]["style"] += 1
                elif false_alarm(r, cls, case):
                    stats[tool]["false"] += 1
                else:
                    stats[tool]["real"] += 1
        if cls == "big":
            for r in sq:
                if kind.get(r) == "style" or false_alarm(r, cls, case):
                    continue
                big_squawk += 1
                if equiv.get(r, set()) & set(ou):
                    big_matched += 1
                else:
                    missed.append("%s: squawk %s" % (case, r))
            for r in ou:
                if kind.get(r) != "style" and not (equiv.get(r, set()) & set(sq)):
                    ours_only_big.append("%s: %s" % (case, r))
print()
print("real hazards squawk reports on the big table (style and false alarms aside): %d, also reported by schema_oracle: %d" % (big_squawk, big_matched))
for m in missed:
    print("  not ours: " + m)
print("findings on the big table only schema_oracle reports: %d" % len(ours_only_big))
for m in ours_only_big:
    print("  only ours: " + m)
for tool, name in (("squawk", "squawk"), ("ours", "schema_oracle")):
    s = stats[tool]
    print("%-14s real findings %3d, false alarms %3d, style %3d" % (name, s["real"], s["false"], s["style"]))
if unknown:
    print("rules missing from rules.txt (counted as real): " + " ".join(sorted(unknown)))
PY

# --- time per 1,000 statements -------------------------------------------------------
mig=$work/timing.sql
so_bench_migration "$TABLES" "$mig"
n=$(grep -c ';$' "$mig")
echo
echo "timing: $n statements (bench/lib/migration.sh, $TABLES tables), $ROUNDS rounds each, alternating"
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(((t1 - t0) / 1000000)); }
ours=() theirs=()
for r in $(seq 1 "$ROUNDS"); do
    ours+=("$(ms schema_oracle_check -q -t single -f json "$mig")")
    theirs+=("$(ms "$squawk" --assume-in-transaction --reporter json "$mig")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
mo=$(median "${ours[@]}")
mt=$(median "${theirs[@]}")
awk -v o="$mo" -v t="$mt" -v n="$n" 'BEGIN {
    printf "schema_oracle_check: median %d ms = %.1f ms per 1,000 statements (connection included)\n", o, o * 1000 / n
    printf "squawk:              median %d ms = %.1f ms per 1,000 statements\n", t, t * 1000 / n
    printf "ratio schema_oracle / squawk: %.2fx\n", (t > 0 ? o / t : 0) }'
echo "all rounds (ms): schema_oracle ${ours[*]}; squawk ${theirs[*]}"
