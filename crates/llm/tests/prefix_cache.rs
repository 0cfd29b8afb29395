//! The prefix cache: a follow-up question evaluates only what is new, and answers exactly as a
//! cold start would.

mod common;

use llm::local::LocalEngine;
use llm::{CancelToken, ChatMessage, Engine, GenerateRequest, Role, Sampling};

fn engine() -> LocalEngine {
    common::qwen_engine(4096)
}

fn conversation(turns: &[(&str, Option<&str>)]) -> GenerateRequest {
    let mut messages = vec![ChatMessage::system(
        "You are a clinical assistant. Background: ".to_string()
            + &"Asthma is a chronic disease of the airways that inflames and narrows them. "
                .repeat(20),
    )];
    for (q, a) in turns {
        messages.push(ChatMessage::user(*q));
        if let Some(a) = a {
            messages.push(ChatMessage {
                role: Role::Assistant,
                content: a.to_string(),
            });
        }
    }
    GenerateRequest {
        messages,
        sampling: Sampling {
            temperature: 0.0,
            max_tokens: 24,
            ..Sampling::default()
        },
        grammar: None,
    }
}

fn run(engine: &LocalEngine, req: &GenerateRequest) -> (String, llm::GenerationStats) {
    let mut text = String::new();
    let stats = engine
        .generate(req, &CancelToken::new(), &mut |p| text.push_str(p))
        .unwrap();
    (text, stats)
}

#[test]
fn a_follow_up_reuses_the_conversation_and_answers_as_a_cold_start_would() {
    let warm = engine();
    let first = conversation(&[("What is asthma?", None)]);
    let (answer, cold_stats) = run(&warm, &first);
    assert_eq!(
        cold_stats.cached_tokens, 0,
        "nothing to reuse on the first turn"
    );
    assert!(cold_stats.prompt_tokens > 300);

    let follow_up = conversation(&[
        ("What is asthma?", Some(answer.as_str())),
        ("How is it treated?", None),
    ]);
    let (warm_text, warm_stats) = run(&warm, &follow_up);
    assert!(
        warm_stats.cached_tokens as usize >= cold_stats.prompt_tokens as usize,
        "the first turn should be reused: {warm_stats:?}"
    );

    let (cold_text, cold_follow_up) = run(&engine(), &follow_up);
    assert_eq!(cold_follow_up.cached_tokens, 0);
    assert_eq!(
        warm_text, cold_text,
        "reusing the cache must not change the answer"
    );
}

#[test]
fn an_unrelated_prompt_is_evaluated_from_scratch() {
    let engine = engine();
    run(&engine, &conversation(&[("What is asthma?", None)]));
    let other = GenerateRequest {
        messages: vec![ChatMessage::user("Say hello.")],
        ..conversation(&[])
    };
    let (_, stats) = run(&engine, &other);
    assert_eq!(stats.cached_tokens, 0);
}

#[test]
fn two_conversations_in_turn_each_find_their_own_prefix() {
    let engine = engine();
    let a1 = conversation(&[("What is asthma?", None)]);
    let (a_answer, a_stats) = run(&engine, &a1);
    // Another clinician's conversation in between, with a different system message.
    let b1 = GenerateRequest {
        messages: vec![
            ChatMessage::system(
                "You are a triage assistant. Background: ".to_string()
                    + &"Chest pain needs an ECG within ten minutes of arrival. ".repeat(20),
            ),
            ChatMessage::user("What comes first?"),
        ],
        ..conversation(&[])
    };
    run(&engine, &b1);
    let a2 = conversation(&[
        ("What is asthma?", Some(a_answer.as_str())),
        ("How is it treated?", None),
    ]);
    let (_, stats) = run(&engine, &a2);
    assert!(
        stats.cached_tokens >= a_stats.prompt_tokens,
        "the first conversation's prefix survived the second: {stats:?}"
    );
}
