//! The role matrix: every command the window registers, called by each role on a real
//! encrypted database, is let through exactly when its policy allows that role, and refused
//! with a typed error otherwise. A command added without a policy fails here.

use std::time::{Duration, Instant};

use bedside_app::gate::{activity, need, Activity, Need, Session, POLICY};
use clinic::{Clinic, NewAccount, Role};

fn clinic_with_one_user_per_role(dir: &std::path::Path) -> (Clinic, Vec<clinic::Actor>) {
    let clinic = Clinic::open(dir, &store::Key::Passphrase("gate test passphrase".into())).unwrap();
    let admin = clinic
        .create_first_admin("admin", "", "admin password 1")
        .unwrap();
    let mut actors = vec![admin.clone()];
    for (name, role) in [("nurse.wang", Role::Nurse), ("dr.li", Role::Clinician)] {
        clinic
            .add_user(
                &admin,
                &NewAccount {
                    username: name.into(),
                    display_name: String::new(),
                    role,
                    password: "password 12345".into(),
                },
            )
            .unwrap();
        // The owner replaces the password the admin chose, as the window makes them.
        let first = clinic.login(name, "password 12345").unwrap();
        actors.push(
            clinic
                .change_password(&first, "password 12345", "own password 678")
                .unwrap(),
        );
    }
    (clinic, actors)
}

#[test]
fn every_command_admits_exactly_the_roles_its_policy_names() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let now = Instant::now();
    for (command, need, _) in POLICY {
        for actor in &actors {
            let mut session = Session::new(Duration::from_secs(300));
            session.begin(actor.clone(), now);
            let result = session.admit(command, Some(&clinic), now);
            let allowed = match need {
                Need::Public | Need::SignedIn => true,
                Need::Role(action) => action.allows(actor.role()),
            };
            match result {
                Ok(()) => assert!(allowed, "{command} let a {} through", actor.role()),
                Err(e) => {
                    assert!(!allowed, "{command} refused a {}: {e}", actor.role());
                    assert_eq!(e.code(), "forbidden", "{command}");
                }
            }
        }
        // Nobody logged in: only the public commands pass.
        let mut nobody = Session::new(Duration::from_secs(300));
        match nobody.admit(command, Some(&clinic), now) {
            Ok(()) => assert_eq!(*need, Need::Public, "{command} let nobody through"),
            Err(e) => assert_eq!(e.code(), "not_authenticated", "{command}"),
        }
    }
    let refusals = clinic
        .store()
        .audit_list(&store::AuditFilter {
            outcome: Some("denied".into()),
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap();
    assert!(
        refusals
            .iter()
            .any(|r| r.username == "nurse.wang" && r.action == "manage_users"),
        "refusals are in the audit log"
    );
}

/// The commands anyone may call without logging in, written out so that a command made
/// public by mistake fails here.
const PUBLIC: &[&str] = &[
    "session_state",
    "setup_first_run",
    "unlock_database",
    "login",
    "logout",
    "unlock_session",
    "ask_cancel",
];

#[test]
fn only_the_login_and_setup_commands_are_public() {
    let public: Vec<&str> = POLICY
        .iter()
        .filter(|(_, n, _)| *n == Need::Public)
        .map(|(c, _, _)| *c)
        .collect();
    assert_eq!(public, PUBLIC);
    assert_eq!(
        need("user_add"),
        Some(Need::Role(clinic::access::Action::ManageUsers))
    );
    assert_eq!(
        need("library_import"),
        Some(Need::Role(clinic::access::Action::LibraryImport))
    );
}

#[test]
fn a_command_without_a_policy_is_refused() {
    assert_eq!(need("delete_everything"), None);
    let mut session = Session::new(Duration::from_secs(300));
    let e = session
        .admit("delete_everything", None, Instant::now())
        .unwrap_err();
    assert_eq!(e.code(), "no_policy");
}

#[test]
fn an_idle_session_locks_and_only_the_public_commands_pass_until_unlocked() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let start = Instant::now();
    let mut session = Session::new(Duration::from_secs(5 * 60));
    session.begin(actors[2].clone(), start);
    let later = start + Duration::from_secs(4 * 60);
    assert!(session
        .admit("library_search", Some(&clinic), later)
        .is_ok());
    // Activity at `later` pushed the lock back: 4 more minutes are fine, 5 are not.
    let idle = later + Duration::from_secs(5 * 60);
    let e = session
        .admit("library_search", Some(&clinic), idle)
        .unwrap_err();
    assert_eq!(e.code(), "session_locked");
    assert!(session.is_locked());
    assert_eq!(
        session.actor().unwrap().username(),
        "dr.li",
        "the user stays"
    );
    assert!(session.admit("session_state", Some(&clinic), idle).is_ok());
    assert_eq!(
        session
            .admit("session_touch", Some(&clinic), idle)
            .unwrap_err()
            .code(),
        "session_locked",
        "activity alone does not unlock"
    );
    session.unlock(idle);
    assert!(session.admit("library_search", Some(&clinic), idle).is_ok());
}

