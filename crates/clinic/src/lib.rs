//! Bedside's workflows, composed from the store, the guideline library and a model engine.
//!
//! The desktop shell and the `bedside` CLI are two front doors onto this crate: both open a
//! [`Clinic`] on a data directory and call its workflows, so what the tests prove through the
//! CLI is what the window does. Here: accounts and the role check ([`auth`]), admin work on the
//! audit log, settings and backups ([`admin`]), guideline import ([`import`]), the grounded ask
//! chain ([`ask`]): retrieve → prompt → stream → cite, retrieval evaluation ([`eval`]), and the
//! computed triage grades ([`triage`]).
//!
//! Every workflow that touches data takes the [`auth::Actor`] doing it and starts with
//! [`Clinic::authorize`], so the policy holds whichever door the call came through.
#![deny(missing_docs)]

pub mod admin;
pub mod ask;
pub mod auth;
pub mod bench;
pub mod conversation;
pub mod encounters;
pub mod error;
pub mod eval;
pub mod fhir;
pub mod import;
pub mod integrity;
pub mod keys;
pub mod models;
pub mod prompts;
pub mod retrieval;
pub mod triage;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use access::Action;
use library::glossary::Glossary;
use library::index::{GuidelineIndex, IndexedChunk};
use serde_json::json;
use store::{Key, Outcome, Store};

pub use access::{self, AccessError, Role};
pub use auth::{Actor, NewAccount};

pub use error::{ClinicError, ErrorPayload, Result};
pub use integrity::AuditCheck;
pub use library::index::Hit;
pub use store::ChunkRecord;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "bedside.db";
/// Folder of the search index inside the data directory.
pub const INDEX_DIR: &str = "index";

/// A guideline document as the viewer shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocumentView {
    /// Its record: title, file, format, version, pages.
    pub document: store::DocumentRecord,
    /// The extracted text that passages' character offsets point into.
    pub text: String,
    /// Character offset where each page starts (PDF); empty for formats without pages.
    pub page_starts: Vec<i64>,
}

/// An open data directory: the database and the search index that mirrors it.
#[derive(Clone)]
pub struct Clinic {
    data_dir: PathBuf,
    store: Arc<Store>,
    index: Arc<GuidelineIndex>,
    glossary: Arc<Glossary>,
    /// Where the audit chain's head is written down, outside the data directory.
    head_file: store::HeadFile,
    /// The embedding model and the passages' vectors.
    semantic: Arc<retrieval::Semantic>,
}

/// The hospital's own glossary terms, beside the database; see `assets/glossary/zh-en.tsv`.
pub const GLOSSARY_FILE: &str = "glossary.tsv";

/// The glossary must carry at least this share of a question's topic words, and at least
/// [`CROSS_MIN_TERMS`] of its terms, for the translated search to run: "the dose of vorpal"
/// carries over as "剂量" alone, which any Chinese guideline on any drug matches, and a
/// made-up drug must still be declined.
const CROSS_MIN_COMPLETENESS: f32 = 0.4;
/// See [`CROSS_MIN_COMPLETENESS`].
const CROSS_MIN_TERMS: usize = 2;

/// The built-in glossary plus the hospital's file, if there is one. A bad line is skipped and
/// counted in the log (the terms themselves are guideline words, but the log stays terse).
fn load_glossary(data_dir: &Path) -> Glossary {
    let mut glossary = Glossary::built_in();
    if let Ok(text) = std::fs::read_to_string(data_dir.join(GLOSSARY_FILE)) {
        let errors = glossary.extend_from(&text);
        if let Some(first) = errors.first() {
            tracing::warn!(
                lines = errors.len(),
                first = first.line,
                "glossary lines skipped"
            );
        }
    }
    glossary
}

fn best_coverage(hits: &[Hit]) -> f32 {
    hits.iter().map(|h| h.coverage).fold(0.0, f32::max)
}

fn is_lock_busy(e: &library::TantivyError) -> bool {
    matches!(e, library::TantivyError::LockFailure(..))
}

