#!/usr/bin/env bash
# Developer tool (not part of the test run): proves that .ci/run passes on a
# Debian 12 with nothing installed. Builds a minimal root with debootstrap
# (once, in $ROOT), clones this repository's HEAD into it with ../shared
# beside it, and runs .ci/run there under chroot. Needs root and Debian's
# package mirror. Log: $ROOT.log
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=${ROOT:-/tmp/schema_oracle-deb12}
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
[ -x "$ROOT/usr/bin/apt-get" ] || debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian
for m in proc sys dev dev/pts; do mountpoint -q "$ROOT/$m" || mount --bind "/$m" "$ROOT/$m"; done
trap 'for m in dev/pts dev sys proc; do umount "$ROOT/$m" 2>/dev/null || true; done' EXIT
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
rm -rf "$ROOT/ci" && mkdir -p "$ROOT/ci"
git clone -q . "$ROOT/ci/main"
[ -d ../shared ] && cp -r ../shared "$ROOT/ci/shared"
status=0
chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root CI=true \
    bash -c 'cd /ci/main && bash .ci/run </dev/null' >"$ROOT.log" 2>&1 || status=$?
tail -n 3 "$ROOT.log"
exit $status
