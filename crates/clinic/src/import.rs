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
    /// Passages embedded for search by meaning, after the files: the job's last step.
    Embedding {
        /// Passages of current documents with a vector.
        embedded: i64,
        /// Passages of current documents.
        total: i64,
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

/// Expands folders (recursively, hidden entries skipped, sorted) into the files to import, as
/// [`Clinic::start_import`] lists them in a job.
///
/// Symbolic links are followed only where they stay inside the folder chosen (for a file
/// named directly, the folder that holds it): such a link is listed as the real file it leads
/// to, so the job names no link; a link to a folder inside is not walked again, its files being
/// listed where they are. A link leading out is listed as itself, and the import refuses it
/// by name ([`ClinicError::LinkOutsideFolder`]), as it refuses a path that has become a link
/// since. Paths that do not exist, and folders that cannot be read, are kept so that they are
/// reported as failures rather than silently dropped.
pub fn collect_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    plan_files(paths, None)
}

/// Bedside's own files, which an import never reads: the data directory and the key file,
/// as the system resolves them.
struct OwnData {
    data_dir: Option<PathBuf>,
    key_file: Option<PathBuf>,
}

impl OwnData {
    fn holds(&self, real: &Path) -> bool {
        self.data_dir
            .as_deref()
            .is_some_and(|d| real.starts_with(d))
            || self.key_file.as_deref() == Some(real)
    }
}

/// [`collect_files`]; with `own`, Bedside's own data (a folder met on the way, a link into it,
/// the data folder or key file named directly) is listed as itself, to be refused by name,
/// and nothing in it is walked.
fn plan_files(paths: &[PathBuf], own: Option<&OwnData>) -> Vec<PathBuf> {
    let own_holds = |p: &Path| own.is_some_and(|o| o.holds(p));
    let mut files = Vec::new();
    for path in paths {
        // The folder chosen is taken where it really is (the person chose it, links and all);
        // what is inside it must stay inside it.
        let Ok(real) = path.canonicalize() else {
            files.push(path.clone());
            continue;
        };
        if own_holds(&real) {
            // Refused by the name it was given.
            files.push(path.clone());
            continue;
        }
        if !real.is_dir() {
            files.push(named_file(path, real));
            continue;
        }
        // A folder chosen through a link leading out of the folder that holds it is refused
        // like such a file: a `Guidelines` link on a stick pointing at someone's home folder
        // must not make that home folder searchable.
        let named = named_file(path, real.clone());
        if named != real {
            files.push(named);
            continue;
        }
        let mut found: Vec<PathBuf> = Vec::new();
        let mut walk = walkdir::WalkDir::new(&real)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.extend(e.path().map(Path::to_path_buf));
                    continue;
                }
            };
            let kind = entry.file_type();
            if kind.is_dir() {
                if own_holds(entry.path()) {
                    found.push(entry.into_path());
                    walk.skip_current_dir();
                }
            } else if kind.is_file() {
                found.push(entry.into_path());
            } else if kind.is_symlink() {
                match entry.path().canonicalize() {
                    // Inside: the file it leads to; a folder inside is walked where it is.
                    Ok(target) if target.starts_with(&real) && !own_holds(&target) => {
                        if !target.is_dir() {
                            found.push(target);
                        }
                    }
                    // Outside, into Bedside's own data, or dangling: listed as the link,
                    // refused or failed by name.
                    _ => found.push(entry.into_path()),
                }
            }
        }
        found.sort();
        found.dedup();
        files.extend(found);
    }
    files
}

