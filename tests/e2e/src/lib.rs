//! Helpers for the end-to-end tests: a virtual display, `tauri-driver`, and the app binary.
//!
//! The tests drive the real Bedside window through WebDriver: `tauri-driver` starts the app
//! under WebKitWebDriver (Debian's `webkit2gtk-driver`), on an Xvfb display of our own when
//! none is set. Every child is killed when its guard drops, so a failed test leaves no orphans.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process killed (SIGTERM, then SIGKILL) on drop.
pub struct Guard {
    child: Child,
    name: &'static str,
}

impl Drop for Guard {
    fn drop(&mut self) {
        // tauri-driver stops its own children only on SIGTERM; SIGKILL would orphan them.
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        eprintln!("{} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Bedside binary built beside this test binary (`target/<profile>/bedside-app`), or
/// `$BEDSIDE_APP_BINARY`.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("BEDSIDE_APP_BINARY") {
        return PathBuf::from(p);
    }
    built_binary("bedside-app")
}

/// The `bedside` command-line tool built beside this test binary: tests use it to prepare
/// a data folder the way an admin's script would, before the window opens on it.
pub fn cli_binary() -> PathBuf {
    built_binary("bedside")
}

fn built_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/e2e-HASH → target/<profile>/NAME
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target dir")
        .join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (cargo build --workspace --all-targets)",
        path.display()
    );
    path
}

/// Starts Xvfb on a free display unless `$DISPLAY` is already set; returns the display name.
pub fn display() -> (String, Option<Guard>) {
    if let Ok(d) = std::env::var("DISPLAY") {
        if !d.is_empty() {
            return (d, None);
        }
    }
    let n = 90 + std::process::id() % 100;
    let name = format!(":{n}");
    let child = Command::new("Xvfb")
        .args([
            name.as_str(),
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb must be installed (apt-get install xvfb)");
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
    wait_until(
        Duration::from_secs(10),
        || socket.exists(),
        "Xvfb did not start",
    );
    (
        name,
        Some(Guard {
            child,
            name: "Xvfb",
        }),
    )
}

/// Starts `tauri-driver` on a free port with the given environment for the app; returns the
/// WebDriver URL. The driver's and the app's stderr (the app's logs) go to `log`.
pub fn tauri_driver(
    display: &str,
    env: &[(&str, String)],
    log: &std::path::Path,
) -> (String, Guard) {
    let port = free_port();
    let native = free_port();
    let driver = which("tauri-driver").expect("tauri-driver must be installed (see .ci/run)");
    let mut cmd = Command::new(driver);
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native.to_string(),
    ])
    .env("DISPLAY", display)
    .env("TAURI_WEBVIEW_AUTOMATION", "true")
    .stdout(Stdio::null())
    .stderr(std::fs::File::create(log).expect("a log file for the app"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("start tauri-driver");
    let guard = Guard {
        child,
        name: "tauri-driver",
    };
    wait_until(
        Duration::from_secs(20),
        || TcpStream::connect(("127.0.0.1", port)).is_ok(),
        "tauri-driver did not listen",
    );
    (format!("http://127.0.0.1:{port}"), guard)
}

fn which(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_until(limit: Duration, mut ok: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + limit;
    while !ok() {
        assert!(Instant::now() < deadline, "{what} within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}
