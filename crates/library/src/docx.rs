//! Word documents (`.docx`): the text of `word/document.xml`, with headings (by paragraph style
//! or outline level) rewritten as Markdown headings so the same sectioning applies.
//!
//! A `.docx` is a zip archive, so a hostile one can be a zip bomb: the XML is read through a
//! hard limit on decompressed bytes, whatever the archive claims.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Most decompressed bytes read from one part of the archive.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Why a `.docx` could not be read.
#[derive(Debug)]
pub enum DocxError {
    /// Not a zip archive, or no `word/document.xml` in it (an encrypted Word file is an OLE
    /// container, not a zip, and lands here too).
    NotDocx(String),
    /// A part decompresses to more than [`MAX_PART_BYTES`].
    TooLarge,
    /// The XML is malformed.
    Xml(String),
}

/// The document's text as Markdown-style lines: headings as `#` lines, paragraphs separated by
/// blank lines, table cells by ` | `.
pub fn to_markdown(bytes: &[u8]) -> Result<String, DocxError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::NotDocx(e.to_string()))?;
    let document = read_part(&mut archive, "word/document.xml")?
        .ok_or_else(|| DocxError::NotDocx("no word/document.xml in the archive".into()))?;
    let styles = match read_part(&mut archive, "word/styles.xml")? {
        Some(xml) => heading_styles(&xml)?,
        None => HashMap::new(),
    };
    paragraphs(&document, &styles)
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(DocxError::NotDocx(e.to_string())),
    };
    let mut out = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocxError::NotDocx(e.to_string()))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge);
    }
    String::from_utf8(out)
        .map(Some)
        .map_err(|_| DocxError::Xml(format!("{name} is not UTF-8")))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.to_string())
}

/// Style ids whose name is a heading ("heading 1", "Title"), mapped to their level. Chinese
/// Word often uses numeric style ids ("1", "2") with English names, so names decide.
fn heading_styles(xml: &str) -> Result<HashMap<String, usize>, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut out = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader
            .read_event()
            .map_err(|e| DocxError::Xml(e.to_string()))?
        {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:style" => current = attr(&e, "w:styleId"),
                "w:name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "w:val")) {
                        let name = name.to_ascii_lowercase();
                        let level = if name == "title" {
                            Some(1)
                        } else {
                            name.strip_prefix("heading ")
                                .and_then(|n| n.trim().parse().ok())
                        };
                        if let Some(level) = level.filter(|l| (1..=6).contains(l)) {
                            out.insert(id.clone(), level);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn paragraphs(xml: &str, styles: &HashMap<String, usize>) -> Result<String, DocxError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut para = String::new();
    let mut level: Option<usize> = None;
    let mut in_text = false;
    let mut cells: Vec<String> = Vec::new();
    let mut in_cell = false;
    loop {
        match reader
            .read_event()
            .map_err(|e| DocxError::Xml(e.to_string()))?
        {
            Event::Start(e) => match e.name().as_ref() {
                "w:p" => {
                    para.clear();
                    level = None;
                }
                "w:t" => in_text = true,
                "w:tc" => in_cell = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:pStyle" => {
                    if let Some(l) = attr(&e, "w:val").and_then(|id| styles.get(&id).copied()) {
                        level = Some(l);
                    }
                }
                "w:outlineLvl" => {
                    if let Some(l) = attr(&e, "w:val").and_then(|v| v.parse::<usize>().ok()) {
                        level = level.or(Some((l + 1).min(6)));
                    }
                }
                "w:tab" => para.push('\t'),
                "w:br" | "w:cr" => para.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                let name: &str = &r;
                match name {
                    "amp" => para.push('&'),
                    "lt" => para.push('<'),
                    "gt" => para.push('>'),
                    "quot" => para.push('"'),
                    "apos" => para.push('\''),
                    _ => {
                        if let Ok(Some(c)) = r.resolve_char_ref() {
                            para.push(c);
                        }
                    }
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    let text = para.trim();
                    if in_cell {
                        if !text.is_empty() {
                            cells.push(text.to_string());
                        }
                    } else if !text.is_empty() {
                        if let Some(l) = level {
                            out.push_str(&"#".repeat(l));
                            out.push(' ');
                            out.push_str(&text.replace('\n', " "));
                        } else {
                            out.push_str(text);
                        }
                        out.push_str("\n\n");
                    }
                }
                "w:tc" => {
                    in_cell = false;
                    cells.push("\u{1}".into());
                }
                "w:tr" => {
                    let row: Vec<String> = cells
                        .split(|c| c == "\u{1}")
                        .map(|cell| cell.join(" "))
                        .filter(|c| !c.is_empty())
                        .collect();
                    if !row.is_empty() {
                        out.push_str(&row.join(" | "));
                        out.push_str("\n\n");
                    }
                    cells.clear();
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}
