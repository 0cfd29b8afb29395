//! NEWS2 exactly as the RCP 2017 chart: per-parameter points, the aggregate and the risk band.
//! A missing parameter is listed, never guessed; the score of an incomplete set is a minimum.

use std::collections::BTreeMap;

use crate::intake::{Consciousness, Vitals};
use crate::rules::{News2Table, Parameter};

/// Clinical risk band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Risk {
    /// Aggregate 0-4 with no red score.
    #[serde(rename = "low")]
    Low,
    /// A single parameter scoring 3.
    #[serde(rename = "low-medium")]
    LowMedium,
    /// Aggregate 5-6.
    #[serde(rename = "medium")]
    Medium,
    /// Aggregate 7 or more.
    #[serde(rename = "high")]
    High,
}

/// One parameter's contribution.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ParameterScore {
    /// The value scored, as shown.
    pub value: String,
    /// The same in Chinese, for the zh-CN window (numbers and units are the same).
    pub value_zh: String,
    /// Points.
    pub points: u8,
    /// The band that fired, e.g. `21 < x ≤ 24 → 2`.
    pub rule: String,
    /// The same in Chinese: `21 < x ≤ 24 → 2` stays, "on oxygen" becomes "吸氧".
    pub rule_zh: String,
}

/// The NEWS2 result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct News2 {
    /// Aggregate of the parameters present (a minimum when `complete` is false).
    pub score: u8,
    /// Risk band of that aggregate.
    pub risk: Risk,
    /// False when a parameter is missing.
    pub complete: bool,
    /// Points per parameter present.
    pub parameters: BTreeMap<&'static str, ParameterScore>,
    /// Parameters not measured.
    pub missing: Vec<&'static str>,
    /// The SpO2 scale used (1 or 2).
    pub spo2_scale: u8,
    /// Why NEWS2 is not validated for this patient (`under_16`, `pregnancy`); empty when it is.
    /// The score is still shown, with that warning, and left out of the Chinese grade.
    pub not_validated: Vec<&'static str>,
}

impl News2 {
    /// Whether the RCP validated NEWS2 for this patient (adults 16 and over, not pregnant).
    pub fn validated(&self) -> bool {
        self.not_validated.is_empty()
    }
}

