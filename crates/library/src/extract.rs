//! Reading guideline files into plain text with their section structure.
//!
//! Every format is reduced to one `text` plus the headings found in it, so that chunking and
//! citations work the same for all of them: a citation's offsets point into `text`, which the
//! caller stores verbatim. HTML is rewritten to Markdown-style headings for that reason.

use std::path::{Path, PathBuf};

use crate::{lang, LibraryError, Result};

/// Files above this size are refused before they are read: a guideline is rarely over a few
/// megabytes, and a 200 MB text file must not take the workstation's memory with it.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// The formats this version reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Markdown (`.md`, `.markdown`).
    Markdown,
    /// Plain text (`.txt`).
    Text,
    /// HTML (`.html`, `.htm`).
    Html,
    /// Word (`.docx`).
    Docx,
    /// PDF with a text layer (`.pdf`).
    Pdf,
}

impl Format {
    /// The format for a path, judged by its extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Lower-case name, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// A heading and the span of text it governs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Headings from the outermost to this one, joined with " > ".
    pub path: String,
    /// Byte offset in [`ExtractedDocument::text`] where the section's body starts.
    pub start: usize,
    /// Byte offset where it ends (exclusive).
    pub end: usize,
}

/// A file reduced to text, ready for chunking.
#[derive(Debug, Clone)]
pub struct ExtractedDocument {
    /// The document's title: its first top-level heading, else the file name.
    pub title: String,
    /// The format it was read from.
    pub format: Format,
    /// `"zh"` or `"en"`.
    pub lang: &'static str,
    /// The full text; chunks and citations are slices of it.
    pub text: String,
    /// Sections in document order, covering all of `text` that holds content.
    pub sections: Vec<Section>,
    /// Byte offset in `text` where each page starts, for formats with pages (PDF); empty
    /// otherwise.
    pub page_starts: Vec<usize>,
}

impl ExtractedDocument {
    /// The 1-based page that holds the byte at `offset`, for formats with pages.
    pub fn page_at(&self, offset: usize) -> Option<u32> {
        if self.page_starts.is_empty() {
            return None;
        }
        let page = self.page_starts.partition_point(|&start| start <= offset);
        Some(page.max(1) as u32)
    }

    /// Number of pages, for formats with pages.
    pub fn pages(&self) -> Option<u32> {
        (!self.page_starts.is_empty()).then_some(self.page_starts.len() as u32)
    }
}

/// Reads a file of a supported format. Checks size and binary content before decoding, so bad
/// files fail fast with a typed error.
pub fn extract_file(path: &Path) -> Result<ExtractedDocument> {
    let (format, bytes) = read_file(path)?;
    extract_bytes(&bytes, format, &file_stem(path), path)
}

