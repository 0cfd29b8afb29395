//! What the build scripts of Bedside's binaries (`bedside`, `bedside-app`) share.

use std::path::{Path, PathBuf};

/// With llama.cpp built as shared libraries (the `llm` crate's `cpu-variants` feature, the
/// default), the binaries find them through an rpath, so that nobody has to set
/// `LD_LIBRARY_PATH` to start them. Call it from the build script of a package that depends on
/// `llama-cpp-sys-2` directly: only direct dependents see its `DEP_LLAMA_*` metadata.
pub fn link_llama_libraries() {
    println!("cargo:rerun-if-env-changed=DEP_LLAMA_BACKENDS_DIR");
    let Some(out) = std::env::var_os("DEP_LLAMA_BACKENDS_DIR")
        .map(PathBuf::from)
        .and_then(|backends| backends.parent().map(Path::to_path_buf))
    else {
        return;
    };
    // DT_RPATH, not DT_RUNPATH: it also applies to the libraries' own dependencies (libllama
    // needs libggml, which needs libggml-base).
    println!("cargo:rustc-link-arg-bins=-Wl,--disable-new-dtags");
    // Installed (the Debian package, scripts/stage-install.sh): /usr/lib/bedside beside
    // /usr/bin. Then the build's own folders, for development.
    println!("cargo:rustc-link-arg-bins=-Wl,-rpath,$ORIGIN/../lib/bedside");
    for dir in ["lib", "build/bin"] {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,-rpath,{}",
            out.join(dir).display()
        );
    }
}
