//! The lock screen in the real window, as the outside security review found it wanting: a
//! failed "log in as another user" from a locked screen used to end the locked nurse's session
//! and throw away her half-typed intake; now the new credentials are checked first and her
//! draft survives both a failed and a successful switch. And a workstation left on the waiting
//! board, which refreshes itself, used to stay unlocked for ever; now it locks on time.

mod common;

use std::time::{Duration, Instant};

use common::*;

const ADMIN_PW: &str = "e2e admin pw 1";
const NURSE_PW: &str = "e2e nurse pw 1";
const DOCTOR_PW: &str = "e2e doctor pw 1";

/// Calls a command through the window's IPC with arguments, as the page's own code does, and
/// returns "ok" or the refusal's code.
async fn invoke_with(c: &fantoccini::Client, command: &str, args: serde_json::Value) -> String {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('{command}', arguments[0])
           .then(() => done('ok'), e => done((e && e.code) || String(e)));"
    );
    c.execute_async(&script, vec![args])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn value_of(c: &fantoccini::Client, id: &str) -> String {
    find(c, id, Duration::from_secs(60))
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_switch_keeps_the_locked_nurses_work_and_the_idle_board_locks() {
    let window = open_window().await;
    let c = window.client.clone();
    let long = Duration::from_secs(240);
    first_run(&c, ADMIN_PW).await;
    // The shortest idle lock an admin may set.
    assert_eq!(
        invoke_with(
            &c,
            "settings_set_idle_lock",
            serde_json::json!({"minutes": 1})
        )
        .await,
        "ok"
    );
    add_user(&c, "nurse.wang", "王护士", "nurse", NURSE_PW).await;
    add_user(&c, "dr.li", "李医生", "clinician", DOCTOR_PW).await;
    first_login(&c, "dr.li", DOCTOR_PW).await;
    first_login(&c, "nurse.wang", NURSE_PW).await;

    // The nurse starts an intake and steps away.
    type_into(&c, "triage-name", "锁屏下的病人").await;
    type_into(&c, "triage-complaint", "胸痛").await;
    tokio::time::sleep(Duration::from_secs(3)).await; // the draft is saved after 1.5 s
    click(&c, "lock-button").await;
    find(&c, "lock-screen", long).await;

    // Someone tries to log in over her locked session with a wrong password: nothing changes.
    click(&c, "lock-switch-user").await;
    type_into(&c, "switch-username", "dr.li").await;
    type_into(&c, "switch-password", "not the password").await;
    click(&c, "switch-submit").await;
    find(&c, "switch-error", long).await;
    assert!(!all(&c, "lock-screen").await.is_empty(), "still locked");
    assert_eq!(
        invoke_code(&c, "triage_board").await,
        "session_locked",
        "the nurse's session is still there, locked"
    );
    click(&c, "switch-back").await;
    type_into(&c, "unlock-password", NURSE_PW).await;
    click(&c, "unlock-submit").await;
    eventually(long, "the lock screen to go", || async {
        all(&c, "lock-screen").await.is_empty().then_some(())
    })
    .await;
    assert_eq!(value_of(&c, "triage-name").await, "锁屏下的病人");

    // A colleague who knows his password switches in; the nurse's draft waits for her.
    click(&c, "lock-button").await;
    click(&c, "lock-switch-user").await;
    type_into(&c, "switch-username", "dr.li").await;
    type_into(&c, "switch-password", DOCTOR_PW).await;
    click(&c, "switch-submit").await;
    eventually(long, "dr.li to be logged in", || async {
        let user = find(&c, "current-user", long).await;
        let name = user.attr("data-username").await.ok()??;
        (name == "dr.li").then_some(())
    })
    .await;

    // The board, left alone, refreshes itself and must still lock after the idle minute. The
    // script calls the board's own command every 10 s, faster than the window's refresh, so
    // a poll that counted as activity could never let it lock.
    click(&c, "nav-board").await;
    find(&c, "board-page", long).await;
    let left_alone = Instant::now();
    let locked_after = loop {
        if !all(&c, "lock-screen").await.is_empty() {
            break left_alone.elapsed();
        }
        assert!(
            left_alone.elapsed() < Duration::from_secs(150),
            "the board stayed unlocked for 150 s with a 1-minute idle lock"
        );
        invoke_code(&c, "triage_board").await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    };
    save_screenshot(&c, "board-idle-locked").await;
    eprintln!("the idle board locked after {locked_after:?}");
    assert_eq!(
        find(&c, "lock-user", long)
            .await
            .attr("data-username")
            .await
            .unwrap()
            .as_deref(),
        Some("dr.li")
    );

    // The nurse comes back: logging in restores her intake.
    click(&c, "lock-switch-user").await;
    type_into(&c, "switch-username", "nurse.wang").await;
    type_into(&c, "switch-password", NURSE_PW).await;
    click(&c, "switch-submit").await;
    find(&c, "triage-draft-restored", long).await;
    assert_eq!(value_of(&c, "triage-name").await, "锁屏下的病人");
    window.close().await;
}
