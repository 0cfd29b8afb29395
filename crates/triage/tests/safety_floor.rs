//! The triage safety net (issue 12): a dangerous patient is never graded as minor. Each test is
//! named after the case it guards, the sickest patient first and the healthy one after; the
//! property tests at the end check random intakes against the rules as published, restated
//! here independently of the tables.

mod common;

use common::calm_adult as calm;
use triage::{
    assess, assess_on, Consciousness, EsiAnswers, Grades, Intake, Patient, Today, Vitals,
};

/// A and B answered "no", with `n` expected resources.
fn answered(n: u32) -> EsiAnswers {
    EsiAnswers {
        lifesaving_intervention: Some(false),
        high_risk: Some(false),
        new_confusion: Some(false),
        severe_pain_or_distress: Some(false),
        expected_resources: Some(n),
    }
}

fn adult(age: f64, resources: u32, vitals: Vitals) -> Intake {
    common::intake(age, answered(resources), vitals)
}

fn grade(intake: &Intake) -> Grades {
    assess(intake).unwrap_or_else(|e| panic!("{e}"))
}

fn levels(g: &Grades) -> (u8, u8) {
    (g.esi.level, g.cn.level)
}

#[test]
fn review_worked_example_shock_with_one_resource_is_esi_2_and_level_1() {
    // SBP 65, SpO2 85 % on air, HR 150, RR 30, alert, one expected resource: ESI 4 / Ⅲ级 before.
    let g = grade(&adult(
        55.0,
        1,
        Vitals {
            resp_rate: Some(30.0),
            spo2: Some(85.0),
            on_oxygen: Some(false),
            systolic_bp: Some(65.0),
            diastolic_bp: Some(40.0),
            heart_rate: Some(150.0),
            consciousness: Some(Consciousness::Alert),
            ..Vitals::default()
        },
    ));
    assert_eq!(g.news2.score, 12);
    assert_eq!(levels(&g), (2, 1), "{:?} / {:?}", g.esi.path, g.cn.path);
    // The handbook's own answer stays visible beside the floor.
    assert_eq!(g.esi.algorithm_level, 4);
    let floor = g.esi.path.last().unwrap();
    assert_eq!(floor.point, "floor");
    assert!(
        floor
            .answer
            .contains("systolic pressure < 70 mmHg: 65 mmHg"),
        "{}",
        floor.answer
    );
    assert!(
        floor.answer.contains("the algorithm gave ESI 4"),
        "{}",
        floor.answer
    );
    assert!(floor.answer_zh.contains("至少 ESI 2"));
    assert!(g.floor.hits.iter().any(|h| h.id == "news2_high"));
    // One line per finding: an SBP of 65 reads as "< 70", not also as "70-80" and "80-90".
    let ids: Vec<&str> = g.cn.indicators.iter().map(|h| h.id.as_str()).collect();
    assert!(ids.contains(&"cn1_sbp_low"), "{ids:?}");
    for covered in [
        "cn2_sbp_low",
        "cn3_sbp_low",
        "cn3_hr_high",
        "cn3_spo2_low",
        "cn_news2_medium",
    ] {
        assert!(!ids.contains(&covered), "{covered} is covered: {ids:?}");
    }
    // The Chinese grade reaches Ⅰ级 from its own indicator, so the floor adds no line there.
    assert_eq!(g.cn.algorithm_level, 1);
    assert!(g
        .cn
        .path
        .iter()
        .any(|p| p.starts_with("systolic pressure < 70 mmHg")));
    assert_eq!(g.cn.colour, "red");
}

