//! The embedding model on real text: meaning across different words and across languages, the
//! properties retrieval relies on (normalised, deterministic, batch-independent), and bad input.

mod common;

use llm::embed::{dot, Embedder, Purpose};
use llm::{CancelToken, LlmError};

fn e5() -> Embedder {
    Embedder::load(&common::e5(), Some(2)).unwrap()
}

fn embed(e: &Embedder, texts: &[&str], purpose: Purpose) -> Vec<Vec<f32>> {
    e.embed(texts, purpose, &CancelToken::new()).unwrap()
}

/// Passages about different things, the answer among them, none sharing the question's key
/// words: lexical search cannot find the answer, meaning must.
const PASSAGES: &[&str] = &[
    "Novel coronavirus pneumonia: based on the current epidemiological investigation, the \
     incubation period is one to 14 days, mostly three to seven days.",
    "Hypertension is diagnosed when office blood pressure is 140/90 mmHg or higher on \
     repeated measurements.",
    "Asthma is a chronic disease of the airways; inhaled corticosteroids are the basis of \
     long-term control.",
    "新型冠状病毒肺炎的潜伏期为1-14天，多为3-7天。",
    "糖尿病患者应定期监测血糖，控制饮食并规律运动。",
];

fn best(e: &Embedder, question: &str) -> usize {
    best_of(e, question, PASSAGES)
}

fn best_of(e: &Embedder, question: &str, passages: &[&str]) -> usize {
    let q = &embed(e, &[question], Purpose::Query)[0];
    let p = embed(e, passages, Purpose::Passage);
    let scores: Vec<f32> = p.iter().map(|v| dot(q, v)).collect();
    (0..scores.len())
        .max_by(|&a, &b| scores[a].total_cmp(&scores[b]))
        .unwrap()
}

#[test]
fn a_question_in_other_words_finds_the_passage_that_answers_it() {
    let e = e5();
    // "COVID-19" and "how long" occur in no passage.
    assert!([0, 3].contains(&best(
        &e,
        "How long after exposure do COVID-19 symptoms start?"
    )));
    // High blood pressure, not "hypertension".
    assert_eq!(
        best(&e, "At what reading do we call it high blood pressure?"),
        1
    );
    // Colloquial Chinese: 新冠 for 新型冠状病毒肺炎, 多久 for 潜伏期.
    assert!([0, 3].contains(&best(&e, "新冠感染后多久会发病？")));
    assert_eq!(best(&e, "得了糖尿病平时要注意什么？"), 4);
}

#[test]
fn a_question_in_one_language_finds_the_answer_among_passages_in_the_other() {
    let e = e5();
    // A small encoder prefers its own language, so the English passages are ranked on their
    // own here; fused retrieval adds the glossary's translation for the rest.
    let english = &PASSAGES[..3];
    assert_eq!(best_of(&e, "哮喘长期控制用什么药？", english), 2);
    assert_eq!(best_of(&e, "新冠潜伏期多长？", english), 0);
    assert_eq!(best_of(&e, "高血压的诊断标准是什么？", english), 1);
    let chinese = &PASSAGES[3..];
    assert_eq!(
        best_of(
            &e,
            "How long is the incubation period of COVID-19?",
            chinese
        ),
        0
    );
    assert_eq!(
        best_of(&e, "How should diabetics watch their blood sugar?", chinese),
        1
    );
}

#[test]
fn vectors_are_normalised_deterministic_and_do_not_depend_on_the_batch() {
    let e = e5();
    assert_eq!(e.dim(), 384);
    let alone = embed(&e, &[PASSAGES[1]], Purpose::Passage);
    let together = embed(&e, PASSAGES, Purpose::Passage);
    let again = embed(&e, PASSAGES, Purpose::Passage);
    assert_eq!(together, again, "the same input gives the same vectors");
    for v in &together {
        assert_eq!(v.len(), 384);
        assert!((dot(v, v) - 1.0).abs() < 1e-4);
    }
    assert!(
        dot(&alone[0], &together[1]) > 0.999,
        "a passage's vector does not depend on what shares its pass"
    );
    // A question and a passage of the same words are embedded differently (e5's prefixes).
    let q = embed(&e, &[PASSAGES[1]], Purpose::Query);
    assert!(dot(&q[0], &alone[0]) < 0.999);
}

#[test]
fn full_width_punctuation_reads_like_its_ascii_form() {
    let e = e5();
    let v = embed(
        &e,
        &["血压多高算高血压？", "血压多高算高血压?"],
        Purpose::Query,
    );
    assert!(dot(&v[0], &v[1]) > 0.999, "NFKC makes ？ and ? one token");
}

#[test]
fn a_long_or_odd_text_is_embedded_not_refused() {
    let e = e5();
    let long = "胸痛 chest pain ".repeat(2000);
    let odd = "</s><s> \u{0} \u{200b}";
    let many: Vec<&str> = std::iter::repeat_n("short passage", 40).collect();
    let v = embed(&e, &[long.as_str(), odd, ""], Purpose::Passage);
    assert_eq!(v.len(), 3);
    assert_eq!(embed(&e, &many, Purpose::Passage).len(), 40);
}

#[test]
fn cancelling_stops_between_passes() {
    let e = e5();
    let cancel = CancelToken::new();
    cancel.cancel();
    let many: Vec<&str> = std::iter::repeat_n("a passage", 64).collect();
    assert!(matches!(
        e.embed(&many, Purpose::Passage, &cancel),
        Err(LlmError::Cancelled)
    ));
}

#[test]
fn a_chat_model_is_not_an_embedding_model() {
    let err = Embedder::load(&common::qwen(), Some(1)).unwrap_err();
    assert!(matches!(err, LlmError::NotAnEmbeddingModel(_)), "{err}");
}

#[test]
fn a_file_that_is_not_a_model_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e5.gguf");
    std::fs::write(&path, b"not a model at all").unwrap();
    assert!(matches!(
        Embedder::load(&path, Some(1)),
        Err(LlmError::InvalidGguf { .. })
    ));
}
