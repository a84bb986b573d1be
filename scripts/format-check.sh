#!/usr/bin/env bash
# format-check: every C++ file under src include test tools must read as
# `clang-format` (Debian 12's, with the repository's .clang-format) writes
# it. Lists each file that differs with the number of lines that would
# change, and exits 1 if any does; `make format` rewrites them.
#
#   bash scripts/format-check.sh          check (what `make format-check` runs)
#   bash scripts/format-check.sh --list   only print the files, one a line
set -uo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
    echo "skipped: clang-format is not installed (scripts/install-deps.sh installs it)"
    exit 77
}
list_only=0
[ "${1:-}" = "--list" ] && list_only=1

files=$(bash scripts/format-files.sh)
total=0
bad=0
for f in $files; do
    total=$((total + 1))
    changed=$(clang-format --style=file "$f" | diff "$f" - | grep -c '^>' || true)
    if [ "$changed" -gt 0 ]; then
        bad=$((bad + 1))
        if [ $list_only -eq 1 ]; then
            echo "$f"
        else
            echo "differs: $f ($changed lines)"
        fi
    fi
done
[ $list_only -eq 1 ] && exit 0
if [ $bad -gt 0 ]; then
    echo "$bad of $total files differ from .clang-format ($(clang-format --version | sed 's/^.*version /clang-format /')); run: make format"
    exit 1
fi
echo "all $total files match .clang-format"
