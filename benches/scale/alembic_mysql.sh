#!/usr/bin/env bash
# Alembic on MariaDB (alembic + PyMySQL in the Alembic benchmark's venv), timed exactly as
# ../shared/bench/alembic times it on SQLite and PostgreSQL, which have no MariaDB backend:
# same generated models, same commands, same checks.
#
#   alembic_mysql.sh s1_autogen_empty.sh|s2_check_nochange.sh|s3_autogen_small_change.sh|s5_upgrade_createall.sh N
#
# Needs MYSQL_PORT (a MariaDB on 127.0.0.1, root without password) and ALEMBIC_BENCH.
set -euo pipefail
SCENARIO=$1 N=$2
source "$ALEMBIC_BENCH/lib.sh"
"$PY" -c "import pymysql" 2>/dev/null || "$VENV/bin/pip" install -q pymysql
url() { echo "mysql+pymysql://root@127.0.0.1:$MYSQL_PORT/$1"; }
fresh() { mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1"; }
tables() { mariadb --no-defaults -h 127.0.0.1 -P "$MYSQL_PORT" -u root -N -e "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$1'"; }

base() { # the project and database at head, made once per N
  BASE_DB=bench_base_mysql_$N BASE_DIR=$WORK/base-mysql-$N
  if [ ! -f "$BASE_DIR/.ready" ]; then
    gen "$BASE_DIR" --n "$N" --url "$(url "$BASE_DB")"
    fresh "$BASE_DB"
    (cd "$BASE_DIR" && "$ALEMBIC" revision --autogenerate -m init >"$BASE_DIR/prep.log" 2>&1 \
      && "$ALEMBIC" upgrade heads >>"$BASE_DIR/prep.log" 2>&1)
    touch "$BASE_DIR/.ready"
  fi
}

case $SCENARIO in
s1_autogen_empty.sh)
  DB=bench_s1_mysql_$N P=$WORK/s1-mysql-$N
  [ -f "$P/models.py" ] || gen "$P" --n "$N" --url "$(url "$DB")"
  rm -f "$P"/migrations/versions/*.py; rm -rf "$P/__pycache__" "$P/migrations/versions/__pycache__"
  fresh "$DB"
  cd "$P"
  timed "scenario=S1 op=autogenerate-empty backend=mysql n=$N" "$P/run.log" "$ALEMBIC" revision --autogenerate -m init
  got=$(grep -c "op.create_table(" migrations/versions/*.py)
  [ "$got" = "$N" ] || { echo "CHECK FAILED: $got create_table ops, expected $N" >&2; exit 1; }
  ;;
s2_check_nochange.sh)
  base
  cd "$BASE_DIR"
  timed "scenario=S2 op=check-nochange backend=mysql n=$N" "$BASE_DIR/run.log" "$ALEMBIC" check
  grep -q "No new upgrade operations detected" "$BASE_DIR/run.log" || { echo "CHECK FAILED: alembic check found changes" >&2; exit 1; }
  ;;
s3_autogen_small_change.sh)
  base
  P=$WORK/s3-mysql-$N
  rm -rf "$P"; cp -a "$BASE_DIR" "$P"
  gen "$P" --n "$N" --url unused --change --models-only
  cd "$P"
  timed "scenario=S3 op=autogenerate-small-change backend=mysql n=$N" "$P/run.log" "$ALEMBIC" revision --autogenerate -m change
  f=$(grep -l "Revises: ." migrations/versions/*.py)
  ops=$(awk '/^def upgrade/{f=1;next} /^def downgrade/{f=0} f' "$f" | grep -cE "^ +op\." || true)
  grep -q "op.add_column('t$(printf %04d $((N / 2)))', sa.Column('extra_note'" "$f" \
    && grep -q "op.create_index('ix_t$(printf %04d $((N / 3)))_amount'" "$f" && [ "$ops" = 2 ] \
    || { echo "CHECK FAILED: expected add_column + create_index, got $ops ops in $f" >&2; exit 1; }
  ;;
s5_upgrade_createall.sh)
  DB=bench_s5_mysql_$N P=$WORK/s5-mysql-$N
  if [ ! -f "$P/.ready" ]; then
    gen "$P" --n "$N" --url "$(url "$DB")"
    fresh "$DB"
    (cd "$P" && "$ALEMBIC" revision --autogenerate -m init >"$P/prep.log" 2>&1)
    touch "$P/.ready"
  fi
  fresh "$DB"
  cd "$P"
  timed "scenario=S5 op=upgrade-createall backend=mysql n=$N" "$P/run.log" "$ALEMBIC" upgrade heads
  got=$(tables "$DB")
  [ "$got" = "$((N + 1))" ] || { echo "CHECK FAILED: $got tables, expected $((N + 1))" >&2; exit 1; }
  ;;
*) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