/// The review's finding: the board refreshes every minute, and each refresh used to count as
/// activity, so a workstation left on the board never locked.
#[test]
fn a_session_left_on_the_polling_board_locks_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let start = Instant::now();
    let mut session = Session::new(Duration::from_secs(5 * 60));
    session.begin(actors[1].clone(), start);
    // The board polls every minute for four minutes; nobody touches the keyboard.
    for minute in 1..5 {
        let at = start + Duration::from_secs(minute * 60);
        assert!(
            session.admit("triage_board", Some(&clinic), at).is_ok(),
            "the board still refreshes at minute {minute}"
        );
    }
    let e = session
        .admit(
            "triage_board",
            Some(&clinic),
            start + Duration::from_secs(5 * 60),
        )
        .unwrap_err();
    assert_eq!(
        e.code(),
        "session_locked",
        "five idle minutes lock the board"
    );
    assert!(session.is_locked());

    // Real input is what keeps a session awake: a touch at minute 4 moves the lock to 9.
    let mut session = Session::new(Duration::from_secs(5 * 60));
    session.begin(actors[1].clone(), start);
    let touched = start + Duration::from_secs(4 * 60);
    assert!(session
        .admit("session_touch", Some(&clinic), touched)
        .is_ok());
    let before_lock = start + Duration::from_secs(8 * 60);
    assert!(session
        .admit("triage_board", Some(&clinic), before_lock)
        .is_ok());
    assert!(session
        .admit(
            "triage_board",
            Some(&clinic),
            start + Duration::from_secs(9 * 60)
        )
        .is_err());
}

/// Only the reads the window makes by itself (a timer, a refresh when a job ends) are polls,
/// written out so that a command marked
/// passive by mistake (and so no longer keeping a working user's session awake) fails here.
#[test]
fn only_the_windows_own_refreshes_are_marked_as_polls() {
    let polls: Vec<&str> = POLICY
        .iter()
        .filter(|(_, _, a)| *a == Activity::Poll)
        .map(|(c, _, _)| *c)
        .collect();
    assert_eq!(
        polls,
        [
            "app_info",
            "library_jobs",
            "library_documents",
            "conversation_list",
            "triage_board"
        ]
    );
    assert_eq!(activity("session_touch"), Some(Activity::Input));
    assert_eq!(activity("triage_save"), Some(Activity::Input));
}

#[test]
fn a_disabled_account_or_a_reset_password_ends_the_windows_session() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let (admin, nurse, doctor) = (&actors[0], &actors[1], &actors[2]);
    let now = Instant::now();
    for (who, change) in [("nurse.wang", "reset"), ("dr.li", "disable")] {
        let actor = if who == "nurse.wang" { nurse } else { doctor };
        let mut session = Session::new(Duration::from_secs(300));
        session.begin(actor.clone(), now);
        assert!(session.admit("library_search", Some(&clinic), now).is_ok());
        match change {
            "reset" => clinic
                .reset_password(admin, who, "a new password 1")
                .unwrap(),
            _ => clinic.set_user_disabled(admin, who, true).unwrap(),
        }
        let e = session
            .admit("library_search", Some(&clinic), now)
            .unwrap_err();
        let expected = if change == "reset" {
            "password_changed"
        } else {
            "account_disabled"
        };
        assert_eq!(e.code(), expected);
        assert!(
            session.actor().is_none(),
            "the session ended after {change}"
        );
        assert_eq!(
            session
                .admit("library_search", Some(&clinic), now)
                .unwrap_err()
                .code(),
            "not_authenticated"
        );
    }
}

