#!/usr/bin/env bash
# Scale benchmark: whole-process timings of Outflow on N tables of the Alembic benchmark's
# shape, beside Alembic on the same database when it is set up (../shared/bench/alembic).
#
#   benches/scale/run.sh [N=1000] [ROUNDS=3] [DIALECT=sqlite|postgresql|mysql]
#
#   S1  make_migrations against an empty database (N create_table in one revision)
#   S2  db check on a database at head (no change)
#   S3  make_migrations for a small change (one column, one index) on the database at head
#   S5  upgrade heads of the N-table creation on an empty database; beside it, the same SQL
#       (`db upgrade heads --sql`) run by the dialect's own client in one transaction where
#       the dialect has them (`psql -1 -f`, `mariadb <`, `sqlite3 <`)
#
# BUILD_ONLY=1 builds the pipelines and stops (nothing timed).
# Server dialects run on throwaway servers with their default, durable settings, started by
# scripts/servers.sh (and stopped at the end); both tools use the same server. Each round runs
# every scenario once for each tool, alternating, and the medians are printed. Work files go
# to $WORK (default /tmp/outflow-scale). ALEMBIC_BENCH points at the Alembic scripts (default
# ../shared/bench/alembic next to the repository); NO_ALEMBIC=1 skips Alembic.
set -euo pipefail
N=${1:-1000}
ROUNDS=${2:-3}
DIALECT=${3:-sqlite}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/outflow-scale}
ALEMBIC_BENCH=${ALEMBIC_BENCH:-$REPO/../shared/bench/alembic}
VENV=${VENV:-/tmp/alembic-venv}
TARGET=$REPO/target/scale
CRATE=$WORK/pipeline-$N
BIN=$TARGET/release/scale_$N
EMPTY=$WORK/pipeline-$N-empty
EMPTY_BIN=$TARGET/release/scale_empty_$N
CHANGE=$WORK/pipeline-$N-change
CHANGE_BIN=$TARGET/release/scale_change_$N
RESULTS=${RESULTS:-$WORK/results-$DIALECT-$N.txt}
mkdir -p "$WORK"
export WORK ALEMBIC_BENCH VENV
: > "$RESULTS"
source "$HERE/dialect.sh"
source "$HERE/build.sh"

# gen CRATE NAME [--change]: the pipeline's sources (only files whose text changes are written).
gen() {
  local crate=$1 name=$2; shift 2
  python3 "$HERE/gen_pipeline.py" --out "$crate" --n "$N" --outflow "$REPO" --name "$name" "$@"
}

# timed TAG CMD...: one run, output to a log, prints and records "RESULT TAG seconds=..".
timed() {
  local tag=$1; shift
  local log=$WORK/last.log t0 t1 rss
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$log.time" "$@" >"$log" 2>&1 || { echo "FAILED $tag"; cat "$log"; exit 1; }
  t1=$EPOCHREALTIME
  rss=$(tail -1 "$log.time")
  local line="RESULT $tag seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') maxrss_kb=$rss"
  echo "$line" | tee -a "$RESULTS"
}

# alembic SCRIPT ARGS...: one Alembic scenario on the same database server, recorded.
alembic() {
  [ $with_alembic = 1 ] || return 0
  local script=$1; shift
  case $DIALECT in
    sqlite) "$ALEMBIC_BENCH/$script" sqlite "$@" ;;
    postgresql) PGPORT=$PG_PORT "$ALEMBIC_BENCH/$script" pg "$@" ;;
    mysql) "$HERE/alembic_mysql.sh" "$script" "$@" ;;
  esac | sed "s/^RESULT /RESULT tool=alembic dialect=$DIALECT /" | tee -a "$RESULTS"
}

start_servers
trap stop_servers EXIT

echo "building the $N-table pipelines (release) ..." >&2
# S1's pipeline never has a revision compiled in: each run starts from nothing.
gen "$EMPTY" "scale_empty_$N"
rm -rf "$EMPTY/src/revisions" "$EMPTY/schema" "$EMPTY"/outflow.db*
write_config "$EMPTY" s1
build "$EMPTY" "$EMPTY_BIN" --release

