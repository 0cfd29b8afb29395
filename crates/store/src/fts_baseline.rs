//! SQLite FTS5 over the same passages, as the named baseline the search benchmark compares
//! Tantivy against (`bedside bench search`). Not used for search in the product.
//!
//! The configuration is FTS5's usual one for mixed text, `porter unicode61` with BM25 ranking:
//! what a team would reach for first. It splits on Unicode word boundaries, so a run of Chinese
//! characters is one token, which is the weakness the benchmark shows.

use std::path::Path;

use rusqlite::{params, Connection};

use crate::Result;

/// An FTS5 index of passages in its own (unencrypted, throw-away) database file.
pub struct Fts5Baseline {
    conn: Connection,
}

impl Fts5Baseline {
    /// Creates the index at `path` (replacing a previous one).
    pub fn create(path: &Path) -> Result<Fts5Baseline> {
        let _ = std::fs::remove_file(path);
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             CREATE VIRTUAL TABLE passages USING fts5(
                 chunk_id UNINDEXED, file_name UNINDEXED, title, section, body,
                 tokenize = 'porter unicode61');",
        )?;
        Ok(Fts5Baseline { conn })
    }

    /// Adds passages in one transaction.
    pub fn add_all<'a>(
        &mut self,
        rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str, &'a str, &'a str)>,
    ) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO passages (chunk_id, file_name, title, section, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (id, file, title, section, body) in rows {
                stmt.execute(params![id, file, title, section, body])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The best `limit` passages for a free-text question: its words OR-ed, ranked by BM25
    /// with the title and section weighted as Tantivy weights them, each with a highlighted
    /// snippet (as the product's search makes one). Returns file names.
    pub fn search(&self, question: &str, limit: usize) -> Result<Vec<String>> {
        let terms: Vec<String> = question
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(|t| format!("\"{t}\""))
            .collect();
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT file_name, snippet(passages, 4, '[', ']', '…', 24) FROM passages
             WHERE passages MATCH ?1
             ORDER BY bm25(passages, 0.0, 0.0, 2.0, 1.5, 1.0) LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![terms.join(" OR "), limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(rows)
    }
}
