//! The triage desk in the real window: a nurse fills the intake form with the keyboard, sees
//! the computed grades and the rules that fired (provisional until questions A and B are
//! answered), overrides the suggested level with a reason, and the patient appears on the board,
//! overridden and in the right colour zone. The outside review's worked example (shock with one
//! expected resource) is graded ESI 2 / Ⅰ级 by the safety floor, and a downgrade to ESI 4 is
//! refused without a reason and marked on the board with one. Leaving the form half-filled and
//! coming back (as after a crash) restores the draft.

mod common;

use std::time::Duration;

use common::*;
use fantoccini::Locator;

const ADMIN_PW: &str = "e2e admin pw 1";

/// Answers ESI questions A and B "no" (each radio group's "no").
async fn answer_a_and_b_no(c: &fantoccini::Client) {
    for group in [
        "triage-esi-lifesaving",
        "triage-esi-high-risk",
        "triage-esi-confusion",
        "triage-esi-distress",
    ] {
        click(c, &format!("{group}-no")).await;
    }
}

async fn level_of(c: &fantoccini::Client, id: &str) -> String {
    find(c, id, Duration::from_secs(240))
        .await
        .attr("data-level")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn tick_resources(c: &fantoccini::Client, resources: &[&str]) {
    for resource in resources {
        c.find(Locator::Css(&format!(
            "[data-testid=\"triage-resource\"][data-resource=\"{resource}\"]"
        )))
        .await
        .unwrap_or_else(|e| panic!("no resource checkbox {resource}: {e}"))
        .click()
        .await
        .unwrap();
    }
}
const NURSE_PW: &str = "e2e nurse pw 1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nurse_triages_overrides_with_a_reason_and_finds_the_patient_on_the_board() {
    // As scripts/run.sh starts it: the sample guidelines are imported for the first admin.
    let samples = repo().join("assets/guidelines").display().to_string();
    let window = open_window_on(
        tempfile::tempdir().unwrap(),
        "app.log",
        &[("BEDSIDE_SAMPLE_GUIDELINES", samples)],
    )
    .await;
    let c = window.client.clone();
    let long = Duration::from_secs(240);
    first_run(&c, ADMIN_PW).await;
    click(&c, "nav-library").await;
    eventually(
        long,
        "the sample guidelines in the documents list",
        || async { (all(&c, "library-document-row").await.len() >= 10).then_some(()) },
    )
    .await;
    assert!(
        all(&c, "nav-triage").await.is_empty(),
        "no triage for the admin"
    );
    add_user(&c, "nurse.wang", "王护士", "nurse", NURSE_PW).await;
    first_login(&c, "nurse.wang", NURSE_PW).await;

    // The nurse lands on the triage form; an impossible value is refused, naming the field.
    find(&c, "triage-page", long).await;
    type_into(&c, "triage-name", "欧阳青山").await;
    type_into(&c, "triage-hospital-id", "MRN-77120458").await;
    type_into(&c, "triage-age", "67").await;
    find(&c, "triage-sex", long)
        .await
        .select_by_value("male")
        .await
        .unwrap();
    type_into(&c, "triage-complaint", "fever and shortness of breath").await;
    type_into(&c, "triage-resp-rate", "26").await;
    type_into(&c, "triage-spo2", "90").await;
    type_into(&c, "triage-systolic", "96").await;
    type_into(&c, "triage-diastolic", "60").await;
    type_into(&c, "triage-heart-rate", "400").await;
    type_into(&c, "triage-temperature", "38.4").await;
    find(&c, "triage-consciousness", long)
        .await
        .select_by_value("alert")
        .await
        .unwrap();
    tick_resources(&c, &["labs", "xray", "iv_fluids"]).await;
    click(&c, "triage-grade").await;
    eventually(long, "the heart rate to be refused", || async {
        let hr = c.find(Locator::Css(&css("triage-heart-rate"))).await.ok()?;
        (hr.attr("aria-invalid").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
    assert!(
        all(&c, "triage-result").await.is_empty(),
        "no grades from a half-valid form"
    );

    // Corrected, the grades come, provisional while A and B are unanswered: nothing to confirm.
    type_into(&c, "triage-heart-rate", "118").await;
    click(&c, "triage-grade").await;
    find(&c, "triage-provisional", long).await;
    find(&c, "triage-answer-first", long).await;
    assert!(
        !find(&c, "triage-confirm", long)
            .await
            .is_enabled()
            .await
            .unwrap(),
        "an unanswered question is never a no"
    );
    // Answered, the grades come with the rules that fired.
    answer_a_and_b_no(&c).await;
    click(&c, "triage-grade").await;
    eventually(long, "the provisional notice to go", || async {
        all(&c, "triage-provisional").await.is_empty().then_some(())
    })
    .await;
    let cn = find(&c, "triage-cn-level", long).await;
    assert_eq!(cn.attr("data-level").await.unwrap().as_deref(), Some("2"));
    assert!(
        cn.attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("zone-orange"),
        "Ⅱ级 is orange"
    );
    let esi = find(&c, "triage-esi-level", long).await;
    assert_eq!(esi.attr("data-level").await.unwrap().as_deref(), Some("2"));
    let news2 = find(&c, "triage-news2-score", long).await;
    assert_eq!(
        news2.attr("data-score").await.unwrap().as_deref(),
        Some("11")
    );
    let mut path = String::new();
    for line in all(&c, "triage-cn-path").await {
        path.push_str(&line.text().await.unwrap());
        path.push('\n');
    }
    assert!(
        path.contains("NEWS2"),
        "the rule that fired is shown: {path}"
    );
    assert!(!all(&c, "triage-unverified").await.is_empty());
    save_screenshot(&c, "triage-grades").await;

    // Override to the most urgent level, which needs a reason.
    click(&c, "triage-override").await;
    find(&c, "triage-final-cn", long)
        .await
        .select_by_value("1")
        .await
        .unwrap();
    click(&c, "triage-save-override").await;
    find(&c, "triage-save-error", long).await;
    type_into(
        &c,
        "triage-override-reason",
        "grey, sweaty, looks worse than the numbers",
    )
    .await;
    click(&c, "triage-save-override").await;
    find(&c, "triage-saved", long).await;

    // The board: the patient at level Ⅰ, marked overridden.
    click(&c, "nav-board").await;
    let row = c
        .wait()
        .at_most(long)
        .for_element(Locator::Css(
            "[data-testid=\"board-row\"][data-level=\"1\"]",
        ))
        .await
        .expect("the patient on the board at level 1");
    let text = row.text().await.unwrap();
    assert!(text.contains("欧阳青山"), "{text}");
    assert!(!all(&c, "board-overridden").await.is_empty());
    assert!(
        all(&c, "board-downgraded").await.is_empty(),
        "Ⅰ级 is no downgrade"
    );

    // The review's worked example: SBP 65, SpO2 85 % on air, HR 150, RR 30, alert, one resource.
    click(&c, "nav-triage").await;
    find(&c, "triage-page", long).await;
    type_into(&c, "triage-name", "休克待查").await;
    type_into(&c, "triage-age", "58").await;
    type_into(&c, "triage-complaint", "dizzy and sweating").await;
    type_into(&c, "triage-resp-rate", "30").await;
    type_into(&c, "triage-spo2", "85").await;
    type_into(&c, "triage-systolic", "65").await;
    type_into(&c, "triage-diastolic", "40").await;
    type_into(&c, "triage-heart-rate", "150").await;
    find(&c, "triage-consciousness", long)
        .await
        .select_by_value("alert")
        .await
        .unwrap();
    // Ticking a resource and unticking it is no answer (it used to count as "none": ESI 5).
    tick_resources(&c, &["xray"]).await;
    tick_resources(&c, &["xray"]).await;
    let count = find(&c, "triage-resources-count", long).await;
    assert_eq!(count.attr("data-value").await.unwrap().as_deref(), Some(""));
    tick_resources(&c, &["labs"]).await;
    answer_a_and_b_no(&c).await;
    click(&c, "triage-grade").await;
    eventually(long, "the worked example's grades (NEWS2 12)", || async {
        let news2 = c
            .find(Locator::Css(&css("triage-news2-score")))
            .await
            .ok()?;
        (news2.attr("data-score").await.ok()?.as_deref() == Some("12")).then_some(())
    })
    .await;
    let esi: u8 = level_of(&c, "triage-esi-level").await.parse().unwrap();
    let cn: u8 = level_of(&c, "triage-cn-level").await.parse().unwrap();
    assert!(
        esi <= 2 && cn <= 2,
        "ESI {esi} / level {cn}: the floor holds"
    );
    assert_eq!(
        level_of(&c, "triage-esi-algorithm").await,
        "4",
        "the algorithm's own level shown"
    );
    assert!(!all(&c, "triage-floor-hit").await.is_empty());
    save_screenshot(&c, "triage-floor").await;
    // A downgrade to ESI 4 without a reason is refused, and nothing is saved.
    click(&c, "triage-override").await;
    find(&c, "triage-final-esi", long)
        .await
        .select_by_value("4")
        .await
        .unwrap();
    find(&c, "triage-downgrade-warning", long).await;
    click(&c, "triage-save-override").await;
    eventually(long, "the missing reason to be named", || async {
        let a = all(&c, "triage-override-reason-error").await;
        let b = all(&c, "triage-save-error").await;
        (!a.is_empty() || !b.is_empty()).then_some(())
    })
    .await;
    assert!(all(&c, "triage-saved").await.is_empty(), "nothing saved");
    type_into(
        &c,
        "triage-override-reason",
        "known chronic hypotension, walked in, rechecked 70 mmHg",
    )
    .await;
    click(&c, "triage-save-override").await;
    find(&c, "triage-saved-downgraded", long).await;
    click(&c, "nav-board").await;
    eventually(long, "the downgrade marked on the board", || async {
        (!all(&c, "board-downgraded").await.is_empty()).then_some(())
    })
    .await;
    save_screenshot(&c, "board").await;

    // A half-filled form is kept as a draft and restored after the app restarts.
    click(&c, "nav-triage").await;
    type_into(&c, "triage-name", "半填的病人").await;
    type_into(&c, "triage-complaint", "头痛").await;
    tokio::time::sleep(Duration::from_secs(3)).await; // the draft is saved after 1.5 s
    let (data, log) = window.close().await;
    let logs = std::fs::read_to_string(&log).unwrap_or_default();
    for secret in [
        "欧阳青山",
        "休克待查",
        "MRN-77120458",
        "shortness of breath",
        "grey, sweaty",
        NURSE_PW,
    ] {
        assert!(!logs.contains(secret), "{secret:?} is in the app's logs");
    }

    // Restart: the passphrase, the nurse's login, and the half-filled form is back.
    let window = open_window_on(data, "app-2.log", &[]).await;
    let c = window.client.clone();
    type_into(&c, "passphrase-input", "ward seven passphrase").await;
    click(&c, "passphrase-submit").await;
    find(&c, "login-form", long).await;
    type_into(&c, "login-username", "nurse.wang").await;
    type_into(&c, "login-password", NURSE_PW).await;
    click(&c, "login-submit").await;
    find(&c, "triage-draft-restored", long).await;
    let name = find(&c, "triage-name", long)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(name, "半填的病人");
    window.close().await;
}
