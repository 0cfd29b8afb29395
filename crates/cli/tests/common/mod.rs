//! Running the real `bedside` binary on a test data directory.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every test database's passphrase.
pub const PASSPHRASE: &str = "cli test passphrase";
/// The first admin's password.
pub const ADMIN_PW: &str = "cli admin pw 1";

/// The package's folder, read when the test runs. Cargo and nextest set `CARGO_MANIFEST_DIR`
/// for the test process; the compile-time value goes stale when a reused target directory
/// holds a test binary built in another checkout, whose files may differ or be gone.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The repository root.
pub fn repo() -> PathBuf {
    manifest_dir().join("../..")
}

/// The test models' folder: `$BEDSIDE_CACHE/models`, by default `~/.cache/bedside/models`
/// (scripts/fetch-models.sh fills it).
pub fn models() -> PathBuf {
    std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"))
        .join("models")
}

/// `shared/evaldata`, beside the repository, or `$BEDSIDE_EVALDATA`.
pub fn evaldata() -> PathBuf {
    std::env::var_os("BEDSIDE_EVALDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/evaldata"))
}

/// `bedside --data-dir DIR ARGS` with only the environment given here: no secrets or model
/// leak in from the developer's shell.
pub fn run(data_dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    run_with_stdin(data_dir, env, args, "")
}

/// [`run`], with `stdin` as standard input.
pub fn run_with_stdin(data_dir: &Path, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bedside"));
    cmd.arg("--data-dir").arg(data_dir).args(args);
    for var in [
        "BEDSIDE_MODEL",
        "BEDSIDE_USER",
        "BEDSIDE_PASSWORD",
        "BEDSIDE_NEW_PASSWORD",
        "BEDSIDE_PASSPHRASE",
        "BEDSIDE_KEY_FILE",
        "BEDSIDE_REMOTE_API_KEY",
    ] {
        cmd.env_remove(var);
    }
    // Search is lexical unless a test names the embedding model: embedding the evaluation
    // corpus takes a quarter of an hour on one core. tests/semantic.rs turns it on.
    cmd.env("BEDSIDE_EMBED_MODEL", "off");
    let mut child = cmd
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Creates the encrypted database with user `admin`, unless it exists.
pub fn init(data_dir: &Path) {
    if data_dir.join("bedside.db").exists() {
        return;
    }
    let out = run(
        data_dir,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
        ],
        &["init", "--admin", "admin"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `bedside` as `user`.
pub fn bedside_as(data_dir: &Path, user: &str, password: &str, args: &[&str]) -> Output {
    init(data_dir);
    run(
        data_dir,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", user),
            ("BEDSIDE_PASSWORD", password),
        ],
        args,
    )
}

/// Adds an account as the admin, then logs in as its owner once to replace the password the
/// admin chose with `password` (`user passwd`), as a new user must before any other work.
pub fn add_user(data_dir: &Path, username: &str, role: &str, password: &str) {
    init(data_dir);
    let initial = format!("{password} from the admin");
    let out = run(
        data_dir,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_NEW_PASSWORD", &initial),
        ],
        &["user", "add", username, "--role", role],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(
        data_dir,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", username),
            ("BEDSIDE_PASSWORD", &initial),
            ("BEDSIDE_NEW_PASSWORD", password),
        ],
        &["user", "passwd"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The JSON error object a failed `--json` run printed.
pub fn error_code(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no JSON error; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let v: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(v["type"], "error");
    v["code"].as_str().unwrap().to_string()
}

/// Runs `bedside` as `user` with `stdin` as standard input.
pub fn bedside_as_with_stdin(
    data_dir: &Path,
    user: &str,
    password: &str,
    args: &[&str],
    stdin: &str,
) -> Output {
    init(data_dir);
    run_with_stdin(
        data_dir,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", user),
            ("BEDSIDE_PASSWORD", password),
        ],
        args,
        stdin,
    )
}
