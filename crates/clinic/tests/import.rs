//! Importing the real evaluation corpus into a real database and index.

mod common;

use std::path::PathBuf;

use clinic::import::{FileStatus, ImportEvent};

#[test]
fn the_corpus_imports_reports_every_file_and_reimports_as_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let corpus = common::evaldata().join("guidelines");
    let mut events = Vec::new();
    let report = clinic
        .import(&admin, std::slice::from_ref(&corpus), &|| false, &mut |e| {
            events.push(e.clone())
        })
        .unwrap();

    let total = match events.first() {
        Some(ImportEvent::Started { total, .. }) => *total,
        other => panic!("first event must be Started, got {other:?}"),
    };
    assert_eq!(events.len(), total + 1, "one event per file");
    assert_eq!(
        total,
        report.imported.len() + report.skipped.len() + report.failed.len()
    );
    // Every format in the corpus imports: Markdown, text, HTML, Word and PDF.
    assert!(report.failed.is_empty(), "{:#?}", report.failed);
    assert!(
        report.imported.len() >= 130,
        "imported {}",
        report.imported.len()
    );
    let pdfs: Vec<_> = report
        .imported
        .iter()
        .filter(|d| d.path.ends_with(".pdf"))
        .collect();
    assert_eq!(pdfs.len(), 2, "{pdfs:#?}");
    assert!(report.imported.iter().any(|d| d.path.ends_with(".docx")));
    let chunks: usize = report.imported.iter().map(|d| d.chunks).sum();
    assert_eq!(clinic.indexed_chunks(), chunks as u64);
    assert_eq!(clinic.store().chunk_count().unwrap(), chunks as i64);

    // The same content again: every file skipped, nothing added.
    let again = clinic
        .import(&admin, &[corpus], &|| false, &mut |_| {})
        .unwrap();
    assert!(again.imported.is_empty());
    assert_eq!(again.skipped.len(), report.imported.len());
    assert_eq!(clinic.indexed_chunks(), chunks as u64);
}

#[test]
fn bad_files_get_typed_errors_and_the_rest_imports() {
    let dir = tempfile::tempdir().unwrap();
    let input = tempfile::tempdir().unwrap();
    let p = |name: &str| input.path().join(name);
    std::fs::write(p("random.md"), [0u8, 159, 146, 150, 0, 1, 2, 3]).unwrap();
    std::fs::write(p("blank.txt"), "   \n\n").unwrap();
    std::fs::write(p("notes.xyz"), "text in an unknown format").unwrap();
    std::fs::write(p("fake.docx"), b"PK\x03\x04 not really a docx").unwrap();
    // A 200 MB file that takes no disk space: refused by size before it is read.
    std::fs::File::create(p("huge.txt"))
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    // Invalid UTF-8 that is valid GB18030 Chinese.
    let (gbk, _, _) = encoding_rs::GB18030.encode("# 发热\n\n发热患者应测量体温。\n");
    std::fs::write(p("legacy.txt"), &gbk).unwrap();
    std::fs::write(p("good.md"), "# Fever\n\nMeasure the temperature.\n").unwrap();

    let (clinic, admin) = common::open(dir.path());
    let mut paths = vec![input.path().to_path_buf()];
    paths.push(PathBuf::from("/nonexistent/guideline.md"));
    let report = clinic
        .import(&admin, &paths, &|| false, &mut |_| {})
        .unwrap();

    let code_of = |name: &str| {
        report
            .failed
            .iter()
            .find(|f| f.path.ends_with(name))
            .map(|f| f.code.as_str())
    };
    assert_eq!(code_of("random.md"), Some("not_text"));
    assert_eq!(code_of("blank.txt"), Some("empty_document"));
    assert_eq!(code_of("notes.xyz"), Some("unsupported_format"));
    assert_eq!(code_of("fake.docx"), Some("corrupt_document"));
    assert_eq!(code_of("huge.txt"), Some("file_too_large"));
    assert_eq!(code_of("guideline.md"), Some("io_error"));
    let imported: Vec<_> = report.imported.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(imported.len(), 2, "{imported:?}");
    assert!(imported.contains(&"Fever") && imported.contains(&"发热"));
    assert_eq!(clinic.search(&admin, "体温", 3).unwrap()[0].title, "发热");
}

