#!/usr/bin/env bash
# check-exports: the production module exports only what PostgreSQL looks up
# by name (exports.map), and no test code: no schema_oracle_test_* symbol,
# and every exported SQL-callable function is declared by the extension's
# install script (a function nobody can CREATE from the script is either dead
# or test code that belongs in test/modules/schema_oracle_test).
#   bash scripts/check-exports.sh [path/to/schema_oracle.so]
set -euo pipefail
cd "$(dirname "$0")/.."
so=${1:-schema_oracle.so}
[ -f "$so" ] || { echo "no $so: build first"; exit 1; }
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" schema_oracle.control)
script=schema_oracle--$version.sql
[ -f "$script" ] || { echo "no $script: build first"; exit 1; }
bad=0
symbols=$(nm -D --defined-only "$so" | awk '{print $3}' | sort)
for s in $symbols; do
    case "$s" in
        Pg_magic_func|_PG_init) ;;
        schema_oracle_test_*|pg_finfo_schema_oracle_test_*)
            echo "test code exported: $s"; bad=1 ;;
        pg_finfo_schema_oracle_*) ;;
        schema_oracle_*)
            grep -q "'$s'" "$script" || { echo "exported but not declared by $script: $s"; bad=1; } ;;
        *) echo "unexpected export: $s (exports.map)"; bad=1 ;;
    esac
done
[ $bad -eq 0 ] && echo "$(echo "$symbols" | wc -l) exports, all PostgreSQL entry points declared by $script"
exit $bad
