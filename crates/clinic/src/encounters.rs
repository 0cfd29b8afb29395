//! From a graded intake to a patient on the board: the nurse's decision, stored with the
//! computed and suggested levels; the board; one encounter; the form's draft.
//!
//! The levels are computed again here from the intake, never taken from the caller: what the
//! nurse saw on screen and what is stored come from the same rules. The model's proposal may
//! only have raised the suggestion ([`crate::triage::merge`]); the nurse may decide otherwise in
//! either direction, but only with a reason, and both the computed and the final level are kept
//! with who decided and when.

use access::Action;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::{
    EncounterRecord, NewEncounter, NewObservation, NewPatient, ObservationRecord, Outcome,
};

use crate::auth::{entry, Actor};
use crate::triage::{self, Consciousness, Grades, Intake, Suggested};
use crate::{Clinic, ClinicError, Result};

/// Longest override reason kept.
pub const MAX_REASON_CHARS: usize = 500;

/// An assessment nobody saved within this time is gone: a save must grade the form again.
/// As long as a draft lives, so that a form graded before a restart can still be saved.
pub const ASSESSMENT_MAX_AGE_HOURS: u32 = DRAFT_MAX_AGE_HOURS;

/// Drafts older than this are a patient long gone: discarded, not offered.
pub const DRAFT_MAX_AGE_HOURS: u32 = 12;

/// A kept intake form and when it was kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    /// The form, as the window sent it.
    pub draft: Value,
    /// When (UTC).
    pub saved_at: String,
}

/// The nurse's decision. Levels left out accept the suggestion.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Decision {
    /// Final ESI level, 1-5.
    #[serde(default)]
    pub final_esi: Option<u8>,
    /// Final Chinese grade, 1-4.
    #[serde(default)]
    pub final_cn: Option<u8>,
    /// Why, when the final level differs from the suggestion.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What was stored.
#[derive(Debug, Clone, Serialize)]
pub struct SavedTriage {
    /// The new encounter.
    pub encounter_id: i64,
    /// The patient (new, or found by hospital ID).
    pub patient_id: i64,
    /// The computed grades.
    pub grades: Grades,
    /// The levels proposed to the nurse.
    pub suggested: Suggested,
    /// The final ESI level.
    pub final_esi: u8,
    /// The final Chinese grade.
    pub final_cn: u8,
    /// True when the nurse decided differently from the suggestion.
    pub overridden: bool,
    /// True when the final level is less urgent than the computed one (safety floor included).
    pub downgraded: bool,
    /// How long the patient may wait at the final level.
    pub response_minutes: u32,
}

/// One line of the triage board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    /// Encounter id.
    pub encounter_id: i64,
    /// Patient name (may be empty).
    pub name: String,
    /// Patient sex.
    pub sex: String,
    /// Age in years (fractional for infants, the youngest the patient can be), if known.
    pub age_years: Option<f64>,
    /// The age as the rules read it ("27 days", "3 to 4 years"), when the triage recorded one.
    pub age_text: Option<String>,
    /// The same in Chinese.
    pub age_text_zh: Option<String>,
    /// Hospital ID, if known.
    pub hospital_id: Option<String>,
    /// Chief complaint.
    pub complaint: String,
    /// Final Chinese grade.
    pub level: u8,
    /// Its name in Chinese.
    pub level_name_zh: String,
    /// Its name in English.
    pub level_name_en: String,
    /// Where the patient is seen: `red`, `yellow`, `green`.
    pub zone: String,
    /// The level's colour label: `red`, `orange`, `yellow`, `green`.
    pub colour: String,
    /// Final ESI level.
    pub esi: u8,
    /// NEWS2 and whether it was complete.
    pub news2_score: u8,
    /// NEWS2 risk band.
    pub news2_risk: String,
    /// Whether every NEWS2 parameter was known.
    pub news2_complete: bool,
    /// Arrival time.
    pub arrived_at: String,
    /// When triage ended: the wait is counted from here.
    pub triaged_at: String,
    /// Whole minutes waited since the end of triage.
    pub waiting_minutes: u32,
    /// The level's target.
    pub response_minutes: u32,
    /// The wait has reached the target: re-triage now.
    pub retriage_due: bool,
    /// The nurse overrode the suggestion.
    pub overridden: bool,
    /// The final level is less urgent than the computed one (safety floor included).
    pub downgraded: bool,
    /// Who triaged.
    pub triaged_by: String,
}

