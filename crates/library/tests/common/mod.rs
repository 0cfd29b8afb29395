//! What the library's integration tests share: the evaluation data and the extraction measure.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// `shared/evaldata`, or `BEDSIDE_EVALDATA`.
pub fn evaldata() -> PathBuf {
    std::env::var_os("BEDSIDE_EVALDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/evaldata"))
}

/// Share of the original's letters, digits and CJK characters (as a multiset) that the
/// extracted text recovers: markup and whitespace do not count.
pub fn recovered(original: &str, extracted: &str) -> f64 {
    let count = |s: &str| {
        let mut m: HashMap<char, usize> = HashMap::new();
        for c in s.chars().filter(|c| c.is_alphanumeric()) {
            *m.entry(c).or_default() += 1;
        }
        m
    };
    let (want, got) = (count(original), count(extracted));
    let total: usize = want.values().sum();
    let found: usize = want
        .iter()
        .map(|(c, n)| (*n).min(got.get(c).copied().unwrap_or(0)))
        .sum();
    found as f64 / total as f64
}
