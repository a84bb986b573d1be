# A private copy of the system's PostgreSQL 15 for the test run.
#
# Sourced, not run. PostgreSQL finds its share and library directories
# relative to its own binaries, so a copy of Debian's /usr/lib/postgresql/15
# and /usr/share/postgresql/15 under one root runs like the original. The
# extension is installed into that copy with `make install DESTDIR=...`, so
# a test run never writes into the system's PostgreSQL and two checkouts on
# one machine can test at the same time without seeing each other's build.

# so_private_pg_stage ROOT: (re)create the copy if it is missing or stale.
so_private_pg_stage() {
    local root=$1
    local sys_bin sys_share stamp want
    sys_bin=$(pg_config --bindir)
    sys_share=$(pg_config --sharedir)
    want=$("$sys_bin/postgres" --version)
    stamp="$root/.postgres-version"
    if [ ! -x "$root$sys_bin/postgres" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        rm -rf "$root"
        mkdir -p "$root$(dirname "$(dirname "$sys_bin")")" "$root$(dirname "$sys_share")" "$root/usr"
        cp -a "$(dirname "$sys_bin")" "$root$(dirname "$(dirname "$sys_bin")")/"
        cp -a "$sys_share" "$root$(dirname "$sys_share")/"
        # PGXS builds (pg15_regress builds regress.so) need the server headers.
        ln -s /usr/include "$root/usr/include"
        echo "$want" >"$stamp"
    fi
    chmod -R a+rX "$root"
}

# so_private_pg_bindir ROOT: the copy's bin directory (put it first on PATH,
# so pg_config, pg_regress and every client resolve to the copy).
so_private_pg_bindir() {
    echo "$1$(pg_config --bindir)"
}
