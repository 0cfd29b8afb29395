//! Encryption at rest, tamper detection, the audit chain, backup and restore, on real files.

use std::path::Path;

use store::{AuditEntry, Key, NewChunk, NewDocument, NewUser, Outcome, Store};

const MARKER: &str = "Zhang-Wei-PATIENT-MARKER 哮喘发作";

fn key() -> Key {
    Key::Passphrase("ward 7 passphrase".into())
}

fn entry(action: &str, outcome: Outcome) -> AuditEntry {
    AuditEntry {
        username: "admin".into(),
        role: "admin".into(),
        action: action.into(),
        object_kind: "user".into(),
        object_id: "nurse1".into(),
        outcome,
        detail: "{}".into(),
    }
}

/// A store with a document large enough to span many pages, one user and a few audit rows.
fn filled(path: &Path) -> Store {
    let store = Store::open(path, &key()).unwrap();
    let text = format!("{MARKER} ").repeat(2000);
    store
        .insert_document(
            &NewDocument {
                sha256: "aa",
                file_name: "a.md",
                source_path: "/a.md",
                title: "A",
                lang: "en",
                format: "markdown",
                text: &text,
                page_starts: &[],
            },
            &[NewChunk {
                id: "c1",
                ord: 0,
                section: "A",
                page: None,
                start_char: 0,
                end_char: 10,
                text: &text,
            }],
        )
        .unwrap();
    store
        .add_user(
            &NewUser {
                username: "nurse1",
                display_name: "Nurse One",
                role: "nurse",
                password_hash: "$argon2id$fake",
                must_change_password: true,
            },
            &entry("user_add", Outcome::Ok),
        )
        .unwrap();
    store.audit(&entry("login", Outcome::Denied)).unwrap();
    store.audit(&entry("login", Outcome::Ok)).unwrap();
    store
}

fn raw_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        all.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    all
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn nothing_readable_reaches_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    let store = filled(&path);
    // While open (WAL present) and after closing.
    assert!(!contains(&raw_bytes(dir.path()), MARKER.as_bytes()));
    drop(store);
    let bytes = raw_bytes(dir.path());
    assert!(!contains(&bytes, MARKER.as_bytes()));
    assert!(!contains(&bytes, b"nurse1"));
    assert!(!bytes.starts_with(b"SQLite format 3"));
}

#[test]
fn a_wrong_key_opens_nothing_and_the_right_one_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    drop(filled(&path));
    let err = Store::open(&path, &Key::Passphrase("ward 8 passphrase".into()))
        .err()
        .expect("wrong key refused");
    assert_eq!(err.code(), "db_cannot_decrypt");
    let err = Store::open(&path, &Key::Raw([1; 32])).err().unwrap();
    assert_eq!(err.code(), "db_cannot_decrypt");
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.document_count().unwrap(), 1);
}

#[test]
fn a_flipped_byte_anywhere_is_detected_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    drop(filled(&path));
    let original = std::fs::read(&path).unwrap();
    assert!(original.len() > 8 * 4096, "the fixture spans many pages");
    for offset in [100, 4096 + 17, original.len() / 2, original.len() - 5] {
        let mut bytes = original.clone();
        bytes[offset] ^= 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let err = Store::open(&path, &key())
            .err()
            .unwrap_or_else(|| panic!("a flipped byte at {offset} went unnoticed"));
        assert!(
            matches!(err.code(), "db_tampered" | "db_cannot_decrypt"),
            "offset {offset}: {err}"
        );
    }
    std::fs::write(&path, &original).unwrap();
    assert!(Store::open(&path, &key()).is_ok());
}

#[test]
fn an_unencrypted_database_from_an_earlier_bedside_is_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(store::migrations::MIGRATIONS[0])
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO documents (sha256, file_name, source_path, title, lang, format, text)
             VALUES ('s', 'old.md', '/old.md', 'Old', 'en', 'markdown', ?1)",
            [MARKER],
        )
        .unwrap();
    }
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.document_count().unwrap(), 1);
    assert_eq!(store.schema_version().unwrap(), store::migrations::latest());
    drop(store);
    assert!(!contains(&raw_bytes(dir.path()), MARKER.as_bytes()));
}

