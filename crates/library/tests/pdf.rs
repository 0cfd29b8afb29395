//! PDFs: the converted evaluation files against their Markdown originals, page numbers, and
//! hostile files.

mod common;

use common::{evaldata, recovered};

use std::path::{Path, PathBuf};

use std::io::Write;

use library::chunk::{chunk_document, ChunkOptions};
use library::extract::extract_file;
use library::LibraryError;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Dictionary, Document, Object, Stream};

fn converted(name: &str) -> PathBuf {
    evaldata().join("guidelines/converted").join(name)
}

fn original(name: &str) -> PathBuf {
    evaldata().join("guidelines").join(name)
}

#[test]
fn a_chinese_pdf_with_a_cid_font_that_is_not_embedded_keeps_its_text_headings_and_pages() {
    let pdf = extract_file(&converted("chinaxiv_201903.00179.pdf")).unwrap();
    let md = extract_file(&original("zh/chinaxiv_201903.00179.md")).unwrap();
    let share = recovered(&md.text, &pdf.text);
    eprintln!("chinaxiv_201903.00179.pdf recovers {share:.3} of the original");
    assert!(share >= 0.95, "recovered only {share:.3}");
    assert_eq!(pdf.lang, "zh");
    assert_eq!(pdf.title, "我国高血压预防与诊疗模式的建议");
    assert_eq!(pdf.pages(), Some(4));
    assert!(
        pdf.sections
            .iter()
            .any(|s| s.path.ends_with("4中国高血压预防与诊疗模式探讨")),
        "numbered headings became sections: {:?}",
        pdf.sections.iter().map(|s| &s.path).collect::<Vec<_>>()
    );
    // Chinese lines wrap mid-word: the join must not put spaces inside words.
    assert!(pdf.text.contains("以社区为基础的高血压预防与诊疗模式"));
}

#[test]
fn an_english_pdf_keeps_its_text_and_every_passage_knows_its_page() {
    let pdf = extract_file(&converted("nhlbi_0000071_high_blood_pressure.pdf")).unwrap();
    let md = extract_file(&original("en/nhlbi_0000071_high_blood_pressure.md")).unwrap();
    let share = recovered(&md.text, &pdf.text);
    eprintln!("nhlbi_0000071_high_blood_pressure.pdf recovers {share:.3} of the original");
    assert!(share >= 0.95, "recovered only {share:.3}");
    assert_eq!(pdf.lang, "en");
    assert_eq!(pdf.pages(), Some(6));
    let sections: Vec<&str> = pdf.sections.iter().map(|s| s.path.as_str()).collect();
    assert!(
        sections.contains(&"Treatment") && sections.contains(&"Prevention"),
        "{sections:?}"
    );

    let chunks = chunk_document(&pdf, &ChunkOptions::default());
    let pages: Vec<u32> = chunks
        .iter()
        .map(|c| c.page.expect("a PDF passage has a page"))
        .collect();
    assert!(
        pages.windows(2).all(|w| w[0] <= w[1]),
        "pages run in order: {pages:?}"
    );
    assert_eq!((pages[0], *pages.last().unwrap()), (1, 6));
    // Each passage's page is the page its first character was printed on.
    for chunk in &chunks {
        let start = pdf.text.char_indices().nth(chunk.start_char).unwrap().0;
        let page = pdf.page_starts.partition_point(|&p| p <= start) as u32;
        assert_eq!(chunk.page, Some(page));
    }
    let normal = chunks
        .iter()
        .find(|c| {
            c.text
                .contains("Normal blood pressure for adults is defined")
        })
        .unwrap();
    assert_eq!(normal.page, Some(1));
}

/// A one-page PDF with `content` on its page and `font` as /F1.
fn one_page(content: Vec<u8>, font: Dictionary) -> Document {
    pdf_of(vec![content], font)
}

/// A PDF with a page for each entry of `pages`; each page holds its paragraphs, one line
/// each, at the heights given (points from the bottom of an A4 page), in Helvetica 11.
fn paged(pages: &[Vec<(i64, String)>]) -> Document {
    let contents = pages
        .iter()
        .map(|paragraphs| {
            let mut ops = Vec::new();
            for (y, text) in paragraphs {
                ops.push(Operation::new("BT", vec![]));
                ops.push(Operation::new("Tf", vec!["F1".into(), 11.into()]));
                ops.push(Operation::new("Td", vec![72.into(), (*y).into()]));
                ops.push(Operation::new(
                    "Tj",
                    vec![Object::string_literal(text.as_str())],
                ));
                ops.push(Operation::new("ET", vec![]));
            }
            Content { operations: ops }.encode().unwrap()
        })
        .collect();
    pdf_of(contents, helvetica())
}

