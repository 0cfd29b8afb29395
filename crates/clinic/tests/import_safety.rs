//! What an import must never read, and what it must never let run on: links out of the folder
//! chosen, Bedside's own data, a PDF that decompresses without end, a cancel ignored inside a
//! long file; and the data directory and backups kept private to their owner. Real files,
//! real links, a real database and index.

mod common;

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use clinic::import::{ImportEvent, ImportReport};

fn failed_code<'a>(report: &'a ImportReport, name: &str) -> Option<&'a str> {
    report
        .failed
        .iter()
        .find(|f| f.path.ends_with(name))
        .map(|f| f.code.as_str())
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_link_out_of_the_chosen_folder_is_refused_by_name_and_the_rest_imports() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("id_ed25519");
    std::fs::write(&secret, "# Private key\n\nzebracrossing private material\n").unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(
        folder.path().join("fever.md"),
        "# Fever\n\nMeasure the temperature.\n",
    )
    .unwrap();
    symlink(&secret, folder.path().join("notes.txt")).unwrap();
    // A link to a folder outside is refused too, not walked.
    symlink(outside.path(), folder.path().join("more")).unwrap();

    let report = clinic
        .import(
            &admin,
            &[folder.path().to_path_buf()],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        failed_code(&report, "notes.txt"),
        Some("link_outside_folder"),
        "{report:#?}"
    );
    assert_eq!(failed_code(&report, "more"), Some("link_outside_folder"));
    let message = &report
        .failed
        .iter()
        .find(|f| f.path.ends_with("notes.txt"))
        .unwrap()
        .message;
    assert!(message.contains("outside the folder"), "{message}");
    assert_eq!(report.imported.len(), 1, "{report:#?}");
    assert_eq!(report.imported[0].title, "Fever");
    assert!(clinic
        .search(&admin, "zebracrossing", 5)
        .unwrap()
        .is_empty());

    // Named directly, a file that is a link out of its own folder is refused the same way.
    let direct = clinic
        .import(
            &admin,
            &[folder.path().join("notes.txt")],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        failed_code(&direct, "notes.txt"),
        Some("link_outside_folder")
    );
    assert!(clinic
        .search(&admin, "zebracrossing", 5)
        .unwrap()
        .is_empty());
}

/// The review's scenario: a stick holds `Guidelines -> /home/drsmith`, and the admin picks
/// `Guidelines`. The chosen folder is itself a link leading out of the folder that holds it,
/// so it is refused by name and nothing behind it is read.
#[test]
fn a_chosen_folder_that_is_a_link_leading_elsewhere_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("letter.md"),
        "# Letter\n\nquokkaparade private words\n",
    )
    .unwrap();
    let stick = tempfile::tempdir().unwrap();
    let guidelines = stick.path().join("Guidelines");
    symlink(home.path(), &guidelines).unwrap();
    let report = clinic
        .import(&admin, &[guidelines], &|| false, &mut |_| {})
        .unwrap();
    assert_eq!(
        failed_code(&report, "Guidelines"),
        Some("link_outside_folder"),
        "{report:#?}"
    );
    assert!(report.imported.is_empty(), "{report:#?}");
    assert!(clinic.search(&admin, "quokkaparade", 5).unwrap().is_empty());
}

#[test]
fn a_link_that_stays_inside_the_chosen_folder_is_followed() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let folder = tempfile::tempdir().unwrap();
    // The real file sits in a hidden folder, which a walk skips: only the link brings it in.
    let store = folder.path().join(".editions");
    std::fs::create_dir(&store).unwrap();
    std::fs::write(
        store.join("sepsis-2024.md"),
        "# Sepsis\n\nGive antibiotics within one hour.\n",
    )
    .unwrap();
    symlink(
        store.join("sepsis-2024.md"),
        folder.path().join("sepsis.md"),
    )
    .unwrap();
    let report = clinic
        .import(
            &admin,
            &[folder.path().to_path_buf()],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert!(report.failed.is_empty(), "{report:#?}");
    assert_eq!(report.imported.len(), 1);
    assert_eq!(report.imported[0].title, "Sepsis");
    assert!(!clinic.search(&admin, "antibiotics", 5).unwrap().is_empty());
}

