//! Conversation memory with the real default model on the sample guidelines: follow-ups reuse
//! the prefix cache, a conversation that outgrows its budget is summarised (stored, shown,
//! audited), and a conversation is its owner's alone.

mod common;

use clinic::ask::{AskOptions, AskOutcome};
use clinic::{Actor, Clinic, Role};
use llm::local::LocalEngine;
use llm::{CancelToken, Sampling};
use store::AuditFilter;

fn setup() -> (tempfile::TempDir, Clinic, Actor, Actor) {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open_with_samples(dir.path());
    let doctor = common::user(&clinic, &admin, "dr.li", Role::Clinician, "clinician pw 1");
    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 11");
    (dir, clinic, doctor, nurse)
}

fn opts(conversation: i64, history_tokens: usize) -> AskOptions {
    AskOptions {
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: 40,
            ..Sampling::default()
        },
        conversation: Some(conversation),
        history_tokens,
        ..AskOptions::default()
    }
}

fn ask(
    clinic: &Clinic,
    who: &Actor,
    engine: &LocalEngine,
    question: &str,
    opts: &AskOptions,
) -> clinic::Result<AskOutcome> {
    clinic.ask(
        who,
        engine,
        question,
        opts,
        &CancelToken::new(),
        &mut |_| {},
    )
}

#[test]
fn a_follow_up_continues_the_conversation_without_reading_it_again() {
    let (_dir, clinic, doctor, _) = setup();
    let engine = common::qwen_engine();
    let first = "What are the signs and symptoms of asthma?";
    let id = clinic.start_conversation(&doctor, first).unwrap();
    let o = opts(id, clinic::conversation::HISTORY_TOKENS);
    let one = ask(&clinic, &doctor, &engine, first, &o).unwrap();
    assert_eq!(one.conversation_id, Some(id));
    let two = ask(&clinic, &doctor, &engine, "How is asthma diagnosed?", &o).unwrap();
    assert!(!two.not_covered);
    // The whole first prompt (system, passages, question) came from the cache.
    assert!(
        two.stats.cached_tokens >= one.stats.prompt_tokens,
        "first prompt {} tokens, second reused {}",
        one.stats.prompt_tokens,
        two.stats.cached_tokens
    );
    assert!(two.stats.prompt_tokens > one.stats.prompt_tokens + one.stats.generated_tokens);
    assert!(two.summary.is_none());

    let view = clinic.conversation(&doctor, id).unwrap();
    assert_eq!(view.conversation.title, first);
    let questions: Vec<&str> = view.turns.iter().map(|t| t.question.as_str()).collect();
    assert_eq!(questions, [first, "How is asthma diagnosed?"]);
    assert_eq!(view.turns[1].answer, two.answer);
    assert_eq!(clinic.conversations(&doctor, 10).unwrap().len(), 1);
}

#[test]
fn a_conversation_that_outgrows_its_budget_is_summarised_never_dropped() {
    let (_dir, clinic, doctor, _) = setup();
    let engine = common::qwen_engine();
    let questions = [
        "What are the signs and symptoms of asthma?",
        "How is asthma diagnosed?",
        "What are the symptoms of COPD?",
    ];
    let id = clinic.start_conversation(&doctor, questions[0]).unwrap();
    // A tiny budget: two turns are already too many.
    let o = opts(id, 200);
    let outcomes: Vec<AskOutcome> = questions
        .iter()
        .map(|q| ask(&clinic, &doctor, &engine, q, &o).unwrap())
        .collect();
    assert!(outcomes[0].summary.is_none() && outcomes[1].summary.is_none());
    let summary = outcomes[2]
        .summary
        .clone()
        .expect("the third question condensed the first");
    assert!(!summary.trim().is_empty());

    let view = clinic.conversation(&doctor, id).unwrap();
    // Every turn is still there for the clinician to read; the summary covers the first.
    assert_eq!(view.turns.len(), 3);
    assert_eq!(view.summaries.len(), 1);
    assert_eq!(view.summaries[0].summary, summary);
    assert_eq!(view.summaries[0].through_answer_id, outcomes[0].answer_id);
    let actions: Vec<String> = clinic
        .store()
        .audit_list(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(
        actions.contains(&"conversation_summary".to_string()),
        "{actions:?}"
    );
    assert_eq!(actions[0], "conversation_read");
}

#[test]
fn someone_elses_conversation_does_not_exist_for_them() {
    let (_dir, clinic, doctor, nurse) = setup();
    let engine = common::qwen_engine();
    let id = clinic
        .start_conversation(&doctor, "Asthma in a 6-year-old")
        .unwrap();
    let err = ask(
        &clinic,
        &nurse,
        &engine,
        "What are the signs of asthma?",
        &opts(id, 1536),
    )
    .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(
        clinic.conversation(&nurse, id).unwrap_err().code(),
        "not_found"
    );
    assert!(clinic.conversations(&nurse, 10).unwrap().is_empty());
    assert!(clinic
        .store()
        .conversation_turns(id, None)
        .unwrap()
        .is_empty());
}
