#!/usr/bin/env bash
# Builds and installs the extension (PGXS) and builds the core's unit tests
# (CMake). Uses sudo for the install step when not run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
make -s -j"$(nproc)"
$sudo make -s install >/dev/null
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/cmake -j"$(nproc)" >/dev/null
