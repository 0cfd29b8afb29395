//! What an insider with the database key can no longer do unseen: edit a vital sign or a
//! level in the database, cut rows off the end of the audit log, or remove the record of how
//! far the log reached. Each on a real encrypted database and a real head file beside it.

mod common;

use clinic::encounters::Decision;
use clinic::triage::Intake;
use clinic::{Clinic, Role};
use serde_json::json;
use store::{HeadCheck, RecordRef};

/// A data directory inside the temporary one, so that the head file beside it is cleaned up
/// with it.
fn data_dir(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("data")
}

fn open(tmp: &tempfile::TempDir) -> (Clinic, clinic::Actor) {
    common::open(&data_dir(tmp))
}

/// The same database as someone holding its key would open it, around Bedside.
fn raw(tmp: &tempfile::TempDir) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(data_dir(tmp).join("bedside.db")).unwrap();
    conn.execute_batch("PRAGMA key = 'clinic test passphrase';")
        .unwrap();
    conn
}

/// A septic-looking adult: ESI 2, Chinese grade Ⅱ.
fn septic(name: &str) -> Intake {
    serde_json::from_value(json!({
        "patient": {"name": name, "age_years": 67, "sex": "male"},
        "complaint": "fever and shortness of breath",
        "vitals": {"resp_rate": 26, "spo2": 90, "on_oxygen": false, "systolic_bp": 96,
                   "diastolic_bp": 60, "heart_rate": 118, "temperature_c": 38.4,
                   "consciousness": "alert", "pain": 3},
        "esi": {"lifesaving_intervention": false, "high_risk": false, "new_confusion": false,
                "severe_pain_or_distress": false, "expected_resources": 3}
    }))
    .unwrap()
}

fn triage(clinic: &Clinic, admin: &clinic::Actor, names: &[&str]) -> Vec<i64> {
    let nurse = common::user(clinic, admin, "nurse.wang", Role::Nurse, "nurse pw 11");
    names
        .iter()
        .map(|n| {
            clinic
                .triage_save(&nurse, &septic(n), None, &Decision::default())
                .unwrap()
                .encounter_id
        })
        .collect()
}

fn altered(ids: &[i64]) -> Vec<RecordRef> {
    ids.iter()
        .map(|&id| RecordRef {
            kind: "encounter",
            id,
        })
        .collect()
}

#[test]
fn a_vital_sign_changed_in_the_database_breaks_verification_even_after_a_later_change() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let ids = triage(&clinic, &admin, &["Zhang San", "Li Si"]);
    assert!(clinic.audit_verify(&admin).unwrap().intact);

    // The first patient's SpO2 of 90 % becomes a reassuring 98 %, through SQL, with the key.
    let n = raw(&tmp)
        .execute(
            "UPDATE observations SET value = 98 WHERE encounter_id = ?1 AND value = 90",
            [ids[0]],
        )
        .unwrap();
    assert_eq!(n, 1);
    let check = clinic.audit_verify(&admin).unwrap();
    assert!(!check.intact);
    assert!(check.chain.intact(), "the log itself was not touched");
    assert_eq!(
        check.records.altered,
        altered(&ids[..1]),
        "only the edited one"
    );
    assert!(check.summary().contains(&format!("encounter {}", ids[0])));

    // A legitimate change afterwards (the patient is called in) does not launder the edit.
    let clinician = common::user(&clinic, &admin, "dr.li", Role::Clinician, "doctor pw 11");
    clinic.call_in(&clinician, ids[0]).unwrap();
    assert_eq!(
        clinic.audit_verify(&admin).unwrap().records.altered,
        altered(&ids[..1])
    );
}

#[test]
fn a_level_lowered_or_a_record_removed_in_the_database_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let ids = triage(&clinic, &admin, &["Wang Wu", "Zhao Liu", "Sun Qi"]);
    let conn = raw(&tmp);
    conn.execute(
        "UPDATE encounters SET final_esi = 4, final_cn = 4, override_reason = 'looks well'
         WHERE id = ?1",
        [ids[1]],
    )
    .unwrap();
    conn.execute("DELETE FROM observations WHERE encounter_id = ?1", [ids[2]])
        .unwrap();
    conn.execute("DELETE FROM encounters WHERE id = ?1", [ids[2]])
        .unwrap();
    let check = clinic.audit_verify(&admin).unwrap();
    assert_eq!(check.records.altered, altered(&ids[1..]));
    assert_eq!(check.records.checked, 2);
}

#[test]
fn records_changed_only_by_bedside_verify_and_every_change_carries_a_digest() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let ids = triage(&clinic, &admin, &["Zhou Ba"]);
    let clinician = common::user(&clinic, &admin, "dr.li", Role::Clinician, "doctor pw 11");
    clinic.call_in(&clinician, ids[0]).unwrap();
    let check = clinic.audit_verify(&admin).unwrap();
    assert!(check.intact, "{check:?}");
    assert_eq!((check.records.checked, check.records.unsealed), (1, 0));

    let rows = clinic.store().audit_list(&Default::default()).unwrap();
    let changes: Vec<_> = rows
        .iter()
        .filter(|r| r.object_kind == "encounter" && r.action != "encounter_read")
        .collect();
    assert_eq!(changes.len(), 2, "the save and the call-in");
    for row in changes {
        let detail: serde_json::Value = serde_json::from_str(&row.detail).unwrap();
        assert!(
            detail["digest"].as_str().unwrap().starts_with("sha256:"),
            "{}",
            row.detail
        );
    }
}

