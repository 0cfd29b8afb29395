//! ESI v4 as a guided decision: A, B, C, D in order, each answer recorded in the path.

use crate::intake::{Consciousness, Intake};
use crate::rules::EsiTable;

/// One decision point passed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    /// `A`, `B`, `C`, `D` or `fever`.
    pub point: &'static str,
    /// What was decided and why.
    pub answer: String,
    /// The same in Chinese, for the zh-CN window.
    pub answer_zh: String,
}

/// The ESI result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Esi {
    /// 1 (most urgent) to 5.
    pub level: u8,
    /// The decision points passed, in order.
    pub path: Vec<Step>,
    /// Danger-zone findings (empty when none, or when not measured).
    pub danger_zone: Vec<String>,
    /// The same in Chinese.
    pub danger_zone_zh: Vec<String>,
}

/// The danger-zone vital signs this patient has, by the age table; age unknown uses the adult
/// row (the strictest for heart and breathing rate above 8 years).
pub fn danger_zone(table: &EsiTable, intake: &Intake) -> Vec<String> {
    danger_zone_both(table, intake).0
}

/// [`danger_zone`] in English and in Chinese.
pub fn danger_zone_both(table: &EsiTable, intake: &Intake) -> (Vec<String>, Vec<String>) {
    let age = intake.patient.age_years;
    let row = table
        .danger_zone
        .iter()
        .find(|r| match (r.below_age_years, age) {
            (Some(limit), Some(a)) => a < limit,
            (None, _) => true,
            (Some(_), None) => false,
        })
        .expect("the last danger-zone row has no age limit (tested)");
    let v = &intake.vitals;
    let mut found = Vec::new();
    let mut found_zh = Vec::new();
    if let Some(hr) = v.heart_rate.filter(|hr| *hr > row.heart_rate_above) {
        found.push(format!(
            "heart rate {hr} > {} ({})",
            row.heart_rate_above, row.label
        ));
        found_zh.push(format!(
            "心率 {hr} > {}（{}）",
            row.heart_rate_above, row.label
        ));
    }
    if let Some(rr) = v.resp_rate.filter(|rr| *rr > row.resp_rate_above) {
        found.push(format!(
            "respiratory rate {rr} > {} ({})",
            row.resp_rate_above, row.label
        ));
        found_zh.push(format!(
            "呼吸频率 {rr} > {}（{}）",
            row.resp_rate_above, row.label
        ));
    }
    if let Some(s) = v.spo2.filter(|s| *s < row.spo2_below) {
        found.push(format!("SpO2 {s} < {} ({})", row.spo2_below, row.label));
        found_zh.push(format!(
            "血氧饱和度 {s} < {}（{}）",
            row.spo2_below, row.label_zh
        ));
    }
    (found, found_zh)
}

/// Walks the ESI algorithm.
pub fn level(table: &EsiTable, intake: &Intake) -> Esi {
    let a = &intake.esi;
    let consciousness = intake.vitals.consciousness;
    let (zone, zone_zh) = danger_zone_both(table, intake);
    let mut path = Vec::new();
    let done = |path: &mut Vec<Step>, level: u8| Esi {
        level,
        path: std::mem::take(path),
        danger_zone: zone.clone(),
        danger_zone_zh: zone_zh.clone(),
    };

    // A: immediate life-saving intervention (an unresponsive patient needs one).
    if a.lifesaving_intervention == Some(true) {
        path.push(step(
            "A",
            "needs an immediate life-saving intervention → ESI 1",
            "需要立即抢救干预 → ESI 1",
        ));
        return done(&mut path, 1);
    }
    if consciousness == Some(Consciousness::Unresponsive) {
        path.push(step(
            "A",
            "unresponsive → needs an immediate life-saving intervention → ESI 1",
            "无反应 → 需要立即抢救干预 → ESI 1",
        ));
        return done(&mut path, 1);
    }
    path.push(step(
        "A",
        "no immediate life-saving intervention",
        "无需立即抢救干预",
    ));

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
            Some(Consciousness::Confusion | Consciousness::Voice | Consciousness::Pain)
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
    path.push(step(
        "B",
        "not high risk, no new confusion, no severe pain or distress",
        "非高危，无新发意识改变，无剧烈疼痛或痛苦",
    ));

    // Paediatric fever (unverified rows are marked in the table and the path).
    if let (Some(age), Some(t)) = (intake.patient.age_years, intake.vitals.temperature_c) {
        if let Some(f) = table
            .fever
            .iter()
            .find(|f| age < f.below_age_years && t > f.temperature_above)
        {
            let mark = if f.verified { "" } else { " [unverified rule]" };
            let mark_zh = if f.verified {
                ""
            } else {
                "［规则待核实］"
            };
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

fn step(point: &'static str, answer: &str, answer_zh: &str) -> Step {
    Step {
        point,
        answer: answer.to_string(),
        answer_zh: answer_zh.to_string(),
    }
}
