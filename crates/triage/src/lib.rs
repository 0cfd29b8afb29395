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
//!     "esi": {"expected_resources": 3}
//! }"#).unwrap();
//! let grades = triage::assess(&intake).unwrap();
//! assert_eq!(grades.news2.risk, triage::news2::Risk::High);
//! assert_eq!(grades.esi.level, 2);
//! ```
#![deny(missing_docs)]

pub mod cn;
pub mod error;
pub mod esi;
pub mod intake;
pub mod news2;
pub mod rules;

pub use error::{Result, TriageError};
pub use intake::{Consciousness, EsiAnswers, Intake, Patient, Vitals, Warning};

/// All grades for one intake.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Grades {
    /// National Early Warning Score 2.
    pub news2: news2::News2,
    /// Emergency Severity Index v4.
    pub esi: esi::Esi,
    /// The Chinese four-level emergency grade.
    pub cn: cn::CnGrade,
    /// Values accepted but implausible: the nurse should confirm them.
    pub warnings: Vec<Warning>,
}

/// Validates the intake and computes every grade. Impossible values are refused with an
/// error naming the field; nothing is computed from a half-valid form.
pub fn assess(intake: &Intake) -> Result<Grades> {
    let warnings = intake.validate()?;
    let tables = rules::tables();
    let news2 = news2::score(&tables.news2, &intake.vitals);
    let esi = esi::level(&tables.esi, intake);
    let cn = cn::grade(&tables.cn, intake, &news2, &esi);
    Ok(Grades {
        news2,
        esi,
        cn,
        warnings,
    })
}
