#!/usr/bin/env bash
# Throwaway PostgreSQL and MariaDB servers for the tests, on 127.0.0.1 only, with their data in
# a temporary folder. Installs the Debian packages when the server programs (or the sqlite3
# client) are missing.
#
#   scripts/servers.sh start DIR   start both in DIR (created), write DIR/env, print it
#   scripts/servers.sh stop DIR    stop both and delete DIR
#
# DIR/env holds the connection URLs the tests read:
#   OUTFLOW_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres   (trust for postgres,
#                                                 passwords for every other role)
#   OUTFLOW_TEST_MYSQL_URL=mysql://root@127.0.0.1:PORT/mysql                 (no password)
#   OUTFLOW_TEST_PG_DUMP=/usr/lib/postgresql/N/bin/pg_dump                   (the server's own)
#
# Tests trade durability for speed (a crash loses a throwaway database); benchmarks set
# OUTFLOW_SERVERS_DURABLE=1 to keep each server's default, durable settings.
set -euo pipefail
if [ "${OUTFLOW_SERVERS_DURABLE:-0}" = 1 ]; then
  PG_FAST="" MARIA_FAST=""
else
  PG_FAST="-c fsync=off -c full_page_writes=off" MARIA_FAST="--innodb-flush-log-at-trx-commit=2"
fi

need_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v mariadbd >/dev/null 2>&1 || command -v mysqld >/dev/null 2>&1 || missing+=(mariadb-server)
  # The offline-SQL tests feed scripts to each dialect's own client; sqlite3 is SQLite's.
  command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "servers.sh: missing ${missing[*]}; install them (as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "servers.sh: installing ${missing[*]} ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  # Debian starts the packaged services; the tests use their own instances.
  service postgresql stop >/dev/null 2>&1 || true
  service mariadb stop >/dev/null 2>&1 || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Commands run as the postgres user when we are root (initdb refuses root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local dir=$1 bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  port=$(free_port)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$dir" "$dir/pg"
  chmod 700 "$dir/pg"
  (cd /tmp && as_pg "$bin/initdb" -D "$dir/pg" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null)
  # The superuser needs no password; every other role does, so that the tests of wrong
  # passwords and of the runtime role meet real authentication.
  printf '%s\n' "local all all trust" "host all postgres 127.0.0.1/32 trust" \
    "host all all 127.0.0.1/32 scram-sha-256" > "$dir/pg/pg_hba.conf"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pg/pg_hba.conf"
  (cd /tmp && as_pg "$bin/pg_ctl" -D "$dir/pg" -l "$dir/pg/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $PG_FAST -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" \
    start >/dev/null)
  echo "OUTFLOW_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/postgres" >> "$dir/env"
  echo "OUTFLOW_TEST_PG_DUMP=$bin/pg_dump" >> "$dir/env"
  echo "$bin" > "$dir/pg.bin"
}

start_mariadb() {
  local dir=$1 port daemon install
  daemon=$(command -v mariadbd || command -v mysqld)
  install=$(command -v mariadb-install-db || command -v mysql_install_db)
  port=$(free_port)
  mkdir -p "$dir/mysql"
  "$install" --no-defaults --user="$(id -un)" --datadir="$dir/mysql" \
    --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
  "$daemon" --no-defaults --user="$(id -un)" --datadir="$dir/mysql" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/mysql.sock" --pid-file="$dir/mysql.pid" \
    --skip-name-resolve $MARIA_FAST --max-connections=300 \
    --log-error="$dir/mysql.log" >/dev/null 2>&1 &
  for _ in $(seq 100); do
    if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null \
       && [ -s "$dir/mysql.pid" ]; then
      echo "OUTFLOW_TEST_MYSQL_URL=mysql://root@127.0.0.1:$port/mysql" >> "$dir/env"
      return 0
    fi
    sleep 0.2
  done
  echo "servers.sh: MariaDB did not start; see $dir/mysql.log" >&2
  tail -20 "$dir/mysql.log" >&2 || true
  exit 1
}

stop_all() {
  local dir=$1
  if [ -s "$dir/pg/postmaster.pid" ]; then
    (cd /tmp && as_pg "$(cat "$dir/pg.bin")/pg_ctl" -D "$dir/pg" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  if [ -s "$dir/mysql.pid" ]; then
    kill "$(cat "$dir/mysql.pid")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$dir/mysql.pid" 2>/dev/null)" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
start)
  dir=${2:?usage: servers.sh start DIR}
  need_packages
  mkdir -p "$dir"
  : > "$dir/env"
  start_postgres "$dir"
  start_mariadb "$dir"
  cat "$dir/env"
  ;;
stop)
  stop_all "${2:?usage: servers.sh stop DIR}"
  ;;
*)
  echo "usage: $0 start DIR | stop DIR" >&2
  exit 2
  ;;
esac
