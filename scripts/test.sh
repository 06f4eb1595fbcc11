#!/usr/bin/env bash
# Runs every MindooDB check: formatting, lints, and all tests.
# Usage: scripts/test.sh   (installs what it needs on Debian)
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql-client: psql and pgbench; postgresql-15: the server the differential test
# (server/tests/it/differential/) compares MindooDB with; the rest run tests/clients (JDBC from
# Debian, as Maven Central is out of reach); iproute2 (`ip`) finds the non-loopback address
# tests/it/transports.rs connects to.
bash scripts/deps.sh libclang-dev g++ postgresql-client postgresql-15 openssl python3-venv \
    nodejs libpostgresql-jdbc-java openjdk-17-jdk-headless iproute2
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mindoodb-target}"

cargo fmt --all -- --check
cargo fmt --manifest-path tests/clients/sqlx/Cargo.toml -- --check
# `--profile dev` keeps benches on the dev build of RocksDB instead of a release one.
cargo clippy --workspace --all-targets --profile dev --locked -- -D warnings
cargo test --workspace --locked
# Real Postgres clients against the binary cargo test built.
bash tests/clients/run.sh
