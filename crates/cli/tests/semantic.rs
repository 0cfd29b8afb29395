//! Search by meaning through the CLI, with the built-in embedding model: the import embeds, a
//! question in other words finds its passage, `ask`'s passages are `library search`'s first,
//! the evaluation reports the questions the library cannot answer apart, the built-in chat
//! model answers in sentences, and a file that cannot embed leaves search by words.

mod common;

use std::path::Path;
use std::process::Output;

use common::{init, run, ADMIN_PW, PASSPHRASE};
use serde_json::Value;

fn as_admin(data: &Path, args: &[&str]) -> Output {
    let model = common::models().join("multilingual-e5-small-q4_0.gguf");
    assert!(model.exists(), "run scripts/fetch-models.sh");
    with_embedding_model(data, &model, args)
}

fn chat_model() -> std::path::PathBuf {
    let model = common::models().join("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    assert!(model.exists(), "run scripts/fetch-models.sh");
    model
}

fn with_embedding_model(data: &Path, model: &Path, args: &[&str]) -> Output {
    init(data);
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

fn chunk_ids(values: &[Value]) -> Vec<&str> {
    values
        .iter()
        .map(|v| v["chunk_id"].as_str().unwrap())
        .collect()
}

#[test]
fn ask_reads_the_passages_search_shows_first_and_answers_in_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let files = library(dir.path());
    std::fs::write(
        files.join("ncp_plan_zh.md"),
        "# 新型冠状病毒肺炎诊疗方案\n\n## 流行病学特点\n\n基于目前的流行病学调查，潜伏期1～14天，\
         多为3～7天。\n\n## 治疗\n\n患者在定点医院隔离治疗，给予有效氧疗。\n",
    )
    .unwrap();
    as_admin(
        &data,
        &["library", "import", files.to_str().unwrap(), "--json"],
    );
    let chat = chat_model();
    for q in [
        "What is the incubation period of COVID-19?",
        "新冠肺炎的潜伏期是多久？",
    ] {
        let out = as_admin(&data, &["library", "search", q, "--limit", "3", "--json"]);
        let shown = lines(&out)[0]["hits"].as_array().unwrap().clone();
        let out = as_admin(
            &data,
            &[
                "ask",
                q,
                "--model",
                chat.to_str().unwrap(),
                "--temperature",
                "0",
                "--max-tokens",
                "80",
                "--json",
            ],
        );
        let done = lines(&out).into_iter().last().unwrap();
        assert_eq!(done["type"], "done");
        assert_eq!(done["not_covered"], false, "{q}: {done}");
        let read = done["passages"].as_array().unwrap();
        assert_eq!(
            chunk_ids(read),
            chunk_ids(&shown[..read.len()]),
            "{q}: ask reads what search shows first"
        );
    }

    // The same through the answer evaluation: an answer in words with citations, in either
    // language, given the passage that holds the incubation period; not a copied "[1]".
    let questions = dir.path().join("answers.jsonl");
    std::fs::write(
        &questions,
        [
            r#"{"id":"en","lang":"en","question":"What is the incubation period of COVID-19?","expected_doc":"en/ncp_plan.md","expected_passage_substring":"incubation period is one to 14 days"}"#,
            r#"{"id":"zh","lang":"zh","question":"新冠肺炎的潜伏期是多久？","expected_doc":"zh/ncp_plan_zh.md","expected_passage_substring":"潜伏期1～14天"}"#,
            r#"{"id":"oos","lang":"en","question":"How do I bleed the hydraulic brakes on a car?","expected_doc":null}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let out = as_admin(
        &data,
        &[
            "eval",
            "answers",
            "--questions",
            questions.to_str().unwrap(),
            "--model",
            chat.to_str().unwrap(),
            "--max-tokens",
            "80",
            "--json",
        ],
    );
    let events = lines(&out);
    let answers: Vec<&Value> = events.iter().filter(|e| e["type"] == "answer").collect();
    assert_eq!(answers.len(), 3);
    for a in &answers[..2] {
        assert_eq!(a["answered"], true, "{a}");
        assert_eq!(a["expected_given"], true, "{a}");
        assert_eq!(a["says_more"], true, "an answer, not an echo: {a}");
        // Which passage a 0.5B model cites is its own (docs/benchmarks.md); that it cites
        // one it was given, in the answer's own shape, is Bedside's.
        assert!(a["citations"].as_u64().unwrap() >= 1, "{a}");
        assert!(!a["answer"].as_str().unwrap().starts_with('['), "{a}");
    }
    assert_eq!(answers[2]["answered"], false, "{}", answers[2]);
    let summary = events.last().unwrap();
    assert_eq!(summary["type"], "summary");
    assert_eq!(summary["groups"]["all"]["questions"], 2);
    assert_eq!(summary["groups"]["all"]["says_more"], 1.0);
    assert_eq!(summary["groups"]["out_of_scope"]["answered"], 0.0);
    assert!(summary["groups"]["all"]["median_ttft_ms"].as_f64().unwrap() > 0.0);
}

#[test]
fn a_file_that_cannot_embed_leaves_search_by_words() {
    let dir = tempfile::tempdir().unwrap();
    let files = library(dir.path());
    let not_a_model = dir.path().join("notes.gguf");
    std::fs::write(&not_a_model, b"GGUF but not really").unwrap();
    // A chat model embeds nothing; a file that is not a GGUF loads nothing.
    for model in [chat_model(), not_a_model] {
        let data = dir.path().join(format!(
            "data-{}",
            model.file_name().unwrap().to_string_lossy()
        ));
        let out = with_embedding_model(
            &data,
            &model,
            &["library", "import", files.to_str().unwrap(), "--json"],
        );
        let events = lines(&out);
        assert!(
            !events.iter().any(|e| e["type"] == "embedding"),
            "nothing is embedded with {model:?}"
        );
        let out = with_embedding_model(
            &data,
            &model,
            &[
                "library",
                "search",
                "novel coronavirus incubation period",
                "--json",
            ],
        );
        let hits = lines(&out)[0]["hits"].as_array().unwrap().clone();
        assert!(
            hits[0]["section"]
                .as_str()
                .unwrap()
                .contains("Epidemiology"),
            "{hits:?}"
        );
        assert!(hits[0]["similarity"].is_null(), "words alone: {hits:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("embedding model not loaded"),
            "the log says why"
        );
    }
}
