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

/// A page of its own for each of `n` pages: one line, long enough never to pass for a running
/// header or footer.
fn numbered_pages(n: usize) -> Vec<Vec<(i64, String)>> {
    (0..n)
        .map(|i| {
            vec![(
                760,
                format!("Part {i} explains how oral rehydration treats dehydration in children."),
            )]
        })
        .collect()
}

#[test]
fn a_pdf_past_the_budget_of_one_document_is_refused_though_each_page_is_within_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    // 15 MiB of blanks, under the 16 MiB a page may inflate to, compressed to a few KiB.
    let mut blank = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..15 {
        blank.write_all(&spaces).unwrap();
    }
    let blank = blank.finish().unwrap();
    let with_blank_on_every_page = |pages: usize| {
        let mut doc = paged(&numbered_pages(pages));
        let shared = doc.add_object(
            Stream::new(dictionary! { "Filter" => "FlateDecode" }, blank.clone())
                .with_compression(false),
        );
        let page_ids: Vec<_> = doc.get_pages().values().copied().collect();
        for page in page_ids {
            let page = doc.get_dictionary_mut(page).unwrap();
            let own = page.get(b"Contents").unwrap().clone();
            page.set("Contents", vec![Object::Reference(shared), own]);
        }
        doc
    };

    // Twenty pages share it: a file of some KiB that reads as 300 MiB.
    let pages = 20;
    assert!(pages * (15 << 20) > library::pdf::MAX_DOCUMENT_BYTES);
    let path = save(
        dir.path(),
        "shared.pdf",
        &mut with_blank_on_every_page(pages),
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let err = extract_file(&path).unwrap_err();
    assert!(
        matches!(err, LibraryError::ContentTooLarge { limit, .. } if limit == library::pdf::MAX_DOCUMENT_BYTES),
        "{err:?}"
    );
    assert_eq!(err.code(), "content_too_large");
    assert!(
        err.to_string().contains("the limit for one document"),
        "{err}"
    );

    // Two such pages are within the budget: it is the total that is refused, not the page.
    let path = save(dir.path(), "two.pdf", &mut with_blank_on_every_page(2));
    let doc = extract_file(&path).unwrap();
    assert_eq!(doc.pages(), Some(2));
}

#[test]
fn every_page_and_the_text_made_from_it_count_against_the_budget() {
    let bytes = |doc: &mut Document| {
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    };
    let pdf = bytes(&mut paged(&numbered_pages(40)));
    let never = || false;
    let within = |max_bytes| library::pdf::Limits {
        max_bytes,
        is_cancelled: &never,
    };
    let text = library::pdf::to_text_with(&pdf, &within(1 << 20)).unwrap();
    // Its content streams and its text: more than the text alone, less than a page short.
    let err = library::pdf::to_text_with(&pdf, &within(text.text.len())).unwrap_err();
    assert!(
        matches!(err, library::pdf::PdfError::OverBudget { limit } if limit == text.text.len()),
        "{err:?}"
    );
}

#[test]
fn object_streams_count_against_the_budget_as_the_pdf_loads() {
    // One short page, and 2,000 objects that no page uses, a kilobyte each.
    let mut doc = paged(&numbered_pages(1));
    for i in 0..2000 {
        doc.add_object(dictionary! { "Padding" => Object::string_literal(format!("{i:01024}")) });
    }
    let save = |doc: &mut Document, object_streams: bool| {
        let mut out = Vec::new();
        let options = lopdf::SaveOptions::builder()
            .use_object_streams(object_streams)
            .use_xref_streams(object_streams)
            .compression_level(6)
            .build();
        doc.save_with_options(&mut out, options).unwrap();
        out
    };
    let never = || false;
    let limits = library::pdf::Limits {
        max_bytes: 1 << 20,
        is_cancelled: &never,
    };
    // Written plainly, nothing of the padding is decompressed: the page alone is read.
    let plain = save(&mut doc, false);
    library::pdf::to_text_with(&plain, &limits).unwrap();
    // Packed into compressed object streams, the 2 MiB they inflate to are counted.
    let packed = save(&mut doc, true);
    assert!(packed.len() < plain.len() / 4, "{} bytes", packed.len());
    let err = library::pdf::to_text_with(&packed, &limits).unwrap_err();
    assert!(
        matches!(err, library::pdf::PdfError::OverBudget { .. }),
        "{err:?}"
    );
    // Within the default budget it reads.
    library::pdf::to_text(&packed).unwrap();
}

