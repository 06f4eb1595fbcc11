#!/usr/bin/env bash
# Runs every MindooDB check: formatting, lints, and all tests.
# Usage: scripts/test.sh   (installs what it needs on Debian)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh libclang-dev g++ postgresql-client
# scripts/notify_check.py and scripts/savepoint_check.py drive the server with psycopg.
python3 -c "import psycopg" 2>/dev/null || python3 -m pip install --quiet "psycopg[binary]"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mindoodb-target}"

cargo fmt --all -- --check
# `--profile dev` keeps benches on the dev build of RocksDB instead of a release one.
cargo clippy --workspace --all-targets --profile dev --locked -- -D warnings
cargo test --workspace --locked
python3 scripts/notify_check.py "$CARGO_TARGET_DIR/debug/mindoodb"
python3 scripts/savepoint_check.py "$CARGO_TARGET_DIR/debug/mindoodb"
