#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A throwaway PostgreSQL cluster for the tests, in a folder of the build tree.
#
#   cluster.sh start DIR    initdb (once) and start it, create the database, print its URL
#   cluster.sh url DIR      print the URL of the running cluster
#   cluster.sh stop DIR     stop it and remove DIR
#   cluster.sh run DIR -- COMMAND...
#                           run COMMAND with TROVE_TEST_STORE set to the cluster's URL
#
# Every verb is idempotent: start on a running cluster only prints its URL, stop on a stopped or
# missing one does nothing. initdb and postgres refuse to run as root, so as root the cluster
# belongs to a system user (trove-pg, created if missing) and its commands run through runuser.
# It listens on 127.0.0.1 only, on a port that was free when it started, and on a socket in DIR;
# authentication is `trust` (loopback only, a test cluster). Never reads stdin.
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|url DIR | run DIR -- COMMAND..." >&2
    exit 2
}

(($# >= 2)) || usage
verb=$1
dir=$2
shift 2
[[ $dir == /* ]] || dir="$PWD/$dir"

pg_user=trove-pg
db_user=trove
db_name=trove

bindir=
for candidate in /usr/lib/postgresql/*/bin; do
    [[ -x $candidate/initdb ]] && bindir=$candidate
done
if [[ -z $bindir ]] && command -v initdb >/dev/null 2>&1; then
    bindir=$(dirname "$(command -v initdb)")
fi

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u "$pg_user" -- "$@" </dev/null
    else
        "$@" </dev/null
    fi
}

# Where the cluster's own files live: DIR, or, when the cluster's user cannot reach DIR (a
# checkout under /root, mode 700), a folder in /tmp named in DIR/pgdir.
pgdir() {
    if [[ -f $dir/pgdir ]]; then
        cat "$dir/pgdir"
    else
        echo "$dir"
    fi
}

running() {
    local pg
    pg=$(pgdir)
    [[ -f $pg/data/postmaster.pid ]] && as_owner "$bindir/pg_ctl" -D "$pg/data" status >/dev/null 2>&1
}

url() {
    echo "postgresql://$db_user@127.0.0.1:$(cat "$dir/port")/$db_name"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    if [[ -z $bindir ]]; then
        echo "PostgreSQL is not installed (packaging/install-deps.sh installs it)" >&2
        exit 1
    fi
    if running; then
        url
        return
    fi
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then
        if ! id "$pg_user" >/dev/null 2>&1; then
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
                "$pg_user"
        fi
        chown -R "$pg_user:" "$dir"
        if [[ ! -f $dir/pgdir ]] && ! runuser -u "$pg_user" -- test -w "$dir" </dev/null; then
            mktemp -d /tmp/trove-pg.XXXXXX >"$dir/pgdir"
            chown "$pg_user:" "$(cat "$dir/pgdir")"
        fi
    fi
    local pg
    pg=$(pgdir)
    if [[ ! -f $pg/data/PG_VERSION ]]; then
        rm -rf "$pg/data"
        # No locale: byte order and ASCII-only case rules, as SQLite's (the schema asks for
        # COLLATE "C" anyway, so a cluster with a locale gives the same answers).
        as_owner "$bindir/initdb" -D "$pg/data" -U "$db_user" --auth=trust --no-locale \
            -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
    fi
    local port
    port=$(free_port)
    echo "$port" >"$dir/port"
    mkdir -p "$pg/socket"
    [[ $(id -u) -ne 0 ]] || chown "$pg_user:" "$pg/socket" "$dir/port"
    # A test cluster: durability off (fsync, full pages) for speed; enough connections for
    # the tests' threads.
    if ! as_owner "$bindir/pg_ctl" -D "$pg/data" -l "$pg/server.log" -w -t 60 \
        -o "-p $port -k $pg/socket -c listen_addresses=127.0.0.1 -c fsync=off \
            -c full_page_writes=off -c synchronous_commit=off -c max_connections=200" \
        start >/dev/null; then
        cat "$pg/server.log" >&2 || true
        exit 1
    fi
    if ! as_owner "$bindir/psql" -h "$pg/socket" -p "$port" -U "$db_user" -d postgres -tAq \
        -c "SELECT 1 FROM pg_database WHERE datname = '$db_name'" | grep -q 1; then
        as_owner "$bindir/createdb" -h "$pg/socket" -p "$port" -U "$db_user" "$db_name"
    fi
    url
}

stop() {
    local pg
    pg=$(pgdir)
    if [[ -n $bindir && -f $pg/data/postmaster.pid ]]; then
        as_owner "$bindir/pg_ctl" -D "$pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    [[ $pg == "$dir" ]] || rm -rf "$pg"
    rm -rf "$dir"
}

case $verb in
start) start ;;
stop) stop ;;
url)
    running || {
        echo "No cluster running in $dir" >&2
        exit 1
    }
    url
    ;;
run)
    [[ ${1:-} == -- ]] && shift
    (($# > 0)) || usage
    running || {
        echo "No cluster running in $dir" >&2
        exit 1
    }
    TROVE_TEST_STORE=$(url)
    export TROVE_TEST_STORE
    exec "$@"
    ;;
*) usage ;;
esac
