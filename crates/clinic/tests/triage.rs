//! The triage chain: the model can only make a level more urgent, never less, whatever it
//! returns; without a model the computed grades stand alone.

mod common;

use clinic::triage::{self, Consciousness, EsiAnswers, Intake, Patient, Vitals, DEPARTMENTS};
use llm::{CancelToken, Sampling};
use serde_json::{json, Value};

/// A small deterministic generator (xorshift64*), so failures replay exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn maybe(&mut self, lo: f64, hi: f64) -> Option<f64> {
        (self.below(4) != 0).then(|| lo + (hi - lo) * (self.below(10_000) as f64 / 10_000.0))
    }
    fn flag(&mut self) -> Option<bool> {
        match self.below(3) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        }
    }
}

fn random_intake(r: &mut Rng) -> Intake {
    let consciousness = [
        None,
        Some(Consciousness::Alert),
        Some(Consciousness::Confusion),
        Some(Consciousness::Voice),
        Some(Consciousness::Pain),
        Some(Consciousness::Unresponsive),
    ][r.below(6) as usize];
    let systolic = r.maybe(40.0, 260.0);
    Intake {
        patient: Patient {
            age_years: r.maybe(0.0, 100.0),
            ..Patient::default()
        },
        complaint: "random".into(),
        vitals: Vitals {
            resp_rate: r.maybe(0.0, 70.0),
            spo2: r.maybe(50.0, 100.0),
            spo2_scale: [None, Some(1), Some(2)][r.below(3) as usize],
            on_oxygen: r.flag(),
            systolic_bp: systolic,
            diastolic_bp: systolic.map(|s| s * 0.6),
            heart_rate: r.maybe(0.0, 250.0),
            temperature_c: r.maybe(30.0, 43.0),
            consciousness,
            pain: r.maybe(0.0, 10.0),
        },
        esi: EsiAnswers {
            lifesaving_intervention: r.flag(),
            high_risk: r.flag(),
            new_confusion: r.flag(),
            severe_pain_or_distress: r.flag(),
            expected_resources: (r.below(3) != 0).then(|| r.below(6) as u32),
        },
        ..Intake::default()
    }
}

/// Anything a model, a remote server or a broken stream might send back.
fn random_proposal(r: &mut Rng) -> Option<Value> {
    let level = |r: &mut Rng| -> Value {
        match r.below(7) {
            0 => Value::Null,
            1 => json!(-(r.below(5) as i64)),
            2 => json!(r.below(12)),
            3 => json!("1"),
            4 => json!(1.5),
            _ => json!(1 + r.below(5)),
        }
    };
    match r.below(6) {
        0 => None,
        1 => Some(json!("not an object")),
        2 => Some(json!({})),
        _ => Some(json!({"esi_level": level(r), "cn_level": level(r), "reason": "model says so"})),
    }
}

#[test]
fn no_model_output_ever_lowers_a_computed_level() {
    let mut r = Rng(0x5EED_B0DE_u64);
    let mut raised = 0;
    for i in 0..20_000 {
        let intake = random_intake(&mut r);
        let grades = triage::assess_grades(&intake).unwrap_or_else(|e| panic!("case {i}: {e}"));
        let proposal = random_proposal(&mut r);
        let s = triage::merge(&grades, proposal.as_ref());
        assert!(
            s.esi <= grades.esi.level && (1..=5).contains(&s.esi),
            "case {i}: {s:?} vs {grades:?}"
        );
        assert!(
            s.cn <= grades.cn.level && (1..=4).contains(&s.cn),
            "case {i}: {s:?} vs {grades:?}"
        );
        assert_eq!(
            s.raised_by_model,
            s.esi < grades.esi.level || s.cn < grades.cn.level
        );
        raised += usize::from(s.raised_by_model);
    }
    // The generator does exercise the raising path.
    assert!(raised > 200, "only {raised} raised cases");
}

#[test]
fn without_a_model_the_computed_grades_stand_alone() {
    let intake = Intake {
        complaint: "cut finger".into(),
        esi: EsiAnswers {
            expected_resources: Some(1),
            ..EsiAnswers::default()
        },
        ..Intake::default()
    };
    let a = triage::assess(&intake, None, &Sampling::default(), &CancelToken::new()).unwrap();
    assert!(a.assist.is_none());
    assert_eq!(
        (a.suggested.esi, a.suggested.cn),
        (a.grades.esi.level, a.grades.cn.level)
    );
    assert!(!a.suggested.raised_by_model);
}

#[test]
fn the_model_gives_a_structured_suggestion_that_never_lowers_the_level() {
    let engine = common::qwen_engine();
    let intake: Intake = serde_json::from_value(json!({
        "patient": {"age_years": 58, "sex": "male"},
        "complaint": "胸痛40分钟，向左臂放射，大汗",
        "vitals": {"resp_rate": 22, "spo2": 95, "on_oxygen": false, "systolic_bp": 150,
                   "diastolic_bp": 90, "heart_rate": 96, "temperature_c": 36.9,
                   "consciousness": "alert", "pain": 8},
        "esi": {"expected_resources": 3}
    }))
    .unwrap();
    let sampling = Sampling {
        temperature: 0.0,
        max_tokens: 512,
        ..Sampling::default()
    };
    let a = triage::assess(&intake, Some(&engine), &sampling, &CancelToken::new()).unwrap();
    let assist = a.assist.expect("a model was given");
    assert!(
        DEPARTMENTS.contains(&assist.department.as_str()),
        "{}",
        assist.department
    );
    assert!(!assist.summary.trim().is_empty());
    assert!(assist.questions.len() <= 3 && assist.red_flags.len() <= 5);
    assert_eq!(
        assist.prompt_version,
        clinic::prompts::TRIAGE_PROMPT_VERSION
    );
    assert!(a.suggested.esi <= a.grades.esi.level && a.suggested.cn <= a.grades.cn.level);
}