#[test]
fn nothing_of_bedsides_own_data_is_imported_through_a_link_or_a_folder_that_holds_it() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    let (clinic, admin) = common::open(&data);
    // A key file, as `bedside init --key-file` leaves it: 64 hex digits, text to an importer.
    store::Key::create_file(&data.join(clinic::keys::KEY_FILE)).unwrap();
    std::fs::write(
        parent.path().join("fever.md"),
        "# Fever\n\nMeasure the temperature.\n",
    )
    .unwrap();
    // A link made in the data folder's parent: inside the folder chosen, yet Bedside's own.
    symlink(
        data.join(clinic::keys::KEY_FILE),
        parent.path().join("notes.txt"),
    )
    .unwrap();
    let paths = [parent.path().to_path_buf()];
    let report = clinic
        .import(&admin, &paths, &|| false, &mut |_| {})
        .unwrap();
    assert_eq!(
        failed_code(&report, "notes.txt"),
        Some("in_data_dir"),
        "{report:#?}"
    );
    // The data folder itself is reported once, and nothing inside it is tried.
    let data_real = data.canonicalize().unwrap();
    let inside: Vec<_> = report
        .failed
        .iter()
        .map(|f| PathBuf::from(&f.path))
        .chain(report.skipped.iter().map(|s| PathBuf::from(&s.path)))
        .chain(report.imported.iter().map(|i| PathBuf::from(&i.path)))
        .filter(|p| p.starts_with(&data_real) || p.starts_with(&data))
        .collect();
    assert_eq!(inside.len(), 1, "only the data folder itself: {report:#?}");
    assert_eq!(failed_code(&report, "data"), Some("in_data_dir"));
    assert_eq!(report.imported.len(), 1, "{report:#?}");
    assert_eq!(clinic.store().document_count().unwrap(), 1);

    // Chosen directly, the data folder and the key are refused too.
    let direct = clinic
        .import(
            &admin,
            &[data.clone(), data.join(clinic::keys::KEY_FILE)],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(direct.failed.len(), 2, "{direct:#?}");
    assert!(direct.failed.iter().all(|f| f.code == "in_data_dir"));
    assert_eq!(clinic.store().document_count().unwrap(), 1);
}

#[test]
fn a_path_changed_into_a_link_between_runs_is_refused_when_the_job_resumes() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("b.md"),
        "# Stolen\n\nzebracrossing private material\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("c.md"), "# Also\n\nquagmire secret\n").unwrap();
    let folder = tempfile::tempdir().unwrap();
    let sub = folder.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(folder.path().join("a.md"), "# A\n\nFirst guideline.\n").unwrap();
    std::fs::write(sub.join("b.md"), "# B\n\nSecond guideline.\n").unwrap();
    std::fs::write(folder.path().join("c.md"), "# C\n\nThird guideline.\n").unwrap();
    let job = clinic
        .start_import(&admin, &[folder.path().to_path_buf()])
        .unwrap();

    // Between the runs: a folder on the way becomes a link out, and a file becomes one.
    std::fs::rename(&sub, folder.path().join("sub.old")).unwrap();
    symlink(outside.path(), &sub).unwrap();
    std::fs::remove_file(folder.path().join("c.md")).unwrap();
    symlink(outside.path().join("c.md"), folder.path().join("c.md")).unwrap();

    let report = clinic
        .resume_import(&admin, job, &|| false, &mut |_| {})
        .unwrap();
    assert_eq!(
        failed_code(&report, "b.md"),
        Some("link_outside_folder"),
        "{report:#?}"
    );
    assert_eq!(failed_code(&report, "c.md"), Some("link_outside_folder"));
    assert_eq!(report.imported.len(), 1, "{report:#?}");
    assert!(clinic
        .search(&admin, "zebracrossing", 5)
        .unwrap()
        .is_empty());
    assert!(clinic.search(&admin, "quagmire", 5).unwrap().is_empty());
    // The job's own record says why, file by file.
    let files = clinic.import_job_files(&admin, job).unwrap();
    let refused: Vec<_> = files
        .iter()
        .filter(|f| f.code.as_deref() == Some("link_outside_folder"))
        .collect();
    assert_eq!(refused.len(), 2, "{files:#?}");
}

/// A minimal PDF: `streams` are its content streams (uncompressed), and page `i` shows the
/// streams listed in `pages[i]`, with Helvetica as /F1.
fn pdf(streams: &[Vec<u8>], pages: &[Vec<usize>]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let first_stream = 4;
    let first_page = first_stream + streams.len();
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first_page + i))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for s in streams {
        let mut o = format!("<< /Length {} >>\nstream\n", s.len()).into_bytes();
        o.extend_from_slice(s);
        o.extend_from_slice(b"\nendstream");
        objects.push(o);
    }
    for contents in pages {
        let refs: Vec<String> = contents
            .iter()
            .map(|c| format!("{} 0 R", first_stream + c))
            .collect();
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
                 /Resources << /Font << /F1 3 0 R >> >> /Contents [{}] >>",
                refs.join(" ")
            )
            .into_bytes(),
        );
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A line of text of its own for page `i`: long enough never to pass for a running header.
fn page_text(i: usize) -> Vec<u8> {
    format!(
        "BT /F1 11 Tf 72 760 Td (Part {i} explains how oral rehydration treats dehydration in children.) Tj ET"
    )
    .into_bytes()
}

