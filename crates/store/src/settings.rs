//! Admin settings as key/value text.

use rusqlite::{params, OptionalExtension};

use crate::{AuditEntry, Result, Store};

impl Store {
    /// A setting's value, if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets a setting and records the change.
    pub fn set_setting(&self, key: &str, value: &str, audit: &AuditEntry) -> Result<()> {
        self.audited(audit, |c| {
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }
}