/// Creates the data directory if it is missing and makes it private to its owner (mode 0700
/// on Unix), tightening one that is already there. It holds the database, the key file, the
/// originals of imported files and whatever backups an admin leaves beside them; with the
/// default umask anyone with an account on the workstation could list it and read every file
/// in it that is not private on its own. The window, the CLI and [`Clinic::open`] all call it.
pub fn create_data_dir(path: &Path) -> Result<()> {
    let err = |e: std::io::Error| ClinicError::DataDir {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(path)
            .map_err(err)?;
        let mode = std::fs::metadata(path).map_err(err)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(
                |e| ClinicError::DataDir {
                    path: path.to_path_buf(),
                    message: format!("cannot make it private to its owner (chmod 700): {e}"),
                },
            )?;
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(path).map_err(err)?;
    Ok(())
}

impl Clinic {
    /// Opens (or creates) the data directory. If the index disagrees with the database (a crash
    /// between the two writes, or a deleted index folder), it is rebuilt from the database,
    /// which is the source of truth.
    pub fn open(data_dir: &Path, key: &Key) -> Result<Clinic> {
        create_data_dir(data_dir)?;
        let store = Store::open(&data_dir.join(DB_FILE), key)?;
        let index_dir = data_dir.join(INDEX_DIR);
        let (index, damaged) = match GuidelineIndex::open_or_create(&index_dir) {
            Ok(index) => (index, false),
            // A damaged index or one from another schema: the database is the source of
            // truth, so set the old index aside (never delete it) and build a new one.
            Err(library::LibraryError::Index(_)) => {
                let aside = data_dir.join(format!("{INDEX_DIR}.unreadable-{}", std::process::id()));
                std::fs::rename(&index_dir, &aside).map_err(|e| ClinicError::DataDir {
                    path: index_dir.clone(),
                    message: format!("the index is unreadable and cannot be moved aside: {e}"),
                })?;
                (GuidelineIndex::open_or_create(&index_dir)?, true)
            }
            Err(e) => return Err(e.into()),
        };
        let clinic = Clinic {
            data_dir: data_dir.to_path_buf(),
            store: Arc::new(store),
            index: Arc::new(index),
            glossary: Arc::new(load_glossary(data_dir)),
            head_file: store::HeadFile::beside(data_dir),
            semantic: Arc::default(),
        };
        if damaged || clinic.index.num_chunks() != clinic.store.chunk_count()? as u64 {
            match clinic.rebuild_index() {
                Ok(_) => {}
                // Another process (an import) holds the index writer: the counts differ
                // because it is mid-job, and it will bring the index up to date itself.
                Err(ClinicError::Library(library::LibraryError::Index(e))) if is_lock_busy(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(clinic)
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Searches the imported guidelines. Guideline text is not patient data, so searches are
    /// not audited.
    pub fn search(&self, actor: &Actor, query: &str, limit: usize) -> Result<Vec<Hit>> {
        self.authorize(actor, Action::LibrarySearch)?;
        self.find(query, limit)
    }

    /// A passage by id, as a citation opens it.
    pub fn chunk(&self, actor: &Actor, chunk_id: &str) -> Result<store::ChunkRecord> {
        self.authorize(actor, Action::LibrarySearch)?;
        Ok(self.store.chunk(chunk_id)?)
    }

    /// A document's whole text with its page starts, for the viewer a citation opens: the
    /// passage is shown in place, among the text around it, with its page.
    pub fn document_view(&self, actor: &Actor, id: i64) -> Result<DocumentView> {
        self.authorize(actor, Action::LibrarySearch)?;
        Ok(DocumentView {
            document: self.store.document(id)?,
            text: self.store.document_text(id)?,
            page_starts: self.store.page_starts(id)?,
        })
    }

    /// The guideline documents, newest first, superseded versions included (marked).
    pub fn documents(&self, actor: &Actor) -> Result<Vec<store::DocumentRecord>> {
        self.authorize(actor, Action::LibrarySearch)?;
        Ok(self.store.documents()?)
    }

    /// Deletes a document (admin only): out of the index and the database. When it was a newer
    /// version, the version it replaced becomes current and searchable again.
    pub fn delete_document(&self, actor: &Actor, id: i64) -> Result<()> {
        self.authorize(actor, Action::LibraryImport)?;
        let doc = self.store.document(id)?;
        // Only deleting the current version brings the one before it back into search.
        let previous = match doc.superseded_by {
            None => self.store.previous_version(id)?,
            Some(_) => None,
        };
        let mut batch = self.index.batch()?;
        batch.delete_document(id as u64);
        self.store.delete_document_audited(
            id,
            &auth::entry(
                Some(actor),
                "library_delete",
                ("document", &id.to_string()),
                Outcome::Ok,
                json!({"title": doc.title, "version": doc.version, "restores": previous}),
            ),
        )?;
        // The original goes with its document (another version has its own, by its hash).
        let _ = std::fs::remove_file(self.original_path(&doc.sha256, &doc.format));
        if let Some(prev) = previous {
            for c in self.store.chunks_of(prev)? {
                let chunk = library::chunk::Chunk {
                    id: c.chunk_id,
                    ord: 0,
                    section: c.section,
                    page: c.page,
                    start_char: c.start_char as usize,
                    end_char: c.end_char as usize,
                    text: c.text,
                };
                batch.add(&IndexedChunk {
                    doc_id: prev as u64,
                    file_name: &c.file_name,
                    title: &c.title,
                    chunk: &chunk,
                })?;
            }
        }
        if batch.commit().is_err() {
            // The database is right; bring the index back in step with it.
            tracing::warn!("index commit after a delete failed; rebuilding");
            self.rebuild_index()?;
        }
        self.forget_vectors();
        Ok(())
    }

    /// Rebuilds the search index from the database (admin only); returns the passages indexed.
    pub fn rebuild(&self, actor: &Actor) -> Result<u64> {
        self.authorize(actor, Action::LibraryRebuild)?;
        let n = self.rebuild_index()?;
        self.store.audit(&auth::entry(
            Some(actor),
            Action::LibraryRebuild.name(),
            ("index", ""),
            Outcome::Ok,
            json!({"passages": n}),
        ))?;
        Ok(n)
    }

    /// Empties the index and fills it again from the passages stored in the database.
    /// Returns the number of passages indexed.
    pub(crate) fn rebuild_index(&self) -> Result<u64> {
        let mut batch = self.index.batch()?;
        batch.delete_all()?;
        let mut n = 0u64;
        self.store.for_each_chunk(|c| -> Result<()> {
            let chunk = library::chunk::Chunk {
                id: c.chunk_id,
                ord: 0,
                section: c.section,
                page: c.page,
                start_char: c.start_char as usize,
                end_char: c.end_char as usize,
                text: c.text,
            };
            batch.add(&IndexedChunk {
                doc_id: c.document_id as u64,
                file_name: &c.file_name,
                title: &c.title,
                chunk: &chunk,
            })?;
            n += 1;
            Ok(())
        })?;
        batch.commit()?;
        Ok(n)
    }

    /// Number of searchable passages.
    pub fn indexed_chunks(&self) -> u64 {
        self.index.num_chunks()
    }

    fn index(&self) -> &GuidelineIndex {
        &self.index
    }
}
