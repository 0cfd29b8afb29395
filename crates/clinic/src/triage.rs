//! The triage chain: computed grades first, then (when a model is loaded) a structured
//! suggestion from the model, merged so that it can only make a level more urgent.
//!
//! The rule tables decide; the model explains. [`merge`] is the one place where a model's
//! proposal meets a computed level, and it never lets the level go down, whatever the model
//! (local, remote, or broken) returns.

pub use ::triage::rules::UnverifiedRow;
pub use ::triage::{
    Consciousness, EsiAnswers, Grades, Intake, Patient, TriageError, Vitals, Warning,
};
use llm::{CancelToken, ChatMessage, Engine, GenerateRequest, GenerationStats, Sampling};
use serde_json::{json, Value};

use crate::prompts::{self, Lang, TRIAGE_PROMPT_VERSION};
use crate::Result;

/// Departments the model may suggest.
pub const DEPARTMENTS: &[&str] = &[
    "emergency",
    "internal_medicine",
    "surgery",
    "cardiology",
    "respiratory",
    "neurology",
    "paediatrics",
    "obstetrics_gynaecology",
    "orthopaedics",
    "ophthalmology",
    "ent",
    "dermatology",
    "psychiatry",
    "general_practice",
];

/// The JSON the model must produce; generation is constrained to it.
pub fn assist_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "summary": {"type": "string", "maxLength": 300},
            "department": {"type": "string", "enum": DEPARTMENTS},
            "questions": {"type": "array", "items": {"type": "string", "maxLength": 120}, "maxItems": 3},
            "red_flags": {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 5},
            "esi_level": {"type": "integer", "minimum": 1, "maximum": 5},
            "cn_level": {"type": "integer", "minimum": 1, "maximum": 4},
            "reason": {"type": "string", "maxLength": 200}
        },
        "required": ["summary", "department", "questions", "red_flags", "esi_level", "cn_level", "reason"],
        "additionalProperties": false
    })
}

/// The model's suggestion as shown to the nurse.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assist {
    /// Summary of the intake.
    pub summary: String,
    /// Suggested department.
    pub department: String,
    /// Questions worth asking.
    pub questions: Vec<String>,
    /// Red flags in the complaint.
    pub red_flags: Vec<String>,
    /// The model's raw level proposals and reason, kept for the record.
    pub proposal: Value,
    /// Which model.
    pub model: String,
    /// Which prompt version.
    pub prompt_version: &'static str,
    /// Generation figures.
    pub stats: GenerationStats,
}

/// The levels to show the nurse: the computed ones, or more urgent ones the model argued for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggested {
    /// ESI level, never above (less urgent than) the computed one.
    pub esi: u8,
    /// Chinese grade, never above the computed one.
    pub cn: u8,
    /// True when the model raised a level.
    pub raised_by_model: bool,
    /// The model's reason, when it raised a level.
    pub reason: Option<String>,
}

/// Grades, and the model's help when there was a model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assessment {
    /// The id it is kept under, which the save names ([`crate::Clinic::triage_save`]); `None`
    /// when it was not kept (graded without a database).
    pub id: Option<i64>,
    /// Computed from the rule tables.
    pub grades: Grades,
    /// The model's suggestion; `None` without a model.
    pub assist: Option<Assist>,
    /// The levels to propose to the nurse.
    pub suggested: Suggested,
    /// Why the model gave no suggestion, when it failed; the computed grades stand.
    pub assist_error: Option<crate::ErrorPayload>,
}

/// Combines computed levels with a model's proposal (any JSON at all). A proposal can only
/// lower the level number (more urgent) and only within the scale; anything else is ignored.
pub fn merge(grades: &Grades, proposal: Option<&Value>) -> Suggested {
    let level = |key: &str, max: u8| -> Option<u8> {
        let n = proposal?.get(key)?.as_u64()?;
        u8::try_from(n).ok().filter(|n| (1..=max).contains(n))
    };
    let esi = level("esi_level", 5).map_or(grades.esi.level, |p| p.min(grades.esi.level));
    let cn = level("cn_level", 4).map_or(grades.cn.level, |p| p.min(grades.cn.level));
    let raised = esi < grades.esi.level || cn < grades.cn.level;
    Suggested {
        esi,
        cn,
        raised_by_model: raised,
        reason: raised
            .then(|| {
                proposal
                    .and_then(|p| p["reason"].as_str())
                    .map(str::to_string)
            })
            .flatten(),
    }
}

