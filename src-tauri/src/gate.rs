//! The gate every command call passes before its arguments are even read: is it a known
//! command, is someone logged in, is the session unlocked, may their role do this?
//!
//! The policy table [`POLICY`] names every command the window registers; a command missing
//! from it is refused at run time with `no_policy`, and `tests/permissions.rs` fails before
//! that can ship. The role check itself is [`clinic::Clinic::authorize`], the same one the
//! workflows and the CLI use, so a refusal is recorded in the audit log.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use clinic::access::lockout::UnlockThrottle;
use clinic::access::Action;
use clinic::{AccessError, Actor, Clinic};
use Activity::{Input, Poll};

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

/// Whether a call says someone is at the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// The window sends it because someone did something: it keeps the session awake.
    Input,
    /// The window sends it by itself: on a timer (the board's refresh) or to refresh a list
    /// when a job ends (an answer, an import). It must not keep an unattended session
    /// unlocked, so it does not count as activity; when a person asks for the same read, their
    /// click has already been reported by `session_touch`.
    Poll,
}

/// Every command the window registers, what it needs, and whether it counts as activity.
#[rustfmt::skip]
pub const POLICY: &[(&str, Need, Activity)] = &[
    ("session_state", Need::Public, Input),
    ("setup_first_run", Need::Public, Input),
    ("unlock_database", Need::Public, Input),
    ("login", Need::Public, Input),
    ("logout", Need::Public, Input),
    ("unlock_session", Need::Public, Input),
    ("lock_session", Need::SignedIn, Input),
    ("session_touch", Need::SignedIn, Input),
    // The one thing a user whose password an admin set may do (the workflows refuse the rest).
    ("password_change", Need::SignedIn, Input),
    ("app_info", Need::Role(Action::ViewStatus), Poll),
    ("library_import", Need::Role(Action::LibraryImport), Input),
    ("library_import_cancel", Need::Role(Action::LibraryImport), Input),
    ("library_import_resume", Need::Role(Action::LibraryImport), Input),
    ("library_jobs", Need::Role(Action::LibraryImport), Poll),
    ("library_job_files", Need::Role(Action::LibraryImport), Input),
    ("library_document", Need::Role(Action::LibrarySearch), Input),
    ("library_replace", Need::Role(Action::LibraryImport), Input),
    ("library_search", Need::Role(Action::LibrarySearch), Input),
    ("library_chunk", Need::Role(Action::LibrarySearch), Input),
    ("library_documents", Need::Role(Action::LibrarySearch), Poll),
    ("library_delete", Need::Role(Action::LibraryImport), Input),
    ("ask", Need::Role(Action::Ask), Input),
    // Stopping an answer is always safe, and must work from the lock screen.
    ("ask_cancel", Need::Public, Input),
    ("conversation_list", Need::Role(Action::Ask), Poll),
    ("conversation_get", Need::Role(Action::Ask), Input),
    ("models_overview", Need::Role(Action::ManageModels), Input),
    ("model_import", Need::Role(Action::ManageModels), Input),
    ("model_import_cancel", Need::Role(Action::ManageModels), Input),
    ("model_rename", Need::Role(Action::ManageModels), Input),
    ("model_remove", Need::Role(Action::ManageModels), Input),
    ("model_set_template", Need::Role(Action::ManageModels), Input),
    ("model_use", Need::Role(Action::ManageModels), Input),
    ("model_sampling_set", Need::Role(Action::ManageModels), Input),
    ("engine_threads_set", Need::Role(Action::ManageModels), Input),
    ("engine_keep_set", Need::Role(Action::ManageModels), Input),
    ("engine_remote_set", Need::Role(Action::ManageModels), Input),
    ("engine_remote_test", Need::Role(Action::ManageModels), Input),
    ("engine_load", Need::Role(Action::ManageModels), Input),
    ("engine_unload", Need::Role(Action::ManageModels), Input),
    ("user_list", Need::Role(Action::ManageUsers), Input),
    ("user_add", Need::Role(Action::ManageUsers), Input),
    ("user_set_disabled", Need::Role(Action::ManageUsers), Input),
    ("user_reset_password", Need::Role(Action::ManageUsers), Input),
    ("audit_list", Need::Role(Action::ReadAudit), Input),
    ("audit_verify", Need::Role(Action::ReadAudit), Input),
    ("audit_alarm_ack", Need::Role(Action::ReadAudit), Input),
    ("settings_set_idle_lock", Need::Role(Action::ChangeSettings), Input),
    ("triage_assess", Need::Role(Action::TriageCompute), Input),
    ("triage_save", Need::Role(Action::TriageSave), Input),
    ("triage_board", Need::Role(Action::ViewPatients), Poll),
    ("encounter_get", Need::Role(Action::ViewPatients), Input),
    ("encounter_call_in", Need::Role(Action::ViewPatients), Input),
    ("triage_draft_save", Need::Role(Action::TriageCompute), Input),
    ("triage_draft_load", Need::Role(Action::TriageCompute), Input),
    ("triage_draft_discard", Need::Role(Action::TriageCompute), Input),
    ("triage_rules", Need::Role(Action::ViewStatus), Input),
];

