//! The grounded ask chain with the real default model on the real sample guidelines.

mod common;

use clinic::ask::AskOptions;
use clinic::{Actor, Clinic, Role};
use llm::local::LocalEngine;
use llm::{CancelToken, Sampling};

/// The sample guidelines imported by the admin; questions are asked by a clinician.
fn setup() -> (tempfile::TempDir, Clinic, Actor, LocalEngine) {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open_with_samples(dir.path());
    let clinician = common::user(&clinic, &admin, "dr.li", Role::Clinician, "clinician pw 1");
    let engine = common::qwen_engine();
    (dir, clinic, clinician, engine)
}

fn greedy(max_tokens: u32) -> AskOptions {
    AskOptions {
        sampling: Sampling {
            temperature: 0.0,
            max_tokens,
            ..Sampling::default()
        },
        ..AskOptions::default()
    }
}

#[test]
fn an_answer_streams_and_cites_passages_that_exist() {
    let (_dir, clinic, doctor, engine) = setup();
    let mut streamed = String::new();
    let out = clinic
        .ask(
            &doctor,
            &engine,
            "What are the signs and symptoms of asthma?",
            &greedy(160),
            &CancelToken::new(),
            &mut |t| streamed.push_str(t),
        )
        .unwrap();
    assert_eq!(streamed, out.answer, "the stream is the answer");
    assert!(!out.not_covered && !out.stopped);
    assert!(!out.passages.is_empty());
    assert!(
        out.passages[0].file_name.contains("asthma"),
        "retrieval should bring the asthma guideline first: {:?}",
        out.passages
            .iter()
            .map(|p| &p.file_name)
            .collect::<Vec<_>>()
    );
    assert!(!out.citations.is_empty(), "no citation in: {}", out.answer);
    for c in &out.citations {
        assert!(
            out.answer.contains(&format!("[{}]", c.n)) || out.answer.contains(&format!("{}]", c.n))
        );
        let passage = clinic
            .chunk(&doctor, &c.chunk_id)
            .expect("a citation must open an existing passage");
        assert!(passage.text.starts_with(&c.quote));
    }
    let recorded = clinic.store().recent_answers(1).unwrap();
    assert_eq!(recorded[0].answer, out.answer);
    assert_eq!(recorded[0].prompt_version, clinic::prompts::PROMPT_VERSION);
    assert!(recorded[0]
        .passages_json
        .contains(&out.passages[0].chunk_id));
    assert!(out.stats.generated_tokens > 0 && out.stats.prompt_tokens > 100);
    // The answer shown is in the audit log: who, which model, which passages; not the words.
    let shown = &clinic.store().audit_list(&Default::default()).unwrap()[0];
    assert_eq!(
        (shown.username.as_str(), shown.action.as_str()),
        ("dr.li", "ask")
    );
    assert_eq!(shown.object_id, out.answer_id.to_string());
    assert!(shown.detail.contains(&out.passages[0].chunk_id));
    assert!(shown.detail.contains(&out.model));
    assert!(!shown.detail.contains("asthma?"));
}

#[test]
fn a_chinese_question_gets_a_chinese_grounded_answer() {
    let (_dir, clinic, doctor, engine) = setup();
    let mut pieces = Vec::new();
    let out = clinic
        .ask(
            &doctor,
            &engine,
            "新型冠状病毒肺炎的潜伏期是多久？",
            &greedy(96),
            &CancelToken::new(),
            &mut |t| pieces.push(t.to_string()),
        )
        .unwrap();
    assert_eq!(out.passages[0].file_name, "nhc_covid19_plan_v7_zh.md");
    assert!(out.answer.chars().any(library_is_cjk), "{}", out.answer);
    assert!(pieces.iter().all(|p| !p.contains('\u{FFFD}')));
}

fn library_is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[test]
fn a_question_the_library_cannot_answer_is_declined_without_the_model() {
    let (_dir, clinic, doctor, engine) = setup();
    let out = clinic
        .ask(
            &doctor,
            &engine,
            "zzqx vorpal flibbertigibbet",
            &greedy(64),
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap();
    assert!(out.not_covered);
    assert!(out.passages.is_empty() && out.citations.is_empty());
    assert_eq!(out.stats.generated_tokens, 0, "the model must not be asked");
    assert!(out.answer.contains("do not cover"));
}

#[test]
fn stop_keeps_the_partial_answer_marked_as_stopped() {
    let (_dir, clinic, doctor, engine) = setup();
    let cancel = CancelToken::new();
    let mut n = 0;
    let out = clinic
        .ask(
            &doctor,
            &engine,
            "How is high blood pressure treated?",
            &greedy(200),
            &cancel,
            &mut |_| {
                n += 1;
                if n == 2 {
                    cancel.cancel();
                }
            },
        )
        .unwrap();
    assert!(out.stopped);
    assert!(out.stats.generated_tokens <= 3);
    assert!(clinic.store().recent_answers(1).unwrap()[0].stopped);
}

#[test]
fn an_empty_question_is_a_typed_error() {
    let (_dir, clinic, doctor, engine) = setup();
    let err = clinic
        .ask(
            &doctor,
            &engine,
            "   ",
            &greedy(8),
            &CancelToken::new(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code(), "empty_question");
}
