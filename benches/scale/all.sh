#!/usr/bin/env bash
# Every scale scenario on every dialect, beside Alembic on the same database, in one run; then
# docs/benchmarks.md's generated section is rewritten from that run's results.
#
#   benches/scale/all.sh [ROUNDS=3]
#
# SIZES (tables, default "1000 10000"), REVISIONS (default "1000 5000") and DIALECTS (default
# "sqlite postgresql mysql") narrow it; sizes above 1,000 tables run BIG_ROUNDS rounds (default
# 1: Alembic takes minutes per scenario there). Results go to $WORK/all-<date>/ (one file per script
# run), each line a RESULT the report reads. Needs ../shared/bench/alembic set up (its
# setup.sh; PyMySQL is added for MariaDB); NO_ALEMBIC=1 runs Outflow alone.
set -euo pipefail
ROUNDS=${1:-3}
SIZES=${SIZES:-1000 10000}
REVISIONS=${REVISIONS:-1000 5000}
DIALECTS=${DIALECTS:-sqlite postgresql mysql}
BIG_ROUNDS=${BIG_ROUNDS:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/outflow-scale}
OUT=$WORK/all-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
export WORK
started=$(date -u +%Y-%m-%d)
for dialect in $DIALECTS; do
  for n in $SIZES; do
    rounds=$ROUNDS
    [ "$n" -le 1000 ] || rounds=$BIG_ROUNDS
    RESULTS=$OUT/scale-$dialect-$n.txt "$HERE/run.sh" "$n" "$rounds" "$dialect"
  done
  for r in $REVISIONS; do
    RESULTS=$OUT/graph-$dialect-$r.txt "$HERE/graph.sh" "$r" "$ROUNDS" "$dialect"
  done
done
versions="rustc $(rustc --version | cut -d' ' -f2)"
if [ -x "${VENV:-/tmp/alembic-venv}/bin/python" ]; then
  versions="$versions, $("${VENV:-/tmp/alembic-venv}/bin/python" -c 'import sys, alembic, sqlalchemy; print("Python", sys.version.split()[0] + ", alembic", alembic.__version__ + ", SQLAlchemy", sqlalchemy.__version__)')"
fi
python3 "$HERE/report.py" doc "$REPO/docs/benchmarks.md" \
  --header "\`benches/scale/all.sh $ROUNDS\` (SIZES=\"$SIZES\" REVISIONS=\"$REVISIONS\" DIALECTS=\"$DIALECTS\"), $started, medians of $ROUNDS (of $BIG_ROUNDS above 1,000 tables), $versions, $(nproc) cores. Raw results: $OUT." \
  "$OUT"/*.txt
echo "docs/benchmarks.md updated from $OUT" >&2
