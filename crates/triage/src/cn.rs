//! The Chinese four-level emergency grade (急诊预检分诊 Ⅰ-Ⅳ).
//!
//! The 2018 consensus sets the level by the most urgent single indicator, objective (vital
//! signs, pain, from `assets/triage/cn.toml`) or manual (the nurse's answers, ACVPU, expected
//! resources). Every indicator that fired is listed; the level is the most urgent of them, so a
//! finding is never counted twice (once as the base and again as "unstable").

use crate::indicator::{Hit, Reading};
use crate::intake::{Consciousness, Intake};
use crate::rules::{CnTable, Measure};

/// The Chinese grade.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CnGrade {
    /// 1 (濒危) to 4 (非急症): the grade's own level, made more urgent by the safety floor when
    /// the floor is higher.
    pub level: u8,
    /// The level the indicators gave on their own.
    pub algorithm_level: u8,
    /// Name in Chinese, e.g. `Ⅱ级 危重`.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Where the patient is seen: `red` (Ⅰ and Ⅱ), `yellow`, `green`.
    pub zone: String,
    /// The level's colour label: `red`, `orange`, `yellow`, `green`.
    pub colour: String,
    /// Longest wait from the end of triage until a doctor sees the patient.
    pub response_minutes: u32,
    /// How the level was reached: each indicator that fired, then the most urgent.
    pub path: Vec<String>,
    /// The same in Chinese, for the zh-CN window.
    pub path_zh: Vec<String>,
    /// The objective indicators that fired.
    pub indicators: Vec<Hit>,
    /// Rules used here that are not yet verified against the primary documents.
    pub unverified: Vec<String>,
    /// The same in Chinese.
    pub unverified_zh: Vec<String>,
}

/// A level and why.
struct Finding {
    level: u8,
    text: String,
    text_zh: String,
}

fn finding(level: u8, text: impl Into<String>, text_zh: impl Into<String>) -> Finding {
    Finding {
        level,
        text: text.into(),
        text_zh: text_zh.into(),
    }
}

/// The manual indicators: the nurse's answers, ACVPU and the expected resources.
fn manual(table: &CnTable, intake: &Intake) -> Vec<Finding> {
    let a = &intake.esi;
    let c = intake.vitals.consciousness;
    let mut out = Vec::new();
    if a.lifesaving_intervention == Some(true) {
        out.push(finding(1, "needs immediate resuscitation", "需要立即抢救"));
    }
    if c.is_some_and(Consciousness::unresponsive) {
        out.push(finding(
            1,
            "responds only to pain or not at all (ACVPU P/U)",
            "仅对疼痛有反应或无反应（ACVPU P/U）",
        ));
    }
    if a.high_risk == Some(true) {
        out.push(finding(2, "high-risk situation", "高危情况"));
    }
    if a.new_confusion == Some(true)
        || matches!(c, Some(Consciousness::Confusion | Consciousness::Voice))
    {
        out.push(finding(
            2,
            "acute change in consciousness (new confusion, responds to voice)",
            "急性意识改变（新发意识模糊、对声音有反应）",
        ));
    }
    if a.severe_pain_or_distress == Some(true) {
        out.push(finding(2, "severe pain or distress", "剧烈疼痛或痛苦"));
    }
    let rule = &table.level4_resources;
    out.push(match a.expected_resources {
        Some(n) if n < rule.upgrade_from => finding(
            4,
            format!("{n} resource(s) expected"),
            format!("预计需要 {n} 项资源"),
        ),
        Some(n) => finding(
            3,
            format!("{n} resources expected (≥ {})", rule.upgrade_from),
            format!("预计需要 {n} 项资源（≥ {}）", rule.upgrade_from),
        ),
        None => finding(
            3,
            "resources not stated: counted as two or more",
            "未填写资源：按两项及以上计",
        ),
    });
    out
}

/// Grades the intake from its indicators.
pub fn grade(table: &CnTable, reading: &Reading<'_>) -> CnGrade {
    let news2_usable = reading.news2.validated();
    let indicators: Vec<Hit> = reading.hits(table.indicator.iter().filter(|i| {
        news2_usable || !matches!(i.measure, Measure::News2 | Measure::News2Parameter)
    }));
    let mut findings = manual(table, reading.intake);
    findings.extend(indicators.iter().filter_map(|h| {
        h.cn.map(|level| finding(level, h.text.clone(), h.text_zh.clone()))
    }));
    let level = findings.iter().map(|f| f.level).min().unwrap_or(4);

    let mut path = Vec::new();
    let mut path_zh = Vec::new();
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by_key(|f| f.level);
    for f in &sorted {
        let name = &table.level(f.level).name_zh;
        path.push(format!("{} → {name}", f.text));
        path_zh.push(format!("{} → {name}", f.text_zh));
    }
    if !news2_usable {
        path.push("NEWS2 not validated for this patient: not used for this grade".into());
        path_zh.push("NEWS2 对该患者未经验证：不用于本分级".into());
    }
    let name = &table.level(level).name_zh;
    path.push(format!("the most urgent indicator decides → {name}"));
    path_zh.push(format!("取最紧急的一项指标 → {name}"));

    let mut unverified = Vec::new();
    let mut unverified_zh = Vec::new();
    for h in indicators
        .iter()
        .filter(|h| !h.verified && h.cn == Some(level))
    {
        unverified.push(format!("indicator: {}", h.text));
        unverified_zh.push(format!("客观指标：{}", h.text_zh));
    }
    let mut grade = CnGrade {
        level,
        algorithm_level: level,
        name_zh: String::new(),
        name_en: String::new(),
        zone: String::new(),
        colour: String::new(),
        response_minutes: 0,
        path,
        path_zh,
        indicators,
        unverified,
        unverified_zh,
    };
    set_level(table, &mut grade, level);
    grade
}

/// Sets the level and what follows from it (name, zone, colour, response time, and the
/// unverified response time, when it is).
pub(crate) fn set_level(table: &CnTable, grade: &mut CnGrade, level: u8) {
    let row = table.level(level);
    grade.level = level;
    grade.name_zh = row.name_zh.clone();
    grade.name_en = row.name_en.clone();
    grade.zone = row.zone.clone();
    grade.colour = row.colour.clone();
    grade.response_minutes = row.response_minutes;
    grade
        .unverified
        .retain(|u| !u.starts_with("response time of "));
    grade.unverified_zh.retain(|u| !u.contains("的响应时间"));
    if !row.verified {
        grade.unverified.push(format!(
            "response time of {} ({} min)",
            row.name_zh, row.response_minutes
        ));
        grade.unverified_zh.push(format!(
            "{}的响应时间（{} 分钟）",
            row.name_zh, row.response_minutes
        ));
    }
}
