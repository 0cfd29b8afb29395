//! ESI v4 as a guided decision: A, B, C, D in order, each answer recorded in the path. The
//! algorithm stays as the handbook has it; Bedside's safety floor ([`crate::floor`]) is applied
//! after it, as its own line.

use crate::age::{Age, DAYS_PER_YEAR};
use crate::intake::{Consciousness, Intake};
use crate::rules::{DangerZone, EsiTable, FeverAction};

/// One decision point passed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    /// `A`, `B`, `C`, `D`, `fever` or `floor`.
    pub point: &'static str,
    /// What was decided and why.
    pub answer: String,
    /// The same in Chinese, for the zh-CN window.
    pub answer_zh: String,
}

/// The ESI result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Esi {
    /// 1 (most urgent) to 5: the algorithm's level, made more urgent by the safety floor when
    /// the floor is higher.
    pub level: u8,
    /// The level the handbook's algorithm gave on its own.
    pub algorithm_level: u8,
    /// The decision points passed, in order (the floor, when it raised the level, last).
    pub path: Vec<Step>,
    /// Danger-zone findings (empty when none, or when not measured).
    pub danger_zone: Vec<String>,
    /// The same in Chinese.
    pub danger_zone_zh: Vec<String>,
    /// "Consider" prompts (paediatric fever): shown to the nurse, the level unchanged.
    pub consider: Vec<Step>,
}

fn step(point: &'static str, answer: &str, answer_zh: &str) -> Step {
    Step {
        point,
        answer: answer.to_string(),
        answer_zh: answer_zh.to_string(),
    }
}

/// The danger-zone limits for this age: the most urgent of the rows the age may fall in (an age
/// known only as "0 years" takes the lowest heart-rate limit of the infant rows). An unknown age
/// takes the adult row, whose heart and breathing limits are the lowest.
fn zone_limits(table: &EsiTable, age: Option<Age>) -> (f64, f64, f64, String, String) {
    let adult = table
        .danger_zone
        .last()
        .expect("the danger-zone table has rows (tested)");
    let rows: Vec<&DangerZone> = match age {
        None => vec![adult],
        Some(a) => {
            let mut from = 0u32;
            let mut rows = Vec::new();
            for r in &table.danger_zone {
                let below = r.below_age_years.map(|y| (y * DAYS_PER_YEAR).ceil() as u32);
                if a.overlaps(from, below) {
                    rows.push(r);
                }
                from = below.unwrap_or(u32::MAX);
            }
            rows
        }
    };
    let hr = rows
        .iter()
        .map(|r| r.heart_rate_above)
        .fold(f64::MAX, f64::min);
    let rr = rows
        .iter()
        .map(|r| r.resp_rate_above)
        .fold(f64::MAX, f64::min);
    let spo2 = rows.iter().map(|r| r.spo2_below).fold(f64::MIN, f64::max);
    let label = rows.iter().map(|r| r.label.as_str()).collect::<Vec<_>>();
    let label_zh = rows.iter().map(|r| r.label_zh.as_str()).collect::<Vec<_>>();
    (hr, rr, spo2, label.join(" / "), label_zh.join(" / "))
}

/// The danger-zone vital signs this patient has, by the age table, in English and Chinese.
pub fn danger_zone(
    table: &EsiTable,
    intake: &Intake,
    age: Option<Age>,
) -> (Vec<String>, Vec<String>) {
    let (hr_limit, rr_limit, spo2_limit, label, label_zh) = zone_limits(table, age);
    let v = &intake.vitals;
    let mut found = Vec::new();
    let mut found_zh = Vec::new();
    if let Some(hr) = v.heart_rate.filter(|hr| *hr > hr_limit) {
        found.push(format!("heart rate {hr} > {hr_limit} ({label})"));
        found_zh.push(format!("心率 {hr} > {hr_limit}（{label_zh}）"));
    }
    if let Some(rr) = v.resp_rate.filter(|rr| *rr > rr_limit) {
        found.push(format!("respiratory rate {rr} > {rr_limit} ({label})"));
        found_zh.push(format!("呼吸频率 {rr} > {rr_limit}（{label_zh}）"));
    }
    if let Some(s) = v.spo2.filter(|s| *s < spo2_limit) {
        found.push(format!("SpO2 {s} < {spo2_limit} ({label})"));
        found_zh.push(format!("血氧饱和度 {s} < {spo2_limit}（{label_zh}）"));
    }
    (found, found_zh)
}

