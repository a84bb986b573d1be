#!/usr/bin/env bash
# Builds and installs the extension (PGXS) and builds the core's unit tests
# (CMake). Installs into the system's PostgreSQL (with sudo when not root),
# or, with SO_DESTDIR=DIR, into a private copy staged there
# (scripts/lib/private_pg.sh) without touching the system.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
make -s -j"$(nproc)"
if [ -n "${SO_DESTDIR:-}" ]; then
    make -s install DESTDIR="$SO_DESTDIR" >/dev/null
else
    $sudo make -s install >/dev/null
fi
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/cmake -j"$(nproc)" >/dev/null
