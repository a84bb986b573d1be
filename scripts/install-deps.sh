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
    graphviz chromium fonts-dejavu-core  # erd render tests and the demo's schema.svg
)
# Node.js with npm, for the SARIF schema check (tools/sarif-validate), the
# squawk comparison (tools/squawk) and Mermaid's CLI (tools/mermaid):
# Debian's packages, unless an npm is already there (e.g. a NodeSource
# nodejs, which bundles npm and conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "schema_oracle: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
fi

# Mermaid's CLI, pinned by tools/mermaid/package-lock.json, into that folder
# (not globally); it drives Debian's chromium, so puppeteer downloads none.
cd "$(dirname "$0")/../tools/mermaid"
if [ ! -x node_modules/.bin/mmdc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "schema_oracle: installing mermaid-cli into tools/mermaid"
    # not fatal: without it the render test says "skipped" and why
    PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error \
        || echo "schema_oracle: mermaid-cli could not be installed; test/cluster/erd_render.sh will be skipped"
fi
