//! An installed Bedside starts on its own: the binaries find llama.cpp's libraries and CPU
//! modules where the package puts them, with the build folders out of reach.

mod common;

use common::repo;
use std::path::PathBuf;

fn qwen() -> PathBuf {
    std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"))
        .join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
}

#[test]
fn the_staged_install_runs_the_model_with_the_build_folders_hidden() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bedside"));
    let profile_dir = bin.parent().unwrap();
    let target_dir = profile_dir.parent().unwrap();
    let profile = profile_dir.file_name().unwrap().to_str().unwrap();
    let dest = tempfile::tempdir().unwrap();
    let staged = std::process::Command::new(repo().join("scripts/stage-install.sh"))
        .arg(dest.path())
        .arg(profile)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .unwrap();
    assert!(
        staged.status.success(),
        "{}",
        String::from_utf8_lossy(&staged.stderr)
    );
    let modules = std::fs::read_dir(dest.path().join("usr/lib/bedside/backends"))
        .unwrap()
        .count();
    assert!(modules >= 2, "{modules} CPU modules staged");

    // The build's library and module folders are under <target>/<profile>/build: an empty
    // tmpfs over it (in a private mount namespace) leaves only what the install holds.
    let script = format!(
        "mount -t tmpfs none '{build}' && exec \"$0\" \"$@\"",
        build = profile_dir.join("build").display()
    );
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .arg(dest.path().join("usr/bin/bedside"))
        .args(["bench", "engine", "--model"])
        .arg(qwen())
        .args(["--threads", "2", "--runs", "1", "--json"])
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("BEDSIDE_LLAMA_BENCH")
        .output()
        .expect("unshare is installed by scripts/setup.sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bench: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert!(
        bench["bedside"]["decode_tok_per_s"].as_f64().unwrap_or(0.0) > 1.0,
        "{bench}"
    );
}
