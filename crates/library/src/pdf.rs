//! The text layer of a PDF, laid out as paragraphs and headings, with the offset where each page
//! starts.
//!
//! `lopdf` parses the file (cross-references, filters, decryption with an empty password, font
//! encodings); the layout is ours because its own `extract_text` keeps neither paragraphs nor
//! headings, and a citation needs both. The layout follows the text positions the content
//! stream sets: a jump down of more than 1.5 lines starts a paragraph, and a paragraph set in a
//! font clearly larger than the body text becomes a Markdown heading, so PDFs get sections like
//! every other format. Running headers, footers and page numbers, the same text at the top or
//! bottom of most pages, are left out: they are nobody's guideline.
//!
//! Chinese PDFs often use a predefined CMap (`UniGB-UCS2-H`, `GBK-EUC-H`) with a font that is
//! not embedded; those codes are decoded directly, without a font file. A composite font with
//! neither such a CMap nor a `/ToUnicode` map has no recoverable text, and its strings are
//! dropped rather than indexed as garbage.

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Document, Encoding, LoadOptions, Object, ObjectId};

/// A page's content stream may inflate to at most this much: a real page is well under a
/// megabyte, and a crafted one must not exhaust memory.
pub const MAX_CONTENT_BYTES: usize = 16 * 1024 * 1024;

/// Documents with more pages are refused: a guideline of ten thousand pages is a mistake.
pub const MAX_PAGES: usize = 10_000;

/// What one PDF may decompress and extract in all: its object streams as it loads, each page's
/// content, each font's map to Unicode, and the text laid out from them. The limits above
/// alone still let a file of a few megabytes make the reader inflate 10,000 pages of 16 MiB
/// each (160 GiB, by sharing one stream among all the pages), holding the import for hours.
/// Real guidelines come nowhere near this: the evaluation PDFs use well under 1 MiB each, and
/// a dense 1,000-page textbook some tens of MiB; 256 MiB keeps room for those while bounding
/// one file to seconds of work and its memory to a fraction of a workstation's.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// A paragraph in a font at least this much larger than the body text is a heading.
const HEADING_RATIO: f32 = 1.15;

/// Headings are short; a long paragraph in a large font is a pull quote or a title page.
const HEADING_MAX_CHARS: usize = 200;

/// Running headers and footers are looked for only in documents of at least this many pages.
const RUNNING_MIN_PAGES: usize = 3;

/// How many paragraphs from the top and from the bottom of a page may be a running header or
/// footer.
const EDGE_PARAGRAPHS: usize = 2;

/// A line that carries the page number is short ("Page 3 of 12", "J Hypertens 2019;37:45");
/// in a longer one, a number that happens to follow the pages is content.
const PAGE_NUMBER_LINE_CHARS: usize = 40;

/// The text of a PDF.
#[derive(Debug, Clone)]
pub struct PdfText {
    /// Paragraphs separated by blank lines; headings start with `#`.
    pub text: String,
    /// Byte offset in `text` where each page starts, one per page, in page order.
    pub page_starts: Vec<usize>,
}

/// What one reading of a PDF may spend, and how it learns that it should stop.
#[derive(Clone, Copy)]
pub struct Limits<'a> {
    /// Bytes it may decompress and extract in all; [`MAX_DOCUMENT_BYTES`] unless a caller (a
    /// test) needs less.
    pub max_bytes: usize,
    /// Asked before the file is parsed and between its pages: `true` stops the reading with
    /// [`PdfError::Cancelled`], so a cancel is not held up by a long document.
    pub is_cancelled: &'a (dyn Fn() -> bool + Sync),
}

fn never() -> bool {
    false
}

impl Default for Limits<'static> {
    fn default() -> Self {
        Limits {
            max_bytes: MAX_DOCUMENT_BYTES,
            is_cancelled: &never,
        }
    }
}

