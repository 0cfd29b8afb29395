//! The Chinese four-level emergency grade (急诊预检分诊 Ⅰ-Ⅳ), derived from the same answers as
//! ESI, with the two upgrade rules of the 2011 guideline.

use crate::esi::Esi;
use crate::intake::{Consciousness, Intake};
use crate::news2::News2;
use crate::rules::CnTable;

/// The Chinese grade.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CnGrade {
    /// 1 (濒危) to 4 (非急症).
    pub level: u8,
    /// Name in Chinese, e.g. `Ⅱ级 危重`.
    pub name_zh: String,
    /// Name in English.
    pub name_en: String,
    /// Colour zone: `red`, `yellow`, `green`.
    pub zone: String,
    /// Longest wait until a doctor sees the patient.
    pub response_minutes: u32,
    /// How the level was reached.
    pub path: Vec<String>,
    /// The same in Chinese, for the zh-CN window.
    pub path_zh: Vec<String>,
    /// Rules used here that are not yet verified against the primary documents.
    pub unverified: Vec<String>,
    /// The same in Chinese.
    pub unverified_zh: Vec<String>,
}

/// Grades the intake; `news2` and `esi` supply the vital-sign findings.
pub fn grade(table: &CnTable, intake: &Intake, news2: &News2, esi: &Esi) -> CnGrade {
    let a = &intake.esi;
    let consciousness = intake.vitals.consciousness;
    let mut path = Vec::new();
    let mut path_zh = Vec::new();
    let mut unverified = Vec::new();
    let mut unverified_zh = Vec::new();

    let mut level = if a.lifesaving_intervention == Some(true)
        || consciousness == Some(Consciousness::Unresponsive)
    {
        path.push("needs immediate resuscitation → Ⅰ级".to_string());
        path_zh.push("需要立即抢救 → Ⅰ级".to_string());
        1
    } else if a.high_risk == Some(true)
        || a.new_confusion == Some(true)
        || a.severe_pain_or_distress == Some(true)
        || matches!(
            consciousness,
            Some(Consciousness::Confusion | Consciousness::Voice | Consciousness::Pain)
        )
    {
        path.push(
            "potential threat to life (high risk, acute confusion, severe pain or distress) → Ⅱ级"
                .to_string(),
        );
        path_zh.push("潜在生命威胁（高危、急性意识改变、剧烈疼痛或痛苦）→ Ⅱ级".to_string());
        2
    } else {
        let resources = a.expected_resources;
        let rule = &table.level4_resources;
        match resources {
            Some(n) if n < rule.upgrade_from => {
                path.push(format!("stable, {n} resource(s) expected → Ⅳ级"));
                path_zh.push(format!("生命体征平稳，预计需要 {n} 项资源 → Ⅳ级"));
                4
            }
            Some(n) => {
                path.push(format!(
                    "Ⅳ级 needing {n} resources (≥ {}) → one level up → Ⅲ级",
                    rule.upgrade_from
                ));
                path_zh.push(format!(
                    "Ⅳ级但需要 {n} 项资源（≥ {}）→ 升一级 → Ⅲ级",
                    rule.upgrade_from
                ));
                3
            }
            None => {
                path.push("resources not stated: counted as two or more → Ⅲ级".to_string());
                path_zh.push("未填写资源：按两项及以上计 → Ⅲ级".to_string());
                3
            }
        }
    };

    let rule = &table.unstable_vitals;
    let mut unstable: Vec<String> = news2
        .parameters
        .iter()
        .filter(|(_, p)| p.points >= rule.news2_parameter_points)
        .map(|(name, p)| format!("NEWS2 {name} {} ({})", p.value, p.rule))
        .collect();
    let mut unstable_zh: Vec<String> = news2
        .parameters
        .iter()
        .filter(|(_, p)| p.points >= rule.news2_parameter_points)
        .map(|(name, p)| format!("NEWS2 {} {}（{}）", parameter_zh(name), p.value, p.rule))
        .collect();
    if news2.score >= rule.news2_aggregate_from {
        unstable.push(format!(
            "NEWS2 aggregate {} (≥ {})",
            news2.score, rule.news2_aggregate_from
        ));
        unstable_zh.push(format!(
            "NEWS2 总分 {}（≥ {}）",
            news2.score, rule.news2_aggregate_from
        ));
    }
    if rule.use_esi_danger_zone {
        unstable.extend(
            esi.danger_zone
                .iter()
                .map(|d| format!("ESI danger zone: {d}")),
        );
        unstable_zh.extend(
            esi.danger_zone_zh
                .iter()
                .map(|d| format!("ESI 危险区：{d}")),
        );
    }
    if !unstable.is_empty() {
        if !rule.verified {
            unverified.push(
                "definition of unstable vital signs (NEWS2 red score or ESI danger zone)".into(),
            );
            unverified_zh.push("“生命体征不稳定”的定义（NEWS2 红色单项或 ESI 危险区）".into());
        }
        if level > 1 {
            level -= 1;
            path.push(format!(
                "unstable vital signs ({}) → one level up → {}",
                unstable.join("; "),
                table.level(level).name_zh
            ));
            path_zh.push(format!(
                "生命体征不稳定（{}）→ 升一级 → {}",
                unstable_zh.join("；"),
                table.level(level).name_zh
            ));
        } else {
            path.push(format!("unstable vital signs ({})", unstable.join("; ")));
            path_zh.push(format!("生命体征不稳定（{}）", unstable_zh.join("；")));
        }
    }

    let row = table.level(level);
    if !row.verified {
        unverified.push(format!(
            "response time of {} ({} min)",
            row.name_zh, row.response_minutes
        ));
        unverified_zh.push(format!(
            "{}的响应时间（{} 分钟）",
            row.name_zh, row.response_minutes
        ));
    }
    CnGrade {
        level,
        name_zh: row.name_zh.clone(),
        name_en: row.name_en.clone(),
        zone: row.zone.clone(),
        response_minutes: row.response_minutes,
        path,
        path_zh,
        unverified,
        unverified_zh,
    }
}

/// NEWS2 parameter names in Chinese.
fn parameter_zh(name: &str) -> &str {
    match name {
        "resp_rate" => "呼吸频率",
        "spo2" => "血氧饱和度",
        "air_or_oxygen" => "吸氧",
        "systolic_bp" => "收缩压",
        "heart_rate" => "心率",
        "consciousness" => "意识",
        "temperature" => "体温",
        other => other,
    }
}
