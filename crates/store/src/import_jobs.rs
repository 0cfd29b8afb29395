//! Import jobs: the files an import was asked to read and what became of each, kept so that an
//! import survives a restart and resumes where it stopped.

use rusqlite::{params, OptionalExtension, Row};

use crate::{Result, Store, StoreError};

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportJobRecord {
    /// Row id.
    pub id: i64,
    /// Username of who started it.
    pub created_by: String,
    /// When (UTC).
    pub created_at: String,
    /// `running`, `cancelled` or `done`, as the runner last wrote it. Not serialised: only
    /// the workflow can tell a running job from an interrupted one, and it shows that instead.
    #[serde(skip_serializing)]
    pub state: String,
    /// When it finished or was cancelled.
    pub finished_at: Option<String>,
    /// Files in the job.
    pub files: i64,
    /// Files not yet tried.
    pub pending: i64,
    /// Files imported.
    pub imported: i64,
    /// Files skipped as duplicates.
    pub skipped: i64,
    /// Files that failed.
    pub failed: i64,
    /// Bytes of all files.
    pub bytes: i64,
    /// Bytes of the files tried.
    pub bytes_done: i64,
    /// Pages of the PDFs imported.
    pub pages: i64,
}

/// One file of a job.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobFileRecord {
    /// Position in the job, from 0.
    pub ord: i64,
    /// The path as it was given or found in a folder.
    pub path: String,
    /// Its size when the job was made.
    pub bytes: i64,
    /// `pending`, `imported`, `skipped` or `failed`.
    pub status: String,
    /// Error code, for a failed file; `duplicate` for a skipped one.
    pub code: Option<String>,
    /// Error message, for a failed file.
    pub message: Option<String>,
    /// The document it became.
    pub document_id: Option<i64>,
    /// Its pages, for a PDF.
    pub pages: Option<i64>,
    /// Its passages.
    pub chunks: Option<i64>,
}

/// What happened to one file, to record.
#[derive(Debug, Clone, Copy)]
pub enum FileOutcome<'a> {
    /// Stored and searchable.
    Imported {
        /// The new document.
        document_id: i64,
        /// Its pages, for a PDF.
        pages: Option<u32>,
        /// Its passages.
        chunks: usize,
    },
    /// Not imported, with the reason code (`duplicate`).
    Skipped {
        /// Why.
        code: &'a str,
    },
    /// Failed, with a code and message.
    Failed {
        /// Stable error code.
        code: &'a str,
        /// What went wrong.
        message: &'a str,
    },
}

const JOB_COLUMNS: &str = "j.id, j.created_by, j.created_at, j.state, j.finished_at,
    count(f.ord), count(f.ord) FILTER (WHERE f.status = 'pending'),
    count(f.ord) FILTER (WHERE f.status = 'imported'),
    count(f.ord) FILTER (WHERE f.status = 'skipped'),
    count(f.ord) FILTER (WHERE f.status = 'failed'),
    coalesce(sum(f.bytes), 0), coalesce(sum(f.bytes) FILTER (WHERE f.status != 'pending'), 0),
    coalesce(sum(f.pages), 0)";

fn job_record(r: &Row<'_>) -> rusqlite::Result<ImportJobRecord> {
    Ok(ImportJobRecord {
        id: r.get(0)?,
        created_by: r.get(1)?,
        created_at: r.get(2)?,
        state: r.get(3)?,
        finished_at: r.get(4)?,
        files: r.get(5)?,
        pending: r.get(6)?,
        imported: r.get(7)?,
        skipped: r.get(8)?,
        failed: r.get(9)?,
        bytes: r.get(10)?,
        bytes_done: r.get(11)?,
        pages: r.get(12)?,
    })
}