/// Why a PDF gave no text.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// It needs a password to open.
    #[error("the PDF is protected by a password")]
    Encrypted,
    /// It is not a PDF, or is damaged beyond what the reader repairs.
    #[error("{0}")]
    Damaged(String),
    /// A content stream inflates past [`MAX_CONTENT_BYTES`], or there are too many pages.
    #[error("the PDF is too large to read: {0}")]
    TooLarge(String),
    /// Everything it decompresses and extracts comes to more than the budget of one document
    /// ([`MAX_DOCUMENT_BYTES`]), though each stream may be within its own limit.
    #[error("the PDF decompresses to more than {limit} bytes in all, the limit for one document")]
    OverBudget {
        /// The budget, in bytes.
        limit: usize,
    },
    /// The caller cancelled while it was being read.
    #[error("cancelled while the PDF was read")]
    Cancelled,
    /// It has pages but no text that can be read: scanned images, or fonts without a map to
    /// Unicode.
    #[error(
        "no readable text on its {pages} pages (scanned images, or fonts without a Unicode map)"
    )]
    NoText {
        /// Pages in the file.
        pages: usize,
    },
}

/// Reads the text layer of a PDF held in memory, within the default [`Limits`].
///
/// `lopdf` is a large parser fed untrusted files; a panic inside it is turned into
/// [`PdfError::Damaged`] so that one bad file cannot end an import.
pub fn to_text(bytes: &[u8]) -> Result<PdfText, PdfError> {
    to_text_with(bytes, &Limits::default())
}

/// [`to_text`] within `limits`: a budget of bytes and a cancel checked between pages.
pub fn to_text_with(bytes: &[u8], limits: &Limits<'_>) -> Result<PdfText, PdfError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(bytes, limits))).unwrap_or_else(
        |_| {
            Err(PdfError::Damaged(
                "the PDF reader failed on this file".into(),
            ))
        },
    )
}

/// The bytes one document has left to decompress and extract.
struct Budget {
    left: usize,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Budget {
        Budget { left: limit, limit }
    }

    /// Counts `bytes` against the budget, or says it is spent.
    fn charge(&mut self, bytes: usize) -> Result<(), PdfError> {
        self.left = self.left.checked_sub(bytes).ok_or_else(|| self.over())?;
        Ok(())
    }

    /// The most one stream may inflate to now: its own limit, or what is left if less.
    fn stream_limit(&self) -> usize {
        MAX_CONTENT_BYTES.min(self.left)
    }

    /// Whether a stream refused at [`Budget::stream_limit`] was refused for the budget rather
    /// than for its own size.
    fn binds(&self) -> bool {
        self.left < MAX_CONTENT_BYTES
    }

    fn over(&self) -> PdfError {
        PdfError::OverBudget { limit: self.limit }
    }
}

thread_local! {
    /// What the object streams decoded while a document loads may still inflate to; the load
    /// filter, a plain `fn`, can reach nothing else. `None` once one went past it.
    ///
    /// Thread-local, so it works only because lopdf loads on the calling thread: it is built
    /// without its `rayon` feature (`default-features = false` in the workspace manifest). With
    /// that feature lopdf parses on rayon's pool, where this is `None`, so the filter would drop
    /// every object stream; `object_streams_count_against_the_budget_as_the_pdf_loads` and
    /// `a_pdf_whose_pages_are_in_object_streams_loads_them` in `tests/pdf.rs` then fail.
    static LOAD_BUDGET: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    /// The most one stream may inflate to while the document loads: see [`load_stream_limit`].
    static LOAD_STREAM_LIMIT: std::cell::Cell<usize> = const { std::cell::Cell::new(MAX_CONTENT_BYTES) };
}

/// Charges each object stream against [`LOAD_BUDGET`] before lopdf decodes it (by decoding it
/// once within what is left; lopdf then decodes it again, so both count), and drops it once
/// the budget is spent so that lopdf does not decode it at all.
fn charge_object_streams(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        if stream.dict.has_type(b"ObjStm") {
            let left = LOAD_BUDGET.get()?;
            let limit = LOAD_STREAM_LIMIT.get().min(left);
            match stream.decompressed_content_with_limit(limit) {
                Ok(data) => LOAD_BUDGET.set(left.checked_sub(2 * data.len())),
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) if limit < MAX_CONTENT_BYTES => {
                    LOAD_BUDGET.set(None);
                    return None;
                }
                // Too large for any stream, or damaged: lopdf's own check reports it.
                Err(_) => {}
            }
        }
    }
    Some((id, object.clone()))
}

