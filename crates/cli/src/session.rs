//! Unlocking the database and logging in from the command line.
//!
//! Scripts pass secrets through the environment (`BEDSIDE_PASSPHRASE` or `BEDSIDE_KEY_FILE`,
//! `BEDSIDE_USER`, `BEDSIDE_PASSWORD`); a person at a terminal is asked, without echo. Secrets
//! are never accepted as arguments, where `ps` and shell history would keep them.

use std::io::IsTerminal;
use std::path::Path;

use clinic::{AccessError, Actor, Clinic, ClinicError};
use store::Key;

/// An open data directory and the user acting on it.
pub struct Session {
    pub clinic: Clinic,
    pub actor: Actor,
}

/// Every CLI command ends by writing the audit chain's head down beside the data directory:
/// the rows it added are then witnessed outside the database, not only the login before them.
impl Drop for Session {
    fn drop(&mut self) {
        self.clinic.mark_audit_head("end");
    }
}

/// Reads a secret from `var`, else asks on the terminal, else fails with `missing`.
pub fn secret(var: &str, prompt: &str, missing: ClinicError) -> Result<String, ClinicError> {
    if let Ok(v) = std::env::var(var) {
        if !v.is_empty() {
            return Ok(v);
        }
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(prompt)
            .map_err(|e| ClinicError::InvalidInput(format!("cannot read the terminal: {e}")));
    }
    Err(missing)
}

/// A new secret, asked twice at a terminal so that a typo does not lock anyone out.
pub fn new_secret(var: &str, what: &str) -> Result<String, ClinicError> {
    if let Ok(v) = std::env::var(var) {
        if !v.is_empty() {
            return Ok(v);
        }
    }
    if !std::io::stdin().is_terminal() {
        return Err(ClinicError::InvalidInput(format!(
            "no {what}: set {var} or run in a terminal"
        )));
    }
    let read = |p: &str| {
        rpassword::prompt_password(p)
            .map_err(|e| ClinicError::InvalidInput(format!("cannot read the terminal: {e}")))
    };
    let first = read(&format!("New {what}: "))?;
    if read(&format!("New {what} again: "))? != first {
        return Err(ClinicError::InvalidInput(format!("the two {what}s differ")));
    }
    Ok(first)
}

/// Opens an existing data directory with its key.
pub fn open(data_dir: &Path) -> Result<Clinic, ClinicError> {
    if clinic::keys::is_first_run(data_dir) {
        return Err(ClinicError::InvalidInput(format!(
            "no Bedside database in {}: run `bedside init` first",
            data_dir.display()
        )));
    }
    let key = match clinic::keys::configured_key(data_dir)? {
        Some(key) => key,
        None => Key::Passphrase(secret(
            "BEDSIDE_PASSPHRASE",
            "Database passphrase: ",
            ClinicError::PassphraseRequired,
        )?),
    };
    Clinic::open(data_dir, &key)
}

/// Opens the data directory and logs `user` in.
pub fn login(data_dir: &Path, user: Option<&str>) -> Result<Session, ClinicError> {
    login_with_password(data_dir, user).map(|(session, _)| session)
}

/// [`login`], also returning the password that was given: `user passwd` needs it again to
/// prove the change is made by the account's owner.
pub fn login_with_password(
    data_dir: &Path,
    user: Option<&str>,
) -> Result<(Session, String), ClinicError> {
    let user = user.ok_or(ClinicError::Access(AccessError::NotAuthenticated))?;
    let clinic = open(data_dir)?;
    let password = secret(
        "BEDSIDE_PASSWORD",
        &format!("Password for {user}: "),
        ClinicError::Access(AccessError::NotAuthenticated),
    )?;
    let actor = clinic.login(user, &password)?;
    Ok((Session { clinic, actor }, password))
}
