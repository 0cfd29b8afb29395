//! The patient's age as the rules need it: exact in days for infants, and honest about what is
//! not known.
//!
//! A febrile infant of 28 days must get at least ESI 2 and one of 29 days need not; a child's
//! heart-rate limits change at 3 months, 3 years and 8 years. An age typed as "0 years" or
//! "2 months" is a range of days, not a point, so the age is kept as the interval of days it
//! can be, and every age-banded rule takes the most urgent reading within it: an unknown is
//! never read as the reassuring answer.

use crate::intake::{days_from_civil, parse_date, Intake};
use crate::{Result, TriageError};

/// Average days in a year and in a month (leap years included).
pub const DAYS_PER_YEAR: f64 = 365.25;
/// Average days in a month.
pub const DAYS_PER_MONTH: f64 = DAYS_PER_YEAR / 12.0;

/// Where the age came from, most exact first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBasis {
    /// Counted from the birth date to the day of arrival.
    BirthDate,
    /// Counted from the birth date to today, whose date depends on the time zone (± 1 day).
    BirthDateToday,
    /// Typed in days.
    Days,
    /// Typed in whole months.
    Months,
    /// Typed in years.
    Years,
}

/// What is known of the age: between `min_days` and `max_days`, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Age {
    /// Youngest the patient can be, in days.
    pub min_days: u32,
    /// Oldest the patient can be, in days.
    pub max_days: u32,
    /// Where it came from.
    pub basis: AgeBasis,
}

impl Age {
    /// Whether any age in `[from_days, below_days)` is possible.
    pub fn overlaps(&self, from_days: u32, below_days: Option<u32>) -> bool {
        self.max_days >= from_days && below_days.is_none_or(|b| self.min_days < b)
    }

    /// The oldest possible age within `[from_days, below_days)`, in years (for limits that
    /// grow with age, the highest limit is the most urgent reading).
    pub fn oldest_years_within(&self, from_days: u32, below_days: Option<u32>) -> f64 {
        let hi = below_days.map_or(self.max_days, |b| self.max_days.min(b.saturating_sub(1)));
        f64::from(hi.max(from_days).max(self.min_days)) / DAYS_PER_YEAR
    }

    /// Certainly younger than `years`.
    pub fn surely_under_years(&self, years: f64) -> bool {
        f64::from(self.max_days) < years * DAYS_PER_YEAR
    }

    /// Possibly younger than `years`.
    pub fn maybe_under_years(&self, years: f64) -> bool {
        f64::from(self.min_days) < years * DAYS_PER_YEAR
    }

    /// The age as a nurse reads it: "27 days", "5 months", "3 years", or a range.
    pub fn text(&self) -> (String, String) {
        let one = |d: u32| -> (String, String) {
            let plural = |n: f64, one: &str, many: &str| {
                format!("{n} {}", if n == 1.0 { one } else { many })
            };
            if d < 60 {
                (plural(f64::from(d), "day", "days"), format!("{d} 天"))
            } else if f64::from(d) < 2.0 * DAYS_PER_YEAR {
                let m = (f64::from(d) / DAYS_PER_MONTH).floor();
                (plural(m, "month", "months"), format!("{m} 个月"))
            } else {
                let y = (f64::from(d) / DAYS_PER_YEAR).floor();
                (plural(y, "year", "years"), format!("{y} 岁"))
            }
        };
        let (lo, lo_zh) = one(self.min_days);
        let (hi, hi_zh) = one(self.max_days);
        if lo == hi {
            (lo, lo_zh)
        } else {
            (format!("{lo} to {hi}"), format!("{lo_zh}至{hi_zh}"))
        }
    }
}

/// The day a birth date is counted to: the arrival's own calendar day when the arrival time is
/// known (its offset is the hospital's), otherwise today by the clock, which may be a day off
/// the hospital's date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    /// Days since 1970-01-01 (UTC).
    pub utc_days: i64,
}

impl Today {
    /// Today by the system clock.
    pub fn now() -> Today {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Today {
            utc_days: (secs / 86_400) as i64,
        }
    }
}

/// Longest age typed in days ("days under one year").
pub const MAX_AGE_DAYS: u32 = 365;
/// Longest age typed in months ("months for the under-twos").
pub const MAX_AGE_MONTHS: u32 = 23;

/// The age the rules use, from the most exact field the intake has; `None` when none is given.
pub fn of(intake: &Intake, today: Today) -> Result<Option<Age>> {
    let p = &intake.patient;
    if let Some(birth) = p.birth_date.as_deref().filter(|d| !d.is_empty()) {
        let born = parse_date(birth)
            .map(|(y, m, d)| days_from_civil(y, m, d))
            .ok_or(TriageError::Invalid {
                field: "patient.birth_date",
                allowed: "a date as YYYY-MM-DD",
            })?;
        let arrival_day = intake
            .arrived_at
            .as_deref()
            .filter(|t| !t.is_empty())
            .and_then(|t| t.get(..10))
            .and_then(parse_date)
            .map(|(y, m, d)| days_from_civil(y, m, d));
        let (lo, hi, basis) = match arrival_day {
            Some(day) => (day - born, day - born, AgeBasis::BirthDate),
            None => (
                today.utc_days - 1 - born,
                today.utc_days + 1 - born,
                AgeBasis::BirthDateToday,
            ),
        };
        // A birth date a day "after" today by UTC may be today in the hospital's zone.
        if hi < 0 {
            return Err(TriageError::Invalid {
                field: "patient.birth_date",
                allowed: "a date not after the day of arrival",
            });
        }
        if lo as f64 > 130.0 * DAYS_PER_YEAR {
            return Err(TriageError::Impossible {
                field: "patient.birth_date",
                value: (lo as f64 / DAYS_PER_YEAR).floor(),
                allowed: "an age of 0-130 years",
            });
        }
        return Ok(Some(Age {
            min_days: lo.max(0) as u32,
            max_days: hi as u32,
            basis,
        }));
    }
    Ok(typed(intake))
}

