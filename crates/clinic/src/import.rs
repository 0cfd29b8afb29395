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

/// The imported files as they were, inside the data directory, named by content hash.
pub const ORIGINALS_DIR: &str = "originals";

/// Lock files of running jobs, inside the data directory.
const JOBS_DIR: &str = "import-jobs";

/// Files are committed to the index in groups: each commit costs a sync and a segment, and
/// a group bounds what a crash can leave unindexed (which `Clinic::open` then rebuilds).
const COMMIT_EVERY: usize = 25;

/// Progress of an import, streamed to the UI and the CLI as it happens.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ImportEvent {
    /// The job's files are known; a resumed job starts with some already done.
    Started {
        /// The job, for `bedside library resume` and the Library page.
        job_id: i64,
        /// Files in the job.
        total: usize,
        /// Files already tried in earlier runs of the job.
        done: usize,
        /// Bytes of all the job's files.
        bytes_total: u64,
    },
    /// One file is done.
    File {
        /// 1-based position of this file in the job.
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
        /// Its pages, for an imported PDF.
        #[serde(skip_serializing_if = "Option::is_none")]
        pages: Option<u32>,
        /// Pages of the PDFs imported by the job so far.
        pages_done: u64,
        /// Estimated seconds to the end of the job, from the bytes read so far in this run.
        #[serde(skip_serializing_if = "Option::is_none")]
        eta_s: Option<u64>,
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
    /// Pages, for a PDF.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
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

/// What one run of an import job did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// The job; a cancelled or interrupted job resumes by this id.
    pub job_id: i64,
    /// Files now searchable.
    pub imported: Vec<Imported>,
    /// Files whose content was already there.
    pub skipped: Vec<Skipped>,
    /// Files that could not be imported.
    pub failed: Vec<Failed>,
    /// True when the job was cancelled before the last file.
    pub cancelled: bool,
}

/// Where an import job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// A window or CLI is importing its files now.
    Running,
    /// Its runner stopped without finishing (closed, killed, power lost); it can resume.
    Interrupted,
    /// Cancelled by a user after some files; it can resume.
    Cancelled,
    /// Every file was tried.
    Done,
}

