//! The store on a real SQLite file in a temporary directory.

use store::{Key, NewAnswer, NewChunk, NewDocument, Store, StoreError};

fn key() -> Key {
    Key::Passphrase("test passphrase 1".into())
}

fn doc<'a>(sha: &'a str, text: &'a str) -> NewDocument<'a> {
    NewDocument {
        sha256: sha,
        file_name: "asthma.md",
        source_path: "/guidelines/asthma.md",
        title: "Asthma",
        lang: "en",
        format: "markdown",
        text,
        page_starts: &[],
    }
}

fn chunk<'a>(id: &'a str, ord: usize, text: &'a str) -> NewChunk<'a> {
    NewChunk {
        id,
        ord,
        section: "Asthma > Treatment",
        page: None,
        start_char: 0,
        end_char: text.chars().count(),
        text,
    }
}

#[test]
fn a_document_and_its_passages_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bedside.db");
    {
        let store = Store::open(&path, &key()).unwrap();
        let id = store
            .insert_document(
                &doc("aa", "Use an inhaler."),
                &[chunk("c1", 0, "Use an inhaler.")],
            )
            .unwrap();
        assert_eq!(store.document_by_hash("aa").unwrap(), Some(id));
    }
    let store = Store::open(&path, &key()).unwrap();
    let c = store.chunk("c1").unwrap();
    assert_eq!(c.text, "Use an inhaler.");
    assert_eq!(c.file_name, "asthma.md");
    assert_eq!(c.section, "Asthma > Treatment");
    assert_eq!(store.document_count().unwrap(), 1);
    assert_eq!(store.chunk_count().unwrap(), 1);
    assert_eq!(store.documents().unwrap()[0].chunks, 1);
}

#[test]
fn a_failed_insert_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    // Two passages with the same id violate the primary key half-way through the insert.
    let err = store
        .insert_document(
            &doc("bb", "x y"),
            &[chunk("dup", 0, "x"), chunk("dup", 1, "y")],
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)));
    assert_eq!(store.document_count().unwrap(), 0);
    assert_eq!(store.chunk_count().unwrap(), 0);
}

#[test]
fn the_same_content_cannot_be_stored_twice() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    store.insert_document(&doc("cc", "t"), &[]).unwrap();
    assert!(store.insert_document(&doc("cc", "t"), &[]).is_err());
    assert_eq!(store.document_count().unwrap(), 1);
}

#[test]
fn a_missing_passage_is_a_typed_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    let err = store.chunk("nope").unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn database_runs_in_wal_with_full_sync_and_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::migrations::latest());
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA key = 'test passphrase 1';")
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn an_empty_database_from_version_zero_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x INTEGER);")
        .unwrap();
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::migrations::latest());
    assert_eq!(store.document_count().unwrap(), 0);
}

#[test]
fn a_database_from_every_earlier_version_is_migrated_keeping_its_answers() {
    for version in 1..store::migrations::latest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &store::migrations::MIGRATIONS[..version as usize] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", version).unwrap();
            conn.execute(
                "INSERT INTO answers (question, answer, model, prompt_version, passages_json,
                                      citations_json, stopped)
                 VALUES ('q', 'a [1]', 'm', 'ask-v1', '[]', '[]', 0)",
                [],
            )
            .unwrap();
        }
        let store = Store::open(&path, &key()).unwrap();
        assert_eq!(store.schema_version().unwrap(), store::migrations::latest());
        let answers = store.recent_answers(5).unwrap();
        assert_eq!(answers.len(), 1, "from version {version}");
        assert_eq!(answers[0].answer, "a [1]");
    }
}

