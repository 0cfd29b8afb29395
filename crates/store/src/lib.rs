//! Bedside's durable memory: one SQLite file holding guideline documents and their passages,
//! the users, every answer shown with what produced it, and the audit trail.
//!
//! The file is encrypted at rest with SQLCipher ([`Key`]): a stolen disk or backup reveals
//! nothing without the passphrase or key file, and a page changed outside Bedside fails its
//! authentication code and is reported as [`StoreError::Tampered`], never read as good data.
//! Clinical writes must survive a crash of anything else on the workstation, so the database
//! runs in WAL mode with `synchronous=FULL`, and schema changes are forward-only numbered
//! migrations applied in one transaction each ([`migrations`]).
//!
//! ```no_run
//! let key = store::Key::new_passphrase("correct horse battery").unwrap();
//! let store = store::Store::open(std::path::Path::new("bedside.db"), &key).unwrap();
//! assert_eq!(store.document_count().unwrap(), 0);
//! ```
#![deny(missing_docs)]

mod answers;
pub mod audit;
pub mod audit_head;
mod backup;
pub mod bench;
mod conversations;
pub use backup::SnapshotReport;
mod documents;
pub mod encounters;
pub mod error;
pub mod fts_baseline;
pub mod import_jobs;
mod key;
pub mod migrations;
mod models;
mod settings;
pub mod users;
mod vectors;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

pub use answers::{AnswerRecord, NewAnswer};
pub use audit::{AuditEntry, AuditFilter, AuditRecord, ChainReport, Outcome};
pub use audit_head::{HeadCheck, HeadFile, HeadMark};
pub use conversations::{ConversationRecord, SummaryRecord, TurnRecord};
pub use documents::{ChunkRecord, DocumentRecord, NewChunk, NewDocument};
pub use encounters::{
    EncounterRecord, KeptAssessment, NewEncounter, NewObservation, NewPatient, ObservationRecord,
    RecordCheck, RecordRef,
};
pub use error::{Result, StoreError};
pub use import_jobs::{FileOutcome, ImportJobRecord, JobFileRecord};
pub use key::{Key, MIN_PASSPHRASE_CHARS};
pub use models::{ModelRecord, NewModel, TaskSetting};
pub use users::{NewUser, UserRecord};
pub use vectors::{EmbeddingProgress, NewVector, PassageVector};

/// The database. Cheap to share behind an `Arc`; calls are serialised on one connection, which
/// is what SQLite does for writers anyway.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    /// Kept to open snapshots for backup and restore with the same key.
    key: Key,
}

