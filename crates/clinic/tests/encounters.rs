//! From intake to the triage board, on a real encrypted database: the nurse's decision, the
//! override reason, the model that cannot lower a level, the board's order and re-triage
//! reminder, the audit rows, and the draft that survives a restart.

mod common;

use clinic::encounters::Decision;
use clinic::triage::Intake;
use clinic::{Clinic, Role};
use serde_json::json;

fn nurse(clinic: &Clinic, admin: &clinic::Actor) -> clinic::Actor {
    common::user(clinic, admin, "nurse.wang", Role::Nurse, "nurse pw 11")
}

/// A fresh data directory with its admin and a logged-in nurse.
fn desk() -> (tempfile::TempDir, Clinic, clinic::Actor, clinic::Actor) {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let nurse = nurse(&clinic, &admin);
    (dir, clinic, admin, nurse)
}

/// Saves the triage accepting the suggested levels.
fn accept(
    clinic: &Clinic,
    nurse: &clinic::Actor,
    intake: &Intake,
) -> clinic::Result<clinic::encounters::SavedTriage> {
    clinic.triage_save(nurse, intake, None, &Decision::default())
}

/// `minutes` ago, as an RFC 3339 time (SQLite's clock, as the board uses).
fn minutes_ago(minutes: i64) -> String {
    rusqlite::Connection::open_in_memory()
        .unwrap()
        .query_row(
            &format!("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{minutes} minutes')"),
            [],
            |r| r.get(0),
        )
        .unwrap()
}

fn intake(value: serde_json::Value) -> Intake {
    serde_json::from_value(value).unwrap()
}

/// A septic-looking adult: NEWS2 high, ESI 2, Chinese grade Ⅱ.
fn septic(name: &str, hospital_id: &str, arrived: &str) -> Intake {
    intake(json!({
        "patient": {"name": name, "age_years": 67, "sex": "male", "hospital_id": hospital_id},
        "complaint": "fever and shortness of breath",
        "arrived_at": arrived,
        "arrival_mode": "ambulance",
        "vitals": {"resp_rate": 26, "spo2": 90, "on_oxygen": false, "systolic_bp": 96,
                   "diastolic_bp": 60, "heart_rate": 118, "temperature_c": 38.4,
                   "consciousness": "alert", "pain": 3},
        "esi": {"lifesaving_intervention": false, "high_risk": false, "new_confusion": false,
                "severe_pain_or_distress": false, "expected_resources": 3}
    }))
}

/// A sprained ankle with mild pain: ESI 4 / Chinese grade Ⅳ.
fn ankle(name: &str, arrived: &str) -> Intake {
    intake(json!({
        "patient": {"name": name, "age_years": 30, "sex": "female"},
        "complaint": "twisted ankle",
        "arrived_at": arrived,
        "vitals": {"resp_rate": 14, "spo2": 99, "on_oxygen": false, "systolic_bp": 122,
                   "diastolic_bp": 78, "heart_rate": 72, "temperature_c": 36.8,
                   "consciousness": "alert", "pain": 3},
        "esi": {"lifesaving_intervention": false, "high_risk": false, "new_confusion": false,
                "severe_pain_or_distress": false, "expected_resources": 1}
    }))
}

/// The outside review's worked example: shock with one expected resource, ESI 4 / Ⅲ级 before.
fn shock(arrived: &str) -> Intake {
    intake(json!({
        "patient": {"name": "休克", "age_years": 58, "sex": "male"},
        "complaint": "dizzy, sweating",
        "arrived_at": arrived,
        "vitals": {"resp_rate": 30, "spo2": 85, "on_oxygen": false, "systolic_bp": 65,
                   "diastolic_bp": 40, "heart_rate": 150, "consciousness": "alert"},
        "esi": {"lifesaving_intervention": false, "high_risk": false, "new_confusion": false,
                "severe_pain_or_distress": false, "expected_resources": 1}
    }))
}

