//! ESI decision points and danger-zone ages; the Chinese grade and its upgrade rules; input
//! validation.

mod common;

use common::{calm_adult, intake};
use triage::{assess, Consciousness, EsiAnswers, Vitals};

fn resources(n: u32) -> EsiAnswers {
    EsiAnswers {
        expected_resources: Some(n),
        ..EsiAnswers::default()
    }
}

#[test]
fn decision_point_a_gives_esi_1_and_cn_level_1() {
    let g = assess(&intake(
        50.0,
        EsiAnswers {
            lifesaving_intervention: Some(true),
            ..EsiAnswers::default()
        },
        Vitals::default(),
    ))
    .unwrap();
    assert_eq!((g.esi.level, g.cn.level), (1, 1));
    assert_eq!(g.esi.path.len(), 1);
    assert_eq!(g.cn.zone, "red");
    assert_eq!(g.cn.response_minutes, 0);
    // Cardiac arrest with no vitals at all: graded, NEWS2 incomplete, nothing refused.
    assert!(!g.news2.complete);
}

#[test]
fn an_unresponsive_patient_is_esi_1() {
    let v = Vitals {
        consciousness: Some(Consciousness::Unresponsive),
        ..Vitals::default()
    };
    assert_eq!(
        assess(&intake(70.0, EsiAnswers::default(), v))
            .unwrap()
            .esi
            .level,
        1
    );
}

#[test]
fn decision_point_b_gives_esi_2() {
    for esi in [
        EsiAnswers {
            high_risk: Some(true),
            ..EsiAnswers::default()
        },
        EsiAnswers {
            new_confusion: Some(true),
            ..EsiAnswers::default()
        },
        EsiAnswers {
            severe_pain_or_distress: Some(true),
            ..EsiAnswers::default()
        },
    ] {
        let g = assess(&intake(40.0, esi, calm_adult())).unwrap();
        assert_eq!((g.esi.level, g.cn.level), (2, 2));
        assert_eq!(g.esi.path.last().unwrap().point, "B");
    }
    let confused = Vitals {
        consciousness: Some(Consciousness::Confusion),
        ..calm_adult()
    };
    assert_eq!(
        assess(&intake(80.0, EsiAnswers::default(), confused))
            .unwrap()
            .esi
            .level,
        2
    );
}

#[test]
fn decision_point_c_counts_resources() {
    let level = |n| assess(&intake(30.0, resources(n), calm_adult())).unwrap();
    assert_eq!((level(0).esi.level, level(0).cn.level), (5, 4));
    assert_eq!((level(1).esi.level, level(1).cn.level), (4, 4));
    // Two resources: ESI goes on to D; the Chinese grade's resource indicator gives Ⅲ级.
    let two = level(2);
    assert_eq!((two.esi.level, two.cn.level), (3, 3));
    assert!(two
        .cn
        .path
        .iter()
        .any(|p| p.contains("2 resources expected") && p.ends_with("Ⅲ级 急症")));
    // Not stated: the more urgent branch, said so in the path.
    let unknown = assess(&intake(30.0, EsiAnswers::default(), calm_adult())).unwrap();
    assert_eq!(unknown.esi.level, 3);
    assert!(unknown
        .esi
        .path
        .iter()
        .any(|s| s.answer.contains("not stated")));
}

#[test]
fn danger_zone_limits_follow_age_with_boundaries_going_to_the_older_row() {
    // (age, heart rate just above the limit, just at the limit)
    let rows = [
        (0.1, 181.0, 180.0),
        (0.25, 161.0, 160.0),
        (2.9, 161.0, 160.0),
        (3.0, 141.0, 140.0),
        (7.9, 141.0, 140.0),
        (8.0, 101.0, 100.0),
        (60.0, 101.0, 100.0),
    ];
    for (age, above, at) in rows {
        let with_hr = |hr| {
            let v = Vitals {
                heart_rate: Some(hr),
                resp_rate: Some(10.0),
                spo2: Some(99.0),
                ..Vitals::default()
            };
            assess(&intake(age, resources(2), v)).unwrap().esi
        };
        // The handbook's algorithm on its own (the safety floor reads children's heart rates
        // against PALS ranges as well; see safety_floor.rs).
        let a = with_hr(above);
        assert_eq!(a.algorithm_level, 2, "age {age}, HR {above}: {:?}", a.path);
        assert_eq!(
            a.path.iter().rfind(|s| s.point != "floor").unwrap().point,
            "D"
        );
        assert_eq!(with_hr(at).algorithm_level, 3, "age {age}, HR {at}");
    }
    // Respiratory rate and SpO2 limits for adults.
    let adult = |v: Vitals| assess(&intake(40.0, resources(3), v)).unwrap().esi.level;
    assert_eq!(
        adult(Vitals {
            resp_rate: Some(21.0),
            ..calm_adult()
        }),
        2
    );
    assert_eq!(
        adult(Vitals {
            resp_rate: Some(20.0),
            ..calm_adult()
        }),
        3
    );
    assert_eq!(
        adult(Vitals {
            spo2: Some(91.0),
            ..calm_adult()
        }),
        2
    );
    assert_eq!(
        adult(Vitals {
            spo2: Some(92.0),
            ..calm_adult()
        }),
        3
    );
}

