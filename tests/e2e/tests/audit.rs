//! The audit log's check at start, in the real window: when the log ends before the head
//! written down beside the data directory (rows were cut off its end behind Bedside's back),
//! the admin who logs in next sees it on every page, the finding is in the log, and it keeps
//! waiting after a restart until an admin acknowledges it.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::*;

const PASSPHRASE: &str = "ward seven passphrase";
const ADMIN_PW: &str = "e2e admin pw 1";

/// `bedside --data-dir DATA ARGS` as the admin.
fn cli(data: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(e2e::cli_binary());
    for var in ["BEDSIDE_MODEL", "BEDSIDE_DATA_DIR", "BEDSIDE_KEY_FILE"] {
        cmd.env_remove(var);
    }
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .env("BEDSIDE_PASSPHRASE", PASSPHRASE)
        .env("BEDSIDE_USER", "admin")
        .env("BEDSIDE_PASSWORD", ADMIN_PW)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no output; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"))
}

/// Where Bedside writes the head of `data`'s log down: beside it, never in it.
fn head_file(data: &Path) -> PathBuf {
    let dir = data.canonicalize().unwrap();
    let name = format!("{}.audit-head", dir.file_name().unwrap().to_string_lossy());
    dir.parent().unwrap().join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_cut_short_is_shown_to_the_admin_at_the_next_start() {
    let data = tempfile::tempdir().unwrap();
    let init = cli(data.path(), &["init", "--admin", "admin"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    let verified = json(&cli(data.path(), &["audit", "verify", "--json"]));
    assert_eq!(verified["intact"], true, "{verified}");
    let head_id = verified["report"]["head_id"].as_i64().unwrap();
    let file = head_file(data.path());
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(
        before.contains(" login "),
        "the CLI's login wrote the head down: {before}"
    );

    // The head file remembers the log reaching five rows further than the database now does:
    // what Bedside finds after someone with the key deleted the last five rows.
    let hash = "ab".repeat(32);
    writeln!(
        std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap(),
        "2026-12-05T08:00:00Z logout {} {hash}",
        head_id + 5
    )
    .unwrap();

    let window = open_window_on(data, "app.log", &[]).await;
    let c = window.client.clone();
    let long = Duration::from_secs(240);
    type_into(&c, "passphrase-input", PASSPHRASE).await;
    click(&c, "passphrase-submit").await;
    find(&c, "login-form", long).await;
    type_into(&c, "login-username", "admin").await;
    type_into(&c, "login-password", ADMIN_PW).await;
    click(&c, "login-submit").await;
    find(&c, "current-user", long).await;

    let alarm = find(&c, "audit-alarm", long).await;
    let text = alarm.text().await.unwrap();
    assert!(text.contains("cut off the end of the log"), "{text}");
    let findings = find(&c, "audit-alarm-findings", long).await;
    assert_eq!(
        findings.attr("data-intact").await.unwrap().as_deref(),
        Some("false")
    );
    // On every page, not only the first.
    click(&c, "nav-library").await;
    find(&c, "audit-alarm", long).await;
    save_screenshot(&c, "audit-alarm").await;
    let (data, _log) = window.close().await;

    // The finding is in the log itself and in the head file, which now starts again from the
    // log as it was found.
    let alarms = json(&cli(
        data.path(),
        &["audit", "list", "--action", "audit_alarm", "--json"],
    ));
    let row = &alarms["rows"][0];
    assert_eq!(row["outcome"], "failed", "{alarms}");
    assert!(
        row["detail"].as_str().unwrap().contains("rows_missing"),
        "{row}"
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.lines().any(|l| l.contains(" alarm ")), "{after}");

    // The next start finds nothing new, but the alarm waits for an admin to take it on.
    let window = open_window_on(data, "app2.log", &[]).await;
    let c = window.client.clone();
    type_into(&c, "passphrase-input", PASSPHRASE).await;
    click(&c, "passphrase-submit").await;
    find(&c, "login-form", long).await;
    type_into(&c, "login-username", "admin").await;
    type_into(&c, "login-password", ADMIN_PW).await;
    click(&c, "login-submit").await;
    find(&c, "current-user", long).await;
    find(&c, "audit-alarm-recorded", long).await;
    assert!(
        all(&c, "audit-alarm-findings").await.is_empty(),
        "this start found nothing new"
    );
    click(&c, "audit-alarm-ack").await;
    eventually(long, "the alarm banner to go", || async {
        all(&c, "audit-alarm").await.is_empty().then_some(())
    })
    .await;
    let (data, _log) = window.close().await;
    let acks = json(&cli(
        data.path(),
        &["audit", "list", "--action", "audit_alarm_ack", "--json"],
    ));
    assert_eq!(acks["rows"][0]["username"], "admin", "{acks}");
}
