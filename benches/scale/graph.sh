#!/usr/bin/env bash
# Revision-graph scale benchmark (Alembic's S4): a pipeline with R empty revisions in a linear
# chain, embedded at build time. Times, as whole processes, `db heads`, `db history` and
# `db upgrade heads` on a fresh SQLite file, alternating with Alembic's s4 script when it is
# set up; then the build cost of the embedded revisions (dev profile, as `cargo run` builds):
# a full build of the pipeline crate, and the rebuild after adding one revision file.
#
#   benches/scale/graph.sh [R=1000] [ROUNDS=3]
set -euo pipefail
R=${1:-1000}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/outflow-scale}
ALEMBIC_BENCH=${ALEMBIC_BENCH:-$REPO/../shared/bench/alembic}
TARGET=$REPO/target/scale-graph
NAME=graph_$R
CRATE=$WORK/graph-$R
BIN=$TARGET/debug/$NAME
RESULTS=$WORK/graph-results-$R.txt
mkdir -p "$WORK"
: > "$RESULTS"

secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

timed() { # timed TAG CMD...
  local tag=$1; shift
  local log=$WORK/graph-last.log t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$log.time" "$@" >"$log" 2>&1 || { echo "FAILED $tag"; tail "$log"; exit 1; }
  t1=$EPOCHREALTIME
  echo "RESULT $tag seconds=$(secs "$t0" "$t1") maxrss_kb=$(tail -1 "$log.time")" | tee -a "$RESULTS"
}

python3 "$HERE/gen_pipeline.py" --out "$CRATE" --n 0 --outflow "$REPO" --name "$NAME" --revisions "$R"
rm -f "$CRATE"/src/revisions/default/zz*.rs
# Dependencies first, so the timed build is the pipeline crate itself.
(cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --quiet)
(cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo clean --quiet -p "$NAME")
t0=$EPOCHREALTIME
(cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --quiet)
t1=$EPOCHREALTIME
echo "RESULT tool=outflow op=build-full r=$R seconds=$(secs "$t0" "$t1")" | tee -a "$RESULTS"

with_alembic=0
if [ "${NO_ALEMBIC:-0}" != 1 ] && [ -x "${VENV:-/tmp/alembic-venv}/bin/alembic" ] && [ -d "$ALEMBIC_BENCH" ]; then
  with_alembic=1
fi
for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  timed "tool=outflow op=heads r=$R" sh -c "cd '$CRATE' && exec '$BIN' db heads"
  timed "tool=outflow op=history r=$R" sh -c "cd '$CRATE' && exec '$BIN' db history"
  timed "tool=outflow op=upgrade-heads r=$R" sh -c "cd '$CRATE' && rm -f outflow.db && exec '$BIN' db upgrade heads"
  [ $with_alembic = 1 ] && "$ALEMBIC_BENCH/s4_revision_graph.sh" "$R" | sed 's/^RESULT scenario=S4 /RESULT tool=alembic /' | tee -a "$RESULTS"
done

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
echo "RESULT tool=outflow op=build-one-more r=$R seconds=$(secs "$t0" "$t1")" | tee -a "$RESULTS"
rm -f "$CRATE/src/revisions/default/zz0000000001_one_more.rs"

python3 - "$RESULTS" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT tool=(\S+) op=(\S+).*? seconds=([0-9.]+)", line)
    if m:
        runs.setdefault((m.group(2), m.group(1)), []).append(float(m.group(3)))
print("| operation | outflow median (s) | alembic median (s) | alembic / outflow |")
print("|---|---|---|---|")
for op in ["heads", "history", "upgrade-heads", "build-full", "build-one-more"]:
    o = runs.get((op, "outflow")); a = runs.get((op, "alembic"))
    om = statistics.median(o) if o else None; am = statistics.median(a) if a else None
    ratio = f"{am / om:.0f}x" if om and am else "-"
    print(f"| {op} | {om if om is not None else '-'} | {am if am is not None else '-'} | {ratio} |")
PY