/// Moves the end of an encounter's triage `minutes` into the past, as the clock would (the
/// board counts the wait from there).
fn backdate_triage(dir: &std::path::Path, encounter_id: i64, minutes: f64) {
    let conn = rusqlite::Connection::open(dir.join("bedside.db")).unwrap();
    conn.execute_batch("PRAGMA key = 'clinic test passphrase';")
        .unwrap();
    conn.execute(
        "UPDATE encounters SET triaged_at =
            strftime('%Y-%m-%dT%H:%M:%fZ', julianday('now') - ?2 / 1440.0) WHERE id = ?1",
        rusqlite::params![encounter_id, minutes],
    )
    .unwrap();
}

#[test]
fn a_saved_triage_lands_on_the_board_with_its_vital_signs_and_audit_row() {
    let (_dir, clinic, _, nurse) = desk();
    let saved = accept(&clinic, &nurse, &septic("张三", "MRN-1", &minutes_ago(5))).unwrap();
    assert_eq!((saved.final_esi, saved.final_cn), (2, 2));
    assert!(!saved.overridden);
    let board = clinic.triage_board(&nurse).unwrap();
    assert_eq!(board.len(), 1);
    let row = &board[0];
    assert_eq!(
        (row.name.as_str(), row.level, row.zone.as_str()),
        ("张三", 2, "red")
    );
    // Arrived five minutes ago, triaged just now: the response time counts from triage.
    assert!(row.waiting_minutes <= 1, "{}", row.waiting_minutes);
    assert!(!row.retriage_due);
    assert_eq!(row.colour, "orange");
    assert!(!row.downgraded);

    let view = clinic.encounter(&nurse, saved.encounter_id).unwrap();
    let codes: Vec<&str> = view.observations.iter().map(|o| o.code.as_str()).collect();
    for loinc in [
        "9279-1", "59408-5", "8867-4", "8480-6", "8462-4", "8310-5", "72514-3",
    ] {
        assert!(codes.contains(&loinc), "{loinc} missing from {codes:?}");
    }
    assert_eq!(view.encounter.computed_cn, 2);
    let audit = clinic
        .store()
        .audit_list(&store::AuditFilter::default())
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        &actions[..3],
        ["encounter_read", "board_view", "triage_save"]
    );
    assert!(
        audit
            .iter()
            .all(|r| !r.detail.contains("张三") && !r.detail.contains("fever")),
        "no patient details in the audit log"
    );
}

#[test]
fn an_override_needs_a_reason_and_keeps_both_levels() {
    let (_dir, clinic, _, nurse) = desk();
    let patient = ankle("李四", &minutes_ago(1));
    let up = Decision {
        final_cn: Some(3),
        final_esi: Some(3),
        ..Decision::default()
    };
    let e = clinic.triage_save(&nurse, &patient, None, &up).unwrap_err();
    assert_eq!(
        (e.code(), e.payload().details.as_deref()),
        ("invalid_value", Some("field: decision.reason"))
    );
    assert!(
        clinic.triage_board(&nurse).unwrap().is_empty(),
        "nothing saved"
    );
    let up = Decision {
        reason: Some("looks pale, diabetic".into()),
        ..up
    };
    let saved = clinic.triage_save(&nurse, &patient, None, &up).unwrap();
    assert!(saved.overridden);
    let view = clinic.encounter(&nurse, saved.encounter_id).unwrap();
    let e = &view.encounter;
    assert_eq!((e.computed_cn, e.suggested_cn, e.final_cn), (4, 4, 3));
    assert_eq!(e.override_reason.as_deref(), Some("looks pale, diabetic"));
    assert_eq!(e.triaged_by, "nurse.wang");
    assert!(clinic.triage_board(&nurse).unwrap()[0].overridden);
}

/// Grades `intake` as the triage page does (no model here) and returns the id it is kept under.
fn assess(clinic: &Clinic, nurse: &clinic::Actor, intake: &Intake) -> i64 {
    clinic
        .triage_assess(
            nurse,
            intake,
            None,
            &llm::Sampling::default(),
            &llm::CancelToken::new(),
        )
        .unwrap()
        .id
        .expect("kept under an id")
}

