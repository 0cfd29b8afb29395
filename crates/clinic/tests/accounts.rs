//! Accounts, the role check, the audit trail and backups, through the workflows, on real files.

mod common;

use clinic::admin::ExportFormat;
use clinic::{Clinic, NewAccount, Role};
use store::AuditFilter;

const ADMIN_PW: &str = "admin password 1";

fn account(username: &str, role: Role, password: &str) -> NewAccount {
    NewAccount {
        username: username.into(),
        display_name: String::new(),
        role,
        password: password.into(),
    }
}

fn code<T: std::fmt::Debug>(r: clinic::Result<T>) -> &'static str {
    r.expect_err("must be refused").code()
}

fn last(clinic: &Clinic) -> store::AuditRecord {
    clinic.store().audit_list(&AuditFilter::default()).unwrap()[0].clone()
}

#[test]
fn the_first_admin_is_made_once_and_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    let clinic = Clinic::open(dir.path(), &common::key()).unwrap();
    assert!(clinic.needs_first_admin().unwrap());
    assert_eq!(
        code(clinic.create_first_admin("root", "", "short")),
        "weak_password"
    );
    let admin = clinic
        .create_first_admin("root", "IT 王", ADMIN_PW)
        .unwrap();
    assert_eq!((admin.role(), admin.display_name()), (Role::Admin, "IT 王"));
    assert_eq!(
        code(clinic.create_first_admin("intruder", "", "intruder pw 1")),
        "invalid_input"
    );
    assert_eq!(clinic.login("ROOT", ADMIN_PW).unwrap().username(), "root");
    assert_eq!(last(&clinic).action, "login");
}

#[test]
fn wrong_passwords_lock_the_account_and_an_admin_reset_lifts_it() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    clinic
        .add_user(&admin, &account("nurse.wang", Role::Nurse, "nurse pw 11"))
        .unwrap();
    assert_eq!(
        code(clinic.login("nobody", "whatever 1")),
        "bad_credentials"
    );
    for _ in 0..4 {
        assert_eq!(
            code(clinic.login("nurse.wang", "wrong pw 11")),
            "bad_credentials"
        );
    }
    assert_eq!(
        code(clinic.login("nurse.wang", "wrong pw 11")),
        "account_locked"
    );
    assert_eq!(
        code(clinic.login("nurse.wang", "nurse pw 11")),
        "account_locked",
        "even the right password waits out the lock"
    );
    clinic
        .reset_password(&admin, "nurse.wang", "new nurse pw 2")
        .unwrap();
    let nurse = clinic.login("nurse.wang", "new nurse pw 2").unwrap();
    assert_eq!(nurse.role(), Role::Nurse);

    let failures = clinic
        .store()
        .audit_list(&AuditFilter {
            action: Some("login".into()),
            outcome: Some("denied".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(failures.len(), 7);
    let mut export = Vec::new();
    clinic
        .audit_export(&admin, ExportFormat::JsonLines, &mut export)
        .unwrap();
    let export = String::from_utf8(export).unwrap();
    for secret in [
        "nurse pw 11",
        "wrong pw 11",
        "new nurse pw 2",
        ADMIN_PW,
        "argon2",
    ] {
        assert!(
            !export.contains(secret),
            "{secret} leaked into the audit log"
        );
    }
}

#[test]
fn roles_are_enforced_by_the_workflows_and_refusals_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 11");
    let guidelines = [common::sample_guidelines()];
    assert_eq!(
        code(clinic.import(&nurse, &guidelines, &|| false, &mut |_| {})),
        "forbidden"
    );
    let denied = last(&clinic);
    assert_eq!(
        (
            denied.username.as_str(),
            denied.action.as_str(),
            denied.outcome.as_str()
        ),
        ("nurse.wang", "library_import", "denied")
    );
    assert_eq!(code(clinic.users(&nurse)), "forbidden");
    assert_eq!(code(clinic.audit_verify(&nurse)), "forbidden");
    assert_eq!(
        code(clinic.backup(&nurse, &dir.path().join("b.db"))),
        "forbidden"
    );
    assert_eq!(code(clinic.rebuild(&nurse)), "forbidden");
    assert_eq!(code(clinic.set_idle_lock_minutes(&nurse, 10)), "forbidden");
    clinic
        .import(&admin, &guidelines, &|| false, &mut |_| {})
        .unwrap();
    assert!(!clinic.search(&nurse, "asthma", 3).unwrap().is_empty());
}

#[test]
fn a_disabled_account_loses_access_at_once_and_the_last_admin_stays() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let doctor = common::user(&clinic, &admin, "dr.li", Role::Clinician, "clinician pw 1");
    assert!(clinic.search(&doctor, "asthma", 3).is_ok());
    clinic.set_user_disabled(&admin, "dr.li", true).unwrap();
    assert_eq!(
        code(clinic.search(&doctor, "asthma", 3)),
        "account_disabled"
    );
    assert_eq!(
        code(clinic.login("dr.li", "clinician pw 1")),
        "account_disabled"
    );
    assert_eq!(
        code(clinic.set_user_disabled(&admin, "admin", true)),
        "invalid_input"
    );
    clinic.set_user_disabled(&admin, "dr.li", false).unwrap();
    assert!(clinic.login("dr.li", "clinician pw 1").is_ok());
    assert_eq!(
        code(clinic.add_user(&admin, &account("DR.LI", Role::Nurse, "another pw 1"))),
        "already_exists"
    );
}

