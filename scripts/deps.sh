#!/usr/bin/env bash
# Installs the system packages MindooDB needs to build and test on Debian, if missing.
# Sourced by scripts/serve.sh and scripts/test.sh; safe to run again.
set -euo pipefail

if ! command -v cargo >/dev/null 2>&1; then
    echo "mindoodb: cargo (Rust 1.95 or newer) is required; install it with rustup first" >&2
    exit 1
fi

missing=()
# RocksDB's bindgen needs libclang; its C++ needs g++.
for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "mindoodb: installing ${missing[*]}" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
