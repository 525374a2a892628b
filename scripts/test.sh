#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, then the whole test suite (unit, snapshot,
# property and end-to-end tests) on SQLite, PostgreSQL and MariaDB. The servers are throwaway
# instances on 127.0.0.1, started here (installed from Debian's packages when missing) and
# stopped on exit.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "PostgreSQL and MariaDB on 127.0.0.1"
servers=$(mktemp -d /tmp/outflow-test-servers.XXXXXX)
trap 'scripts/servers.sh stop "$servers"' EXIT
scripts/servers.sh start "$servers" >/dev/null
set -a
# shellcheck disable=SC1091
. "$servers/env"
set +a
echo "PostgreSQL: $OUTFLOW_TEST_POSTGRES_URL; MariaDB: $OUTFLOW_TEST_MYSQL_URL" >&2

step "cargo test"
# insta: never write snapshots in a test run; a changed snapshot fails. CI=true: a test that
# needs a server fails when it has none, instead of leaving its dialect out.
CI=true INSTA_UPDATE=no cargo test --workspace --locked "$@"

step "all tests passed"
