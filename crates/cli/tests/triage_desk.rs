//! `bedside triage --save`, `bedside board` and `bedside encounter --fhir` through the real
//! binary: what hospital scripts rely on.

mod common;

use common::{add_user, bedside_as, bedside_as_with_stdin, error_code};
use serde_json::Value;

const SEPTIC: &str = r#"{"patient":{"name":"张三","age_years":67,"sex":"male","hospital_id":"MRN-42"},
  "complaint":"fever and shortness of breath","arrival_mode":"ambulance",
  "vitals":{"resp_rate":26,"spo2":90,"on_oxygen":false,"systolic_bp":96,"diastolic_bp":60,
            "heart_rate":118,"temperature_c":38.4,"consciousness":"alert"},
  "esi":{"lifesaving_intervention":false,"high_risk":false,"new_confusion":false,
         "severe_pain_or_distress":false,"expected_resources":3}}"#;

fn last_json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap()
}

#[test]
fn a_nurse_saves_a_triage_and_the_patient_is_on_the_board_and_in_fhir() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let nurse = |args: &[&str], stdin: &str| {
        bedside_as_with_stdin(dir.path(), "nurse.wang", "nurse pw 11", args, stdin)
    };
    let saved = last_json(&nurse(&["triage", "--save", "--json"], SEPTIC));
    assert_eq!(saved["cn"]["level"], 2);
    let encounter = &saved["encounter"];
    assert_eq!(
        (
            encounter["final_cn"].as_u64(),
            encounter["overridden"].as_bool()
        ),
        (Some(2), Some(false))
    );
    let id = encounter["encounter_id"].as_i64().unwrap().to_string();

    let board = last_json(&nurse(&["board", "--json"], ""));
    let waiting = board["waiting"].as_array().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["name"], "张三");
    assert_eq!(waiting[0]["zone"], "red");
    assert_eq!(waiting[0]["colour"], "orange");
    assert_eq!(waiting[0]["downgraded"], false);

    let bundle = last_json(&nurse(&["encounter", &id, "--fhir"], ""));
    assert_eq!(bundle["resourceType"], "Bundle");
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let enc = resources
        .iter()
        .find(|r| r["resourceType"] == "Encounter")
        .unwrap();
    assert_eq!(enc["status"], "triaged");
    assert_eq!(enc["class"]["code"], "EMER");
    assert_eq!(enc["priority"]["coding"][0]["code"], "2");
    let hr = resources
        .iter()
        .find(|r| r["code"]["coding"][0]["code"] == "8867-4")
        .expect("heart rate as a LOINC observation");
    assert_eq!(hr["valueQuantity"]["value"], 118.0);
    assert_eq!(hr["valueQuantity"]["code"], "/min");
    let patient = resources
        .iter()
        .find(|r| r["resourceType"] == "Patient")
        .unwrap();
    assert_eq!(patient["identifier"][0]["value"], "MRN-42");
}

#[test]
fn a_triage_with_a_or_b_unanswered_is_graded_but_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let nurse = |args: &[&str], stdin: &str| {
        bedside_as_with_stdin(dir.path(), "nurse.wang", "nurse pw 11", args, stdin)
    };
    // `null` and absent both mean "not assessed", never "no".
    let unanswered = SEPTIC.replace("\"high_risk\":false", "\"high_risk\":null");
    let graded = last_json(&nurse(&["triage", "--json"], &unanswered));
    assert_eq!(graded["unanswered"][0], "esi.high_risk");
    let out = nurse(&["triage", "--save", "--json"], &unanswered);
    assert_eq!(error_code(&out), "invalid_value");
    assert!(String::from_utf8_lossy(&out.stdout).contains("esi.high_risk"));
    let absent = SEPTIC.replace("\"lifesaving_intervention\":false,", "");
    let out = nurse(&["triage", "--save", "--json"], &absent);
    assert!(String::from_utf8_lossy(&out.stdout).contains("esi.lifesaving_intervention"));
    let board = last_json(&nurse(&["board", "--json"], ""));
    assert!(board["waiting"].as_array().unwrap().is_empty());
}

#[test]
fn an_override_without_a_reason_or_a_bad_value_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "nurse.wang", "nurse", "nurse pw 11");
    let nurse = |args: &[&str], stdin: &str| {
        bedside_as_with_stdin(dir.path(), "nurse.wang", "nurse pw 11", args, stdin)
    };
    let out = nurse(&["triage", "--save", "--final-cn", "3", "--json"], SEPTIC);
    assert_eq!(error_code(&out), "invalid_value");
    assert!(String::from_utf8_lossy(&out.stdout).contains("decision.reason"));
    let bad = SEPTIC.replace("\"heart_rate\":118", "\"heart_rate\":400");
    let out = nurse(&["triage", "--save", "--json"], &bad);
    assert_eq!(error_code(&out), "impossible_value");
    assert!(String::from_utf8_lossy(&out.stdout).contains("vitals.heart_rate"));
    let board = last_json(&nurse(&["board", "--json"], ""));
    assert!(board["waiting"].as_array().unwrap().is_empty());

    let out = nurse(
        &[
            "triage",
            "--save",
            "--final-cn",
            "3",
            "--reason",
            "stable on reassessment",
            "--json",
        ],
        SEPTIC,
    );
    let saved = last_json(&out);
    assert_eq!(saved["encounter"]["final_cn"], 3);
    assert_eq!(saved["encounter"]["overridden"], true);
    assert_eq!(
        saved["encounter"]["downgraded"], true,
        "Ⅲ级 is below the computed Ⅱ级"
    );
    let board = last_json(&nurse(&["board", "--json"], ""));
    assert_eq!(board["waiting"][0]["downgraded"], true);
    let out = bedside_as(dir.path(), "admin", common::ADMIN_PW, &["board", "--json"]);
    assert_eq!(error_code(&out), "forbidden", "admins do not see patients");
}
