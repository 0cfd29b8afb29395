#!/usr/bin/env bash
# Prepares vendor/llama-cpp-sys-2: llama-cpp-sys-2 0.1.161 from crates.io (checked against the
# SHA-256 that Cargo.lock records for it), with one fix, until upstream has it.
#
# Its build script hard-links llama.cpp's shared libraries next to the binaries and skips a
# link that is already there with `Path::exists()`, which follows symlinks. The links it
# makes include `libggml.so -> libggml.so.0`, whose target it does not link, so on any second
# run of the build script in the same target directory (another feature set, a changed
# environment) the check finds a dangling symlink, calls `hard_link` again, and panics with
# "File exists". The fix asks `symlink_metadata()` instead. Bedside builds llama.cpp with its
# CPU variants as shared modules (crates/llm's `cpu-variants`), which is what makes the
# libraries shared. Cargo.toml's `[patch.crates-io]` points at the copy made here.
#   scripts/vendor-llama-sys.sh      (scripts/env.sh runs it; it returns at once when done)
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.1.161
sha256=e9bea77fde41bbc15a278891cd5edd2ba07c5260d162614b41080ba1f100b39b
dest=vendor/llama-cpp-sys-2
# The patched build.rs and the folders get this modification time, the same in every checkout:
# a fresh clone at a path built before (CI's) then reuses the llama.cpp build the shared target
# directory holds (cargo compares times), where a new time would rebuild it (8 minutes). A
# clone at a new path still builds it once: the patched crate's path is part of its build
# hash. Change the patch, the stamp and this time together, the time later than before, so
# that cargo sees the change.
stamp="$dest/.bedside-patch-2"
patched_at="2026-11-29T00:00:00Z"
[ -f "$stamp" ] && exit 0

crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"llama-cpp-sys-2-$version.crate" 2>/dev/null | head -n 1 || true)
if [ -z "$crate" ]; then
  crate=$(mktemp)
  url="https://static.crates.io/crates/llama-cpp-sys-2/llama-cpp-sys-2-$version.crate"
  if command -v curl >/dev/null; then
    curl -fsSL --retry 3 -o "$crate" "$url"
  else
    python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$crate"
  fi
fi
echo "$sha256  $crate" | sha256sum --check --quiet -

unpacked=$(mktemp -d)
tar -xzf "$crate" -C "$unpacked"
sed -i 's/if !dst\.exists() {/if dst.symlink_metadata().is_err() {/' "$unpacked/llama-cpp-sys-2-$version/build.rs"
fixed=$(grep -c 'dst.symlink_metadata().is_err()' "$unpacked/llama-cpp-sys-2-$version/build.rs" || true)
if [ "$fixed" != 3 ]; then
  echo "vendor-llama-sys: expected 3 link checks to fix in build.rs, found $fixed" >&2
  exit 1
fi
touch -d "$patched_at" "$unpacked/llama-cpp-sys-2-$version/build.rs"
find "$unpacked/llama-cpp-sys-2-$version" -type d -exec touch -d "$patched_at" {} +
rm -rf "$dest"
mkdir -p vendor
mv "$unpacked/llama-cpp-sys-2-$version" "$dest"
rmdir "$unpacked"
touch "$stamp"
