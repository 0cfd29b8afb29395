//! Online backup and verified restore.
//!
//! A snapshot is made with SQLite's online backup API while Bedside keeps running: readers and
//! writers carry on, and the copy is one consistent state. It is encrypted with the same key,
//! so a backup disk holds nothing readable. A restore opens the snapshot read-only and checks
//! it fully (page codes, b-trees, schema version, the audit chain) before one byte of the live
//! database is replaced.

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use crate::{audit, migrations, ChainReport, Result, Store, StoreError};

/// What a verified snapshot holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SnapshotReport {
    /// Its schema version.
    pub schema_version: i64,
    /// Its audit chain.
    pub audit: ChainReport,
    /// Accounts in it.
    pub users: i64,
    /// Guideline documents in it.
    pub documents: i64,
}

fn bad(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::BadSnapshot {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

impl Store {
    /// Writes a consistent encrypted snapshot to `dest`, which must not exist yet. The
    /// snapshot is written beside `dest` and renamed into place only once complete and
    /// verified, so a full disk leaves no half-written backup that looks whole. It is readable
    /// by its owner only (mode 0600 on Unix), whatever the umask and wherever it is put:
    /// encrypted as it is, a copy others can read is one they can guess the passphrase of
    /// offline, at their leisure.
    pub fn backup_to(&self, dest: &Path) -> Result<SnapshotReport> {
        if dest.exists() {
            return Err(bad(dest, "the file exists; choose a new name"));
        }
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let result = (|| {
            create_private(&partial).map_err(|e| bad(dest, e.to_string()))?;
            let mut out = Connection::open(&partial)?;
            out.execute_batch(&format!("PRAGMA key = {};", self.key.sql_literal()))
                .map_err(|_| bad(dest, "cannot key the snapshot"))?;
            {
                let conn = self.conn();
                let backup = Backup::new(&conn, &mut out)?;
                backup.run_to_completion(256, Duration::ZERO, None)?;
            }
            out.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            drop(out);
            let report = self.verify_snapshot(&partial)?;
            std::fs::rename(&partial, dest).map_err(|e| bad(dest, e.to_string()))?;
            Ok(report)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }

    /// Opens `snapshot` read-only with this database's key and checks everything a restore
    /// depends on. Never writes to it.
    pub fn verify_snapshot(&self, snapshot: &Path) -> Result<SnapshotReport> {
        let conn = open_snapshot(snapshot, &self.key)?;
        let schema_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if schema_version > migrations::latest() {
            return Err(bad(
                snapshot,
                format!("made by a newer Bedside (schema {schema_version})"),
            ));
        }
        if schema_version < 2 {
            return Err(bad(snapshot, "not a Bedside database with accounts"));
        }
        let audit = audit::verify_chain(&conn)?;
        if !audit.intact() {
            return Err(bad(
                snapshot,
                format!(
                    "its audit chain is broken at row {}",
                    audit.first_broken.unwrap_or_default()
                ),
            ));
        }
        let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0));
        Ok(SnapshotReport {
            schema_version,
            users: count("SELECT count(*) FROM users")?,
            documents: count("SELECT count(*) FROM documents")?,
            audit,
        })
    }

    /// Replaces the live database with a verified snapshot, then brings its schema up to
    /// date. The caller rebuilds anything derived from it (the search index).
    pub fn restore_from(&self, snapshot: &Path) -> Result<SnapshotReport> {
        let report = self.verify_snapshot(snapshot)?;
        let source = open_snapshot(snapshot, &self.key)?;
        let mut conn = self.conn();
        {
            let backup = Backup::new(&source, &mut conn)?;
            backup.run_to_completion(256, Duration::ZERO, None)?;
        }
        migrations::apply(&mut conn)?;
        Ok(report)
    }
}

/// Creates `path` empty and readable by its owner only, so that SQLite, which opens an empty
/// file as a new database, writes the snapshot (and its journal, which takes the database
/// file's mode) into a file nobody else can read.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // The mode given at creation is narrowed by the umask, never widened; this is exact.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    drop(file);
    Ok(())
}

/// Opens a snapshot read-only and proves the key and every page.
fn open_snapshot(path: &Path, key: &crate::Key) -> Result<Connection> {
    if !path.is_file() {
        return Err(bad(path, "no such file"));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(path, e.to_string()))?;
    match crate::unlock(&conn, key, path) {
        Ok(()) => Ok(conn),
        Err(StoreError::CannotDecrypt { .. }) => Err(bad(
            path,
            "it does not open with this database's key, or it is not a Bedside backup",
        )),
        Err(StoreError::Tampered { detail, .. }) => {
            Err(bad(path, format!("it is damaged or altered ({detail})")))
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_backup_is_readable_and_writable_by_its_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let store = Store::open(&dir.path().join("bedside.db"), &crate::Key::Raw([3; 32])).unwrap();
        let dest = dir.path().join("backup.db");
        store.backup_to(&dest).unwrap();
        let mode = std::fs::metadata(&dest).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
        // And it is a whole, verified snapshot all the same.
        assert!(store.verify_snapshot(&dest).is_ok());
    }
}
