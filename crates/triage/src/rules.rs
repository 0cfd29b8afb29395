//! The rule tables, embedded from `assets/triage` at build time and parsed once.

use std::sync::OnceLock;

/// One band of a NEWS2 parameter: the first band whose conditions hold gives the points.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Band {
    /// Upper bound, inclusive; none for the last band.
    pub max: Option<f64>,
    /// Only for patients on (`true`) or off (`false`) supplemental oxygen.
    pub oxygen: Option<bool>,
    /// Points given.
    pub points: u8,
}

/// A NEWS2 parameter's bands.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Parameter {
    /// Name (`resp_rate`, `spo2_scale1`, …).
    pub name: String,
    /// Unit shown with the value.
    pub unit: String,
    /// Whether the bands were checked against the primary source.
    pub verified: bool,
    /// The chart's resolution (1, or 0.1 for temperature): the next band starts one step above
    /// a band's `max`, and a value between the two scores in the more urgent one.
    pub step: f64,
    /// Bands in order.
    pub bands: Vec<Band>,
}

/// Points for the categorical parameters.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Categorical {
    /// Points for supplemental oxygen.
    pub oxygen_points: u8,
    /// Points for new confusion, voice, pain or unresponsive.
    pub cvpu_points: u8,
}

/// Risk thresholds.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct RiskRules {
    /// Aggregate from which risk is high.
    pub high_from: u8,
    /// Aggregate from which risk is medium.
    pub medium_from: u8,
    /// A single parameter with these points makes risk at least low-medium.
    pub red_score: u8,
    /// Whether the red-score row was checked against the primary source.
    pub red_score_verified: bool,
}

/// The NEWS2 table.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct News2Table {
    /// Where it comes from.
    pub source: String,
    /// Numeric parameters.
    pub parameter: Vec<Parameter>,
    /// Categorical parameters.
    pub categorical: Categorical,
    /// Risk bands.
    pub risk: RiskRules,
}

impl News2Table {
    /// The bands of a parameter by name.
    pub fn parameter(&self, name: &str) -> &Parameter {
        self.parameter
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("assets/triage/news2.toml lacks parameter {name}"))
    }
}

/// An ESI danger-zone row.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct DangerZone {
    /// Age group shown.
    pub label: String,
    /// The same in Chinese.
    pub label_zh: String,
    /// The row applies below this age (exclusive); none for the last row.
    pub below_age_years: Option<f64>,
    /// Heart rate above this is in the danger zone.
    pub heart_rate_above: f64,
    /// Respiratory rate above this is in the danger zone.
    pub resp_rate_above: f64,
    /// SpO2 below this is in the danger zone.
    pub spo2_below: f64,
    /// Checked against the primary source.
    pub verified: bool,
}

/// What a paediatric fever rule does to the ESI level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeverAction {
    /// "Assign at least": the level is set.
    Assign,
    /// "Consider": shown to the nurse as a prompt; the level is not changed.
    Consider,
}

/// A paediatric fever rule.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Fever {
    /// Shown in the path.
    pub label: String,
    /// The same in Chinese.
    pub label_zh: String,
    /// Applies from this age in days (inclusive).
    pub from_days: u32,
    /// Applies below this age in days.
    pub below_days: u32,
    /// Applies above this temperature.
    pub temperature_above: f64,
    /// The level it gives at least, or suggests.
    pub level: u8,
    /// Assign or consider.
    pub action: FeverAction,
    /// Checked against the primary source.
    pub verified: bool,
}

/// The ESI table.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct EsiTable {
    /// Where it comes from.
    pub source: String,
    /// Danger-zone rows by age, in order.
    pub danger_zone: Vec<DangerZone>,
    /// Paediatric fever rules.
    pub fever: Vec<Fever>,
}

/// One level of the Chinese grade.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct CnLevel {
    /// 1-4.
    pub level: u8,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Where the patient is seen: `red` (resuscitation and critical care, Ⅰ and Ⅱ), `yellow`,
    /// `green`.
    pub zone: String,
    /// The level's colour label (分级预警标识): red, orange, yellow, green.
    pub colour: String,
    /// Longest wait to be seen, minutes.
    pub response_minutes: u32,
    /// Checked against the primary source.
    pub verified: bool,
}

/// A value a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Heart rate, /min.
    HeartRate,
    /// Respiratory rate, /min.
    RespRate,
    /// SpO2, %.
    Spo2,
    /// Systolic blood pressure, mmHg.
    SystolicBp,
    /// Diastolic blood pressure, mmHg.
    DiastolicBp,
    /// Temperature, °C.
    TemperatureC,
    /// Pain score, 0-10.
    Pain,
    /// The NEWS2 aggregate.
    News2,
    /// The highest points of a single NEWS2 parameter (3 is a "red score").
    News2Parameter,
    /// On supplemental oxygen: 1, on air: 0.
    SupplementalOxygen,
    /// ACVPU, with `consciousness` listing the levels that fire.
    Consciousness,
}

