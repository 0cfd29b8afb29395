//! Accounts and sessions: the first admin, logins with lockout, re-authentication, and the
//! role check every workflow starts with.
//!
//! An [`Actor`] can only be made here, by a successful login, so a workflow that takes one
//! knows a real, enabled user stands behind the call. [`Clinic::authorize`] then checks the
//! role against [`access::Action`]'s policy, re-reads the account (a user disabled mid-shift
//! loses access at once) and records refusals in the audit log.

use std::time::{SystemTime, UNIX_EPOCH};

use access::{lockout, password, AccessError, Action, Role};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use store::{AuditEntry, NewUser, Outcome, UserRecord};

use crate::{Clinic, ClinicError, Result};

/// A logged-in user. Only a login makes one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    user_id: i64,
    username: String,
    display_name: String,
    role: Role,
    /// The password was set by an admin: nothing but changing it is allowed.
    must_change_password: bool,
    /// A digest of the password hash this session logged in with: a reset changes the hash,
    /// and [`Clinic::authorize`] then ends the session. Never serialised.
    #[serde(skip)]
    credential: [u8; 8],
}

/// The first bytes of SHA-256 over a stored password hash: enough to notice it changed,
/// nothing to attack.
fn credential_of(password_hash: &str) -> [u8; 8] {
    let digest = Sha256::digest(password_hash.as_bytes());
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

impl Actor {
    fn from_record(u: &UserRecord) -> Result<Actor> {
        Ok(Actor {
            user_id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.parse()?,
            must_change_password: u.must_change_password,
            credential: credential_of(&u.password_hash),
        })
    }

    /// Login name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Name for display and signatures.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// Role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// True when an admin set the password and its owner has not yet replaced it.
    pub fn must_change_password(&self) -> bool {
        self.must_change_password
    }

    /// The account's row id, for records that name who made them.
    pub(crate) fn user_id(&self) -> i64 {
        self.user_id
    }
}

/// An account to create. `Debug` leaves the password out.
#[derive(Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Name shown in the UI; the login name when empty.
    #[serde(default)]
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Initial password.
    pub password: String,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// What the audit log records about an event: the acting user (if any) and the object.
pub(crate) fn entry(
    actor: Option<&Actor>,
    action: &str,
    object: (&str, &str),
    outcome: Outcome,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        username: actor.map(|a| a.username.clone()).unwrap_or_default(),
        role: actor.map(|a| a.role.to_string()).unwrap_or_default(),
        action: action.to_string(),
        object_kind: object.0.to_string(),
        object_id: object.1.to_string(),
        outcome,
        detail: detail.to_string(),
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

impl Clinic {
    /// True until the first admin exists.
    pub fn needs_first_admin(&self) -> Result<bool> {
        Ok(self.store().user_count()? == 0)
    }

    /// Creates the first admin on a new installation and logs them in. Refused once any
    /// account exists: later accounts are made by an admin.
    pub fn create_first_admin(
        &self,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<Actor> {
        if !self.needs_first_admin()? {
            return Err(ClinicError::InvalidInput(
                "Bedside is already set up; ask an admin for an account".into(),
            ));
        }
        let account = NewAccount {
            username: username.to_string(),
            display_name: display_name.to_string(),
            role: Role::Admin,
            password: password.to_string(),
        };
        let record = self.insert_account(None, &account, "setup")?;
        let actor = Actor::from_record(&record)?;
        self.mark_audit_head("login");
        Ok(actor)
    }

    /// Logs a user in. Five wrong passwords in a row lock the account for five minutes; each
    /// attempt, good or bad, is in the audit log (never the password).
    pub fn login(&self, username: &str, password_given: &str) -> Result<Actor> {
        let user = self.check_password(username.trim(), password_given, "login")?;
        let actor = Actor::from_record(&user)?;
        self.mark_audit_head("login");
        Ok(actor)
    }

    /// Asks the logged-in user for their password again, before signing or to unlock an
    /// idle session. A wrong password counts towards the lockout like a failed login.
    pub fn reauthenticate(&self, actor: &Actor, password_given: &str) -> Result<()> {
        self.check_password(&actor.username, password_given, "reauthenticate")
            .map(|_| ())
    }

    /// Checks the password of the user whose screen is locked.
    ///
    /// Unlike [`Clinic::reauthenticate`], a wrong password here does not count towards the
    /// account's lockout: anyone can type at a locked workstation, and a passer-by's five
    /// guesses must not lock the owner out of their own session and its unsaved work. The
    /// window slows guesses down per workstation instead (`access::lockout::UnlockThrottle`).
    /// Each try is audited.
    pub fn unlock(&self, actor: &Actor, password_given: &str) -> Result<()> {
        let record = |outcome, detail| {
            self.store().audit(&entry(
                Some(actor),
                "unlock",
                ("user", &actor.username),
                outcome,
                detail,
            ))
        };
        let user = self
            .store()
            .user_by_name(&actor.username)?
            .filter(|u| u.id == actor.user_id && !u.disabled);
        let Some(user) = user else {
            password::verify_nothing(password_given);
            record(Outcome::Denied, json!({"reason": "disabled"}))?;
            return Err(AccessError::AccountDisabled.into());
        };
        if credential_of(&user.password_hash) != actor.credential {
            password::verify_nothing(password_given);
            record(Outcome::Denied, json!({"reason": "password_changed"}))?;
            return Err(AccessError::PasswordChanged.into());
        }
        if password::verify(password_given, &user.password_hash)? {
            record(Outcome::Ok, json!({}))?;
            Ok(())
        } else {
            record(Outcome::Denied, json!({"reason": "bad_password"}))?;
            Err(AccessError::BadCredentials.into())
        }
    }

    /// Records a logout in the audit log and drops the user's unsaved intake form: after an
    /// explicit logout, the patient it was about is no longer theirs to finish (a lock, a
    /// switch of user or a crash keeps it).
    pub fn logout(&self, actor: &Actor) -> Result<()> {
        self.store().delete_draft(actor.username())?;
        self.store().forget_assessments(actor.username())?;
        self.record_logout(actor, json!({}))
    }

    /// Records that another user logged in at this workstation over `previous`'s session.
    /// Their unsaved intake form is kept for their next login (drafts expire on their own):
    /// someone else logging in must not throw away a colleague's work.
    pub fn switched_from(&self, previous: &Actor) -> Result<()> {
        self.record_logout(previous, json!({"reason": "switch_user"}))
    }

    fn record_logout(&self, actor: &Actor, detail: serde_json::Value) -> Result<()> {
        self.store().audit(&entry(
            Some(actor),
            "logout",
            ("user", &actor.username),
            Outcome::Ok,
            detail,
        ))?;
        self.mark_audit_head("logout");
        Ok(())
    }

    /// The check every workflow starts with: the account still enabled, the role allowed.
    /// A refusal is recorded.
    pub fn authorize(&self, actor: &Actor, action: Action) -> Result<()> {
        let refusal = match self.store().user_by_name(&actor.username)? {
            Some(u) if u.id != actor.user_id || u.disabled => Some(AccessError::AccountDisabled),
            Some(u) if credential_of(&u.password_hash) != actor.credential => {
                Some(AccessError::PasswordChanged)
            }
            Some(u) if u.must_change_password => Some(AccessError::PasswordChangeRequired),
            Some(_) => action.check(actor.role).err(),
            None => Some(AccessError::AccountDisabled),
        };
        match refusal {
            None => Ok(()),
            Some(e) => {
                self.store().audit(&entry(
                    Some(actor),
                    action.name(),
                    ("", ""),
                    Outcome::Denied,
                    json!({"reason": e.code()}),
                ))?;
                Err(e.into())
            }
        }
    }

    fn check_password(&self, username: &str, given: &str, action: &str) -> Result<UserRecord> {
        let deny = |object: &str, reason: &str, extra: serde_json::Value| {
            let mut detail = json!({ "reason": reason });
            if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
                d.extend(e.clone());
            }
            entry(None, action, ("user", object), Outcome::Denied, detail)
        };
        let Some(user) = self.store().user_by_name(username)? else {
            password::verify_nothing(given);
            // What was typed may be a password typed into the wrong field: record only a
            // keyed digest, which an admin can match against a name they suspect
            // ([`Clinic::unknown_name_digest`]) but nobody can reverse by trying names.
            let digest = self.name_digest(username)?;
            self.store()
                .audit(&deny(&digest, "unknown_user", json!({})))?;
            return Err(AccessError::BadCredentials.into());
        };
        let now = unix_now();
        if let Some(until) = user.locked_until.filter(|&u| u > now) {
            self.store()
                .audit(&deny(&user.username, "locked", json!({})))?;
            return Err(AccessError::AccountLocked {
                seconds_left: (until - now) as u64,
            }
            .into());
        }
        let verified = password::verify(given, &user.password_hash)?;
        tracing::info!(user = %user.username, action, verified, "password check");
        if user.disabled {
            // Only someone who knows the password learns that the account is disabled.
            self.store()
                .audit(&deny(&user.username, "disabled", json!({})))?;
            return Err(if verified {
                AccessError::AccountDisabled
            } else {
                AccessError::BadCredentials
            }
            .into());
        }
        if verified {
            let ok = AuditEntry {
                username: user.username.clone(),
                role: user.role.clone(),
                ..entry(None, action, ("user", username), Outcome::Ok, json!({}))
            };
            self.store().record_login(user.id, 0, None, &ok)?;
            return Ok(user);
        }
        let (_, lock) = self.store().record_login_failure(
            user.id,
            now,
            lockout::MAX_FAILURES,
            lockout::LOCK_SECONDS as i64,
            |failures, lock| {
                deny(
                    &user.username,
                    "bad_password",
                    json!({ "failures": failures, "locked": lock.is_some() }),
                )
            },
        )?;
        Err(match lock {
            Some(until) => AccessError::AccountLocked {
                seconds_left: (until - now) as u64,
            },
            None => AccessError::BadCredentials,
        }
        .into())
    }

    fn insert_account(
        &self,
        by: Option<&Actor>,
        account: &NewAccount,
        action: &str,
    ) -> Result<UserRecord> {
        let username = account.username.trim();
        password::check_username(username)?;
        password::check_new(&account.password, username)?;
        let display_name = match account.display_name.trim() {
            "" => username,
            name => name,
        };
        let hash = password::hash(&account.password)?;
        let mut audit = entry(
            by,
            action,
            ("user", username),
            Outcome::Ok,
            json!({ "role": account.role }),
        );
        if by.is_none() {
            audit.username = username.to_string();
            audit.role = account.role.to_string();
        }
        let new = NewUser {
            username,
            display_name,
            role: account.role.as_str(),
            password_hash: &hash,
            // The first admin chose their own password; anyone else's was chosen by an admin.
            must_change_password: by.is_some(),
        };
        match by {
            Some(_) => self.store().add_user(&new, &audit)?,
            None => self.store().add_first_user(&new, &audit)?,
        };
        self.store()
            .user_by_name(username)?
            .ok_or_else(|| ClinicError::InvalidInput("the new account vanished".into()))
    }

    /// Every account (admin only). Reading the list is recorded like any other read of
    /// personal data.
    pub fn users(&self, actor: &Actor) -> Result<Vec<UserRecord>> {
        self.authorize(actor, Action::ManageUsers)?;
        let users = self.store().users()?;
        self.store().audit(&entry(
            Some(actor),
            "user_list",
            ("user", ""),
            Outcome::Ok,
            json!({"rows": users.len()}),
        ))?;
        Ok(users)
    }

    /// Creates an account (admin only).
    pub fn add_user(&self, actor: &Actor, account: &NewAccount) -> Result<UserRecord> {
        self.authorize(actor, Action::ManageUsers)?;
        self.insert_account(Some(actor), account, "user_add")
    }

    /// Disables or re-enables an account (admin only). The last enabled admin cannot be
    /// disabled: nobody could manage Bedside afterwards.
    pub fn set_user_disabled(&self, actor: &Actor, username: &str, disabled: bool) -> Result<()> {
        self.authorize(actor, Action::ManageUsers)?;
        let users = self.store().users()?;
        let target = users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(username))
            .ok_or_else(|| store::StoreError::NotFound {
                what: "user",
                id: username.to_string(),
            })?;
        let enabled_admins = users
            .iter()
            .filter(|u| u.role == "admin" && !u.disabled)
            .count();
        if disabled && target.role == "admin" && !target.disabled && enabled_admins == 1 {
            return Err(ClinicError::InvalidInput(
                "the last enabled admin cannot be disabled".into(),
            ));
        }
        let action = if disabled {
            "user_disable"
        } else {
            "user_enable"
        };
        self.store().set_user_disabled(
            &target.username,
            disabled,
            &entry(
                Some(actor),
                action,
                ("user", &target.username),
                Outcome::Ok,
                json!({}),
            ),
        )?;
        Ok(())
    }

    /// Sets a new password for an account and lifts any lockout (admin only). The admin knows
    /// it, so its owner must replace it at the next login.
    pub fn reset_password(&self, actor: &Actor, username: &str, new_password: &str) -> Result<()> {
        self.authorize(actor, Action::ManageUsers)?;
        password::check_new(new_password, username)?;
        let hash = password::hash(new_password)?;
        self.store().set_user_password(
            username,
            &hash,
            true,
            &entry(
                Some(actor),
                "user_reset_password",
                ("user", username),
                Outcome::Ok,
                json!({}),
            ),
        )?;
        Ok(())
    }

    /// The logged-in user replaces their own password, the current one first. Allowed while
    /// a change is required (it is the one thing that is). Returns the session's new actor:
    /// the old one names the old password, and [`Clinic::authorize`] ends every session that
    /// logged in with it, on this workstation and elsewhere.
    pub fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new_password: &str,
    ) -> Result<Actor> {
        let user = self.check_password(&actor.username, current, "reauthenticate")?;
        if user.id != actor.user_id {
            return Err(AccessError::AccountDisabled.into());
        }
        if credential_of(&user.password_hash) != actor.credential {
            return Err(AccessError::PasswordChanged.into());
        }
        password::check_new(new_password, &user.username)?;
        if new_password == current {
            return Err(AccessError::WeakPassword(
                "the new password must differ from the current one",
            )
            .into());
        }
        let hash = password::hash(new_password)?;
        self.store().set_user_password(
            &user.username,
            &hash,
            false,
            &entry(
                Some(actor),
                "user_passwd",
                ("user", &user.username),
                Outcome::Ok,
                json!({}),
            ),
        )?;
        let user = self
            .store()
            .user_by_name(&user.username)?
            .ok_or_else(|| ClinicError::InvalidInput("the account vanished".into()))?;
        Actor::from_record(&user)
    }

    /// How an unknown user name appears in the audit log, so that an admin can find the
    /// failed logins of a name they suspect (admin only; the lookup is audited, without the
    /// name, which may be a password typed into the wrong field).
    pub fn unknown_name_digest(&self, actor: &Actor, name: &str) -> Result<String> {
        self.authorize(actor, Action::ReadAudit)?;
        let digest = self.name_digest(name.trim())?;
        self.store().audit(&entry(
            Some(actor),
            "audit_name_digest",
            ("audit", ""),
            Outcome::Ok,
            json!({}),
        ))?;
        Ok(digest)
    }

    /// HMAC-SHA256 of `name` under a random key kept in the database: a plain digest of a
    /// short name (or of a password typed into the name field) is reversed by trying
    /// candidates; without the key, it cannot be.
    fn name_digest(&self, name: &str) -> Result<String> {
        let key = self.store().secret_setting(NAME_DIGEST_KEY)?;
        Ok(format!(
            "hmac:{}",
            hex::encode(&hmac_sha256(key.as_bytes(), name.as_bytes())[..8])
        ))
    }
}

const NAME_DIGEST_KEY: &str = "audit_name_digest_key";

/// HMAC (RFC 2104) over SHA-256, for the one keyed digest Bedside needs.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[cfg(test)]
mod tests {
    use super::hmac_sha256;

    /// RFC 4231, test case 2.
    #[test]
    fn hmac_matches_the_rfc_vector() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