#[test]
fn progress_events_count_up_to_the_total() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let mut seen = Vec::new();
    clinic
        .import(
            &admin,
            &[common::sample_guidelines()],
            &|| false,
            &mut |e| {
                if let ImportEvent::File {
                    index,
                    total,
                    status,
                    ..
                } = e
                {
                    seen.push((*index, *total, *status));
                }
            },
        )
        .unwrap();
    let total = seen.len();
    assert!(total >= 10);
    for (i, (index, t, _)) in seen.iter().enumerate() {
        assert_eq!((*index, *t), (i + 1, total));
    }
    // MANIFEST.md is a document too; every sample imports.
    assert!(seen.iter().all(|(_, _, s)| *s == FileStatus::Imported));
}

#[test]
fn cancelling_stops_between_files_and_keeps_what_was_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    use std::sync::atomic::{AtomicUsize, Ordering};
    let done = AtomicUsize::new(0);
    let report = clinic
        .import(
            &admin,
            &[common::sample_guidelines()],
            &|| done.load(Ordering::Relaxed) >= 3,
            &mut |e| {
                if matches!(e, ImportEvent::File { .. }) {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            },
        )
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.imported.len(), 3);
    assert_eq!(clinic.store().document_count().unwrap(), 3);
    assert_eq!(
        clinic.indexed_chunks(),
        clinic.store().chunk_count().unwrap() as u64
    );
}

#[test]
fn a_lost_index_is_rebuilt_from_the_database_with_the_same_chunk_ids() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let (clinic, admin) = common::open_with_samples(dir.path());
        clinic.search(&admin, "哮喘 asthma inhaler", 5).unwrap()
    };
    std::fs::remove_dir_all(dir.path().join(clinic::INDEX_DIR)).unwrap();
    let (clinic, admin) = common::open(dir.path());
    assert_eq!(
        clinic.indexed_chunks(),
        clinic.store().chunk_count().unwrap() as u64
    );
    let after = clinic.search(&admin, "哮喘 asthma inhaler", 5).unwrap();
    let ids = |hits: &[clinic::Hit]| hits.iter().map(|h| h.chunk_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after));
    // A citation's chunk id opens the same passage.
    let c = clinic.chunk(&admin, &after[0].chunk_id).unwrap();
    assert_eq!(c.file_name, after[0].file_name);
}

#[test]
fn a_damaged_index_is_set_aside_and_rebuilt_from_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let chunks = {
        let (clinic, _) = common::open_with_samples(dir.path());
        clinic.store().chunk_count().unwrap() as u64
    };
    let meta = dir.path().join(clinic::INDEX_DIR).join("meta.json");
    std::fs::write(&meta, b"{ this is not the index metadata").unwrap();
    let (clinic, admin) = common::open(dir.path());
    assert_eq!(clinic.indexed_chunks(), chunks);
    assert!(!clinic.search(&admin, "asthma", 3).unwrap().is_empty());
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("index.unreadable-")
        });
    assert!(
        aside,
        "the damaged index is kept for inspection, not deleted"
    );
}

