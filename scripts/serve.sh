#!/usr/bin/env bash
# Starts MindooDB on the embedded defaults: data in ./mindoodb-data, port 5432, and on first
# start a superuser role and database `mindoo` (password from MINDOODB_PASSWORD, or generated
# and printed once). Installs the Debian packages the build needs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh libclang-dev g++
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mindoodb-target}"
# The dev profile shares its build with scripts/test.sh; use `cargo build --release` for production.
exec cargo run --locked --bin mindoodb -- serve "$@"