/// An import job, as the Library page and `bedside library jobs` list it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImportJob {
    /// Where it stands.
    pub state: JobState,
    /// The stored job and its counts.
    #[serde(flatten)]
    pub record: store::ImportJobRecord,
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
    /// Imports files and folders as a new job: [`Clinic::start_import`], then
    /// [`Clinic::resume_import`].
    pub fn import(
        &self,
        actor: &Actor,
        paths: &[PathBuf],
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_event: &mut (dyn FnMut(&ImportEvent) + Send),
    ) -> Result<ImportReport> {
        let job_id = self.start_import(actor, paths)?;
        self.resume_import(actor, job_id, is_cancelled, on_event)
    }

    /// Records a new import job: folders expanded, every file pending with its size. Nothing is
    /// read yet; the job survives a restart from here on.
    pub fn start_import(&self, actor: &Actor, paths: &[PathBuf]) -> Result<i64> {
        self.authorize(actor, access::Action::LibraryImport)?;
        let files: Vec<(String, u64)> = collect_files(paths)
            .into_iter()
            .map(|p| {
                let size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
                (p.display().to_string(), size)
            })
            .collect();
        let id = self.store().create_import_job(actor.username(), &files)?;
        self.store().audit(&entry(
            Some(actor),
            access::Action::LibraryImport.name(),
            ("import_job", &id.to_string()),
            store::Outcome::Ok,
            serde_json::json!({"files": files.len(), "started": true}),
        ))?;
        Ok(id)
    }

    /// Imports the files of a job that are still pending: a new job, or one that was cancelled
    /// or interrupted. `is_cancelled` is checked between files; `on_event` sees every step.
    /// Returns what this run did; only a failure of the index or database as a whole is an
    /// error, and it leaves the job resumable.
    ///
    /// The work runs on a thread of its own at a lower CPU priority (nice +10 on Linux), as do
    /// the indexing threads it starts: a clinician's answer streaming on the same two cores
    /// keeps its speed while a library imports. The thread ends with the import, so no worker
    /// of the caller's pool is left running at the lower priority.
    pub fn resume_import(
        &self,
        actor: &Actor,
        job_id: i64,
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_event: &mut (dyn FnMut(&ImportEvent) + Send),
    ) -> Result<ImportReport> {
        self.authorize(actor, access::Action::LibraryImport)?;
        let job = self.store().import_job(job_id)?;
        if job.pending == 0 {
            return Err(ClinicError::ImportFinished(job_id));
        }
        let _lock = self
            .lock_job(job_id)?
            .ok_or(ClinicError::ImportRunning(job_id))?;
        self.store().set_import_job_state(job_id, "running")?;
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("bedside-import".into())
                .spawn_scoped(scope, || {
                    lower_priority();
                    self.run_job(actor, job_id, is_cancelled, on_event)
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

    /// The latest import jobs, newest first, each with where it stands.
    pub fn import_jobs(&self, actor: &Actor, limit: usize) -> Result<Vec<ImportJob>> {
        self.authorize(actor, access::Action::LibraryImport)?;
        self.store()
            .import_jobs(limit)?
            .into_iter()
            .map(|record| {
                Ok(ImportJob {
                    state: self.job_state(&record)?,
                    record,
                })
            })
            .collect()
    }

    /// One job's files and what became of each.
    pub fn import_job_files(
        &self,
        actor: &Actor,
        job_id: i64,
    ) -> Result<Vec<store::JobFileRecord>> {
        self.authorize(actor, access::Action::LibraryImport)?;
        self.store().import_job(job_id)?;
        Ok(self.store().import_job_files(job_id)?)
    }

    fn job_state(&self, job: &store::ImportJobRecord) -> Result<JobState> {
        Ok(match job.state.as_str() {
            "done" => JobState::Done,
            "cancelled" => JobState::Cancelled,
            // `running` as last written: true only while a runner holds the job's lock.
            _ => match self.lock_job(job.id)? {
                Some(_) => JobState::Interrupted,
                None => JobState::Running,
            },
        })
    }

    /// Takes the lock a job's runner holds while it runs, or `None` when another runner (in
    /// this process or another) holds it. The operating system releases it when the process
    /// ends however it ends, which is how an interrupted job is told from a running one.
    fn lock_job(&self, job_id: i64) -> Result<Option<std::fs::File>> {
        let dir = self.data_dir().join(JOBS_DIR);
        let io = |e: std::io::Error| ClinicError::DataDir {
            path: dir.clone(),
            message: e.to_string(),
        };
        std::fs::create_dir_all(&dir).map_err(io)?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(format!("{job_id}.lock")))
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }

    fn run_job(
        &self,
        actor: &Actor,
        job_id: i64,
        is_cancelled: &(dyn Fn() -> bool + Sync),
        on_event: &mut (dyn FnMut(&ImportEvent) + Send),
    ) -> Result<ImportReport> {
        let files = self.store().import_job_files(job_id)?;
        let total = files.len();
        let done = files.iter().filter(|f| f.status != "pending").count();
        let bytes_total: u64 = files.iter().map(|f| f.bytes.max(0) as u64).sum();
        let mut pages_done: u64 = files
            .iter()
            .filter_map(|f| f.pages)
            .map(|p| p.max(0) as u64)
            .sum();
        let mut bytes_left: u64 = files
            .iter()
            .filter(|f| f.status == "pending")
            .map(|f| f.bytes.max(0) as u64)
            .sum();
        on_event(&ImportEvent::Started {
            job_id,
            total,
            done,
            bytes_total,
        });
        let mut report = ImportReport {
            job_id,
            ..ImportReport::default()
        };
        let started = std::time::Instant::now();
        let mut bytes_read: u64 = 0;
        let mut batch = self.index().batch()?;
        let mut pending: Vec<i64> = Vec::new();
        for file in files.iter().filter(|f| f.status == "pending") {
            if is_cancelled() {
                report.cancelled = true;
                break;
            }
            let path = PathBuf::from(&file.path);
            let (status, failed, pages) = match self.import_one(actor, &path, &mut batch, None) {
                Ok(Outcome::Imported(done)) => {
                    self.store().record_job_file(
                        job_id,
                        file.ord,
                        store::FileOutcome::Imported {
                            document_id: done.document_id,
                            pages: done.pages,
                            chunks: done.chunks,
                        },
                    )?;
                    pending.push(done.document_id);
                    let pages = done.pages;
                    report.imported.push(done);
                    (FileStatus::Imported, None, pages)
                }
                Ok(Outcome::Duplicate) => {
                    self.store().record_job_file(
                        job_id,
                        file.ord,
                        store::FileOutcome::Skipped { code: "duplicate" },
                    )?;
                    report.skipped.push(Skipped {
                        path: file.path.clone(),
                        reason: "duplicate".into(),
                    });
                    (FileStatus::Skipped, None, None)
                }
                Err(e) if !is_file_fault(&e) => {
                    // The library itself failed (a full disk under the index, the database):
                    // every later file would fail the same way, and none of it is theirs. The
                    // job stops with this file and the rest still pending, to be resumed once
                    // the fault is fixed; what the batch holds is committed or rolled back.
                    let _ = self.commit_last(actor, batch, &mut pending);
                    return Err(e);
                }
                Err(e) => {
                    let failed = Failed {
                        path: file.path.clone(),
                        code: e.code().to_string(),
                        message: e.to_string(),
                    };
                    self.store().record_job_file(
                        job_id,
                        file.ord,
                        store::FileOutcome::Failed {
                            code: &failed.code,
                            message: &failed.message,
                        },
                    )?;
                    report.failed.push(failed.clone());
                    (FileStatus::Failed, Some(failed), None)
                }
            };
            if pending.len() >= COMMIT_EVERY {
                batch = self.commit(actor, batch, &mut pending)?;
            }
            let size = file.bytes.max(0) as u64;
            bytes_read += size;
            bytes_left = bytes_left.saturating_sub(size);
            pages_done += u64::from(pages.unwrap_or(0));
            tracing::debug!(file = file.ord + 1, total, "import step");
            on_event(&ImportEvent::File {
                index: file.ord as usize + 1,
                total,
                path: file.path.clone(),
                status,
                code: failed.as_ref().map(|f| f.code.clone()),
                message: failed.map(|f| f.message),
                pages,
                pages_done,
                eta_s: eta(started.elapsed(), bytes_read, bytes_left),
            });
        }
        self.commit_last(actor, batch, &mut pending)?;
        let state = if report.cancelled {
            "cancelled"
        } else {
            "done"
        };
        self.store().set_import_job_state(job_id, state)?;
        if state == "done" {
            // Nobody resumes a finished job; its lock file has no more use.
            let _ = std::fs::remove_file(
                self.data_dir()
                    .join(JOBS_DIR)
                    .join(format!("{job_id}.lock")),
            );
        }
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
    /// removed from the database too, so the two stay in step, and their files are pending
    /// again in their job.
    fn commit_last(
        &self,
        actor: &Actor,
        batch: library::index::IndexBatch<'_>,
        pending: &mut Vec<i64>,
    ) -> Result<()> {
        if let Err(e) = batch.commit() {
            // Their job files go back to pending, so that resuming the job imports them again.
            let _ = self.store().release_job_documents(pending);
            for id in pending.drain(..) {
                // Its original file goes with it, so nothing is left that no document owns.
                if let Ok(doc) = self.store().document(id) {
                    let _ = std::fs::remove_file(self.original_path(&doc.sha256, &doc.format));
                }
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

    /// Imports `path` as the next version of document `id`, whatever the file is called: a
    /// guideline whose new edition came with a new file name. The old version is kept,
    /// superseded, as with a changed file under the same name.
    pub fn replace_document(&self, actor: &Actor, id: i64, path: &Path) -> Result<Imported> {
        self.authorize(actor, access::Action::LibraryImport)?;
        let target = self.store().document(id)?;
        if let Some(newer) = target.superseded_by {
            return Err(ClinicError::InvalidInput(format!(
                "document {id} was already replaced by {newer}; replace the current version"
            )));
        }
        let mut batch = self.index().batch()?;
        match self.import_one(actor, path, &mut batch, Some(target))? {
            Outcome::Imported(done) => {
                self.commit_last(actor, batch, &mut vec![done.document_id])?;
                Ok(done)
            }
            Outcome::Duplicate => Err(store::StoreError::Conflict {
                what: "document with this content",
                id: path.display().to_string(),
            }
            .into()),
        }
    }

    /// Imports one file; `replaces` names the document it is a new version of, else one is
    /// looked up by file name and language.
    fn import_one(
        &self,
        actor: &Actor,
        path: &Path,
        batch: &mut library::index::IndexBatch<'_>,
        replaces: Option<store::DocumentRecord>,
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
        self.keep_original(&sha256, format, &bytes)?;
        drop(bytes);
        let mut chunks = chunk::chunk_document(&doc, &ChunkOptions::default());
        chunk::assign_ids(&sha256, &mut chunks);
        let page_starts = char_offsets(&doc.text, &doc.page_starts);
        let file_name = extract::file_name(path);
        let source_path = path.display().to_string();
        // Changed content under the same file name and language is a new version of it.
        let previous = match replaces {
            Some(target) => Some(target),
            None => self.store().current_document(&file_name, doc.lang)?,
        };
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
                page_starts: &page_starts,
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
                let _ = std::fs::remove_file(self.original_path(&sha256, format.as_str()));
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
            pages: doc.pages(),
            title: doc.title,
            chunks: chunks.len(),
            replaces: previous.map(|p| p.id),
        }))
    }
}

/// Whether an import error lies with the file (unreadable, damaged, unsupported, without
/// text), so the job records it against that file and goes on. Any other error is the
/// library's own and stops the job.
fn is_file_fault(e: &ClinicError) -> bool {
    match e {
        ClinicError::Library(l) => !matches!(
            l,
            LibraryError::Index(_) | LibraryError::IndexDir { .. } | LibraryError::Query(_)
        ),
        _ => false,
    }
}

enum Outcome {
    Imported(Imported),
    Duplicate,
}

impl Clinic {
    /// Where the original file of a document with this content hash is kept.
    pub fn original_path(&self, sha256: &str, format: &str) -> PathBuf {
        let ext = match format {
            "markdown" => "md",
            "text" => "txt",
            other => other,
        };
        self.data_dir()
            .join(ORIGINALS_DIR)
            .join(format!("{sha256}.{ext}"))
    }

    /// Keeps the file as it was imported, so that a better extractor can read it again later
    /// without anyone having to find the file a second time. Written to a temporary name and
    /// renamed, so a crash never leaves half a file under the final name.
    fn keep_original(&self, sha256: &str, format: extract::Format, bytes: &[u8]) -> Result<()> {
        let path = self.original_path(sha256, format.as_str());
        // The data folder failing (full, read-only) is not the file's fault: it stops the job.
        let io = |e: std::io::Error| ClinicError::DataDir {
            path: path.clone(),
            message: e.to_string(),
        };
        let dir = path.parent().unwrap_or(self.data_dir());
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = path.with_extension("partial");
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            std::io::Write::write_all(&mut f, bytes)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &path)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        Ok(())
    }
}

/// Byte offsets in `text` as character offsets, the unit citations and the viewer use.
fn char_offsets(text: &str, bytes: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut chars, mut at) = (0usize, 0usize);
    for &b in bytes {
        chars += text[at..b.min(text.len())].chars().count();
        at = b.min(text.len());
        out.push(chars);
    }
    out
}

/// Seconds left at the pace of this run so far; none until some bytes are read.
fn eta(elapsed: std::time::Duration, bytes_read: u64, bytes_left: u64) -> Option<u64> {
    if bytes_read == 0 {
        return None;
    }
    let per_byte = elapsed.as_secs_f64() / bytes_read as f64;
    Some((per_byte * bytes_left as f64).ceil() as u64)
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