/// What a command needs, if it is in the table.
pub fn need(command: &str) -> Option<Need> {
    rule(command).map(|(need, _)| need)
}

/// Whether a command counts as activity, if it is in the table.
pub fn activity(command: &str) -> Option<Activity> {
    rule(command).map(|(_, activity)| activity)
}

fn rule(command: &str) -> Option<(Need, Activity)> {
    POLICY
        .iter()
        .find(|(c, _, _)| *c == command)
        .map(|(_, n, a)| (*n, *a))
}

/// Who is at the workstation.
#[derive(Debug)]
pub struct Session {
    actor: Option<Actor>,
    locked: bool,
    last_activity: Instant,
    idle_lock: Duration,
    /// Wrong passwords at this workstation's lock screen: they slow the next try down and
    /// never lock the account. Kept across users, since it is the workstation that waits.
    unlock_throttle: UnlockThrottle,
}

impl Session {
    /// Nobody logged in yet.
    pub fn new(idle_lock: Duration) -> Session {
        Session {
            actor: None,
            locked: false,
            last_activity: Instant::now(),
            idle_lock,
            unlock_throttle: UnlockThrottle::default(),
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
        self.unlock_throttle.succeeded();
    }

    /// Whether a password may be tried at the lock screen now, or how long to wait.
    pub fn unlock_allowed(&self, now: Instant) -> Result<(), AccessError> {
        self.unlock_throttle.check(now)
    }

    /// Counts a wrong password typed at the lock screen.
    pub fn unlock_failed(&mut self, now: Instant) {
        self.unlock_throttle.failed(now);
    }

    /// Swaps in the same user's actor after they changed their password (the old one names
    /// the old password). Nothing happens when someone else is logged in by then.
    pub fn renew(&mut self, actor: Actor) {
        if self.actor.as_ref().map(Actor::username) == Some(actor.username()) {
            self.actor = Some(actor);
        }
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

    /// Lets `command` through or says why not. A call that is let through counts as activity
    /// unless its policy marks it as a poll.
    pub fn admit(
        &mut self,
        command: &str,
        clinic: Option<&Clinic>,
        now: Instant,
    ) -> Result<(), clinic::ClinicError> {
        let (actor, activity) = self.check(command, clinic, now)?;
        // A public command (the window asking for the session's state) is nobody's input.
        if actor.is_some() && activity == Activity::Input {
            self.last_activity = now;
        }
        Ok(())
    }

    /// The user `command` runs as, checked again as the command takes it (the window's
    /// `Admitted` argument): the same checks as [`Session::admit`], counting nothing. Between
    /// the gate and the command the session may have ended, locked or changed hands; the
    /// command then runs as nobody rather than as whoever is logged in by then without the
    /// gate's say.
    pub fn admitted(
        &mut self,
        command: &str,
        clinic: Option<&Clinic>,
        now: Instant,
    ) -> Result<Actor, clinic::ClinicError> {
        let (actor, _) = self.check(command, clinic, now)?;
        actor.ok_or_else(|| AccessError::NotAuthenticated.into())
    }

    /// The gate's checks: a known command; for all but public ones someone logged in, the
    /// session not idle; for role-bound ones the account still valid and the role allowed.
    fn check(
        &mut self,
        command: &str,
        clinic: Option<&Clinic>,
        now: Instant,
    ) -> Result<(Option<Actor>, Activity), clinic::ClinicError> {
        let (need, activity) =
            rule(command).ok_or_else(|| AccessError::NoPolicy(command.to_string()))?;
        if need == Need::Public {
            return Ok((None, activity));
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
        Ok((Some(actor), activity))
    }
}

/// The session behind a lock, as the window shares it between commands (and with the blocking
/// task that changes a password, which holds it throughout).
pub type SharedSession = std::sync::Arc<Mutex<Session>>;