/// The encrypted database of a test clinic, opened beside it.
fn database(dir: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(dir.join("bedside.db")).unwrap();
    conn.execute_batch("PRAGMA key = 'clinic test passphrase';")
        .unwrap();
    conn
}

/// Makes `assist` what the model suggested in assessment `id`, as the database keeps it: the
/// real model's words cannot be chosen, and only what Bedside kept reaches the save.
fn model_said(dir: &std::path::Path, id: i64, assist: serde_json::Value) {
    let changed = database(dir)
        .execute(
            "UPDATE triage_assessments SET assist_json = ?1 WHERE id = ?2",
            rusqlite::params![assist.to_string(), id],
        )
        .unwrap();
    assert_eq!(changed, 1);
}

#[test]
fn a_model_proposal_can_raise_the_suggestion_but_never_lower_it() {
    let (dir, clinic, _, nurse) = desk();
    let septic = septic("A", "", &minutes_ago(1));
    let id = assess(&clinic, &nurse, &septic);
    model_said(
        dir.path(),
        id,
        json!({"proposal": {"esi_level": 5, "cn_level": 4, "reason": "looks fine"}}),
    );
    let saved = clinic
        .triage_save(&nurse, &septic, Some(id), &Decision::default())
        .unwrap();
    assert_eq!(
        (saved.final_esi, saved.final_cn),
        (2, 2),
        "the computed level stands"
    );
    let ankle = ankle("B", &minutes_ago(1));
    let id = assess(&clinic, &nurse, &ankle);
    model_said(
        dir.path(),
        id,
        json!({"proposal": {"esi_level": 2, "cn_level": 2, "reason": "ankle and chest pain"}}),
    );
    let saved = clinic
        .triage_save(&nurse, &ankle, Some(id), &Decision::default())
        .unwrap();
    assert_eq!((saved.suggested.cn, saved.final_cn), (2, 2));
    assert!(saved.suggested.raised_by_model);
    let view = clinic.encounter(&nurse, saved.encounter_id).unwrap();
    assert!(
        view.encounter
            .assist_json
            .as_deref()
            .is_some_and(|a| a.contains("ankle and chest pain")),
        "the encounter records the suggestion the save used"
    );
}

#[test]
fn a_save_uses_only_the_assessment_kept_for_this_form_and_this_nurse_once() {
    let dir = tempfile::tempdir().unwrap();
    let septic = septic("陈", "MRN-5", &minutes_ago(2));
    let id = {
        let (clinic, admin) = common::open(dir.path());
        let nurse = nurse(&clinic, &admin);
        common::user(&clinic, &admin, "nurse.li", Role::Nurse, "nurse pw 22");
        assess(&clinic, &nurse, &septic)
    };
    // After a restart, as a draft does, it is still there for the nurse who graded the form.
    let (clinic, _) = common::open(dir.path());
    let nurse = clinic.login("nurse.wang", "nurse pw 11").unwrap();
    let other = clinic.login("nurse.li", "nurse pw 22").unwrap();
    let stale = |r: clinic::Result<clinic::encounters::SavedTriage>| r.unwrap_err().code();

    // Another form, even one vital sign changed since grading: graded again, not borrowed.
    let mut changed = septic.clone();
    changed.vitals.spo2 = Some(97.0);
    let save = |who, form: &Intake| clinic.triage_save(who, form, Some(id), &Decision::default());
    assert_eq!(stale(save(&nurse, &changed)), "assessment_stale");
    assert_eq!(
        stale(save(&nurse, &ankle("B", &minutes_ago(1)))),
        "assessment_stale"
    );
    // Another nurse's, or an id that was never given.
    assert_eq!(stale(save(&other, &septic)), "assessment_stale");
    let never = clinic.triage_save(&nurse, &septic, Some(id + 1000), &Decision::default());
    assert_eq!(stale(never), "assessment_stale");
    assert!(
        clinic.triage_board(&nurse).unwrap().is_empty(),
        "nothing saved"
    );

    let saved = save(&nurse, &septic).unwrap();
    assert_eq!((saved.final_esi, saved.final_cn), (2, 2));
    // Used up: a second click cannot register the patient twice.
    let again = save(&nurse, &septic).unwrap_err();
    assert_eq!(again.code(), "assessment_stale");
    assert!(
        again.to_string().contains("grade the form again"),
        "{again}"
    );
    assert_eq!(clinic.triage_board(&nurse).unwrap().len(), 1);

    // A newer grading replaces the older one, so a save cannot pick an older grading without
    // the model's raise; ids are never given twice.
    let form = ankle("C", &minutes_ago(1));
    let first = assess(&clinic, &nurse, &form);
    let latest = assess(&clinic, &nurse, &form);
    assert!(latest > first && first > id);
    let older = clinic.triage_save(&nurse, &form, Some(first), &Decision::default());
    assert_eq!(stale(older), "assessment_stale");
    // Discarding the form forgets its grading.
    clinic.discard_triage_draft(&nurse).unwrap();
    let discarded = clinic.triage_save(&nurse, &form, Some(latest), &Decision::default());
    assert_eq!(stale(discarded), "assessment_stale");
}