/// The computed grades alone (validation included).
pub fn assess_grades(intake: &Intake) -> Result<Grades> {
    Ok(::triage::assess(intake)?)
}

/// The intake as the model sees it: no name, hospital ID, birth date or arrival time. The model
/// needs none of them, and a remote engine would carry them off the machine (issue 13); the age
/// the rules used and the sex stay. Free text (complaint, history) is sent as the nurse wrote it.
fn deidentified(intake: &Intake, grades: &Grades) -> Value {
    let mut kept = intake.clone();
    kept.patient.name = None;
    kept.patient.hospital_id = None;
    kept.patient.birth_date = None;
    kept.arrived_at = None;
    let mut value = serde_json::to_value(&kept).unwrap_or_default();
    if let Some(age) = &grades.age {
        value["patient"]["age"] = json!(age.text);
    }
    value
}

/// The request for the model's suggestion: the de-identified intake and the computed grades.
fn assist_request(intake: &Intake, grades: &Grades, sampling: &Sampling) -> GenerateRequest {
    let lang = Lang::of_question(&intake.complaint);
    let risk = serde_json::to_value(grades.news2.risk).unwrap_or_default();
    let news2 = format!(
        "{}{} ({} risk)",
        grades.news2.score,
        if grades.news2.complete {
            ""
        } else {
            " or more (incomplete)"
        },
        risk.as_str().unwrap_or_default()
    );
    GenerateRequest {
        messages: vec![
            ChatMessage::system(prompts::triage_system(lang)),
            ChatMessage::user(prompts::triage_user(
                &deidentified(intake, grades).to_string(),
                &news2,
                &grades.esi.level.to_string(),
                &grades.cn.level.to_string(),
            )),
        ],
        sampling: sampling.clone(),
        grammar: None,
    }
}

