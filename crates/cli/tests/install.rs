//! The Debian package installs a Bedside that starts on its own: the binaries find llama.cpp's
//! libraries and CPU modules where the package puts them, with the build folders out of reach.

mod common;

use common::repo;
use std::path::PathBuf;
use std::process::Command;

fn qwen() -> PathBuf {
    common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
}

#[test]
fn the_debian_package_runs_the_model_with_the_build_folders_hidden() {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_bedside"));
    let profile_dir = bin.parent().unwrap();
    let target_dir = profile_dir.parent().unwrap();
    let profile = profile_dir.file_name().unwrap().to_str().unwrap();
    let work = tempfile::tempdir().unwrap();
    let packaged = Command::new(repo().join("scripts/package-deb.sh"))
        .arg(work.path())
        .arg(profile)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("BEDSIDE_DEB_COMPRESSION", "none")
        .output()
        .unwrap();
    assert!(
        packaged.status.success(),
        "{}",
        String::from_utf8_lossy(&packaged.stderr)
    );
    let deb = PathBuf::from(String::from_utf8_lossy(&packaged.stdout).trim());

    // It names what the binaries link, from Debian: the window's WebKitGTK, llama.cpp's OpenMP.
    let depends = dpkg_deb(&["--field", deb.to_str().unwrap(), "Depends"]);
    for package in ["libwebkit2gtk-4.1-0", "libgomp1", "libssl3", "libc6"] {
        assert!(depends.contains(package), "Depends: {depends}");
    }
    assert!(
        !depends.contains("libllama"),
        "its own libraries are inside: {depends}"
    );
    let contents = dpkg_deb(&["--contents", deb.to_str().unwrap()]);
    for path in [
        "./usr/bin/bedside\n",
        "./usr/bin/bedside-app\n",
        "./usr/lib/bedside/libllama.so",
        "./usr/lib/bedside/models/multilingual-e5-small-q4_0.gguf\n",
        "./usr/share/applications/bedside.desktop",
    ] {
        assert!(contents.contains(path), "{path} is not in the package");
    }

    let root = work.path().join("root");
    dpkg_deb(&["--extract", deb.to_str().unwrap(), root.to_str().unwrap()]);
    let modules = std::fs::read_dir(root.join("usr/lib/bedside/backends"))
        .unwrap()
        .count();
    assert!(modules >= 2, "{modules} CPU modules packaged");

    // The build's library and module folders are under <target>/<profile>/build: an empty
    // tmpfs over it (in a private mount namespace) leaves only what the package installed.
    let script = format!(
        "mount -t tmpfs none '{build}' && exec \"$0\" \"$@\"",
        build = profile_dir.join("build").display()
    );
    let decode = || {
        let out = Command::new("unshare")
            .args(["-rm", "sh", "-c", &script])
            .arg(root.join("usr/bin/bedside"))
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
        let bench: serde_json::Value =
            serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
        let speed = bench["bedside"]["decode_tok_per_s"].as_f64().unwrap_or(0.0);
        assert!(speed > 1.0, "{bench}");
    };
    decode();

    // An older workstation (AVX2, no AVX-512) gets the Haswell module: with only that one
    // installed, the model runs from it.
    for module in std::fs::read_dir(root.join("usr/lib/bedside/backends")).unwrap() {
        let path = module.unwrap().path();
        if !path.ends_with("libggml-cpu-haswell.so") {
            std::fs::remove_file(path).unwrap();
        }
    }
    decode();

    // The window's binary resolves every library too (it needs a display to run).
    let ldd = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .arg("ldd")
        .arg(root.join("usr/bin/bedside-app"))
        .env_remove("LD_LIBRARY_PATH")
        .output()
        .unwrap();
    let libs = String::from_utf8_lossy(&ldd.stdout);
    assert!(
        ldd.status.success() && !libs.contains("not found"),
        "{libs}"
    );
    assert!(libs.contains("/lib/bedside/libllama.so"), "{libs}");
}

fn dpkg_deb(args: &[&str]) -> String {
    let out = Command::new("dpkg-deb").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "dpkg-deb {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
