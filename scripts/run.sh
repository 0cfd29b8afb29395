#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and opens the Bedside window with the built-in defaults: the
# Qwen2.5-Coder 0.5B test model and the sample guidelines in assets/guidelines (imported on
# first run; importing again skips what is already there).
#   scripts/run.sh
# Environment: BEDSIDE_DATA_DIR (default ~/.local/share/bedside), BEDSIDE_MODEL, BEDSIDE_THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
BEDSIDE_SKIP_DRIVER=1 scripts/setup.sh
source scripts/env.sh
export BEDSIDE_MODEL="${BEDSIDE_MODEL:-$BEDSIDE_CACHE/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf}"

# On a first run the window's wizard encrypts a new database and creates the first admin,
# who then finds these sample guidelines already imported.
export BEDSIDE_SAMPLE_GUIDELINES="${BEDSIDE_SAMPLE_GUIDELINES:-$PWD/assets/guidelines}"

printf '\n==> Bedside window\n'
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "no display found: running the window on a virtual display (Xvfb)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$CARGO_TARGET_DIR/debug/bedside-app"
fi
exec "$CARGO_TARGET_DIR/debug/bedside-app"
