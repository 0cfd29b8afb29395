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
    clinic
        .add_user(&admin, &account("nurse.wang", Role::Nurse, "nurse pw 11"))
        .unwrap();
    let nurse = clinic.login("nurse.wang", "nurse pw 11").unwrap();
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
    clinic
        .add_user(&admin, &account("dr.li", Role::Clinician, "clinician pw 1"))
        .unwrap();
    let doctor = clinic.login("dr.li", "clinician pw 1").unwrap();
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
    assert!(report.intact());
    assert_eq!(report.rows, 1, "the setup of the first admin");
    let mut csv = Vec::new();
    let n = clinic
        .audit_export(&admin, ExportFormat::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<_> = csv.lines().collect();
    assert!(lines[0].starts_with("id,at,username,role,action"));
    assert_eq!(lines.len() as u64, n + 1);
    assert_eq!(n, 2, "setup and the verification: {csv}");
    assert!(
        csv.contains(",\"{\"\"first_broken\"\":null,\"\"intact\"\":true"),
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
    let (clinic, _) = common::open(dir.path());
    assert_eq!(
        code(clinic.login("my secret password typed in the wrong box", "x")),
        "bad_credentials"
    );
    let row = last(&clinic);
    assert!(row.object_id.starts_with("sha256:"), "{}", row.object_id);
    assert!(!row.object_id.contains("secret") && !row.detail.contains("secret"));
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
    // The new password opens a session that works; the admin's own session is untouched.
    let again = clinic.login("nurse.wang", "new nurse pw 2").unwrap();
    clinic
        .authorize(&again, access::Action::TriageCompute)
        .unwrap();
    clinic
        .authorize(&admin, access::Action::ManageUsers)
        .unwrap();
}