#[test]
fn acvpu_p_needs_a_noxious_stimulus_so_it_is_esi_1_and_level_1() {
    for c in [Consciousness::Pain, Consciousness::Unresponsive] {
        let g = grade(&Intake {
            vitals: Vitals {
                consciousness: Some(c),
                ..Vitals::default()
            },
            ..Intake::default()
        });
        assert_eq!(levels(&g), (1, 1), "{c:?}: {:?}", g.esi.path);
        assert!(g.unanswered.is_empty(), "P/U answers A: {:?}", g.unanswered);
    }
    // V is "new confusion or lethargy": ESI 2 / Ⅱ级, not 1.
    let g = grade(&adult(
        40.0,
        2,
        Vitals {
            consciousness: Some(Consciousness::Voice),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (2, 2));
}

#[test]
fn consensus_level_1_single_indicators_give_level_1_with_one_resource_or_none() {
    // Each alone, in an otherwise calm adult who expects 0-1 resources (Ⅲ级 before).
    let cases: [(&str, Vitals); 6] = [
        (
            "HR 35",
            Vitals {
                heart_rate: Some(35.0),
                ..calm()
            },
        ),
        (
            "HR 185",
            Vitals {
                heart_rate: Some(185.0),
                ..calm()
            },
        ),
        (
            "SBP 65",
            Vitals {
                systolic_bp: Some(65.0),
                diastolic_bp: Some(40.0),
                ..calm()
            },
        ),
        (
            "SpO2 78",
            Vitals {
                spo2: Some(78.0),
                ..calm()
            },
        ),
        (
            "T 41.5",
            Vitals {
                temperature_c: Some(41.5),
                ..calm()
            },
        ),
        (
            "RR 6",
            Vitals {
                resp_rate: Some(6.0),
                ..calm()
            },
        ),
    ];
    for (name, v) in cases {
        for resources in [0, 1] {
            let g = grade(&adult(45.0, resources, v.clone()));
            assert_eq!(g.cn.level, 1, "{name}: {:?}", g.cn.path);
            assert_eq!(g.esi.level, 2, "{name}: {:?}", g.esi.path);
            assert!(
                g.esi.algorithm_level >= 4,
                "{name}: the algorithm alone said minor"
            );
        }
    }
}

#[test]
fn consensus_level_2_findings_are_seen_at_last() {
    let cases: [(&str, Vitals); 5] = [
        (
            "SBP 205",
            Vitals {
                systolic_bp: Some(205.0),
                diastolic_bp: Some(110.0),
                ..calm()
            },
        ),
        (
            "HR 45",
            Vitals {
                heart_rate: Some(45.0),
                ..calm()
            },
        ),
        (
            "HR 160",
            Vitals {
                heart_rate: Some(160.0),
                ..calm()
            },
        ),
        (
            "pain 8",
            Vitals {
                pain: Some(8.0),
                ..calm()
            },
        ),
        (
            "SpO2 88",
            Vitals {
                spo2: Some(88.0),
                ..calm()
            },
        ),
    ];
    for (name, v) in cases {
        let g = grade(&adult(45.0, 1, v));
        assert_eq!(g.cn.level, 2, "{name}: {:?}", g.cn.path);
        assert_eq!(g.cn.colour, "orange", "{name}");
        assert_eq!(
            g.cn.zone, "red",
            "{name}: Ⅱ级 is still seen in the red zone"
        );
        assert_eq!(g.cn.response_minutes, 10);
    }
}

#[test]
fn a_febrile_neonate_of_28_days_from_the_birth_date_is_at_least_esi_2() {
    let infant = |birth: &str| Intake {
        patient: Patient {
            birth_date: Some(birth.into()),
            ..Patient::default()
        },
        arrived_at: Some("2026-12-04T03:10+08:00".into()),
        vitals: Vitals {
            temperature_c: Some(38.3),
            heart_rate: Some(150.0),
            resp_rate: Some(40.0),
            spo2: Some(98.0),
            ..Vitals::default()
        },
        esi: answered(0),
        ..Intake::default()
    };
    // 28 days on the local day of arrival (UTC still says the 3rd).
    let g = grade(&infant("2026-11-06"));
    assert_eq!(g.age.as_ref().unwrap().age.max_days, 28);
    assert_eq!(g.esi.level, 2, "{:?}", g.esi.path);
    assert_eq!(g.cn.level, 2, "{:?}", g.cn.path);
    // 29 days: no longer "at least ESI 2"; the 1-3 month rule asks the nurse to consider it,
    // and Bedside's floor keeps a febrile young infant at ESI 3 / Ⅲ级 at least.
    let g = grade(&infant("2026-11-05"));
    assert_eq!(
        (g.esi.algorithm_level, g.esi.level, g.cn.level),
        (5, 3, 3),
        "{:?}",
        g.esi.path
    );
    assert!(g
        .esi
        .consider
        .iter()
        .any(|c| c.answer.contains("consider ESI 2")));
    // 38.0 exactly is a fever at 28 days (the card says "> 38.0"; Bedside errs high).
    let mut exactly = infant("2026-11-06");
    exactly.vitals.temperature_c = Some(38.0);
    assert_eq!(grade(&exactly).esi.level, 2);
    // A cold neonate is as suspect as a hot one.
    exactly.vitals.temperature_c = Some(35.3);
    assert_eq!(levels(&grade(&exactly)), (2, 2));
}

#[test]
fn an_infant_typed_as_0_years_is_graded_on_the_most_urgent_infant_row() {
    // HR 170: inside the < 3 months limit (180), in the 3 months-3 years danger zone (160).
    let mut i = adult(
        0.0,
        2,
        Vitals {
            heart_rate: Some(170.0),
            resp_rate: Some(35.0),
            spo2: Some(97.0),
            temperature_c: Some(37.0),
            ..Vitals::default()
        },
    );
    let g = grade(&i);
    assert_eq!(g.esi.level, 2, "{:?}", g.esi.path);
    assert!(
        g.esi.danger_zone[0].contains("3 months - 3 years"),
        "{:?}",
        g.esi.danger_zone
    );
    // "0 years" is provisional: the exact age is asked for before anything is saved.
    assert_eq!(g.unanswered, ["patient.age_days"]);
    // A fever at "0 years" may be a neonate's: at least ESI 2 until the days are given.
    i.vitals.temperature_c = Some(38.4);
    i.vitals.heart_rate = Some(150.0);
    i.esi = answered(0);
    assert_eq!(grade(&i).esi.level, 2);
    // Given exactly (200 days), the neonatal rule no longer applies, nor the question.
    i.patient.age_years = None;
    i.patient.age_days = Some(200);
    let g = grade(&i);
    assert_eq!(g.esi.level, 5, "{:?}", g.esi.path);
    assert!(g.unanswered.is_empty());
}

#[test]
fn exact_age_in_days_or_months_joins_the_strict_input_schema() {
    let i: Intake = serde_json::from_str(
        r#"{"patient":{"age_days":12},"vitals":{"temperature_c":38.6},
            "esi":{"lifesaving_intervention":false,"high_risk":null}}"#,
    )
    .unwrap();
    let g = grade(&i);
    assert_eq!(g.esi.level, 2);
    assert_eq!(g.age.as_ref().unwrap().text, "12 days");
    assert_eq!(g.age.as_ref().unwrap().text_zh, "12 天");
    let months: Intake = serde_json::from_str(r#"{"patient":{"age_months":7}}"#).unwrap();
    let a = grade(&months).age.unwrap();
    assert!(a.age.min_days > 200 && a.age.max_days < 245, "{a:?}");
    for (json, field) in [
        (r#"{"patient":{"age_days":400}}"#, "patient.age_days"),
        (r#"{"patient":{"age_months":30}}"#, "patient.age_months"),
    ] {
        let i: Intake = serde_json::from_str(json).unwrap();
        assert_eq!(assess(&i).unwrap_err().field(), Some(field));
    }
    assert!(serde_json::from_str::<Intake>(r#"{"patient":{"age_weeks":3}}"#).is_err());
}

#[test]
fn the_other_paediatric_fever_rules_are_consider_prompts_that_change_nothing() {
    let child = |days: u32, t: f64| Intake {
        patient: Patient {
            age_days: (days < 366).then_some(days),
            age_years: (days >= 366).then_some(2.0),
            ..Patient::default()
        },
        vitals: Vitals {
            temperature_c: Some(t),
            heart_rate: Some(130.0),
            resp_rate: Some(30.0),
            spo2: Some(98.0),
            ..Vitals::default()
        },
        esi: answered(1),
        ..Intake::default()
    };
    let two_months = grade(&child(60, 38.5));
    assert_eq!(two_months.esi.algorithm_level, 4);
    assert_eq!(
        two_months.esi.level, 3,
        "Bedside's febrile young infant floor"
    );
    assert_eq!(two_months.esi.consider.len(), 1);
    assert!(two_months.esi.consider[0].answer_zh.contains("考虑 ESI 2"));
    let toddler = grade(&child(800, 39.5));
    assert_eq!(toddler.esi.level, 4);
    assert!(toddler.esi.consider[0].answer.contains("consider ESI 3"));
    assert!(grade(&child(800, 38.5)).esi.consider.is_empty());
}

#[test]
fn unanswered_a_and_b_are_never_read_as_no_and_make_the_grade_provisional() {
    let mut i = adult(40.0, 1, calm());
    i.esi.lifesaving_intervention = None;
    i.esi.new_confusion = None;
    let g = grade(&i);
    assert_eq!(
        g.unanswered,
        ["esi.lifesaving_intervention", "esi.new_confusion"]
    );
    assert!(g.esi.path[0].answer.contains("provisional"));
    assert!(g.esi.path[1].answer_zh.contains("暂定"));
    // One "yes" answers B whatever the rest say.
    i.esi.lifesaving_intervention = Some(false);
    i.esi.high_risk = Some(true);
    assert!(grade(&i).unanswered.is_empty());
    // Nothing answered at all: every question listed.
    let g = grade(&Intake::default());
    assert_eq!(g.unanswered.len(), 4);
    // All answered "no": nothing left.
    assert!(grade(&adult(40.0, 1, calm())).unanswered.is_empty());
}

#[test]
fn news2_is_marked_not_validated_under_16_and_in_pregnancy_and_left_out_of_the_chinese_grade() {
    // A 12-year-old whose NEWS2 adds up to 7 from values normal enough for a child.
    let v = Vitals {
        resp_rate: Some(25.0),
        heart_rate: Some(115.0),
        temperature_c: Some(38.5),
        spo2: Some(97.0),
        on_oxygen: Some(false),
        systolic_bp: Some(105.0),
        consciousness: Some(Consciousness::Alert),
        ..Vitals::default()
    };
    let g = grade(&adult(12.0, 1, v.clone()));
    assert_eq!(g.news2.score, 7);
    assert_eq!(g.news2.not_validated, ["under_16"]);
    assert!(!g.cn.indicators.iter().any(|h| h.id.starts_with("cn_news2")));
    assert!(
        g.cn.path
            .iter()
            .any(|p| p.starts_with("NEWS2 not validated")),
        "{:?}",
        g.cn.path
    );
    assert!(!g.floor.hits.iter().any(|h| h.id == "news2_high"));
    // Graded on the child's own danger zone instead (HR > 100 and RR > 20 over 8 years).
    assert_eq!(levels(&g), (3, 3), "{:?}", g.cn.path);
    assert!(
        g.floor
            .hits
            .iter()
            .all(|h| h.id.starts_with("child_danger")),
        "{:?}",
        g.floor.hits
    );
    // In pregnancy it is not validated either, and left out of the grade; the floor still holds.
    let mut p = adult(30.0, 1, v);
    p.pregnant = Some(true);
    let g = grade(&p);
    assert_eq!(g.news2.not_validated, ["pregnancy"]);
    assert!(!g.cn.indicators.iter().any(|h| h.id.starts_with("cn_news2")));
    assert_eq!(
        levels(&g),
        (2, 2),
        "NEWS2 7 in pregnancy is never reassuring"
    );
    // An adult: validated, in the grade.
    let g = grade(&adult(30.0, 1, calm()));
    assert!(g.news2.validated());
}

#[test]
fn children_are_graded_on_paediatric_limits_never_the_adult_ones() {
    let child = |days: u32, years: f64, v: Vitals| Intake {
        patient: Patient {
            age_days: (days > 0).then_some(days),
            age_years: (days == 0).then_some(years),
            ..Patient::default()
        },
        vitals: v,
        esi: answered(1),
        ..Intake::default()
    };
    // A 2-month-old with a heart rate of 70 (the adult limit is 40): low for age.
    let g = grade(&child(
        60,
        0.0,
        Vitals {
            heart_rate: Some(70.0),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (2, 2), "{:?}", g.floor.hits);
    assert!(g.floor.hits[0].text.contains("low heart rate for age"));
    // A 5-year-old with a systolic of 78 (PALS: < 70 + 2 × 5 = 80 is hypotension).
    let g = grade(&child(
        0,
        5.0,
        Vitals {
            systolic_bp: Some(78.0),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (2, 1), "{:?}", g.floor.hits);
    // 82 is not hypotension at five (the formula reads whole years: 5, 80 mmHg).
    let g = grade(&child(
        0,
        5.0,
        Vitals {
            systolic_bp: Some(82.0),
            ..Vitals::default()
        },
    ));
    assert!(g.floor.hits.is_empty(), "{:?}", g.floor.hits);
    // A neonate at 58 mmHg, an infant at 225/min or 55/min: Ⅰ级.
    for (days, years, v) in [
        (
            10,
            0.0,
            Vitals {
                systolic_bp: Some(58.0),
                ..Vitals::default()
            },
        ),
        (
            100,
            0.0,
            Vitals {
                heart_rate: Some(225.0),
                ..Vitals::default()
            },
        ),
        (
            300,
            0.0,
            Vitals {
                heart_rate: Some(55.0),
                ..Vitals::default()
            },
        ),
    ] {
        let g = grade(&child(days, years, v));
        assert_eq!(
            levels(&g),
            (2, 1),
            "{days} d / {years} y: {:?}",
            g.floor.hits
        );
    }
    // Each with the levels it must reach at least.
    let v = Vitals::default;
    for (years, vitals, want, why) in [
        (
            7.0,
            Vitals {
                heart_rate: Some(182.0),
                ..v()
            },
            (2, 1),
            "PALS probable SVT from 2 years",
        ),
        (
            11.0,
            Vitals {
                heart_rate: Some(38.0),
                ..v()
            },
            (2, 1),
            "below 40 from 2 years",
        ),
        (
            5.0,
            Vitals {
                resp_rate: Some(8.0),
                ..v()
            },
            (2, 1),
            "bradypnoea",
        ),
        (
            7.0,
            Vitals {
                heart_rate: Some(55.0),
                ..v()
            },
            (2, 2),
            "low for age (PALS asleep 60)",
        ),
        (
            2.0,
            Vitals {
                spo2: Some(86.0),
                resp_rate: Some(60.0),
                ..v()
            },
            (2, 2),
            "SpO2 86",
        ),
        (
            4.0,
            Vitals {
                heart_rate: Some(170.0),
                resp_rate: Some(45.0),
                systolic_bp: Some(85.0),
                temperature_c: Some(38.5),
                ..v()
            },
            (3, 3),
            "the danger zone for 3-8 years",
        ),
        (
            3.0,
            Vitals {
                on_oxygen: Some(true),
                spo2: Some(96.0),
                ..v()
            },
            (3, 3),
            "on oxygen",
        ),
        // Scale 2 is an adult's target: a child's 89 % is read on scale 1.
        (
            4.0,
            Vitals {
                spo2: Some(89.0),
                spo2_scale: Some(2),
                ..v()
            },
            (2, 2),
            "scale 2 ignored",
        ),
    ] {
        let g = grade(&child(0, years, vitals));
        assert_eq!(levels(&g), want, "{years} y, {why}: {:?}", g.floor.hits);
    }
    for (days, vitals, want, why) in [
        (
            180,
            Vitals {
                resp_rate: Some(10.0),
                ..v()
            },
            (2, 1),
            "an infant breathing 10",
        ),
        (
            60,
            Vitals {
                resp_rate: Some(75.0),
                ..v()
            },
            (2, 2),
            "an infant breathing 75",
        ),
        (
            80,
            Vitals {
                temperature_c: Some(35.5),
                ..v()
            },
            (2, 2),
            "a cold young infant",
        ),
    ] {
        let g = grade(&child(days, 0.0, vitals));
        assert_eq!(levels(&g), want, "{days} d, {why}: {:?}", g.floor.hits);
    }
    // A 6-month-old breathing 70/min with SpO2 91 and HR 175: above every normal breathing
    // rate (ESI 2 / Ⅱ级), besides the danger zone's saturation and heart rate.
    let g = grade(&child(
        180,
        0.0,
        Vitals {
            resp_rate: Some(70.0),
            spo2: Some(91.0),
            heart_rate: Some(175.0),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (2, 2), "{:?}", g.floor.hits);
    assert_eq!(
        g.floor.hits.len(),
        3,
        "each finding listed once: {:?}",
        g.floor.hits
    );
}

#[test]
fn final_review_cases_a_slow_breathing_infant_svt_at_15_months_and_news2_in_pregnancy() {
    let child = |days: u32, v: Vitals| Intake {
        patient: Patient {
            age_days: Some(days),
            ..Patient::default()
        },
        vitals: Vitals {
            heart_rate: v.heart_rate.or(Some(130.0)),
            resp_rate: v.resp_rate.or(Some(35.0)),
            spo2: v.spo2.or(Some(98.0)),
            temperature_c: Some(37.0),
            ..v
        },
        esi: answered(1),
        ..Intake::default()
    };
    // A 10-day-old and a 4-month-old breathing 14/min: near-apnoea, not Ⅳ级.
    for days in [10, 120] {
        let g = grade(&child(
            days,
            Vitals {
                resp_rate: Some(14.0),
                ..Vitals::default()
            },
        ));
        assert_eq!(levels(&g), (2, 1), "{days} d: {:?}", g.floor.hits);
    }
    // A 6-year-old breathing 12/min.
    let mut six = child(
        0,
        Vitals {
            resp_rate: Some(12.0),
            ..Vitals::default()
        },
    );
    six.patient.age_days = None;
    six.patient.age_years = Some(6.0);
    assert_eq!(levels(&grade(&six)), (2, 2));
    // 185/min at 15 months: PALS's probable SVT in a child (over 1 year).
    let mut toddler = child(
        0,
        Vitals {
            heart_rate: Some(185.0),
            ..Vitals::default()
        },
    );
    toddler.patient.age_days = None;
    toddler.patient.age_months = Some(15);
    assert_eq!(levels(&grade(&toddler)), (2, 1));
    // Pregnant, SpO2 93, RR 24, HR 108, SBP 110 (NEWS2 6): as urgent as when not pregnant.
    let v = Vitals {
        spo2: Some(93.0),
        resp_rate: Some(24.0),
        heart_rate: Some(108.0),
        systolic_bp: Some(110.0),
        ..calm()
    };
    let not_pregnant = levels(&grade(&adult(30.0, 1, v.clone())));
    let mut p = adult(30.0, 1, v);
    p.pregnant = Some(true);
    let pregnant = grade(&p);
    assert_eq!(pregnant.news2.not_validated, ["pregnancy"]);
    assert_eq!(levels(&pregnant), not_pregnant);
    assert_eq!(pregnant.esi.level, 3, "{:?}", pregnant.floor.hits);
}

#[test]
fn a_crying_toddler_or_an_athletic_child_is_not_sent_to_resuscitation() {
    let child = |years: f64, v: Vitals| Intake {
        patient: Patient {
            age_years: Some(years),
            ..Patient::default()
        },
        vitals: v,
        esi: answered(1),
        ..Intake::default()
    };
    // 14 months, crying and febrile at 175/min: inside the PALS awake range (to 190) and below
    // its probable-SVT line (180 over 1 year): the danger zone's ESI 3 / Ⅲ级, not resuscitation.
    let g = grade(&child(
        1.0,
        Vitals {
            heart_rate: Some(175.0),
            temperature_c: Some(38.5),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (3, 3), "{:?}", g.floor.hits);
    // 11 years at 55/min, 15 years at 45/min: not Ⅰ级.
    let g = grade(&child(
        11.0,
        Vitals {
            heart_rate: Some(55.0),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (4, 4), "{:?}", g.floor.hits);
    let g = grade(&child(
        15.0,
        Vitals {
            heart_rate: Some(45.0),
            ..Vitals::default()
        },
    ));
    assert_eq!(levels(&g), (3, 3), "{:?}", g.floor.hits);
}

#[test]
fn consensus_level_2_and_3_vital_signs_set_the_esi_floor_too() {
    // Each of these was ESI 4-5 with 0-1 resources: the two scales now agree on a vital sign.
    let cases: [(&str, u32, Vitals, (u8, u8)); 6] = [
        (
            "SpO2 85 alone",
            0,
            Vitals {
                spo2: Some(85.0),
                ..calm()
            },
            (2, 2),
        ),
        (
            "SBP 75, HR 110",
            1,
            Vitals {
                systolic_bp: Some(75.0),
                diastolic_bp: Some(45.0),
                heart_rate: Some(110.0),
                ..calm()
            },
            (2, 2),
        ),
        (
            "HR 170",
            1,
            Vitals {
                heart_rate: Some(170.0),
                ..calm()
            },
            (2, 2),
        ),
        (
            "HR 115",
            1,
            Vitals {
                heart_rate: Some(115.0),
                ..calm()
            },
            (3, 3),
        ),
        (
            "SBP 85",
            1,
            Vitals {
                systolic_bp: Some(85.0),
                diastolic_bp: Some(50.0),
                ..calm()
            },
            (3, 3),
        ),
        // RR 25 (3), SBP 95 (2), HR 95 (1): NEWS2 6 with a single red score.
        (
            "NEWS2 6",
            1,
            Vitals {
                resp_rate: Some(25.0),
                systolic_bp: Some(95.0),
                diastolic_bp: Some(60.0),
                heart_rate: Some(95.0),
                ..calm()
            },
            (3, 3),
        ),
    ];
    for (name, resources, v, want) in cases {
        let g = grade(&adult(50.0, resources, v));
        assert_eq!(
            levels(&g),
            want,
            "{name}: {:?} / {:?}",
            g.floor.hits,
            g.cn.path
        );
    }
    // A pain or anxiety tachycardia of 105, a pressure of 185: Ⅲ级 by the consensus, but no ESI
    // floor (ESI reads neither at one resource); the nurse sees the Ⅲ级.
    for v in [
        Vitals {
            heart_rate: Some(105.0),
            ..calm()
        },
        Vitals {
            systolic_bp: Some(185.0),
            diastolic_bp: Some(95.0),
            ..calm()
        },
        Vitals {
            spo2: Some(93.0),
            ..calm()
        },
    ] {
        assert_eq!(levels(&grade(&adult(50.0, 1, v))), (4, 3));
    }
    // Breathing at 26 and a diastolic of 125 do give ESI 3, in pregnancy too.
    let mut p = adult(
        28.0,
        1,
        Vitals {
            resp_rate: Some(30.0),
            ..calm()
        },
    );
    p.pregnant = Some(true);
    assert_eq!(levels(&grade(&p)), (3, 3));
    let g = grade(&adult(
        50.0,
        1,
        Vitals {
            diastolic_bp: Some(125.0),
            systolic_bp: Some(178.0),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (3, 3));
    // On oxygen with a normal saturation: at least ESI 3.
    let g = grade(&adult(
        70.0,
        1,
        Vitals {
            on_oxygen: Some(true),
            spo2: Some(96.0),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (3, 3));
    // Severe pain is a factor to consider for ESI, not a floor: Ⅱ级, ESI by the algorithm.
    let g = grade(&adult(
        50.0,
        1,
        Vitals {
            pain: Some(6.5),
            ..calm()
        },
    ));
    assert_eq!(
        levels(&g),
        (4, 2),
        "pain 6.5 lies between the rows: the more urgent"
    );
    // Unknown age, shock: adult rows.
    let mut i = adult(
        50.0,
        1,
        Vitals {
            systolic_bp: Some(75.0),
            diastolic_bp: Some(40.0),
            heart_rate: Some(120.0),
            ..calm()
        },
    );
    i.patient.age_years = None;
    assert_eq!(grade(&i).esi.level, 2);
}

#[test]
fn hypothermia_is_read_at_every_age() {
    let g = grade(&adult(
        70.0,
        1,
        Vitals {
            temperature_c: Some(30.0),
            heart_rate: Some(55.0),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (2, 2), "{:?}", g.floor.hits);
    let g = grade(&adult(
        70.0,
        1,
        Vitals {
            temperature_c: Some(35.0),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (3, 3), "{:?}", g.floor.hits);
    let g = grade(&adult(
        70.0,
        1,
        Vitals {
            temperature_c: Some(35.1),
            ..calm()
        },
    ));
    assert_eq!(levels(&g), (4, 4));
}

#[test]
fn copd_on_scale_2_at_its_target_saturation_is_not_level_2() {
    let v = |spo2: f64| Vitals {
        spo2: Some(spo2),
        spo2_scale: Some(2),
        on_oxygen: Some(false),
        ..calm()
    };
    let g = grade(&adult(70.0, 1, v(89.0)));
    assert_eq!(levels(&g), (4, 4), "{:?}", g.cn.path);
    let g = grade(&adult(70.0, 1, v(85.0)));
    assert_eq!(levels(&g), (2, 2), "{:?}", g.cn.path);
    let g = grade(&adult(70.0, 1, v(78.0)));
    assert_eq!(levels(&g), (2, 1));
}

#[test]
fn severe_hypertension_in_pregnancy_is_esi_2() {
    let mut i = adult(
        30.0,
        1,
        Vitals {
            systolic_bp: Some(165.0),
            diastolic_bp: Some(112.0),
            ..calm()
        },
    );
    i.pregnant = Some(true);
    let g = grade(&i);
    assert_eq!(levels(&g), (2, 2), "{:?}", g.floor.hits);
    i.vitals.systolic_bp = Some(150.0);
    assert_eq!(levels(&grade(&i)), (2, 2), "diastolic 112 alone");
    i.pregnant = None;
    assert_eq!(
        levels(&grade(&i)),
        (4, 4),
        "not pregnant: the consensus rows only"
    );
}

#[test]
fn a_healthy_child_is_not_graded_on_adult_heart_rate_or_pressure() {
    // A 4-year-old: HR 115, SBP 92, RR 24 are normal for age; the adult rows would say Ⅲ级.
    let g = grade(&Intake {
        patient: Patient {
            age_years: Some(4.0),
            ..Patient::default()
        },
        vitals: Vitals {
            heart_rate: Some(115.0),
            systolic_bp: Some(92.0),
            resp_rate: Some(24.0),
            spo2: Some(98.0),
            temperature_c: Some(37.2),
            consciousness: Some(Consciousness::Alert),
            on_oxygen: Some(false),
            ..Vitals::default()
        },
        esi: answered(1),
        ..Intake::default()
    });
    assert_eq!(levels(&g), (4, 4), "{:?}", g.cn.path);
    assert!(g.floor.hits.is_empty());
}

#[test]
fn a_healthy_adult_is_esi_5_and_level_4_with_no_floor() {
    let g = grade(&adult(35.0, 0, calm()));
    assert_eq!(levels(&g), (5, 4));
    assert_eq!((g.esi.algorithm_level, g.cn.algorithm_level), (5, 4));
    assert!(g.floor.hits.is_empty() && g.floor.esi.is_none());
    assert!(g.esi.path.iter().all(|s| s.point != "floor"));
    assert_eq!(g.cn.colour, "green");
    assert!(g.unanswered.is_empty());
}

#[test]
fn a_minor_level_is_provisional_until_heart_breathing_and_saturation_are_measured() {
    let g = grade(&adult(35.0, 1, Vitals::default()));
    assert_eq!(levels(&g), (4, 4));
    assert!(!g.news2.complete);
    assert!(g.floor.hits.is_empty());
    assert_eq!(
        g.unanswered,
        ["vitals.heart_rate", "vitals.resp_rate", "vitals.spo2"]
    );
    // A one-month-old also needs a temperature.
    let mut infant = adult(0.0, 1, Vitals::default());
    infant.patient.age_years = None;
    infant.patient.age_days = Some(35);
    assert!(grade(&infant).unanswered.contains(&"vitals.temperature_c"));
    // An urgent level is saved as soon as A and B are answered: the resuscitation room does not
    // wait for a saturation.
    let g = grade(&adult(35.0, 3, Vitals::default()));
    assert_eq!(levels(&g), (3, 3));
    assert!(g.unanswered.is_empty());
}

#[test]
fn an_unknown_age_is_graded_on_adult_rows() {
    let mut i = adult(
        35.0,
        1,
        Vitals {
            heart_rate: Some(38.0),
            ..calm()
        },
    );
    i.patient.age_years = None;
    let g = grade(&i);
    assert!(g.age.is_none());
    assert_eq!(levels(&g), (2, 1));
}

// ---------------------------------------------------------------------------------------------
// Properties over random intakes
// ---------------------------------------------------------------------------------------------

/// xorshift64*: a fixed seed, so a failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    /// A value in [lo, hi] with one decimal, or none one time in six.
    fn maybe(&mut self, lo: f64, hi: f64) -> Option<f64> {
        (!self.chance(16)).then(|| {
            let steps = ((hi - lo) * 10.0) as u64;
            lo + self.below(steps + 1) as f64 / 10.0
        })
    }
    fn answer(&mut self) -> Option<bool> {
        match self.below(3) {
            0 => None,
            1 => Some(false),
            _ => Some(true),
        }
    }
}

fn random_intake(r: &mut Rng) -> Intake {
    let mut patient = Patient::default();
    match r.below(7) {
        0 => {}
        1 => patient.age_days = Some(r.below(366) as u32),
        2 => patient.age_months = Some(r.below(24) as u32),
        // Around the 28-day and 3-month boundaries and beyond; today is 2026-12-04.
        3 => {
            let births = [
                "2026-11-06",
                "2026-11-05",
                "2026-09-04",
                "2025-12-04",
                "1990-01-01",
            ];
            patient.birth_date = Some(births[r.below(5) as usize].into());
        }
        // A rounded fraction, as earlier windows sent an infant's age.
        4 => patient.age_years = Some(r.below(100) as f64 / 100.0),
        _ => patient.age_years = Some(r.below(100) as f64),
    }
    let consciousness = [
        None,
        Some(Consciousness::Alert),
        Some(Consciousness::Alert),
        Some(Consciousness::Alert),
        Some(Consciousness::Confusion),
        Some(Consciousness::Voice),
        Some(Consciousness::Pain),
        Some(Consciousness::Unresponsive),
    ][r.below(8) as usize];
    let systolic = r.maybe(40.0, 260.0);
    Intake {
        patient,
        complaint: "random".into(),
        pregnant: r.chance(10).then_some(true),
        vitals: Vitals {
            resp_rate: r.maybe(4.0, 60.0),
            spo2: r.maybe(70.0, 100.0),
            spo2_scale: r.chance(10).then_some(2),
            on_oxygen: [None, Some(false), Some(true)][r.below(3) as usize],
            systolic_bp: systolic,
            diastolic_bp: None,
            heart_rate: r.maybe(25.0, 240.0),
            temperature_c: r.maybe(33.0, 42.5),
            consciousness,
            pain: r.maybe(0.0, 10.0),
        },
        esi: EsiAnswers {
            lifesaving_intervention: r.answer().filter(|_| r.chance(50)),
            high_risk: r.answer(),
            new_confusion: r.answer(),
            severe_pain_or_distress: r.answer(),
            expected_resources: (!r.chance(15)).then(|| r.below(5) as u32),
        },
        ..Intake::default()
    }
}

const TODAY: Today = Today { utc_days: 20_791 };

#[test]
fn property_the_level_is_never_less_urgent_than_the_floor_or_the_published_extremes() {
    let mut r = Rng(0x5eed_1234_abcd_0042);
    for n in 0..30_000 {
        let i = random_intake(&mut r);
        let g = assess_on(&i, TODAY).unwrap_or_else(|e| panic!("case {n}: {e}: {i:?}"));
        let ctx = || format!("case {n}: {i:?}\nESI {:?}\nCN {:?}", g.esi.path, g.cn.path);
        assert!(g.floor.esi.is_none_or(|f| g.esi.level <= f), "{}", ctx());
        assert!(g.floor.cn.is_none_or(|f| g.cn.level <= f), "{}", ctx());
        assert!(g.esi.level <= g.esi.algorithm_level && g.cn.level <= g.cn.algorithm_level);

        // The published rules, restated here, not read from the tables.
        let v = &i.vitals;
        if v.consciousness.is_some_and(|c| c.unresponsive()) {
            assert_eq!(levels(&g), (1, 1), "P/U: {}", ctx());
        }
        let adult = g.age.as_ref().is_none_or(|a| a.age.min_days >= 5844);
        let extreme_any_age =
            v.spo2.is_some_and(|s| s < 80.0) || v.temperature_c.is_some_and(|t| t > 41.0);
        let extreme_adult = adult
            && (v.systolic_bp.is_some_and(|s| s < 70.0)
                || v.heart_rate.is_some_and(|h| !(40.0..=180.0).contains(&h)));
        if extreme_any_age || extreme_adult {
            assert!(
                g.esi.level <= 2 && g.cn.level == 1,
                "extreme vital sign: {}",
                ctx()
            );
        }
        // A vital sign past Bedside's ESI 3 line is never ESI 4-5: SpO2 below 92 on scale 1,
        // and for adults a heart rate above 110 or 50 and below, a systolic pressure of 90 and
        // below or above 200, breathing at 25 or more.
        let scale1 = v.spo2_scale != Some(2) || !adult || i.pregnant == Some(true);
        let abnormal = (scale1 && v.spo2.is_some_and(|s| s < 92.0))
            || (adult
                && (v.heart_rate.is_some_and(|h| !(51.0..=110.0).contains(&h))
                    || v.systolic_bp.is_some_and(|s| !(91.0..=200.0).contains(&s))
                    || v.resp_rate.is_some_and(|r| r >= 25.0)));
        if abnormal {
            assert!(
                g.esi.level <= 3,
                "a vital sign past the ESI 3 line: {}",
                ctx()
            );
        }
        // A minor level is never saved on vital signs nobody measured.
        if g.esi.level >= 4 || g.cn.level == 4 {
            for (field, value) in [
                ("vitals.heart_rate", v.heart_rate),
                ("vitals.resp_rate", v.resp_rate),
                ("vitals.spo2", v.spo2),
            ] {
                assert_eq!(
                    value.is_none(),
                    g.unanswered.contains(&field),
                    "{field}: {}",
                    ctx()
                );
            }
        }
        if adult && g.news2.score >= 7 {
            assert!(
                g.esi.level <= 2 && g.cn.level <= 2,
                "NEWS2 {}: {}",
                g.news2.score,
                ctx()
            );
        }
        let neonate = g.age.as_ref().is_some_and(|a| a.age.min_days <= 28);
        if neonate && v.temperature_c.is_some_and(|t| t > 38.0) {
            assert!(g.esi.level <= 2, "febrile neonate: {}", ctx());
        }
        // Every path has its Chinese twin, line for line.
        assert_eq!(g.cn.path.len(), g.cn.path_zh.len());
        assert_eq!(g.cn.unverified.len(), g.cn.unverified_zh.len());
    }
}

#[test]
fn property_a_sicker_patient_is_never_graded_less_urgent() {
    let mut r = Rng(0xfeed_beef_0bad_cafe);
    let order = [
        Consciousness::Alert,
        Consciousness::Confusion,
        Consciousness::Voice,
        Consciousness::Pain,
        Consciousness::Unresponsive,
    ];
    for n in 0..10_000 {
        let i = random_intake(&mut r);
        let before = levels(&assess_on(&i, TODAY).unwrap());
        let mut worse = Vec::new();
        // A "yes" where there was a "no" or nothing.
        let mut yes = i.clone();
        match r.below(4) {
            0 => yes.esi.lifesaving_intervention = Some(true),
            1 => yes.esi.high_risk = Some(true),
            2 => yes.esi.new_confusion = Some(true),
            _ => yes.esi.severe_pain_or_distress = Some(true),
        }
        worse.push(("a yes answer", yes));
        // More resources.
        let mut more = i.clone();
        more.esi.expected_resources = Some(more.esi.expected_resources.unwrap_or(0) + 1);
        if i.esi.expected_resources.is_some() {
            worse.push(("one more resource", more));
        }
        // Consciousness one step worse.
        if let Some(c) = i
            .vitals
            .consciousness
            .filter(|c| *c != Consciousness::Unresponsive)
        {
            let at = order.iter().position(|o| *o == c).unwrap();
            let mut duller = i.clone();
            duller.vitals.consciousness = Some(order[at + 1]);
            worse.push(("duller consciousness", duller));
        }
        // Lower saturation or pressure (below the normal range), higher pain or NEWS2 inputs.
        // (Not on scale 2, where a higher saturation on oxygen scores more.)
        if let Some(s) = i.vitals.spo2.filter(|_| i.vitals.spo2_scale != Some(2)) {
            let mut low = i.clone();
            low.vitals.spo2 = Some((s - 5.0).max(0.0));
            worse.push(("lower SpO2", low));
        }
        if let Some(s) = i.vitals.systolic_bp.filter(|s| *s <= 110.0) {
            let mut low = i.clone();
            low.vitals.systolic_bp = Some((s - 10.0).max(0.0));
            worse.push(("lower systolic pressure", low));
        }
        if let Some(p) = i.vitals.pain {
            let mut hurt = i.clone();
            hurt.vitals.pain = Some((p + 3.0).min(10.0));
            worse.push(("more pain", hurt));
        }
        for (what, w) in worse {
            let after = levels(&assess_on(&w, TODAY).unwrap());
            assert!(
                after.0 <= before.0 && after.1 <= before.1,
                "case {n}, {what}: {before:?} → {after:?}\n{i:?}"
            );
        }
    }
}
