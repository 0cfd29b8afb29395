//! Access errors, each with a stable code the UI translates.

use crate::{Action, Role};

/// Why someone may not proceed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// Nobody is logged in.
    #[error("log in first")]
    NotAuthenticated,
    /// The user is logged in but their role may not do this.
    #[error("a {role} may not {action}")]
    Forbidden {
        /// What was attempted.
        action: Action,
        /// Who attempted it.
        role: Role,
    },
    /// Wrong user name or password. Deliberately does not say which.
    #[error("wrong user name or password")]
    BadCredentials,
    /// Too many failed attempts; try again later or ask an admin to reset the password.
    #[error("the account is locked after repeated failed logins; try again in {seconds_left} s or ask an admin")]
    AccountLocked {
        /// How long the lock lasts.
        seconds_left: u64,
    },
    /// Too many wrong passwords at this workstation's lock screen; the next try must wait.
    #[error("too many wrong passwords at this workstation; try again in {seconds_left} s")]
    TryAgainLater {
        /// How long the wait lasts.
        seconds_left: u64,
    },
    /// An admin disabled the account.
    #[error("the account is disabled")]
    AccountDisabled,
    /// The password was changed (an admin's reset) after this session logged in.
    #[error("the password was changed since you logged in; log in again")]
    PasswordChanged,
    /// An admin set this account's password (a new account, a reset): its owner must choose
    /// their own before doing anything else.
    #[error("change the password an admin set before going on")]
    PasswordChangeRequired,
    /// The session locked itself after inactivity; the same user must enter their password.
    #[error("the session is locked after inactivity")]
    SessionLocked,
    /// The password does not meet the rules.
    #[error("the password is too weak: {0}")]
    WeakPassword(&'static str),
    /// The user name is empty or has characters we refuse.
    #[error("invalid user name: {0}")]
    InvalidUsername(&'static str),
    /// Not one of nurse, clinician, admin.
    #[error("unknown role {0:?} (nurse, clinician or admin)")]
    UnknownRole(String),
    /// The window asked for a command that has no role policy.
    #[error("command {0:?} has no role policy")]
    NoPolicy(String),
    /// The password hash stored for the account cannot be read.
    #[error("the stored password hash is unreadable")]
    CorruptHash,
}

impl AccessError {
    /// The stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AccessError::NotAuthenticated => "not_authenticated",
            AccessError::Forbidden { .. } => "forbidden",
            AccessError::BadCredentials => "bad_credentials",
            AccessError::AccountLocked { .. } => "account_locked",
            AccessError::TryAgainLater { .. } => "try_again_later",
            AccessError::AccountDisabled => "account_disabled",
            AccessError::PasswordChanged => "password_changed",
            AccessError::PasswordChangeRequired => "password_change_required",
            AccessError::SessionLocked => "session_locked",
            AccessError::WeakPassword(_) => "weak_password",
            AccessError::InvalidUsername(_) => "invalid_username",
            AccessError::UnknownRole(_) => "unknown_role",
            AccessError::NoPolicy(_) => "no_policy",
            AccessError::CorruptHash => "corrupt_password_hash",
        }
    }
}
