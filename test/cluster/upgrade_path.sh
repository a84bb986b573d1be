#!/usr/bin/env bash
# upgrade_path: a fresh install of the default version must equal every
# older installable version upgraded to it (docs/development.md, "Versions
# and upgrades"). Compares the extension's member objects, their
# descriptions and the function definitions.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh
work=${SO_WORK:-$(mktemp -d)}/upgrade_path
port=$(so_free_port)
trap 'so_cluster_stop "$work"' EXIT
so_cluster_init "$work"
so_cluster_start "$work" "$port"
export PGHOST=$work PGPORT=$port PGUSER=postgres

default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" schema_oracle.control)
describe() {  # the extension's objects in database $1, as sorted text
    psql -X -q -At -d "$1" <<'SQL'
SELECT pg_describe_object(classid, objid, objsubid)
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'schema_oracle')
UNION ALL
SELECT p.oid::regprocedure::text || ' ' || md5(pg_get_functiondef(p.oid))
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'schema_oracle' AND p.prokind IN ('f', 'p')
UNION ALL
SELECT c.relname || ' ' || md5(coalesce(pg_get_viewdef(c.oid), ''))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'schema_oracle'
ORDER BY 1;
SQL
}

psql -X -q -d postgres -c "CREATE DATABASE fresh"
psql -X -q -d fresh -c "CREATE EXTENSION schema_oracle"
describe fresh >"$work/fresh.txt"
[ -s "$work/fresh.txt" ] || { echo "fresh install has no objects"; exit 1; }
echo "fresh $default: $(wc -l <"$work/fresh.txt") objects"

checked=0
for script in schema_oracle--*.sql; do
    v=${script#schema_oracle--}; v=${v%.sql}
    case "$v" in *--*|"$default") continue ;; esac
    db="from_${v//./_}"
    psql -X -q -d postgres -c "CREATE DATABASE $db"
    psql -X -q -d "$db" -c "CREATE EXTENSION schema_oracle VERSION '$v'" \
        -c "ALTER EXTENSION schema_oracle UPDATE TO '$default'"
    describe "$db" >"$work/$db.txt"
    if ! diff -u "$work/fresh.txt" "$work/$db.txt"; then
        echo "upgrading $v -> $default differs from a fresh install of $default"
        exit 1
    fi
    echo "$v -> $default equals a fresh install"
    checked=$((checked + 1))
done
echo "checked $checked upgrade path(s)"