#[test]
fn an_assessment_nobody_saved_expires_and_is_then_deleted() {
    let (dir, clinic, _, nurse) = desk();
    let form = septic("A", "", &minutes_ago(1));
    let id = assess(&clinic, &nurse, &form);
    database(dir.path())
        .execute(
            "UPDATE triage_assessments
             SET expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 minutes')",
            [],
        )
        .unwrap();
    let e = clinic
        .triage_save(&nurse, &form, Some(id), &Decision::default())
        .unwrap_err();
    assert_eq!(e.code(), "assessment_stale");
    assert!(e.to_string().contains("expired"), "{e}");
    // The next grading clears it away (it holds a patient's complaint), and saves.
    let fresh = assess(&clinic, &nurse, &form);
    let left: i64 = database(dir.path())
        .query_row("SELECT count(*) FROM triage_assessments", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 1);
    clinic
        .triage_save(&nurse, &form, Some(fresh), &Decision::default())
        .unwrap();
}

#[test]
fn the_board_sorts_by_level_then_arrival_and_flags_overdue_patients() {
    let (dir, clinic, _, nurse) = desk();
    let mut ids = Vec::new();
    for intake in [
        ankle("late ankle", &minutes_ago(10)),
        ankle("early ankle", &minutes_ago(200)),
        septic("sepsis", "MRN-9", &minutes_ago(2)),
    ] {
        ids.push(accept(&clinic, &nurse, &intake).unwrap().encounter_id);
    }
    // Just triaged: nobody is overdue, however long ago they arrived.
    let board = clinic.triage_board(&nurse).unwrap();
    assert!(board.iter().all(|r| !r.retriage_due), "{board:?}");
    backdate_triage(dir.path(), ids[1], 200.0);
    backdate_triage(dir.path(), ids[0], 30.0);
    let board = clinic.triage_board(&nurse).unwrap();
    let names: Vec<&str> = board.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["sepsis", "early ankle", "late ankle"]);
    assert!(
        board[1].retriage_due,
        "200 minutes against a 60-minute target"
    );
    assert!(!board[2].retriage_due);
    clinic.call_in(&nurse, board[0].encounter_id).unwrap();
    assert_eq!(clinic.triage_board(&nurse).unwrap().len(), 2);
}

