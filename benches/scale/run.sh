#!/usr/bin/env bash
# Scale benchmark: whole-process timings of Outflow on N tables of the Alembic benchmark's
# shape, beside Alembic's own scenario scripts when they are set up (../shared/bench/alembic).
#
#   benches/scale/run.sh [N=1000] [ROUNDS=3]
#
#   S1  make_migrations against an empty SQLite database (N create_table in one revision)
#   S2  db check on a database at head (no change)
#   S3  make_migrations for a small change (one column, one index) on the database at head
#   S5  upgrade heads of the N-table creation on a fresh SQLite file
#
# Each round runs every scenario once for each tool, alternating, and the medians are printed.
# Work files go to $WORK (default /tmp/outflow-scale). ALEMBIC_BENCH points at the Alembic
# scripts (default ../shared/bench/alembic next to the repository); NO_ALEMBIC=1 skips them.
set -euo pipefail
N=${1:-1000}
ROUNDS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/outflow-scale}
ALEMBIC_BENCH=${ALEMBIC_BENCH:-$REPO/../shared/bench/alembic}
TARGET=$REPO/target/scale
CRATE=$WORK/pipeline-$N
BIN=$TARGET/release/scale
EMPTY=$WORK/pipeline-$N-empty
EMPTY_BIN=$TARGET/release/scale_empty
RESULTS=$WORK/results-$N.txt
mkdir -p "$WORK"
: > "$RESULTS"

build() { # build [--change]
  python3 "$HERE/gen_pipeline.py" --out "$CRATE" --n "$N" --outflow "$REPO" "$@"
  (cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet)
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

fresh_state() { rm -rf "$CRATE/src/revisions" "$CRATE/schema" "$CRATE"/outflow.db*; }

echo "building the $N-table pipelines (release) ..." >&2
# S1's pipeline never has a revision compiled in: each run starts from nothing.
python3 "$HERE/gen_pipeline.py" --out "$EMPTY" --n "$N" --outflow "$REPO" --name scale_empty
rm -rf "$EMPTY/src/revisions" "$EMPTY"/outflow.db*
(cd "$EMPTY" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet)

# Base state for S2/S3: the creation revision embedded, the database at head.
prepare_head() {
  fresh_state
  build
  (cd "$CRATE" && "$BIN" db make_migrations -m init >/dev/null 2>&1)
  build
  (cd "$CRATE" && "$BIN" db upgrade heads >/dev/null 2>&1)
  cp "$CRATE/outflow.db" "$WORK/head-$N.db"
}
prepare_head

with_alembic=0
if [ "${NO_ALEMBIC:-0}" != 1 ] && [ -x "${VENV:-/tmp/alembic-venv}/bin/alembic" ] && [ -d "$ALEMBIC_BENCH" ]; then
  with_alembic=1
fi

for round in $(seq "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  # S1: the revision it writes is removed before each run, so each run starts alike.
  timed "tool=outflow scenario=S1 n=$N" sh -c "cd '$EMPTY' && rm -rf src/revisions schema && exec '$EMPTY_BIN' db make_migrations -m init"
  [ $with_alembic = 1 ] && "$ALEMBIC_BENCH/s1_autogen_empty.sh" sqlite "$N" | sed 's/^RESULT /RESULT tool=alembic /' | tee -a "$RESULTS"
  timed "tool=outflow scenario=S2 n=$N" sh -c "cd '$CRATE' && exec '$BIN' db check"
  [ $with_alembic = 1 ] && "$ALEMBIC_BENCH/s2_check_nochange.sh" sqlite "$N" | sed 's/^RESULT /RESULT tool=alembic /' | tee -a "$RESULTS"
done

# S3 and S5 need other builds: one pass each round, after S1/S2.
python3 "$HERE/gen_pipeline.py" --out "$CRATE" --n "$N" --outflow "$REPO" --change
(cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet)
for round in $(seq "$ROUNDS"); do
  timed "tool=outflow scenario=S3 n=$N" sh -c "cd '$CRATE' && cp '$WORK/head-$N.db' outflow.db && ls src/revisions/default/*.rs | grep -v _init.rs | xargs -r rm -f && exec '$BIN' db make_migrations -m change"
  [ $with_alembic = 1 ] && "$ALEMBIC_BENCH/s3_autogen_small_change.sh" sqlite "$N" | sed 's/^RESULT /RESULT tool=alembic /' | tee -a "$RESULTS"
done
ls "$CRATE"/src/revisions/default/*.rs | grep -v _init.rs | xargs -r rm -f
python3 "$HERE/gen_pipeline.py" --out "$CRATE" --n "$N" --outflow "$REPO"
(cd "$CRATE" && CARGO_TARGET_DIR=$TARGET cargo build --release --quiet)
for round in $(seq "$ROUNDS"); do
  timed "tool=outflow scenario=S5 n=$N" sh -c "cd '$CRATE' && rm -f outflow.db && exec '$BIN' db upgrade heads"
  [ $with_alembic = 1 ] && "$ALEMBIC_BENCH/s5_upgrade_createall.sh" sqlite "$N" | sed 's/^RESULT /RESULT tool=alembic /' | tee -a "$RESULTS"
done

python3 - "$RESULTS" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"RESULT tool=(\S+) scenario=(\S+).*? seconds=([0-9.]+)", line)
    if m:
        runs.setdefault((m.group(2), m.group(1)), []).append(float(m.group(3)))
print("| scenario | outflow median (s) | alembic median (s) | alembic / outflow |")
print("|---|---|---|---|")
for scenario in sorted({s for s, _ in runs}):
    ours = runs.get((scenario, "outflow"))
    theirs = runs.get((scenario, "alembic"))
    o = statistics.median(ours) if ours else None
    a = statistics.median(theirs) if theirs else None
    ratio = f"{a / o:.0f}x" if o and a else "-"
    print(f"| {scenario} | {o if o is not None else '-':} | {a if a is not None else '-'} | {ratio} |")
PY
