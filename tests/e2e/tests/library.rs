//! An import cut short is announced in the window and resumed from it: an admin's script
//! imports the evaluation corpus while the index's disk fills up; the admin opens Bedside, the
//! Library page says how many files never arrived, and Resume brings in every one of them.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::*;
use fantoccini::Locator;

const PASSPHRASE: &str = "ward seven passphrase";
const ADMIN_PW: &str = "e2e admin pw 1";

/// `bedside --data-dir DATA ARGS` as the admin.
fn cli(data: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(e2e::cli_binary());
    cmd.arg("--data-dir").arg(data).args(args);
    as_admin(&mut cmd).output().unwrap()
}

/// The admin's credentials, and nothing from the developer's shell that would change the run.
fn as_admin(cmd: &mut Command) -> &mut Command {
    for var in ["BEDSIDE_MODEL", "BEDSIDE_DATA_DIR", "BEDSIDE_KEY_FILE"] {
        cmd.env_remove(var);
    }
    cmd.env("BEDSIDE_PASSPHRASE", PASSPHRASE)
        .env("BEDSIDE_USER", "admin")
        .env("BEDSIDE_PASSWORD", ADMIN_PW)
}

fn last_json(out: &Output) -> serde_json::Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_else(|| {
        panic!(
            "no output; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_import_is_announced_and_resumed_from_the_window() {
    let data = tempfile::tempdir().unwrap();
    let init = cli(data.path(), &["init", "--admin", "admin"]);
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );

    // The import runs with the index on a 1 MiB tmpfs (a private mount, gone when it ends):
    // the disk fills and the job stops (here after 25 files).
    let corpus = evaldata().join("guidelines");
    let index = data.path().join("index");
    std::fs::create_dir_all(&index).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=1m none '{}' && exec \"$0\" \"$@\"",
        index.display()
    );
    let mut unshare = Command::new("unshare");
    unshare
        .args(["-rm", "sh", "-c", &script])
        .arg(e2e::cli_binary())
        .arg("--data-dir")
        .arg(data.path())
        .args(["library", "import", corpus.to_str().unwrap(), "--json"]);
    let full = as_admin(&mut unshare)
        .output()
        .expect("unshare is installed by scripts/setup.sh");
    assert!(
        !full.status.success(),
        "the index should have filled up: {}",
        String::from_utf8_lossy(&full.stdout)
    );
    let jobs = last_json(&cli(data.path(), &["library", "jobs", "--json"]));
    let job = jobs["jobs"][0].clone();
    assert_eq!(job["state"], "interrupted", "{job}");
    let files = job["files"].as_u64().unwrap();
    let pending = job["pending"].as_u64().unwrap();
    // How many got in before the disk filled depends on the index's file sizes; that some
    // did not is what matters here.
    assert!(pending > 0, "{job}");
    let id = job["id"].as_i64().unwrap().to_string();

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

    // The Library page says that files are missing, and how many.
    click(&c, "nav-library").await;
    let notice = find(&c, "import-interrupted-notice", long).await;
    assert_eq!(
        notice.attr("data-job-id").await.unwrap().as_deref(),
        Some(id.as_str())
    );
    let said = notice.text().await.unwrap();
    assert!(said.contains(&pending.to_string()), "{said}");
    save_screenshot(&c, "import-interrupted").await;

    click(&c, "import-interrupted-resume").await;
    let row = format!("[data-testid=\"import-job-row\"][data-job-id=\"{id}\"]");
    eventually(long, "the resumed job to finish", || async {
        let row = c.find(Locator::Css(&row)).await.ok()?;
        (row.attr("data-state").await.ok()?.as_deref() == Some("done")).then_some(())
    })
    .await;
    assert!(
        all(&c, "import-interrupted-notice").await.is_empty(),
        "the notice stays after the job finished"
    );
    let (data, _log) = window.close().await;

    // Nothing is missing and nothing came twice.
    let listed = last_json(&cli(data.path(), &["library", "list", "--json"]));
    assert_eq!(
        listed["documents"].as_array().unwrap().len() as u64,
        files,
        "every file of the corpus is in the library"
    );
}