#[test]
fn a_cancel_is_checked_between_the_pages_of_a_pdf() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let pages = 50;
    let path = save(dir.path(), "long.pdf", &mut paged(&numbered_pages(pages)));
    let bytes = std::fs::read(&path).unwrap();
    // Not cancelled: every page is read, and the cancel was asked about each.
    let asked = AtomicUsize::new(0);
    let count = || {
        asked.fetch_add(1, Ordering::Relaxed);
        false
    };
    let limits = library::pdf::Limits {
        max_bytes: library::pdf::MAX_DOCUMENT_BYTES,
        is_cancelled: &count,
    };
    let doc = library::extract::extract_bytes_with(
        &bytes,
        library::extract::Format::Pdf,
        "long",
        &path,
        &limits,
    )
    .unwrap();
    assert_eq!(doc.pages(), Some(pages as u32));
    assert!(asked.load(Ordering::Relaxed) >= pages);

    // Cancelled once the first page is read: the reading stops at the next page.
    let asked = AtomicUsize::new(0);
    let cancel_after_first_page = || asked.fetch_add(1, Ordering::Relaxed) >= 2;
    let limits = library::pdf::Limits {
        max_bytes: library::pdf::MAX_DOCUMENT_BYTES,
        is_cancelled: &cancel_after_first_page,
    };
    let err = library::extract::extract_bytes_with(
        &bytes,
        library::extract::Format::Pdf,
        "long",
        &path,
        &limits,
    )
    .unwrap_err();
    assert!(matches!(err, LibraryError::Cancelled { .. }), "{err:?}");
    assert_eq!(err.code(), "cancelled");
    assert_eq!(
        asked.load(Ordering::Relaxed),
        3,
        "asked before the load and two pages"
    );
}

/// A PDF whose one page is read from plain objects, with `sections` cross-reference streams
/// chained by `/Prev`, each inflating to `inflated` bytes of which only the first entries are
/// read. lopdf decodes them all as the file loads, before any filter sees them.
fn chained_xref_streams(sections: usize, inflated: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let content = text_content(&["Give oxygen to keep saturation above 94%."]);
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!("<< /Length {} >>\nstream\n", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}", i + 1).as_bytes());
        if i == 3 {
            out.extend_from_slice(&content);
            out.extend_from_slice(b"\nendstream");
        }
        out.extend_from_slice(b"\nendobj\n");
    }
    let mut prev: Option<usize> = None;
    for section in 0..sections {
        let number = 6 + section;
        let mut entries = vec![0u8; inflated];
        if section == 0 {
            // The oldest section lists the objects; the newer ones add nothing.
            let mut rows = vec![[0u8, 0, 0, 0, 0, 255]];
            rows.extend(offsets.iter().map(|&o| {
                let o = (o as u32).to_be_bytes();
                [1, o[0], o[1], o[2], o[3], 0]
            }));
            for (i, row) in rows.iter().enumerate() {
                entries[i * 6..i * 6 + 6].copy_from_slice(row);
            }
        }
        let mut packed = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        packed.write_all(&entries).unwrap();
        let packed = packed.finish().unwrap();
        let index = if section == 0 { "0 6" } else { "0 0" };
        let prev_entry = prev.map_or(String::new(), |p| format!(" /Prev {p}"));
        let start = out.len();
        out.extend_from_slice(
            format!(
                "{number} 0 obj\n<< /Type /XRef /Size {} /Root 1 0 R /W [1 4 1] /Index [{index}]{prev_entry} \
                 /Filter /FlateDecode /Length {} >>\nstream\n",
                6 + sections,
                packed.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&packed);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        prev = Some(start);
    }
    out.extend_from_slice(format!("startxref\n{}\n%%EOF\n", prev.unwrap()).as_bytes());
    out
}

#[test]
fn cross_reference_streams_inflated_as_the_pdf_loads_count_against_the_budget() {
    // 200 sections of 64 KiB each: 12.5 MiB inflated before any page is read.
    let pdf = chained_xref_streams(200, 64 << 10);
    let never = || false;
    let within = |max_bytes| library::pdf::Limits {
        max_bytes,
        is_cancelled: &never,
    };
    // The file is sound: within the default budget it reads.
    let text = library::pdf::to_text(&pdf).unwrap();
    assert!(text.text.contains("saturation above 94%"), "{}", text.text);
    // Within a budget of 1 MiB its cross-reference streams alone could go past it: refused.
    let err = library::pdf::to_text_with(&pdf, &within(1 << 20)).unwrap_err();
    assert!(
        matches!(err, library::pdf::PdfError::OverBudget { limit } if limit == 1 << 20),
        "{err:?}"
    );
    // A few such sections share the budget and read.
    let few = chained_xref_streams(3, 64 << 10);
    library::pdf::to_text_with(&few, &within(1 << 20)).unwrap();
}

#[test]
fn a_pdf_whose_pages_are_in_object_streams_loads_them() {
    // Enough objects that lopdf with its `rayon` feature would load them on its pool, where the
    // thread-local load budget is not set and every object stream would be dropped.
    let mut doc = paged(&numbered_pages(40));
    let mut out = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .build();
    doc.save_with_options(&mut out, options).unwrap();
    assert!(out.windows(7).any(|w| w == b"/ObjStm"));
    let text = library::pdf::to_text(&out).unwrap();
    assert_eq!(text.page_starts.len(), 40);
    assert!(text.text.contains("Part 39 explains"), "{}", text.text);
}
