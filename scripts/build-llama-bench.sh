#!/usr/bin/env bash
# Builds llama.cpp's own `llama-bench` (the baseline of `bedside bench engine`) from the llama.cpp
# sources vendored in the llama-cpp-python source package on PyPI, into the cache:
#   scripts/build-llama-bench.sh      # prints the binary's path
# About 5-10 minutes on two cores; a built binary is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
VERSION=0.3.36
OUT="$BEDSIDE_CACHE/llama-bench-$VERSION"
if [ -x "$OUT/llama-bench" ]; then echo "$OUT/llama-bench"; exit 0; fi
tmp="$(mktemp -d)"
python3 -m pip download --no-deps --no-binary :all: --quiet --disable-pip-version-check \
  -d "$tmp" "llama-cpp-python==$VERSION" >&2
tar xzf "$tmp/llama_cpp_python-$VERSION.tar.gz" -C "$tmp"
src="$tmp/llama_cpp_python-$VERSION/vendor/llama.cpp"
cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF >&2
cmake --build "$src/build" --target llama-bench -j "$(nproc)" >&2
mkdir -p "$OUT"
cp "$src/build/bin/llama-bench" "$OUT/"
rm -rf "$tmp"
echo "$OUT/llama-bench"
