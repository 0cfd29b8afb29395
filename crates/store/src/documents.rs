//! Guideline documents and their passages.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use crate::{Result, Store, StoreError};

/// A document to save.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    /// SHA-256 of the original file's bytes; the same content is never stored twice.
    pub sha256: &'a str,
    /// File name shown to users.
    pub file_name: &'a str,
    /// Where it was imported from.
    pub source_path: &'a str,
    /// Title.
    pub title: &'a str,
    /// `"zh"` or `"en"`.
    pub lang: &'a str,
    /// Format it was read from.
    pub format: &'a str,
    /// The extracted text that chunks slice.
    pub text: &'a str,
    /// Character offset in `text` where each page starts, for paged formats (PDF); empty
    /// otherwise.
    pub page_starts: &'a [usize],
}

/// A passage to save with its document.
#[derive(Debug, Clone)]
pub struct NewChunk<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Position in the document.
    pub ord: usize,
    /// Section heading path.
    pub section: &'a str,
    /// Page, where the format has pages.
    pub page: Option<u32>,
    /// Character offset of the start in the document text.
    pub start_char: usize,
    /// Character offset one past the end.
    pub end_char: usize,
    /// The passage.
    pub text: &'a str,
}

/// A stored document (without its text).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentRecord {
    /// Row id.
    pub id: i64,
    /// Content hash.
    pub sha256: String,
    /// File name.
    pub file_name: String,
    /// Title.
    pub title: String,
    /// Language.
    pub lang: String,
    /// Format.
    pub format: String,
    /// Pages, for paged formats (PDF).
    pub pages: Option<i64>,
    /// Number of passages.
    pub chunks: i64,
    /// 1 for the first import, then one more for each new version.
    pub version: i64,
    /// The newer version that replaced this one; superseded documents are not searched.
    pub superseded_by: Option<i64>,
    /// When it was imported (UTC).
    pub imported_at: String,
}

/// A stored passage with its document's names, as a citation shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChunkRecord {
    /// Stable id.
    pub chunk_id: String,
    /// The document's row id.
    pub document_id: i64,
    /// The document's file name.
    pub file_name: String,
    /// The document's title.
    pub title: String,
    /// Section heading path.
    pub section: String,
    /// Page, where the format has pages.
    pub page: Option<u32>,
    /// Character offsets in the document text.
    pub start_char: i64,
    /// End offset (exclusive).
    pub end_char: i64,
    /// The passage.
    pub text: String,
}

impl Store {
    /// The id of the document with this content hash, if it was imported before.
    pub fn document_by_hash(&self, sha256: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM documents WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Stores a document and its passages in one transaction; returns the document id.
    pub fn insert_document(&self, doc: &NewDocument<'_>, chunks: &[NewChunk<'_>]) -> Result<i64> {
        let mut conn = self.conn();
        let tx = crate::audit::immediate(&mut conn)?;
        let id = insert(&tx, doc, chunks)?;
        tx.commit()?;
        Ok(id)
    }

    /// Stores a document and its passages together with the audit row that names it.
    /// When `supersedes` names the current version of the same document, the new one becomes
    /// the next version and the old one is kept, superseded (no longer searched).
    pub fn insert_document_audited(
        &self,
        doc: &NewDocument<'_>,
        chunks: &[NewChunk<'_>],
        supersedes: Option<i64>,
        audit: impl FnOnce(i64) -> crate::AuditEntry,
    ) -> Result<i64> {
        self.audited_with(
            |c| {
                let id = insert(c, doc, chunks)?;
                if let Some(old) = supersedes {
                    c.execute(
                        "UPDATE documents SET version = 1 + (SELECT version FROM documents WHERE id = ?2)
                         WHERE id = ?1",
                        params![id, old],
                    )?;
                    c.execute(
                        "UPDATE documents SET superseded_by = ?1,
                             superseded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                         WHERE id = ?2",
                        params![id, old],
                    )?;
                }
                Ok(id)
            },
            |id| audit(*id),
        )
    }

    /// Removes a document and its passages (used when indexing it failed).
    pub fn delete_document(&self, doc_id: i64) -> Result<()> {
        let mut conn = self.conn();
        let tx = crate::audit::immediate(&mut conn)?;
        delete(&tx, doc_id)?;
        tx.commit()?;
        Ok(())
    }

    /// Deletes a document and its passages with its audit row. A version it had superseded
    /// becomes current again.
    pub fn delete_document_audited(&self, doc_id: i64, audit: &crate::AuditEntry) -> Result<()> {
        self.audited(audit, |c| delete(c, doc_id))
    }

    /// A passage by its stable id, with its document's names.
    pub fn chunk(&self, chunk_id: &str) -> Result<ChunkRecord> {
        self.conn()
            .query_row(
                &format!("{CHUNK_SELECT} WHERE c.id = ?1"),
                [chunk_id],
                chunk_record,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "passage",
                id: chunk_id.to_string(),
            })
    }