#[test]
fn triages_stored_before_migration_8_read_their_downgrade_from_their_levels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    {
        // A version-7 database (plaintext: Store encrypts it in place) with two triages: one
        // saved below its computed level, one as computed; triage ended 20 minutes after arrival.
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in &store::migrations::MIGRATIONS[..7] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        conn.execute_batch(
            "INSERT INTO patients (name) VALUES ('old');
             INSERT INTO encounters (patient_id, status, arrived_at, complaint, intake_json,
                 grades_json, computed_esi, computed_cn, suggested_esi, suggested_cn,
                 final_esi, final_cn, override_reason, response_minutes, news2_score,
                 news2_risk, news2_complete, triaged_by, triaged_at)
             VALUES (1, 'triaged', '2026-11-28T01:00:00Z', 'c', '{}', '{}', 2, 2, 2, 2, 4, 2,
                     'looked well', 10, 7, 'high', 1, 'nurse', '2026-11-28T01:20:00.000Z'),
                    (1, 'triaged', '2026-11-28T01:00:00Z', 'c', '{}', '{}', 3, 3, 3, 3, 3, 3,
                     NULL, 30, 1, 'low', 1, 'nurse', '2026-11-28T01:20:00.000Z');",
        )
        .unwrap();
    }
    let store = Store::open(&path, &key()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::migrations::latest());
    assert!(store.encounter(1).unwrap().downgraded);
    assert!(!store.encounter(2).unwrap().downgraded);
    let waiting = store.waiting_encounters().unwrap();
    assert_eq!(waiting.len(), 2);
    // The wait counts from the stored end of triage, not from arrival 20 minutes earlier.
    let since_triage: f64 = rusqlite::Connection::open_in_memory()
        .unwrap()
        .query_row(
            "SELECT (julianday('now') - julianday('2026-11-28T01:20:00Z')) * 1440.0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let waited = waiting[0].1;
    assert!(
        (waited - since_triage).abs() < 1.0,
        "{waited} vs {since_triage}"
    );
}

#[test]
fn a_database_from_a_newer_bedside_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let newer = store::migrations::latest() + 5;
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = Store::open(&path, &key()).err().expect("must refuse");
    assert_eq!(err.code(), "db_too_new");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, newer);
}

#[test]
fn answers_are_recorded_with_their_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    store
        .insert_answer(&NewAnswer {
            question: "What treats asthma?",
            answer: "Inhalers [1].",
            model: "qwen2.5-coder-0.5b",
            prompt_version: "ask-v2",
            passages_json: r#"["c1"]"#,
            citations_json: r#"[{"n":1}]"#,
            stopped: false,
            conversation_id: None,
            prompt_user: None,
        })
        .unwrap();
    let recent = store.recent_answers(5).unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].model, "qwen2.5-coder-0.5b");
    assert_eq!(recent[0].prompt_version, "ask-v2");
    assert!(!recent[0].stopped);
}

#[test]
fn an_import_job_keeps_each_files_outcome_and_counts_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    let files = vec![
        ("/g/a.pdf".to_string(), 1000u64),
        ("/g/b.md".to_string(), 200),
        ("/g/c.docx".to_string(), 300),
    ];
    let id = store.create_import_job("admin", &files).unwrap();
    let job = store.import_job(id).unwrap();
    assert_eq!(
        (job.state.as_str(), job.files, job.pending, job.bytes),
        ("running", 3, 3, 1500)
    );

    store
        .record_job_file(
            id,
            0,
            store::FileOutcome::Imported {
                document_id: 7,
                pages: Some(12),
                chunks: 30,
            },
        )
        .unwrap();
    store
        .record_job_file(
            id,
            1,
            store::FileOutcome::Failed {
                code: "not_text",
                message: "binary",
            },
        )
        .unwrap();
    store.set_import_job_state(id, "cancelled").unwrap();

    // Reopened, as after a restart: the job and its last file are still there.
    drop(store);
    let store = Store::open(&dir.path().join("b.db"), &key()).unwrap();
    let job = store.import_job(id).unwrap();
    assert_eq!(job.state, "cancelled");
    assert!(job.finished_at.is_some());
    assert_eq!(
        (
            job.imported,
            job.failed,
            job.pending,
            job.pages,
            job.bytes_done
        ),
        (1, 1, 1, 12, 1200)
    );
    let files = store.import_job_files(id).unwrap();
    assert_eq!(files[0].document_id, Some(7));
    assert_eq!(files[1].code.as_deref(), Some("not_text"));
    assert_eq!(files[2].status, "pending");
    assert_eq!(store.import_jobs(10).unwrap()[0].id, id);

    // A document rolled back after the index refused it: its file is to be imported again.
    store.release_job_documents(&[7]).unwrap();
    let job = store.import_job(id).unwrap();
    assert_eq!((job.imported, job.pending, job.pages), (0, 2, 0));
    assert_eq!(store.import_job_files(id).unwrap()[0].document_id, None);
    assert!(matches!(
        store.import_job(id + 1),
        Err(StoreError::NotFound { .. })
    ));
}
