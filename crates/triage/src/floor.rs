//! Bedside's vital-sign safety floor: a dangerous patient is never graded as minor.
//!
//! The ESI algorithm reads vital signs only at decision point D, which a patient expecting one
//! resource never reaches, and never reads blood pressure; the Chinese grade's indicators are
//! adult figures. The floor (`assets/triage/floor.toml`, each row with its source) is applied
//! after both, as its own line in each path, and keeps the algorithms' own levels visible.

use crate::cn::{set_level, CnGrade};
use crate::esi::{Esi, Step};
use crate::indicator::{most_urgent, Hit, Reading};
use crate::rules::{CnTable, FloorTable};

/// What the floor found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Floor {
    /// The most urgent ESI level a row gives, when one fired.
    pub esi: Option<u8>,
    /// The most urgent Chinese grade a row gives, when one fired.
    pub cn: Option<u8>,
    /// Every row that fired.
    pub hits: Vec<Hit>,
}

/// Reads the floor's rows against the patient, with the ESI minimum of the Chinese grade's
/// objective indicators that fired (`cn_hits`): one threshold, one table, both scales.
pub fn evaluate(table: &FloorTable, cn_hits: &[Hit], reading: &Reading<'_>) -> Floor {
    let mut hits = reading.hits(&table.rule);
    hits.extend(cn_hits.iter().filter(|h| h.esi.is_some()).cloned());
    let hits = most_urgent(hits);
    Floor {
        esi: hits.iter().filter_map(|h| h.esi).min(),
        cn: hits.iter().filter_map(|h| h.cn).min(),
        hits,
    }
}

/// The rows that set `level` on one scale, joined for a path line.
fn reasons(floor: &Floor, on: impl Fn(&Hit) -> Option<u8>, level: u8) -> (String, String) {
    let rows: Vec<&Hit> = floor.hits.iter().filter(|h| on(h) == Some(level)).collect();
    (
        rows.iter()
            .map(|h| h.text.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        rows.iter()
            .map(|h| h.text_zh.as_str())
            .collect::<Vec<_>>()
            .join("；"),
    )
}

/// Makes each grade at least as urgent as the floor, saying so in its path.
pub fn apply(cn_table: &CnTable, floor: &Floor, esi: &mut Esi, cn: &mut CnGrade) {
    if let Some(level) = floor.esi.filter(|l| *l < esi.level) {
        let (why, why_zh) = reasons(floor, |h| h.esi, level);
        esi.path.push(Step {
            point: "floor",
            answer: format!(
                "{why} → at least ESI {level} (the algorithm gave ESI {})",
                esi.algorithm_level
            ),
            answer_zh: format!(
                "{why_zh} → 至少 ESI {level}（算法结果为 ESI {}）",
                esi.algorithm_level
            ),
        });
        esi.level = level;
    }
    if let Some(level) = floor.cn.filter(|l| *l < cn.level) {
        let (why, why_zh) = reasons(floor, |h| h.cn, level);
        let name = &cn_table.level(level).name_zh;
        let was = &cn_table.level(cn.algorithm_level).name_zh;
        cn.path.push(format!(
            "safety floor: {why} → at least {name} (the indicators gave {was})"
        ));
        cn.path_zh.push(format!(
            "安全底线：{why_zh} → 至少 {name}（指标分级为 {was}）"
        ));
        set_level(cn_table, cn, level);
    }
    for h in floor.hits.iter().filter(|h| !h.verified) {
        let (en, zh) = (
            format!("safety floor: {}", h.text),
            format!("安全底线：{}", h.text_zh),
        );
        if !cn.unverified.contains(&en) {
            cn.unverified.push(en);
            cn.unverified_zh.push(zh);
        }
    }
}