/// Grades an intake and, when `engine` is given, asks it for a structured suggestion.
pub fn assess(
    intake: &Intake,
    engine: Option<&dyn Engine>,
    sampling: &Sampling,
    cancel: &CancelToken,
) -> Result<Assessment> {
    let grades = assess_grades(intake)?;
    tracing::debug!(with_model = engine.is_some(), "triage graded");
    let Some(engine) = engine else {
        let suggested = merge(&grades, None);
        return Ok(Assessment {
            id: None,
            grades,
            assist: None,
            suggested,
            assist_error: None,
        });
    };
    let request = assist_request(intake, &grades, sampling);
    // The rules decide and the model only helps: a model that fails (too long, cut short,
    // broken) leaves the computed grades standing, with the reason.
    let (value, stats) = match llm::generate_json(engine, &request, &assist_schema(), cancel) {
        Ok(done) => done,
        Err(e) => {
            let suggested = merge(&grades, None);
            return Ok(Assessment {
                id: None,
                grades,
                assist: None,
                suggested,
                assist_error: Some(crate::ClinicError::from(e).payload()),
            });
        }
    };
    let suggested = merge(&grades, Some(&value));
    let strings = |key: &str| -> Vec<String> {
        value[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let assist = Assist {
        summary: value["summary"].as_str().unwrap_or_default().to_string(),
        department: value["department"].as_str().unwrap_or_default().to_string(),
        questions: strings("questions"),
        red_flags: strings("red_flags"),
        proposal: json!({
            "esi_level": value["esi_level"],
            "cn_level": value["cn_level"],
            "reason": value["reason"],
        }),
        model: engine.model_name().to_string(),
        prompt_version: TRIAGE_PROMPT_VERSION,
        stats,
    };
    Ok(Assessment {
        id: None,
        grades,
        assist: Some(assist),
        suggested,
        assist_error: None,
    })
}

/// An intake that is not JSON of the expected shape, as Bedside reports it to the window and
/// the CLI: serde's message with quoted input values masked (the intake holds names and
/// complaints, and an error may reach a log or a screenshot) and without its position. Field
/// names (after a backtick) are kept.
pub fn malformed(e: &serde_json::Error) -> TriageError {
    let text = e.to_string();
    let text = text.split(" at line").next().unwrap_or_default();
    TriageError::Malformed(without_values(text))
}

/// `message` with every quoted value masked.
fn without_values(message: &str) -> String {
    // serde quotes a string with Rust's escapes (`\"` inside): an escaped quote does not end
    // the value. A wrong choice comes in backticks after "unknown variant": masked too.
    let message = match message.split_once("unknown variant `") {
        Some((before, after)) => {
            let rest = after.split_once('`').map_or("", |(_, rest)| rest);
            format!("{before}unknown variant `…`{rest}")
        }
        None => message.to_string(),
    };
    let mut out = String::with_capacity(message.len());
    let (mut in_value, mut escaped) = (false, false);
    for c in message.chars() {
        match (c, in_value) {
            (_, true) if escaped => escaped = false,
            ('\\', true) => escaped = true,
            ('"', false) => {
                in_value = true;
                out.push_str("\"…");
            }
            ('"', true) => {
                in_value = false;
                out.push('"');
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

/// The rule rows not yet verified against their primary documents.
pub fn unverified_rules() -> Vec<UnverifiedRow> {
    ::triage::rules::tables().unverified()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_never_sees_who_the_patient_is_only_age_and_sex() {
        let intake: Intake = serde_json::from_value(json!({
            "patient": {"name": "欧阳青山", "hospital_id": "MRN-77120458", "sex": "male",
                        "birth_date": "1959-03-02"},
            "arrived_at": "2026-11-28T09:15+08:00",
            "complaint": "胸痛两小时",
            "vitals": {"heart_rate": 118}
        }))
        .unwrap();
        let grades = assess_grades(&intake).unwrap();
        let request = assist_request(&intake, &grades, &Sampling::default());
        let text: String = request
            .messages
            .iter()
            .map(|m| serde_json::to_string(m).unwrap())
            .collect();
        for identifier in [
            "欧阳青山",
            "MRN-77120458",
            "1959-03-02",
            "2026-11-28",
            "09:15",
        ] {
            assert!(
                !text.contains(identifier),
                "{identifier} reached the prompt"
            );
        }
        assert!(
            text.contains("67 years"),
            "the age the rules used stays: {text}"
        );
        assert!(text.contains("male") && text.contains("胸痛两小时"));
    }

    #[test]
    fn a_shape_error_names_the_field_but_not_the_patient() {
        let e = serde_json::from_str::<Intake>(
            r#"{"patient": {"name": 7}, "complaint": ["欧阳青山 胸痛"]}"#,
        )
        .unwrap_err();
        let shown = malformed(&e).to_string();
        assert!(
            !shown.contains("欧阳青山") && !shown.contains("at line"),
            "{shown}"
        );
        let e = serde_json::from_str::<Intake>(r#"{"complaint": "欧阳青山", "hart_rate": 1}"#)
            .unwrap_err();
        let shown = malformed(&e).to_string();
        assert!(
            shown.contains("hart_rate") && !shown.contains("欧阳青山"),
            "{shown}"
        );
        // A quote inside the value does not end the masking.
        let e = serde_json::from_str::<Intake>(r#"{"patient": "张三 \"阿三\" 胸痛"}"#).unwrap_err();
        let shown = malformed(&e).to_string();
        assert!(
            !shown.contains("阿三") && !shown.contains("胸痛"),
            "{shown}"
        );
        // Nor does a wrong choice, which serde writes in backticks.
        let e = serde_json::from_str::<Intake>(r#"{"vitals": {"consciousness": "欧阳青山"}}"#)
            .unwrap_err();
        let shown = malformed(&e).to_string();
        assert!(!shown.contains("欧阳青山"), "{shown}");
    }
}