#[test]
fn idle_lock_setting_has_a_default_a_range_and_an_audit_row() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    assert_eq!(clinic.idle_lock_minutes().unwrap(), 5);
    assert_eq!(
        code(clinic.set_idle_lock_minutes(&admin, 0)),
        "invalid_input"
    );
    assert_eq!(
        code(clinic.set_idle_lock_minutes(&admin, 600)),
        "invalid_input"
    );
    clinic.set_idle_lock_minutes(&admin, 15).unwrap();
    assert_eq!(clinic.idle_lock_minutes().unwrap(), 15);
    let row = last(&clinic);
    assert_eq!(row.action, "setting_change");
    assert!(row.detail.contains("\"to\":15"));
}

#[test]
fn restore_rolls_back_documents_and_the_index_and_says_so_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let snapshot = dir.path().join("before-import.db");
    let report = clinic.backup(&admin, &snapshot).unwrap();
    assert_eq!(report.documents, 0);
    clinic
        .import(
            &admin,
            &[common::sample_guidelines()],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert!(!clinic.search(&admin, "asthma", 3).unwrap().is_empty());
    let head_before = clinic.store().verify_audit_chain().unwrap();

    clinic.restore(&admin, &snapshot).unwrap();
    assert_eq!(clinic.store().document_count().unwrap(), 0);
    assert!(clinic.search(&admin, "asthma", 3).unwrap().is_empty());
    let row = last(&clinic);
    assert_eq!(row.action, "restore");
    assert!(row.detail.contains(&head_before.head_hash));
    assert!(clinic.store().verify_audit_chain().unwrap().intact());
}

#[test]
fn audit_export_as_csv_quotes_fields_and_verify_reports_the_head() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let report = clinic.audit_verify(&admin).unwrap();
    assert!(report.intact);
    assert_eq!(
        report.chain.rows, 2,
        "the setup of the first admin, the start of its head file"
    );
    let mut csv = Vec::new();
    let n = clinic
        .audit_export(&admin, ExportFormat::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<_> = csv.lines().collect();
    assert!(lines[0].starts_with("id,at,username,role,action"));
    assert_eq!(lines.len() as u64, n + 1);
    assert_eq!(n, 3, "setup, the head file, the verification: {csv}");
    assert!(
        csv.contains(",\"{\"\"altered\"\":[],\"\"first_broken\"\":null,"),
        "JSON detail is quoted: {csv}"
    );
}

#[test]
fn a_lock_runs_out_and_the_count_starts_again() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    clinic
        .add_user(&admin, &account("nurse.wang", Role::Nurse, "nurse pw 11"))
        .unwrap();
    for _ in 0..5 {
        let _ = clinic.login("nurse.wang", "wrong pw 11");
    }
    assert_eq!(
        code(clinic.login("nurse.wang", "nurse pw 11")),
        "account_locked"
    );
    // Five minutes pass: move the lock into the past, as the clock would.
    let conn = rusqlite::Connection::open(dir.path().join("bedside.db")).unwrap();
    conn.execute_batch("PRAGMA key = 'clinic test passphrase';")
        .unwrap();
    conn.execute(
        "UPDATE users SET locked_until = locked_until - 301 WHERE username = 'nurse.wang'",
        [],
    )
    .unwrap();
    drop(conn);
    // One more wrong password is the first of a new count, not a new lock.
    assert_eq!(
        code(clinic.login("nurse.wang", "wrong pw 11")),
        "bad_credentials"
    );
    let user = clinic.store().user_by_name("nurse.wang").unwrap().unwrap();
    assert_eq!((user.failed_logins, user.locked_until), (1, None));
    assert!(clinic.login("nurse.wang", "nurse pw 11").is_ok());
    let user = clinic.store().user_by_name("nurse.wang").unwrap().unwrap();
    assert_eq!(user.failed_logins, 0);
}