/// Guesses at a lock screen slow this workstation down instead of locking the account: after
/// the free typos the next try waits, and other users' logins on the same workstation do not
/// clear the wait.
#[test]
fn wrong_passwords_at_the_lock_screen_make_the_workstation_wait() {
    let dir = tempfile::tempdir().unwrap();
    let (_clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let start = Instant::now();
    let mut session = Session::new(Duration::from_secs(300));
    session.begin(actors[1].clone(), start);
    session.lock();
    for _ in 0..clinic::access::lockout::UNLOCK_FREE_FAILURES {
        assert!(session.unlock_allowed(start).is_ok());
        session.unlock_failed(start);
    }
    let e = session.unlock_allowed(start).unwrap_err();
    assert_eq!(e.code(), "try_again_later");
    session.end();
    session.begin(actors[2].clone(), start);
    session.lock();
    assert!(
        session.unlock_allowed(start).is_err(),
        "the workstation still waits"
    );
    let later = start + Duration::from_secs(clinic::access::lockout::UNLOCK_FIRST_WAIT_SECONDS);
    assert!(session.unlock_allowed(later).is_ok());
    session.unlock(later);
    assert!(session.unlock_allowed(later).is_ok());
}

/// An account whose password an admin set may change it and lock the screen, and nothing
/// else, until the change is made.
#[test]
fn a_password_an_admin_set_must_be_changed_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    clinic
        .reset_password(&actors[0], "nurse.wang", "admin chose this 1")
        .unwrap();
    let nurse = clinic.login("nurse.wang", "admin chose this 1").unwrap();
    assert!(nurse.must_change_password());
    let now = Instant::now();
    let mut session = Session::new(Duration::from_secs(300));
    session.begin(nurse.clone(), now);
    for (command, need, _) in POLICY {
        let result = session.admit(command, Some(&clinic), now);
        match need {
            Need::Role(_) => assert_eq!(
                result.unwrap_err().code(),
                "password_change_required",
                "{command}"
            ),
            Need::Public | Need::SignedIn => assert!(result.is_ok(), "{command}"),
        }
    }
    assert!(
        session.actor().is_some(),
        "the session stays to change the password"
    );
    let renewed = clinic
        .change_password(&nurse, "admin chose this 1", "nurse's own pw 9")
        .unwrap();
    session.renew(renewed);
    assert!(session.admit("triage_board", Some(&clinic), now).is_ok());
}

/// A command takes its user from the gate as its arguments are parsed, on the async runtime,
/// after the invoke handler admitted the call: it runs as the user the gate admits it for
/// then, or not at all; never as whoever happens to be logged in.
#[test]
fn a_command_runs_only_as_a_user_the_gate_admits_it_for() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let (admin, nurse) = (&actors[0], &actors[1]);
    let start = Instant::now();
    let mut session = Session::new(Duration::from_secs(60));
    session.begin(admin.clone(), start);
    assert!(session.admit("user_list", Some(&clinic), start).is_ok());
    let taken = session.admitted("user_list", Some(&clinic), start).unwrap();
    assert_eq!(taken.username(), "admin");

    // The admin's call was admitted, then a nurse logged in before it ran.
    session.begin(nurse.clone(), start);
    let e = session
        .admitted("user_list", Some(&clinic), start)
        .unwrap_err();
    assert_eq!(
        e.code(),
        "forbidden",
        "not the admin's user list as the nurse"
    );
    // Logged out, or locked, in between: the command runs as nobody.
    session.end();
    let e = session
        .admitted("triage_board", Some(&clinic), start)
        .unwrap_err();
    assert_eq!(e.code(), "not_authenticated");
    session.begin(nurse.clone(), start);
    session.lock();
    let e = session
        .admitted("triage_board", Some(&clinic), start)
        .unwrap_err();
    assert_eq!(e.code(), "session_locked");

    // Taking the actor counts as nothing: a poll's command does not keep the session awake.
    session.unlock(start);
    let later = start + Duration::from_secs(45);
    assert!(session
        .admitted("library_search", Some(&clinic), later)
        .is_ok());
    let e = session
        .admit(
            "triage_board",
            Some(&clinic),
            start + Duration::from_secs(61),
        )
        .unwrap_err();
    assert_eq!(e.code(), "session_locked");
}

/// Every role-bound command takes its user from the gate ([`bedside_app`]'s `Admitted`
/// argument) rather than reading the session on its own: a command added without it fails
/// here.
#[test]
fn every_role_bound_command_takes_the_admitted_actor() {
    // Read at run time: a test binary reused from another checkout must read this one.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it for tests");
    let src = std::path::Path::new(&manifest).join("src");
    let mut code = String::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        code.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(
        !code.contains("state.actor()"),
        "no command reads the session for its user"
    );
    for (command, need, _) in POLICY {
        let signature = [
            format!("pub fn {command}("),
            format!("pub async fn {command}("),
        ]
        .iter()
        .find_map(|start| code.find(start.as_str()))
        .map(|at| &code[at..at + code[at..].find(')').unwrap()])
        .unwrap_or_else(|| panic!("{command} has no command function"));
        let takes_actor = signature.contains("Admitted");
        match need {
            Need::Role(_) => assert!(takes_actor, "{command} must take `Admitted`"),
            Need::Public => assert!(!takes_actor, "{command} is public"),
            Need::SignedIn => {}
        }
    }
}

/// The window asks for the session's state on its own (a public command, no user behind it):
/// that is nobody's input and must not keep an idle session awake.
#[test]
fn asking_for_the_sessions_state_does_not_keep_it_awake() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let start = Instant::now();
    let mut session = Session::new(Duration::from_secs(60));
    session.begin(actors[1].clone(), start);
    for s in [20, 40, 59] {
        let at = start + Duration::from_secs(s);
        assert!(session.admit("session_state", Some(&clinic), at).is_ok());
    }
    let e = session
        .admit(
            "triage_board",
            Some(&clinic),
            start + Duration::from_secs(61),
        )
        .unwrap_err();
    assert_eq!(e.code(), "session_locked");
}
