//! Accounts, roles, audit, backup and encryption through the real `bedside` binary.

mod common;

use common::repo;

use std::path::Path;

use common::{add_user, bedside_as, error_code, init, run, ADMIN_PW, PASSPHRASE};
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

/// Every subcommand that touches stored data, with arguments that pass the role check, and
/// the roles allowed to run it. A subcommand added later belongs here.
fn data_subcommands(dir: &Path) -> Vec<(Vec<String>, &'static [&'static str])> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let samples = repo().join("assets/guidelines").display().to_string();
    let questions = dir.join("questions.jsonl");
    std::fs::write(
        &questions,
        r#"{"id":"q1","lang":"en","question":"What are the symptoms of asthma?","expected_doc":"nhlbi_0000010_asthma.md"}"#,
    )
    .unwrap();
    let questions = questions.display().to_string();
    let model = common::models()
        .join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        .display()
        .to_string();
    let snap = dir.join("matrix-backup.db").display().to_string();
    // A valid GGUF header with no tensors: enough for the registry.
    let tiny = dir.join("tiny.gguf");
    let gguf = llm::gguf::minimal_file(&[("general.architecture", "llama")]);
    std::fs::write(&tiny, gguf).unwrap();
    let tiny = tiny.display().to_string();
    const ALL: &[&str] = &["nurse", "clinician", "admin"];
    const ADMIN: &[&str] = &["admin"];
    const CLINICAL: &[&str] = &["nurse", "clinician"];
    vec![
        (s(&["library", "search", "asthma"]), ALL),
        (
            s(&[
                "ask",
                "What are the symptoms of asthma?",
                "--model",
                &model,
                "--max-tokens",
                "1",
            ]),
            ALL,
        ),
        (s(&["library", "import", &samples]), ADMIN),
        (s(&["library", "rebuild"]), ADMIN),
        (s(&["library", "jobs"]), ADMIN),
        (s(&["eval", "retrieval", "--questions", &questions]), ADMIN),
        (s(&["board"]), CLINICAL),
        (s(&["library", "list"]), ALL),
        (s(&["user", "list"]), ADMIN),
        (s(&["audit", "verify"]), ADMIN),
        (s(&["audit", "list"]), ADMIN),
        (s(&["audit", "name-digest", "dr.wu"]), ADMIN),
        (s(&["audit", "export", "--format", "jsonl"]), ADMIN),
        (s(&["model", "import", &tiny]), ADMIN),
        (s(&["model", "list"]), ADMIN),
        (s(&["model", "use", "drafting", "default"]), ADMIN),
        (
            s(&["model", "sampling", "chat", "--temperature", "0.3"]),
            ADMIN,
        ),
        (s(&["model", "threads"]), ADMIN),
        (s(&["model", "remote"]), ADMIN),
        (s(&["backup", &snap]), ADMIN),
        (s(&["restore", &snap]), ADMIN),
    ]
}

#[test]
fn every_data_subcommand_refuses_the_roles_its_policy_leaves_out() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    add_user(dir.path(), "dr.li", "clinician", "clinician pw 1");
    let users = [
        ("nurse", "nurse.wang", "nurse pw 11"),
        ("clinician", "dr.li", "clinician pw 1"),
        ("admin", "admin", ADMIN_PW),
    ];
    for (args, allowed) in data_subcommands(dir.path()) {
        for (role, user, pw) in users {
            let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
            argv.push("--json");
            let out = bedside_as(dir.path(), user, pw, &argv);
            if allowed.contains(&role) {
                assert!(
                    out.status.success(),
                    "{role} may run {args:?} but it failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            } else {
                assert_eq!(error_code(&out), "forbidden", "{role} running {args:?}");
            }
        }
        // And nobody at all: a typed error, not a crash or a prompt.
        let out = run(dir.path(), &[("BEDSIDE_PASSPHRASE", PASSPHRASE)], &{
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            a.push("--json");
            a
        });
        assert_eq!(error_code(&out), "not_authenticated", "{args:?}");
    }
}

#[test]
fn init_creates_an_encrypted_database_and_refuses_to_run_twice() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[("BEDSIDE_PASSWORD", ADMIN_PW)],
        &["init", "--admin", "admin", "--json"],
    );
    assert!(
        error_code(&out) == "invalid_input",
        "no passphrase and no terminal: refused"
    );
    assert!(!dir.path().join("bedside.db").exists());
    let out = run(
        dir.path(),
        &[
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_PASSPHRASE", "short"),
        ],
        &["init", "--admin", "admin", "--json"],
    );
    assert_eq!(error_code(&out), "weak_passphrase");
    init(dir.path());
    let bytes = std::fs::read(dir.path().join("bedside.db")).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    let again = run(
        dir.path(),
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
        ],
        &["init", "--admin", "other", "--json"],
    );
    assert_eq!(error_code(&again), "invalid_input");
    let wrong = run(
        dir.path(),
        &[
            ("BEDSIDE_PASSPHRASE", "not the passphrase"),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
        ],
        &["library", "search", "x", "--json"],
    );
    assert_eq!(error_code(&wrong), "db_cannot_decrypt");
    let locked = run(
        dir.path(),
        &[("BEDSIDE_USER", "admin")],
        &["user", "list", "--json"],
    );
    assert_eq!(error_code(&locked), "passphrase_required");
}

