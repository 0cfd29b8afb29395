//! Grammar-constrained output on the real default model: valid JSON every time, even when
//! sampling is hot, or an error when it is cut short, never half a document.

mod common;

use llm::local::LocalEngine;
use llm::{generate_json, CancelToken, ChatMessage, GenerateRequest, LlmError, Sampling};
use serde_json::json;

fn engine() -> LocalEngine {
    common::qwen_engine(2048)
}

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "department": {"type": "string", "enum": ["emergency", "cardiology", "respiratory", "general"]},
            "summary": {"type": "string", "maxLength": 120},
            "red_flags": {"type": "array", "items": {"type": "string", "maxLength": 40}, "maxItems": 3}
        },
        "required": ["department", "summary", "red_flags"],
        "additionalProperties": false
    })
}

fn request(complaint: &str, temperature: f32, seed: u32, max_tokens: u32) -> GenerateRequest {
    GenerateRequest {
        messages: vec![
            ChatMessage::system("You summarise triage intakes as JSON."),
            ChatMessage::user(format!("Intake: {complaint}")),
        ],
        sampling: Sampling {
            temperature,
            seed,
            max_tokens,
            ..Sampling::default()
        },
        grammar: None,
    }
}

#[test]
fn output_is_valid_json_for_the_schema_even_when_sampling_is_hot() {
    let engine = engine();
    let complaints = [
        "67-year-old with crushing chest pain for 30 minutes, sweating",
        "患者，男，45岁，发热咳嗽3天，气促",
        "child with a cut on the knee",
    ];
    for (i, complaint) in complaints.iter().enumerate() {
        for seed in [1u32, 2] {
            let (value, stats) = generate_json(
                &engine,
                &request(complaint, 1.2, seed + i as u32, 256),
                &schema(),
                &CancelToken::new(),
            )
            .unwrap_or_else(|e| panic!("{complaint} / seed {seed}: {e}"));
            let dept = value["department"].as_str().unwrap();
            assert!(
                ["emergency", "cardiology", "respiratory", "general"].contains(&dept),
                "{value}"
            );
            assert!(value["summary"].is_string());
            assert!(value["red_flags"].as_array().unwrap().len() <= 3);
            assert_eq!(
                value.as_object().unwrap().len(),
                3,
                "no extra keys: {value}"
            );
            assert_eq!(stats.finish, llm::Finish::End);
        }
    }
}

#[test]
fn a_structured_answer_cut_short_is_an_error_not_half_a_document() {
    let engine = engine();
    let err = generate_json(
        &engine,
        &request("fever", 0.0, 1, 5),
        &schema(),
        &CancelToken::new(),
    )
    .unwrap_err();
    assert!(
        matches!(err, LlmError::Incomplete(llm::Finish::Length)),
        "{err:?}"
    );
    assert_eq!(err.code(), "incomplete_output");
}

#[test]
fn an_invalid_schema_is_a_typed_error() {
    let engine = engine();
    let err = generate_json(
        &engine,
        &request("fever", 0.0, 1, 5),
        &json!({"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}}),
        &CancelToken::new(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_grammar", "{err:?}");
}