/// How many streams lopdf may inflate while it loads `bytes`, at most, counted in the raw bytes
/// before anything is parsed.
///
/// Outside the load filter, which sees only the object streams of a file that is not
/// encrypted, lopdf decodes: the cross-reference stream `startxref` names and every one a
/// `/Prev` or `/XRefStm` leads to, whatever its type (a section whose offset it corrects is
/// parsed twice); every `/XRef` stream again when it rebuilds the table; and, in a file
/// encrypted with an empty password, every stream an object is said to be compressed in,
/// typed `/ObjStm` or not, without the filter. None of that passes through [`LOAD_BUDGET`].
/// So this counts, with `#xx` escapes in names decoded, the names `/XRef`, `/XRefStm`,
/// `/Prev` and `/ObjStm` (twice each, for the double parse), one for `startxref`, and, when
/// the file names `/Encrypt`, every stream in it. Names inside strings or stream data count
/// too: that only lowers the limit.
fn load_time_streams(bytes: &[u8]) -> usize {
    let is_delimiter = |b: u8| b.is_ascii_whitespace() || b == 0 || b"()<>[]{}/%".contains(&b);
    let mut names = 0usize;
    let mut encrypted = false;
    let mut name = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'/' {
            i += 1;
            continue;
        }
        i += 1;
        name.clear();
        while i < bytes.len() && !is_delimiter(bytes[i]) && name.len() <= 8 {
            let hex = |b: u8| (b as char).to_digit(16);
            match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
                (b'#', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                    name.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    name.push(b);
                    i += 1;
                }
            }
        }
        match name.as_slice() {
            b"XRef" | b"XRefStm" | b"Prev" | b"ObjStm" => names += 1,
            b"Encrypt" => encrypted = true,
            _ => {}
        }
    }
    let mut count = 1 + 2 * names;
    if encrypted {
        count += bytes
            .windows(6)
            .enumerate()
            .filter(|&(at, w)| w == b"stream" && (at < 3 || &bytes[at - 3..at] != b"end"))
            .count();
    }
    count
}

/// The most one stream may inflate to while a document with `streams` load-time streams loads
/// within `left` bytes: its own limit, or the budget shared among them if that is less.
fn load_stream_limit(left: usize, streams: usize) -> usize {
    MAX_CONTENT_BYTES.min(left / streams.max(1))
}

fn read(bytes: &[u8], limits: &Limits<'_>) -> Result<PdfText, PdfError> {
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        return Err(PdfError::Damaged("not a PDF file".into()));
    }
    if (limits.is_cancelled)() {
        return Err(PdfError::Cancelled);
    }
    let mut budget = Budget::new(limits.max_bytes);
    // lopdf inflates streams the filter never sees (cross-reference streams, and the object
    // streams of an encrypted file); bounding each by a share of the budget bounds them all.
    let stream_limit = load_stream_limit(budget.left, load_time_streams(bytes));
    if stream_limit == 0 {
        return Err(budget.over());
    }
    let options = LoadOptions {
        max_decompressed_size: Some(stream_limit),
        filter: Some(charge_object_streams),
        ..LoadOptions::default()
    };
    LOAD_BUDGET.set(Some(budget.left));
    LOAD_STREAM_LIMIT.set(stream_limit);
    let loaded = Document::load_mem_with_options(bytes, options);
    let load_left = LOAD_BUDGET.replace(None);
    LOAD_STREAM_LIMIT.set(MAX_CONTENT_BYTES);
    let doc = loaded.map_err(|e| match e {
        // Within its own limit, but past its share of the budget.
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })
            if stream_limit < MAX_CONTENT_BYTES =>
        {
            budget.over()
        }
        e => load_error(e),
    })?;
    match load_left {
        Some(left) => budget.left = left,
        None => return Err(budget.over()),
    }
    // An empty user password (a file restricted only in what it permits) is opened by lopdf;
    // one that still has its /Encrypt entry and no decryption state needs a password.
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(PdfError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::Damaged("the PDF has no pages".into()));
    }
    if pages.len() > MAX_PAGES {
        return Err(PdfError::TooLarge(format!(
            "{} pages (limit {MAX_PAGES})",
            pages.len()
        )));
    }
    let mut fonts = FontCache::default();
    let mut laid_out = Vec::with_capacity(pages.len());
    for page_id in pages.values() {
        if (limits.is_cancelled)() {
            return Err(PdfError::Cancelled);
        }
        laid_out.push(page_paragraphs(&doc, *page_id, &mut fonts, &mut budget)?);
    }
    drop_running_lines(&mut laid_out);
    let text = assemble(&laid_out);
    if text.text.chars().all(char::is_whitespace) {
        return Err(PdfError::NoText { pages: pages.len() });
    }
    Ok(text)
}