#[test]
fn retriage_is_due_the_moment_the_target_is_reached() {
    let (dir, clinic, _, nurse) = desk();
    let ankle = accept(&clinic, &nurse, &ankle("A", &minutes_ago(1))).unwrap();
    // 60.0 minutes after triage against a 60-minute target (the old board said due at 61-62).
    backdate_triage(dir.path(), ankle.encounter_id, 60.0);
    let row = &clinic.triage_board(&nurse).unwrap()[0];
    assert_eq!((row.waiting_minutes, row.response_minutes), (60, 60));
    assert!(row.retriage_due);
    backdate_triage(dir.path(), ankle.encounter_id, 59.5);
    assert!(!clinic.triage_board(&nurse).unwrap()[0].retriage_due);
    // Ⅰ级 is "immediately": due as soon as it is on the board.
    let shock = accept(&clinic, &nurse, &shock(&minutes_ago(1))).unwrap();
    let board = clinic.triage_board(&nurse).unwrap();
    let row = board
        .iter()
        .find(|r| r.encounter_id == shock.encounter_id)
        .unwrap();
    assert_eq!((row.level, row.response_minutes), (1, 0));
    assert!(row.retriage_due);
}

#[test]
fn a_level_cannot_be_saved_while_a_or_b_is_unanswered() {
    let (_dir, clinic, _, nurse) = desk();
    // Shock first: even the sickest patient's record waits for the answers.
    let mut unanswered = shock(&minutes_ago(1));
    unanswered.esi.lifesaving_intervention = None;
    let e = accept(&clinic, &nurse, &unanswered).unwrap_err();
    assert_eq!(
        (e.code(), e.payload().details.as_deref()),
        ("invalid_value", Some("field: esi.lifesaving_intervention"))
    );
    let mut b = ankle("B", &minutes_ago(1));
    b.esi.severe_pain_or_distress = None;
    let e = accept(&clinic, &nurse, &b).unwrap_err();
    assert_eq!(
        e.payload().details.as_deref(),
        Some("field: esi.severe_pain_or_distress")
    );
    assert!(
        clinic.triage_board(&nurse).unwrap().is_empty(),
        "nothing saved"
    );
}

#[test]
fn a_minor_level_is_not_saved_on_vital_signs_nobody_measured() {
    let (_dir, clinic, _, nurse) = desk();
    // Resources not stated: ESI 3 / Ⅲ级, saved without vital signs (the resuscitation room does
    // not wait for a saturation) ...
    let mut no_vitals = ankle("C", &minutes_ago(1));
    no_vitals.vitals = Default::default();
    no_vitals.esi.expected_resources = None;
    let saved = accept(&clinic, &nurse, &no_vitals).unwrap();
    assert_eq!((saved.final_esi, saved.final_cn), (3, 3));
    // ... but not overridden down to a minor level, whatever the reason.
    let minor = Decision {
        final_esi: Some(4),
        final_cn: Some(4),
        reason: Some("looks well".into()),
    };
    let e = clinic
        .triage_save(&nurse, &no_vitals, None, &minor)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.payload().details.as_deref()),
        ("invalid_value", Some("field: vitals.heart_rate"))
    );
    assert_eq!(
        clinic.triage_board(&nurse).unwrap().len(),
        1,
        "nothing more saved"
    );
}

