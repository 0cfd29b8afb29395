//! The remote engine against a real OpenAI-compatible server: llama.cpp's own `llama-server`
//! serving the test model on loopback. Faults a real server cannot be made to show on demand
//! (rate limits, a 500, a garbled or cut stream, a server that never answers) come from a
//! scripted TCP peer in this file, and only those.

mod common;

use std::time::{Duration, Instant};

use common::server::{free_port, scripted, Server};

use llm::remote::{RemoteConfig, RemoteEngine};
use llm::{CancelToken, ChatMessage, Engine, Finish, GenerateRequest, LlmError, Sampling};

fn config(server: &Server, api_key: Option<&str>) -> RemoteConfig {
    RemoteConfig {
        base_url: server.base_url(),
        model: "qwen2.5-coder-0.5b-instruct".into(),
        api_key: api_key.map(str::to_string),
        timeout_s: 60,
        allow_http: false,
    }
}

fn greedy(question: &str, max_tokens: u32) -> GenerateRequest {
    GenerateRequest {
        messages: vec![
            ChatMessage::system("You are a concise clinical assistant."),
            ChatMessage::user(question),
        ],
        sampling: Sampling {
            temperature: 0.0,
            max_tokens,
            ..Sampling::default()
        },
        grammar: None,
    }
}

fn collect(
    engine: &RemoteEngine,
    request: &GenerateRequest,
    cancel: &CancelToken,
) -> (Vec<String>, Result<llm::GenerationStats, LlmError>) {
    let mut pieces = Vec::new();
    let result = engine.generate(request, cancel, &mut |p| pieces.push(p.to_string()));
    (pieces, result)
}

#[test]
fn a_real_server_streams_the_answer_with_its_figures() {
    let server = Server::start(None);
    let engine = RemoteEngine::new(config(&server, None)).unwrap();
    assert_eq!(
        engine.model_name(),
        format!("qwen2.5-coder-0.5b-instruct @ 127.0.0.1:{}", server.port)
    );
    let request = greedy("Name three symptoms of asthma.", 32);
    let (pieces, stats) = collect(&engine, &request, &CancelToken::new());
    let stats = stats.unwrap();
    assert!(pieces.len() > 3, "streamed in pieces: {pieces:?}");
    assert!(!pieces.concat().trim().is_empty());
    assert!(stats.prompt_tokens > 10, "{stats:?}");
    assert!(
        stats.generated_tokens > 0 && stats.generated_tokens <= 32,
        "{stats:?}"
    );
    assert!(matches!(stats.finish, Finish::End | Finish::Length));
    // Greedy through the server repeats exactly.
    let (again, _) = collect(&engine, &request, &CancelToken::new());
    assert_eq!(pieces.concat(), again.concat());
}

#[test]
fn structured_output_through_the_server_is_valid_json_for_the_schema() {
    let server = Server::start(None);
    let engine = RemoteEngine::new(config(&server, None)).unwrap();
    let schema = serde_json::json!({
        "type": "object",
        "properties": {
            "department": {"type": "string", "enum": ["cardiology", "respiratory", "emergency"]},
            "summary": {"type": "string", "maxLength": 80}
        },
        "required": ["department", "summary"]
    });
    let mut request = greedy("Chest pain radiating to the left arm for 20 minutes.", 96);
    request.sampling.temperature = 0.9;
    let (value, stats) =
        llm::generate_json(&engine, &request, &schema, &CancelToken::new()).unwrap();
    assert_eq!(stats.finish, Finish::End);
    let department = value["department"].as_str().unwrap();
    assert!(["cardiology", "respiratory", "emergency"].contains(&department));
    assert!(value["summary"].is_string());
}

#[test]
fn a_wrong_api_key_is_refused_as_unauthorized_and_the_right_one_answers() {
    let server = Server::start(Some("right-key"));
    let wrong = RemoteEngine::new(config(&server, Some("wrong-key"))).unwrap();
    let (pieces, result) = collect(&wrong, &greedy("Hello", 4), &CancelToken::new());
    let err = result.unwrap_err();
    assert_eq!(err.code(), "remote_unauthorized", "{err}");
    assert!(pieces.is_empty() && !err.is_partial());
    let right = RemoteEngine::new(config(&server, Some("right-key"))).unwrap();
    let (_, result) = collect(&right, &greedy("Hello", 4), &CancelToken::new());
    assert!(result.unwrap().generated_tokens > 0);
}

#[test]
fn a_connection_test_lists_the_servers_models_or_says_what_is_wrong() {
    let server = Server::start(Some("right-key"));
    let probe = RemoteEngine::new(config(&server, Some("right-key")))
        .unwrap()
        .probe()
        .unwrap();
    assert!(
        probe.models.iter().any(|m| m.contains("qwen2.5-coder")),
        "{probe:?}"
    );
    let err = RemoteEngine::new(config(&server, Some("wrong-key")))
        .unwrap()
        .probe()
        .unwrap_err();
    assert_eq!(err.code(), "remote_unauthorized");
    let nobody = RemoteConfig {
        base_url: format!("http://127.0.0.1:{}", free_port()),
        ..config(&server, None)
    };
    let err = RemoteEngine::new(nobody).unwrap().probe().unwrap_err();
    assert_eq!(err.code(), "remote_unreachable");
}

