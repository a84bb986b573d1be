#!/usr/bin/env bash
# render.sh FORMAT INPUT OUTPUT.svg: renders a diagram of schema_oracle.erd()
# with the real tools: Graphviz's dot for DOT, Mermaid's CLI (tools/mermaid,
# pinned in its package-lock.json) in Debian's chromium for Mermaid. Used by
# test/cluster/erd_render.sh and scripts/demo.sh.
#   render.sh check      exits 0 when both tools are there, else prints why not
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mmdc=$root/tools/mermaid/node_modules/.bin/mmdc

case "$1" in
    check)
        command -v dot >/dev/null || { echo "graphviz's dot is not installed (apt-get install graphviz)"; exit 1; }
        [ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is not installed (apt-get install chromium)"; exit 1; }
        command -v node >/dev/null || { echo "node is not installed (apt-get install nodejs npm)"; exit 1; }
        [ -x "$mmdc" ] || { echo "mermaid-cli is not installed in tools/mermaid (bash scripts/install-deps.sh)"; exit 1; }
        ;;
    dot)
        dot -Tsvg "$2" -o "$3"
        ;;
    mermaid)
        # chromium needs a writable home; the render runs as whoever calls it
        HOME=${HOME:-/tmp} "$mmdc" --quiet --puppeteerConfigFile "$root/test/render/puppeteer.json" \
            --input "$2" --output "$3"
        ;;
    *) echo "usage: $0 check | dot|mermaid INPUT OUTPUT.svg" >&2; exit 2 ;;
esac
