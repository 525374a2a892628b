# Per-dialect helpers of run.sh (sourced): where each named database lives, how to empty it,
# and how the dialect's own client runs a script. Names: s1, head, s5.

start_servers() {
  [ "$DIALECT" = sqlite ] && return 0
  SERVERS=$WORK/servers
  "$REPO/scripts/servers.sh" stop "$SERVERS" >/dev/null 2>&1 || true
  OUTFLOW_SERVERS_DURABLE=1 "$REPO/scripts/servers.sh" start "$SERVERS" >/dev/null
  set -a; source "$SERVERS/env"; set +a
  PG_PORT=${OUTFLOW_TEST_POSTGRES_URL##*:}; PG_PORT=${PG_PORT%%/*}
  MYSQL_PORT=${OUTFLOW_TEST_MYSQL_URL##*:}; MYSQL_PORT=${MYSQL_PORT%%/*}
  PG_BIN=$(dirname "$OUTFLOW_TEST_PG_DUMP")
  export PG_PORT MYSQL_PORT
}

stop_servers() {
  [ "$DIALECT" = sqlite ] || "$REPO/scripts/servers.sh" stop "$SERVERS" >/dev/null 2>&1 || true
}

db_url() {
  case $DIALECT in
    postgresql) echo "postgres://postgres@127.0.0.1:$PG_PORT/outflow_bench_$1" ;;
    mysql) echo "mysql://root@127.0.0.1:$MYSQL_PORT/outflow_bench_$1" ;;
  esac
}

# write_config CRATE NAME: the crate's default database is NAME.
write_config() {
  if [ "$DIALECT" = sqlite ]; then
    printf 'databases:\n  default:\n    dialect: sqlite\n    path: %s\n' "$WORK/$2.db" > "$1/config.yml"
  else
    printf 'databases:\n  default:\n    dialect: %s\n    url: %s\n' "$DIALECT" "$(db_url "$2")" > "$1/config.yml"
  fi
}

psql_admin() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
mariadb_admin() { mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root "$@"; }

fresh_db() {
  case $DIALECT in
    sqlite) rm -f "$WORK/$1.db" "$WORK/$1.db-wal" "$WORK/$1.db-shm" ;;
    postgresql) PGOPTIONS="-c client_min_messages=warning" psql_admin -d postgres \
      -c "DROP DATABASE IF EXISTS outflow_bench_$1 WITH (FORCE)" -c "CREATE DATABASE outflow_bench_$1" ;;
    mysql) mariadb_admin -e "DROP DATABASE IF EXISTS outflow_bench_$1; CREATE DATABASE outflow_bench_$1" ;;
  esac
}

# S3's make_migrations never writes to the database; SQLite's file is copied back anyway, as a
# guard against a run that would.
save_head() { [ "$DIALECT" != sqlite ] || cp "$WORK/head.db" "$WORK/head-saved.db"; }
restore_head() { [ "$DIALECT" != sqlite ] || { rm -f "$WORK"/head.db-*; cp "$WORK/head-saved.db" "$WORK/head.db"; }; }

# client_script FILE: the script as the client runs it. psql -1 wraps it in its own
# transaction, so the script's BEGIN/COMMIT lines go.
client_script() {
  case $DIALECT in
    postgresql) grep -v -e '^BEGIN;$' -e '^COMMIT;$' "$1" ;;
    *) cat "$1" ;;
  esac
}

# client_command NAME FILE: the shell command with which the dialect's own client runs FILE
# on database NAME.
client_command() {
  case $DIALECT in
    sqlite) echo "sqlite3 -bail '$WORK/$1.db' < '$2'" ;;
    postgresql) echo "'$PG_BIN/psql' -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PG_PORT -U postgres -1 -f '$2' -d outflow_bench_$1" ;;
    mysql) echo "mariadb --no-defaults -h 127.0.0.1 -P $MYSQL_PORT -u root outflow_bench_$1 < '$2'" ;;
  esac
}
