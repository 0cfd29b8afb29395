//! Importing guideline files: walk, read, de-duplicate by content hash, extract, chunk, store,
//! index. One bad file never stops the job; each gets a typed entry in the report.

use std::path::{Path, PathBuf};

use library::chunk::{self, ChunkOptions};
use library::extract;
use library::index::IndexedChunk;
use library::LibraryError;
use sha2::{Digest, Sha256};
use store::{NewChunk, NewDocument};

use crate::auth::{entry, Actor};
use crate::{Clinic, ClinicError, Result};

/// Files are committed to the index in groups: each commit costs a sync and a segment, and
/// a group bounds what a crash can leave unindexed (which `Clinic::open` then rebuilds).
const COMMIT_EVERY: usize = 25;

/// Progress of an import, streamed to the UI and the CLI as it happens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImportEvent {
    /// The files to import are known.
    Started {
        /// How many files will be tried.
        total: usize,
    },
    /// One file is done.
    File {
        /// 1-based position of this file.
        index: usize,
        /// Files in the job.
        total: usize,
        /// The file.
        path: String,
        /// What happened to it.
        status: FileStatus,
        /// Error code, for a failed file.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// Error message, for a failed file.
        #[serde(skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
}

/// The outcome for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Stored and searchable.
    Imported,
    /// Its content was imported before.
    Skipped,
    /// It could not be imported; see the code.
    Failed,
}

/// A file that was imported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Imported {
    /// The file.
    pub path: String,
    /// Its document id.
    pub document_id: i64,
    /// Its title.
    pub title: String,
    /// Number of passages.
    pub chunks: usize,
    /// The earlier version this one replaced (kept, superseded, no longer searched).
    pub replaces: Option<i64>,
}

/// A file that was skipped.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why (`duplicate`: the same content is already in the library).
    pub reason: String,
}

/// A file that failed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Failed {
    /// The file.
    pub path: String,
    /// Stable error code.
    pub code: String,
    /// What went wrong.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// Files now searchable.
    pub imported: Vec<Imported>,
    /// Files whose content was already there.
    pub skipped: Vec<Skipped>,
    /// Files that could not be imported.
    pub failed: Vec<Failed>,
    /// True when the job was cancelled before the last file.
    pub cancelled: bool,
}