#[test]
fn the_most_urgent_indicator_sets_the_chinese_grade_and_nothing_is_stacked() {
    // One resource (Ⅳ级 by resources) but systolic 85: the consensus's Ⅲ级 indicator decides.
    let g = assess(&intake(
        50.0,
        resources(1),
        Vitals {
            systolic_bp: Some(85.0),
            diastolic_bp: Some(50.0),
            ..calm_adult()
        },
    ))
    .unwrap();
    assert_eq!(g.cn.level, 3, "{:?}", g.cn.path);
    assert!(g
        .cn
        .path
        .iter()
        .any(|p| p.starts_with("systolic pressure 80-90 mmHg: 85 mmHg")));
    assert!(
        g.cn.unverified.iter().any(|u| u.contains("80-90 mmHg")),
        "a transcribed indicator says it is unverified: {:?}",
        g.cn.unverified
    );
    // High risk (Ⅱ级) with a heart rate of 140 (a Ⅲ级 indicator) stays Ⅱ级: the tachycardia is
    // not counted a second time on top of the level it belongs to (the old rule gave Ⅰ级).
    let b = EsiAnswers {
        high_risk: Some(true),
        ..EsiAnswers::default()
    };
    let g = assess(&intake(
        50.0,
        b,
        Vitals {
            heart_rate: Some(140.0),
            ..calm_adult()
        },
    ))
    .unwrap();
    assert_eq!(g.cn.level, 2, "{:?}", g.cn.path);
    // New confusion is one finding, not a base and an upgrade.
    let confused = Vitals {
        consciousness: Some(Consciousness::Confusion),
        ..calm_adult()
    };
    let g = assess(&intake(60.0, resources(3), confused)).unwrap();
    assert_eq!(g.news2.score, 3);
    assert_eq!(g.cn.level, 2, "{:?}", g.cn.path);
}

#[test]
fn a_neonate_with_fever_is_at_least_esi_2_by_an_unverified_rule() {
    let v = Vitals {
        temperature_c: Some(38.5),
        ..Vitals::default()
    };
    let g = assess(&intake(0.05, resources(0), v)).unwrap();
    assert_eq!(g.esi.level, 2);
    assert!(g.esi.path.last().unwrap().answer.contains("unverified"));
}

#[test]
fn impossible_values_are_refused_naming_the_field() {
    let cases = [
        (
            Vitals {
                heart_rate: Some(400.0),
                ..Vitals::default()
            },
            "vitals.heart_rate",
        ),
        (
            Vitals {
                spo2: Some(101.0),
                ..Vitals::default()
            },
            "vitals.spo2",
        ),
        (
            Vitals {
                temperature_c: Some(50.0),
                ..Vitals::default()
            },
            "vitals.temperature_c",
        ),
        (
            Vitals {
                pain: Some(11.0),
                ..Vitals::default()
            },
            "vitals.pain",
        ),
        (
            Vitals {
                spo2_scale: Some(3),
                ..Vitals::default()
            },
            "vitals.spo2_scale",
        ),
        (
            Vitals {
                systolic_bp: Some(80.0),
                diastolic_bp: Some(90.0),
                ..Vitals::default()
            },
            "vitals.diastolic_bp",
        ),
    ];
    for (v, field) in cases {
        let err = assess(&intake(40.0, EsiAnswers::default(), v)).unwrap_err();
        assert_eq!(err.field(), Some(field));
        assert_eq!(err.code(), "impossible_value");
    }
    let err = assess(&intake(-1.0, EsiAnswers::default(), Vitals::default())).unwrap_err();
    assert_eq!(err.field(), Some("patient.age_years"));
}

