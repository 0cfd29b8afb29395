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

    /// A random secret kept under `key` (32 bytes, hex), made on first use. Two processes
    /// asking at once agree on one: the first insert wins and both read it back. It lives in
    /// the encrypted database, so only someone with the database key can use it.
    pub fn secret_setting(&self, key: &str) -> Result<String> {
        if let Some(v) = self.setting(key)? {
            return Ok(v);
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| crate::StoreError::Open {
            path: self.path().to_path_buf(),
            message: format!("no randomness: {e}"),
        })?;
        let fresh: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let conn = self.conn();
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
            params![key, fresh],
        )?;
        Ok(
            conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })?,
        )
    }
}
