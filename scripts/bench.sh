#!/usr/bin/env bash
# Runs MindooDB and PostgreSQL 15 side by side (W1-W7 of docs/BENCHMARKS.md) and writes the
# results into docs/BENCHMARKS.md. Installs PostgreSQL 15 from Debian's packages if missing and
# builds MindooDB in release mode first.
# Usage: scripts/bench.sh [--quick] [w1 ... w7]   (no workload named: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh libclang-dev g++ postgresql-15
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mindoodb-target}"
cargo build --release --locked --workspace --bins
exec "$CARGO_TARGET_DIR/release/mindoodb-bench" "$@"