#[test]
fn a_changed_document_becomes_a_new_version_and_the_old_one_stops_being_searched() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    // Outside the data directory: an import never reads inside it.
    let files = tempfile::tempdir().unwrap();
    let folder = files.path().join("guidelines");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("sepsis.md");
    std::fs::write(
        &file,
        "# Sepsis\n\n## Antibiotics\n\nGive antibiotics within three hours of arrival.\n",
    )
    .unwrap();
    clinic
        .import(
            &admin,
            std::slice::from_ref(&folder),
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    let old_hit = clinic.search(&admin, "antibiotics three hours", 5).unwrap()[0].clone();

    std::fs::write(
        &file,
        "# Sepsis\n\n## Antibiotics\n\nGive antibiotics within one hour of recognition.\n",
    )
    .unwrap();
    let report = clinic
        .import(
            &admin,
            std::slice::from_ref(&folder),
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    let new_id = report.imported[0].document_id;
    assert_eq!(report.imported[0].replaces, Some(old_hit.doc_id as i64));

    let hits = clinic.search(&admin, "antibiotics hours", 5).unwrap();
    assert!(
        hits.iter().all(|h| h.doc_id as i64 == new_id),
        "only the new version is searched"
    );
    assert!(hits[0].snippet.contains("one") || hits[0].snippet.contains("recognition"));
    let docs = clinic.documents(&admin).unwrap();
    let new = docs.iter().find(|d| d.id == new_id).unwrap();
    let old = docs.iter().find(|d| d.id == old_hit.doc_id as i64).unwrap();
    assert_eq!((new.version, new.superseded_by), (2, None));
    assert_eq!(old.superseded_by, Some(new_id));
    // An answer given from the old version still opens the passage it quoted.
    assert!(clinic
        .chunk(&admin, &old_hit.chunk_id)
        .unwrap()
        .text
        .contains("three hours"));
    // The index, rebuilt from the database, keeps only the current version.
    let n = clinic.rebuild(&admin).unwrap();
    assert_eq!(n, clinic.store().chunk_count().unwrap() as u64);
    assert!(clinic
        .search(&admin, "three hours", 5)
        .unwrap()
        .iter()
        .all(|h| h.doc_id as i64 == new_id));

    // Deleting the new version brings the old one back into search.
    let nurse = common::user(
        &clinic,
        &admin,
        "nurse.wang",
        clinic::Role::Nurse,
        "nurse pw 11",
    );
    assert_eq!(
        clinic.delete_document(&nurse, new_id).unwrap_err().code(),
        "forbidden"
    );
    clinic.delete_document(&admin, new_id).unwrap();
    let hits = clinic.search(&admin, "antibiotics three hours", 5).unwrap();
    assert_eq!(hits[0].doc_id as i64, old_hit.doc_id as i64);
    assert_eq!(
        clinic
            .store()
            .document(old_hit.doc_id as i64)
            .unwrap()
            .superseded_by,
        None
    );
    clinic
        .delete_document(&admin, old_hit.doc_id as i64)
        .unwrap();
    assert!(clinic.search(&admin, "antibiotics", 5).unwrap().is_empty());
    assert_eq!(
        clinic.delete_document(&admin, 999).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn deleting_a_middle_version_keeps_one_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let files = tempfile::tempdir().unwrap();
    let folder = files.path().join("g");
    std::fs::create_dir_all(&folder).unwrap();
    let mut ids = Vec::new();
    for hours in ["one", "two", "three"] {
        std::fs::write(
            folder.join("sepsis.md"),
            format!("# Sepsis\n\nAntibiotics within {hours} hours.\n"),
        )
        .unwrap();
        let report = clinic
            .import(
                &admin,
                std::slice::from_ref(&folder),
                &|| false,
                &mut |_| {},
            )
            .unwrap();
        ids.push(report.imported[0].document_id);
    }
    clinic.delete_document(&admin, ids[1]).unwrap();
    let docs = clinic.documents(&admin).unwrap();
    let current: Vec<i64> = docs
        .iter()
        .filter(|d| d.superseded_by.is_none())
        .map(|d| d.id)
        .collect();
    assert_eq!(current, [ids[2]]);
    assert_eq!(
        docs.iter().find(|d| d.id == ids[0]).unwrap().superseded_by,
        Some(ids[2])
    );
    let hits = clinic.search(&admin, "antibiotics", 5).unwrap();
    assert!(hits.iter().all(|h| h.doc_id as i64 == ids[2]));
}

/// The nice value of the calling thread, from `/proc/thread-self/stat` (field 19).
fn thread_nice() -> i32 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    // The command name (field 2) may hold spaces; the fields after it start past the ')'.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    rest.split_whitespace().nth(16).unwrap().parse().unwrap()
}

#[test]
fn an_import_runs_at_a_lower_priority_and_the_caller_keeps_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let before = thread_nice();
    let mut during = Vec::new();
    clinic
        .import(
            &admin,
            &[common::sample_guidelines()],
            &|| false,
            &mut |_| during.push(thread_nice()),
        )
        .unwrap();
    assert!(!during.is_empty());
    assert!(
        during
            .iter()
            .all(|&n| n == (before + clinic::import::IMPORT_NICE).min(19)),
        "{during:?} (caller at {before})"
    );
    assert_eq!(thread_nice(), before, "the calling thread is untouched");
}

