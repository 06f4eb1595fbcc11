#!/usr/bin/env bash
# Installs the client drivers (once, into the cargo target dir), builds the sqlx client there,
# and runs every script in tests/clients against target/debug/mindoodb, which `cargo test` has built.
# Usage: tests/clients/run.sh [--only NAME ...]
set -euo pipefail
cd "$(dirname "$0")/../.."

TARGET="${CARGO_TARGET_DIR:-target}"
CLIENTS="$TARGET/clients"
mkdir -p "$CLIENTS"

# Python drivers in a venv of their own, reinstalled when requirements.txt changes.
VENV="$CLIENTS/venv"
if ! cmp -s tests/clients/requirements.txt "$VENV/requirements.txt" 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q -r tests/clients/requirements.txt
    cp tests/clients/requirements.txt "$VENV/requirements.txt"
fi

# node-postgres, reinstalled when package.json changes.
NODE="$CLIENTS/node"
if ! cmp -s tests/clients/package.json "$NODE/package.json" 2>/dev/null; then
    rm -rf "$NODE"
    mkdir -p "$NODE"
    cp tests/clients/package.json "$NODE/package.json"
    npm install --silent --no-audit --no-fund --prefix "$NODE" >/dev/null
fi

# sqlx, a cargo project of its own (not a workspace member), in a target dir of its own.
SQLX_TARGET="$CLIENTS/sqlx-target"
cargo build -q --locked --manifest-path tests/clients/sqlx/Cargo.toml --target-dir "$SQLX_TARGET"

exec "$VENV/bin/python" tests/clients/run.py \
    --bin "$TARGET/debug/mindoodb" \
    --python "$VENV/bin/python" \
    --node-path "$NODE/node_modules" \
    --jdbc /usr/share/java/postgresql.jar \
    --sqlx "$SQLX_TARGET/debug/mindoodb-sqlx-client-test" \
    "$@"