/// What every SQLite file starts with when it is not encrypted.
const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens (or creates) the encrypted database and brings its schema up to date. A database
    /// left unencrypted by an earlier Bedside is encrypted in place first.
    pub fn open(path: &Path, key: &Key) -> Result<Store> {
        // SQLCipher treats an empty key as "no encryption": never let that happen by accident.
        if matches!(key, Key::Passphrase(p) if p.is_empty()) {
            return Err(StoreError::WeakPassphrase {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        // No passphrase made by `Key::new_passphrase` has control characters, and a NUL would
        // cut the key statement short (the error would quote the statement, key and all).
        if matches!(key, Key::Passphrase(p) if p.chars().any(char::is_control)) {
            return Err(StoreError::CannotDecrypt {
                path: path.to_path_buf(),
            });
        }
        Store::open_with(path, Some(key))
    }

    /// Opens with `key`, or unencrypted with `None` (only the benchmark's baseline does that).
    fn open_with(path: &Path, key: Option<&Key>) -> Result<Store> {
        let open_err = |message: String| StoreError::Open {
            path: path.to_path_buf(),
            message,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_err(e.to_string()))?;
        }
        if let Some(key) = key {
            if is_plaintext(path).map_err(|e| open_err(e.to_string()))? {
                encrypt_in_place(path, key)?;
            }
        }
        let mut conn = Connection::open(path).map_err(|e| open_err(e.to_string()))?;
        match key {
            Some(key) => unlock(&conn, key, path)?,
            None => check_pages(&conn, path)?,
        }
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::apply(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            // An unencrypted store exists only inside `bench`, which never backs it up.
            key: key.cloned().unwrap_or(Key::Raw([0; 32])),
        })
    }

    /// Whether `path` holds an unencrypted database from a Bedside older than encryption; it
    /// is encrypted with whatever key opens it next.
    pub fn is_unencrypted(path: &Path) -> bool {
        is_plaintext(path).unwrap_or(false)
    }

    /// Whether a database file exists at `path` (a first run has none).
    pub fn exists(path: &Path) -> bool {
        path.metadata().map(|m| m.len() > 0).unwrap_or(false)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Checks every page's authentication code and SQLite's own structure. Cheap enough to
    /// run at every start (see docs/benchmarks.md).
    pub fn check_integrity(&self) -> Result<()> {
        check_pages(&self.conn(), &self.path)
    }
}

fn is_plaintext(path: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut f) => Ok(f.read_exact(&mut header).is_ok() && &header == PLAINTEXT_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives the connection its key and proves it is the right one by reading the schema, then
/// checks the pages. Nothing else may run on the connection before this.
fn unlock(conn: &Connection, key: &Key, path: &Path) -> Result<()> {
    // Any error here would quote the statement, and so the key: report none of it.
    conn.execute_batch(&format!("PRAGMA key = {};", key.sql_literal()))
        .map_err(|_| StoreError::CannotDecrypt {
            path: path.to_path_buf(),
        })?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(
                e.code,
                rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
            ) =>
        {
            return Err(StoreError::CannotDecrypt {
                path: path.to_path_buf(),
            })
        }
        Err(e) => return Err(e.into()),
    }
    check_pages(conn, path)
}

/// `PRAGMA cipher_integrity_check` verifies each page's HMAC; `quick_check` verifies the
/// b-trees. Either reporting anything means the file cannot be trusted.
fn check_pages(conn: &Connection, path: &Path) -> Result<()> {
    let tampered = |detail: String| StoreError::Tampered {
        path: path.to_path_buf(),
        detail,
    };
    let rows = |sql: &str| -> Result<Vec<String>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<Vec<_>, _>>();
        match rows {
            Ok(r) => Ok(r),
            Err(rusqlite::Error::SqliteFailure(e, msg))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
                ) =>
            {
                Err(tampered(msg.unwrap_or_else(|| e.to_string())))
            }
            Err(e) => Err(e.into()),
        }
    };
    let problems = rows("PRAGMA cipher_integrity_check")?;
    if !problems.is_empty() {
        return Err(tampered(problems.join("; ")));
    }
    let quick = rows("PRAGMA quick_check")?;
    if quick != ["ok"] {
        return Err(tampered(quick.join("; ")));
    }
    Ok(())
}

/// Encrypts a plaintext database from an earlier Bedside: exports it into a new encrypted
/// file beside it, then swaps the files. A crash midway leaves the plaintext file intact.
fn encrypt_in_place(path: &Path, key: &Key) -> Result<()> {
    let tmp = path.with_extension("encrypting");
    let _ = std::fs::remove_file(&tmp);
    {
        let conn = Connection::open(path)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > migrations::latest() {
            return Err(StoreError::TooNew {
                found: version,
                supported: migrations::latest(),
            });
        }
        conn.execute_batch(&format!(
            "ATTACH DATABASE '{}' AS encrypted KEY {};",
            tmp.display().to_string().replace('\'', "''"),
            key.sql_literal()
        ))
        // The statement holds the key: never pass its text on.
        .map_err(|_| StoreError::Open {
            path: path.to_path_buf(),
            message: "cannot create the encrypted copy of the unencrypted database".into(),
        })?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
        ))?;
        // Fold the WAL into the plaintext file so that nothing is left beside it.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        message: format!("cannot replace the unencrypted database: {e}"),
    })?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
    Ok(())
}
