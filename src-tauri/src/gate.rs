//! The gate every command call passes before its arguments are even read: is it a known
//! command, is someone logged in, is the session unlocked, may their role do this?
//!
//! The policy table [`POLICY`] names every command the window registers; a command missing
//! from it is refused at run time with `no_policy`, and `tests/permissions.rs` fails before
//! that can ship. The role check itself is [`clinic::Clinic::authorize`], the same one the
//! workflows and the CLI use, so a refusal is recorded in the audit log.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use clinic::access::Action;
use clinic::{AccessError, Actor, Clinic};

/// What a command needs before it may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: the login and set-up screens call these before anyone is known.
    Public,
    /// A logged-in user with an unlocked session, any role.
    SignedIn,
    /// A logged-in user with an unlocked session whose role may perform the action.
    Role(Action),
}

/// Every command the window registers, and what it needs.
pub const POLICY: &[(&str, Need)] = &[
    ("session_state", Need::Public),
    ("setup_first_run", Need::Public),
    ("unlock_database", Need::Public),
    ("login", Need::Public),
    ("logout", Need::Public),
    ("unlock_session", Need::Public),
    ("lock_session", Need::SignedIn),
    ("session_touch", Need::SignedIn),
    ("app_info", Need::Role(Action::ViewStatus)),
    ("library_import", Need::Role(Action::LibraryImport)),
    ("library_import_cancel", Need::Role(Action::LibraryImport)),
    ("library_import_resume", Need::Role(Action::LibraryImport)),
    ("library_jobs", Need::Role(Action::LibraryImport)),
    ("library_job_files", Need::Role(Action::LibraryImport)),
    ("library_document", Need::Role(Action::LibrarySearch)),
    ("library_replace", Need::Role(Action::LibraryImport)),
    ("library_search", Need::Role(Action::LibrarySearch)),
    ("library_chunk", Need::Role(Action::LibrarySearch)),
    ("library_documents", Need::Role(Action::LibrarySearch)),
    ("library_delete", Need::Role(Action::LibraryImport)),
    ("ask", Need::Role(Action::Ask)),
    // Stopping an answer is always safe, and must work from the lock screen.
    ("ask_cancel", Need::Public),
    ("conversation_list", Need::Role(Action::Ask)),
    ("conversation_get", Need::Role(Action::Ask)),
    ("models_overview", Need::Role(Action::ManageModels)),
    ("model_import", Need::Role(Action::ManageModels)),
    ("model_import_cancel", Need::Role(Action::ManageModels)),
    ("model_rename", Need::Role(Action::ManageModels)),
    ("model_remove", Need::Role(Action::ManageModels)),
    ("model_set_template", Need::Role(Action::ManageModels)),
    ("model_use", Need::Role(Action::ManageModels)),
    ("model_sampling_set", Need::Role(Action::ManageModels)),
    ("engine_threads_set", Need::Role(Action::ManageModels)),
    ("engine_remote_set", Need::Role(Action::ManageModels)),
    ("engine_remote_test", Need::Role(Action::ManageModels)),
    ("engine_load", Need::Role(Action::ManageModels)),
    ("engine_unload", Need::Role(Action::ManageModels)),
    ("user_list", Need::Role(Action::ManageUsers)),
    ("user_add", Need::Role(Action::ManageUsers)),
    ("user_set_disabled", Need::Role(Action::ManageUsers)),
    ("user_reset_password", Need::Role(Action::ManageUsers)),
    ("audit_list", Need::Role(Action::ReadAudit)),
    ("audit_verify", Need::Role(Action::ReadAudit)),
    ("settings_set_idle_lock", Need::Role(Action::ChangeSettings)),
    ("triage_assess", Need::Role(Action::TriageCompute)),
    ("triage_save", Need::Role(Action::TriageSave)),
    ("triage_board", Need::Role(Action::ViewPatients)),
    ("encounter_get", Need::Role(Action::ViewPatients)),
    ("encounter_call_in", Need::Role(Action::ViewPatients)),
    ("triage_draft_save", Need::Role(Action::TriageCompute)),
    ("triage_draft_load", Need::Role(Action::TriageCompute)),
    ("triage_draft_discard", Need::Role(Action::TriageCompute)),
    ("triage_rules", Need::Role(Action::ViewStatus)),
];

/// What a command needs, if it is in the table.
pub fn need(command: &str) -> Option<Need> {
    POLICY.iter().find(|(c, _)| *c == command).map(|(_, n)| *n)
}

/// Who is at the workstation.
#[derive(Debug)]
pub struct Session {
    actor: Option<Actor>,
    locked: bool,
    last_activity: Instant,
    idle_lock: Duration,
}

impl Session {
    /// Nobody logged in yet.
    pub fn new(idle_lock: Duration) -> Session {
        Session {
            actor: None,
            locked: false,
            last_activity: Instant::now(),
            idle_lock,
        }
    }

    /// The logged-in user, locked or not.
    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_ref()
    }

    /// True when a user is logged in but must enter their password to go on.
    pub fn is_locked(&self) -> bool {
        self.actor.is_some() && self.locked
    }

    /// Starts a session for a freshly authenticated user.
    pub fn begin(&mut self, actor: Actor, now: Instant) {
        self.actor = Some(actor);
        self.locked = false;
        self.last_activity = now;
    }

    /// Ends the session; returns who it was.
    pub fn end(&mut self) -> Option<Actor> {
        self.locked = false;
        self.actor.take()
    }

    /// Locks the session, keeping the user (and, in the window, their unsaved work).
    pub fn lock(&mut self) {
        self.locked = true;
    }

    /// Unlocks after the user re-entered their password.
    pub fn unlock(&mut self, now: Instant) {
        self.locked = false;
        self.last_activity = now;
    }

    /// Changes the idle time after which the session locks.
    pub fn set_idle_lock(&mut self, idle: Duration) {
        self.idle_lock = idle;
    }

    /// Locks the session if it has been idle too long; true when it is locked.
    pub fn lock_if_idle(&mut self, now: Instant) -> bool {
        if self.actor.is_some() && now.duration_since(self.last_activity) >= self.idle_lock {
            self.locked = true;
        }
        self.is_locked()
    }

    /// Lets `command` through or says why not. A call that is let through counts as activity.
    pub fn admit(
        &mut self,
        command: &str,
        clinic: Option<&Clinic>,
        now: Instant,
    ) -> Result<(), clinic::ClinicError> {
        let need = need(command).ok_or_else(|| AccessError::NoPolicy(command.to_string()))?;
        if need == Need::Public {
            return Ok(());
        }
        let actor = self.actor.clone().ok_or(AccessError::NotAuthenticated)?;
        if self.lock_if_idle(now) {
            return Err(AccessError::SessionLocked.into());
        }
        if let Need::Role(action) = need {
            let clinic = clinic.ok_or(AccessError::NotAuthenticated)?;
            if let Err(e) = clinic.authorize(&actor, action) {
                // A disabled account or a reset password ends the session here: the window
                // asks for its state again and shows the login.
                if matches!(
                    e,
                    clinic::ClinicError::Access(
                        AccessError::AccountDisabled | AccessError::PasswordChanged
                    )
                ) {
                    self.end();
                }
                return Err(e);
            }
        }
        self.last_activity = now;
        Ok(())
    }
}

/// The session behind a lock, as the window shares it between commands.
pub type SharedSession = Mutex<Session>;
