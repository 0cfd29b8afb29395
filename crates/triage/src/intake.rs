//! The intake form as the triage nurse fills it: every vital sign optional, because a patient
//! in cardiac arrest is triaged before anyone counts breaths.

use crate::{Result, TriageError};

/// The whole intake.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Who the patient is.
    #[serde(default)]
    pub patient: Patient,
    /// The chief complaint in the patient's or nurse's words.
    #[serde(default)]
    pub complaint: String,
    /// Vital signs measured so far.
    #[serde(default)]
    pub vitals: Vitals,
    /// The nurse's answers to the ESI decision points.
    #[serde(default)]
    pub esi: EsiAnswers,
    /// When the patient arrived (RFC 3339, e.g. `2026-11-28T09:15:00+08:00`); now if absent.
    #[serde(default)]
    pub arrived_at: Option<String>,
    /// How: walk-in, ambulance, police, transfer, …
    #[serde(default)]
    pub arrival_mode: Option<String>,
    /// When the complaint began, in the nurse's words ("2 hours ago", "since yesterday").
    #[serde(default)]
    pub onset: Option<String>,
    /// Known allergies.
    #[serde(default)]
    pub allergies: Option<String>,
    /// Current medications.
    #[serde(default)]
    pub medications: Option<String>,
    /// Pregnant (unknown when absent).
    #[serde(default)]
    pub pregnant: Option<bool>,
    /// Relevant history.
    #[serde(default)]
    pub history: Option<String>,
}

/// The patient.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// Name, if known.
    #[serde(default)]
    pub name: Option<String>,
    /// Age in years. A whole number is any day of that year of life ("0" is any infant); a
    /// fraction (0.25) is taken to about two days. Prefer `age_days` or `age_months` for infants.
    #[serde(default)]
    pub age_years: Option<f64>,
    /// Age in days, under one year (0-365): exact, as the neonatal rules need.
    #[serde(default)]
    pub age_days: Option<u32>,
    /// Age in whole months, under two years (0-23).
    #[serde(default)]
    pub age_months: Option<u32>,
    /// Sex, if known (`female`, `male`, `other`, `unknown`).
    #[serde(default)]
    pub sex: Option<String>,
    /// The hospital's ID for the patient (medical record number), if known.
    #[serde(default)]
    pub hospital_id: Option<String>,
    /// Date of birth (`YYYY-MM-DD`), if known.
    #[serde(default)]
    pub birth_date: Option<String>,
}

/// ACVPU level of consciousness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Consciousness {
    /// Alert.
    Alert,
    /// New confusion.
    Confusion,
    /// Responds to voice.
    Voice,
    /// Responds to pain.
    Pain,
    /// Unresponsive.
    Unresponsive,
}

impl Consciousness {
    /// The ACVPU letter.
    pub fn letter(self) -> &'static str {
        match self {
            Consciousness::Alert => "A",
            Consciousness::Confusion => "C",
            Consciousness::Voice => "V",
            Consciousness::Pain => "P",
            Consciousness::Unresponsive => "U",
        }
    }

    /// Needs a noxious stimulus to respond, or none at all: the ESI handbook's "unresponsive".
    pub fn unresponsive(self) -> bool {
        matches!(self, Consciousness::Pain | Consciousness::Unresponsive)
    }
}

/// Vital signs; each may be missing.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vitals {
    /// Breaths per minute.
    pub resp_rate: Option<f64>,
    /// Oxygen saturation, %.
    pub spo2: Option<f64>,
    /// NEWS2 SpO2 scale: 1 (default) or 2 (hypercapnic respiratory failure, prescribed).
    pub spo2_scale: Option<u8>,
    /// On supplemental oxygen.
    pub on_oxygen: Option<bool>,
    /// Systolic blood pressure, mmHg.
    pub systolic_bp: Option<f64>,
    /// Diastolic blood pressure, mmHg.
    pub diastolic_bp: Option<f64>,
    /// Beats per minute.
    pub heart_rate: Option<f64>,
    /// Temperature, °C.
    pub temperature_c: Option<f64>,
    /// ACVPU.
    pub consciousness: Option<Consciousness>,
    /// Pain score 0-10.
    pub pain: Option<f64>,
}

/// Answers to the ESI decision points. Each is yes, no, or not assessed (`null` or absent): an
/// unanswered question is never read as "no", and a level cannot be saved until A and B are
/// answered ([`Intake::unanswered`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EsiAnswers {
    /// A: needs an immediate life-saving intervention.
    pub lifesaving_intervention: Option<bool>,
    /// B: a high-risk situation.
    pub high_risk: Option<bool>,
    /// B: new confusion, lethargy or disorientation.
    pub new_confusion: Option<bool>,
    /// B: severe pain or distress.
    pub severe_pain_or_distress: Option<bool>,
    /// C: how many different resources the patient is expected to need; not stated counts as
    /// "two or more", the more urgent branch.
    pub expected_resources: Option<u32>,
}