/// An encounter as a clinician opens it.
#[derive(Debug, Clone, Serialize)]
pub struct EncounterView {
    /// The stored encounter.
    pub encounter: EncounterRecord,
    /// Its vital signs.
    pub observations: Vec<ObservationRecord>,
}

/// LOINC codes of the FHIR R4 vital-signs profile; `urn:bedside` where LOINC has no code for
/// what the form records (an ACVPU letter, a yes/no "on oxygen").
fn observations(intake: &Intake) -> Vec<NewObservation<'static>> {
    const LOINC: &str = "http://loinc.org";
    let v = &intake.vitals;
    let numeric = [
        (v.resp_rate, "9279-1", "Respiratory rate", "/min"),
        (
            v.spo2,
            "59408-5",
            "Oxygen saturation by pulse oximetry",
            "%",
        ),
        (v.heart_rate, "8867-4", "Heart rate", "/min"),
        (v.systolic_bp, "8480-6", "Systolic blood pressure", "mm[Hg]"),
        (
            v.diastolic_bp,
            "8462-4",
            "Diastolic blood pressure",
            "mm[Hg]",
        ),
        (v.temperature_c, "8310-5", "Body temperature", "Cel"),
        (
            v.pain,
            "72514-3",
            "Pain severity 0-10 verbal numeric rating",
            "{score}",
        ),
    ];
    let mut out: Vec<NewObservation<'static>> = numeric
        .into_iter()
        .filter_map(|(value, code, display, unit)| {
            value.map(|value| NewObservation {
                system: LOINC,
                code,
                display,
                value: Some(value),
                value_text: None,
                unit,
            })
        })
        .collect();
    if let Some(c) = v.consciousness {
        out.push(NewObservation {
            system: "urn:bedside",
            code: "acvpu",
            display: "Level of consciousness (ACVPU)",
            value: None,
            value_text: Some(match c {
                Consciousness::Alert => "A",
                Consciousness::Confusion => "C",
                Consciousness::Voice => "V",
                Consciousness::Pain => "P",
                Consciousness::Unresponsive => "U",
            }),
            unit: "",
        });
    }
    if let Some(o) = v.on_oxygen {
        out.push(NewObservation {
            system: "urn:bedside",
            code: "on-oxygen",
            display: "On supplemental oxygen",
            value: None,
            value_text: Some(if o { "yes" } else { "no" }),
            unit: "",
        });
    }
    out
}

/// The SHA-256 of an intake as Bedside reads it (parsed, then written out in field order), so
/// the same form gives the same digest however its JSON was spaced or ordered.
fn intake_digest(intake: &Intake) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(intake).unwrap_or_default();
    format!("sha256:{}", hex::encode(Sha256::digest(json)))
}

fn invalid(field: &'static str, allowed: &'static str) -> ClinicError {
    ClinicError::Triage(triage::TriageError::Invalid { field, allowed })
}

/// What an unanswered intake field needs before a level is saved.
fn unanswered_reason(field: &str) -> &'static str {
    match field.split('.').next() {
        Some("esi") => "an answer (yes or no) to ESI questions A and B before the level is saved",
        Some("vitals") => {
            "a measurement: a minor level (ESI 4-5, Ⅳ级) is not saved without heart rate, breathing rate and SpO2 (and an infant's temperature)"
        }
        _ => "an infant's exact age (days, months or the birth date), not 0 years",
    }
}

