#!/usr/bin/env bash
# erd_render: schema_oracle.erd() output renders for real, and the picture
# names every table and schema. DOT is rendered with Graphviz (dot -Tsvg),
# Mermaid with mermaid-cli in headless chromium (test/render/render.sh), on
# the demo schema (demo/sample_schema.sql) and on a schema of hostile names
# (test/render/hostile_schema.sql), with and without findings and keys_only.
# Each render must succeed and its SVG must contain every table's and
# schema's name (test/render/svg_has_names.js). Without the tools it prints
# "skipped: <why>" and exits 77, which scripts/test.sh counts as skipped.
# Starts its own cluster under $SO_WORK/erd_render.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/cluster.sh

if ! why=$(bash test/render/render.sh check); then
    echo "skipped: $why"
    exit 77
fi

dir=${SO_WORK:?}/erd_render
port=$(so_free_port)
trap 'so_cluster_stop "$dir"' EXIT
so_cluster_init "$dir" "schema_oracle.guard = off"
so_cluster_start "$dir" "$port"
export PGHOST=$dir PGPORT=$port PGUSER=postgres
out=$dir/out
mkdir -p "$out"

psql -X -q -d postgres -c "CREATE DATABASE demo" -c "CREATE DATABASE hostile"
psql -X -q -v ON_ERROR_STOP=1 -d demo -f demo/sample_schema.sql >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d hostile -f test/render/hostile_schema.sql >/dev/null
failures=0
renders=0
for db in demo hostile; do
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION schema_oracle"
    # every table and schema the diagram draws, as JSON (names may hold newlines)
    psql -X -At -v ON_ERROR_STOP=1 -d "$db" >"$out/$db-names.json" <<'SQL'
SELECT json_agg(name) FROM (
    SELECT c.relname::text AS name FROM schema_oracle._erd_relations(NULL, NULL) r JOIN pg_class c ON c.oid = r.relid
    UNION
    SELECT n.nspname::text FROM schema_oracle._erd_relations(NULL, NULL) r JOIN pg_class c ON c.oid = r.relid
    JOIN pg_namespace n ON n.oid = c.relnamespace) s
SQL
    for format in dot mermaid; do
        for options in "findings => true" "keys_only => true"; do
            name=$db-$format-$(echo "$options" | cut -d' ' -f1)
            psql -X -At -v ON_ERROR_STOP=1 -d "$db" \
                -c "SELECT schema_oracle.erd(format => '$format', $options)" >"$out/$name.txt"
            renders=$((renders + 1))
            if ! bash test/render/render.sh "$format" "$out/$name.txt" "$out/$name.svg" >"$out/$name.log" 2>&1; then
                echo "FAILED: $format render of $db ($options):"; sed 's/^/    /' "$out/$name.log" | tail -n 20
                failures=$((failures + 1))
                continue
            fi
            if node test/render/svg_has_names.js "$out/$name.svg" "$out/$db-names.json"; then
                echo "ok: $format render of $db ($options)"
            else
                echo "FAILED: $format render of $db ($options) does not name every table"
                failures=$((failures + 1))
            fi
        done
    done
done
echo "$renders renders, $failures failed"
[ "$failures" -eq 0 ]
