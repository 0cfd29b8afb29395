//! Word documents: the converted evaluation files against their originals, and hostile ones.

mod common;

use common::{evaldata, recovered};

use std::io::Write;
use std::path::{Path, PathBuf};

use library::extract::{self, extract_file};

#[test]
fn a_chinese_word_file_keeps_its_text_and_headings() {
    let g = evaldata().join("guidelines");
    let docx = extract_file(&g.join("converted/nhc_covid19_plan_v7_zh.docx")).unwrap();
    let original = extract_file(&g.join("zh/nhc_covid19_plan_v7_zh.md")).unwrap();
    let share = recovered(&original.text, &docx.text);
    eprintln!(
        "nhc_covid19_plan_v7_zh.docx recovers {:.3} of the original",
        share
    );
    assert!(share >= 0.95, "recovered only {share:.3}");
    assert_eq!(docx.lang, "zh");
    assert!(
        docx.sections.iter().any(|s| s.path.contains("临床特点")),
        "headings became sections"
    );
}

#[test]
fn an_english_word_file_keeps_its_text() {
    let g = evaldata().join("guidelines");
    let docx = extract_file(&g.join("converted/who_phc_pocketbook_ch01.docx")).unwrap();
    let original = extract_file(&g.join("en/who_phc_pocketbook_ch01.html")).unwrap();
    let share = recovered(&original.text, &docx.text);
    eprintln!(
        "who_phc_pocketbook_ch01.docx recovers {:.3} of the original",
        share
    );
    assert!(share >= 0.9, "recovered only {share:.3}");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_file_that_is_not_a_word_archive_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("random.docx", &b"\x13\x37 random bytes, not a zip"[..]),
        // An encrypted Word file is an OLE compound document, not a zip.
        (
            "encrypted.docx",
            &b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00"[..],
        ),
        ("empty.docx", &b""[..]),
    ] {
        let err = extract_file(&write(dir.path(), name, bytes)).unwrap_err();
        assert_eq!(err.code(), "corrupt_document", "{name}: {err}");
    }
}

#[test]
fn a_zip_without_a_document_part_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hello").unwrap();
    zip.finish().unwrap();
    assert_eq!(extract_file(&path).unwrap_err().code(), "corrupt_document");
}

#[test]
fn a_zip_bomb_is_refused_without_inflating_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bomb.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", deflated).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..(extract::MAX_FILE_BYTES / (1 << 20) * 3) {
        zip.write_all(&block).unwrap();
    }
    zip.finish().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(
        size < extract::MAX_FILE_BYTES,
        "the bomb itself is small ({size} bytes)"
    );
    let err = extract_file(&path).unwrap_err();
    assert_eq!(err.code(), "file_too_large", "{err}");
}