#[test]
fn the_review_worked_example_is_esi_2_and_a_downgrade_needs_a_reason_and_is_marked() {
    let (_dir, clinic, _, nurse) = desk();
    let patient = shock(&minutes_ago(3));
    let accepted_as_minor = Decision {
        final_esi: Some(4),
        final_cn: Some(3),
        ..Decision::default()
    };
    let e = clinic
        .triage_save(&nurse, &patient, None, &accepted_as_minor)
        .unwrap_err();
    assert_eq!(
        e.payload().details.as_deref(),
        Some("field: decision.reason")
    );
    let saved = clinic
        .triage_save(
            &nurse,
            &patient,
            None,
            &Decision {
                reason: Some("known chronic hypotension, walks in well".into()),
                ..accepted_as_minor
            },
        )
        .unwrap();
    assert_eq!((saved.grades.esi.level, saved.grades.cn.level), (2, 1));
    assert_eq!(saved.grades.esi.algorithm_level, 4);
    assert!(saved.overridden && saved.downgraded);
    let view = clinic.encounter(&nurse, saved.encounter_id).unwrap();
    assert!(view.encounter.downgraded);
    assert_eq!(
        (view.encounter.computed_esi, view.encounter.final_esi),
        (2, 4)
    );
    let row = &clinic.triage_board(&nurse).unwrap()[0];
    assert!(row.downgraded && row.overridden);
    let audit = clinic
        .store()
        .audit_list(&store::AuditFilter::default())
        .unwrap();
    let save = audit.iter().find(|r| r.action == "triage_save").unwrap();
    assert!(
        save.detail.contains("\"downgraded\":true"),
        "{}",
        save.detail
    );
    assert!(save.detail.contains("cn1_sbp_low"), "{}", save.detail);
    // Accepting the suggestion is no downgrade.
    let saved = accept(&clinic, &nurse, &shock(&minutes_ago(1))).unwrap();
    assert_eq!((saved.final_esi, saved.final_cn), (2, 1));
    assert!(!saved.downgraded);
}

#[test]
fn the_same_hospital_id_is_the_same_patient() {
    let (_dir, clinic, _, nurse) = desk();
    let a = accept(&clinic, &nurse, &septic("张三", "MRN-7", &minutes_ago(60))).unwrap();
    let b = accept(&clinic, &nurse, &septic("", "MRN-7", &minutes_ago(1))).unwrap();
    assert_eq!(a.patient_id, b.patient_id);
    let view = clinic.encounter(&nurse, b.encounter_id).unwrap();
    assert_eq!(
        view.encounter.name, "张三",
        "an empty name keeps the known one"
    );
}

#[test]
fn bad_values_name_the_field_and_save_nothing() {
    let (_dir, clinic, _, nurse) = desk();
    let mut bad = septic("X", "", &minutes_ago(1));
    bad.vitals.heart_rate = Some(400.0);
    let e = accept(&clinic, &nurse, &bad).unwrap_err();
    assert_eq!(e.code(), "impossible_value");
    assert_eq!(
        e.payload().details.as_deref(),
        Some("field: vitals.heart_rate")
    );
    let mut bad = septic("X", "", &minutes_ago(1));
    bad.arrived_at = Some("yesterday".into());
    assert_eq!(
        accept(&clinic, &nurse, &bad).unwrap_err().code(),
        "invalid_value"
    );
    assert!(clinic.triage_board(&nurse).unwrap().is_empty());
}

#[test]
fn only_nurses_and_clinicians_see_patients() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let e = clinic
        .triage_save(
            &admin,
            &ankle("A", &minutes_ago(1)),
            None,
            &Decision::default(),
        )
        .unwrap_err();
    assert_eq!(e.code(), "forbidden");
    assert_eq!(clinic.triage_board(&admin).unwrap_err().code(), "forbidden");
}

#[test]
fn a_draft_survives_a_restart_per_user_and_goes_when_the_triage_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let draft = json!({"patient": {"name": "半填"}, "complaint": "头痛"});
    {
        let (clinic, admin) = common::open(dir.path());
        let nurse = nurse(&clinic, &admin);
        clinic.save_triage_draft(&nurse, &draft).unwrap();
        common::user(&clinic, &admin, "dr.li", Role::Clinician, "clinician pw 1");
    }
    let (clinic, _) = common::open(dir.path());
    let doctor = clinic.login("dr.li", "clinician pw 1").unwrap();
    assert_eq!(
        clinic.triage_draft(&doctor).unwrap(),
        None,
        "drafts are per user"
    );
    let nurse = clinic.login("nurse.wang", "nurse pw 11").unwrap();
    let kept = clinic.triage_draft(&nurse).unwrap().unwrap();
    assert_eq!(kept.draft, draft);
    assert!(kept.saved_at.ends_with('Z'));
    accept(&clinic, &nurse, &ankle("A", &minutes_ago(1))).unwrap();
    assert_eq!(clinic.triage_draft(&nurse).unwrap(), None);
}