#[test]
fn the_audit_log_refuses_edits_and_its_chain_catches_them_when_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    drop(filled(&path));
    let store = Store::open(&path, &key()).unwrap();
    let report = store.verify_audit_chain().unwrap();
    assert!(report.intact());
    assert_eq!(report.rows, 3);
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA key = 'ward 7 passphrase';")
        .unwrap();
    let e = conn
        .execute("UPDATE audit_log SET outcome = 'ok' WHERE id = 2", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(conn
        .execute("DELETE FROM audit_log WHERE id = 3", [])
        .is_err());
    // Someone with the key drops the guard and rewrites a failed login as a success.
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET outcome = 'ok' WHERE id = 2;",
    )
    .unwrap();
    drop(conn);

    let store = Store::open(&path, &key()).unwrap();
    let report = store.verify_audit_chain().unwrap();
    assert_eq!(report.first_broken, Some(2));
    assert_eq!(report.head_id, 1, "rows before the break still verify");
}

#[test]
fn a_change_and_its_audit_row_commit_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir.path().join("bedside.db"));
    let before = store.verify_audit_chain().unwrap().rows;
    let dup = store.add_user(
        &NewUser {
            username: "NURSE1",
            display_name: "Duplicate",
            role: "nurse",
            password_hash: "x",
            must_change_password: true,
        },
        &entry("user_add", Outcome::Ok),
    );
    assert_eq!(dup.unwrap_err().code(), "already_exists");
    assert_eq!(store.verify_audit_chain().unwrap().rows, before);
}

#[test]
fn backup_while_running_then_restore_brings_back_exactly_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    let store = filled(&path);
    // A second connection, as the window would be, holds the database open meanwhile.
    let other = Store::open(&path, &key()).unwrap();
    let snapshot = dir.path().join("backup-1.db");
    let report = store.backup_to(&snapshot).unwrap();
    assert_eq!((report.users, report.documents), (1, 1));
    assert!(report.audit.intact());
    assert!(!contains(
        &std::fs::read(&snapshot).unwrap(),
        MARKER.as_bytes()
    ));
    assert_eq!(
        store.backup_to(&snapshot).unwrap_err().code(),
        "bad_snapshot",
        "never overwrites"
    );

    for d in other.documents().unwrap() {
        other.delete_document(d.id).unwrap();
    }
    other.audit(&entry("after_backup", Outcome::Ok)).unwrap();
    assert_eq!(store.document_count().unwrap(), 0);

    let restored = store.restore_from(&snapshot).unwrap();
    assert_eq!(restored.documents, 1);
    assert_eq!(store.document_count().unwrap(), 1);
    assert_eq!(
        other.document_count().unwrap(),
        1,
        "other connections see it too"
    );
    assert_eq!(store.verify_audit_chain().unwrap().rows, 3);
}

#[test]
fn a_damaged_or_foreign_snapshot_is_refused_and_nothing_is_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = filled(&dir.path().join("bedside.db"));
    let snapshot = dir.path().join("backup.db");
    store.backup_to(&snapshot).unwrap();
    store.audit(&entry("later", Outcome::Ok)).unwrap();

    let mut bytes = std::fs::read(&snapshot).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x80;
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).unwrap();
    assert_eq!(
        store.restore_from(&damaged).unwrap_err().code(),
        "bad_snapshot"
    );

    let foreign_dir = tempfile::tempdir().unwrap();
    let foreign = Store::open(
        &foreign_dir.path().join("other.db"),
        &Key::Passphrase("another hospital".into()),
    )
    .unwrap();
    let foreign_snap = dir.path().join("foreign.db");
    foreign.backup_to(&foreign_snap).unwrap();
    assert_eq!(
        store.restore_from(&foreign_snap).unwrap_err().code(),
        "bad_snapshot"
    );

    let random = dir.path().join("random.db");
    std::fs::write(&random, vec![0x5a; 20_000]).unwrap();
    assert_eq!(
        store.restore_from(&random).unwrap_err().code(),
        "bad_snapshot"
    );

    assert_eq!(
        store.verify_audit_chain().unwrap().rows,
        4,
        "live data untouched"
    );
    assert_eq!(store.document_count().unwrap(), 1);
}

#[test]
fn an_empty_passphrase_would_mean_no_encryption_and_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("b.db"), &Key::Passphrase(String::new()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "weak_passphrase");
    assert!(!dir.path().join("b.db").exists());
}

#[test]
fn a_passphrase_with_a_nul_never_reaches_an_error_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    drop(filled(&path));
    let sneaky = "ward 7 pass\0phrase-SECRET-TAIL";
    let err = Store::open(&path, &Key::Passphrase(sneaky.into()))
        .err()
        .unwrap();
    assert_eq!(err.code(), "db_cannot_decrypt");
    assert!(!format!("{err} {err:?}").contains("SECRET"));
    assert_eq!(
        Key::new_passphrase(sneaky).unwrap_err().code(),
        "weak_passphrase"
    );
}
