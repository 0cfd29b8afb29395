//! The grounded ask over the remote engine when the server breaks off mid-answer: what was
//! shown is recorded (as stopped, with the reason in the audit log) and the error says the
//! answer is partial. The cut-off stream comes from a scripted peer: a real server will not
//! break on demand.

mod common;
#[path = "../../llm/tests/common/server.rs"]
mod server;

use std::time::Duration;

use clinic::ask::AskOptions;
use clinic::Role;
use llm::remote::RemoteEngine;
use llm::CancelToken;
use store::AuditFilter;

const STREAM_HEAD: &str =
    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

#[test]
fn an_answer_cut_off_by_the_server_is_recorded_as_shown_and_reported_as_partial() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open_with_samples(dir.path());
    let doctor = common::user(&clinic, &admin, "dr.li", Role::Clinician, "clinician pw 1");
    let engine = RemoteEngine::new(server::scripted(
        vec![
            STREAM_HEAD,
            "data: {\"choices\":[{\"delta\":{\"content\":\"Wheeze and\"},\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\" cough [1]\"},\"finish_reason\":null}]}\n\n",
        ],
        Duration::from_millis(20),
    ))
    .unwrap();
    let mut shown = String::new();
    let err = clinic
        .ask(
            &doctor,
            &engine,
            "What are the signs and symptoms of asthma?",
            &AskOptions::default(),
            &CancelToken::new(),
            &mut |t| shown.push_str(t),
        )
        .unwrap_err();
    assert_eq!(err.code(), "remote_bad_stream", "{err}");
    assert_eq!(err.payload().details.as_deref(), Some("partial"));
    assert_eq!(shown, "Wheeze and cough [1]");

    let recorded = &clinic.store().recent_answers(1).unwrap()[0];
    assert_eq!(recorded.answer, shown);
    assert!(recorded.stopped);
    let audit = clinic.store().audit_list(&AuditFilter::default()).unwrap();
    let ask = audit.iter().find(|r| r.action == "ask").unwrap();
    assert!(
        ask.detail.contains("\"interrupted\":\"remote_bad_stream\""),
        "{}",
        ask.detail
    );
}
