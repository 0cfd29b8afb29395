//! Forward-only schema migrations.
//!
//! Each migration is an SQL file applied in its own transaction, and `PRAGMA user_version`
//! records how many have run. A database from any earlier version is brought up to date by
//! applying the rest in order; one from a newer version is refused rather than misread.

use rusqlite::Connection;

use crate::{Result, StoreError};

/// The migrations, in order. Never edit one that has shipped; add the next.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_library_and_answers.sql"),
    include_str!("migrations/0002_accounts_and_audit.sql"),
    include_str!("migrations/0003_triage.sql"),
    include_str!("migrations/0004_document_versions.sql"),
    include_str!("migrations/0005_models.sql"),
    include_str!("migrations/0006_conversations.sql"),
    include_str!("migrations/0007_import_jobs.sql"),
    include_str!("migrations/0008_triage_downgrade.sql"),
    include_str!("migrations/0009_password_change.sql"),
    include_str!("migrations/0010_passage_vectors.sql"),
    include_str!("migrations/0011_triage_assessments.sql"),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the database up to [`latest`].
pub fn apply(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > latest() {
        return Err(StoreError::TooNew {
            found: current,
            supported: latest(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