    /// The text of each passage named that exists, by id, in one query: search compares the
    /// texts of its candidates to collapse duplicates, and one lookup each cost more than the
    /// rest of the fusion (docs/benchmarks.md).
    pub fn chunk_texts(&self, chunk_ids: &[&str]) -> Result<HashMap<String, String>> {
        let mut texts = HashMap::with_capacity(chunk_ids.len());
        let conn = self.conn();
        // SQLite allows 32,766 parameters; search asks for about a hundred.
        for ids in chunk_ids.chunks(500) {
            let marks = vec!["?"; ids.len()].join(",");
            let mut stmt = conn.prepare(&format!(
                "SELECT id, text FROM chunks WHERE id IN ({marks})"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (id, text) = row?;
                texts.insert(id, text);
            }
        }
        Ok(texts)
    }

    /// Calls `f` with every passage of the current (not superseded) documents, in document
    /// order; used to rebuild the search index from the database. Stops at the first error `f`
    /// returns.
    pub fn for_each_chunk<E: From<crate::StoreError>>(
        &self,
        mut f: impl FnMut(ChunkRecord) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "{CHUNK_SELECT} WHERE d.superseded_by IS NULL ORDER BY c.document_id, c.ord"
            ))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let record = chunk_record(r).map_err(StoreError::from)?;
            f(record)?;
        }
        Ok(())
    }

    /// The full extracted text of a document.
    pub fn document_text(&self, doc_id: i64) -> Result<String> {
        self.conn()
            .query_row("SELECT text FROM documents WHERE id = ?1", [doc_id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "document",
                id: doc_id.to_string(),
            })
    }

    /// Character offsets where each page of a document starts; empty for formats without
    /// pages.
    pub fn page_starts(&self, doc_id: i64) -> Result<Vec<i64>> {
        let stored: Option<String> = self
            .conn()
            .query_row(
                "SELECT page_starts FROM documents WHERE id = ?1",
                [doc_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "document",
                id: doc_id.to_string(),
            })?;
        Ok(stored
            .unwrap_or_default()
            .split(',')
            .filter_map(|n| n.parse().ok())
            .collect())
    }

    /// All documents, newest first.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {DOC_COLUMNS} FROM documents d ORDER BY d.id DESC"
        ))?;
        let rows = stmt.query_map([], doc_record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The current (not superseded) document with this file name and language, if any: what a
    /// new import of changed content replaces.
    pub fn current_document(&self, file_name: &str, lang: &str) -> Result<Option<DocumentRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {DOC_COLUMNS} FROM documents d
                     WHERE d.file_name = ?1 AND d.lang = ?2 AND d.superseded_by IS NULL
                     ORDER BY d.version DESC LIMIT 1"
                ),
                params![file_name, lang],
                doc_record,
            )
            .optional()?)
    }

    /// The version that `id` superseded, if any.
    pub fn previous_version(&self, id: i64) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM documents WHERE superseded_by = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// A document's passages, in order.
    pub fn chunks_of(&self, doc_id: i64) -> Result<Vec<ChunkRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{CHUNK_SELECT} WHERE c.document_id = ?1 ORDER BY c.ord"
        ))?;
        let rows = stmt
            .query_map([doc_id], chunk_record)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// One document.
    pub fn document(&self, id: i64) -> Result<DocumentRecord> {
        self.conn()
            .query_row(
                &format!("SELECT {DOC_COLUMNS} FROM documents d WHERE d.id = ?1"),
                [id],
                doc_record,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "document",
                id: id.to_string(),
            })
    }

    /// Number of current (not superseded) documents.
    pub fn document_count(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM documents WHERE superseded_by IS NULL",
            [],
            |r| r.get(0),
        )?)
    }

    /// Number of searchable passages (those of current documents).
    pub fn chunk_count(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id
                 WHERE d.superseded_by IS NULL",
            [],
            |r| r.get(0),
        )?)
    }
}

