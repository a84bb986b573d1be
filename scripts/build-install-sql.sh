#!/usr/bin/env bash
# Builds the install and upgrade scripts of the version under development
# from one fragment per feature (extension/<version>/*.sql, in file-name
# order). Called by the Makefile:
#   build-install-sql.sh full    PREV VERSION >schema_oracle--VERSION.sql
#   build-install-sql.sh upgrade PREV VERSION >schema_oracle--PREV--VERSION.sql
# A fresh install is the previous release's script followed by the same
# fragments the upgrade runs, so both paths execute the same statements.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=$1 prev=$2 version=$3
fragments() {
    local f
    for f in $(ls extension/"$version"/*.sql | LC_ALL=C sort); do
        printf '\n-- ==== %s\n' "$f"
        cat "$f"
    done
}
case "$mode" in
    full)
        echo "-- schema_oracle $version: built by make from schema_oracle--$prev.sql and extension/$version/; do not edit."
        echo '\echo Use "CREATE EXTENSION schema_oracle" to load this file. \quit'
        grep -v '^\\echo ' "schema_oracle--$prev.sql"
        fragments
        ;;
    upgrade)
        echo "-- schema_oracle $prev -> $version: built by make from extension/$version/; do not edit."
        echo "\\echo Use \"ALTER EXTENSION schema_oracle UPDATE TO '$version'\" to load this file. \\quit"
        fragments
        ;;
    *) echo "usage: $0 full|upgrade PREV VERSION" >&2; exit 2 ;;
esac