#[test]
fn a_key_file_replaces_the_passphrase_and_must_be_private() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("keys/ward7.key");
    std::fs::create_dir_all(key.parent().unwrap()).unwrap();
    let key_s = key.display().to_string();
    let out = run(
        &dir.path().join("data"),
        &[("BEDSIDE_PASSWORD", ADMIN_PW), ("BEDSIDE_KEY_FILE", &key_s)],
        &["init", "--admin", "admin", "--key-file", "--json"],
    );
    assert_eq!(json(&out)["key_file"], key_s.as_str());
    let list = |env: &[(&str, &str)]| {
        let mut all = vec![("BEDSIDE_USER", "admin"), ("BEDSIDE_PASSWORD", ADMIN_PW)];
        all.extend_from_slice(env);
        run(&dir.path().join("data"), &all, &["user", "list", "--json"])
    };
    assert_eq!(
        json(&list(&[("BEDSIDE_KEY_FILE", &key_s)]))["users"][0]["username"],
        "admin"
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(
        error_code(&list(&[("BEDSIDE_KEY_FILE", &key_s)])),
        "key_file_unusable"
    );
}

#[test]
fn users_are_listed_without_secrets_and_disabled_users_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let list = bedside_as(dir.path(), "admin", ADMIN_PW, &["user", "list", "--json"]);
    let text = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(
        !text.contains("argon2") && !text.contains("password_hash"),
        "{text}"
    );
    assert_eq!(json(&list)["users"].as_array().unwrap().len(), 2);
    let out = bedside_as(
        dir.path(),
        "admin",
        ADMIN_PW,
        &["user", "disable", "nurse.wang", "--json"],
    );
    assert_eq!(json(&out)["disabled"], true);
    let out = bedside_as(
        dir.path(),
        "nurse.wang",
        "nurse pw 11",
        &["library", "search", "x", "--json"],
    );
    assert_eq!(error_code(&out), "account_disabled");
    // Without the right password, nobody learns that the account exists or is disabled.
    let out = bedside_as(
        dir.path(),
        "nurse.wang",
        "wrong pw 11",
        &["library", "search", "x", "--json"],
    );
    assert_eq!(error_code(&out), "bad_credentials");
}

