//! Bedside with no network at all: the main flows run inside a network namespace that has
//! only a loopback device (`unshare -n`), under `strace`, which records every `connect()`.
//! The flows must succeed, no connection may be attempted to anything but a local socket,
//! and neither the logs (stderr) nor any file left on disk may carry the patient's details,
//! a password or the passphrase in readable form.
//!
//! Needs root (or CAP_SYS_ADMIN) for the namespace and `strace`: both are part of the test
//! machine's set-up (`scripts/setup.sh`); without them this test fails, it is never skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{ADMIN_PW, PASSPHRASE};

const PATIENT: &str = "欧阳青山";
const PATIENT_ID: &str = "MRN-77120458";
const NURSE_PW: &str = "nurse secret 8841";
const QUESTION: &str = "What are the signs and symptoms of asthma in a 67-year-old?";

/// Environment, arguments and standard input of one `bedside` run.
type Step<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>, Option<String>);

/// `unshare --net -- strace … -o TRACE`, to which the program and its arguments are added: a
/// network namespace with only loopback, and every `connect()` written to `trace`.
fn offline_traced(trace: &Path) -> Command {
    let mut cmd = Command::new("unshare");
    cmd.args([
        "--net",
        "--",
        "strace",
        "-f",
        "-qq",
        "-e",
        "trace=connect",
        "-o",
    ])
    .arg(trace);
    cmd
}

/// One step of the flow, offline and traced; returns its output and stderr.
fn offline(
    data: &Path,
    trace: &Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut cmd = offline_traced(trace);
    cmd.arg(env!("CARGO_BIN_EXE_bedside"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BEDSIDE_PASSPHRASE", PASSPHRASE)
        .env("BEDSIDE_LOG", "trace")
        .env("RUST_LOG", "trace")
        .envs(env.iter().copied())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd
        .spawn()
        .expect("unshare and strace are installed by scripts/setup.sh");
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed offline: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every `connect()` in a trace whose address is not a local socket.
fn remote_connects(trace: &str) -> Vec<String> {
    trace
        .lines()
        .filter(|l| l.contains("connect("))
        .filter(|l| {
            let local = l.contains("AF_UNIX")
                || l.contains("AF_NETLINK")
                || l.contains("inet_addr(\"127.")
                || l.contains("\"::1\"");
            !local
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn offline_flows_dial_nothing_and_leave_no_patient_data_in_logs_or_on_disk() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let traces = work.path().join("traces");
    std::fs::create_dir_all(&traces).unwrap();
    let samples = common::repo().join("assets/guidelines");
    let qwen = common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    let admin = [("BEDSIDE_USER", "admin"), ("BEDSIDE_PASSWORD", ADMIN_PW)];
    let nurse = [
        ("BEDSIDE_USER", "nurse.wang"),
        ("BEDSIDE_PASSWORD", NURSE_PW),
    ];
    // A question specific enough to be about one patient (with the name it would fall below
    // the grounding threshold and never reach the model, which this test must exercise).
    let question = QUESTION;
    let intake = format!(
        r#"{{"patient":{{"name":"{PATIENT}","age_years":67,"sex":"male"}},
            "complaint":"chest pain since 3 am, ID {PATIENT_ID}","vitals":{{"resp_rate":24,
            "spo2":93,"heart_rate":118,"systolic_bp":95,"temperature_c":38.4,
            "consciousness":"alert"}}}}"#
    );
    let backup = work.path().join("backup.db");
    let steps: Vec<Step> = vec![
        (
            vec![("BEDSIDE_PASSWORD", ADMIN_PW)],
            vec!["init", "--admin", "admin"],
            None,
        ),
        (
            [&admin[..], &[("BEDSIDE_NEW_PASSWORD", "from the admin 1")]].concat(),
            vec!["user", "add", "nurse.wang", "--role", "nurse"],
            None,
        ),
        // The nurse replaces the password the admin chose before anything else.
        (
            vec![
                ("BEDSIDE_USER", "nurse.wang"),
                ("BEDSIDE_PASSWORD", "from the admin 1"),
                ("BEDSIDE_NEW_PASSWORD", NURSE_PW),
            ],
            vec!["user", "passwd"],
            None,
        ),
        (
            admin.to_vec(),
            vec!["library", "import", samples.to_str().unwrap()],
            None,
        ),
        (nurse.to_vec(), vec!["library", "search", "哮喘 症状"], None),
        (
            nurse.to_vec(),
            vec![
                "ask",
                question,
                "--model",
                qwen.to_str().unwrap(),
                "--temperature",
                "0",
                "--max-tokens",
                "24",
                "--threads",
                "2",
            ],
            None,
        ),
        // The model manager, and a remote engine configured but not switched on: the chat
        // answers with the imported model, in a conversation, and still dials nothing.
        (
            admin.to_vec(),
            vec!["model", "import", qwen.to_str().unwrap()],
            None,
        ),
        (admin.to_vec(), vec!["model", "use", "chat", "1"], None),
        (
            admin.to_vec(),
            vec![
                "model",
                "remote",
                "--url",
                "http://10.20.30.40:8000/v1",
                "--model",
                "qwen2.5-7b-instruct",
            ],
            None,
        ),
        (
            nurse.to_vec(),
            vec![
                "ask",
                question,
                "--conversation",
                "new",
                "--temperature",
                "0",
                "--max-tokens",
                "24",
                "--threads",
                "2",
            ],
            None,
        ),
        (vec![], vec!["triage", "--json"], Some(intake)),
        (admin.to_vec(), vec!["audit", "verify"], None),
        (
            admin.to_vec(),
            vec!["backup", backup.to_str().unwrap()],
            None,
        ),
    ];
    let mut logs = String::new();
    for (i, (env, args, stdin)) in steps.iter().enumerate() {
        let trace = traces.join(format!("step-{i}.trace"));
        let out = offline(&data, &trace, env, args, stdin.as_deref());
        logs.push_str(&String::from_utf8_lossy(&out.stderr));
        let traced = std::fs::read_to_string(&trace).unwrap();
        let remote = remote_connects(&traced);
        assert!(remote.is_empty(), "{args:?} tried the network: {remote:#?}");
    }

    for secret in [
        PATIENT,
        PATIENT_ID,
        "哮喘发作",
        ADMIN_PW,
        NURSE_PW,
        PASSPHRASE,
    ] {
        assert!(
            !logs.contains(secret),
            "{secret:?} appeared in the logs:\n{logs}"
        );
    }
    let mut files = vec![backup.clone()];
    // Imported models are copies of public files, and large: not searched.
    let models_dir = data.join("models");
    for entry in walk(&data) {
        if !entry.starts_with(&models_dir) {
            files.push(entry);
        }
    }
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for secret in [PATIENT, PATIENT_ID, "67-year-old", NURSE_PW, PASSPHRASE] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret:?} is readable in {}",
                file.display()
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The detector itself: a process that does try the network is caught.
#[test]
fn offline_trace_catches_a_process_that_dials_out() {
    let work = tempfile::tempdir().unwrap();
    let trace = work.path().join("dial.trace");
    let status = offline_traced(&trace)
        .args(["bash", "-c", "exec 3<>/dev/tcp/10.20.30.40/443"])
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "no route out of the namespace");
    let remote = remote_connects(&std::fs::read_to_string(&trace).unwrap());
    assert_eq!(remote.len(), 1, "{remote:?}");
    assert!(remote[0].contains("10.20.30.40"));
}