#[test]
fn stop_ends_a_remote_answer_within_a_poll() {
    let server = Server::start(None);
    let engine = RemoteEngine::new(config(&server, None)).unwrap();
    let request = greedy("Write a long story about a hospital night shift.", 400);
    let cancel = CancelToken::new();
    let mut pieces = 0;
    let mut stopped_at = None;
    let stats = engine
        .generate(&request, &cancel, &mut |_| {
            pieces += 1;
            if pieces == 3 {
                cancel.cancel();
                stopped_at = Some(Instant::now());
            }
        })
        .unwrap();
    assert!(
        stats.cancelled && stats.finish == Finish::Cancelled,
        "{stats:?}"
    );
    assert_eq!(pieces, 3, "no text arrives after Stop");
    // The local engine's test measures CPU time; here the work is the server's, so what
    // matters to the clinician is that the call returns: at the next poll (50 ms).
    assert!(stopped_at.unwrap().elapsed() < Duration::from_secs(2));
}

#[test]
fn nothing_listening_is_unreachable_not_a_hang() {
    let port = free_port();
    let engine = RemoteEngine::new(RemoteConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        model: "m".into(),
        api_key: None,
        timeout_s: 30,
        allow_http: false,
    })
    .unwrap();
    let (_, result) = collect(&engine, &greedy("Hello", 4), &CancelToken::new());
    let err = result.unwrap_err();
    assert_eq!(err.code(), "remote_unreachable", "{err}");
}

fn status(code: u16, body: &'static str) -> Vec<&'static str> {
    let head: &'static str = Box::leak(
        format!(
            "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_boxed_str(),
    );
    vec![head, body]
}

const STREAM_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

fn fails(config: RemoteConfig) -> (Vec<String>, LlmError) {
    let engine = RemoteEngine::new(config).unwrap();
    let (pieces, result) = collect(&engine, &greedy("Hello", 8), &CancelToken::new());
    (pieces, result.unwrap_err())
}

#[test]
fn http_errors_have_their_own_codes_and_keep_the_servers_reason() {
    for (code, expected) in [
        (429, "remote_rate_limited"),
        (500, "remote_server_error"),
        (503, "remote_unavailable"),
        (404, "remote_refused"),
    ] {
        let (_, err) = fails(scripted(
            status(code, r#"{"error":{"message":"Loading model"}}"#),
            Duration::ZERO,
        ));
        assert_eq!(err.code(), expected, "HTTP {code}: {err}");
        assert!(err.to_string().contains("Loading model"), "{err}");
        assert!(!err.is_partial());
    }
}

/// A server that answers with a redirect does not get the question sent on: a 307 would repeat
/// the body (patient text) to wherever it points, plain http on another host included.
#[test]
fn a_redirect_is_refused_not_followed() {
    let elsewhere = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let location: &'static str = Box::leak(
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{}/v1/chat/completions\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            elsewhere.local_addr().unwrap().port()
        )
        .into_boxed_str(),
    );
    let (pieces, err) = fails(scripted(vec![location], Duration::ZERO));
    assert!(pieces.is_empty());
    assert_eq!(err.code(), "remote_refused", "{err}");
    assert!(err.to_string().contains("HTTP 307"), "{err}");
    elsewhere.set_nonblocking(true).unwrap();
    assert_eq!(
        elsewhere.accept().map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "the redirect's target was dialled"
    );
}

#[test]
fn a_server_that_never_answers_times_out_and_stop_still_works_meanwhile() {
    let (_, err) = fails(scripted(vec![], Duration::from_secs(5)));
    assert_eq!(err.code(), "remote_timeout", "{err}");

    let mut config = scripted(vec![], Duration::from_secs(30));
    config.timeout_s = 60;
    let engine = RemoteEngine::new(config).unwrap();
    let cancel = CancelToken::new();
    let stopper = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            cancel.cancel();
        })
    };
    let started = Instant::now();
    let stats = engine
        .generate(&greedy("Hello", 8), &cancel, &mut |_| {})
        .unwrap();
    stopper.join().unwrap();
    assert!(stats.cancelled);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_garbled_stream_is_a_typed_error() {
    let (pieces, err) = fails(scripted(
        vec![STREAM_HEAD, "data: {\"choices\": [oops\n\n"],
        Duration::ZERO,
    ));
    assert_eq!(err.code(), "remote_bad_stream", "{err}");
    assert!(pieces.is_empty() && !err.is_partial());
}

#[test]
fn a_stream_cut_mid_answer_marks_what_was_shown_as_partial() {
    let (pieces, err) = fails(scripted(
        vec![
            STREAM_HEAD,
            "data: {\"choices\":[{\"delta\":{\"content\":\"Wheeze,\"},\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\" cough\"},\"finish_reason\":null}]}\n\n",
        ],
        Duration::from_millis(20),
    ));
    assert_eq!(pieces.concat(), "Wheeze, cough");
    assert_eq!(err.code(), "remote_bad_stream", "{err}");
    assert!(err.is_partial());
    assert!(err.to_string().contains("incomplete"), "{err}");
}
