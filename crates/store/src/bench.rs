//! What encryption costs: the same documents written, read and checked through SQLCipher and
//! through the same SQLite without a key, in one run (`bedside bench store`).

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::{Key, NewChunk, NewDocument, Result, Store};

/// One side's figures.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// Documents (with their passages) written, each in its own transaction, per second.
    pub insert_docs_per_s: f64,
    /// Passages read by id, in random order, per second.
    pub read_chunks_per_s: f64,
    /// Opening the file: every page checked (HMACs when encrypted) and the b-trees.
    pub open_ms: f64,
    /// File size after the writes.
    pub file_bytes: u64,
}

/// Both sides and their ratios (encrypted ÷ plain: below 1 means encryption costs speed).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Documents written.
    pub documents: usize,
    /// Passages written.
    pub chunks: usize,
    /// SQLCipher with a raw 256-bit key.
    pub encrypted: Side,
    /// The same SQLite with no key.
    pub plain: Side,
    /// encrypted ÷ plain insert rate.
    pub insert_ratio: f64,
    /// encrypted ÷ plain read rate.
    pub read_ratio: f64,
    /// encrypted ÷ plain open time (above 1 means slower).
    pub open_ratio: f64,
}

/// A document to write: its text and its passages' texts.
pub struct Doc {
    /// Title.
    pub title: String,
    /// Full text.
    pub text: String,
    /// Passages.
    pub chunks: Vec<String>,
}

fn per_s(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

fn side(dir: &Path, name: &str, key: Option<&Key>, docs: &[Doc]) -> Result<Side> {
    let path = dir.join(name);
    let store = Store::open_with(&path, key)?;
    let mut ids = Vec::new();
    let started = Instant::now();
    for (d, doc) in docs.iter().enumerate() {
        let chunk_ids: Vec<String> = (0..doc.chunks.len()).map(|c| format!("{d}-{c}")).collect();
        let chunks: Vec<NewChunk<'_>> = doc
            .chunks
            .iter()
            .enumerate()
            .map(|(c, text)| NewChunk {
                id: &chunk_ids[c],
                ord: c,
                section: &doc.title,
                page: None,
                start_char: 0,
                end_char: text.chars().count(),
                text,
            })
            .collect();
        store.insert_document(
            &NewDocument {
                sha256: &format!("{d:064}"),
                file_name: "bench.md",
                source_path: "/bench.md",
                title: &doc.title,
                lang: "en",
                format: "markdown",
                text: &doc.text,
                page_starts: &[],
            },
            &chunks,
        )?;
        ids.extend(chunk_ids);
    }
    let insert = started.elapsed();
    // A fixed shuffle (multiplicative stride) so both sides read in the same order.
    let n = ids.len();
    let stride = (0..)
        .map(|k| n / 2 + 1 + k)
        .find(|s| gcd(*s, n) == 1)
        .unwrap_or(1);
    let started = Instant::now();
    for i in 0..n {
        store.chunk(&ids[(i * stride) % n])?;
    }
    let read = started.elapsed();
    drop(store);
    let started = Instant::now();
    drop(Store::open_with(&path, key)?);
    let open = started.elapsed();
    Ok(Side {
        insert_docs_per_s: per_s(docs.len(), insert),
        read_chunks_per_s: per_s(n, read),
        open_ms: open.as_secs_f64() * 1000.0,
        file_bytes: std::fs::metadata(&path)
            .map(|m| m.len())
            .unwrap_or_default(),
    })
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Writes `docs` into a fresh encrypted and a fresh plain database in `dir` and compares.
pub fn run(dir: &Path, docs: &[Doc]) -> Result<Report> {
    let key = Key::Raw([0x42; 32]);
    let plain = side(dir, "plain.db", None, docs)?;
    let encrypted = side(dir, "encrypted.db", Some(&key), docs)?;
    Ok(Report {
        documents: docs.len(),
        chunks: docs.iter().map(|d| d.chunks.len()).sum(),
        insert_ratio: encrypted.insert_docs_per_s / plain.insert_docs_per_s,
        read_ratio: encrypted.read_chunks_per_s / plain.read_chunks_per_s,
        open_ratio: encrypted.open_ms / plain.open_ms.max(1e-6),
        encrypted,
        plain,
    })
}
