//! Guideline documents and their passages.

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
    /// Number of passages.
    pub chunks: i64,
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
    pub fn insert_document_audited(
        &self,
        doc: &NewDocument<'_>,
        chunks: &[NewChunk<'_>],
        audit: impl FnOnce(i64) -> crate::AuditEntry,
    ) -> Result<i64> {
        self.audited_with(|c| insert(c, doc, chunks), |id| audit(*id))
    }

    /// Removes a document and its passages (used when indexing it failed).
    pub fn delete_document(&self, doc_id: i64) -> Result<()> {
        self.conn()
            .execute("DELETE FROM documents WHERE id = ?1", [doc_id])?;
        Ok(())
    }

    /// A passage by its stable id, with its document's names.
    pub fn chunk(&self, chunk_id: &str) -> Result<ChunkRecord> {
        self.conn()
            .query_row(
                "SELECT c.id, c.document_id, d.file_name, d.title, c.section, c.page,
                        c.start_char, c.end_char, c.text
                 FROM chunks c JOIN documents d ON d.id = c.document_id
                 WHERE c.id = ?1",
                [chunk_id],
                |r| {
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
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "passage",
                id: chunk_id.to_string(),
            })
    }

    /// Calls `f` with every passage, in document order; used to rebuild the search index from
    /// the database. Stops at the first error `f` returns.
    pub fn for_each_chunk<E: From<crate::StoreError>>(
        &self,
        mut f: impl FnMut(ChunkRecord) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT c.id, c.document_id, d.file_name, d.title, c.section, c.page,
                        c.start_char, c.end_char, c.text
                 FROM chunks c JOIN documents d ON d.id = c.document_id
                 ORDER BY c.document_id, c.ord",
            )
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let record = (|| {
                Ok::<_, rusqlite::Error>(ChunkRecord {
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
            })()
            .map_err(StoreError::from)?;
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

    /// All documents, newest first.
    pub fn documents(&self) -> Result<Vec<DocumentRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT d.id, d.sha256, d.file_name, d.title, d.lang, d.format,
                    (SELECT count(*) FROM chunks c WHERE c.document_id = d.id)
             FROM documents d ORDER BY d.id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(DocumentRecord {
                id: r.get(0)?,
                sha256: r.get(1)?,
                file_name: r.get(2)?,
                title: r.get(3)?,
                lang: r.get(4)?,
                format: r.get(5)?,
                chunks: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Number of documents.
    pub fn document_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
    }

    /// Number of passages.
    pub fn chunk_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM chunks", [], |r| r.get(0))?)
    }
}

fn insert(
    tx: &rusqlite::Connection,
    doc: &NewDocument<'_>,
    chunks: &[NewChunk<'_>],
) -> Result<i64> {
    tx.execute(
        "INSERT INTO documents (sha256, file_name, source_path, title, lang, format, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            doc.sha256,
            doc.file_name,
            doc.source_path,
            doc.title,
            doc.lang,
            doc.format,
            doc.text
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
