#!/usr/bin/env bash
# Runs the conformance suites (tests/conformance/) on fresh servers and rewrites
# docs/conformance.md and tests/conformance/expected.tsv from the results; review the diff.
#   scripts/conformance.sh
set -euo pipefail
cd "$(dirname "$0")/.."
servers=$(mktemp -d /tmp/outflow-conformance-servers.XXXXXX)
trap 'scripts/servers.sh stop "$servers"' EXIT
scripts/servers.sh start "$servers" >/dev/null
set -a
# shellcheck disable=SC1091
. "$servers/env"
set +a
CI=true OUTFLOW_CONFORMANCE_WRITE=1 cargo test --locked --test conformance -- --nocapture
git --no-pager diff --stat -- docs/conformance.md tests/conformance/expected.tsv || true
