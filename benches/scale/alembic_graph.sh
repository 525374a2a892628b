#!/usr/bin/env bash
# Alembic's `upgrade heads` over a linear chain of R empty revisions on a server (Alembic's own
# S4 script times it on SQLite only): the same generated project (gen.py --revisions R), the
# same check (one "Running upgrade" line per revision), timed by the same helper.
#
#   alembic_graph.sh R postgresql|mysql
#
# Needs PG_PORT or MYSQL_PORT (servers on 127.0.0.1, superuser without password) and
# ALEMBIC_BENCH.
set -euo pipefail
R=$1 DIALECT=$2
[ -z "${PG_PORT:-}" ] || export PGPORT=$PG_PORT
source "$ALEMBIC_BENCH/lib.sh"
DB=bench_s4_${DIALECT}_$R P=$WORK/s4-$DIALECT-$R
case $DIALECT in
  postgresql)
    url="postgresql+psycopg2://postgres@127.0.0.1:$PG_PORT/$DB"
    fresh() { fresh_db pg "$DB" >/dev/null; }
    ;;
  mysql)
    "$PY" -c "import pymysql" 2>/dev/null || "$VENV/bin/pip" install -q pymysql
    url="mysql+pymysql://root@127.0.0.1:$MYSQL_PORT/$DB"
    fresh() { mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"; }
    ;;
  *) echo "unknown dialect $DIALECT (postgresql|mysql)" >&2; exit 2 ;;
esac
[ -f "$P/.ready" ] || { gen "$P" --n 0 --revisions "$R" --url "$url"; touch "$P/.ready"; }
fresh
cd "$P"
timed "scenario=S4 op=upgrade-heads backend=$DIALECT r=$R" "$P/upgrade.log" "$ALEMBIC" upgrade heads
[ "$(grep -c 'Running upgrade' "$P/upgrade.log")" = "$R" ] || { echo "CHECK FAILED: upgrade steps" >&2; exit 1; }
