//! Every band boundary of the NEWS2 chart, and the risk bands.

use triage::news2::{self, Risk};
use triage::{rules, Consciousness, Vitals};

fn points_of(param: &str, vitals: Vitals) -> u8 {
    news2::score(&rules::tables().news2, &vitals).parameters[param].points
}

fn check(param: &str, cases: &[(f64, u8)], make: impl Fn(f64) -> Vitals) {
    for &(value, want) in cases {
        assert_eq!(points_of(param, make(value)), want, "{param} = {value}");
    }
}

#[test]
fn respiratory_rate_bands() {
    let cases = [
        (0.0, 3),
        (8.0, 3),
        (9.0, 1),
        (11.0, 1),
        (12.0, 0),
        (20.0, 0),
        (21.0, 2),
        (24.0, 2),
        (25.0, 3),
        (60.0, 3),
    ];
    check("resp_rate", &cases, |x| Vitals {
        resp_rate: Some(x),
        ..Vitals::default()
    });
}

#[test]
fn spo2_scale_1_bands() {
    let cases = [
        (80.0, 3),
        (91.0, 3),
        (92.0, 2),
        (93.0, 2),
        (94.0, 1),
        (95.0, 1),
        (96.0, 0),
        (100.0, 0),
    ];
    check("spo2", &cases, |x| Vitals {
        spo2: Some(x),
        ..Vitals::default()
    });
}

#[test]
fn spo2_scale_2_bands_on_air_and_on_oxygen() {
    let on = |oxygen: bool| {
        move |x| Vitals {
            spo2: Some(x),
            spo2_scale: Some(2),
            on_oxygen: Some(oxygen),
            ..Vitals::default()
        }
    };
    let both = [
        (83.0, 3),
        (84.0, 2),
        (85.0, 2),
        (86.0, 1),
        (87.0, 1),
        (88.0, 0),
        (92.0, 0),
    ];
    check("spo2", &both, on(false));
    check("spo2", &both, on(true));
    check("spo2", &[(93.0, 0), (97.0, 0), (100.0, 0)], on(false));
    check(
        "spo2",
        &[
            (93.0, 1),
            (94.0, 1),
            (95.0, 2),
            (96.0, 2),
            (97.0, 3),
            (100.0, 3),
        ],
        on(true),
    );
}

#[test]
fn scale_2_above_92_without_oxygen_status_is_missing_not_guessed() {
    let v = Vitals {
        spo2: Some(95.0),
        spo2_scale: Some(2),
        ..Vitals::default()
    };
    let n = news2::score(&rules::tables().news2, &v);
    assert!(!n.parameters.contains_key("spo2"));
    assert!(n.missing.contains(&"on_oxygen"));
    assert_eq!(n.missing.iter().filter(|m| **m == "on_oxygen").count(), 1);
}

#[test]
fn systolic_pressure_bands() {
    let cases = [
        (60.0, 3),
        (90.0, 3),
        (91.0, 2),
        (100.0, 2),
        (101.0, 1),
        (110.0, 1),
        (111.0, 0),
        (219.0, 0),
        (220.0, 3),
    ];
    check("systolic_bp", &cases, |x| Vitals {
        systolic_bp: Some(x),
        ..Vitals::default()
    });
}

#[test]
fn pulse_bands() {
    let cases = [
        (30.0, 3),
        (40.0, 3),
        (41.0, 1),
        (50.0, 1),
        (51.0, 0),
        (90.0, 0),
        (91.0, 1),
        (110.0, 1),
        (111.0, 2),
        (130.0, 2),
        (131.0, 3),
    ];
    check("heart_rate", &cases, |x| Vitals {
        heart_rate: Some(x),
        ..Vitals::default()
    });
}

#[test]
fn temperature_bands() {
    let cases = [
        (34.0, 3),
        (35.0, 3),
        (35.1, 1),
        (36.0, 1),
        (36.1, 0),
        (38.0, 0),
        (38.1, 1),
        (39.0, 1),
        (39.1, 2),
        (41.0, 2),
    ];
    check("temperature", &cases, |x| Vitals {
        temperature_c: Some(x),
        ..Vitals::default()
    });
}

#[test]
fn oxygen_scores_two_and_any_cvpu_scores_three() {
    assert_eq!(
        points_of(
            "air_or_oxygen",
            Vitals {
                on_oxygen: Some(true),
                ..Vitals::default()
            }
        ),
        2
    );
    assert_eq!(
        points_of(
            "air_or_oxygen",
            Vitals {
                on_oxygen: Some(false),
                ..Vitals::default()
            }
        ),
        0
    );
    for (c, want) in [
        (Consciousness::Alert, 0),
        (Consciousness::Confusion, 3),
        (Consciousness::Voice, 3),
        (Consciousness::Pain, 3),
        (Consciousness::Unresponsive, 3),
    ] {
        assert_eq!(
            points_of(
                "consciousness",
                Vitals {
                    consciousness: Some(c),
                    ..Vitals::default()
                }
            ),
            want
        );
    }
}

