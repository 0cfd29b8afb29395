//! Build step of the `bedside` binary.

fn main() {
    link_llama_libraries();
}

/// With llama.cpp built as shared libraries (the `llm` crate's `cpu-variants` feature), the
/// binaries find them through an rpath to the build's library folder, so that nobody has to
/// set `LD_LIBRARY_PATH` to start them. An installer ships them in `../lib/bedside` from the binary.
fn link_llama_libraries() {
    println!("cargo:rerun-if-env-changed=DEP_LLAMA_BACKENDS_DIR");
    if let Some(out) = std::env::var_os("DEP_LLAMA_BACKENDS_DIR")
        .map(std::path::PathBuf::from)
        .and_then(|backends| backends.parent().map(std::path::Path::to_path_buf))
    {
        // DT_RPATH, not DT_RUNPATH: it also applies to the libraries' own dependencies
        // (libllama needs libggml, which needs libggml-base).
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
}