fn load_error(e: lopdf::Error) -> PdfError {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => {
            PdfError::TooLarge(format!("a stream inflates past {MAX_CONTENT_BYTES} bytes"))
        }
        lopdf::Error::Decryption(_) | lopdf::Error::InvalidPassword => PdfError::Encrypted,
        other => PdfError::Damaged(other.to_string()),
    }
}

/// A paragraph of one page: its text, the font size it is set in, and the baselines of its
/// first and last lines (PDF space: up is larger).
#[derive(Debug, Clone)]
struct Paragraph {
    text: String,
    size: f32,
    top: f32,
    bottom: f32,
}

/// A string shown on the page, where the content stream put it.
#[derive(Debug, Clone)]
struct Run {
    x: f32,
    y: f32,
    /// Where the string is estimated to end; only used to decide on a space before the next.
    end_x: f32,
    size: f32,
    text: String,
}

fn page_paragraphs<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    fonts: &mut FontCache<'a>,
    budget: &mut Budget,
) -> Result<Vec<Paragraph>, PdfError> {
    let limit = budget.stream_limit();
    let content = match doc.get_page_content_with_limit(page_id, limit) {
        Ok(content) => content,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }))
            if budget.binds() =>
        {
            return Err(budget.over())
        }
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(PdfError::TooLarge(format!(
                "a page's content inflates past {MAX_CONTENT_BYTES} bytes"
            )))
        }
        // A page whose content cannot be read has no text; the others still count.
        Err(_) => return Ok(Vec::new()),
    };
    budget.charge(content.len())?;
    let page_fonts = doc.get_page_fonts(page_id).unwrap_or_default();
    for font in page_fonts.values() {
        fonts.load(doc, font, budget)?;
    }
    let decoders: HashMap<Vec<u8>, &FontDecoder<'a>> = page_fonts
        .into_iter()
        .filter_map(|(name, font)| Some((name, fonts.get(font)?)))
        .collect();
    let operations = match lopdf::content::Content::decode(&content) {
        Ok(c) => c.operations,
        Err(_) => return Ok(Vec::new()),
    };
    drop(content);
    let mut state = TextState {
        text_left: budget.left,
        ..TextState::default()
    };
    let runs = state.runs(&operations, &decoders);
    if state.past_budget {
        return Err(budget.over());
    }
    budget.charge(runs.iter().map(|r| r.text.len()).sum())?;
    Ok(paragraphs(&runs))
}

/// The decoders of a document's fonts, each made once however many pages use it: a font's
/// map to Unicode is decompressed, and charged to the budget, once per document rather than
/// once per page.
#[derive(Default)]
struct FontCache<'a> {
    /// By the address of the font's dictionary inside the document, which does not move
    /// while the document is borrowed.
    decoders: HashMap<usize, FontDecoder<'a>>,
}

impl<'a> FontCache<'a> {
    fn key(font: &Dictionary) -> usize {
        std::ptr::from_ref(font) as usize
    }

    fn load(
        &mut self,
        doc: &'a Document,
        font: &'a Dictionary,
        budget: &mut Budget,
    ) -> Result<(), PdfError> {
        if let std::collections::hash_map::Entry::Vacant(slot) =
            self.decoders.entry(Self::key(font))
        {
            slot.insert(FontDecoder::new(doc, font, budget)?);
        }
        Ok(())
    }

