#!/usr/bin/env bash
# The kill test alone: `db upgrade heads` killed (SIGKILL) at random instants, on SQLite,
# PostgreSQL and MariaDB (tests/kill.rs). The whole suite (scripts/test.sh) runs it too.
#
#   scripts/kill-test.sh [KILLS]     KILLS per dialect (default: 100; 20 on MariaDB)
#   OUTFLOW_KILL_SEED=N scripts/kill-test.sh   replays a run (the seed is printed)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${1:-}" ]; then export OUTFLOW_KILLS=$1; fi
servers=$(mktemp -d /tmp/outflow-kill-servers.XXXXXX)
trap 'scripts/servers.sh stop "$servers"' EXIT
scripts/servers.sh start "$servers" >/dev/null
set -a
# shellcheck disable=SC1091
. "$servers/env"
set +a
CI=true cargo test --locked --test kill -- --nocapture