#[test]
fn rows_cut_off_the_end_of_the_log_are_found_at_the_next_start_and_reported_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    triage(&clinic, &admin, &["Zhang San"]);
    clinic.logout(&admin).unwrap();
    let before = clinic.store().verify_audit_chain().unwrap();
    drop(clinic);

    // The last rows (the triage, the logout) are cut off; what is left is a valid chain.
    let conn = raw(&tmp);
    conn.execute_batch("DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE id > ?1", [before.head_id - 3])
        .unwrap();
    drop(conn);

    let clinic = Clinic::open(&data_dir(&tmp), &common::key()).unwrap();
    assert!(clinic.store().verify_audit_chain().unwrap().intact());
    let check = clinic.check_at_start().unwrap();
    assert!(!check.intact);
    assert!(
        matches!(check.head, HeadCheck::RowsMissing { recorded_id, head_id, .. }
            if recorded_id == before.head_id && head_id == before.head_id - 3),
        "{:?}",
        check.head
    );
    let rows = clinic.store().audit_list(&Default::default()).unwrap();
    assert_eq!(rows[0].action, "audit_alarm", "the finding is in the log");
    assert_eq!(rows[0].outcome, "failed");
    let file = std::fs::read_to_string(clinic.head_file().path()).unwrap();
    assert!(file.lines().last().unwrap().contains(" alarm "), "{file}");

    // Reported once: the next start compares with the log as it was found.
    let again = clinic.check_at_start().unwrap();
    assert!(again.intact, "{again:?}");
    // Cutting the alarm itself off is found in turn.
    let head = clinic.store().verify_audit_chain().unwrap().head_id;
    let conn = raw(&tmp);
    conn.execute_batch("DROP TRIGGER IF EXISTS audit_log_no_delete;")
        .unwrap();
    conn.execute("DELETE FROM audit_log WHERE id > ?1", [head - 2])
        .unwrap();
    drop(conn);
    assert!(matches!(
        clinic.check_at_start().unwrap().head,
        HeadCheck::RowsMissing { .. }
    ));
}

#[test]
fn a_removed_head_file_is_reported_and_a_new_installation_is_not() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let path = clinic.head_file().path().to_path_buf();
    assert!(path.exists(), "setting up the admin wrote the head down");
    assert!(
        !path.starts_with(data_dir(&tmp)),
        "outside the data directory"
    );
    assert!(clinic.audit_verify(&admin).unwrap().intact);

    std::fs::remove_file(&path).unwrap();
    let check = clinic.audit_verify(&admin).unwrap();
    assert!(!check.intact);
    assert_eq!(check.head, HeadCheck::FileMissing { path: path.clone() });

    // A data directory whose head was never written (an upgrade) is not an alarm.
    let fresh = tempfile::tempdir().unwrap();
    let dir = data_dir(&fresh);
    let clinic = Clinic::open(&dir, &common::key()).unwrap();
    assert!(!clinic.head_file().path().exists());
    let check = clinic.check_at_start().unwrap();
    assert!(check.intact);
    assert_eq!(check.head, HeadCheck::NotYetRecorded);
    assert!(
        clinic.head_file().path().exists(),
        "the start wrote it down"
    );
}

#[test]
fn a_restore_rewinds_the_head_on_purpose_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let snapshot = tmp.path().join("snap.db");
    clinic.backup(&admin, &snapshot).unwrap();
    triage(&clinic, &admin, &["Zhang San"]);
    let replaced = clinic.store().verify_audit_chain().unwrap();

    clinic.restore(&admin, &snapshot).unwrap();
    let check = clinic.check_at_start().unwrap();
    assert!(check.intact, "{check:?}");
    let file = std::fs::read_to_string(clinic.head_file().path()).unwrap();
    assert!(
        file.lines().any(|l| l.contains(" restore ")),
        "the head file says the chain was rewound: {file}"
    );
    let restore = clinic
        .store()
        .audit_list(&store::AuditFilter {
            action: Some("restore".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(restore[0].detail.contains(&replaced.head_hash));
}

#[test]
fn a_row_whose_digest_is_not_text_marks_its_record_altered_and_does_not_stop_the_check() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let ids = triage(&clinic, &admin, &["Zhang San"]);
    // Appended through the chain, as someone with the key could.
    clinic
        .store()
        .audit(&store::AuditEntry {
            username: "nurse.wang".into(),
            role: "nurse".into(),
            action: "encounter_call_in".into(),
            object_kind: "encounter".into(),
            object_id: ids[0].to_string(),
            outcome: store::Outcome::Ok,
            detail: r#"{"digest":1}"#.into(),
        })
        .unwrap();
    let check = clinic.check_at_start().unwrap();
    assert!(!check.intact);
    assert_eq!(check.records.altered, altered(&ids));
    let rows = clinic.store().audit_list(&Default::default()).unwrap();
    assert_eq!(rows[0].action, "audit_alarm");
}

#[test]
fn a_head_file_that_is_not_a_plain_file_raises_the_alarm_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, _admin) = open(&tmp);
    let path = clinic.head_file().path().to_path_buf();
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    let check = clinic.check_at_start().unwrap();
    assert!(!check.intact);
    assert!(
        matches!(check.head, HeadCheck::Unreadable { .. }),
        "{:?}",
        check.head
    );
    let rows = clinic.store().audit_list(&Default::default()).unwrap();
    assert_eq!(rows[0].action, "audit_alarm");
}