    fn get(&self, font: &Dictionary) -> Option<&FontDecoder<'a>> {
        self.decoders.get(&Self::key(font))
    }
}

/// How the codes of a font's strings become text.
enum FontDecoder<'a> {
    /// Whatever lopdf knows: simple encodings, differences, `/ToUnicode` maps.
    Lopdf(Encoding<'a>),
    /// Predefined Unicode CMaps (`UniGB-UCS2-H`, `UniJIS-UTF16-H`, ...): the codes are UTF-16BE.
    Utf16,
    /// Predefined multi-byte CMaps whose codes are a national encoding (`GBK-EUC-H`, ...).
    Legacy(&'static encoding_rs::Encoding),
    /// A composite font with no way to Unicode: its strings are dropped.
    Unreadable,
}

impl<'a> FontDecoder<'a> {
    fn new(
        doc: &'a Document,
        font: &'a Dictionary,
        budget: &mut Budget,
    ) -> Result<FontDecoder<'a>, PdfError> {
        let composite = font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0");
        let has_to_unicode = font.get(b"ToUnicode").is_ok();
        if composite {
            let cmap = font
                .get(b"Encoding")
                .and_then(Object::as_name)
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .unwrap_or_default();
            if let Some(decoder) = predefined_cmap(&cmap) {
                return Ok(decoder);
            }
            if !has_to_unicode {
                return Ok(FontDecoder::Unreadable);
            }
        }
        // The map to Unicode is the one stream lopdf inflates for a font. Its size is not
        // reported back, so it is measured here first (within what is left) and charged for
        // both decodings.
        let limit = budget.stream_limit();
        if let Ok(map) = font
            .get_deref(b"ToUnicode", doc)
            .and_then(Object::as_stream)
        {
            match map.decompressed_content_with_limit(limit) {
                Ok(data) => budget.charge(2 * data.len())?,
                Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) => {
                    if budget.binds() {
                        return Err(budget.over());
                    }
                    return Ok(FontDecoder::Unreadable);
                }
                Err(_) => {}
            }
        }
        Ok(match font.get_font_encoding_with_limit(doc, limit) {
            Ok(encoding) => FontDecoder::Lopdf(encoding),
            Err(_) => FontDecoder::Unreadable,
        })
    }

    fn decode(&self, bytes: &[u8]) -> Option<String> {
        let text = match self {
            FontDecoder::Lopdf(encoding) => encoding.bytes_to_string(bytes).ok()?,
            FontDecoder::Utf16 => encoding_rs::UTF_16BE
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            FontDecoder::Legacy(enc) => enc.decode_without_bom_handling(bytes).0.into_owned(),
            FontDecoder::Unreadable => return None,
        };
        Some(
            text.chars()
                .filter(|c| !c.is_control() && *c != '\u{FFFD}')
                .collect(),
        )
    }
}

/// The predefined CMaps whose codes can be read without the font (PDF 32000-1, table 118).
fn predefined_cmap(name: &str) -> Option<FontDecoder<'static>> {
    let base = name.trim_end_matches("-H").trim_end_matches("-V");
    if base.starts_with("Uni") && (base.ends_with("UCS2") || base.ends_with("UTF16")) {
        return Some(FontDecoder::Utf16);
    }
    let legacy = match base {
        "GB-EUC" | "GBpc-EUC" | "GBK-EUC" | "GBKp-EUC" | "GBK2K" => encoding_rs::GB18030,
        "B5pc" | "ETen-B5" | "HKscs-B5" => encoding_rs::BIG5,
        "90ms-RKSJ" | "90msp-RKSJ" => encoding_rs::SHIFT_JIS,
        "EUC" => encoding_rs::EUC_JP,
        "KSC-EUC" | "KSCms-UHC" => encoding_rs::EUC_KR,
        _ => return None,
    };
    Some(FontDecoder::Legacy(legacy))
}

/// A 2D affine matrix `[a b c d e f]`, as PDF writes them.
#[derive(Debug, Clone, Copy)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    /// `self` applied first, then `other`.
    fn then(self, other: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = other.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn vertical_scale(self) -> f32 {
        self.0[2].hypot(self.0[3])
    }
}

