# Sourced by the scripts: one target directory and one cache outside the clone, reused when
# they exist (a warm build takes seconds, a cold one about 20 minutes on two cores).
export BEDSIDE_CACHE="${BEDSIDE_CACHE:-$HOME/.cache/bedside}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$BEDSIDE_CACHE/target}"
export PATH="$HOME/.cargo/bin:$PATH"
# llama-cpp-sys-2 with a build-script fix (see the script); Cargo.toml's [patch] needs it.
"$(dirname "${BASH_SOURCE[0]}")/vendor-llama-sys.sh"