#[test]
fn a_cancelled_import_resumes_with_the_files_left_and_then_has_nothing_to_resume() {
    use clinic::import::JobState;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let done = AtomicUsize::new(0);
    let first = clinic
        .import(
            &admin,
            &[common::sample_guidelines()],
            &|| done.load(Ordering::Relaxed) >= 4,
            &mut |e| {
                if matches!(e, ImportEvent::File { .. }) {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            },
        )
        .unwrap();
    assert!(first.cancelled);
    let job = &clinic.import_jobs(&admin, 10).unwrap()[0];
    assert_eq!(job.state, JobState::Cancelled);
    assert_eq!(job.record.id, first.job_id);
    assert_eq!(job.record.imported, 4);
    let left = job.record.pending as usize;
    assert!(left >= 6, "{left} files left");

    let mut started = None;
    let mut indexes = Vec::new();
    let mut embedded = false;
    let second = clinic
        .resume_import(&admin, first.job_id, &|| false, &mut |e| match e {
            ImportEvent::Started { total, done, .. } => started = Some((*total, *done)),
            ImportEvent::File { index, .. } => indexes.push(*index),
            ImportEvent::Embedding { .. } => embedded = true,
        })
        .unwrap();
    assert!(!embedded, "a lexical-only clinic embeds nothing");
    // The resumed run starts where the first stopped, numbering files as the job does.
    assert_eq!(started, Some((left + 4, 4)));
    assert_eq!(indexes, (5..=left + 4).collect::<Vec<_>>());
    assert_eq!(second.imported.len(), left);
    assert_eq!(clinic.store().document_count().unwrap() as usize, left + 4);
    assert_eq!(
        clinic.indexed_chunks(),
        clinic.store().chunk_count().unwrap() as u64
    );
    let job = &clinic.import_jobs(&admin, 10).unwrap()[0];
    assert_eq!((job.state, job.record.pending), (JobState::Done, 0));

    let again = clinic
        .resume_import(&admin, first.job_id, &|| false, &mut |_| {})
        .unwrap_err();
    assert_eq!(again.code(), "import_finished");
}

#[test]
fn a_job_whose_runner_is_gone_shows_as_interrupted_and_one_being_run_cannot_be_run_twice() {
    use clinic::import::JobState;
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    // Recorded, then nobody ran it: what a crash right after the job was made leaves.
    let job_id = clinic
        .start_import(&admin, &[common::sample_guidelines()])
        .unwrap();
    assert_eq!(
        clinic.import_jobs(&admin, 1).unwrap()[0].state,
        JobState::Interrupted
    );

    // While one runner is inside the job, the list says running and a second runner is refused.
    let (entered_tx, entered_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        let (clinic, admin) = (&clinic, &admin);
        let runner = s.spawn(move || {
            let mut first = true;
            let mut on_event = move |e: &ImportEvent| {
                if first && matches!(e, ImportEvent::File { .. }) {
                    first = false;
                    entered_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                }
            };
            clinic.resume_import(admin, job_id, &|| false, &mut on_event)
        });
        entered_rx.recv().unwrap();
        assert_eq!(
            clinic.import_jobs(admin, 1).unwrap()[0].state,
            JobState::Running
        );
        let twice = clinic
            .resume_import(admin, job_id, &|| false, &mut |_| {})
            .unwrap_err();
        assert_eq!(twice.code(), "import_running");
        release_tx.send(()).unwrap();
        let report = runner.join().unwrap().unwrap();
        assert!(!report.cancelled);
    });
    assert_eq!(
        clinic.import_jobs(&admin, 1).unwrap()[0].state,
        JobState::Done
    );
}

#[test]
fn a_pdf_import_records_its_pages_for_the_job_the_document_and_each_passage() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let pdf = common::evaldata().join("guidelines/converted/chinaxiv_201903.00179.pdf");
    let mut pages_done = 0;
    let report = clinic
        .import(&admin, &[pdf], &|| false, &mut |e| {
            if let ImportEvent::File { pages_done: p, .. } = e {
                pages_done = *p;
            }
        })
        .unwrap();
    assert_eq!(report.imported[0].pages, Some(4));
    assert_eq!(pages_done, 4);
    let doc = &clinic.documents(&admin).unwrap()[0];
    assert_eq!((doc.format.as_str(), doc.pages), ("pdf", Some(4)));
    let starts = clinic.store().page_starts(doc.id).unwrap();
    assert_eq!(starts.len(), 4);
    let hits = clinic.search(&admin, "社区高血压防治", 10).unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        let chunk = clinic.chunk(&admin, &hit.chunk_id).unwrap();
        let page = starts.partition_point(|&s| s <= chunk.start_char) as u32;
        assert_eq!(
            chunk.page,
            Some(page),
            "passage at {} is on page {page}",
            chunk.start_char
        );
    }
    let job = &clinic.import_jobs(&admin, 1).unwrap()[0];
    assert_eq!((job.record.pages, job.record.imported), (4, 1));
}

