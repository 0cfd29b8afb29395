//! Objective rule rows read against one patient: the Chinese grade's indicators and the safety
//! floor share this reading, so a threshold means the same thing in both tables.

use crate::age::Age;
use crate::intake::Intake;
use crate::news2::News2;
use crate::rules::{Indicator, Measure};

/// What the rows are read against.
#[derive(Debug, Clone, Copy)]
pub struct Reading<'a> {
    /// The intake.
    pub intake: &'a Intake,
    /// Its NEWS2.
    pub news2: &'a News2,
    /// The age, when known.
    pub age: Option<Age>,
}

/// A row that fired, as recorded with the grade.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// The row's id.
    pub id: String,
    /// What the row reads.
    pub measure: Measure,
    /// The row and the value that fired it: "systolic pressure < 70 mmHg: 65 mmHg".
    pub text: String,
    /// The same in Chinese.
    pub text_zh: String,
    /// ESI level the row gives at least, if any.
    pub esi: Option<u8>,
    /// Chinese grade the row gives at least, if any.
    pub cn: Option<u8>,
    /// Whether the row's figure was checked against its primary source.
    pub verified: bool,
    /// Where the figure comes from.
    pub source: String,
}

impl Reading<'_> {
    /// The measured value and its unit in English and Chinese, when measured.
    fn value(&self, m: Measure) -> Option<(f64, &'static str, &'static str)> {
        let v = &self.intake.vitals;
        match m {
            Measure::HeartRate => v.heart_rate.map(|x| (x, "/min", "次/分")),
            Measure::RespRate => v.resp_rate.map(|x| (x, "/min", "次/分")),
            Measure::Spo2 => v.spo2.map(|x| (x, "%", "%")),
            Measure::SystolicBp => v.systolic_bp.map(|x| (x, "mmHg", "mmHg")),
            Measure::DiastolicBp => v.diastolic_bp.map(|x| (x, "mmHg", "mmHg")),
            Measure::TemperatureC => v.temperature_c.map(|x| (x, "°C", "°C")),
            Measure::Pain => v.pain.map(|x| (x, "/10", "/10")),
            Measure::News2 => Some((f64::from(self.news2.score), "", "")),
            Measure::News2Parameter => self
                .news2
                .parameters
                .values()
                .map(|p| p.points)
                .max()
                .map(|p| (f64::from(p), "points", "分")),
            Measure::SupplementalOxygen => v.on_oxygen.map(|o| (f64::from(u8::from(o)), "", "")),
            Measure::Consciousness => None,
        }
    }

    /// Whether the row's age band may hold this patient. A row with an upper age limit never
    /// applies to an unknown age, which is graded as an adult.
    fn in_band(&self, row: &Indicator) -> bool {
        if row.age_from_days.is_none() && row.age_below_days.is_none() {
            return true;
        }
        match self.age {
            None => row.age_below_days.is_none(),
            Some(a) => a.overlaps(row.age_from_days.unwrap_or(0), row.age_below_days),
        }
    }

    /// The SpO2 scale the rows read: scale 2 (target 88-92 %) is for adults with hypercapnic
    /// respiratory failure; for a child or in pregnancy the scale-1 rows apply whatever was
    /// ticked.
    fn spo2_scale(&self) -> u8 {
        let adult = self.age.is_none_or(|a| !a.maybe_under_years(16.0));
        match self.intake.vitals.spo2_scale {
            Some(2) if adult && self.intake.pregnant != Some(true) => 2,
            _ => 1,
        }
    }

    /// The row, if it fires for this patient.
    pub fn fires(&self, row: &Indicator) -> Option<Hit> {
        let scale = self.spo2_scale();
        if !self.in_band(row)
            || row.spo2_scale.is_some_and(|s| s != scale)
            || (row.pregnancy && self.intake.pregnant != Some(true))
        {
            return None;
        }
        let (en, zh) = if row.measure == Measure::Consciousness {
            let c = self.intake.vitals.consciousness?;
            if !row.consciousness.contains(&c) {
                return None;
            }
            (c.letter().to_string(), c.letter().to_string())
        } else {
            let (x, unit, unit_zh) = self.value(row.measure)?;
            let below = row.below.map(|b| {
                let grow = row.per_year.unwrap_or(0.0);
                match self.age {
                    Some(a) if grow != 0.0 => {
                        b + grow
                            * a.oldest_years_within(
                                row.age_from_days.unwrap_or(0),
                                row.age_below_days,
                            )
                            .floor()
                    }
                    _ => b,
                }
            });
            let fired = row.above.is_some_and(|t| x > t)
                || row.at_least.is_some_and(|t| x >= t)
                || below.is_some_and(|t| x < t);
            if !fired {
                return None;
            }
            (
                format!("{x}{}{unit}", if unit.is_empty() { "" } else { " " }),
                format!("{x}{}{unit_zh}", if unit_zh.is_empty() { "" } else { " " }),
            )
        };
        Some(Hit {
            id: row.id.clone(),
            measure: row.measure,
            text: format!("{}: {en}", row.label),
            text_zh: format!("{}：{zh}", row.label_zh),
            esi: row.esi,
            cn: row.cn,
            verified: row.verified,
            source: row.source.clone(),
        })
    }

    /// Every row of `rows` that fires, without the ones a more urgent row of the same measure
    /// already covers ([`most_urgent`]).
    pub fn hits<'r>(&self, rows: impl IntoIterator<Item = &'r Indicator>) -> Vec<Hit> {
        most_urgent(rows.into_iter().filter_map(|r| self.fires(r)).collect())
    }
}

/// Drops each hit that another hit of the same measure matches or beats on both scales: the
/// ranges overlap ("SBP 70-80" is written `below = 81`), and an SBP of 65 should read as
/// "< 70 → Ⅰ级", not also as "70-80 → Ⅱ级" and "80-90 → Ⅲ级".
pub fn most_urgent(hits: Vec<Hit>) -> Vec<Hit> {
    let rank = |l: Option<u8>| l.unwrap_or(u8::MAX);
    let covers = |g: &Hit, h: &Hit| {
        g.measure == h.measure && rank(g.esi) <= rank(h.esi) && rank(g.cn) <= rank(h.cn)
    };
    let mut kept: Vec<Hit> = Vec::new();
    for (i, h) in hits.iter().enumerate() {
        // A hit is dropped when another covers it, the earlier one winning a tie.
        let covered = hits
            .iter()
            .enumerate()
            .any(|(j, g)| j != i && covers(g, h) && (!covers(h, g) || j < i));
        if !covered {
            kept.push(h.clone());
        }
    }
    kept
}
