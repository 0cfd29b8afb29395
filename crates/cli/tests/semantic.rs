//! Search by meaning through the CLI, with the built-in embedding model: the import embeds, a
//! question in other words finds its passage, `ask`'s passages are `library search`'s first,
//! and the evaluation reports the questions the library cannot answer apart.

mod common;

use std::path::Path;
use std::process::Output;

use common::{init, run, ADMIN_PW, PASSPHRASE};
use serde_json::Value;

fn as_admin(data: &Path, args: &[&str]) -> Output {
    init(data);
    let model = common::models().join("multilingual-e5-small-q4_0.gguf");
    assert!(model.exists(), "run scripts/fetch-models.sh");
    let out = run(
        data,
        &[
            ("BEDSIDE_PASSPHRASE", PASSPHRASE),
            ("BEDSIDE_USER", "admin"),
            ("BEDSIDE_PASSWORD", ADMIN_PW),
            ("BEDSIDE_EMBED_MODEL", model.to_str().unwrap()),
        ],
        args,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn library(dir: &Path) -> std::path::PathBuf {
    let files = dir.join("guidelines");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("ncp_plan.md"),
        "# Diagnosis and treatment plan for novel coronavirus pneumonia\n\n## Epidemiology\n\n\
         Based on the current epidemiological investigation, the incubation period is one to 14 \
         days, mostly three to seven days.\n\n## Treatment\n\nPatients are isolated in \
         designated hospitals and given oxygen.\n",
    )
    .unwrap();
    std::fs::write(
        files.join("incubators.md"),
        "# Care of incubators in the neonatal unit\n\n## Cleaning\n\nIncubators are wiped with \
         detergent daily. The period between deep cleans is seven days at most.\n",
    )
    .unwrap();
    files
}

#[test]
fn the_import_embeds_and_a_synonym_finds_its_passage() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = library(dir.path());
    let out = as_admin(
        &data,
        &["library", "import", files.to_str().unwrap(), "--json"],
    );
    let events = lines(&out);
    let last = events
        .iter()
        .rev()
        .find(|e| e["type"] == "embedding")
        .expect("an embedding event");
    assert_eq!(last["embedded"], last["total"]);

    let q = "What is the incubation period of COVID-19?";
    let out = as_admin(&data, &["library", "search", q, "--limit", "3", "--json"]);
    let hits = lines(&out)[0]["hits"].as_array().unwrap().clone();
    assert!(
        hits[0]["section"]
            .as_str()
            .unwrap()
            .contains("Epidemiology"),
        "{hits:?}"
    );
    assert!(hits[0]["similarity"].as_f64().unwrap() > 0.0);
    // The first hit of a shorter list is the first of the longer one.
    let out = as_admin(&data, &["library", "search", q, "--limit", "1", "--json"]);
    assert_eq!(lines(&out)[0]["hits"][0]["chunk_id"], hits[0]["chunk_id"]);
}

#[test]
fn the_evaluation_reports_out_of_scope_questions_apart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = library(dir.path());
    as_admin(
        &data,
        &["library", "import", files.to_str().unwrap(), "--json"],
    );
    let questions = dir.path().join("q.jsonl");
    std::fs::write(
        &questions,
        [
            r#"{"id":"a","lang":"en","question":"What is the incubation period of COVID-19?","expected_doc":"en/ncp_plan.md","expected_passage_substring":"incubation period is one to 14 days"}"#,
            r#"{"id":"b","lang":"en","question":"How do I bleed the hydraulic brakes on a car?","expected_doc":null}"#,
            r#"{"id":"c","lang":"zh","question":"比特币的价格是多少？","expected_doc":null}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = as_admin(
        &data,
        &[
            "eval",
            "retrieval",
            "--questions",
            questions.to_str().unwrap(),
            "--json",
        ],
    );
    let groups = &lines(&out)[0]["groups"];
    assert_eq!(groups["out_of_scope"]["questions"], 2);
    assert_eq!(groups["out_of_scope"]["declined"], 1.0);
    assert_eq!(
        groups["all"]["questions"], 1,
        "out-of-scope questions are not in all"
    );
    assert_eq!(groups["en"]["passage_hit_at_5"], 1.0);
    assert_eq!(groups["en"]["answered"], 1.0);
}
