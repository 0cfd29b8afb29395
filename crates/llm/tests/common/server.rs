//! llama.cpp's own OpenAI-compatible server on loopback, serving the default test model: the
//! real peer of the remote-engine tests (shared by the `llm` and `bedside` test suites).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use llm::remote::RemoteConfig;

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

/// A scripted peer for faults a real server will not show on demand: it reads one request,
/// writes `parts` with `pause` after each (or stays silent for `pause` when there are none),
/// then closes.
pub fn scripted(parts: Vec<&'static str>, pause: Duration) -> RemoteConfig {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let mut stream = stream;
        if parts.is_empty() {
            // Silent, with the connection held open.
            std::thread::sleep(pause);
        }
        for part in parts {
            if stream.write_all(part.as_bytes()).is_err() {
                return;
            }
            let _ = stream.flush();
            std::thread::sleep(pause);
        }
    });
    RemoteConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        model: "m".into(),
        api_key: None,
        timeout_s: 2,
        allow_http: false,
    }
}
