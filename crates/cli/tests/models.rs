//! The model manager and the remote engine through the real `bedside` binary: import with
//! progress, choosing the chat's model, the remote server on a real `llama-server`, and a full
//! disk during an import.

mod common;
#[path = "../../llm/tests/common/server.rs"]
mod server;

use std::path::{Path, PathBuf};

use common::{bedside_as, error_code, run, ADMIN_PW, PASSPHRASE};
use serde_json::Value;

fn lines(out: &std::process::Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn admin(dir: &Path, args: &[&str]) -> std::process::Output {
    bedside_as(dir, "admin", ADMIN_PW, args)
}

fn gemma() -> PathBuf {
    common::models().join("gemma-3-270m-q4_k_m.gguf")
}

fn samples() -> String {
    common::repo()
        .join("assets/guidelines")
        .display()
        .to_string()
}

const QUESTION: &str = "What are the symptoms of asthma?";

#[test]
fn an_admin_imports_a_model_and_the_chat_answers_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let gemma = gemma();
    let out = lines(&admin(
        &data,
        &[
            "model",
            "import",
            gemma.to_str().unwrap(),
            "--name",
            "门诊 Gemma",
            "--json",
        ],
    ));
    let progress: Vec<&Value> = out.iter().filter(|v| v["type"] == "progress").collect();
    assert!(progress.len() > 2, "progress lines: {out:?}");
    let done = out.last().unwrap();
    assert_eq!(done["type"], "done");
    let id = done["model"]["id"].as_i64().unwrap();
    assert_eq!(done["model"]["name"], "门诊 Gemma");
    assert_eq!(
        progress.last().unwrap()["copied"],
        std::fs::metadata(&gemma).unwrap().len()
    );

    // A base model cannot chat until the admin picks a template.
    assert!(admin(&data, &["library", "import", &samples()])
        .status
        .success());
    let id = id.to_string();
    assert!(admin(&data, &["model", "use", "chat", &id])
        .status
        .success());
    let ask = ["ask", QUESTION, "--max-tokens", "4", "--json"];
    assert_eq!(error_code(&admin(&data, &ask)), "no_chat_template");
    assert!(admin(&data, &["model", "template", &id, "gemma"])
        .status
        .success());
    let answer = lines(&admin(&data, &ask));
    let done = answer.last().unwrap();
    assert_eq!(done["type"], "done");
    assert!(
        done["model"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("gemma"),
        "{done}"
    );

    let list = lines(&admin(&data, &["model", "list", "--json"]));
    let model = &list[0]["models"][0];
    assert_eq!(model["tasks"], serde_json::json!(["chat"]));
    assert_eq!(model["template_fallback"], "gemma");
    assert!(
        model["memory"]["Ok"]["total_bytes"].as_u64().unwrap() > 0,
        "{model}"
    );

    // Removing the chat's model is refused until the chat goes back to the default.
    assert_eq!(
        error_code(&admin(&data, &["model", "remove", &id, "--json"])),
        "in_use"
    );
    assert!(admin(&data, &["model", "use", "chat", "default"])
        .status
        .success());
    assert!(admin(&data, &["model", "remove", &id]).status.success());
    assert!(std::fs::read_dir(data.join("models"))
        .unwrap()
        .next()
        .is_none());
}

#[test]
fn the_chat_goes_to_the_remote_server_only_while_an_admin_has_it_enabled() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = server::Server::start(Some("hospital-key"));
    assert!(admin(&data, &["library", "import", &samples()])
        .status
        .success());
    let set = run(
        &data,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_REMOTE_API_KEY", "hospital-key"),
        ],
        &[
            "model",
            "remote",
            "--enable",
            "--url",
            &server.base_url(),
            "--model",
            "qwen-remote",
            "--json",
        ],
    );
    let shown = String::from_utf8_lossy(&set.stdout).to_string();
    assert!(!shown.contains("hospital-key"), "{shown}");
    let view = &lines(&set)[0]["remote"];
    assert_eq!(view["enabled"], true);
    assert_eq!(view["api_key_set"], true);
    // The connection test uses the stored key and lists what the server serves.
    let tested = lines(&admin(&data, &["model", "remote", "--test", "--json"]));
    let models = tested[1]["test"]["models"].as_array().unwrap();
    assert!(
        models
            .iter()
            .any(|m| m.as_str().unwrap().contains("qwen2.5-coder")),
        "{tested:?}"
    );

    let ask = [
        "ask",
        QUESTION,
        "--max-tokens",
        "12",
        "--temperature",
        "0",
        "--json",
    ];
    let answer = lines(&admin(&data, &ask));
    let done = answer.last().unwrap();
    let remote_name = format!("qwen-remote @ 127.0.0.1:{}", server.port);
    assert_eq!(done["model"], remote_name.as_str());
    assert!(!done["answer"].as_str().unwrap().trim().is_empty());
    assert!(
        answer.iter().filter(|v| v["type"] == "token").count() > 1,
        "streamed"
    );
    // The audit log names the engine that answered.
    let audit =
        String::from_utf8_lossy(&admin(&data, &["audit", "list", "--json"]).stdout).to_string();
    assert!(audit.contains(&remote_name), "{audit}");

    // Switched off, the same question is answered on the workstation.
    assert!(admin(&data, &["model", "remote", "--disable"])
        .status
        .success());
    let local = lines(&admin(&data, &ask));
    assert_ne!(local.last().unwrap()["model"], remote_name.as_str());
    drop(server);
    // Enabled again with the server gone: a typed error, not a hang.
    assert!(admin(&data, &["model", "remote", "--enable"])
        .status
        .success());
    assert_eq!(error_code(&admin(&data, &ask)), "remote_unreachable");
}

