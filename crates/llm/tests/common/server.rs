//! llama.cpp's own OpenAI-compatible server on loopback, serving the default test model: the
//! real peer of the remote-engine tests (shared by the `llm` and `bedside` test suites).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn cache() -> PathBuf {
    std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bedside"))
}

fn qwen() -> PathBuf {
    let path = cache().join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-models.sh",
        path.display()
    );
    path
}

/// Built by `scripts/build-llama-tools.sh` (scripts/setup.sh runs it).
fn llama_server() -> PathBuf {
    let path = cache().join("llama-cpp-0.3.36/llama-server");
    assert!(
        path.exists(),
        "{} is missing: run scripts/build-llama-tools.sh llama-server",
        path.display()
    );
    path
}

/// A `llama-server` child process on a free loopback port, killed when dropped.
pub struct Server {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
}

impl Server {
    /// Starts it with the default test model, one thread, seed 42; waits until it is ready.
    pub fn start(api_key: Option<&str>) -> Server {
        let port = free_port();
        let mut cmd = Command::new(llama_server());
        cmd.arg("-m")
            .arg(qwen())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["-t", "1", "-c", "2048", "--seed", "42"])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(key) = api_key {
            cmd.args(["--api-key", key]);
        }
        let server = Server {
            child: cmd.spawn().expect("llama-server starts"),
            port,
        };
        server.wait_ready();
        server
    }

    /// Polls `/health` until the model is loaded (503 while loading).
    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", self.port)) {
                let _ = write!(
                    s,
                    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                );
                let mut reply = String::new();
                let _ = s.read_to_string(&mut reply);
                if reply.starts_with("HTTP/1.1 200") {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("llama-server did not become ready on port {}", self.port);
    }

    /// The OpenAI-compatible base URL.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