/// How many decimals `x` is written with (its shortest form): 0.1 → 1, 0.08 → 2.
fn decimals(x: f64) -> usize {
    let text = x.to_string();
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

/// The age from the typed fields alone (days, then months, then years), ignoring the birth date.
pub fn typed(intake: &Intake) -> Option<Age> {
    let p = &intake.patient;
    if let Some(days) = p.age_days {
        return Some(Age {
            min_days: days,
            max_days: days,
            basis: AgeBasis::Days,
        });
    }
    if let Some(months) = p.age_months.map(f64::from) {
        return Some(Age {
            min_days: (months * DAYS_PER_MONTH).ceil() as u32,
            max_days: ((months + 1.0) * DAYS_PER_MONTH).ceil() as u32 - 1,
            basis: AgeBasis::Months,
        });
    }
    p.age_years.map(|years| {
        // A whole number of years is every day of that year of life ("0 years" is any infant);
        // a fractional one is that age to half of its last decimal place: "0.1" is 19-54 days,
        // "0.08" (as earlier windows sent a rounded age) 28-31.
        let (lo, hi) = if years.fract() == 0.0 {
            (years * DAYS_PER_YEAR, (years + 1.0) * DAYS_PER_YEAR)
        } else {
            let half = 0.5 * 10f64.powi(-(decimals(years) as i32));
            (
                (years - half) * DAYS_PER_YEAR,
                (years + half) * DAYS_PER_YEAR,
            )
        };
        Age {
            min_days: lo.ceil() as u32,
            max_days: (hi.ceil() as u32).saturating_sub(1).max(lo.ceil() as u32),
            basis: AgeBasis::Years,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::Patient;

    fn today(y: i32, m: u32, d: u32) -> Today {
        Today {
            utc_days: days_from_civil(y, m, d),
        }
    }

    fn age(patient: Patient, arrived_at: Option<&str>) -> Option<Age> {
        let intake = Intake {
            patient,
            arrived_at: arrived_at.map(str::to_string),
            ..Intake::default()
        };
        of(&intake, today(2026, 12, 4)).unwrap()
    }

    #[test]
    fn a_birth_date_counts_days_to_the_arrival_day_in_its_own_zone() {
        let p = Patient {
            birth_date: Some("2026-11-06".into()),
            ..Patient::default()
        };
        // 28 days old on the local day of arrival, whatever UTC says.
        let a = age(p.clone(), Some("2026-12-04T01:30+08:00")).unwrap();
        assert_eq!(
            (a.min_days, a.max_days, a.basis),
            (28, 28, AgeBasis::BirthDate)
        );
        // Without an arrival time, today's date by the clock may be a day off either way.
        let a = age(p, None).unwrap();
        assert_eq!((a.min_days, a.max_days), (27, 29));
    }

    #[test]
    fn zero_years_is_any_infant_and_months_are_a_range_of_days() {
        let zero = age(
            Patient {
                age_years: Some(0.0),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((zero.min_days, zero.max_days), (0, 365));
        let one_month = age(
            Patient {
                age_months: Some(1),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((one_month.min_days, one_month.max_days), (31, 60));
        let quarter = age(
            Patient {
                age_years: Some(0.25),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((quarter.min_days, quarter.max_days), (90, 93));
        // "0.1 years" is all a nurse said: 19 to 54 days, a neonate among them.
        let tenth = age(
            Patient {
                age_years: Some(0.1),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((tenth.min_days, tenth.max_days), (19, 54));
        // "1 year" runs to the day before the second birthday (730 days).
        let one = age(
            Patient {
                age_years: Some(1.0),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert_eq!((one.min_days, one.max_days), (366, 730));
        // A 28-day-old sent as a rounded 0.08 years may still be 28 days old.
        let rounded = age(
            Patient {
                age_years: Some(0.08),
                ..Patient::default()
            },
            None,
        )
        .unwrap();
        assert!(
            rounded.min_days <= 28 && rounded.max_days >= 30,
            "{rounded:?}"
        );
    }

    #[test]
    fn the_birth_date_wins_over_a_typed_age() {
        let a = age(
            Patient {
                age_years: Some(3.0),
                birth_date: Some("2026-11-20".into()),
                ..Patient::default()
            },
            Some("2026-12-04T10:00Z"),
        )
        .unwrap();
        assert_eq!(a.max_days, 14);
    }

    #[test]
    fn a_birth_date_after_arrival_is_refused() {
        let intake = Intake {
            patient: Patient {
                birth_date: Some("2026-12-05".into()),
                ..Patient::default()
            },
            arrived_at: Some("2026-12-04T10:00+08:00".into()),
            ..Intake::default()
        };
        let err = of(&intake, today(2026, 12, 4)).unwrap_err();
        assert_eq!(err.field(), Some("patient.birth_date"));
    }
}