#[test]
fn a_pdf_that_decompresses_past_the_document_budget_fails_alone() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let folder = tempfile::tempdir().unwrap();
    // One 15 MiB stream (under the 16 MiB a page may inflate to) shown on each of 20 pages:
    // a 15 MiB file that reads as 300 MiB, past the budget of one document.
    let pages = 20;
    let blank = vec![b' '; 15 << 20];
    assert!(pages * blank.len() > library::pdf::MAX_DOCUMENT_BYTES);
    let mut streams = vec![blank];
    streams.extend((0..pages).map(page_text));
    let layout: Vec<Vec<usize>> = (0..pages).map(|i| vec![0, i + 1]).collect();
    std::fs::write(folder.path().join("bomb.pdf"), pdf(&streams, &layout)).unwrap();
    std::fs::write(
        folder.path().join("fever.md"),
        "# Fever\n\nMeasure the temperature.\n",
    )
    .unwrap();

    let report = clinic
        .import(
            &admin,
            &[folder.path().to_path_buf()],
            &|| false,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(
        failed_code(&report, "bomb.pdf"),
        Some("content_too_large"),
        "{report:#?}"
    );
    let message = &report.failed[0].message;
    assert!(message.contains("bomb.pdf"), "{message}");
    assert_eq!(report.imported.len(), 1);
    assert_eq!(report.imported[0].title, "Fever");
    assert!(!report.cancelled);
    assert_eq!(clinic.store().document_count().unwrap(), 1);
}

#[test]
fn a_cancel_during_a_long_pdf_stops_inside_it_and_the_job_resumes_it_whole() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let folder = tempfile::tempdir().unwrap();
    let pages = 300;
    let streams: Vec<Vec<u8>> = (0..pages).map(page_text).collect();
    let layout: Vec<Vec<usize>> = (0..pages).map(|i| vec![i]).collect();
    let path = folder.path().join("textbook.pdf");
    std::fs::write(&path, pdf(&streams, &layout)).unwrap();

    // The flag goes up once the import is a few checks into the file: after its first page.
    let checks = AtomicUsize::new(0);
    let mut files_done = 0;
    let report = clinic
        .import(
            &admin,
            std::slice::from_ref(&path),
            &|| checks.fetch_add(1, Ordering::Relaxed) >= 3,
            &mut |e| {
                if matches!(e, ImportEvent::File { .. }) {
                    files_done += 1;
                }
            },
        )
        .unwrap();
    assert!(report.cancelled, "{report:#?}");
    assert!(report.imported.is_empty() && report.failed.is_empty());
    assert_eq!(files_done, 0, "the file is neither imported nor failed");
    let checked = checks.load(Ordering::Relaxed);
    assert!(
        checked < pages,
        "stopped after {checked} checks, not at the end of {pages} pages"
    );
    assert_eq!(clinic.store().document_count().unwrap(), 0);
    let job = &clinic.import_jobs(&admin, 1).unwrap()[0];
    assert_eq!(job.record.pending, 1, "the file waits for the resume");

    let resumed = clinic
        .resume_import(&admin, report.job_id, &|| false, &mut |_| {})
        .unwrap();
    assert_eq!(resumed.imported.len(), 1, "{resumed:#?}");
    assert_eq!(resumed.imported[0].pages, Some(pages as u32));
}

#[test]
fn the_data_directory_is_private_to_its_owner_whether_new_or_already_there() {
    let root = tempfile::tempdir().unwrap();
    let fresh = root.path().join("nested/bedside");
    drop(common::open(&fresh));
    assert_eq!(mode(&fresh), 0o700);

    let existing = root.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o755)).unwrap();
    drop(common::open(&existing));
    assert_eq!(mode(&existing), 0o700);
}

#[test]
fn a_backup_is_readable_by_its_owner_only() {
    let data = tempfile::tempdir().unwrap();
    let (clinic, admin) = common::open(data.path());
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::set_permissions(elsewhere.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dest = elsewhere.path().join("bedside-backup.db");
    clinic.backup(&admin, &dest).unwrap();
    assert_eq!(mode(&dest), 0o600);
}