/// Walks the ESI algorithm. Unanswered questions are said to be unanswered in the path (the
/// grade is then provisional and cannot be saved), never read as "no".
pub fn level(table: &EsiTable, intake: &Intake, age: Option<Age>) -> Esi {
    let a = &intake.esi;
    let consciousness = intake.vitals.consciousness;
    let (zone, zone_zh) = danger_zone(table, intake, age);
    let consider = fever_prompts(table, intake, age);
    let mut path = Vec::new();
    let done = |path: &mut Vec<Step>, level: u8| Esi {
        level,
        algorithm_level: level,
        path: std::mem::take(path),
        danger_zone: zone.clone(),
        danger_zone_zh: zone_zh.clone(),
        consider: consider.clone(),
    };

    // A: immediate life-saving intervention. A patient who needs a noxious stimulus to respond
    // (P or U) is unresponsive in the handbook's sense and needs one.
    if a.lifesaving_intervention == Some(true) {
        path.push(step(
            "A",
            "needs an immediate life-saving intervention → ESI 1",
            "需要立即抢救干预 → ESI 1",
        ));
        return done(&mut path, 1);
    }
    if consciousness.is_some_and(Consciousness::unresponsive) {
        path.push(step(
            "A",
            "responds only to pain or not at all (ACVPU P/U): unresponsive → ESI 1",
            "仅对疼痛有反应或无反应（ACVPU P/U）：视为无反应 → ESI 1",
        ));
        return done(&mut path, 1);
    }
    if a.lifesaving_intervention.is_none() {
        path.push(step(
            "A",
            "not answered yet: the level is provisional until it is",
            "尚未回答：回答之前本级别仅为暂定",
        ));
    } else {
        path.push(step(
            "A",
            "no immediate life-saving intervention",
            "无需立即抢救干预",
        ));
    }

    // B: high risk, new confusion/lethargy, severe pain or distress.
    let mut reasons = Vec::new();
    let mut reasons_zh = Vec::new();
    if a.high_risk == Some(true) {
        reasons.push("high-risk situation");
        reasons_zh.push("高危情况");
    }
    if a.new_confusion == Some(true)
        || matches!(
            consciousness,
            Some(Consciousness::Confusion | Consciousness::Voice)
        )
    {
        reasons.push("new confusion, lethargy or disorientation");
        reasons_zh.push("新发意识模糊、嗜睡或定向障碍");
    }
    if a.severe_pain_or_distress == Some(true) {
        reasons.push("severe pain or distress");
        reasons_zh.push("剧烈疼痛或痛苦");
    }
    if !reasons.is_empty() {
        path.push(step(
            "B",
            &format!("{} → ESI 2", reasons.join(", ")),
            &format!("{} → ESI 2", reasons_zh.join("，")),
        ));
        return done(&mut path, 2);
    }
    if a.high_risk.is_none() || a.new_confusion.is_none() || a.severe_pain_or_distress.is_none() {
        path.push(step(
            "B",
            "not all answered yet (high risk, new confusion, severe pain or distress): the level is provisional until they are",
            "尚未全部回答（高危、新发意识改变、剧烈疼痛或痛苦）：回答之前本级别仅为暂定",
        ));
    } else {
        path.push(step(
            "B",
            "not high risk, no new confusion, no severe pain or distress",
            "非高危，无新发意识改变，无剧烈疼痛或痛苦",
        ));
    }

    // Paediatric fever, "assign" rows (the "consider" rows are prompts, in `consider`).
    if let Some(t) = intake.vitals.temperature_c {
        let assign = table.fever.iter().find(|f| {
            f.action == FeverAction::Assign
                && t > f.temperature_above
                && age.is_some_and(|a| a.overlaps(f.from_days, Some(f.below_days)))
        });
        if let Some(f) = assign {
            let (mark, mark_zh) = unverified_mark(f.verified);
            path.push(step(
                "fever",
                &format!("{} → ESI {}{mark}", f.label, f.level),
                &format!("{} → ESI {}{mark_zh}", f.label_zh, f.level),
            ));
            return done(&mut path, f.level);
        }
    }

    // C: resources.
    match a.expected_resources {
        Some(0) => {
            path.push(step(
                "C",
                "no resources expected → ESI 5",
                "预计不需要资源 → ESI 5",
            ));
            return done(&mut path, 5);
        }
        Some(1) => {
            path.push(step(
                "C",
                "one resource expected → ESI 4",
                "预计需要 1 项资源 → ESI 4",
            ));
            return done(&mut path, 4);
        }
        Some(n) => path.push(step(
            "C",
            &format!("{n} resources expected (many)"),
            &format!("预计需要 {n} 项资源（多项）"),
        )),
        None => path.push(step(
            "C",
            "resources not stated: counted as many, the more urgent choice",
            "未填写资源：按多项计，取更紧急的一支",
        )),
    }

    // D: danger-zone vital signs.
    let v = &intake.vitals;
    if !zone.is_empty() {
        path.push(step(
            "D",
            &format!(
                "danger-zone vital signs: {} → consider ESI 2",
                zone.join("; ")
            ),
            &format!("生命体征处于危险区：{} → 考虑 ESI 2", zone_zh.join("；")),
        ));
        return done(&mut path, 2);
    }
    if v.heart_rate.is_none() || v.resp_rate.is_none() || v.spo2.is_none() {
        path.push(step(
            "D",
            "vital signs incomplete: measure heart rate, respiratory rate and SpO2 → ESI 3 for now",
            "生命体征不完整：请测心率、呼吸频率和 SpO2 → 暂定 ESI 3",
        ));
    } else {
        path.push(step(
            "D",
            "vital signs outside the danger zone → ESI 3",
            "生命体征不在危险区 → ESI 3",
        ));
    }
    done(&mut path, 3)
}

/// The paediatric fever rows to "consider" for this patient.
fn fever_prompts(table: &EsiTable, intake: &Intake, age: Option<Age>) -> Vec<Step> {
    let (Some(t), Some(age)) = (intake.vitals.temperature_c, age) else {
        return Vec::new();
    };
    table
        .fever
        .iter()
        .filter(|f| {
            f.action == FeverAction::Consider
                && t > f.temperature_above
                && age.overlaps(f.from_days, Some(f.below_days))
        })
        .map(|f| {
            let (mark, mark_zh) = unverified_mark(f.verified);
            step(
                "fever",
                &format!("{}{mark}", f.label),
                &format!("{}{mark_zh}", f.label_zh),
            )
        })
        .collect()
}

fn unverified_mark(verified: bool) -> (&'static str, &'static str) {
    if verified {
        ("", "")
    } else {
        (" [unverified rule]", "［规则待核实］")
    }
}
