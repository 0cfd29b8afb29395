//! Bedside's durable memory: one SQLite file holding guideline documents and their passages,
//! and every question asked with the answer, model and passages behind it.
//!
//! Clinical writes must survive a crash of anything else on the workstation, so the database
//! runs in WAL mode with `synchronous=FULL`, and schema changes are forward-only numbered
//! migrations applied in one transaction each ([`migrations`]).
//!
//! ```no_run
//! let store = store::Store::open(std::path::Path::new("bedside.db")).unwrap();
//! assert_eq!(store.document_count().unwrap(), 0);
//! ```
#![deny(missing_docs)]

mod answers;
mod documents;
pub mod error;
pub mod migrations;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

pub use answers::{AnswerRecord, NewAnswer};
pub use documents::{ChunkRecord, DocumentRecord, NewChunk, NewDocument};
pub use error::{Result, StoreError};

/// The database. Cheap to share behind an `Arc`; calls are serialised on one connection, which
/// is what SQLite does for writers anyway.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                message: e.to_string(),
            })?;
        }
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::apply(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (transactions roll
        // back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}