/// A PDF with a page for each content stream, all with `font` as /F1.
fn pdf_of(contents: Vec<Vec<u8>>, font: Dictionary) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(font);
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut kids: Vec<Object> = Vec::new();
    for content in contents {
        let contents = doc.add_object(Stream::new(dictionary! {}, content));
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(page.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}

fn helvetica() -> Dictionary {
    dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" }
}

fn text_content(lines: &[&str]) -> Vec<u8> {
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 11.into()]),
        Operation::new("TL", vec![14.into()]),
        Operation::new("Td", vec![72.into(), 760.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    Content { operations: ops }.encode().unwrap()
}

fn save(dir: &Path, name: &str, doc: &mut Document) -> PathBuf {
    let path = dir.join(name);
    doc.save(&path).unwrap();
    path
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

#[test]
fn a_pdf_locked_with_a_password_is_refused_as_encrypted_and_one_without_opens() {
    use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
    let dir = tempfile::tempdir().unwrap();
    let encrypt = |user_password: &str| {
        let mut doc = one_page(
            text_content(&["Give oxygen to keep saturation above 94%."]),
            helvetica(),
        );
        doc.trailer.set(
            "ID",
            vec![
                Object::string_literal("0123456789abcdef"),
                Object::string_literal("0123456789abcdef"),
            ],
        );
        let state = EncryptionState::try_from(EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password,
            key_length: 128,
            permissions: Permissions::default(),
        })
        .unwrap();
        doc.encrypt(&state).unwrap();
        doc
    };

    let locked = save(dir.path(), "locked.pdf", &mut encrypt("secret"));
    let err = extract_file(&locked).unwrap_err();
    assert!(matches!(err, LibraryError::Encrypted { .. }), "{err:?}");
    assert_eq!(err.code(), "encrypted_document");

    // Restricted only in what it permits: anyone can open it, so Bedside reads it.
    let open = save(dir.path(), "permissions-only.pdf", &mut encrypt(""));
    let doc = extract_file(&open).unwrap();
    assert!(
        doc.text
            .contains("Give oxygen to keep saturation above 94%."),
        "{}",
        doc.text
    );
}

#[test]
fn truncated_random_and_mislabelled_files_are_typed_errors() {
    let dir = tempfile::tempdir().unwrap();
    let real = std::fs::read(converted("nhlbi_0000071_high_blood_pressure.pdf")).unwrap();
    for (name, bytes) in [
        (
            "random.pdf",
            (0..20_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect::<Vec<_>>(),
        ),
        (
            "a-word-file.pdf",
            std::fs::read(converted("who_phc_pocketbook_ch01.docx")).unwrap(),
        ),
        ("header-only.pdf", real[..400].to_vec()),
        ("empty.pdf", Vec::new()),
    ] {
        let err = extract_file(&write(dir.path(), name, &bytes)).unwrap_err();
        assert_eq!(err.code(), "corrupt_document", "{name}: {err}");
    }
    // Cut in the middle: lenient reading recovers the objects that are whole, so the first
    // pages still read; what is lost is lost without a crash or garbage.
    let half = write(dir.path(), "half.pdf", &real[..real.len() / 2]);
    match extract_file(&half) {
        Ok(doc) => assert!(
            doc.text.contains("High blood pressure is a common disease"),
            "{}",
            doc.text
        ),
        Err(err) => assert_eq!(err.code(), "corrupt_document", "{err}"),
    }
}

#[test]
fn a_pdf_of_scanned_images_says_it_needs_ocr() {
    let dir = tempfile::tempdir().unwrap();
    // A page that only paints: what a scanner produces, minus the image.
    let paint = b"q 0.5 g 72 72 451 698 re f Q".to_vec();
    let path = save(dir.path(), "scan.pdf", &mut one_page(paint, helvetica()));
    let err = extract_file(&path).unwrap_err();
    assert!(
        matches!(err, LibraryError::NoTextLayer { pages: 1, .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), "no_text_layer");
}

#[test]
fn a_composite_font_without_a_unicode_map_is_not_indexed_as_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let cid_font = dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "SimSun", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Dictionary(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "SimSun",
            "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        })],
    };
    let glyphs = b"BT /F1 12 Tf 72 760 Td <0a1b0c2d3e4f> Tj ET".to_vec();
    let path = save(dir.path(), "glyph-ids.pdf", &mut one_page(glyphs, cid_font));
    let err = extract_file(&path).unwrap_err();
    assert_eq!(err.code(), "no_text_layer", "{err}");
}

#[test]
fn a_page_that_inflates_past_the_limit_is_refused_without_inflating_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..(library::pdf::MAX_CONTENT_BYTES >> 20) * 4 {
        bomb.write_all(&zeros).unwrap();
    }
    let compressed = bomb.finish().unwrap();
    assert!(
        compressed.len() < 200_000,
        "the bomb is small: {}",
        compressed.len()
    );
    let mut doc = one_page(Vec::new(), helvetica());
    let page = *doc.get_pages().values().next().unwrap();
    let contents = doc
        .get_dictionary(page)
        .unwrap()
        .get(b"Contents")
        .unwrap()
        .as_reference()
        .unwrap();
    doc.objects.insert(
        contents,
        Object::Stream(
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, compressed)
                .with_compression(false),
        ),
    );
    let path = save(dir.path(), "bomb.pdf", &mut doc);
    let err = extract_file(&path).unwrap_err();
    assert_eq!(err.code(), "corrupt_document", "{err}");
    assert!(err.to_string().contains("inflates past"), "{err}");
}

