//! Triage grades computed from rule tables, never from a model.
//!
//! A triage level decides how long a patient may wait; a mistake can cost a life. So the
//! grades are computed deterministically from the tables in `assets/triage` (with their
//! sources, and unverified rows marked), every grade carries the path of rules that produced
//! it, and missing vital signs are reported as missing, never guessed. The model may later
//! explain and suggest a *more* urgent level; it never enters this crate.
//!
//! ```
//! let intake: triage::Intake = serde_json::from_str(r#"{
//!     "patient": {"age_years": 67},
//!     "complaint": "shortness of breath",
//!     "vitals": {"resp_rate": 26, "spo2": 90, "heart_rate": 118, "systolic_bp": 96,
//!                "temperature_c": 38.4, "consciousness": "alert", "on_oxygen": false},
//!     "esi": {"lifesaving_intervention": false, "high_risk": false, "new_confusion": false,
//!             "severe_pain_or_distress": false, "expected_resources": 3}
//! }"#).unwrap();
//! let grades = triage::assess(&intake).unwrap();
//! assert_eq!(grades.news2.risk, triage::news2::Risk::High);
//! assert_eq!(grades.esi.level, 2);
//! assert!(grades.unanswered.is_empty());
//! ```
#![deny(missing_docs)]

pub mod age;
pub mod cn;
pub mod error;
pub mod esi;
pub mod floor;
pub mod indicator;
pub mod intake;
pub mod news2;
pub mod rules;

pub use age::{Age, AgeBasis, Today};
pub use error::{Result, TriageError};
pub use intake::{Consciousness, EsiAnswers, Intake, Patient, Vitals, Warning};

/// All grades for one intake.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Grades {
    /// National Early Warning Score 2.
    pub news2: news2::News2,
    /// Emergency Severity Index v4, with the safety floor applied.
    pub esi: esi::Esi,
    /// The Chinese four-level grade, with the safety floor applied.
    pub cn: cn::CnGrade,
    /// The vital-sign safety floor and the rows that fired.
    pub floor: floor::Floor,
    /// The age the rules used, when one was given.
    pub age: Option<AgeUsed>,
    /// What the nurse has not answered yet, as intake fields: ESI questions A and B, an infant's
    /// exact age when it was typed as "0 years", and for a minor level (ESI 4-5, Ⅳ级) the heart
    /// rate, breathing rate and SpO2 (and an infant's temperature). While any is, the grade is
    /// provisional (every rule read in the most urgent way) and cannot be saved.
    pub unanswered: Vec<&'static str>,
    /// Values accepted but implausible: the nurse should confirm them.
    pub warnings: Vec<Warning>,
}

/// The age the rules used, and how the nurse reads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AgeUsed {
    /// The interval of days and where it came from.
    #[serde(flatten)]
    pub age: Age,
    /// "27 days", "3 to 4 years".
    pub text: String,
    /// The same in Chinese.
    pub text_zh: String,
}

/// Validates the intake and computes every grade, counting a birth date to today by the clock
/// when no arrival time is given. Impossible values are refused with an error naming the field;
/// nothing is computed from a half-valid form.
pub fn assess(intake: &Intake) -> Result<Grades> {
    assess_on(intake, Today::now())
}

/// [`assess`] with today's date given (tests, and a replay of a stored intake).
pub fn assess_on(intake: &Intake, today: Today) -> Result<Grades> {
    let mut warnings = intake.validate()?;
    let age = age::of(intake, today)?;
    if let (Some(born), Some(typed)) = (age, age::typed(intake)) {
        if born.basis != typed.basis && !born.overlaps(typed.min_days, Some(typed.max_days + 1)) {
            warnings.push(Warning {
                field: "patient.birth_date",
                message: "the typed age does not match the birth date: the birth date is used"
                    .into(),
            });
        }
    }
    let tables = rules::tables();
    let mut news2 = news2::score(&tables.news2, &intake.vitals);
    if age.is_some_and(|a| a.maybe_under_years(16.0)) {
        news2.not_validated.push("under_16");
    }
    if intake.pregnant == Some(true) {
        news2.not_validated.push("pregnancy");
    }
    let reading = indicator::Reading {
        intake,
        news2: &news2,
        age,
    };
    let mut esi = esi::level(&tables.esi, intake, age);
    let mut cn = cn::grade(&tables.cn, &reading);
    let floor = floor::evaluate(&tables.floor, &cn.indicators, &reading);
    floor::apply(&tables.cn, &floor, &mut esi, &mut cn);
    let mut unanswered = intake.unanswered();
    if is_minor(esi.level, cn.level) {
        unanswered.extend(unmeasured_for_a_minor_level(intake, age));
    }
    Ok(Grades {
        news2,
        esi,
        cn,
        floor,
        age: age.map(|age| {
            let (text, text_zh) = age.text();
            AgeUsed { age, text, text_zh }
        }),
        unanswered,
        warnings,
    })
}

/// A level that lets the patient wait: ESI 4-5 or Ⅳ级.
pub fn is_minor(esi: u8, cn: u8) -> bool {
    esi >= 4 || cn == 4
}

/// Below this age in days (3 months) a fever alone decides, so the temperature is needed too.
const YOUNG_INFANT_DAYS: u32 = 92;

/// The vital signs a minor level (ESI 4-5, Ⅳ级) may not be saved without, whether the rules gave
/// it or a nurse chose it: a floor cannot fire on a value nobody measured. Heart rate, breathing
/// and saturation (ESI's danger zone) for everyone; the temperature under 3 months.
pub fn unmeasured_for_a_minor_level(intake: &Intake, age: Option<Age>) -> Vec<&'static str> {
    let v = &intake.vitals;
    let infant = age.is_some_and(|a| a.min_days < YOUNG_INFANT_DAYS);
    [
        ("vitals.heart_rate", v.heart_rate.is_none()),
        ("vitals.resp_rate", v.resp_rate.is_none()),
        ("vitals.spo2", v.spo2.is_none()),
        ("vitals.temperature_c", infant && v.temperature_c.is_none()),
    ]
    .into_iter()
    .filter_map(|(field, missing)| missing.then_some(field))
    .collect()
}
