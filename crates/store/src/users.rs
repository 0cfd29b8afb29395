//! User accounts. The store keeps them; `clinic::auth` decides what a login means.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::{AuditEntry, Result, Store, StoreError};

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login name, unique regardless of ASCII case.
    pub username: &'a str,
    /// Name shown in the UI and on signed notes.
    pub display_name: &'a str,
    /// `nurse`, `clinician` or `admin`.
    pub role: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// An admin chose the password: the owner must change it at the next login.
    pub must_change_password: bool,
}

/// A stored user. The hash is kept out of `Serialize`.
#[derive(Debug, Clone, Serialize)]
pub struct UserRecord {
    /// Row id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role name.
    pub role: String,
    /// Argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// Refused at login.
    pub disabled: bool,
    /// Consecutive failed logins.
    pub failed_logins: u32,
    /// Unix seconds until which logins are refused.
    pub locked_until: Option<i64>,
    /// The password was set by an admin; its owner must change it before doing anything.
    pub must_change_password: bool,
    /// When created (UTC).
    pub created_at: String,
}

const COLUMNS: &str =
    "id, username, display_name, role, password_hash, disabled, failed_logins, locked_until, created_at, \
     must_change_password";

fn record(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: r.get(3)?,
        password_hash: r.get(4)?,
        disabled: r.get(5)?,
        failed_logins: r.get(6)?,
        locked_until: r.get(7)?,
        created_at: r.get(8)?,
        must_change_password: r.get(9)?,
    })
}

fn changed(n: usize, username: &str) -> Result<()> {
    if n == 0 {
        Err(StoreError::NotFound {
            what: "user",
            id: username.to_string(),
        })
    } else {
        Ok(())
    }
}

impl Store {
    /// Number of accounts; zero means the first-run wizard has not run.
    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
    }

    /// The account with this name (ASCII case ignored), if any.
    pub fn user_by_name(&self, username: &str) -> Result<Option<UserRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM users WHERE username = ?1"),
                [username],
                record,
            )
            .optional()?)
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<UserRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY username"))?;
        let rows = stmt
            .query_map([], record)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Creates an account and records it; returns its id. A taken name is
    /// [`StoreError::Conflict`].
    pub fn add_user(&self, user: &NewUser<'_>, audit: &AuditEntry) -> Result<i64> {
        self.audited(audit, |c| insert(c, user))
    }

    /// Creates the first account, refusing if any account exists by then (two set-up
    /// screens racing cannot both make an admin).
    pub fn add_first_user(&self, user: &NewUser<'_>, audit: &AuditEntry) -> Result<i64> {
        self.audited(audit, |c| {
            let n: i64 = c.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?;
            if n > 0 {
                return Err(StoreError::Conflict {
                    what: "first account",
                    id: user.username.to_string(),
                });
            }
            insert(c, user)
        })
    }

    /// Counts a failed login in one step (two attempts at once cannot both read the old
    /// count), restarting the count when an earlier lock has run out, and locks the account
    /// when the count reaches `max_failures`. Returns the new count and lock, which the audit
    /// row may record.
    pub fn record_login_failure(
        &self,
        user_id: i64,
        now: i64,
        max_failures: u32,
        lock_seconds: i64,
        audit: impl FnOnce(u32, Option<i64>) -> AuditEntry,
    ) -> Result<(u32, Option<i64>)> {
        self.audited_with(
            |c| {
                let failures: u32 = c.query_row(
                    "UPDATE users SET failed_logins = CASE
                         WHEN locked_until IS NOT NULL AND locked_until <= ?2 THEN 1
                         ELSE failed_logins + 1 END,
                       locked_until = CASE
                         WHEN locked_until IS NOT NULL AND locked_until <= ?2 THEN NULL
                         ELSE locked_until END
                     WHERE id = ?1 RETURNING failed_logins",
                    params![user_id, now],
                    |r| r.get(0),
                )?;
                let lock = (failures >= max_failures).then_some(now + lock_seconds);
                if let Some(until) = lock {
                    c.execute(
                        "UPDATE users SET locked_until = ?2 WHERE id = ?1",
                        params![user_id, until],
                    )?;
                }
                Ok((failures, lock))
            },
            |(failures, lock)| audit(*failures, *lock),
        )
    }

    /// Disables or re-enables an account.
    pub fn set_user_disabled(
        &self,
        username: &str,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.audited(audit, |c| {
            changed(
                c.execute(
                    "UPDATE users SET disabled = ?2,
                            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE username = ?1",
                    params![username, disabled],
                )?,
                username,
            )
        })
    }

    /// Replaces the password hash and lifts any lockout. `must_change` is true when an admin
    /// set it (the owner must replace it at the next login), false when the owner did.
    pub fn set_user_password(
        &self,
        username: &str,
        password_hash: &str,
        must_change: bool,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.audited(audit, |c| {
            changed(
                c.execute(
                    "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL,
                            must_change_password = ?3,
                            updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                     WHERE username = ?1",
                    params![username, password_hash, must_change],
                )?,
                username,
            )
        })
    }

    /// Stores a login attempt's effect on the lockout counters together with its audit row:
    /// the new count of consecutive failures (0 after a success) and the lock, if any.
    pub fn record_login(
        &self,
        user_id: i64,
        failed_logins: u32,
        locked_until: Option<i64>,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.audited(audit, |c| {
            c.execute(
                "UPDATE users SET failed_logins = ?2, locked_until = ?3 WHERE id = ?1",
                params![user_id, failed_logins, locked_until],
            )?;
            Ok(())
        })
    }
}

fn insert(c: &Connection, user: &NewUser<'_>) -> Result<i64> {
    match c.execute(
        "INSERT INTO users (username, display_name, role, password_hash, must_change_password)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            user.username,
            user.display_name,
            user.role,
            user.password_hash,
            user.must_change_password
        ],
    ) {
        Ok(_) => Ok(c.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(StoreError::Conflict {
                what: "user",
                id: user.username.to_string(),
            })
        }
        Err(e) => Err(e.into()),
    }
}