#[test]
fn a_draft_goes_at_logout_and_when_it_is_older_than_a_shift() {
    let (dir, clinic, _, nurse) = desk();
    let draft = json!({"complaint": "chest pain"});
    clinic.save_triage_draft(&nurse, &draft).unwrap();
    clinic.logout(&nurse).unwrap();
    let nurse = clinic.login("nurse.wang", "nurse pw 11").unwrap();
    assert_eq!(
        clinic.triage_draft(&nurse).unwrap(),
        None,
        "logout drops it"
    );

    clinic.save_triage_draft(&nurse, &draft).unwrap();
    let conn = rusqlite::Connection::open(dir.path().join("bedside.db")).unwrap();
    conn.execute_batch("PRAGMA key = 'clinic test passphrase';")
        .unwrap();
    conn.execute(
        "UPDATE triage_drafts SET saved_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-13 hours')",
        [],
    )
    .unwrap();
    drop(conn);
    assert_eq!(clinic.triage_draft(&nurse).unwrap(), None, "13 hours old");
}

#[test]
fn arrival_times_in_other_zones_sort_by_the_instant_and_bad_ones_are_refused() {
    let (_dir, clinic, _, nurse) = desk();
    // Same level; "earlier" arrived 30 minutes before "later", written in Beijing time.
    let utc = |minutes: i64| minutes_ago(minutes);
    let beijing = |minutes: i64| -> String {
        rusqlite::Connection::open_in_memory()
            .unwrap()
            .query_row(
                &format!(
                    "SELECT strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now', '-{minutes} minutes', '+8 hours')"
                ),
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    accept(&clinic, &nurse, &ankle("later", &utc(40))).unwrap();
    accept(&clinic, &nurse, &ankle("earlier", &beijing(70))).unwrap();
    let board = clinic.triage_board(&nurse).unwrap();
    let names: Vec<&str> = board.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["earlier", "later"]);
    // Arrived 70 minutes ago, triaged just now: the wait counts from the end of triage.
    assert!(
        board[0].waiting_minutes <= 1,
        "{}",
        board[0].waiting_minutes
    );
    assert!(
        board[0].arrived_at.ends_with('Z'),
        "stored in UTC: {}",
        board[0].arrived_at
    );

    for (bad, why) in [
        ("2026-11-28T09:15", "no zone"),
        ("2026-11-28T09:15:60Z", "second 60"),
    ] {
        let e = accept(&clinic, &nurse, &ankle("x", bad)).unwrap_err();
        assert_eq!(
            e.payload().details.as_deref(),
            Some("field: arrived_at"),
            "{why}"
        );
    }
    let future = rusqlite::Connection::open_in_memory()
        .unwrap()
        .query_row(
            "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+1 hour')",
            [],
            |r| r.get::<_, String>(0),
        )
        .unwrap();
    let e = accept(&clinic, &nurse, &ankle("x", &future)).unwrap_err();
    // Told apart from a malformed time by its code, not by the English message.
    assert_eq!(e.code(), "future_time");
    assert_eq!(e.payload().field.as_deref(), Some("arrived_at"));
    assert_eq!(e.payload().details.as_deref(), Some("field: arrived_at"));
    assert_eq!(clinic.triage_board(&nurse).unwrap().len(), 2);
}

#[test]
fn a_hospital_id_that_belongs_to_someone_else_is_refused_and_renames_nobody() {
    let (_dir, clinic, _, nurse) = desk();
    accept(&clinic, &nurse, &septic("张三", "MRN-7", &minutes_ago(60))).unwrap();
    let e = accept(&clinic, &nurse, &septic("李四", "MRN-7", &minutes_ago(1))).unwrap_err();
    assert_eq!(
        e.payload().details.as_deref(),
        Some("field: patient.hospital_id")
    );
    let board = clinic.triage_board(&nurse).unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].name, "张三");
}
