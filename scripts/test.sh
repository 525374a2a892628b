#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, then the whole test suite (unit, snapshot,
# property and end-to-end tests that build pipeline crates with cargo).
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
# insta: never write snapshots in a test run; a changed snapshot fails.
INSTA_UPDATE=no cargo test --workspace --locked "$@"

step "all tests passed"