fn full(rr: f64, spo2: f64, oxygen: bool, sbp: f64, hr: f64, c: Consciousness, t: f64) -> Vitals {
    Vitals {
        resp_rate: Some(rr),
        spo2: Some(spo2),
        on_oxygen: Some(oxygen),
        systolic_bp: Some(sbp),
        heart_rate: Some(hr),
        consciousness: Some(c),
        temperature_c: Some(t),
        ..Vitals::default()
    }
}

#[test]
fn risk_bands_follow_the_aggregate_and_the_red_score() {
    let t = &rules::tables().news2;
    let alert = Consciousness::Alert;
    let cases = [
        (
            full(16.0, 98.0, false, 120.0, 70.0, alert, 37.0),
            0,
            Risk::Low,
        ),
        // 2 + 1 + 1 = 4: still low.
        (
            full(22.0, 95.0, false, 120.0, 95.0, alert, 37.0),
            4,
            Risk::Low,
        ),
        // One red parameter (RR 8 → 3) alone: low-medium.
        (
            full(8.0, 98.0, false, 120.0, 70.0, alert, 37.0),
            3,
            Risk::LowMedium,
        ),
        // 2 + 2 + 1 = 5: medium.
        (
            full(22.0, 93.0, false, 120.0, 95.0, alert, 37.0),
            5,
            Risk::Medium,
        ),
        // 6 with a red score stays medium.
        (
            full(25.0, 95.0, false, 110.0, 95.0, alert, 37.0),
            6,
            Risk::Medium,
        ),
        // 7: high.
        (
            full(25.0, 95.0, true, 120.0, 95.0, alert, 37.0),
            7,
            Risk::High,
        ),
        // The worst of everything: 20.
        (
            full(30.0, 85.0, true, 85.0, 140.0, Consciousness::Voice, 34.0),
            20,
            Risk::High,
        ),
    ];
    for (v, score, risk) in cases {
        let n = news2::score(t, &v);
        assert!(n.complete && n.missing.is_empty());
        assert_eq!((n.score, n.risk), (score, risk), "{v:?}");
    }
}

#[test]
fn missing_parameters_are_listed_and_the_partial_score_kept() {
    let v = Vitals {
        heart_rate: Some(135.0),
        ..Vitals::default()
    };
    let n = news2::score(&rules::tables().news2, &v);
    assert!(!n.complete);
    assert_eq!(n.score, 3);
    for m in [
        "resp_rate",
        "spo2",
        "systolic_bp",
        "temperature",
        "on_oxygen",
        "consciousness",
    ] {
        assert!(n.missing.contains(&m), "{m} not listed as missing");
    }
    assert_eq!(
        n.parameters["heart_rate"].rule,
        "130 < x ≤ ∞ → 3"
            .replace(" ≤ ∞", "")
            .replace("130 < x", "x > 130")
    );
}

#[test]
fn a_value_between_two_chart_bands_scores_in_the_more_urgent_one() {
    // The chart's bands are whole numbers (tenths for temperature); RR 8.5 used to score 1.
    check(
        "resp_rate",
        &[
            (8.5, 3),
            (11.5, 1),
            (20.5, 2),
            (24.5, 3),
            (9.0, 1),
            (12.0, 0),
        ],
        |x| Vitals {
            resp_rate: Some(x),
            ..Vitals::default()
        },
    );
    check("spo2", &[(91.5, 3), (93.5, 2), (95.5, 1), (96.0, 0)], |x| {
        Vitals {
            spo2: Some(x),
            ..Vitals::default()
        }
    });
    check(
        "systolic_bp",
        &[(90.5, 3), (100.5, 2), (110.5, 1), (219.5, 3), (111.0, 0)],
        |x| Vitals {
            systolic_bp: Some(x),
            ..Vitals::default()
        },
    );
    check(
        "heart_rate",
        &[
            (40.5, 3),
            (50.5, 1),
            (90.5, 1),
            (110.5, 2),
            (130.5, 3),
            (51.0, 0),
        ],
        |x| Vitals {
            heart_rate: Some(x),
            ..Vitals::default()
        },
    );
    check(
        "temperature",
        &[
            (35.05, 3),
            (36.05, 1),
            (38.05, 1),
            (39.05, 2),
            (35.1, 1),
            (36.1, 0),
        ],
        |x| Vitals {
            temperature_c: Some(x),
            ..Vitals::default()
        },
    );
    // Scale 2 on oxygen: 92.5 lies between "88-92" (0) and "93-94 on oxygen" (1).
    let on_o2 = |x| Vitals {
        spo2: Some(x),
        spo2_scale: Some(2),
        on_oxygen: Some(true),
        ..Vitals::default()
    };
    check("spo2", &[(92.5, 1), (94.5, 2), (96.5, 3), (83.5, 3)], on_o2);
    let on_air = |x| Vitals {
        spo2: Some(x),
        spo2_scale: Some(2),
        on_oxygen: Some(false),
        ..Vitals::default()
    };
    check("spo2", &[(92.5, 0), (99.0, 0)], on_air);
    // The rule says why.
    let v = Vitals {
        resp_rate: Some(8.5),
        ..Vitals::default()
    };
    let s = news2::score(&rules::tables().news2, &v);
    assert!(s.parameters["resp_rate"]
        .rule
        .contains("between chart bands"));
    assert!(s.parameters["resp_rate"].rule_zh.contains("介于两档之间"));
}
