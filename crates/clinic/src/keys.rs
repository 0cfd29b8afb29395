//! Where the database key comes from, the same way for the window and the CLI.
//!
//! In order: `$BEDSIDE_KEY_FILE`, a key file `bedside.key` in the data directory, then
//! `$BEDSIDE_PASSPHRASE`. With none of these the caller asks a person for the passphrase.

use std::path::{Path, PathBuf};

use store::Key;

use crate::Result;

/// The key file's name inside the data directory.
pub const KEY_FILE: &str = "bedside.key";

/// The key file in use, if any: `$BEDSIDE_KEY_FILE` or the data directory's.
pub fn key_file(data_dir: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BEDSIDE_KEY_FILE") {
        return Some(PathBuf::from(p));
    }
    let local = data_dir.join(KEY_FILE);
    local.exists().then_some(local)
}

/// The key available without asking anyone, if any.
pub fn configured_key(data_dir: &Path) -> Result<Option<Key>> {
    if let Some(file) = key_file(data_dir) {
        return Ok(Some(Key::read_file(&file)?));
    }
    Ok(std::env::var("BEDSIDE_PASSPHRASE")
        .ok()
        .filter(|p| !p.is_empty())
        .map(Key::Passphrase))
}

/// True when no encrypted database exists yet (none at all, or one left unencrypted by an
/// older Bedside): the first-run wizard must choose a key.
pub fn is_first_run(data_dir: &Path) -> bool {
    let db = data_dir.join(crate::DB_FILE);
    !store::Store::exists(&db) || store::Store::is_unencrypted(&db)
}
