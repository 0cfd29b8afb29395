//! Structure-aware chunking: sections first, then passages of bounded size with a little overlap.
//!
//! A chunk is always an exact slice of the document text, so a citation can open the very
//! passage the model saw. Its id is derived from the document's content hash and the slice, so it
//! stays the same across restarts and index rebuilds of the same content.

use sha2::{Digest, Sha256};

use crate::extract::ExtractedDocument;

/// Size limits for passages, in characters (not bytes: Chinese characters are three bytes).
#[derive(Debug, Clone)]
pub struct ChunkOptions {
    /// A passage grows paragraph by paragraph up to this many characters.
    pub max_chars: usize,
    /// Up to this many characters of the previous passage's tail start the next one, so a
    /// sentence that straddles a boundary is found whole in at least one passage.
    pub overlap_chars: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        // About 200-300 tokens of English: four passages fit a small model's prompt with room
        // for the question and answer.
        ChunkOptions {
            max_chars: 900,
            overlap_chars: 120,
        }
    }
}

/// A passage of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Chunk {
    /// Stable id: the same content always gets the same id.
    pub id: String,
    /// Position of the chunk in the document, from 0.
    pub ord: usize,
    /// Heading path of the section the passage belongs to ("" before the first heading).
    pub section: String,
    /// Page number, for formats that have pages.
    pub page: Option<u32>,
    /// Offset of the first character in the document text, in characters.
    pub start_char: usize,
    /// Offset one past the last character, in characters.
    pub end_char: usize,
    /// The passage, exactly as it stands in the document text.
    pub text: String,
}

/// Cuts a document into passages. `doc_key` (the document's content hash) seeds the chunk ids.
pub fn chunk_document(doc: &ExtractedDocument, opts: &ChunkOptions) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    for section in &doc.sections {
        for (start, end) in pack(&doc.text, section.start, section.end, opts) {
            chunks.push((section.path.clone(), start, end));
        }
    }
    let mut out = Vec::with_capacity(chunks.len());
    let mut char_pos = CharCounter::new(&doc.text);
    for (ord, (section, start, end)) in chunks.into_iter().enumerate() {
        let text = doc.text[start..end].to_string();
        let start_char = char_pos.chars_before(start);
        let end_char = start_char + text.chars().count();
        out.push(Chunk {
            id: String::new(),
            ord,
            section,
            page: doc.page_at(start),
            start_char,
            end_char,
            text,
        });
    }
    out
}

/// Gives each chunk its stable id from the document key and the passage's place and content.
pub fn assign_ids(doc_key: &str, chunks: &mut [Chunk]) {
    for chunk in chunks {
        let mut h = Sha256::new();
        h.update(doc_key.as_bytes());
        h.update(format!(":{}:{}:", chunk.start_char, chunk.end_char).as_bytes());
        h.update(chunk.text.as_bytes());
        chunk.id = hex::encode(&h.finalize()[..10]);
    }
}

/// Counts characters up to increasing byte offsets without rescanning from the start.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn chars_before(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

/// Packs the units of `text[start..end]` into passages; returns byte ranges.
fn pack(text: &str, start: usize, end: usize, opts: &ChunkOptions) -> Vec<(usize, usize)> {
    let units = units(text, start, end, opts.max_chars);
    let len = |a: usize, b: usize| text[a..b].chars().count();
    let mut out = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let first = i;
        let mut j = i;
        while j + 1 < units.len() && len(units[first].0, units[j + 1].1) <= opts.max_chars {
            j += 1;
        }
        out.push((units[first].0, units[j].1));
        if j + 1 >= units.len() {
            break;
        }
        // Start the next passage with as many trailing units as fit in the overlap, but always
        // move forward by at least one unit, and only back up as far as the overlap plus the
        // next unit still fit in a passage: otherwise the next passage would be a mere copy of
        // the tail of this one.
        let mut next = j + 1;
        while next > first + 1
            && len(units[next - 1].0, units[j].1) <= opts.overlap_chars
            && len(units[next - 1].0, units[j + 1].1) <= opts.max_chars
        {
            next -= 1;
        }
        i = next;
    }
    out
}

/// Splits a span into paragraphs; paragraphs longer than `max_chars` into sentences; sentences
/// still longer into hard pieces. Returns trimmed, non-empty byte ranges in order.
fn units(text: &str, start: usize, end: usize, max_chars: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (a, b) in split_keep(text, start, end, |s, i| {
        s[i..].starts_with("\n\n") || s[i..].starts_with("\n \n")
    }) {
        if text[a..b].chars().count() <= max_chars {
            out.push((a, b));
            continue;
        }
        for (c, d) in sentences(text, a, b) {
            if text[c..d].chars().count() <= max_chars {
                out.push((c, d));
            } else {
                out.extend(hard_split(text, c, d, max_chars));
            }
        }
    }
    out
}

/// Splits `text[start..end]` wherever `is_break` says a break starts, trimming whitespace.
fn split_keep(
    text: &str,
    start: usize,
    end: usize,
    is_break: impl Fn(&str, usize) -> bool,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut piece_start = start;
    for (i, _) in text[start..end].char_indices() {
        let at = start + i;
        if at > piece_start && is_break(&text[..end], at) {
            push_trimmed(text, piece_start, at, &mut out);
            piece_start = at;
        }
    }
    push_trimmed(text, piece_start, end, &mut out);
    out
}

fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut piece_start = start;
    let mut chars = text[start..end].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends_sentence = matches!(c, '。' | '！' | '？' | '；' | '\n')
            || (matches!(c, '.' | '!' | '?' | ';')
                && chars.peek().is_none_or(|(_, n)| n.is_whitespace()));
        if ends_sentence {
            let at = start + i + c.len_utf8();
            push_trimmed(text, piece_start, at, &mut out);
            piece_start = at;
        }
    }
    push_trimmed(text, piece_start, end, &mut out);
    out
}

fn hard_split(text: &str, start: usize, end: usize, max_chars: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut piece_start = start;
    for (n, (i, _)) in text[start..end].char_indices().enumerate() {
        if n > 0 && n % max_chars == 0 {
            push_trimmed(text, piece_start, start + i, &mut out);
            piece_start = start + i;
        }
    }
    push_trimmed(text, piece_start, end, &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push((start + lead, end - trail));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{extract_bytes, Format};
    use std::path::Path;

    fn chunks_of(text: &str, opts: &ChunkOptions) -> (ExtractedDocument, Vec<Chunk>) {
        let doc = extract_bytes(text.as_bytes(), Format::Markdown, "t", Path::new("t.md")).unwrap();
        let mut chunks = chunk_document(&doc, opts);
        assign_ids("key", &mut chunks);
        (doc, chunks)
    }

    #[test]
    fn every_chunk_is_an_exact_slice_at_its_char_offsets() {
        let text = "# 高血压\n\n高血压是常见病。应定期测量血压。\n\n## 治疗\n\nLifestyle first. Then medicines.\n\n更多内容。\n";
        let opts = ChunkOptions {
            max_chars: 12,
            overlap_chars: 4,
        };
        let (doc, chunks) = chunks_of(text, &opts);
        assert!(chunks.len() > 2);
        let chars: Vec<char> = doc.text.chars().collect();
        for c in &chunks {
            let slice: String = chars[c.start_char..c.end_char].iter().collect();
            assert_eq!(slice, c.text);
            assert!(c.text.chars().count() <= opts.max_chars, "{:?}", c.text);
        }
    }

    #[test]
    fn chunks_keep_their_section_and_never_cross_it() {
        let (_, chunks) = chunks_of("# A\none\n## B\ntwo\n", &ChunkOptions::default());
        let sections: Vec<_> = chunks
            .iter()
            .map(|c| (c.section.as_str(), c.text.as_str()))
            .collect();
        assert_eq!(sections, [("A", "one"), ("A > B", "two")]);
    }

    #[test]
    fn long_sections_overlap_and_cover_every_sentence() {
        let body: String = (0..40)
            .map(|i| format!("Sentence number {i} is here.\n\n"))
            .collect();
        let (_, chunks) = chunks_of(
            &format!("# T\n{body}"),
            &ChunkOptions {
                max_chars: 100,
                overlap_chars: 40,
            },
        );
        for i in 0..40 {
            let s = format!("Sentence number {i} is here.");
            assert!(chunks.iter().any(|c| c.text.contains(&s)), "lost {s}");
        }
        let overlapping = chunks
            .windows(2)
            .filter(|w| w[1].start_char < w[0].end_char)
            .count();
        assert!(
            overlapping > 0,
            "expected overlap between neighbouring passages"
        );
    }

    #[test]
    fn no_passage_is_a_copy_of_part_of_the_previous_one() {
        // 500, 100 and 850 characters: the overlap (the 100) cannot join the 850.
        let text = format!(
            "# T\n\n{}\n\n{}\n\n{}\n",
            "a".repeat(500),
            "b".repeat(100),
            "c".repeat(850)
        );
        let (_, chunks) = chunks_of(
            &text,
            &ChunkOptions {
                max_chars: 900,
                overlap_chars: 120,
            },
        );
        for w in chunks.windows(2) {
            let inside = w[1].start_char >= w[0].start_char && w[1].end_char <= w[0].end_char;
            assert!(
                !inside,
                "{:?} repeats part of the passage before it",
                w[1].text.get(..20)
            );
        }
        assert_eq!(chunks.len(), 2);
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let text = "# T\n\nalpha\n\n## U\n\nbeta\n";
        let (_, a) = chunks_of(text, &ChunkOptions::default());
        let (_, b) = chunks_of(text, &ChunkOptions::default());
        assert_eq!(a, b);
        assert_ne!(a[0].id, a[1].id);
    }

    #[test]
    fn a_single_huge_paragraph_is_cut_to_size() {
        let text = format!("# T\n{}", "字".repeat(5000));
        let (_, chunks) = chunks_of(
            &text,
            &ChunkOptions {
                max_chars: 900,
                overlap_chars: 0,
            },
        );
        assert!(chunks.len() >= 6);
        assert!(chunks.iter().all(|c| c.text.chars().count() <= 900));
    }
}
