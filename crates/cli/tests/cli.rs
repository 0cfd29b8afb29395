//! The `bedside` command-line contract (docs/cli.md), exercised through the real binary.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

mod common;

use common::repo;

use common::{bedside_as, ADMIN_PW};

/// Runs `bedside` as the data directory's admin, setting the directory up on first use.
fn bedside(data_dir: &Path, args: &[&str]) -> Output {
    bedside_as(data_dir, "admin", ADMIN_PW, args)
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

#[test]
fn import_then_search_in_chinese_and_english() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("assets/guidelines");
    let out = bedside(
        dir.path(),
        &["library", "import", samples.to_str().unwrap(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["type"], "started");
    let summary = lines.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert!(summary["imported"].as_array().unwrap().len() >= 10);
    assert!(summary["failed"].as_array().unwrap().is_empty());

    let again = json_lines(&bedside(
        dir.path(),
        &["library", "import", samples.to_str().unwrap(), "--json"],
    ));
    let summary = again.last().unwrap();
    assert!(summary["imported"].as_array().unwrap().is_empty());
    assert_eq!(summary["skipped"][0]["reason"], "duplicate");

    let out = bedside(
        dir.path(),
        &[
            "library",
            "search",
            "高血压 诊断标准",
            "--limit",
            "3",
            "--json",
        ],
    );
    assert!(out.status.success());
    let hits = &json_lines(&out)[0]["hits"];
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    for key in [
        "chunk_id",
        "file_name",
        "title",
        "section",
        "page",
        "score",
        "snippet",
    ] {
        assert!(hits[0].get(key).is_some(), "hit lacks {key}: {}", hits[0]);
    }
    assert!(hits[0]["file_name"]
        .as_str()
        .unwrap()
        .starts_with("chinaxiv"));

    let out = bedside(
        dir.path(),
        &["library", "search", "asthma inhaler", "--json"],
    );
    let hits = &json_lines(&out)[0]["hits"];
    assert!(hits[0]["file_name"].as_str().unwrap().contains("asthma"));
}

#[test]
fn import_reports_failures_with_codes_and_still_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("ok.md"), "# Ok\n\nFine text.\n").unwrap();
    std::fs::write(input.path().join("bad.pdf"), "%PDF-1.4 not really").unwrap();
    let out = bedside(
        dir.path(),
        &[
            "library",
            "import",
            input.path().to_str().unwrap(),
            "--json",
        ],
    );
    assert!(out.status.success());
    let summary = json_lines(&out).pop().unwrap();
    assert_eq!(summary["imported"].as_array().unwrap().len(), 1);
    assert_eq!(summary["failed"][0]["code"], "corrupt_document");
}

