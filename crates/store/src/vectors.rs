//! Passage vectors from the embedding model (see migration 0010).

use rusqlite::params;

use crate::{ChunkRecord, Result, Store};

/// A stored vector with the passage and document it belongs to.
#[derive(Debug, Clone)]
pub struct PassageVector {
    /// The passage.
    pub chunk_id: String,
    /// Its document.
    pub document_id: i64,
    /// The passage's language, `"zh"` or `"en"`.
    pub lang: String,
    /// The vector.
    pub vector: Vec<f32>,
}

/// A vector to save: the passage, its language (`"zh"` or `"en"`) and the vector.
pub type NewVector<'a> = (&'a str, &'a str, &'a [f32]);

/// How much of the library has vectors from one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct EmbeddingProgress {
    /// Passages of current documents with a vector from the model.
    pub embedded: i64,
    /// Passages of current documents.
    pub total: i64,
}

fn to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn from_blob(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

impl Store {
    /// Saves vectors made by `model` (replacing any earlier vector of those passages), in one
    /// transaction. A passage deleted meanwhile is skipped, not an error: an import that replaced
    /// a document while its passages were being embedded is not a failure.
    pub fn put_vectors(&self, model: &str, vectors: &[NewVector<'_>]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT OR REPLACE INTO passage_vectors (chunk_id, model, lang, vector)
                 SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?1)",
            )?;
            for (chunk_id, lang, vector) in vectors {
                stmt.execute(params![chunk_id, model, lang, to_blob(vector)])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Up to `limit` passages of current documents without a vector from `model`, in document
    /// order: the embedding job's next batch. Asking again after saving gives the next ones, so
    /// the job resumes where it stopped.
    pub fn chunks_without_vectors(&self, model: &str, limit: usize) -> Result<Vec<ChunkRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "{} WHERE d.superseded_by IS NULL AND NOT EXISTS (
                 SELECT 1 FROM passage_vectors v WHERE v.chunk_id = c.id AND v.model = ?1)
             ORDER BY c.document_id, c.ord LIMIT ?2",
            crate::documents::CHUNK_SELECT
        ))?;
        let rows = stmt.query_map(params![model, limit as i64], crate::documents::chunk_record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every vector from `model` of the passages of current documents.
    pub fn vectors(&self, model: &str) -> Result<Vec<PassageVector>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT v.chunk_id, c.document_id, v.lang, v.vector FROM passage_vectors v
               JOIN chunks c ON c.id = v.chunk_id JOIN documents d ON d.id = c.document_id
              WHERE v.model = ?1 AND d.superseded_by IS NULL
              ORDER BY c.document_id, c.ord",
        )?;
        let rows = stmt.query_map([model], |r| {
            Ok(PassageVector {
                chunk_id: r.get(0)?,
                document_id: r.get(1)?,
                lang: r.get(2)?,
                vector: from_blob(&r.get::<_, Vec<u8>>(3)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Removes the vectors of every other model: they live in another vector space.
    pub fn drop_vectors_not_of(&self, model: &str) -> Result<usize> {
        Ok(self
            .conn()
            .execute("DELETE FROM passage_vectors WHERE model <> ?1", [model])?)
    }

    /// SQLite's `data_version`: it changes when another connection (another process) commits,
    /// so a cache of what was read can tell that it is stale.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// How far the embedding of the current documents has come for `model`.
    pub fn embedding_progress(&self, model: &str) -> Result<EmbeddingProgress> {
        let conn = self.conn();
        let (embedded, total) = conn.query_row(
            "SELECT count(v.chunk_id), count(*) FROM chunks c
               JOIN documents d ON d.id = c.document_id
               LEFT JOIN passage_vectors v ON v.chunk_id = c.id AND v.model = ?1
              WHERE d.superseded_by IS NULL",
            [model],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(EmbeddingProgress { embedded, total })
    }
}
