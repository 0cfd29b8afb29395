//! An encounter as FHIR R4 resources: the stored tables map onto Patient, Encounter (class
//! EMER, status, priority = the final triage level) and vital-sign Observations (LOINC, UCUM),
//! in a `collection` Bundle that a hospital's integration engine can post onwards.
//!
//! Triage levels have no standard code system: the Chinese grade and ESI are carried as
//! codings in `urn:bedside` systems, with their display text.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::encounters::EncounterView;

/// A stable `urn:uuid:` for a resource (name-based, as UUID v5 but over SHA-256), so that the
/// same encounter exported twice gives the same references, and `fullUrl` is absolute as FHIR
/// requires.
fn urn(resource: &str, id: &str) -> String {
    let digest = Sha256::digest(format!("bedside:{resource}/{id}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `Encounter.status` values Bedside uses.
fn status(s: &str) -> &str {
    match s {
        "triaged" | "in-progress" | "finished" | "cancelled" => s,
        _ => "unknown",
    }
}

/// The encounter, its patient and its vital signs as a FHIR R4 Bundle.
pub fn encounter_bundle(view: &EncounterView) -> Value {
    let e = &view.encounter;
    let patient_ref = urn("Patient", &e.patient_id.to_string());
    let encounter_ref = urn("Encounter", &e.id.to_string());
    let level = ::triage::rules::tables().cn.level(e.final_cn);
    let mut patient = json!({
        "resourceType": "Patient",
        "id": e.patient_id.to_string(),
        "gender": match e.sex.as_str() { "male" | "female" | "other" => e.sex.as_str(), _ => "unknown" },
    });
    if !e.name.is_empty() {
        patient["name"] = json!([{ "text": e.name }]);
    }
    if let Some(id) = e.hospital_id.as_deref().filter(|h| !h.is_empty()) {
        patient["identifier"] = json!([{ "type": {"text": "hospital ID"}, "value": id }]);
    }
    if let Some(b) = &e.birth_date {
        patient["birthDate"] = json!(b);
    }
    let mut encounter = json!({
        "resourceType": "Encounter",
        "id": e.id.to_string(),
        "status": status(&e.status),
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "EMER", "display": "emergency"},
        "subject": {"reference": patient_ref},
        "period": {"start": e.arrived_at},
        "priority": {
            "coding": [
                {"system": "urn:bedside:cn-triage-level", "code": e.final_cn.to_string(), "display": level.name_zh},
                {"system": "urn:bedside:esi", "code": e.final_esi.to_string(), "display": format!("ESI {}", e.final_esi)}
            ],
            "text": format!("{} / {}", level.name_zh, level.name_en)
        },
        "reasonCode": [{"text": e.complaint}],
    });
    if !e.arrival_mode.is_empty() {
        encounter["hospitalization"] = json!({"admitSource": {"text": e.arrival_mode}});
    }
    let observations = view.observations.iter().enumerate().map(|(i, o)| {
        let mut obs = json!({
            "resourceType": "Observation",
            "id": format!("{}-{}", e.id, i + 1),
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
            "code": {"coding": [{"system": o.system, "code": o.code, "display": o.display}], "text": o.display},
            "subject": {"reference": patient_ref},
            "encounter": {"reference": encounter_ref},
            "effectiveDateTime": o.recorded_at,
        });
        match (o.value, &o.value_text) {
            (Some(v), _) => {
                obs["valueQuantity"] = json!({"value": v, "unit": o.unit, "system": "http://unitsofmeasure.org", "code": o.unit});
            }
            (None, Some(t)) => obs["valueString"] = json!(t),
            (None, None) => {}
        }
        obs
    });
    let entries: Vec<Value> = [patient, encounter]
        .into_iter()
        .chain(observations)
        .map(|r| {
            let url = urn(
                r["resourceType"].as_str().unwrap_or_default(),
                r["id"].as_str().unwrap_or_default(),
            );
            json!({"fullUrl": url, "resource": r})
        })
        .collect();
    json!({"resourceType": "Bundle", "type": "collection", "entry": entries})
}