/// Scores the vital signs.
pub fn score(table: &News2Table, v: &Vitals) -> News2 {
    let mut parameters = BTreeMap::new();
    let mut missing = Vec::new();
    let scale = v.spo2_scale.unwrap_or(1);
    let oxygen = v.on_oxygen;

    let numeric: [(&'static str, Option<f64>, &str); 5] = [
        ("resp_rate", v.resp_rate, "resp_rate"),
        (
            "spo2",
            v.spo2,
            if scale == 2 {
                "spo2_scale2"
            } else {
                "spo2_scale1"
            },
        ),
        ("systolic_bp", v.systolic_bp, "systolic_bp"),
        ("heart_rate", v.heart_rate, "heart_rate"),
        ("temperature", v.temperature_c, "temperature_c"),
    ];
    for (key, value, table_name) in numeric {
        let param = table.parameter(table_name);
        match value {
            // Scale 2 above 92 % depends on oxygen; without that answer it cannot be scored.
            Some(x) if scale == 2 && key == "spo2" && x > 92.0 && oxygen.is_none() => {
                missing.push("on_oxygen");
            }
            Some(x) => {
                parameters.insert(key, band(param, x, oxygen));
            }
            None => missing.push(key),
        }
    }
    match oxygen {
        Some(on) => {
            let points = if on {
                table.categorical.oxygen_points
            } else {
                0
            };
            let (en, zh) = if on {
                ("oxygen", "吸氧")
            } else {
                ("air", "空气")
            };
            parameters.insert(
                "air_or_oxygen",
                ParameterScore {
                    value: en.into(),
                    value_zh: zh.into(),
                    points,
                    rule: format!("{en} → {points}"),
                    rule_zh: format!("{zh} → {points}"),
                },
            );
        }
        None if !missing.contains(&"on_oxygen") => missing.push("on_oxygen"),
        None => {}
    }
    match v.consciousness {
        Some(c) => {
            let alert = c == Consciousness::Alert;
            let points = if alert {
                0
            } else {
                table.categorical.cvpu_points
            };
            let value = serde_json::to_value(c)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            parameters.insert(
                "consciousness",
                ParameterScore {
                    rule: format!("{} → {points}", if alert { "alert" } else { "CVPU" }),
                    rule_zh: format!(
                        "{} → {points}",
                        if alert {
                            "清醒"
                        } else {
                            "意识改变（CVPU）"
                        }
                    ),
                    value,
                    value_zh: consciousness_zh(c).into(),
                    points,
                },
            );
        }
        None => missing.push("consciousness"),
    }

    let score: u8 = parameters.values().map(|p| p.points).sum();
    let red = parameters
        .values()
        .any(|p| p.points >= table.risk.red_score);
    let risk = if score >= table.risk.high_from {
        Risk::High
    } else if score >= table.risk.medium_from {
        Risk::Medium
    } else if red {
        Risk::LowMedium
    } else {
        Risk::Low
    };
    News2 {
        score,
        risk,
        complete: missing.is_empty(),
        parameters,
        missing,
        spo2_scale: scale,
        not_validated: Vec::new(),
    }
}

/// The first band of `param` whose conditions hold for `x`. The chart's bands are whole numbers
/// (tenths for temperature) with gaps between them: a value in a gap (a respiratory rate of 8.5
/// between "≤ 8" and "9-11") scores in the more urgent of the two bands beside it.
fn band(param: &Parameter, x: f64, oxygen: Option<bool>) -> ParameterScore {
    let mut lower: Option<(f64, u8)> = None;
    for b in &param.bands {
        let fits_max = b.max.is_none_or(|max| x <= max);
        let fits_oxygen = b.oxygen.is_none_or(|o| oxygen == Some(o));
        if fits_max && fits_oxygen {
            let gap = lower.filter(|(l, _)| x > *l && x < *l + param.step - 1e-9);
            let (points, rule, rule_zh) = match gap {
                Some((l, below)) => {
                    let points = b.points.max(below);
                    let next = l + param.step;
                    (
                        points,
                        format!(
                            "{l} < x < {next}, between chart bands: the more urgent → {points}"
                        ),
                        format!("{l} < x < {next}，介于两档之间：取更紧急的一档 → {points}"),
                    )
                }
                None => {
                    let l = lower.map(|(l, _)| l);
                    (
                        b.points,
                        describe(l, b.max, b.oxygen, b.points, Lang::En),
                        describe(l, b.max, b.oxygen, b.points, Lang::Zh),
                    )
                }
            };
            return ParameterScore {
                value: format!("{x} {}", param.unit),
                // Chinese charts write rates per minute as 次/分; mmHg, % and °C stay.
                value_zh: format!("{x} {}", param.unit.replace("/min", "次/分")),
                points,
                rule,
                rule_zh,
            };
        }
        if b.oxygen.is_none() {
            if let Some(max) = b.max {
                lower = Some((max, b.points));
            }
        }
    }
    unreachable!("every NEWS2 parameter ends with a catch-all band (tested)")
}

#[derive(Clone, Copy)]
enum Lang {
    En,
    Zh,
}

fn describe(
    lower: Option<f64>,
    upper: Option<f64>,
    oxygen: Option<bool>,
    points: u8,
    lang: Lang,
) -> String {
    let range = match (lower, upper) {
        (None, Some(u)) => format!("x ≤ {u}"),
        (Some(l), Some(u)) => format!("{l} < x ≤ {u}"),
        (Some(l), None) => format!("x > {l}"),
        (None, None) => match lang {
            Lang::En => "any".to_string(),
            Lang::Zh => "任意值".to_string(),
        },
    };
    let oxygen = match (oxygen, lang) {
        (Some(true), Lang::En) => " on oxygen",
        (Some(false), Lang::En) => " on air",
        (Some(true), Lang::Zh) => "，吸氧",
        (Some(false), Lang::Zh) => "，未吸氧",
        (None, _) => "",
    };
    format!("{range}{oxygen} → {points}")
}

/// ACVPU in the words Chinese triage nurses use.
fn consciousness_zh(c: Consciousness) -> &'static str {
    match c {
        Consciousness::Alert => "清醒",
        Consciousness::Confusion => "新发意识模糊",
        Consciousness::Voice => "对声音有反应",
        Consciousness::Pain => "对疼痛有反应",
        Consciousness::Unresponsive => "无反应",
    }
}
