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
    /// Rules used here that are not yet verified against the primary documents.
    pub unverified: Vec<String>,
}

/// Grades the intake; `news2` and `esi` supply the vital-sign findings.
pub fn grade(table: &CnTable, intake: &Intake, news2: &News2, esi: &Esi) -> CnGrade {
    let a = &intake.esi;
    let consciousness = intake.vitals.consciousness;
    let mut path = Vec::new();
    let mut unverified = Vec::new();

    let mut level = if a.lifesaving_intervention == Some(true)
        || consciousness == Some(Consciousness::Unresponsive)
    {
        path.push("needs immediate resuscitation → Ⅰ级".to_string());
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
        2
    } else {
        let resources = a.expected_resources;
        let rule = &table.level4_resources;
        match resources {
            Some(n) if n < rule.upgrade_from => {
                path.push(format!("stable, {n} resource(s) expected → Ⅳ级"));
                4
            }
            Some(n) => {
                path.push(format!(
                    "Ⅳ级 needing {n} resources (≥ {}) → one level up → Ⅲ级",
                    rule.upgrade_from
                ));
                3
            }
            None => {
                path.push("resources not stated: counted as two or more → Ⅲ级".to_string());
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
    if news2.score >= rule.news2_aggregate_from {
        unstable.push(format!(
            "NEWS2 aggregate {} (≥ {})",
            news2.score, rule.news2_aggregate_from
        ));
    }
    if rule.use_esi_danger_zone {
        unstable.extend(
            esi.danger_zone
                .iter()
                .map(|d| format!("ESI danger zone: {d}")),
        );
    }
    if !unstable.is_empty() {
        if !rule.verified {
            unverified.push(
                "definition of unstable vital signs (NEWS2 red score or ESI danger zone)".into(),
            );
        }
        if level > 1 {
            level -= 1;
            path.push(format!(
                "unstable vital signs ({}) → one level up → {}",
                unstable.join("; "),
                table.level(level).name_zh
            ));
        } else {
            path.push(format!("unstable vital signs ({})", unstable.join("; ")));
        }
    }

    let row = table.level(level);
    if !row.verified {
        unverified.push(format!(
            "response time of {} ({} min)",
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
        unverified,
    }
}