/// One objective rule row: a measure past a threshold, within an age band, gives a level.
/// Used for the safety floor and for the Chinese grade's objective indicators.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable id, recorded with the grade.
    pub id: String,
    /// What fired, as the nurse reads it.
    pub label: String,
    /// The same in Chinese.
    pub label_zh: String,
    /// What is read.
    pub measure: Measure,
    /// Fires when the value is greater than this.
    #[serde(default)]
    pub above: Option<f64>,
    /// Fires when the value is at least this.
    #[serde(default)]
    pub at_least: Option<f64>,
    /// Fires when the value is less than this (plus `per_year` × age in years).
    #[serde(default)]
    pub below: Option<f64>,
    /// Added to `below` per year of age (PALS: 70 + 2 × age).
    #[serde(default)]
    pub per_year: Option<f64>,
    /// The ACVPU levels that fire, for `measure = "consciousness"`.
    #[serde(default)]
    pub consciousness: Vec<crate::Consciousness>,
    /// Applies from this age in days. Without an age band the row applies at every age.
    #[serde(default)]
    pub age_from_days: Option<u32>,
    /// Applies below this age in days. A row with an upper age limit never applies to a
    /// patient whose age is unknown (who is graded as an adult).
    #[serde(default)]
    pub age_below_days: Option<u32>,
    /// Applies only on this NEWS2 SpO2 scale (1 when none is given): scale 2's target is 88-92 %.
    #[serde(default)]
    pub spo2_scale: Option<u8>,
    /// Applies only in pregnancy.
    #[serde(default)]
    pub pregnancy: bool,
    /// ESI level given at least (floor rows).
    #[serde(default)]
    pub esi: Option<u8>,
    /// Chinese grade given at least.
    #[serde(default)]
    pub cn: Option<u8>,
    /// Where the figure comes from.
    pub source: String,
    /// Checked against the primary source.
    pub verified: bool,
}

/// Bedside's vital-sign safety floor (`assets/triage/floor.toml`).
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct FloorTable {
    /// Where it comes from.
    pub source: String,
    /// The rows.
    pub rule: Vec<Indicator>,
}

/// The level-4 resources rule.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct Level4Resources {
    /// From this many resources, level 4 goes up one.
    pub upgrade_from: u32,
    /// Checked against the primary source.
    pub verified: bool,
}

/// The Chinese four-level table.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct CnTable {
    /// Where it comes from.
    pub source: String,
    /// Levels 1-4.
    pub level: Vec<CnLevel>,
    /// Objective indicators: the most urgent one that fires sets the level.
    pub indicator: Vec<Indicator>,
    /// The level-4 resources rule.
    pub level4_resources: Level4Resources,
}

impl CnTable {
    /// A level's row.
    pub fn level(&self, level: u8) -> &CnLevel {
        self.level
            .iter()
            .find(|l| l.level == level)
            .unwrap_or_else(|| panic!("assets/triage/cn.toml lacks level {level}"))
    }
}

/// All tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// NEWS2.
    pub news2: News2Table,
    /// ESI.
    pub esi: EsiTable,
    /// Chinese grade.
    pub cn: CnTable,
    /// The vital-sign safety floor.
    pub floor: FloorTable,
}

/// The tables shipped with this build. They are compiled in, so a malformed table is a build
/// defect that the tests catch, not a runtime condition.
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| Tables {
        news2: toml::from_str(include_str!("../../../assets/triage/news2.toml"))
            .expect("assets/triage/news2.toml is valid"),
        esi: toml::from_str(include_str!("../../../assets/triage/esi.toml"))
            .expect("assets/triage/esi.toml is valid"),
        cn: toml::from_str(include_str!("../../../assets/triage/cn.toml"))
            .expect("assets/triage/cn.toml is valid"),
        floor: toml::from_str(include_str!("../../../assets/triage/floor.toml"))
            .expect("assets/triage/floor.toml is valid"),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shipped_tables_parse_and_end_with_a_catch_all_band() {
        let t = super::tables();
        assert_eq!(t.news2.parameter.len(), 6);
        for p in &t.news2.parameter {
            let last = p.bands.last().unwrap();
            assert!(
                last.max.is_none() && last.oxygen.is_none(),
                "{} lacks a catch-all",
                p.name
            );
        }
        assert_eq!(t.cn.level.len(), 4);
        let colours: Vec<&str> = t.cn.level.iter().map(|l| l.colour.as_str()).collect();
        assert_eq!(colours, ["red", "orange", "yellow", "green"]);
        // Ⅱ级 is orange but still seen in the red zone.
        assert_eq!(t.cn.level(2).zone, "red");
        for row in t.floor.rule.iter().chain(&t.cn.indicator) {
            let thresholds = [row.above, row.at_least, row.below]
                .iter()
                .flatten()
                .count();
            let consciousness = !row.consciousness.is_empty();
            assert!(
                thresholds + usize::from(consciousness) == 1,
                "{}: exactly one condition",
                row.id
            );
            assert!(!row.source.is_empty(), "{} names its source", row.id);
        }
        for row in &t.floor.rule {
            assert!(
                row.esi.is_some() && row.cn.is_some(),
                "{} sets both scales",
                row.id
            );
        }
        assert!(t.esi.danger_zone.last().unwrap().below_age_years.is_none());
    }
}

