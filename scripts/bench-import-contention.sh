#!/usr/bin/env bash
# Usage: scripts/bench-import-contention.sh   (THREADS=1 for the window's default on two cores; needs root for nice -10)
# Decode speed of an answer while an import loop runs beside it, at the import's own priority
# (nice +10) and at normal priority (the CLI started at nice -10, so +10 brings it back to 0).
set -u
B=${CARGO_TARGET_DIR:-$HOME/.cache/bedside/target}/debug/bedside
M=${BEDSIDE_MODEL:-$HOME/.cache/bedside/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf}
D=/tmp/meas-import; rm -rf $D; mkdir -p $D
export BEDSIDE_PASSPHRASE="measure passphrase" BEDSIDE_USER=admin BEDSIDE_PASSWORD="admin pw 123"
$B --data-dir $D/data init --admin admin >/dev/null
$B --data-dir $D/data library import "$(dirname "$0")/../assets/guidelines" >/dev/null 2>&1
ask() { $B --data-dir $D/data ask "What are the signs and symptoms of asthma?" --model $M --temperature 0 --max-tokens 96 --threads "${THREADS:-2}" --json 2>/dev/null | tail -1 | python3 -c "import json,sys; s=json.load(sys.stdin)['stats']; print(round(s['tok_per_s'],1), s['ttft_ms'])"; }
loop() { while true; do nice -n "$1" $B bench import --corpus "${EVALDATA:-$(dirname "$0")/../../shared/evaldata}/guidelines" >/dev/null 2>&1; done; }
for round in 1 2; do
  echo "alone: $(ask)"
  loop 0 & L=$!; sleep 1; echo "import at nice +10: $(ask)"; kill $L; wait $L 2>/dev/null; pkill -f "bench import" ; sleep 1
  loop -10 & L=$!; sleep 1; echo "import at nice 0:   $(ask)"; kill $L; wait $L 2>/dev/null; pkill -f "bench import"; sleep 1
done