#[test]
fn words_in_separate_strings_and_kerned_arrays_keep_their_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let content = b"BT /F1 11 Tf 72 760 Td [(Check)-300(the)-280(airway)] TJ 0 -30 Td (Then) Tj 40 0 Td (breathing.) Tj ET".to_vec();
    let path = save(
        dir.path(),
        "kerned.pdf",
        &mut one_page(content, helvetica()),
    );
    let doc = extract_file(&path).unwrap();
    assert_eq!(doc.text.trim(), "Check the airway\n\nThen breathing.");
}

#[test]
fn running_headers_footers_and_page_numbers_are_left_out_and_the_text_between_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let header = "Ministry of Health - Hypertension Guideline 2024";
    let pages: Vec<Vec<(i64, String)>> = (1..=5)
        .map(|n| {
            vec![
                (810, header.to_string()),
                // Numbered like the pages but not counting them: the guideline's own text.
                (700, format!("Recommendation {} opens this page.", n * 7)),
                // The same sentence in the middle of every page is the guideline's, not a header.
                (600, "Measure blood pressure in both arms.".to_string()),
                (
                    500,
                    format!("Recommendation {} closes this page.", n * 7 + 1),
                ),
                (40, format!("Page {n} of 5")),
            ]
        })
        .collect();
    let path = save(dir.path(), "running.pdf", &mut paged(&pages));
    let doc = extract_file(&path).unwrap();

    assert!(!doc.text.contains("Ministry of Health"), "{}", doc.text);
    assert!(!doc.text.contains(" of 5"), "{}", doc.text);
    for n in 1..=5 {
        assert_eq!(
            doc.text
                .matches(&format!("Recommendation {} opens", n * 7))
                .count(),
            1
        );
        assert_eq!(
            doc.text
                .matches(&format!("Recommendation {} closes", n * 7 + 1))
                .count(),
            1
        );
    }
    assert_eq!(
        doc.text
            .matches("Measure blood pressure in both arms.")
            .count(),
        5
    );
    // Every page still starts where its own text does.
    assert_eq!(doc.page_starts.len(), 5);
    for (i, start) in doc.page_starts.iter().enumerate() {
        assert!(
            doc.text[*start..].starts_with(&format!("Recommendation {} ", (i + 1) * 7)),
            "page {} starts with {:?}",
            i + 1,
            &doc.text[*start..]
        );
    }

    // Two pages are too few to tell a running header from the text: nothing is dropped.
    let short = save(dir.path(), "short.pdf", &mut paged(&pages[..2]));
    let doc = extract_file(&short).unwrap();
    assert_eq!(doc.text.matches(header).count(), 2);
    assert!(doc.text.contains("Page 2 of 5"));
}
