//! The action policy: which roles may perform which action.
//!
//! The match in [`Action::allows`] is exhaustive, so an action added later does not compile
//! until someone decides who may perform it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{AccessError, Role};

/// Something a user does that touches data. Its [`name`](Action::name) is what the audit log
/// records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// See the app's state: model, counts, data folder.
    ViewStatus,
    /// Import guideline documents.
    LibraryImport,
    /// Rebuild the search index from the database.
    LibraryRebuild,
    /// Search guidelines and open passages.
    LibrarySearch,
    /// Ask a question answered from the guidelines.
    Ask,
    /// Measure retrieval quality on the imported library.
    EvalRetrieval,
    /// Compute triage grades for an intake.
    TriageCompute,
    /// Store a triage decision: the patient, the encounter and its vital signs.
    TriageSave,
    /// Read patient records: the triage board, an encounter; move a patient on.
    ViewPatients,
    /// Add, disable, re-enable users and reset passwords.
    ManageUsers,
    /// Read, verify and export the audit log.
    ReadAudit,
    /// Change settings such as the idle-lock time.
    ChangeSettings,
    /// Import, rename and remove models; choose each task's model, sampling and the remote
    /// engine.
    ManageModels,
    /// Take an encrypted snapshot of the database.
    Backup,
    /// Replace the database with a verified snapshot.
    Restore,
}

impl Action {
    /// Every action, for tests.
    pub const ALL: [Action; 15] = [
        Action::ViewStatus,
        Action::LibraryImport,
        Action::LibraryRebuild,
        Action::LibrarySearch,
        Action::Ask,
        Action::EvalRetrieval,
        Action::TriageCompute,
        Action::TriageSave,
        Action::ViewPatients,
        Action::ManageUsers,
        Action::ReadAudit,
        Action::ChangeSettings,
        Action::ManageModels,
        Action::Backup,
        Action::Restore,
    ];

    /// The roles allowed to perform this action.
    pub fn allowed(self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::ViewStatus | Action::LibrarySearch => &[Nurse, Clinician, Admin],
            // Guideline questions carry no patient data; admins ask them to check an import.
            Action::Ask => &[Nurse, Clinician, Admin],
            Action::TriageCompute | Action::TriageSave | Action::ViewPatients => {
                &[Nurse, Clinician]
            }
            Action::LibraryImport
            | Action::LibraryRebuild
            | Action::EvalRetrieval
            | Action::ManageUsers
            | Action::ReadAudit
            | Action::ChangeSettings
            | Action::ManageModels
            | Action::Backup
            | Action::Restore => &[Admin],
        }
    }

    /// Whether `role` may perform this action.
    pub fn allows(self, role: Role) -> bool {
        self.allowed().contains(&role)
    }

    /// `Ok` if `role` may perform this action, else the typed refusal.
    pub fn check(self, role: Role) -> Result<(), AccessError> {
        if self.allows(role) {
            Ok(())
        } else {
            Err(AccessError::Forbidden { action: self, role })
        }
    }

    /// The stable name recorded in the audit log.
    pub fn name(self) -> &'static str {
        match self {
            Action::ViewStatus => "view_status",
            Action::LibraryImport => "library_import",
            Action::LibraryRebuild => "library_rebuild",
            Action::LibrarySearch => "library_search",
            Action::Ask => "ask",
            Action::EvalRetrieval => "eval_retrieval",
            Action::TriageCompute => "triage_compute",
            Action::TriageSave => "triage_save",
            Action::ViewPatients => "view_patients",
            Action::ManageUsers => "manage_users",
            Action::ReadAudit => "read_audit",
            Action::ChangeSettings => "change_settings",
            Action::ManageModels => "manage_models",
            Action::Backup => "backup",
            Action::Restore => "restore",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name().replace('_', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_allows_someone_and_names_are_unique() {
        let mut names = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(!a.allowed().is_empty(), "{a:?} allows nobody");
            assert!(names.insert(a.name()), "duplicate name {}", a.name());
        }
    }

    #[test]
    fn admins_get_no_clinical_actions_and_nurses_no_admin_ones() {
        assert_eq!(
            Action::TriageCompute.check(Role::Admin),
            Err(AccessError::Forbidden {
                action: Action::TriageCompute,
                role: Role::Admin
            })
        );
        for a in [
            Action::ManageUsers,
            Action::ReadAudit,
            Action::Restore,
            Action::LibraryImport,
        ] {
            assert_eq!(a.check(Role::Nurse).unwrap_err().code(), "forbidden");
            assert_eq!(a.check(Role::Clinician).unwrap_err().code(), "forbidden");
            assert!(a.check(Role::Admin).is_ok());
        }
    }
}
