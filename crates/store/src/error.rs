//! Storage errors.

use std::path::PathBuf;

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file could not be opened or created.
    #[error("cannot open database {path}: {message}")]
    Open {
        /// The database file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The database was written by a newer Bedside; opening it could lose data.
    #[error(
        "database schema version {found} is newer than this Bedside understands ({supported})"
    )]
    TooNew {
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The key does not open the file: a wrong passphrase or key file, or a file whose first
    /// page was damaged. Nothing in it is read.
    #[error("cannot decrypt {path}: wrong passphrase or key, or the file is damaged")]
    CannotDecrypt {
        /// The database file.
        path: PathBuf,
    },
    /// Pages of the file fail their authentication code: changed outside Bedside or damaged
    /// on disk. The database is not used.
    #[error("{path} has been altered or damaged ({detail}); restore a backup")]
    Tampered {
        /// The database file.
        path: PathBuf,
        /// What SQLCipher's check reported (page numbers, never content).
        detail: String,
    },
    /// A new passphrase is too short.
    #[error("the passphrase must have at least {min} characters and no control characters")]
    WeakPassphrase {
        /// The minimum.
        min: usize,
    },
    /// The key file cannot be created or read.
    #[error("key file {path}: {message}")]
    KeyFile {
        /// The key file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// A snapshot offered for restore failed verification; nothing was replaced.
    #[error("the snapshot {path} cannot be restored: {reason}")]
    BadSnapshot {
        /// The snapshot.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The requested row does not exist.
    #[error("{what} not found: {id}")]
    NotFound {
        /// The kind of object.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A row with this key already exists.
    #[error("{what} already exists: {id}")]
    Conflict {
        /// The kind of object.
        what: &'static str,
        /// Its key.
        id: String,
    },
    /// The row is still used by others and cannot be removed.
    #[error("{what} is in use by {by}; choose another first")]
    InUse {
        /// The kind of object.
        what: &'static str,
        /// What uses it.
        by: String,
    },
    /// SQLite reported an error (disk full, corruption, constraint).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Open { .. } => "db_open_failed",
            StoreError::TooNew { .. } => "db_too_new",
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict { .. } => "already_exists",
            StoreError::InUse { .. } => "in_use",
            StoreError::CannotDecrypt { .. } => "db_cannot_decrypt",
            StoreError::Tampered { .. } => "db_tampered",
            StoreError::WeakPassphrase { .. } => "weak_passphrase",
            StoreError::KeyFile { .. } => "key_file_unusable",
            StoreError::BadSnapshot { .. } => "bad_snapshot",
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull =>
            {
                "disk_full"
            }
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
                ) =>
            {
                "db_tampered"
            }
            StoreError::Sqlite(_) => "db_error",
        }
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
