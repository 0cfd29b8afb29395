//! The role matrix: every command the window registers, called by each role on a real
//! encrypted database, is let through exactly when its policy allows that role, and refused
//! with a typed error otherwise. A command added without a policy fails here.

use std::time::{Duration, Instant};

use bedside_app::gate::{need, Need, Session, POLICY};
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
        actors.push(clinic.login(name, "password 12345").unwrap());
    }
    (clinic, actors)
}

#[test]
fn every_command_admits_exactly_the_roles_its_policy_names() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, actors) = clinic_with_one_user_per_role(dir.path());
    let now = Instant::now();
    for (command, need) in POLICY {
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
        .filter(|(_, n)| *n == Need::Public)
        .map(|(c, _)| *c)
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