# The pipeline at head: its creation revision is written once per size (by make_migrations on
# the first dialect that runs) and kept, so that every dialect runs the same revision.
gen "$CRATE" "scale_$N"
write_config "$CRATE" head
fresh_db head
if ! ls "$CRATE"/src/revisions/default/*_init.rs >/dev/null 2>&1; then
  rm -rf "$CRATE/src/revisions" "$CRATE/schema"
  build "$CRATE" "$BIN" --release
  # The framework's run tables first, as a pipeline's first step does.
  (cd "$CRATE" && "$BIN" db upgrade heads >/dev/null 2>&1)
  (cd "$CRATE" && "$BIN" db make_migrations -m init >/dev/null 2>&1)
fi
build "$CRATE" "$BIN" --release
(cd "$CRATE" && "$BIN" db upgrade heads >/dev/null 2>&1)
save_head

# S3's pipeline: the models with the small change, the same revisions.
gen "$CHANGE" "scale_change_$N" --change
rm -rf "$CHANGE/src/revisions" "$CHANGE/schema"
cp -a "$CRATE/src/revisions" "$CHANGE/src/"
[ ! -d "$CRATE/schema" ] || cp -a "$CRATE/schema" "$CHANGE/"
write_config "$CHANGE" head
build "$CHANGE" "$CHANGE_BIN" --release

if [ "${BUILD_ONLY:-0}" = 1 ]; then
  echo "built the $N-table pipelines" >&2
  exit 0
fi

with_alembic=0
if [ "${NO_ALEMBIC:-0}" != 1 ] && [ -x "$VENV/bin/alembic" ] && [ -d "$ALEMBIC_BENCH" ]; then
  with_alembic=1
fi

for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  # S1: the revision it writes is removed and the database emptied before each run.
  rm -rf "$EMPTY/src/revisions" "$EMPTY/schema"
  fresh_db s1
  # Not timed: the framework's run tables (make_migrations needs the database at its heads).
  (cd "$EMPTY" && "$EMPTY_BIN" db upgrade heads >/dev/null 2>&1)
  timed "tool=outflow dialect=$DIALECT scenario=S1 n=$N" sh -c "cd '$EMPTY' && exec '$EMPTY_BIN' db make_migrations -m init"
  alembic s1_autogen_empty.sh "$N"
  timed "tool=outflow dialect=$DIALECT scenario=S2 n=$N" sh -c "cd '$CRATE' && exec '$BIN' db check"
  alembic s2_check_nochange.sh "$N"
done

for round in $(seq "$ROUNDS"); do
  restore_head
  timed "tool=outflow dialect=$DIALECT scenario=S3 n=$N" sh -c "cd '$CHANGE' && exec '$CHANGE_BIN' db make_migrations -m change"
  ls "$CHANGE"/src/revisions/default/*.rs | grep -v _init.rs | xargs -r rm -f
  rm -rf "$CHANGE/schema"
  [ ! -d "$CRATE/schema" ] || cp -a "$CRATE/schema" "$CHANGE/"
  alembic s3_autogen_small_change.sh "$N"
done
(cd "$CRATE" && "$BIN" db upgrade heads --sql) > "$WORK/upgrade-$DIALECT.sql"
client_script "$WORK/upgrade-$DIALECT.sql" > "$WORK/client-$DIALECT.sql"
write_config "$CRATE" s5
for round in $(seq "$ROUNDS"); do
  fresh_db s5
  timed "tool=outflow dialect=$DIALECT scenario=S5 n=$N" sh -c "cd '$CRATE' && exec '$BIN' db upgrade heads"
  fresh_db s5
  timed "tool=client dialect=$DIALECT scenario=S5 n=$N" sh -c "$(client_command s5 "$WORK/client-$DIALECT.sql")"
  alembic s5_upgrade_createall.sh "$N"
done

python3 "$HERE/report.py" scale "$RESULTS"