/// A value accepted but unusual enough that the nurse should confirm it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Warning {
    /// The field, as named in the intake JSON.
    pub field: &'static str,
    /// What to check.
    pub message: String,
}

/// (field, value, possible range, range text, plausible range).
type Check = (
    &'static str,
    Option<f64>,
    (f64, f64),
    &'static str,
    (f64, f64),
);

impl Intake {
    /// Refuses impossible values (naming the field) and returns warnings for implausible ones.
    pub fn validate(&self) -> Result<Vec<Warning>> {
        let v = &self.vitals;
        let checks: [Check; 9] = [
            (
                "patient.age_years",
                self.patient.age_years,
                (0.0, 130.0),
                "0-130",
                (0.0, 110.0),
            ),
            (
                "vitals.resp_rate",
                v.resp_rate,
                (0.0, 100.0),
                "0-100 /min",
                (4.0, 60.0),
            ),
            (
                "vitals.spo2",
                v.spo2,
                (0.0, 100.0),
                "0-100 %",
                (70.0, 100.0),
            ),
            (
                "vitals.systolic_bp",
                v.systolic_bp,
                (0.0, 300.0),
                "0-300 mmHg",
                (60.0, 250.0),
            ),
            (
                "vitals.diastolic_bp",
                v.diastolic_bp,
                (0.0, 200.0),
                "0-200 mmHg",
                (30.0, 150.0),
            ),
            (
                "vitals.heart_rate",
                v.heart_rate,
                (0.0, 300.0),
                "0-300 /min",
                (30.0, 220.0),
            ),
            (
                "vitals.temperature_c",
                v.temperature_c,
                (20.0, 45.0),
                "20-45 °C",
                (32.0, 42.0),
            ),
            ("vitals.pain", v.pain, (0.0, 10.0), "0-10", (0.0, 10.0)),
            (
                "esi.expected_resources",
                self.esi.expected_resources.map(f64::from),
                (0.0, 20.0),
                "0-20",
                (0.0, 10.0),
            ),
        ];
        let mut warnings = Vec::new();
        for (field, value, (lo, hi), allowed, (plo, phi)) in checks {
            let Some(value) = value else { continue };
            if !value.is_finite() || value < lo || value > hi {
                return Err(TriageError::Impossible {
                    field,
                    value,
                    allowed,
                });
            }
            if value < plo || value > phi {
                warnings.push(Warning {
                    field,
                    message: format!("{value} is unusual: please confirm the measurement"),
                });
            }
        }
        for (field, value, max, allowed) in [
            (
                "patient.age_days",
                self.patient.age_days,
                crate::age::MAX_AGE_DAYS,
                "0-365 days (from one year, give months or years)",
            ),
            (
                "patient.age_months",
                self.patient.age_months,
                crate::age::MAX_AGE_MONTHS,
                "0-23 months (from two years, give years)",
            ),
        ] {
            if let Some(v) = value.filter(|v| *v > max) {
                return Err(TriageError::Impossible {
                    field,
                    value: f64::from(v),
                    allowed,
                });
            }
        }
        if let Some(sex) = self.patient.sex.as_deref() {
            if !["female", "male", "other", "unknown", ""].contains(&sex) {
                return Err(TriageError::Invalid {
                    field: "patient.sex",
                    allowed: "female, male, other or unknown",
                });
            }
        }
        if let Some(d) = self.patient.birth_date.as_deref().filter(|d| !d.is_empty()) {
            if !is_date(d) {
                return Err(TriageError::Invalid {
                    field: "patient.birth_date",
                    allowed: "a date as YYYY-MM-DD",
                });
            }
        }
        if let Some(t) = self.arrived_at.as_deref().filter(|t| !t.is_empty()) {
            if !is_timestamp(t) {
                return Err(TriageError::Invalid {
                    field: "arrived_at",
                    allowed: "a time with its zone, as YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)",
                });
            }
        }
        for (field, text, max) in [
            ("complaint", Some(&self.complaint), 2000),
            ("patient.name", self.patient.name.as_ref(), 200),
            ("patient.hospital_id", self.patient.hospital_id.as_ref(), 64),
            ("arrival_mode", self.arrival_mode.as_ref(), 64),
            ("onset", self.onset.as_ref(), 200),
            ("allergies", self.allergies.as_ref(), 2000),
            ("medications", self.medications.as_ref(), 2000),
            ("history", self.history.as_ref(), 4000),
        ] {
            if text.is_some_and(|t| t.chars().count() > max) {
                return Err(TriageError::Invalid {
                    field,
                    allowed: "shorter text",
                });
            }
        }
        if let Some(scale) = v.spo2_scale {
            if scale != 1 && scale != 2 {
                return Err(TriageError::Impossible {
                    field: "vitals.spo2_scale",
                    value: f64::from(scale),
                    allowed: "1 or 2",
                });
            }
        }
        if let (Some(sys), Some(dia)) = (v.systolic_bp, v.diastolic_bp) {
            if dia >= sys && sys > 0.0 {
                return Err(TriageError::Impossible {
                    field: "vitals.diastolic_bp",
                    value: dia,
                    allowed: "below the systolic pressure",
                });
            }
        }
        Ok(warnings)
    }
}

