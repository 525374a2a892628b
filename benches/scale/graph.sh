#!/usr/bin/env bash
# Revision-graph scale benchmark (Alembic's S4): a pipeline with R empty revisions in a linear
# chain, embedded at build time. Times, as whole processes, `db heads`, `db history` and
# `db upgrade heads` on a fresh database, alternating with Alembic on the same database
# (its s4 script on SQLite, alembic_graph.sh on the servers) when it is set up; then, on
# SQLite, the build cost of the embedded revisions in the dev profile (as `cargo run`
# builds): a full build of the pipeline crate, and the rebuild after adding one revision file.
#
#   benches/scale/graph.sh [R=1000] [ROUNDS=3] [DIALECT=sqlite|postgresql|mysql]
#
# PROFILE=release|dev (default release) is the profile of the timed binary. Server dialects
# run on throwaway servers with their default, durable settings (scripts/servers.sh).
# BUILD_ONLY=1 builds the pipeline and stops (nothing timed).
set -euo pipefail
R=${1:-1000}
ROUNDS=${2:-3}
DIALECT=${3:-sqlite}
PROFILE=${PROFILE:-release}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/outflow-scale}
ALEMBIC_BENCH=${ALEMBIC_BENCH:-$REPO/../shared/bench/alembic}
VENV=${VENV:-/tmp/alembic-venv}
TARGET=$REPO/target/scale-graph
NAME=graph_$R
CRATE=$WORK/graph-$R
case $PROFILE in
  release) BIN=$TARGET/release/$NAME; FLAG=--release ;;
  dev) BIN=$TARGET/debug/$NAME; FLAG= ;;
  *) echo "PROFILE is release or dev" >&2; exit 2 ;;
esac
RESULTS=${RESULTS:-$WORK/graph-results-$DIALECT-$R.txt}
mkdir -p "$WORK"
: > "$RESULTS"
export WORK ALEMBIC_BENCH VENV
source "$HERE/dialect.sh"
source "$HERE/build.sh"

secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

timed() { # timed TAG CMD...
  local tag=$1; shift
  local log=$WORK/graph-last.log t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$log.time" "$@" >"$log" 2>&1 || { echo "FAILED $tag"; tail "$log"; exit 1; }
  t1=$EPOCHREALTIME
  echo "RESULT $tag seconds=$(secs "$t0" "$t1") maxrss_kb=$(tail -1 "$log.time")" | tee -a "$RESULTS"
}

start_servers
trap stop_servers EXIT

python3 "$HERE/gen_pipeline.py" --out "$CRATE" --n 0 --outflow "$REPO" --name "$NAME" --revisions "$R"
rm -f "$CRATE"/src/revisions/default/zz*.rs
write_config "$CRATE" graph
build "$CRATE" "$BIN" $FLAG
[ "${BUILD_ONLY:-0}" != 1 ] || exit 0

with_alembic=0
if [ "${NO_ALEMBIC:-0}" != 1 ] && [ -x "$VENV/bin/alembic" ] && [ -d "$ALEMBIC_BENCH" ]; then
  with_alembic=1
fi
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  tags="dialect=$DIALECT profile=$PROFILE r=$R"
  timed "tool=outflow op=heads $tags" sh -c "cd '$CRATE' && exec '$BIN' db heads"
  timed "tool=outflow op=history $tags" sh -c "cd '$CRATE' && exec '$BIN' db history"
  fresh_db graph
  timed "tool=outflow op=upgrade-heads $tags" sh -c "cd '$CRATE' && exec '$BIN' db upgrade heads"
  [ $with_alembic = 1 ] || continue
  case $DIALECT in
    sqlite) "$ALEMBIC_BENCH/s4_revision_graph.sh" "$R" ;;
    *) "$HERE/alembic_graph.sh" "$R" "$DIALECT" ;;
  esac | sed "s/^RESULT scenario=S4 /RESULT tool=alembic dialect=$DIALECT /" | tee -a "$RESULTS"
done

if [ "$DIALECT" = sqlite ] && [ "${BUILD_COST:-1}" = 1 ]; then
  # Dependencies first, so that the timed build is the pipeline crate itself.
  (cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --quiet)
  (cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo clean --quiet -p "$NAME")
  t0=$EPOCHREALTIME
  (cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --quiet)
  t1=$EPOCHREALTIME
  echo "RESULT tool=outflow op=build-full profile=dev r=$R seconds=$(secs "$t0" "$t1")" | tee -a "$RESULTS"
  # One more revision file: the incremental rebuild a user waits for after make_migrations.
  last=$(ls "$CRATE"/src/revisions/default/*.rs | sort -t_ -k2 | tail -1)
  last_id=$(grep -o 'REVISION: &str = "[0-9a-f]*"' "$last" | grep -o '[0-9a-f]\{12\}')
  cat > "$CRATE/src/revisions/default/zz0000000001_one_more.rs" <<REV
//! one more

use outflow::migration::prelude::*;

pub const REVISION: &str = "zz0000000001";
pub const DOWN_REVISION: &[&str] = &["$last_id"];
pub const BRANCH_LABELS: &[&str] = &[];
pub const DEPENDS_ON: &[&str] = &[];

pub fn upgrade(_op: &mut Operations) {}

pub fn downgrade(_op: &mut Operations) {}
REV
  t0=$EPOCHREALTIME
  (cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --quiet)
  t1=$EPOCHREALTIME
  echo "RESULT tool=outflow op=build-one-more profile=dev r=$R seconds=$(secs "$t0" "$t1")" | tee -a "$RESULTS"
  rm -f "$CRATE/src/revisions/default/zz0000000001_one_more.rs"
fi

python3 "$HERE/report.py" graph "$RESULTS"
