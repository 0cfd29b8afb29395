//! The three kinds of user.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::AccessError;

/// What a user is on the ward. Roles do not nest: an admin manages the system but is not a
/// clinician, and gets no clinical actions by being admin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Triage nurse: intake, triage, the board, guideline lookup.
    Nurse,
    /// Doctor: chat, notes, signing, follow-up.
    Clinician,
    /// Hospital IT: guidelines, models, accounts, audit, backup.
    Admin,
}

impl Role {
    /// Every role, for tests and pickers.
    pub const ALL: [Role; 3] = [Role::Nurse, Role::Clinician, Role::Admin];

    /// The stable name stored in the database and shown in `--json` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = AccessError;

    fn from_str(s: &str) -> Result<Role, AccessError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AccessError::UnknownRole(s.to_string()))
    }
}