impl Intake {
    /// What the nurse has not answered, as intake fields. A is answered by the nurse, or by an
    /// ACVPU of P or U (the patient is unresponsive: yes). B is answered when A is yes (the
    /// algorithm stops there), when any of its three questions is yes, or when all three are
    /// no. An infant whose age is only "0 years" may be a neonate or eleven months old: the
    /// exact age (`patient.age_days`, months or the birth date) is asked for.
    pub fn unanswered(&self) -> Vec<&'static str> {
        let p = &self.patient;
        let inexact_infant = p.age_years == Some(0.0)
            && p.age_days.is_none()
            && p.age_months.is_none()
            && p.birth_date.as_deref().is_none_or(str::is_empty);
        let mut out = self.unanswered_esi();
        if inexact_infant {
            out.push("patient.age_days");
        }
        out
    }

    fn unanswered_esi(&self) -> Vec<&'static str> {
        let a = &self.esi;
        let unresponsive = self
            .vitals
            .consciousness
            .is_some_and(Consciousness::unresponsive);
        if a.lifesaving_intervention == Some(true) || unresponsive {
            return Vec::new();
        }
        let mut out = Vec::new();
        if a.lifesaving_intervention.is_none() {
            out.push("esi.lifesaving_intervention");
        }
        let b = [
            ("esi.high_risk", a.high_risk),
            ("esi.new_confusion", a.new_confusion),
            ("esi.severe_pain_or_distress", a.severe_pain_or_distress),
        ];
        if !b.iter().any(|(_, v)| *v == Some(true)) {
            out.extend(b.iter().filter(|(_, v)| v.is_none()).map(|(f, _)| *f));
        }
        out
    }
}

/// `YYYY-MM-DD` as (year, month, day) when it names a real calendar day (leap years included).
pub(crate) fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    is_date(s).then(|| {
        (
            s[0..4].parse().unwrap_or_default(),
            s[5..7].parse().unwrap_or_default(),
            s[8..10].parse().unwrap_or_default(),
        )
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD`, a real calendar date (leap years included).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|t| t.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2200).contains(&y) && (1..=days).contains(&d)
}

/// `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `±HH:MM`: a time zone is required, since
/// a time without one would be read as UTC and a patient arriving at 09:15 in Beijing would
/// wait "minus eight hours".
fn is_timestamp(s: &str) -> bool {
    let Some((date, rest)) = s.split_once('T') else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (time, zone) = match rest.find(['Z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => return false,
    };
    let two = |t: &str, max: u32| {
        t.len() == 2
            && t.bytes().all(|c| c.is_ascii_digit())
            && t.parse::<u32>().is_ok_and(|v| v < max)
    };
    let time_ok = match time.split(':').collect::<Vec<_>>().as_slice() {
        [h, m] => two(h, 24) && two(m, 60),
        [h, m, sec] => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, "0"));
            two(h, 24)
                && two(m, 60)
                && two(whole, 60)
                && !frac.is_empty()
                && frac.bytes().all(|c| c.is_ascii_digit())
        }
        _ => false,
    };
    let zone_ok = zone == "Z"
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && two(&zone[1..3], 15)
            && two(&zone[4..6], 60));
    time_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_counted_across_months_and_leap_years() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(
            days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 1),
            29
        );
        assert_eq!(
            days_from_civil(2026, 12, 4) - days_from_civil(2026, 11, 6),
            28
        );
        assert_eq!(
            days_from_civil(2025, 1, 1) - days_from_civil(2024, 1, 1),
            366
        );
    }

    #[test]
    fn dates_and_times_are_checked_before_anything_is_stored() {
        assert!(is_date("2026-11-28") && is_date("2024-02-29"));
        for bad in [
            "2026-13-01",
            "28/11/2026",
            "2026-1-1",
            "2026-02-29",
            "2026-02-31",
            "2026-04-31",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for ok in [
            "2026-11-28T09:15Z",
            "2026-11-28T09:15:30Z",
            "2026-11-28T09:15:30.5+08:00",
            "2026-11-28T09:15-05:00",
        ] {
            assert!(is_timestamp(ok), "{ok}");
        }
        for bad in [
            "2026-11-28",
            "2026-11-28T09:15",
            "2026-11-28T25:00Z",
            "yesterday",
            "2026-11-28T09:15+8",
            "2026-11-28T09:15:60Z",
            "2026-11-28T09:5:00Z",
            "2026-11-28T09:15+15:00",
            "2026-11-28T09:15+08:75",
            "2026-11-28 09:15Z",
        ] {
            assert!(!is_timestamp(bad), "{bad}");
        }
    }
}