#[test]
fn a_chinese_question_finds_an_english_guideline_when_no_chinese_one_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let en = common::evaldata().join("guidelines/en");
    let files = [
        en.join("nhlbi_0000010_asthma.md"),
        en.join("nhlbi_0000071_high_blood_pressure.md"),
        common::evaldata().join("guidelines/zh/chinaxiv_202208.00035.md"),
    ];
    clinic
        .import(&admin, &files, &|| false, &mut |_| {})
        .unwrap();

    // No Chinese guideline covers asthma: the English one answers, through the glossary.
    let hits = clinic.search(&admin, "哮喘的症状和治疗", 5).unwrap();
    assert_eq!(hits[0].file_name, "nhlbi_0000010_asthma.md", "{hits:#?}");
    assert!(hits[0].coverage >= clinic::ask::MIN_COVERAGE);

    // A question its own language answers is not diluted with the other language.
    let hits = clinic
        .search(&admin, "What are the symptoms of asthma?", 5)
        .unwrap();
    assert!(
        hits.iter().all(|h| h.file_name.starts_with("nhlbi_")),
        "{hits:#?}"
    );
    let hits = clinic.search(&admin, "中国心血管病患病率", 5).unwrap();
    assert!(
        hits.iter().all(|h| h.file_name.starts_with("chinaxiv_")),
        "{hits:#?}"
    );

    // One known word of an unknown drug is not enough to answer from the other language.
    let hits = clinic.search(&admin, "伏波帕的剂量是多少", 5).unwrap();
    assert!(
        hits.first()
            .is_none_or(|h| h.coverage < clinic::ask::MIN_COVERAGE),
        "{hits:#?}"
    );
}

#[test]
fn the_original_file_is_kept_beside_the_database_until_its_document_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let pdf = common::evaldata().join("guidelines/converted/nhlbi_0000071_high_blood_pressure.pdf");
    clinic
        .import(&admin, std::slice::from_ref(&pdf), &|| false, &mut |_| {})
        .unwrap();
    let doc = &clinic.documents(&admin).unwrap()[0];
    let kept = clinic.original_path(&doc.sha256, &doc.format);
    assert!(kept.starts_with(dir.path()), "{}", kept.display());
    assert_eq!(std::fs::read(&kept).unwrap(), std::fs::read(&pdf).unwrap());
    clinic.delete_document(&admin, doc.id).unwrap();
    assert!(!kept.exists());
}

#[test]
fn a_new_edition_under_another_name_replaces_the_document_it_is_given_for() {
    let dir = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(dir.path());
    let files = tempfile::tempdir().unwrap();
    let old = files.path().join("sepsis-2019.md");
    std::fs::write(&old, "# Sepsis\n\nGive antibiotics within three hours.\n").unwrap();
    clinic
        .import(&admin, &[old], &|| false, &mut |_| {})
        .unwrap();
    let first = clinic.documents(&admin).unwrap()[0].clone();

    let new = files.path().join("sepsis-2024.md");
    std::fs::write(
        &new,
        "# Sepsis\n\nGive antibiotics within one hour of recognition.\n",
    )
    .unwrap();
    let done = clinic.replace_document(&admin, first.id, &new).unwrap();
    assert_eq!(done.replaces, Some(first.id));
    let docs = clinic.documents(&admin).unwrap();
    let newest = docs.iter().find(|d| d.id == done.document_id).unwrap();
    assert_eq!((newest.version, newest.superseded_by), (2, None));
    let old_row = docs.iter().find(|d| d.id == first.id).unwrap();
    assert_eq!(old_row.superseded_by, Some(done.document_id));
    let hits = clinic.search(&admin, "antibiotics sepsis", 5).unwrap();
    assert!(
        hits.iter().all(|h| h.doc_id == done.document_id as u64),
        "{hits:#?}"
    );

    // The superseded version cannot be replaced again, and the same content is refused.
    let again = clinic.replace_document(&admin, first.id, &new).unwrap_err();
    assert_eq!(again.code(), "invalid_input");
    let same = clinic
        .replace_document(&admin, done.document_id, &new)
        .unwrap_err();
    assert_eq!(same.code(), "already_exists");
}