/// Reads a file's bytes after checking that its format is supported and its size is within
/// [`MAX_FILE_BYTES`]; the caller can hash the bytes before extracting them.
pub fn read_file(path: &Path) -> Result<(Format, Vec<u8>)> {
    let format = format_of(path)?;
    let file = std::fs::File::open(path).map_err(|source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_opened(path, format, file)
}

/// Like [`read_file`], from a file the caller opened itself (after checking where `path`
/// really leads, so that what is read is what was checked). `path` names it in errors.
pub fn read_open_file(path: &Path, file: std::fs::File) -> Result<(Format, Vec<u8>)> {
    read_opened(path, format_of(path)?, file)
}

fn format_of(path: &Path) -> Result<Format> {
    Format::from_path(path).ok_or_else(|| LibraryError::UnsupportedFormat {
        path: path.to_path_buf(),
    })
}

fn read_opened(path: &Path, format: Format, file: std::fs::File) -> Result<(Format, Vec<u8>)> {
    use std::io::Read;
    let io = |source| LibraryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = file.metadata().map_err(io)?;
    // A pipe or a device has no end to read to.
    if !meta.is_file() {
        return Err(io(std::io::Error::other("not a regular file")));
    }
    let size = meta.len();
    if size > MAX_FILE_BYTES {
        return Err(LibraryError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    // A file that grows while it is read stops at the limit all the same.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LibraryError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok((format, bytes))
}

/// The file name without its extension: the title of last resort.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Extracts from bytes already in memory; `fallback_title` is used when the text has no heading.
pub fn extract_bytes(
    bytes: &[u8],
    format: Format,
    fallback_title: &str,
    path: &Path,
) -> Result<ExtractedDocument> {
    extract_bytes_with(
        bytes,
        format,
        fallback_title,
        path,
        &crate::pdf::Limits::default(),
    )
}

/// [`extract_bytes`] within `limits`: a PDF's budget of decompressed bytes, and a cancel that
/// a PDF checks between its pages ([`LibraryError::Cancelled`]).
pub fn extract_bytes_with(
    bytes: &[u8],
    format: Format,
    fallback_title: &str,
    path: &Path,
    limits: &crate::pdf::Limits<'_>,
) -> Result<ExtractedDocument> {
    let mut page_starts = Vec::new();
    let (text, html_title) = match format {
        Format::Docx => (docx_text(bytes, path)?, None),
        Format::Pdf => {
            let pdf = pdf_text(bytes, path, limits)?;
            page_starts = pdf.page_starts;
            (pdf.text, None)
        }
        _ => {
            let raw = decode_text(bytes).ok_or_else(|| LibraryError::NotText {
                path: path.to_path_buf(),
            })?;
            match format {
                Format::Html => html_to_markdown(&raw),
                _ => (normalise_newlines(&raw), None),
            }
        }
    };
    if text.trim().is_empty() {
        return Err(LibraryError::Empty {
            path: path.to_path_buf(),
        });
    }
    let sections = match format {
        Format::Text => vec![Section {
            path: String::new(),
            start: 0,
            end: text.len(),
        }],
        Format::Markdown | Format::Html | Format::Docx | Format::Pdf => markdown_sections(&text),
    };
    let title = html_title
        .or_else(|| first_heading(&text))
        .unwrap_or_else(|| fallback_title.to_string());
    Ok(ExtractedDocument {
        title,
        format,
        lang: lang::detect(&text),
        text,
        sections,
        page_starts,
    })
}

fn pdf_text(
    bytes: &[u8],
    path: &Path,
    limits: &crate::pdf::Limits<'_>,
) -> Result<crate::pdf::PdfText> {
    use crate::pdf::PdfError;
    let path = path.to_path_buf();
    crate::pdf::to_text_with(bytes, limits).map_err(|e| match e {
        PdfError::Encrypted => LibraryError::Encrypted { path },
        PdfError::NoText { pages } => LibraryError::NoTextLayer { path, pages },
        PdfError::OverBudget { limit } => LibraryError::ContentTooLarge { path, limit },
        PdfError::Cancelled => LibraryError::Cancelled { path },
        PdfError::TooLarge(message) | PdfError::Damaged(message) => {
            LibraryError::Corrupt { path, message }
        }
    })
}

fn docx_text(bytes: &[u8], path: &Path) -> Result<String> {
    use crate::docx::DocxError;
    crate::docx::to_markdown(bytes).map_err(|e| match e {
        DocxError::TooLarge => LibraryError::TooLarge {
            path: path.to_path_buf(),
            size: crate::docx::MAX_PART_BYTES + 1,
            limit: crate::docx::MAX_PART_BYTES,
        },
        DocxError::NotDocx(m) | DocxError::Xml(m) => LibraryError::Corrupt {
            path: path.to_path_buf(),
            message: m,
        },
    })
}

/// Decodes text the way Chinese hospitals produce it: UTF-8 (with or without BOM), else GB18030.
/// Returns `None` for binary content (NUL bytes), which no guideline text contains.
fn decode_text(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return None;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        Err(_) => {
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                Some(String::from_utf8_lossy(bytes).into_owned())
            } else {
                Some(decoded.into_owned())
            }
        }
    }
}

fn normalise_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// A Markdown ATX heading (`## Title`): its level and text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let level = trimmed.bytes().take_while(|&b| b == b'#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &trimmed[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim();
    (!title.is_empty()).then_some((level, title))
}

fn first_heading(text: &str) -> Option<String> {
    text.lines()
        .filter_map(heading)
        .min_by_key(|(level, _)| *level)
        .map(|(_, t)| t.to_string())
}

/// Splits Markdown into sections at ATX headings, tracking the heading path. Headings inside
/// fenced code blocks are not headings.
fn markdown_sections(text: &str) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut current_path = String::new();
    let mut start = 0usize;
    let mut offset = 0usize;
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some((level, title)) = heading(line) {
            push_section(&mut sections, &current_path, text, start, line_start);
            while stack.last().is_some_and(|(l, _)| *l >= level) {
                stack.pop();
            }
            stack.push((level, title.to_string()));
            current_path = stack
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" > ");
            start = offset;
        }
    }
    push_section(&mut sections, &current_path, text, start, text.len());
    sections
}

fn push_section(sections: &mut Vec<Section>, path: &str, text: &str, start: usize, end: usize) {
    if text[start..end].trim().is_empty() {
        return;
    }
    sections.push(Section {
        path: path.to_string(),
        start,
        end,
    });
}

