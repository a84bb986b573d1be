# Throwaway PostgreSQL 15 clusters for the demo, the tests and the benchmarks.
#
# Sourced, not run. A cluster lives in one private directory (data, unix
# socket, log), belongs to the postgres OS user (PostgreSQL refuses to run as
# root), listens on no TCP address, and is stopped by so_cluster_stop, which
# callers register in an EXIT trap so it also runs on failure.

PGBIN=${PGBIN:-$(pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}

# Run a command as the postgres OS user (or as ourselves if we are not root).
so_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    elif [ "$(id -un)" = postgres ]; then
        "$@"
    else
        sudo -u postgres -- "$@"
    fi
}

# so_cluster_init DIR [postgresql.conf lines...]: a fresh data directory.
so_cluster_init() {
    local dir=$1; shift
    mkdir -p "$dir"
    chmod 0755 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    so_as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust \
        --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; return 1; }
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$dir'"
        echo "fsync = off"
        echo "timezone = 'UTC'"
        echo "log_timezone = 'UTC'"
        echo "max_prepared_transactions = 10"
        for line in "$@"; do echo "$line"; done
    } | so_as_postgres tee -a "$dir/data/postgresql.conf" >/dev/null
}

# so_standby_init PRIMARY STANDBY [postgresql.conf lines...]: a streaming
# standby of the running cluster in PRIMARY (initialised with
# "wal_level = replica" and max_wal_senders), made with pg_basebackup -R in
# STANDBY; not started. Allows local replication connections on the primary.
# $PRIMARY_PORT must hold the primary's port.
so_standby_init() {
    local primary=$1 standby=$2; shift 2
    echo "local replication all trust" | so_as_postgres tee -a "$primary/data/pg_hba.conf" >/dev/null
    so_as_postgres "$PGBIN/pg_ctl" -D "$primary/data" reload >/dev/null
    mkdir -p "$standby"
    chmod 0755 "$standby"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$standby"
    so_as_postgres "$PGBIN/pg_basebackup" -h "$primary" -p "$PRIMARY_PORT" -U postgres \
        -D "$standby/data" -R -X stream >"$standby/basebackup.log" 2>&1 \
        || { cat "$standby/basebackup.log" >&2; return 1; }
    {
        # The copied configuration points the socket at the primary's directory.
        echo "unix_socket_directories = '$standby'"
        for line in "$@"; do echo "$line"; done
    } | so_as_postgres tee -a "$standby/data/postgresql.conf" >/dev/null
}

# so_cluster_start DIR PORT: start and wait until it accepts connections.
so_cluster_start() {
    local dir=$1 port=$2
    so_as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
        -o "-p $port" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; return 1; }
}

# so_cluster_stop DIR: stop if running (fast shutdown, then immediate).
so_cluster_stop() {
    local dir=$1
    [ -f "$dir/data/postmaster.pid" ] || return 0
    so_as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 \
        || so_as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 \
        || true
}

# so_free_port: a port number no other cluster of ours is using. Our
# clusters listen on private socket directories only, so this only has to
# avoid the well-known 5432 and be stable within one run.
so_free_port() {
    echo $(( 40000 + (RANDOM % 20000) ))
}

# so_crash_lines LOG: server log lines that show a backend died by a signal.
so_crash_lines() {
    grep -E "terminated by signal|was terminated by exception|server process .* crashed" "$1" || true
}
