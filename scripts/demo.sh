#!/usr/bin/env bash
# The demo command: installs what is missing, builds and installs
# schema_oracle, starts a throwaway PostgreSQL 15 cluster, loads a realistic
# sample schema (demo/sample_schema.sql) and walks through the extension
# (demo/demo.sql). The cluster is stopped and removed at the end, also on
# failure. Pass --keep to leave it running and print how to connect.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/cluster.sh

keep=0
[ "${1:-}" = "--keep" ] && keep=1

bash scripts/install-deps.sh
echo "== building and installing schema_oracle"
exec 9>/tmp/schema_oracle-test.lock
flock 9
bash scripts/build.sh

work=$(mktemp -d /tmp/schema_oracle_demo.XXXXXX)
chmod 0755 "$work"
port=$(so_free_port)
cleanup() {
    if [ $keep -eq 0 ]; then
        so_cluster_stop "$work/cluster"
        rm -rf "$work"
    fi
}
trap cleanup EXIT

echo "== starting a throwaway PostgreSQL 15 cluster in $work"
so_cluster_init "$work/cluster"
so_cluster_start "$work/cluster" "$port"
export PGHOST=$work/cluster PGPORT=$port PGUSER=postgres

psql -X -q -d postgres -c "CREATE DATABASE demo"
# Load the library in every session of the demo database, so the utility
# hook sees VACUUM FULL, CLUSTER, REINDEX and TRUNCATE too (docs/guard.md).
psql -X -q -d postgres -c "ALTER DATABASE demo SET session_preload_libraries = 'schema_oracle'"
echo "== loading the sample schema (blog + token marketplace, ~1M rows)"
psql -X -q -v ON_ERROR_STOP=1 -d demo -f demo/sample_schema.sql >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d demo -f demo/demo.sql

# The schema as a picture and as a document, written to files that outlive
# the cluster (docs/erd.md).
out=$(pwd)/build/demo
mkdir -p "$out"
echo
echo "== 8. The schema as a picture and a document: schema_oracle.erd() and data_dictionary()"
psql -X -At -v ON_ERROR_STOP=1 -d demo -c "SELECT schema_oracle.erd(format => 'dot', findings => true)" >"$out/schema.dot"
psql -X -At -v ON_ERROR_STOP=1 -d demo -c "SELECT schema_oracle.erd(format => 'mermaid', findings => true)" >"$out/schema.mmd"
psql -X -At -v ON_ERROR_STOP=1 -d demo -c "SELECT schema_oracle.data_dictionary(format => 'markdown')" >"$out/data_dictionary.md"
dot -Tsvg "$out/schema.dot" -o "$out/schema.svg"
echo "   $out/schema.svg             the diagram (Graphviz), tables with findings in red"
echo "   $out/schema.dot             its DOT source"
if bash test/render/render.sh mermaid "$out/schema.mmd" "$out/schema-mermaid.svg" >/dev/null 2>&1; then
    echo "   $out/schema-mermaid.svg     the same as Mermaid (mermaid-cli), source schema.mmd"
else
    echo "   $out/schema.mmd             the Mermaid source (mermaid-cli did not run here)"
fi
echo "   $out/data_dictionary.md     every table and column, and what has no comment yet"

if [ $keep -eq 1 ]; then
    echo
    echo "The cluster is still running. Connect with:"
    echo "    psql -h $work/cluster -p $port -U postgres demo"
    echo "Stop it with:"
    echo "    bash -c '. scripts/lib/cluster.sh; so_cluster_stop $work/cluster'"
fi
