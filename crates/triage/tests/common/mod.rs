//! What the triage tests share.

use triage::{Consciousness, EsiAnswers, Intake, Patient, Vitals};

/// An adult's vital signs, all measured and all normal (pain 2/10).
pub fn calm_adult() -> Vitals {
    Vitals {
        resp_rate: Some(16.0),
        spo2: Some(98.0),
        on_oxygen: Some(false),
        systolic_bp: Some(125.0),
        diastolic_bp: Some(80.0),
        heart_rate: Some(80.0),
        temperature_c: Some(36.8),
        consciousness: Some(Consciousness::Alert),
        pain: Some(2.0),
        ..Vitals::default()
    }
}

/// An intake at `age` years with these ESI answers and vital signs.
pub fn intake(age: f64, esi: EsiAnswers, vitals: Vitals) -> Intake {
    Intake {
        patient: Patient {
            age_years: Some(age),
            ..Patient::default()
        },
        complaint: "test".into(),
        vitals,
        esi,
        ..Intake::default()
    }
}