impl Store {
    /// Records a new running job with its files (path and size) pending; returns its id.
    pub fn create_import_job(&self, created_by: &str, files: &[(String, u64)]) -> Result<i64> {
        let mut conn = self.conn();
        let tx = crate::audit::immediate(&mut conn)?;
        tx.execute(
            "INSERT INTO import_jobs (created_by) VALUES (?1)",
            [created_by],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut stmt = tx.prepare(
                "INSERT INTO import_job_files (job_id, ord, path, bytes) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (ord, (path, bytes)) in files.iter().enumerate() {
                stmt.execute(params![id, ord as i64, path, *bytes as i64])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// One job with its counts.
    pub fn import_job(&self, id: i64) -> Result<ImportJobRecord> {
        self.conn()
            .query_row(
                &format!(
                    "SELECT {JOB_COLUMNS} FROM import_jobs j
                     LEFT JOIN import_job_files f ON f.job_id = j.id
                     WHERE j.id = ?1 GROUP BY j.id"
                ),
                [id],
                job_record,
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "import job",
                id: id.to_string(),
            })
    }

    /// The latest jobs, newest first.
    pub fn import_jobs(&self, limit: usize) -> Result<Vec<ImportJobRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM import_jobs j
             LEFT JOIN import_job_files f ON f.job_id = j.id
             GROUP BY j.id ORDER BY j.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], job_record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A job's files in order.
    pub fn import_job_files(&self, job_id: i64) -> Result<Vec<JobFileRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT ord, path, bytes, status, code, message, document_id, pages, chunks
             FROM import_job_files WHERE job_id = ?1 ORDER BY ord",
        )?;
        let rows = stmt.query_map([job_id], |r| {
            Ok(JobFileRecord {
                ord: r.get(0)?,
                path: r.get(1)?,
                bytes: r.get(2)?,
                status: r.get(3)?,
                code: r.get(4)?,
                message: r.get(5)?,
                document_id: r.get(6)?,
                pages: r.get(7)?,
                chunks: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records what happened to one file of a job.
    pub fn record_job_file(&self, job_id: i64, ord: i64, outcome: FileOutcome<'_>) -> Result<()> {
        let (status, code, message, document_id, pages, chunks) = match outcome {
            FileOutcome::Imported {
                document_id,
                pages,
                chunks,
            } => (
                "imported",
                None,
                None,
                Some(document_id),
                pages.map(i64::from),
                Some(chunks as i64),
            ),
            FileOutcome::Skipped { code } => ("skipped", Some(code), None, None, None, None),
            FileOutcome::Failed { code, message } => {
                ("failed", Some(code), Some(message), None, None, None)
            }
        };
        self.conn().execute(
            "UPDATE import_job_files
             SET status = ?3, code = ?4, message = ?5, document_id = ?6, pages = ?7, chunks = ?8
             WHERE job_id = ?1 AND ord = ?2",
            params![
                job_id,
                ord,
                status,
                code,
                message,
                document_id,
                pages,
                chunks
            ],
        )?;
        Ok(())
    }

    /// Puts the files that became these documents back to pending: the documents were rolled
    /// back (the index could not take them), so a resume must import those files again.
    pub fn release_job_documents(&self, document_ids: &[i64]) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "UPDATE import_job_files
             SET status = 'pending', code = NULL, message = NULL, document_id = NULL,
                 pages = NULL, chunks = NULL
             WHERE document_id = ?1",
        )?;
        for id in document_ids {
            stmt.execute([id])?;
        }
        Ok(())
    }

    /// Sets a job's state; `cancelled` and `done` also stamp the time it stopped.
    pub fn set_import_job_state(&self, job_id: i64, state: &str) -> Result<()> {
        let changed = self.conn().execute(
            "UPDATE import_jobs SET state = ?2,
                 finished_at = CASE WHEN ?2 = 'running' THEN NULL
                                    ELSE strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END
             WHERE id = ?1",
            params![job_id, state],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "import job",
                id: job_id.to_string(),
            });
        }
        Ok(())
    }
}