/// A passage with its document's names, as [`chunk_record`] reads it; callers add the filter.
pub(crate) const CHUNK_SELECT: &str =
    "SELECT c.id, c.document_id, d.file_name, d.title, c.section, c.page,
    c.start_char, c.end_char, c.text FROM chunks c JOIN documents d ON d.id = c.document_id";

pub(crate) fn chunk_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChunkRecord> {
    Ok(ChunkRecord {
        chunk_id: r.get(0)?,
        document_id: r.get(1)?,
        file_name: r.get(2)?,
        title: r.get(3)?,
        section: r.get(4)?,
        page: r.get(5)?,
        start_char: r.get(6)?,
        end_char: r.get(7)?,
        text: r.get(8)?,
    })
}

const DOC_COLUMNS: &str = "d.id, d.sha256, d.file_name, d.title, d.lang, d.format,
    (SELECT count(*) FROM chunks c WHERE c.document_id = d.id), d.version, d.superseded_by,
    d.imported_at, d.pages";

fn doc_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<DocumentRecord> {
    Ok(DocumentRecord {
        id: r.get(0)?,
        sha256: r.get(1)?,
        file_name: r.get(2)?,
        title: r.get(3)?,
        lang: r.get(4)?,
        format: r.get(5)?,
        chunks: r.get(6)?,
        version: r.get(7)?,
        superseded_by: r.get(8)?,
        imported_at: r.get(9)?,
        pages: r.get(10)?,
    })
}

fn insert(
    tx: &rusqlite::Connection,
    doc: &NewDocument<'_>,
    chunks: &[NewChunk<'_>],
) -> Result<i64> {
    tx.execute(
        "INSERT INTO documents (sha256, file_name, source_path, title, lang, format, text,
                                pages, page_starts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            doc.sha256,
            doc.file_name,
            doc.source_path,
            doc.title,
            doc.lang,
            doc.format,
            doc.text,
            (!doc.page_starts.is_empty()).then_some(doc.page_starts.len() as i64),
            (!doc.page_starts.is_empty()).then(|| {
                doc.page_starts
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            }),
        ],
    )?;
    let doc_id = tx.last_insert_rowid();
    let mut stmt = tx.prepare(
        "INSERT INTO chunks (id, document_id, ord, section, page, start_char, end_char, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for c in chunks {
        stmt.execute(params![
            c.id,
            doc_id,
            c.ord as i64,
            c.section,
            c.page,
            c.start_char as i64,
            c.end_char as i64,
            c.text
        ])?;
    }
    Ok(doc_id)
}

/// Deletes a document, handing the version it replaced to whatever replaced it in turn: with
/// v1 → v2 → v3, deleting v2 leaves v1 superseded by v3; deleting the current v3 makes v2 current.
fn delete(c: &rusqlite::Connection, doc_id: i64) -> Result<()> {
    c.execute(
        "UPDATE documents SET
           superseded_at = CASE WHEN (SELECT superseded_by FROM documents WHERE id = ?1) IS NULL
                                THEN NULL ELSE superseded_at END,
           superseded_by = (SELECT superseded_by FROM documents WHERE id = ?1)
         WHERE superseded_by = ?1",
        [doc_id],
    )?;
    let n = c.execute("DELETE FROM documents WHERE id = ?1", [doc_id])?;
    if n == 0 {
        return Err(StoreError::NotFound {
            what: "document",
            id: doc_id.to_string(),
        });
    }
    Ok(())
}