/// Checks the decision against the suggestion; returns the final levels and the reason.
fn decide(suggested: &Suggested, d: &Decision) -> Result<(u8, u8, Option<String>)> {
    let esi = d.final_esi.unwrap_or(suggested.esi);
    let cn = d.final_cn.unwrap_or(suggested.cn);
    if !(1..=5).contains(&esi) {
        return Err(invalid("decision.final_esi", "1 to 5"));
    }
    if !(1..=4).contains(&cn) {
        return Err(invalid("decision.final_cn", "1 to 4"));
    }
    let reason = d
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        return Err(invalid("decision.reason", "at most 500 characters"));
    }
    let overridden = esi != suggested.esi || cn != suggested.cn;
    if overridden && reason.is_none() {
        return Err(invalid(
            "decision.reason",
            "a reason when the level differs from the suggestion",
        ));
    }
    Ok((esi, cn, reason))
}

impl Clinic {
    /// Grades an intake (and asks the model, when given one) without storing anything. The
    /// model's suggestion, when shown, is recorded in the audit log.
    pub fn triage_assess(
        &self,
        actor: &Actor,
        intake: &Intake,
        engine: Option<&dyn llm::Engine>,
        sampling: &llm::Sampling,
        cancel: &llm::CancelToken,
    ) -> Result<triage::Assessment> {
        self.authorize(actor, Action::TriageCompute)?;
        let mut assessment = triage::assess(intake, engine, sampling, cancel)?;
        let assist_json = assessment
            .assist
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| {
                ClinicError::InvalidInput(format!("the suggestion cannot be kept: {e}"))
            })?;
        let id = self.store().keep_assessment(
            actor.username(),
            &intake_digest(intake),
            assist_json.as_deref(),
            ASSESSMENT_MAX_AGE_HOURS,
        )?;
        assessment.id = Some(id);
        if let Some(assist) = &assessment.assist {
            self.store().audit(&entry(
                Some(actor),
                "triage_assist",
                ("assessment", &id.to_string()),
                Outcome::Ok,
                json!({
                    "model": assist.model,
                    "prompt_version": assist.prompt_version,
                    "raised": assessment.suggested.raised_by_model,
                }),
            ))?;
        }
        Ok(assessment)
    }

    /// The model's suggestion kept with assessment `id`, for a save of `intake` by `actor`:
    /// only the same user's, unused, unexpired assessment of this very intake.
    fn kept_assist(&self, actor: &Actor, id: i64, intake: &Intake) -> Result<Option<Value>> {
        let stale = |why| ClinicError::AssessmentStale { id, why };
        let kept = self
            .store()
            .kept_assessment(id, actor.username())?
            .ok_or(stale(
                "is not one of yours, was replaced by a newer grading, or was already saved",
            ))?;
        if kept.expired {
            return Err(stale("has expired"));
        }
        if kept.intake_digest != intake_digest(intake) {
            return Err(stale("graded a different form"));
        }
        // A suggestion that cannot be read is refused, never dropped: it may hold a raise.
        kept.assist_json
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(|_| stale("cannot be read"))
    }

    /// Stores the nurse's decision: the patient, the encounter with its computed, suggested
    /// and final levels, the vital signs, and the audit row, in one transaction. `assessment`
    /// is the id [`Clinic::triage_assess`] gave the grading the nurse saw: the model's
    /// suggestion, if any, is read from it as Bedside kept it, never taken from the caller, and
    /// it can only have raised the suggestion. The save uses the assessment up. Without one,
    /// the computed levels are the suggestion.
    pub fn triage_save(
        &self,
        actor: &Actor,
        intake: &Intake,
        assessment: Option<i64>,
        decision: &Decision,
    ) -> Result<SavedTriage> {
        self.authorize(actor, Action::TriageSave)?;
        let grades = triage::assess_grades(intake)?;
        // An unanswered question is never a "no": the level is provisional until A and B are.
        if let Some(field) = grades.unanswered.first() {
            return Err(invalid(field, unanswered_reason(field)));
        }
        let digest = intake_digest(intake);
        let assist = match assessment {
            Some(id) => self.kept_assist(actor, id, intake)?,
            None => None,
        };
        let assist = assist.as_ref();
        let arrived_at = match intake.arrived_at.as_deref().filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => match self.store().utc_time(t)? {
                None => return Err(invalid("arrived_at", "a time SQLite can read")),
                Some((_, true)) => {
                    return Err(triage::TriageError::Future {
                        field: "arrived_at",
                    }
                    .into())
                }
                Some((utc, false)) => Some(utc),
            },
        };
        let proposal = assist.and_then(|a| a.get("proposal")).or(assist);
        let suggested = triage::merge(&grades, proposal);
        let (final_esi, final_cn, reason) = decide(&suggested, decision)?;
        // A nurse may choose a minor level, but not on vital signs nobody measured.
        if ::triage::is_minor(final_esi, final_cn) {
            let age = grades.age.as_ref().map(|a| a.age);
            if let Some(field) = ::triage::unmeasured_for_a_minor_level(intake, age).first() {
                return Err(invalid(field, unanswered_reason(field)));
            }
        }
        let overridden = final_esi != suggested.esi || final_cn != suggested.cn;
        let downgraded = final_esi > grades.esi.level || final_cn > grades.cn.level;
        let level = ::triage::rules::tables().cn.level(final_cn);
        let risk = serde_json::to_value(grades.news2.risk).unwrap_or_default();
        let intake_json = serde_json::to_string(intake).unwrap_or_default();
        let grades_json = serde_json::to_string(&grades).unwrap_or_default();
        let assist_json = assist.map(Value::to_string);
        let p = &intake.patient;
        let (encounter_id, patient_id) = self.store().save_triage(
            &NewPatient {
                hospital_id: p.hospital_id.as_deref(),
                name: p.name.as_deref().unwrap_or_default().trim(),
                sex: p
                    .sex
                    .as_deref()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("unknown"),
                birth_date: p.birth_date.as_deref().filter(|d| !d.is_empty()),
            },
            &NewEncounter {
                arrived_at: arrived_at.as_deref(),
                arrival_mode: intake.arrival_mode.as_deref().unwrap_or_default(),
                complaint: intake.complaint.trim(),
                intake_json: &intake_json,
                grades_json: &grades_json,
                assist_json: assist_json.as_deref(),
                computed_esi: grades.esi.level,
                computed_cn: grades.cn.level,
                suggested_esi: suggested.esi,
                suggested_cn: suggested.cn,
                final_esi,
                final_cn,
                override_reason: reason.as_deref(),
                response_minutes: level.response_minutes,
                news2_score: grades.news2.score,
                news2_risk: risk.as_str().unwrap_or_default(),
                news2_complete: grades.news2.complete,
                triaged_by: actor.username(),
                assessment: assessment.map(|id| (id, digest.as_str())),
            },
            &observations(intake),
            |encounter_id, patient_id| {
                entry(
                    Some(actor),
                    Action::TriageSave.name(),
                    ("encounter", &encounter_id.to_string()),
                    Outcome::Ok,
                    json!({
                        "patient_id": patient_id,
                        "computed": {"esi": grades.esi.level, "cn": grades.cn.level},
                        "suggested": {"esi": suggested.esi, "cn": suggested.cn,
                                      "raised_by_model": suggested.raised_by_model},
                        "algorithm": {"esi": grades.esi.algorithm_level,
                                      "cn": grades.cn.algorithm_level},
                        "floor": {"esi": grades.floor.esi, "cn": grades.floor.cn,
                                  "rules": grades.floor.hits.iter().map(|h| &h.id).collect::<Vec<_>>()},
                        "final": {"esi": final_esi, "cn": final_cn},
                        "overridden": overridden,
                        "downgraded": downgraded,
                        "assessment": assessment,
                    }),
                )
            },
        )
        .map_err(|e| match e {
            // Another save used it since it was read.
            store::StoreError::NotFound {
                what: "triage assessment",
                ..
            } => ClinicError::AssessmentStale {
                id: assessment.unwrap_or_default(),
                why: "was saved or replaced meanwhile",
            },
            store::StoreError::Conflict { what, .. } if what.starts_with("patient") => invalid(
                "patient.hospital_id",
                "the hospital ID of this patient (it belongs to a patient with another name or birth date)",
            ),
            e => e.into(),
        })?;
        // The record's audit row is witnessed outside the database at once: cutting it off
        // the log's end is then found at the next start.
        self.mark_audit_head("record");
        // The triage is saved; a draft that could not be removed is only an inconvenience, and
        // failing now would invite a second save of the same patient.
        if let Err(e) = self.store().delete_draft(actor.username()) {
            tracing::warn!(code = e.code(), "the saved form's draft was not removed");
        }
        Ok(SavedTriage {
            encounter_id,
            patient_id,
            grades,
            suggested,
            final_esi,
            final_cn,
            overridden,
            downgraded,
            response_minutes: level.response_minutes,
        })
    }

    /// Patients waiting to be seen, most urgent first, then by arrival, with their waiting
    /// time against the level's target. Reading the board is recorded.
    pub fn triage_board(&self, actor: &Actor) -> Result<Vec<BoardRow>> {
        self.authorize(actor, Action::ViewPatients)?;
        let rows: Vec<BoardRow> = self
            .store()
            .waiting_encounters()?
            .into_iter()
            .map(|(e, waited)| {
                let level = ::triage::rules::tables().cn.level(e.final_cn);
                // The age the rules used (days, months or a birth date), else the typed years
                // of a triage stored before ages were kept exactly.
                let used = serde_json::from_str::<Value>(&e.grades_json)
                    .ok()
                    .map(|g| g["age"].clone())
                    .filter(|a| a.is_object());
                let text = |key: &str| {
                    used.as_ref()
                        .and_then(|a| a[key].as_str())
                        .map(str::to_string)
                };
                let age = used
                    .as_ref()
                    .and_then(|a| a["min_days"].as_f64())
                    .map(|days| days / ::triage::age::DAYS_PER_YEAR)
                    .or_else(|| {
                        serde_json::from_str::<Intake>(&e.intake_json)
                            .ok()
                            .and_then(|i| i.patient.age_years)
                    });
                let waited = waited.max(0.0);
                BoardRow {
                    encounter_id: e.id,
                    name: e.name,
                    sex: e.sex,
                    age_years: age,
                    age_text: text("text"),
                    age_text_zh: text("text_zh"),
                    hospital_id: e.hospital_id,
                    complaint: e.complaint,
                    level: e.final_cn,
                    level_name_zh: level.name_zh.clone(),
                    level_name_en: level.name_en.clone(),
                    zone: level.zone.clone(),
                    colour: level.colour.clone(),
                    esi: e.final_esi,
                    news2_score: e.news2_score,
                    news2_risk: e.news2_risk,
                    news2_complete: e.news2_complete,
                    arrived_at: e.arrived_at,
                    triaged_at: e.triaged_at,
                    waiting_minutes: waited.floor() as u32,
                    response_minutes: e.response_minutes,
                    // Due the moment the target is reached, not a minute or two after it.
                    retriage_due: waited >= f64::from(e.response_minutes),
                    overridden: e.final_esi != e.suggested_esi || e.final_cn != e.suggested_cn,
                    downgraded: e.downgraded,
                    triaged_by: e.triaged_by,
                }
            })
            .collect();
        self.store().audit(&entry(
            Some(actor),
            "board_view",
            ("encounters", "waiting"),
            Outcome::Ok,
            json!({ "encounters": rows.iter().map(|r| r.encounter_id).collect::<Vec<_>>() }),
        ))?;
        Ok(rows)
    }

    /// One encounter with its vital signs; the read is recorded.
    pub fn encounter(&self, actor: &Actor, id: i64) -> Result<EncounterView> {
        self.authorize(actor, Action::ViewPatients)?;
        let encounter = self.store().encounter(id)?;
        let observations = self.store().observations(id)?;
        self.store().audit(&entry(
            Some(actor),
            "encounter_read",
            ("encounter", &id.to_string()),
            Outcome::Ok,
            json!({ "patient_id": encounter.patient_id }),
        ))?;
        Ok(EncounterView {
            encounter,
            observations,
        })
    }

    /// The patient is called in: off the waiting board (FHIR status `in-progress`).
    pub fn call_in(&self, actor: &Actor, id: i64) -> Result<()> {
        self.authorize(actor, Action::ViewPatients)?;
        self.store().set_encounter_status(
            id,
            "in-progress",
            &entry(
                Some(actor),
                "encounter_call_in",
                ("encounter", &id.to_string()),
                Outcome::Ok,
                json!({}),
            ),
        )?;
        self.mark_audit_head("record");
        Ok(())
    }

    /// Keeps the intake form the user is filling in (encrypted with the rest of the
    /// database), so a crash or restart loses nothing. Not audited: it is not a record yet.
    pub fn save_triage_draft(&self, actor: &Actor, draft: &Value) -> Result<()> {
        self.authorize(actor, Action::TriageCompute)?;
        let text = draft.to_string();
        if text.len() > 64 * 1024 {
            return Err(ClinicError::InvalidInput("the draft is too large".into()));
        }
        Ok(self.store().save_draft(actor.username(), &text)?)
    }

    /// The user's kept intake form, if any and not older than [`DRAFT_MAX_AGE_HOURS`].
    pub fn triage_draft(&self, actor: &Actor) -> Result<Option<Draft>> {
        self.authorize(actor, Action::TriageCompute)?;
        Ok(self
            .store()
            .draft(actor.username(), DRAFT_MAX_AGE_HOURS)?
            .and_then(|(text, saved_at)| {
                serde_json::from_str(&text)
                    .ok()
                    .map(|draft| Draft { draft, saved_at })
            }))
    }

    /// Forgets the user's kept intake form.
    pub fn discard_triage_draft(&self, actor: &Actor) -> Result<()> {
        self.authorize(actor, Action::TriageCompute)?;
        self.store().delete_draft(actor.username())?;
        Ok(self.store().forget_assessments(actor.username())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggested(esi: u8, cn: u8) -> Suggested {
        Suggested {
            esi,
            cn,
            raised_by_model: false,
            reason: None,
        }
    }

    #[test]
    fn accepting_needs_no_reason_and_overriding_needs_one() {
        let s = suggested(3, 3);
        assert_eq!(decide(&s, &Decision::default()).unwrap(), (3, 3, None));
        let lower = Decision {
            final_cn: Some(4),
            ..Decision::default()
        };
        assert_eq!(
            decide(&s, &lower).unwrap_err().code(),
            "invalid_value",
            "an override without a reason"
        );
        let blank = Decision {
            final_cn: Some(2),
            reason: Some("   ".into()),
            ..Decision::default()
        };
        assert!(decide(&s, &blank).is_err());
        let with_reason = Decision {
            final_cn: Some(2),
            reason: Some(" chest pain radiating to the jaw ".into()),
            ..Decision::default()
        };
        assert_eq!(
            decide(&s, &with_reason).unwrap(),
            (3, 2, Some("chest pain radiating to the jaw".into()))
        );
        for bad in [
            Decision {
                final_cn: Some(5),
                reason: Some("x".into()),
                ..Decision::default()
            },
            Decision {
                final_esi: Some(0),
                reason: Some("x".into()),
                ..Decision::default()
            },
        ] {
            assert_eq!(decide(&s, &bad).unwrap_err().code(), "invalid_value");
        }
    }
}