#[test]
fn an_unknown_user_name_is_recorded_only_as_a_digest() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    assert_eq!(
        code(clinic.login("my secret password typed in the wrong box", "x")),
        "bad_credentials"
    );
    let row = last(&clinic);
    assert!(!row.object_id.contains("secret") && !row.detail.contains("secret"));
    // Keyed: the plain SHA-256 of the name, which anyone could compute, is not what is kept.
    let typed = "my secret password typed in the wrong box";
    let plain = hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(typed.as_bytes())[..8]);
    assert!(!row.object_id.contains(&plain), "{}", row.object_id);
    assert!(row.object_id.starts_with("hmac:"), "{}", row.object_id);
    // An admin who suspects a name finds its rows; another name does not match.
    assert_eq!(
        clinic.unknown_name_digest(&admin, typed).unwrap(),
        row.object_id
    );
    assert_ne!(
        clinic.unknown_name_digest(&admin, "dr.wu").unwrap(),
        row.object_id
    );
    // The same name gives the same digest on the next attempt (the key is kept).
    let _ = clinic.login(typed, "y");
    let again = clinic
        .store()
        .audit_list(&AuditFilter {
            action: Some("login".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(again[0].object_id, row.object_id);
}

#[test]
fn a_password_reset_ends_the_sessions_that_logged_in_with_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 1234");
    clinic
        .authorize(&nurse, access::Action::TriageCompute)
        .unwrap();
    clinic
        .reset_password(&admin, "nurse.wang", "new nurse pw 2")
        .unwrap();
    let err = clinic
        .authorize(&nurse, access::Action::TriageCompute)
        .unwrap_err();
    assert_eq!(err.code(), "password_changed");
    assert_eq!(last(&clinic).outcome, "denied");
    // The admin knows the new password: it opens a session that must change it first, and
    // then works; the admin's own session is untouched.
    let again = clinic.login("nurse.wang", "new nurse pw 2").unwrap();
    assert_eq!(
        code(clinic.authorize(&again, access::Action::TriageCompute)),
        "password_change_required"
    );
    let again = clinic
        .change_password(&again, "new nurse pw 2", "nurse's own pw 3")
        .unwrap();
    clinic
        .authorize(&again, access::Action::TriageCompute)
        .unwrap();
    clinic
        .authorize(&admin, access::Action::ManageUsers)
        .unwrap();
}

/// The review's finding: from a locked screen, five guesses by anyone locked the owner out of
/// their own session. Guesses at the lock screen are audited and never count towards the lock.
#[test]
fn wrong_passwords_at_the_lock_screen_never_lock_the_owner_out() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 1234");
    for _ in 0..(access::lockout::MAX_FAILURES * 2) {
        assert_eq!(
            code(clinic.unlock(&nurse, "a guess 1234")),
            "bad_credentials"
        );
    }
    let denied = last(&clinic);
    assert_eq!(
        (
            denied.action.as_str(),
            denied.outcome.as_str(),
            denied.username.as_str()
        ),
        ("unlock", "denied", "nurse.wang")
    );
    assert!(denied.detail.contains("bad_password"), "{}", denied.detail);
    let user = clinic.store().user_by_name("nurse.wang").unwrap().unwrap();
    assert_eq!((user.failed_logins, user.locked_until), (0, None));
    clinic.unlock(&nurse, "nurse pw 1234").unwrap();
    assert_eq!(last(&clinic).outcome, "ok");
    assert!(clinic.login("nurse.wang", "nurse pw 1234").is_ok());

    // A reset password or a disabled account cannot be unlocked, even with the old password.
    clinic
        .reset_password(&admin, "nurse.wang", "new nurse pw 2")
        .unwrap();
    assert_eq!(
        code(clinic.unlock(&nurse, "nurse pw 1234")),
        "password_changed"
    );
    let again = clinic.login("nurse.wang", "new nurse pw 2").unwrap();
    clinic
        .set_user_disabled(&admin, "nurse.wang", true)
        .unwrap();
    assert_eq!(
        code(clinic.unlock(&again, "new nurse pw 2")),
        "account_disabled"
    );
}