#[test]
fn a_full_disk_during_a_model_import_is_a_clear_error_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    common::init(&data);
    let models = data.join("models");
    std::fs::create_dir_all(&models).unwrap();
    // A 16 MiB file system over the models folder, in a mount namespace of this command only:
    // the 253 MB model cannot fit, the database beside it is untouched.
    let script = format!(
        "mount -t tmpfs -o size=16m tmpfs '{models}' && \"$0\" \"$@\"; rc=$?; \
         echo left: $(ls -A '{models}'); exit $rc",
        models = models.display()
    );
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_bedside"))
        .args(["--data-dir", data.to_str().unwrap(), "--json"])
        .args(["model", "import", gemma().to_str().unwrap()])
        .env("BEDSIDE_PASSPHRASE", PASSPHRASE)
        .env("BEDSIDE_USER", "admin")
        .env("BEDSIDE_PASSWORD", ADMIN_PW)
        .output()
        .expect("unshare is installed by scripts/setup.sh");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains("\"code\":\"disk_full\""),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.trim_end().ends_with("left:"),
        "no partial copy: {stdout}"
    );
    let list = lines(&admin(&data, &["model", "list", "--json"]));
    assert_eq!(list[0]["models"], serde_json::json!([]));
}

/// The remote engine's transport rules through the binary: plain http to another host only
/// with `--allow-http`, no user or password in the URL, and the stored key kept for its own
/// server only.
#[test]
fn plain_http_elsewhere_needs_allow_http_and_the_key_stays_with_its_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let remote = |extra: &[&str]| {
        let mut args = vec!["model", "remote"];
        args.extend_from_slice(extra);
        args.push("--json");
        admin(&data, &args)
    };
    let http = "http://10.1.2.3:8000/v1";
    let out = remote(&["--enable", "--url", http, "--model", "m"]);
    assert_eq!(error_code(&out), "remote_insecure");
    let set = lines(&remote(&[
        "--enable",
        "--url",
        http,
        "--model",
        "m",
        "--allow-http",
    ]));
    assert_eq!(set[0]["remote"]["allow_http"], true);
    // Changing something else keeps the allowance for the same server.
    let set = lines(&remote(&["--model", "m2"]));
    assert_eq!(set[0]["remote"]["allow_http"], true);
    // Another host does not inherit it.
    let out = remote(&["--url", "http://10.9.9.9:8000/v1"]);
    assert_eq!(error_code(&out), "remote_insecure");

    let out = remote(&["--url", "https://admin:hunter2@llm.ward.local/v1"]);
    assert_eq!(error_code(&out), "remote_url_credentials");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!printed.contains("hunter2"), "{printed}");

    // A key saved for one server is dropped when the URL names another without a new key.
    let out = run(
        &data,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_REMOTE_API_KEY", "sk-hospital"),
        ],
        &[
            "model",
            "remote",
            "--url",
            "https://llm.ward.local/v1",
            "--json",
        ],
    );
    assert_eq!(lines(&out)[0]["remote"]["api_key_set"], true);
    let set = lines(&remote(&["--url", "https://llm.ward.local:443/v1/"]));
    assert_eq!(set[0]["remote"]["api_key_set"], true, "the same server");
    let set = lines(&remote(&["--url", "https://other.ward.local/v1"]));
    assert_eq!(set[0]["remote"]["api_key_set"], false);
    assert_eq!(set[0]["remote"]["allow_http"], false);
    let audit =
        String::from_utf8_lossy(&admin(&data, &["audit", "list", "--json"]).stdout).into_owned();
    assert!(audit.contains("engine_remote_allow_http"), "{audit}");
    assert!(!audit.contains("hunter2") && !audit.contains("sk-hospital"));
}
