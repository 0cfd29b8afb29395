//! What the library's integration tests share: the evaluation data and the extraction measure.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

/// `shared/evaldata`, or `BEDSIDE_EVALDATA`.
pub fn evaldata() -> PathBuf {
    std::env::var_os("BEDSIDE_EVALDATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join("../../../shared/evaldata"))
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

/// The package's folder, read when the test runs. Cargo and nextest set `CARGO_MANIFEST_DIR`
/// for the test process; the compile-time value goes stale when a reused target directory
/// holds a test binary built in another checkout, whose files may differ or be gone.
pub fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