/// Rewrites HTML as Markdown-style text: headings become `#` lines, blocks become paragraphs,
/// scripts and styles are dropped. Returns the text and the `<title>` if there is one.
fn html_to_markdown(html: &str) -> (String, Option<String>) {
    use scraper::{Html, Node};
    let doc = Html::parse_document(html);
    let title = doc
        .select(&scraper::Selector::parse("title").expect("static selector"))
        .next()
        .map(|t| collapse_ws(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());

    let mut out = String::new();
    let mut stack = vec![(doc.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        let name = match node.value() {
            Node::Element(e) => Some(e.name()),
            _ => None,
        };
        if closing {
            if name.is_some_and(is_block) {
                out.push_str("\n\n");
            }
            continue;
        }
        match node.value() {
            Node::Text(t) => {
                let piece = collapse_ws(t);
                if !piece.is_empty() {
                    if !out.is_empty() && !out.ends_with(['\n', ' ']) {
                        out.push(' ');
                    }
                    out.push_str(&piece);
                }
            }
            Node::Element(e) => {
                if matches!(
                    e.name(),
                    "script" | "style" | "head" | "noscript" | "template"
                ) {
                    continue;
                }
                if let Some(level) = heading_level(e.name()) {
                    let text = collapse_ws(
                        &scraper::ElementRef::wrap(node)
                            .map(|r| r.text().collect::<String>())
                            .unwrap_or_default(),
                    );
                    if !text.is_empty() {
                        out.push_str("\n\n");
                        out.push_str(&"#".repeat(level));
                        out.push(' ');
                        out.push_str(&text);
                        out.push_str("\n\n");
                    }
                    continue;
                }
                if is_block(e.name()) {
                    out.push_str("\n\n");
                } else if e.name() == "br" {
                    out.push('\n');
                }
                stack.push((node, true));
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
            _ => {
                let children: Vec<_> = node.children().collect();
                for child in children.into_iter().rev() {
                    stack.push((child, false));
                }
            }
        }
    }
    (tidy_blank_lines(&out), title)
}

fn heading_level(tag: &str) -> Option<usize> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "section"
            | "article"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "tr"
            | "blockquote"
            | "pre"
            | "dd"
            | "dt"
            | "header"
            | "footer"
            | "main"
            | "body"
    )
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Trims each line and collapses runs of blank lines to one.
fn tidy_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// The path as a display name (its file name).
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| PathBuf::from(path).display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(text: &str) -> ExtractedDocument {
        extract_bytes(
            text.as_bytes(),
            Format::Markdown,
            "fallback",
            Path::new("x.md"),
        )
        .unwrap()
    }

    #[test]
    fn markdown_sections_follow_heading_nesting() {
        let doc = md("# Asthma\nintro\n## Treatment\nuse inhalers\n### Children\nsmaller doses\n## Outlook\ngood\n");
        assert_eq!(doc.title, "Asthma");
        let paths: Vec<_> = doc.sections.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Asthma",
                "Asthma > Treatment",
                "Asthma > Treatment > Children",
                "Asthma > Outlook"
            ]
        );
        let children = &doc.sections[2];
        assert_eq!(
            doc.text[children.start..children.end].trim(),
            "smaller doses"
        );
    }

    #[test]
    fn hash_inside_code_fence_is_not_a_heading() {
        let doc = md("# T\n```\n# not a heading\n```\nbody\n");
        assert_eq!(doc.sections.len(), 1);
    }

    #[test]
    fn gb18030_text_is_decoded() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("高血压的诊断标准");
        let doc = extract_bytes(&bytes, Format::Text, "t", Path::new("t.txt")).unwrap();
        assert!(doc.text.contains("高血压"));
        assert_eq!(doc.lang, "zh");
    }

    #[test]
    fn binary_content_is_refused() {
        let err =
            extract_bytes(b"\x00\x01\x02PK", Format::Text, "t", Path::new("t.txt")).unwrap_err();
        assert_eq!(err.code(), "not_text");
    }

    #[test]
    fn whitespace_only_is_empty() {
        let err = extract_bytes(b"  \n\n ", Format::Markdown, "t", Path::new("t.md")).unwrap_err();
        assert_eq!(err.code(), "empty_document");
    }

    #[test]
    fn html_headings_become_sections_and_scripts_vanish() {
        let html = "<html><head><title>Fever</title><script>alert(1)</script></head><body>\
            <h1>Fever</h1><p>Measure the temperature.</p><h2>Treatment</h2><p>Give fluids.</p>\
            <script>evil()</script></body></html>";
        let doc = extract_bytes(html.as_bytes(), Format::Html, "f", Path::new("f.html")).unwrap();
        assert_eq!(doc.title, "Fever");
        assert!(!doc.text.contains("evil"));
        let treatment = doc
            .sections
            .iter()
            .find(|s| s.path == "Fever > Treatment")
            .unwrap();
        assert_eq!(
            doc.text[treatment.start..treatment.end].trim(),
            "Give fluids."
        );
    }
}
