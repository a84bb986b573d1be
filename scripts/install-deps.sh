#!/usr/bin/env bash
# Installs the Debian 12 packages schema_oracle needs to build, test and
# demo itself, and nothing else. Safe to run again: it only calls apt-get
# when a package is missing.
set -euo pipefail

packages=(
    make g++ cmake pkg-config        # build tools
    postgresql-15                    # the server we run throwaway clusters of
    postgresql-server-dev-15         # PGXS, server headers, pg_regress, isolationtester
    libboost-dev                     # Boost.Container (header-only parts)
    libgtest-dev                     # GoogleTest for the pure C++ core
    libpq-dev                        # libpq for the schema_oracle_check client
    util-linux procps                # runuser, pkill
    clang-format                     # make format, make format-check (a test)
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js with npm, for the SARIF schema check (tools/sarif-validate) and the
# squawk comparison (tools/squawk): Debian's packages, unless an npm is
# already there (e.g. a NodeSource nodejs, which bundles npm and conflicts
# with Debian's npm package).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "schema_oracle: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
