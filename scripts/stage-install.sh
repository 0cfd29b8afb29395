#!/usr/bin/env bash
# Lays out an installed Bedside under DEST, as the Debian package installs it:
#   DEST/usr/bin/bedside, DEST/usr/bin/bedside-app      the binaries (rpath $ORIGIN/../lib/bedside)
#   DEST/usr/lib/bedside/lib{llama,ggml,…}.so*           llama.cpp's shared libraries
#   DEST/usr/lib/bedside/backends/libggml-cpu-*.so       one CPU module per x86 generation
#   DEST/usr/lib/bedside/models/multilingual-e5-small-q4_0.gguf   the embedding model, part of
#                                                        the installation (fetched and verified by
#                                                        scripts/fetch-models.sh e5)
# scripts/package-deb.sh packages this tree; crates/cli/tests/install.rs runs `bedside` from
# that package with the build folders hidden.
#   scripts/stage-install.sh DEST [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
dest=${1:?usage: scripts/stage-install.sh DEST [debug|release]}
profile=${2:-release}
bin="$CARGO_TARGET_DIR/$profile"

# The llama.cpp build the binary was linked against: the one its rpath names.
out=$(readelf -d "$bin/bedside" | sed -n 's/.*R\(UN\)\?PATH.*\[\(.*\)\]/\2/p' | tr ':' '\n' \
  | grep '/llama-cpp-sys-2-[^/]*/out/lib$' | head -n 1 | sed 's#/lib$##')
if [ -z "$out" ] || [ ! -d "$out/backends" ]; then
  echo "stage-install: $bin/bedside is not linked to a llama.cpp build with CPU modules" >&2
  exit 1
fi

mkdir -p "$dest/usr/bin" "$dest/usr/lib/bedside/backends"
for b in bedside bedside-app; do
  if [ -f "$bin/$b" ]; then cp "$bin/$b" "$dest/usr/bin/"; fi
done
cp -a "$out"/lib/*.so* "$dest/usr/lib/bedside/"
cp -a "$out"/backends/*.so "$dest/usr/lib/bedside/backends/"
scripts/fetch-models.sh e5 >&2
install -Dm644 "${BEDSIDE_CACHE:-$HOME/.cache/bedside}/models/multilingual-e5-small-q4_0.gguf" \
  "$dest/usr/lib/bedside/models/multilingual-e5-small-q4_0.gguf"
echo "staged $(ls "$dest/usr/lib/bedside/backends" | wc -l) CPU modules and $(ls "$dest/usr/lib/bedside" | grep -c '\.so') libraries in $dest"