/// `--user` (and `BEDSIDE_USER`) names who runs the command; it once doubled as the listing's
/// filter, so every admin saw only their own rows.
#[test]
fn audit_list_shows_every_users_rows_unless_narrowed_by_user() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let list = |args: &[&str]| {
        let mut all = vec!["audit", "list", "--json"];
        all.extend_from_slice(args);
        let out = bedside_as(dir.path(), "admin", ADMIN_PW, &all);
        json(&out)["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["username"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let everyone = list(&[]);
    assert!(everyone.iter().any(|u| u == "nurse.wang"), "{everyone:?}");
    assert!(everyone.iter().any(|u| u == "admin"), "{everyone:?}");
    assert!(
        everyone.iter().any(|u| u.is_empty()),
        "Bedside's own rows: {everyone:?}"
    );
    let nurse = list(&["--by", "nurse.wang"]);
    assert!(
        !nurse.is_empty() && nurse.iter().all(|u| u == "nurse.wang"),
        "{nurse:?}"
    );
}

#[test]
fn audit_verify_catches_an_edited_row_and_export_writes_every_row() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let _ = bedside_as(
        dir.path(),
        "nurse.wang",
        "bad password",
        &["user", "list", "--json"],
    );
    let verify = || {
        bedside_as(
            dir.path(),
            "admin",
            ADMIN_PW,
            &["audit", "verify", "--json"],
        )
    };
    let ok = json(&verify());
    assert_eq!(ok["intact"], true);
    let csv = dir.path().join("audit.csv");
    let out = bedside_as(
        dir.path(),
        "admin",
        ADMIN_PW,
        &["audit", "export", "--out", csv.to_str().unwrap(), "--json"],
    );
    let rows = json(&out)["rows"].as_u64().unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count() as u64, rows + 1);
    assert!(text.contains(",login,user,nurse.wang,denied,"), "{text}");

    // Someone with the passphrase rewrites the failed login through SQL.
    let conn = rusqlite::Connection::open(dir.path().join("bedside.db")).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA key = '{PASSPHRASE}';
         DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET outcome = 'ok' WHERE outcome = 'denied';"
    ))
    .unwrap();
    drop(conn);
    let broken = verify();
    assert_eq!(error_code(&broken), "db_tampered");
    let report: Value = serde_json::from_str(
        String::from_utf8_lossy(&broken.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(report["intact"], false);
    assert!(report["report"]["first_broken"].as_i64().unwrap() > 1);
}

#[test]
fn backup_and_restore_round_trip_and_a_flipped_byte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("assets/guidelines");
    let admin = |args: &[&str]| bedside_as(dir.path(), "admin", ADMIN_PW, args);
    let snap = dir.path().join("snap.db");
    let out = admin(&["backup", snap.to_str().unwrap(), "--json"]);
    assert_eq!(json(&out)["snapshot"]["documents"], 0);
    let out = admin(&["library", "import", samples.to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let hits = |out: std::process::Output| json(&out)["hits"].as_array().unwrap().len();
    assert!(hits(admin(&["library", "search", "asthma", "--json"])) > 0);

    let mut bytes = std::fs::read(&snap).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 0x10;
    let bad = dir.path().join("bad.db");
    std::fs::write(&bad, bytes).unwrap();
    assert_eq!(
        error_code(&admin(&["restore", bad.to_str().unwrap(), "--json"])),
        "bad_snapshot"
    );
    assert!(
        hits(admin(&["library", "search", "asthma", "--json"])) > 0,
        "untouched"
    );

    let out = admin(&["restore", snap.to_str().unwrap(), "--json"]);
    assert_eq!(json(&out)["snapshot"]["documents"], 0);
    assert_eq!(hits(admin(&["library", "search", "asthma", "--json"])), 0);
}

#[test]
fn store_benchmark_compares_encrypted_with_plain_on_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("assets/guidelines");
    let out = run(
        dir.path(),
        &[],
        &[
            "bench",
            "store",
            "--corpus",
            samples.to_str().unwrap(),
            "--repeat",
            "2",
            "--json",
        ],
    );
    let r = json(&out);
    assert!(r["documents"].as_u64().unwrap() >= 20);
    assert!(r["chunks"].as_u64().unwrap() > r["documents"].as_u64().unwrap());
    for side in ["encrypted", "plain"] {
        for figure in [
            "insert_docs_per_s",
            "read_chunks_per_s",
            "open_ms",
            "file_bytes",
        ] {
            assert!(r[side][figure].as_f64().unwrap() > 0.0, "{side}.{figure}");
        }
    }
    for ratio in ["insert_ratio", "read_ratio", "open_ratio"] {
        assert!(r[ratio].as_f64().unwrap() > 0.0, "{ratio}");
    }
    let bad = run(
        dir.path(),
        &[],
        &["bench", "store", "--corpus", "/no/such/dir", "--json"],
    );
    assert_eq!(error_code(&bad), "invalid_input");
}

#[test]
fn search_benchmark_compares_tantivy_with_fts5_and_wins_on_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let questions = dir.path().join("q.jsonl");
    std::fs::write(
        &questions,
        [
            r#"{"id":"z1","lang":"zh","question":"美国2017年高血压诊断标准是什么？","expected_doc":"zh/chinaxiv_201902.00029.md"}"#,
            r#"{"id":"z2","lang":"zh","question":"新冠肺炎如何自我防护？","expected_doc":"zh/covid19_self_protection_zh.md"}"#,
            r#"{"id":"e1","lang":"en","question":"What are the symptoms of asthma?","expected_doc":"en/nhlbi_0000010_asthma.md"}"#,
            r#"{"id":"e2","lang":"en","question":"How is sleep apnea treated?","expected_doc":"en/nhlbi_0000118_sleep_apnea.md"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let samples = repo().join("assets/guidelines");
    let out = run(
        dir.path(),
        &[],
        &[
            "bench",
            "search",
            "--corpus",
            samples.to_str().unwrap(),
            "--questions",
            questions.to_str().unwrap(),
            "--scale",
            "2",
            "--json",
        ],
    );
    let r = json(&out);
    assert_eq!(r["questions"], 4);
    assert_eq!(r["passages"], r["base_passages"].as_u64().unwrap() * 2);
    assert_eq!(r["tantivy"]["recall_at_5"]["zh"], 1.0);
    assert_eq!(r["tantivy"]["recall_at_5"]["en"], 1.0);
    assert!(
        r["fts5"]["recall_at_5"]["zh"].as_f64().unwrap() < 1.0,
        "FTS5's unicode61 tokenizer cannot split Chinese: {r}"
    );
    for engine in ["tantivy", "fts5"] {
        let p50 = r[engine]["p50_ms"].as_f64().unwrap();
        let p95 = r[engine]["p95_ms"].as_f64().unwrap();
        assert!(p50 > 0.0 && p95 >= p50, "{engine}: {p50} {p95}");
    }
}

#[test]
fn documents_are_listed_with_versions_and_an_admin_deletes_one() {
    let dir = tempfile::tempdir().unwrap();
    // Outside the data directory: an import never reads inside it.
    let files = tempfile::tempdir().unwrap();
    let folder = files.path().join("g");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("sepsis.md");
    let admin = |args: &[&str]| bedside_as(dir.path(), "admin", ADMIN_PW, args);
    std::fs::write(&file, "# Sepsis\n\nAntibiotics within three hours.\n").unwrap();
    assert!(admin(&["library", "import", folder.to_str().unwrap()])
        .status
        .success());
    std::fs::write(&file, "# Sepsis\n\nAntibiotics within one hour.\n").unwrap();
    let out = admin(&["library", "import", folder.to_str().unwrap(), "--json"]);
    let summary = json(&out);
    let new_id = summary["imported"][0]["document_id"].as_i64().unwrap();
    let old_id = summary["imported"][0]["replaces"].as_i64().unwrap();
    let docs = json(&admin(&["library", "list", "--json"]));
    let docs = docs["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        (docs[0]["id"].as_i64(), docs[0]["version"].as_i64()),
        (Some(new_id), Some(2))
    );
    assert_eq!(docs[1]["superseded_by"].as_i64(), Some(new_id));
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let out = bedside_as(
        dir.path(),
        "nurse.wang",
        "nurse pw 11",
        &["library", "delete", &new_id.to_string(), "--json"],
    );
    assert_eq!(error_code(&out), "forbidden");
    assert_eq!(
        json(&admin(&[
            "library",
            "delete",
            &new_id.to_string(),
            "--json"
        ]))["deleted"],
        new_id
    );
    let hits = json(&admin(&["library", "search", "antibiotics", "--json"]));
    assert_eq!(hits["hits"][0]["doc_id"].as_i64(), Some(old_id));
}

#[test]
fn import_benchmark_reports_throughput_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("assets/guidelines");
    let r = json(&run(
        dir.path(),
        &[],
        &[
            "bench",
            "import",
            "--corpus",
            samples.to_str().unwrap(),
            "--json",
        ],
    ));
    assert!(r["imported"].as_u64().unwrap() >= 10);
    assert_eq!(r["failed"], 0);
    assert!(r["passages"].as_u64().unwrap() > r["imported"].as_u64().unwrap());
    for figure in [
        "seconds",
        "files_per_minute",
        "mb_per_minute",
        "peak_rss_mib",
    ] {
        assert!(r[figure].as_f64().unwrap() > 0.0, "{figure}");
    }
}

/// A password set by `user add` or `user reset-password` is known to the admin: until its
/// owner replaces it with `user passwd`, every data subcommand is refused.
#[test]
fn a_password_an_admin_set_must_be_changed_before_any_data_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let reset = run(
        dir.path(),
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_NEW_PASSWORD", "admin knows this 1"),
        ],
        &["user", "reset-password", "nurse.wang"],
    );
    assert!(reset.status.success());
    let board = bedside_as(
        dir.path(),
        "nurse.wang",
        "admin knows this 1",
        &["board", "--json"],
    );
    assert_eq!(error_code(&board), "password_change_required");
    let passwd = |current: &str, new: &str| {
        run(
            dir.path(),
            &[
                ("BEDSIDE_PASSPHRASE", PASSPHRASE),
                ("BEDSIDE_USER", "nurse.wang"),
                ("BEDSIDE_PASSWORD", current),
                ("BEDSIDE_NEW_PASSWORD", new),
            ],
            &["user", "passwd", "--json"],
        )
    };
    assert_eq!(
        error_code(&passwd("a wrong guess 1", "mine now 12")),
        "bad_credentials"
    );
    assert_eq!(
        error_code(&passwd("admin knows this 1", "admin knows this 1")),
        "weak_password",
        "the new password must differ"
    );
    let changed = passwd("admin knows this 1", "mine now 12");
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    let board = bedside_as(
        dir.path(),
        "nurse.wang",
        "mine now 12",
        &["board", "--json"],
    );
    assert!(
        board.status.success(),
        "{}",
        String::from_utf8_lossy(&board.stderr)
    );
    let old = bedside_as(
        dir.path(),
        "nurse.wang",
        "admin knows this 1",
        &["board", "--json"],
    );
    assert_eq!(error_code(&old), "bad_credentials");
}
