#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs every check and test: formatting, clippy, the UI's type
# check and linter, then all Rust tests (unit, integration on real files and the real model,
# and the end-to-end test of the real window under Xvfb).
#   scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

printf '\n==> format, lint, type-check\n'
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
npm --prefix ui run typecheck
npm --prefix ui run lint

printf '\n==> tests\n'
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
else
  cargo test --workspace --no-fail-fast
fi
