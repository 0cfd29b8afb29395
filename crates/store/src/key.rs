//! The database key: a passphrase someone types, or 32 random bytes in a key file.
//!
//! With a passphrase, SQLCipher derives the page key itself (PBKDF2-HMAC-SHA512, 256,000
//! iterations, a per-database salt in the file header). A key file holds a raw key, already
//! random, so no derivation is needed; it must be readable by its owner only.

use std::fmt;
use std::io::Write;
use std::path::Path;

use crate::{Result, StoreError};

/// The secret that unlocks the database. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub enum Key {
    /// A passphrase, stretched by SQLCipher's KDF.
    Passphrase(String),
    /// A raw 256-bit key.
    Raw([u8; 32]),
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Passphrase(_) => f.write_str("Key::Passphrase(…)"),
            Key::Raw(_) => f.write_str("Key::Raw(…)"),
        }
    }
}

/// Shortest passphrase accepted when a database is created.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

impl Key {
    /// A passphrase key, refusing ones too short to stand up to an offline guesser who has a
    /// copy of the file.
    pub fn new_passphrase(passphrase: &str) -> Result<Key> {
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS
            || passphrase.chars().any(char::is_control)
        {
            return Err(StoreError::WeakPassphrase {
                min: MIN_PASSPHRASE_CHARS,
            });
        }
        Ok(Key::Passphrase(passphrase.to_string()))
    }

    /// The right-hand side of `PRAGMA key = …` / `ATTACH … KEY …`.
    pub(crate) fn sql_literal(&self) -> String {
        match self {
            Key::Passphrase(p) => format!("'{}'", p.replace('\'', "''")),
            Key::Raw(bytes) => format!("\"x'{}'\"", hex::encode(bytes)),
        }
    }

    /// Writes a fresh random key to `path`, readable and writable by its owner only. Refuses
    /// to overwrite an existing file: that key may be the only way into a database.
    pub fn create_file(path: &Path) -> Result<Key> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::KeyFile {
            path: path.to_path_buf(),
            message: format!("no randomness: {e}"),
        })?;
        let io = |e: std::io::Error| StoreError::KeyFile {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(io)?;
        writeln!(file, "{}", hex::encode(bytes)).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(Key::Raw(bytes))
    }

    /// Reads a key file written by [`Key::create_file`], refusing one that others can read.
    pub fn read_file(path: &Path) -> Result<Key> {
        let err = |message: String| StoreError::KeyFile {
            path: path.to_path_buf(),
            message,
        };
        let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                return Err(err(format!(
                    "readable by others (mode {:o}); run chmod 600 on it",
                    mode & 0o777
                )));
            }
        }
        if meta.len() > 1024 {
            return Err(err("not a Bedside key file (too large)".into()));
        }
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let bytes = hex::decode(text.trim())
            .ok()
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .ok_or_else(|| err("not a Bedside key file (expected 64 hex digits)".into()))?;
        Ok(Key::Raw(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrase_quotes_are_escaped_and_debug_hides_secrets() {
        let k = Key::Passphrase("it's a secret".into());
        assert_eq!(k.sql_literal(), "'it''s a secret'");
        assert!(!format!("{k:?}").contains("secret"));
        assert!(!format!("{:?}", Key::Raw([7; 32])).contains("07"));
        assert_eq!(
            Key::new_passphrase("short").unwrap_err().code(),
            "weak_passphrase"
        );
    }

    #[test]
    fn key_file_round_trips_and_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bedside.key");
        let k = Key::create_file(&path).unwrap();
        assert_eq!(Key::read_file(&path).unwrap(), k);
        assert!(Key::create_file(&path).is_err(), "never overwrites a key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = Key::read_file(&path).unwrap_err();
            assert_eq!(e.code(), "key_file_unusable");
            assert!(e.to_string().contains("chmod 600"));
        }
    }
}