/// A rule row not yet checked against its primary document, as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnverifiedRow {
    /// `news2`, `esi`, `cn` or `floor`.
    pub table: &'static str,
    /// Which row.
    pub row: String,
    /// The same in Chinese, for the zh-CN window.
    pub row_zh: String,
    /// The table's source.
    pub source: String,
}

impl Tables {
    /// Every row still marked unverified in the shipped tables.
    pub fn unverified(&self) -> Vec<UnverifiedRow> {
        let row = |table, source: &String, row: String, row_zh: String| UnverifiedRow {
            table,
            row,
            row_zh,
            source: source.clone(),
        };
        let mut out = Vec::new();
        let n = &self.news2;
        for p in n.parameter.iter().filter(|p| !p.verified) {
            out.push(row(
                "news2",
                &n.source,
                format!("parameter {}", p.name),
                format!("参数 {}", p.name),
            ));
        }
        if !n.risk.red_score_verified {
            out.push(row(
                "news2",
                &n.source,
                format!(
                    "single red score ({} points) → low-medium risk",
                    n.risk.red_score
                ),
                format!("单项红色评分（{} 分）→ 低-中风险", n.risk.red_score),
            ));
        }
        let e = &self.esi;
        for d in e.danger_zone.iter().filter(|d| !d.verified) {
            out.push(row(
                "esi",
                &e.source,
                format!("danger zone, {}", d.label),
                format!("危险区生命体征，{}", d.label_zh),
            ));
        }
        for f in e.fever.iter().filter(|f| !f.verified) {
            out.push(row(
                "esi",
                &e.source,
                format!("fever, {}", f.label),
                format!("发热，{}", f.label_zh),
            ));
        }
        let c = &self.cn;
        for l in c.level.iter().filter(|l| !l.verified) {
            out.push(row(
                "cn",
                &c.source,
                format!("{} response time {} min", l.name_zh, l.response_minutes),
                format!("{} 响应时间 {} 分钟", l.name_zh, l.response_minutes),
            ));
        }
        for i in c.indicator.iter().filter(|i| !i.verified) {
            out.push(row(
                "cn",
                &c.source,
                format!("indicator {}", i.label),
                format!("客观指标 {}", i.label_zh),
            ));
        }
        let f = &self.floor;
        for i in f.rule.iter().filter(|i| !i.verified) {
            out.push(row(
                "floor",
                &i.source,
                format!("safety floor: {}", i.label),
                format!("安全底线：{}", i.label_zh),
            ));
        }
        if !c.level4_resources.verified {
            out.push(row(
                "cn",
                &c.source,
                format!(
                    "Ⅳ级 needing {} or more resources: one level up",
                    c.level4_resources.upgrade_from
                ),
                format!(
                    "Ⅳ级 需要 {} 项及以上医疗资源：上调一级",
                    c.level4_resources.upgrade_from
                ),
            ));
        }
        out
    }
}

#[cfg(test)]
mod unverified_tests {
    use super::*;

    #[test]
    fn the_rows_the_readme_lists_as_unverified_are_reported() {
        let rows = tables().unverified();
        let text: Vec<String> = rows
            .iter()
            .map(|r| format!("{}: {}", r.table, r.row))
            .collect();
        assert!(
            text.iter()
                .any(|r| r.starts_with("news2: single red score")),
            "{text:?}"
        );
        assert!(text.iter().any(|r| r.starts_with("esi: fever")), "{text:?}");
        assert!(
            text.iter()
                .any(|r| r.contains("Ⅱ级") && r.contains("10 min")),
            "{text:?}"
        );
        // The consensus's indicators are transcriptions, and the floor's own figures are
        // Bedside's or secondary: both listed until someone checks the primary documents.
        assert!(
            text.iter()
                .any(|r| r == "cn: indicator heart rate > 180/min"),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|r| r == "floor: safety floor: respiratory rate > 35/min"),
            "{text:?}"
        );
        // Bedside's mappings are listed too, not only transcribed figures.
        assert!(
            text.iter()
                .any(|r| r == "floor: safety floor: NEWS2 7 or more (high risk)"),
            "{text:?}"
        );
        assert!(rows.iter().all(|r| !r.source.is_empty()));
        // The zh-CN admin page reads each row in Chinese.
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(rows.iter().all(|r| cjk(&r.row_zh)), "{rows:?}");
        assert!(
            rows.iter()
                .all(|r| !r.row_zh.contains("min") && !r.row_zh.contains("resources")),
            "{rows:?}"
        );
    }
}
