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
# The host's own instruction set, without AMX: llama.cpp's AMX kernels crash (SIGILL or
# SIGSEGV) on the Xeon machines this project runs on, so Bedside never loads its AMX module
# (crates/llm, SKIPPED_CPU_MODULES) and its baseline must not use AMX either. Tools built with
# other flags (an older cache) are built again.
if [ "$(uname -m)" = x86_64 ]; then
  FLAGS="-march=native -mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
  cpu_args=(-DGGML_NATIVE=OFF "-DCMAKE_C_FLAGS=$FLAGS" "-DCMAKE_CXX_FLAGS=$FLAGS")
else
  FLAGS="native"
  cpu_args=()
fi
if [ "$(cat "$OUT/build-flags" 2>/dev/null)" != "$FLAGS" ]; then
  rm -f "${OUT:?}/llama-server" "${OUT:?}/llama-bench"
fi
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
  -DLLAMA_BUILD_SERVER=ON -DLLAMA_CURL=OFF -DBUILD_SHARED_LIBS=OFF "${cpu_args[@]}" >&2
cmake --build "$src/build" --target "${missing[@]}" -j "$(nproc)" >&2
mkdir -p "$OUT"
for t in "${missing[@]}"; do cp "$src/build/bin/$t" "$OUT/"; done
echo "$FLAGS" > "$OUT/build-flags"
echo "$OUT"