/// Someone else logging in over a locked session must not throw away the owner's unsaved
/// intake; an explicit logout still does.
#[test]
fn switching_user_keeps_the_previous_users_draft_and_logout_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let nurse = common::user(&clinic, &admin, "nurse.wang", Role::Nurse, "nurse pw 1234");
    let draft = serde_json::json!({"version": 3, "complaint": "chest pain"});
    clinic.save_triage_draft(&nurse, &draft).unwrap();
    clinic.switched_from(&nurse).unwrap();
    let row = last(&clinic);
    assert_eq!(
        (row.action.as_str(), row.username.as_str()),
        ("logout", "nurse.wang")
    );
    assert!(row.detail.contains("switch_user"), "{}", row.detail);
    let nurse = clinic.login("nurse.wang", "nurse pw 1234").unwrap();
    let kept = clinic
        .triage_draft(&nurse)
        .unwrap()
        .expect("the draft is kept");
    assert!(kept.draft.to_string().contains("chest pain"), "{kept:?}");
    clinic.logout(&nurse).unwrap();
    let nurse = clinic.login("nurse.wang", "nurse pw 1234").unwrap();
    assert!(clinic.triage_draft(&nurse).unwrap().is_none());
}

/// The admin knows the password they typed for a new account: its owner must choose their
/// own before any workflow runs, with the current one first and a new one that differs.
#[test]
fn a_new_account_replaces_the_admins_password_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    assert!(
        !admin.must_change_password(),
        "the first admin chose their own"
    );
    clinic
        .add_user(
            &admin,
            &account("nurse.wang", Role::Nurse, "admin typed 11"),
        )
        .unwrap();
    let first = clinic.login("nurse.wang", "admin typed 11").unwrap();
    assert!(first.must_change_password());
    assert_eq!(
        code(clinic.search(&first, "asthma", 3)),
        "password_change_required"
    );
    assert_eq!(
        code(clinic.change_password(&first, "a wrong guess 1", "my own pw 22")),
        "bad_credentials"
    );
    assert_eq!(
        code(clinic.change_password(&first, "admin typed 11", "admin typed 11")),
        "weak_password"
    );
    let mine = clinic
        .change_password(&first, "admin typed 11", "my own pw 22")
        .unwrap();
    assert!(!mine.must_change_password());
    assert!(clinic.search(&mine, "asthma", 3).is_ok());
    let changes = clinic
        .store()
        .audit_list(&AuditFilter {
            action: Some("user_passwd".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].username, "nurse.wang");
    assert_eq!(
        code(clinic.login("nurse.wang", "admin typed 11")),
        "bad_credentials"
    );
    let listed = clinic.users(&admin).unwrap();
    assert!(listed.iter().all(|u| !u.must_change_password));
}

/// Who read the log and the user list is part of the trail; and a user name a spreadsheet
/// would run as a formula is neutralised in the CSV export only, while the JSON-lines export
/// keeps every byte, so the chain still verifies from it.
#[test]
fn admin_reads_are_recorded_and_csv_formulas_do_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let formula = "=HYPERLINK(\"http://x\",\"y\")";
    clinic
        .add_user(&admin, &account(formula, Role::Nurse, "nurse pw 11"))
        .unwrap();
    clinic.users(&admin).unwrap();
    assert_eq!(last(&clinic).action, "user_list");
    clinic
        .audit_list(
            &admin,
            &AuditFilter {
                username: Some("nurse.wang".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let read = last(&clinic);
    assert_eq!(
        (read.action.as_str(), read.username.as_str()),
        ("audit_read", "admin")
    );
    assert!(read.detail.contains("nurse.wang"), "{}", read.detail);

    let mut csv = Vec::new();
    clinic
        .audit_export(&admin, ExportFormat::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let added = csv.lines().find(|l| l.contains(",user_add,")).unwrap();
    assert!(added.contains(",user,\"'=HYPERLINK("), "{added}");
    assert!(
        !csv.lines()
            .flat_map(|l| l.split(','))
            .any(|f| f.starts_with('=')),
        "{csv}"
    );
    let mut jsonl = Vec::new();
    clinic
        .audit_export(&admin, ExportFormat::JsonLines, &mut jsonl)
        .unwrap();
    let jsonl = String::from_utf8(jsonl).unwrap();
    let row: serde_json::Value =
        serde_json::from_str(jsonl.lines().find(|l| l.contains("user_add")).unwrap()).unwrap();
    assert_eq!(row["object_id"], formula, "the JSON export is exact");
}