/// A file named directly, whose real place is `real`: that place, unless the file itself is a
/// link leading out of the folder that holds it, which is kept as given so that it is refused
/// by name.
fn named_file(path: &Path, real: PathBuf) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return real;
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize(),
        _ => std::env::current_dir(),
    };
    match folder {
        Ok(folder) if real.starts_with(&folder) => real,
        _ => path.to_path_buf(),
    }
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
        let own = self.own_data();
        let files: Vec<(String, u64)> = plan_files(paths, Some(&own))
            .into_iter()
            .map(|p| {
                // The link's own size for a link that will be refused: nothing is read of
                // what it leads to.
                let size = std::fs::symlink_metadata(&p).map(|m| m.len()).unwrap_or(0);
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
    /// or interrupted. `is_cancelled` is checked between files and, inside a PDF, between its
    /// pages (the file it stops in stays pending); `on_event` sees every step. Each file's
    /// path is checked again before it is read: one that has become a link out of its folder
    /// since the job was made is refused.
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
        let own = self.own_data();
        for file in files.iter().filter(|f| f.status == "pending") {
            if is_cancelled() {
                report.cancelled = true;
                break;
            }
            let path = PathBuf::from(&file.path);
            let read = Reading {
                own: &own,
                is_cancelled,
            };
            let (status, failed, pages) =
                match self.import_one(actor, &path, &mut batch, None, &read) {
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
                    // Cancelled inside the file: nothing of it was kept, and it stays pending for the
                    // job's resume.
                    Err(ClinicError::Library(LibraryError::Cancelled { .. })) => {
                        report.cancelled = true;
                        break;
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
        // Which documents are current may have changed (a new version supersedes its
        // predecessor): the vectors in memory are read again at the next search.
        self.forget_vectors();
        if !report.cancelled {
            // Meaning search for the new passages. A failure here loses no import: the
            // passages are searchable by their words, and the next import or start embeds them.
            if let Err(e) = self.embed_library(is_cancelled, &mut |p| {
                on_event(&ImportEvent::Embedding {
                    embedded: p.embedded,
                    total: p.total,
                })
            }) {
                tracing::warn!(code = e.code(), "embedding the new passages failed: {e}");
            }
        }
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
        let own = self.own_data();
        let path = &named_file(
            path,
            path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        );
        let read = Reading {
            own: &own,
            is_cancelled: &|| false,
        };
        let mut batch = self.index().batch()?;
        match self.import_one(actor, path, &mut batch, Some(target), &read)? {
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
        read: &Reading<'_>,
    ) -> Result<Outcome> {
        let file = open_checked(path, read.own)?;
        let (format, bytes) = extract::read_open_file(path, file)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if self.store().document_by_hash(&sha256)?.is_some() {
            return Ok(Outcome::Duplicate);
        }
        let limits = library::pdf::Limits {
            max_bytes: library::pdf::MAX_DOCUMENT_BYTES,
            is_cancelled: read.is_cancelled,
        };
        let doc =
            extract::extract_bytes_with(&bytes, format, &extract::file_stem(path), path, &limits)?;
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

/// What reading one file of an import needs besides its path.
struct Reading<'a> {
    /// Bedside's own files, never read.
    own: &'a OwnData,
    /// The job's cancel, checked inside a long file.
    is_cancelled: &'a (dyn Fn() -> bool + Sync),
}

/// Opens a file of an import for reading, refusing what it must not read: a path that leads
/// through a link (a job lists every file it accepted where it really is, so a link there was
/// refused when the job was made, or appeared since), and Bedside's own data. The checks are
/// made on the path, and again on the file actually opened, so a link swapped in between the
/// two is caught too.
fn open_checked(path: &Path, own: &OwnData) -> Result<std::fs::File> {
    let io = |source: std::io::Error| -> ClinicError {
        LibraryError::Io {
            path: path.to_path_buf(),
            source,
        }
        .into()
    };
    if !path.exists() {
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        )));
    }
    let real = path.canonicalize().map_err(io)?;
    if own.holds(&real) {
        return Err(ClinicError::InDataDir {
            path: path.to_path_buf(),
        });
    }
    if real != path {
        return Err(ClinicError::LinkOutsideFolder {
            path: path.to_path_buf(),
            target: real,
        });
    }
    if real.is_dir() {
        return Err(io(std::io::Error::other("a folder that cannot be read")));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // No link as the last step, and no wait on a pipe put in the file's place.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        &mut options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK,
    );
    let file = options.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc::ELOOP) {
            ClinicError::LinkOutsideFolder {
                path: path.to_path_buf(),
                target: real.clone(),
            }
        } else {
            io(e)
        }
    })?;
    // Where the file opened really is: a folder on the way swapped for a link after the
    // check above shows here.
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(opened) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            if opened != real {
                return Err(if own.holds(&opened) {
                    ClinicError::InDataDir {
                        path: path.to_path_buf(),
                    }
                } else {
                    ClinicError::LinkOutsideFolder {
                        path: path.to_path_buf(),
                        target: opened,
                    }
                });
            }
        }
    }
    Ok(file)
}

/// Whether an import error lies with the file (unreadable, damaged, unsupported, without
/// text, refused), so the job records it against that file and goes on. Any other error is
/// the library's own and stops the job.
fn is_file_fault(e: &ClinicError) -> bool {
    match e {
        ClinicError::Library(l) => !matches!(
            l,
            LibraryError::Index(_) | LibraryError::IndexDir { .. } | LibraryError::Query(_)
        ),
        ClinicError::LinkOutsideFolder { .. } | ClinicError::InDataDir { .. } => true,
        _ => false,
    }
}

enum Outcome {
    Imported(Imported),
    Duplicate,
}

impl Clinic {
    /// Bedside's own files as the system resolves them: the data directory and the key file.
    fn own_data(&self) -> OwnData {
        OwnData {
            data_dir: self.data_dir().canonicalize().ok(),
            key_file: crate::keys::key_file(self.data_dir()).and_then(|k| k.canonicalize().ok()),
        }
    }

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
pub(crate) fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread (`who` = 0); no memory is shared.
    unsafe {
        let current = libc::getpriority(libc::PRIO_PROCESS, 0);
        if libc::setpriority(libc::PRIO_PROCESS, 0, current + IMPORT_NICE) != 0 {
            tracing::debug!("the import runs at normal priority");
        }
    }
}