#[test]
fn implausible_values_are_accepted_with_a_warning_to_confirm() {
    let g = assess(&intake(
        40.0,
        resources(2),
        Vitals {
            spo2: Some(60.0),
            ..calm_adult()
        },
    ))
    .unwrap();
    assert_eq!(g.warnings.len(), 1);
    assert_eq!(g.warnings[0].field, "vitals.spo2");
    assert_eq!(g.news2.parameters["spo2"].points, 3);
}

#[test]
fn a_high_news2_total_without_a_single_red_parameter_is_at_least_level_2() {
    // On oxygen (2), SpO2 93 (2), SBP 95 (2), T 39.5 (2), HR 95 (1): NEWS2 9, no parameter at 3.
    let v = Vitals {
        resp_rate: Some(18.0),
        spo2: Some(93.0),
        on_oxygen: Some(true),
        systolic_bp: Some(95.0),
        diastolic_bp: Some(60.0),
        heart_rate: Some(95.0),
        temperature_c: Some(39.5),
        consciousness: Some(Consciousness::Alert),
        ..Vitals::default()
    };
    let g = assess(&intake(40.0, resources(0), v)).unwrap();
    assert_eq!(g.news2.score, 9);
    assert!(g.news2.parameters.values().all(|p| p.points < 3));
    assert_eq!((g.esi.level, g.cn.level), (2, 2), "{:?}", g.cn.path);
    assert_eq!(
        g.esi.algorithm_level, 5,
        "no resources: the handbook's ESI 5"
    );
    assert!(g.cn.path.iter().any(|p| p.starts_with("NEWS2 7 or more")));
}

/// Every line a nurse reads has its Chinese twin: the zh-CN window shows no English rule text.
#[test]
fn every_rule_line_comes_in_chinese_too() {
    let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let septic = Vitals {
        resp_rate: Some(26.0),
        spo2: Some(90.0),
        heart_rate: Some(118.0),
        ..calm_adult()
    };
    let cases = [
        intake(67.0, EsiAnswers::default(), calm_adult()),
        intake(67.0, EsiAnswers::default(), septic),
        intake(
            30.0,
            EsiAnswers {
                lifesaving_intervention: Some(true),
                ..EsiAnswers::default()
            },
            Vitals::default(),
        ),
        intake(
            30.0,
            EsiAnswers {
                high_risk: Some(true),
                severe_pain_or_distress: Some(true),
                ..EsiAnswers::default()
            },
            calm_adult(),
        ),
        intake(
            30.0,
            EsiAnswers {
                expected_resources: Some(0),
                ..EsiAnswers::default()
            },
            calm_adult(),
        ),
        intake(
            0.05,
            EsiAnswers::default(),
            Vitals {
                temperature_c: Some(38.6),
                ..Vitals::default()
            },
        ),
    ];
    for case in cases {
        let g = assess(&case).unwrap();
        assert_eq!(g.cn.path.len(), g.cn.path_zh.len());
        assert_eq!(g.cn.unverified.len(), g.cn.unverified_zh.len());
        assert_eq!(g.esi.danger_zone.len(), g.esi.danger_zone_zh.len());
        for line in
            g.cn.path_zh
                .iter()
                .chain(&g.cn.unverified_zh)
                .chain(&g.esi.danger_zone_zh)
        {
            assert!(cjk(line), "{line}");
        }
        for step in &g.esi.path {
            assert!(cjk(&step.answer_zh), "{}: {}", step.point, step.answer_zh);
        }
        // NEWS2 bands are mostly numbers; what words they have must be Chinese ("CVPU" is
        // the scale's own name in Chinese charts too).
        let english_word = |s: &str| {
            s.split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w.len() > 1 && w != "CVPU")
        };
        for (key, p) in &g.news2.parameters {
            assert!(!english_word(&p.rule_zh), "{key}: {}", p.rule_zh);
            assert!(
                !english_word(&p.value_zh.replace("mmHg", "")),
                "{key}: {}",
                p.value_zh
            );
        }
    }
}