/// Expands folders (recursively, following links, hidden entries skipped, sorted) into the
/// files to import. Paths that do not exist, and folders that cannot be read, are kept so that
/// they are reported as failures rather than silently dropped.
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                })
                .filter_map(|e| match e {
                    Ok(e) => e.file_type().is_file().then(|| e.into_path()),
                    Err(e) => e.path().map(Path::to_path_buf),
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    files
}

impl Clinic {
    /// Imports files and folders. `is_cancelled` is checked between files; `on_event` sees every
    /// step. Returns the report; only a failure of the index or database as a whole is an error.
    ///
    /// The work runs on a thread of its own at a lower CPU priority (nice +10 on Linux), as do
    /// the indexing threads it starts: a clinician's answer streaming on the same two cores
    /// keeps its speed while a library imports. The thread ends with the import, so no worker
    /// of the caller's pool is left running at the lower priority.
    pub fn import(
        &self,
        actor: &Actor,
        paths: &[PathBuf],
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_event: &mut (dyn FnMut(&ImportEvent) + Send),
    ) -> Result<ImportReport> {
        self.authorize(actor, access::Action::LibraryImport)?;
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("bedside-import".into())
                .spawn_scoped(scope, || {
                    lower_priority();
                    self.import_files(actor, paths, is_cancelled, on_event)
                })
                .map_err(|e| ClinicError::InvalidInput(format!("cannot start the import: {e}")))?
                .join()
                .unwrap_or_else(|_| {
                    Err(ClinicError::InvalidInput(
                        "the import stopped unexpectedly".into(),
                    ))
                })
        })
    }

    fn import_files(
        &self,
        actor: &Actor,
        paths: &[PathBuf],
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_event: &mut (dyn FnMut(&ImportEvent) + Send),
    ) -> Result<ImportReport> {
        let files = collect_files(paths);
        let total = files.len();
        on_event(&ImportEvent::Started { total });
        let mut report = ImportReport::default();
        let mut batch = self.index().batch()?;
        let mut pending: Vec<i64> = Vec::new();
        for (i, path) in files.iter().enumerate() {
            if is_cancelled() {
                report.cancelled = true;
                break;
            }
            let shown = path.display().to_string();
            let event = match self.import_one(actor, path, &mut batch) {
                Ok(Outcome::Imported(done)) => {
                    pending.push(done.document_id);
                    report.imported.push(done);
                    file_event(i, total, &shown, FileStatus::Imported, None)
                }
                Ok(Outcome::Duplicate) => {
                    report.skipped.push(Skipped {
                        path: shown.clone(),
                        reason: "duplicate".into(),
                    });
                    file_event(i, total, &shown, FileStatus::Skipped, None)
                }
                Err(e) => {
                    let failed = Failed {
                        path: shown.clone(),
                        code: e.code().to_string(),
                        message: e.to_string(),
                    };
                    let event = file_event(i, total, &shown, FileStatus::Failed, Some(&failed));
                    report.failed.push(failed);
                    event
                }
            };
            if pending.len() >= COMMIT_EVERY {
                batch = self.commit(actor, batch, &mut pending)?;
            }
            tracing::debug!(file = i + 1, total, "import step");
            on_event(&event);
        }
        self.commit_last(actor, batch, &mut pending)?;
        Ok(report)
    }

    fn commit<'a>(
        &'a self,
        actor: &Actor,
        batch: library::index::IndexBatch<'a>,
        pending: &mut Vec<i64>,
    ) -> Result<library::index::IndexBatch<'a>> {
        self.commit_last(actor, batch, pending)?;
        Ok(self.index().batch()?)
    }

    /// Commits the index; if that fails, the documents it would have made searchable are
    /// removed from the database too, so the two stay in step.
    fn commit_last(
        &self,
        actor: &Actor,
        batch: library::index::IndexBatch<'_>,
        pending: &mut Vec<i64>,
    ) -> Result<()> {
        if let Err(e) = batch.commit() {
            for id in pending.drain(..) {
                let removed = self.store().delete_document(id);
                let _ = self.store().audit(&entry(
                    Some(actor),
                    access::Action::LibraryImport.name(),
                    ("document", &id.to_string()),
                    store::Outcome::Failed,
                    serde_json::json!({"rolled_back": removed.is_ok(), "reason": "index_commit_failed"}),
                ));
            }
            return Err(e.into());
        }
        pending.clear();
        Ok(())
    }

    fn import_one(
        &self,
        actor: &Actor,
        path: &Path,
        batch: &mut library::index::IndexBatch<'_>,
    ) -> Result<Outcome> {
        if !path.exists() {
            return Err(LibraryError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            }
            .into());
        }
        if path.is_dir() {
            return Err(LibraryError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::other("a folder that cannot be read"),
            }
            .into());
        }
        let (format, bytes) = extract::read_file(path)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if self.store().document_by_hash(&sha256)?.is_some() {
            return Ok(Outcome::Duplicate);
        }
        let doc = extract::extract_bytes(&bytes, format, &extract::file_stem(path), path)?;
        drop(bytes);
        let mut chunks = chunk::chunk_document(&doc, &ChunkOptions::default());
        chunk::assign_ids(&sha256, &mut chunks);
        let file_name = extract::file_name(path);
        let source_path = path.display().to_string();
        // Changed content under the same file name and language is a new version of it.
        let previous = self.store().current_document(&file_name, doc.lang)?;
        let new_chunks: Vec<NewChunk<'_>> = chunks
            .iter()
            .map(|c| NewChunk {
                id: &c.id,
                ord: c.ord,
                section: &c.section,
                page: c.page,
                start_char: c.start_char,
                end_char: c.end_char,
                text: &c.text,
            })
            .collect();
        let document_id = self.store().insert_document_audited(
            &NewDocument {
                sha256: &sha256,
                file_name: &file_name,
                source_path: &source_path,
                title: &doc.title,
                lang: doc.lang,
                format: format.as_str(),
                text: &doc.text,
            },
            &new_chunks,
            previous.as_ref().map(|p| p.id),
            |id| {
                entry(
                    Some(actor),
                    access::Action::LibraryImport.name(),
                    ("document", &id.to_string()),
                    store::Outcome::Ok,
                    serde_json::json!({
                        "title": doc.title,
                        "chunks": new_chunks.len(),
                        "replaces": previous.as_ref().map(|p| p.id),
                    }),
                )
            },
        )?;
        if let Some(p) = &previous {
            batch.delete_document(p.id as u64);
        }
        for chunk in &chunks {
            let added = batch.add(&IndexedChunk {
                doc_id: document_id as u64,
                file_name: &file_name,
                title: &doc.title,
                chunk,
            });
            if let Err(e) = added {
                batch.delete_document(document_id as u64);
                let removed = self.store().delete_document(document_id);
                let _ = self.store().audit(&entry(
                    Some(actor),
                    access::Action::LibraryImport.name(),
                    ("document", &document_id.to_string()),
                    store::Outcome::Failed,
                    serde_json::json!({"rolled_back": removed.is_ok(), "reason": e.code()}),
                ));
                return Err(ClinicError::from(e));
            }
        }
        Ok(Outcome::Imported(Imported {
            path: source_path,
            document_id,
            title: doc.title,
            chunks: chunks.len(),
            replaces: previous.map(|p| p.id),
        }))
    }
}

enum Outcome {
    Imported(Imported),
    Duplicate,
}

fn file_event(
    i: usize,
    total: usize,
    path: &str,
    status: FileStatus,
    failed: Option<&Failed>,
) -> ImportEvent {
    ImportEvent::File {
        index: i + 1,
        total,
        path: path.to_string(),
        status,
        code: failed.map(|f| f.code.clone()),
        message: failed.map(|f| f.message.clone()),
    }
}

/// How much nicer than the rest of Bedside an import runs.
pub const IMPORT_NICE: i32 = 10;

/// Raises the calling thread's nice value by [`IMPORT_NICE`] (Linux: per thread). Best effort:
/// an import that cannot lower its priority still imports.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread (`who` = 0); no memory is shared.
    unsafe {
        let current = libc::getpriority(libc::PRIO_PROCESS, 0);
        if libc::setpriority(libc::PRIO_PROCESS, 0, current + IMPORT_NICE) != 0 {
            tracing::debug!("the import runs at normal priority");
        }
    }
}
