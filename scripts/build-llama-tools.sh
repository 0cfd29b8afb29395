#!/usr/bin/env bash
# Builds llama.cpp's own tools from the llama.cpp sources vendored in the llama-cpp-python source
# package on PyPI, into the cache, and prints the folder that holds them:
#   llama-server  a real OpenAI-compatible server: the peer of the remote-engine tests
#   llama-bench   the baseline of `bedside bench engine`
#   scripts/build-llama-tools.sh [llama-server] [llama-bench]   # default: both
# About 5-10 minutes per tool on two cores; built binaries are reused.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
VERSION=0.3.36
OUT="$BEDSIDE_CACHE/llama-cpp-$VERSION"
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(llama-server llama-bench)
missing=()
for t in "${targets[@]}"; do [ -x "$OUT/$t" ] || missing+=("$t"); done
if [ ${#missing[@]} -eq 0 ]; then echo "$OUT"; exit 0; fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps --no-binary :all: --quiet --disable-pip-version-check \
  -d "$tmp" "llama-cpp-python==$VERSION" >&2
tar xzf "$tmp/llama_cpp_python-$VERSION.tar.gz" -C "$tmp"
src="$tmp/llama_cpp_python-$VERSION/vendor/llama.cpp"
# Static, no network code (LLAMA_CURL=OFF): the server only serves what it is given.
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_SERVER=ON -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF >&2
cmake --build "$src/build" --target "${missing[@]}" -j "$(nproc)" >&2
mkdir -p "$OUT"
for t in "${missing[@]}"; do cp "$src/build/bin/$t" "$OUT/"; done
echo "$OUT"
