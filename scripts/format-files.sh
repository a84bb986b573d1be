#!/usr/bin/env bash
# format-files: the C++ sources `make format` and `make format-check` cover
# (src include test tools), one a line, tracked or not, build output never.
set -euo pipefail
cd "$(dirname "$0")/.."
find src include test tools -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.cc' \) \
    -not -path '*/build/*' | LC_ALL=C sort