/// The head file says the log reached `extra` rows further than it does.
fn pretend_rows_were_cut(clinic: &Clinic, extra: i64) {
    let head = clinic.store().verify_audit_chain().unwrap().head_id;
    let line = format!(
        "2026-12-05T08:00:00Z logout {} {}\n",
        head + extra,
        "ab".repeat(32)
    );
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(clinic.head_file().path())
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
}

#[test]
fn an_alarm_waits_for_every_admin_until_one_acknowledges_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    pretend_rows_were_cut(&clinic, 4);
    assert!(!clinic.check_at_start().unwrap().intact);
    drop(clinic);

    // The next start finds nothing new, yet the alarm is still waiting.
    let (clinic, admin_again) = open(&tmp);
    assert!(clinic.check_at_start().unwrap().intact);
    let pending = clinic.pending_audit_alarms(&admin_again).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].action, "audit_alarm");

    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 11");
    let e = clinic
        .acknowledge_audit_alarms(&nurse, pending[0].id)
        .unwrap_err();
    assert_eq!(e.code(), "forbidden");
    clinic
        .acknowledge_audit_alarms(&admin_again, pending[0].id)
        .unwrap();
    assert!(clinic.pending_audit_alarms(&admin).unwrap().is_empty());
    let ack = &clinic.store().audit_list(&Default::default()).unwrap()[0];
    assert_eq!(
        (ack.action.as_str(), ack.username.as_str()),
        ("audit_alarm_ack", "admin")
    );

    // An acknowledgement reaches only alarms that exist: none for rows still to come.
    let e = clinic
        .acknowledge_audit_alarms(&admin, i64::MAX)
        .unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    // A later alarm is a new one.
    pretend_rows_were_cut(&clinic, 2);
    assert!(!clinic.check_at_start().unwrap().intact);
    assert_eq!(clinic.pending_audit_alarms(&admin).unwrap().len(), 1);
}

#[test]
fn encounters_stored_before_digests_are_sealed_at_the_next_start() {
    let tmp = tempfile::tempdir().unwrap();
    let (clinic, admin) = open(&tmp);
    let ids = triage(&clinic, &admin, &["Zhang San"]);
    // An encounter as an older version stored it: no digest in any audit row.
    let conn = raw(&tmp);
    let columns = "patient_id, status, arrived_at, arrival_mode, complaint, intake_json, \
                   grades_json, assist_json, computed_esi, computed_cn, suggested_esi, \
                   suggested_cn, final_esi, final_cn, override_reason, response_minutes, \
                   news2_score, news2_risk, news2_complete, triaged_by, triaged_at";
    conn.execute(
        &format!(
            "INSERT INTO encounters ({columns}) SELECT {columns} FROM encounters WHERE id = ?1"
        ),
        [ids[0]],
    )
    .unwrap();
    let old = conn.last_insert_rowid();
    let check = clinic.audit_verify(&admin).unwrap();
    assert_eq!((check.records.checked, check.records.unsealed), (2, 1));
    assert!(check.intact, "unsealed is not altered");

    let check = clinic.check_at_start().unwrap();
    assert!(check.intact);
    let check = clinic.audit_verify(&admin).unwrap();
    assert_eq!(check.records.unsealed, 0, "sealed as it stands");
    conn.execute(
        "UPDATE encounters SET final_esi = 5, final_cn = 4, override_reason = 'x' WHERE id = ?1",
        [old],
    )
    .unwrap();
    assert_eq!(
        clinic.audit_verify(&admin).unwrap().records.altered,
        altered(&[old])
    );

    // Sealing happens once: an encounter put there around Bedside afterwards is not taken as
    // it is at the next start but reported.
    conn.execute(
        &format!(
            "INSERT INTO encounters ({columns}) SELECT {columns} FROM encounters WHERE id = ?1"
        ),
        [ids[0]],
    )
    .unwrap();
    let forged = conn.last_insert_rowid();
    let check = clinic.check_at_start().unwrap();
    assert!(!check.intact);
    assert_eq!(check.records.altered, altered(&[old, forged]));
}