/// The graphics and text state the layout needs (PDF 32000-1, 9.3).
struct TextState {
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f32,
    font: Vec<u8>,
    size: f32,
    rise: f32,
    /// Bytes of text the document's budget still allows; a font map can turn one code into a
    /// long string, so the text is counted as it is made, not only after.
    text_left: usize,
    /// The text went past `text_left`: the page stops there.
    past_budget: bool,
}

impl Default for TextState {
    fn default() -> Self {
        TextState {
            ctm: Matrix::IDENTITY,
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            leading: 0.0,
            font: Vec::new(),
            size: 0.0,
            rise: 0.0,
            text_left: usize::MAX,
            past_budget: false,
        }
    }
}

/// A numeric operand, or 0 for a malformed one: a bad number moves text, it must not stop it.
/// The six numbers of a `cm` or `Tm` operator as a matrix.
fn matrix(operands: &[Object]) -> Matrix {
    Matrix(std::array::from_fn(|i| num(operands, i)))
}

fn num(operands: &[Object], i: usize) -> f32 {
    match operands.get(i) {
        Some(Object::Integer(n)) => *n as f32,
        Some(Object::Real(r)) => *r,
        _ => 0.0,
    }
}

impl TextState {
    fn runs(
        &mut self,
        operations: &[lopdf::content::Operation],
        fonts: &HashMap<Vec<u8>, &FontDecoder<'_>>,
    ) -> Vec<Run> {
        let mut runs = Vec::new();
        for op in operations {
            if self.past_budget {
                break;
            }
            let o = &op.operands;
            match op.operator.as_str() {
                // Deeply nested saves are malformed; cap the stack rather than grow it.
                "q" if self.stack.len() < 256 => self.stack.push(self.ctm),
                "Q" => self.ctm = self.stack.pop().unwrap_or(Matrix::IDENTITY),
                "cm" => self.ctm = matrix(o).then(self.ctm),
                "BT" => {
                    self.tm = Matrix::IDENTITY;
                    self.tlm = Matrix::IDENTITY;
                }
                "Tf" => {
                    self.font = o
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .unwrap_or_default()
                        .to_vec();
                    self.size = num(o, 1);
                }
                "TL" => self.leading = num(o, 0),
                "Ts" => self.rise = num(o, 0),
                "Td" => self.move_line(num(o, 0), num(o, 1)),
                "TD" => {
                    self.leading = -num(o, 1);
                    self.move_line(num(o, 0), num(o, 1));
                }
                "Tm" => {
                    self.tlm = matrix(o);
                    self.tm = self.tlm;
                }
                "T*" => self.move_line(0.0, -self.leading),
                "Tj" => self.show(o.first(), fonts, &mut runs),
                "'" => {
                    self.move_line(0.0, -self.leading);
                    self.show(o.first(), fonts, &mut runs);
                }
                "\"" => {
                    self.move_line(0.0, -self.leading);
                    self.show(o.get(2), fonts, &mut runs);
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(..) => self.show(Some(item), fonts, &mut runs),
                                other => {
                                    let adjust = num(std::slice::from_ref(other), 0);
                                    self.tm = Matrix::translate(-adjust / 1000.0 * self.size, 0.0)
                                        .then(self.tm);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        runs
    }

    fn move_line(&mut self, tx: f32, ty: f32) {
        self.tlm = Matrix::translate(tx, ty).then(self.tlm);
        self.tm = self.tlm;
    }

    fn show(
        &mut self,
        operand: Option<&Object>,
        fonts: &HashMap<Vec<u8>, &FontDecoder<'_>>,
        runs: &mut Vec<Run>,
    ) {
        let Some(Object::String(bytes, _)) = operand else {
            return;
        };
        let Some(text) = fonts.get(&self.font).and_then(|f| f.decode(bytes)) else {
            return;
        };
        match self.text_left.checked_sub(text.len()) {
            Some(left) => self.text_left = left,
            None => {
                self.text_left = 0;
                self.past_budget = true;
                return;
            }
        }
        let at = Matrix::translate(0.0, self.rise)
            .then(self.tm)
            .then(self.ctm);
        let scale = self.tm.then(self.ctm).vertical_scale();
        let size = (self.size * scale).abs();
        // Glyph widths would need the font program; an em for CJK and half an em otherwise is
        // close enough to tell adjacent strings from separate words.
        let ems: f32 = text
            .chars()
            .map(|c| if is_cjk(c) { 1.0 } else { 0.5 })
            .sum();
        self.tm = Matrix::translate(ems * self.size, 0.0).then(self.tm);
        let (x, y) = (at.0[4], at.0[5]);
        if !text.is_empty() {
            runs.push(Run {
                x,
                y,
                end_x: x + ems * size,
                size,
                text,
            });
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31BF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// Joins two pieces of text: nothing between CJK characters (Chinese wraps mid-word), a space
/// between words otherwise.
fn join(out: &mut String, next: &str) {
    let (Some(last), Some(first)) = (out.chars().last(), next.chars().next()) else {
        out.push_str(next);
        return;
    };
    if !(last.is_whitespace() || first.is_whitespace() || is_cjk(last) || is_cjk(first)) {
        out.push(' ');
    }
    out.push_str(next);
}

/// Groups runs into lines (same baseline) and lines into paragraphs (no wide gap, same size).
fn paragraphs(runs: &[Run]) -> Vec<Paragraph> {
    struct Line {
        y: f32,
        end_x: f32,
        size: f32,
        text: String,
    }
    let mut lines: Vec<Line> = Vec::new();
    for run in runs {
        let size = run.size.max(1.0);
        match lines.last_mut() {
            Some(line) if (line.y - run.y).abs() < 0.5 * size => {
                let both_cjk = line.text.chars().last().is_some_and(is_cjk)
                    && run.text.chars().next().is_some_and(is_cjk);
                if run.x - line.end_x > 0.2 * size && !both_cjk && !line.text.ends_with(' ') {
                    line.text.push(' ');
                }
                line.text.push_str(&run.text);
                line.end_x = run.end_x.max(line.end_x);
                line.size = line.size.max(run.size);
            }
            _ => lines.push(Line {
                y: run.y,
                end_x: run.end_x,
                size: run.size,
                text: run.text.clone(),
            }),
        }
    }
    let mut out: Vec<Paragraph> = Vec::new();
    let mut last: Option<(f32, f32)> = None;
    for line in lines {
        let text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            continue;
        }
        let continues = last.is_some_and(|(y, size)| {
            let gap = y - line.y;
            (size - line.size).abs() < 0.5 && gap > 0.0 && gap <= 1.5 * size.max(1.0)
        });
        match out.last_mut() {
            Some(p) if continues => {
                join(&mut p.text, &text);
                p.bottom = line.y;
            }
            _ => out.push(Paragraph {
                text,
                size: line.size,
                top: line.y,
                bottom: line.y,
            }),
        }
        last = Some((line.y, line.size));
    }
    out
}

/// Running headers and footers ("Journal of Hypertension", "Page 3 of 12", "第 3 页") repeat on
/// every page. Left in, they cut the paragraph that crosses a page in two and put the journal's
/// name into passages it has nothing to do with. One is a paragraph among the
/// [`EDGE_PARAGRAPHS`] highest or lowest of its page that is found there on at least half the
/// pages, and on [`RUNNING_MIN_PAGES`]: the same text, or the same short text with a number
/// that counts the pages. A shorter document gives too little evidence and keeps everything.
fn drop_running_lines(pages: &mut [Vec<Paragraph>]) {
    if pages.len() < RUNNING_MIN_PAGES {
        return;
    }
    let mut pages_with: HashMap<RunningKey, usize> = HashMap::new();
    for (index, page) in pages.iter().enumerate() {
        let mut keys: Vec<RunningKey> = edge_paragraphs(page)
            .into_iter()
            .flat_map(|i| running_keys(&page[i].text, index))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            *pages_with.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(RUNNING_MIN_PAGES);
    for (index, page) in pages.iter_mut().enumerate() {
        let mut running: Vec<usize> = edge_paragraphs(page)
            .into_iter()
            .filter(|&i| {
                running_keys(&page[i].text, index)
                    .iter()
                    .any(|key| pages_with[key] >= needed)
            })
            .collect();
        running.sort_unstable_by(|a, b| b.cmp(a));
        for i in running {
            page.remove(i);
        }
    }
}

/// Indexes of the paragraphs nearest the top and the bottom of a page, where running headers
/// and footers sit (two of each: a header may be a title line and an author line).
fn edge_paragraphs(page: &[Paragraph]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..page.len()).collect();
    order.sort_by(|&a, &b| page[b].top.total_cmp(&page[a].top));
    let mut edges: Vec<usize> = order.iter().take(EDGE_PARAGRAPHS).copied().collect();
    order.sort_by(|&a, &b| page[a].bottom.total_cmp(&page[b].bottom));
    edges.extend(order.iter().take(EDGE_PARAGRAPHS));
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// What makes two paragraphs on different pages the same running line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum RunningKey {
    /// The text, without spaces or case.
    Same(String),
    /// A short text with its numbers as `#`, which of its numbers counts the pages, and that
    /// number less the page's index: "Page 3 of 12" on the third page and "Page 4 of 12" on
    /// the fourth are one footer; "Recommendation 3" and "Recommendation 8" are not.
    PageNumber(String, usize, i64),
}

/// The keys under which a paragraph on page `index` (from 0) may be a running line.
fn running_keys(text: &str, index: usize) -> Vec<RunningKey> {
    let mut shape = String::with_capacity(text.len());
    let mut numbers: Vec<i64> = Vec::new();
    let mut digits = String::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c.is_ascii_digit() {
            if digits.is_empty() {
                shape.push('#');
            }
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            numbers.push(digits.parse().unwrap_or(i64::MAX));
            digits.clear();
        }
        shape.extend(c.to_lowercase());
    }
    if !digits.is_empty() {
        numbers.push(digits.parse().unwrap_or(i64::MAX));
    }
    let mut keys = vec![RunningKey::Same(
        text.split_whitespace().collect::<String>().to_lowercase(),
    )];
    let words = shape.chars().filter(|c| *c != '#').count();
    if words <= PAGE_NUMBER_LINE_CHARS {
        for (which, n) in numbers.iter().enumerate().take(4) {
            let offset = n.saturating_sub(index as i64);
            keys.push(RunningKey::PageNumber(shape.clone(), which, offset));
        }
    }
    keys
}

/// Lays the pages out as one text, marking headings by their size against the body text's.
fn assemble(pages: &[Vec<Paragraph>]) -> PdfText {
    let mut chars_by_size: BTreeMap<i32, usize> = BTreeMap::new();
    for p in pages.iter().flatten() {
        *chars_by_size.entry(size_key(p.size)).or_default() += p.text.chars().count();
    }
    let body = chars_by_size
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(k, _)| *k as f32 / 2.0)
        .unwrap_or(0.0);
    let mut heading_sizes: Vec<i32> = pages
        .iter()
        .flatten()
        .filter(|p| is_heading(p, body))
        .map(|p| size_key(p.size))
        .collect();
    heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
    heading_sizes.dedup();
    let mut text = String::new();
    let mut page_starts = Vec::with_capacity(pages.len());
    for page in pages {
        page_starts.push(text.len());
        for p in page {
            if is_heading(p, body) {
                let level = heading_sizes
                    .iter()
                    .position(|s| *s == size_key(p.size))
                    .unwrap_or(0)
                    .min(2)
                    + 1;
                text.push_str(&"#".repeat(level));
                text.push(' ');
            }
            text.push_str(&p.text);
            text.push_str("\n\n");
        }
    }
    PdfText { text, page_starts }
}

fn size_key(size: f32) -> i32 {
    (size * 2.0).round() as i32
}

fn is_heading(p: &Paragraph, body: f32) -> bool {
    body > 0.0 && p.size >= body * HEADING_RATIO && p.text.chars().count() <= HEADING_MAX_CHARS
}