#[test]
fn model_info_describes_a_gguf_and_refuses_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let qwen = common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    let out = bedside(
        dir.path(),
        &["model", "info", qwen.to_str().unwrap(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = &json_lines(&out)[0];
    assert_eq!(info["architecture"], "qwen2");
    assert_eq!(info["chat_template"], true);
    assert_eq!(info["quantization"], "Q4_K_M");

    let bogus = dir.path().join("notes.gguf");
    std::fs::write(&bogus, "plain text pretending to be a model").unwrap();
    let out = bedside(
        dir.path(),
        &["model", "info", bogus.to_str().unwrap(), "--json"],
    );
    assert!(!out.status.success());
    let err = &json_lines(&out)[0];
    assert_eq!(err["type"], "error");
    assert_eq!(err["code"], "invalid_gguf");
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_gguf"));
}

#[test]
fn ask_streams_json_tokens_then_done_with_citations() {
    let dir = tempfile::tempdir().unwrap();
    let samples = repo().join("assets/guidelines");
    assert!(bedside(
        dir.path(),
        &["library", "import", samples.to_str().unwrap()]
    )
    .status
    .success());
    let qwen = common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    let out = bedside(
        dir.path(),
        &[
            "ask",
            "What are the symptoms of a stroke?",
            "--model",
            qwen.to_str().unwrap(),
            "--temperature",
            "0",
            "--max-tokens",
            "120",
            "--threads",
            "2",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    let (done, tokens) = lines.split_last().unwrap();
    assert!(tokens.len() > 3, "expected streamed tokens");
    assert!(tokens.iter().all(|t| t["type"] == "token"));
    assert_eq!(done["type"], "done");
    let text: String = tokens.iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert_eq!(done["answer"].as_str().unwrap(), text);
    let citations = done["citations"].as_array().unwrap();
    assert!(!citations.is_empty(), "no citation in {text}");
    for c in citations {
        for key in ["n", "chunk_id", "file_name", "section", "quote"] {
            assert!(c.get(key).is_some(), "citation lacks {key}");
        }
    }
    for key in ["prompt_tokens", "generated_tokens", "ttft_ms", "tok_per_s"] {
        assert!(done["stats"].get(key).is_some(), "stats lack {key}");
    }
}

#[test]
fn ask_with_a_broken_model_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("broken.gguf");
    std::fs::write(&bogus, [0u8; 64]).unwrap();
    let out = bedside(
        dir.path(),
        &[
            "ask",
            "anything",
            "--model",
            bogus.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["code"], "invalid_gguf");
}

#[test]
fn retrieval_eval_on_the_dev_questions_meets_the_recall_goals() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = common::evaldata().join("guidelines");
    assert!(
        bedside(dir.path(), &["library", "import", corpus.to_str().unwrap()])
            .status
            .success()
    );
    let questions = common::evaldata().join("retrieval_questions.dev.jsonl");
    let out = bedside(
        dir.path(),
        &[
            "eval",
            "retrieval",
            "--questions",
            questions.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let groups = &json_lines(&out)[0]["groups"];
    let total = std::fs::read_to_string(&questions)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(groups["all"]["questions"], total);
    let n = |g: &str| groups[g]["questions"].as_u64().unwrap_or(0);
    assert_eq!(n("en") + n("zh") + n("cross"), total as u64);
    // The goals the library issue sets: recall@5 of at least 0.9 in English, 0.8 in Chinese.
    assert!(
        groups["en"]["recall_at_5"].as_f64().unwrap() >= 0.9,
        "{groups}"
    );
    assert!(
        groups["zh"]["recall_at_5"].as_f64().unwrap() >= 0.8,
        "{groups}"
    );
    // The passage a question is about is among the first five for most English questions
    // (0.853 measured; 0.766 before passages holding the question's own words were ranked
    // above those that only name the document's subject).
    assert!(
        groups["en"]["passage_hit_at_5"].as_f64().unwrap() >= 0.84,
        "{groups}"
    );
    for key in [
        "recall_at_1",
        "recall_at_10",
        "mrr_at_10",
        "passage_hit_at_5",
    ] {
        assert!(groups["all"].get(key).is_some(), "missing {key}");
    }
}

#[test]
fn retrieval_eval_refuses_a_file_that_is_not_questions() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("q.jsonl");
    std::fs::write(&bogus, "this is not json\n").unwrap();
    let out = bedside(
        dir.path(),
        &[
            "eval",
            "retrieval",
            "--questions",
            bogus.to_str().unwrap(),
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["code"], "invalid_input");
}

/// `bedside triage --json` with `json` on stdin: no login, nothing stored.
fn triage(json: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    common::run_with_stdin(dir.path(), &[], &["triage", "--json"], json)
}

#[test]
fn triage_grades_an_intake_from_stdin() {
    let out = triage(
        r#"{"patient":{"name":"李四","age_years":67,"sex":"female"},"complaint":"气促",
            "vitals":{"resp_rate":26,"spo2":90,"on_oxygen":false,"systolic_bp":96,"diastolic_bp":60,
                      "heart_rate":118,"temperature_c":38.4,"consciousness":"alert","pain":3},
            "esi":{"lifesaving_intervention":false,"high_risk":false,"new_confusion":false,
                   "severe_pain_or_distress":false,"expected_resources":3}}"#,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let g = &json_lines(&out)[0];
    assert_eq!(g["news2"]["score"], 11);
    assert_eq!(g["news2"]["risk"], "high");
    assert_eq!(g["news2"]["parameters"]["resp_rate"]["points"], 3);
    assert_eq!(g["news2"]["missing"].as_array().unwrap().len(), 0);
    assert_eq!(g["esi"]["level"], 2);
    assert_eq!(
        g["esi"]["path"].as_array().unwrap().last().unwrap()["point"],
        "D"
    );
    assert_eq!(g["cn"]["level"], 2);
    assert_eq!(g["cn"]["zone"], "red");
    assert!(g["cn"]["response_minutes"].is_u64());
}

#[test]
fn triage_without_vitals_still_grades_and_lists_what_is_missing() {
    let out = triage(r#"{"complaint":"cardiac arrest","esi":{"lifesaving_intervention":true}}"#);
    assert!(out.status.success());
    let g = &json_lines(&out)[0];
    assert_eq!(g["esi"]["level"], 1);
    assert_eq!(g["cn"]["level"], 1);
    assert_eq!(g["news2"]["complete"], false);
    assert_eq!(g["news2"]["missing"].as_array().unwrap().len(), 7);
}

#[test]
fn triage_refuses_bad_input_naming_the_field() {
    let out = triage(r#"{"vitals":{"heart_rate":400}}"#);
    assert_eq!(out.status.code(), Some(1));
    let e = &json_lines(&out)[0];
    assert_eq!(e["code"], "impossible_value");
    assert_eq!(e["field"], "vitals.heart_rate");

    let out = triage(r#"{"vitals":{"hart_rate":80}}"#);
    assert_eq!(out.status.code(), Some(1));
    let e = &json_lines(&out)[0];
    assert_eq!(e["code"], "invalid_intake");
    assert!(e["message"].as_str().unwrap().contains("hart_rate"));
}

#[test]
fn bench_engine_reports_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let qwen = common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    let out = bedside(
        dir.path(),
        &[
            "bench",
            "engine",
            "--model",
            qwen.to_str().unwrap(),
            "--threads",
            "2",
            "--runs",
            "1",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = &json_lines(&out)[0];
    let b = &report["bedside"];
    for key in [
        "prompt_tok_per_s",
        "decode_tok_per_s",
        "ttft_cold_ms",
        "ttft_cached_ms",
        "peak_rss_mib",
    ] {
        assert!(
            b[key].as_f64().unwrap_or(0.0) > 0.0,
            "{key} missing or zero: {b}"
        );
    }
    assert!(b["prompt_tokens"].as_u64().unwrap() > 400, "{b}");
    assert!(b["context_tokens"].as_u64().unwrap() > 400, "{b}");
    assert!(report["llama_bench"].is_null() && report["ratio"].is_null());
}

#[test]
fn an_import_killed_midway_is_listed_as_interrupted_and_resumes_to_the_end() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    common::init(dir.path());
    let corpus = common::evaldata().join("guidelines");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bedside"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["library", "import", corpus.to_str().unwrap(), "--json"])
        .env("BEDSIDE_PASSPHRASE", common::PASSPHRASE)
        .env("BEDSIDE_USER", "admin")
        .env("BEDSIDE_PASSWORD", ADMIN_PW)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let started: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(started["type"], "started");
    let job = started["job_id"].as_i64().unwrap();
    let total = started["total"].as_u64().unwrap();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["type"], "file");
    // Killed as a power cut would: no chance to write anything more.
    child.kill().unwrap();
    child.wait().unwrap();

    let jobs = json_lines(&bedside(dir.path(), &["library", "jobs", "--json"]));
    let listed = &jobs[0]["jobs"][0];
    assert_eq!(listed["id"], job);
    assert_eq!(listed["state"], "interrupted");
    let pending = listed["pending"].as_u64().unwrap();
    assert!(pending > 0 && pending < total, "{listed}");

    let out = bedside(
        dir.path(),
        &["library", "resume", &job.to_string(), "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["done"].as_u64().unwrap(), total - pending);
    let summary = lines.last().unwrap();
    assert_eq!(summary["job_id"], job);
    let tried = ["imported", "skipped", "failed"]
        .iter()
        .map(|k| summary[k].as_array().unwrap().len() as u64)
        .sum::<u64>();
    assert_eq!(
        tried, pending,
        "the resumed run tried exactly the files left"
    );

    let jobs = json_lines(&bedside(dir.path(), &["library", "jobs", "--json"]));
    let listed = &jobs[0]["jobs"][0];
    assert_eq!(
        (listed["state"].as_str(), listed["pending"].as_u64()),
        (Some("done"), Some(0))
    );
    // Every file of the corpus is in the library once, searchable: nothing lost, nothing twice.
    let docs = json_lines(&bedside(dir.path(), &["library", "list", "--json"]));
    let imported = listed["imported"].as_u64().unwrap();
    assert_eq!(
        docs[0]["documents"].as_array().unwrap().len() as u64,
        imported
    );
    let again = bedside(
        dir.path(),
        &["library", "resume", &job.to_string(), "--json"],
    );
    assert!(!again.status.success());
    assert_eq!(common::error_code(&again), "import_finished");
}

#[test]
fn an_import_that_fills_the_disk_stops_and_its_resume_imports_every_file() {
    // The index on a small tmpfs (a private mount), at three sizes: full at the first commit,
    // at a later one, and while passages are being added. Wherever the disk fills, the job
    // stops with no file blamed for it, and its resume brings in the whole corpus.
    for size in ["256k", "1m", "2m"] {
        import_into_a_full_index_then_resume(size);
    }
}

fn import_into_a_full_index_then_resume(size: &str) {
    let dir = tempfile::tempdir().unwrap();
    common::init(dir.path());
    let corpus = common::evaldata().join("guidelines");
    let index = dir.path().join(clinic::INDEX_DIR);
    std::fs::create_dir_all(&index).unwrap();
    let script = format!(
        "mount -t tmpfs -o size={size} none '{}' && exec \"$0\" \"$@\"",
        index.display()
    );
    let full = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .arg(env!("CARGO_BIN_EXE_bedside"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["library", "import", corpus.to_str().unwrap(), "--json"])
        .env("BEDSIDE_PASSPHRASE", common::PASSPHRASE)
        .env("BEDSIDE_USER", "admin")
        .env("BEDSIDE_PASSWORD", ADMIN_PW)
        .output()
        .expect("unshare is installed by scripts/setup.sh");
    assert!(
        !full.status.success(),
        "{size}: the index should have run out of space: {}",
        String::from_utf8_lossy(&full.stdout)
    );
    assert_eq!(common::error_code(&full), "index_error", "{size}");
    let total = json_lines(&full)[0]["total"].as_u64().unwrap();

    let jobs = json_lines(&bedside(dir.path(), &["library", "jobs", "--json"]));
    let job = &jobs[0]["jobs"][0];
    assert_eq!(job["state"], "interrupted", "{size}: {job}");
    assert_eq!(
        job["failed"], 0,
        "{size}: a full disk is no file's fault: {job}"
    );
    let docs = |d: &Path| {
        json_lines(&bedside(d, &["library", "list", "--json"]))[0]["documents"]
            .as_array()
            .unwrap()
            .len() as u64
    };
    // What the job counts as imported is exactly what the library holds.
    assert_eq!(
        job["imported"].as_u64().unwrap(),
        docs(dir.path()),
        "{size}: {job}"
    );

    let id = job["id"].as_i64().unwrap().to_string();
    let out = bedside(dir.path(), &["library", "resume", &id, "--json"]);
    assert!(
        out.status.success(),
        "{size}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = json_lines(&out).pop().unwrap();
    assert!(
        summary["failed"].as_array().unwrap().is_empty(),
        "{size}: {summary}"
    );
    assert_eq!(
        docs(dir.path()),
        total,
        "{size}: every file of the corpus is in the library"
    );
}
