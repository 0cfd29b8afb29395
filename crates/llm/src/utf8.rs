//! Streaming UTF-8 decoding of token pieces.
//!
//! A token is a byte sequence, and one Chinese character (three bytes) is often split across two
//! tokens. Emitting each token's bytes as they come would show half a character (a U+FFFD) to
//! the clinician; this decoder holds back an incomplete tail until the rest arrives.

/// Turns a stream of byte pieces into a stream of complete UTF-8 strings.
#[derive(Debug, Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// A decoder with nothing pending.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes; returns the text that is now complete (possibly empty). Invalid sequences
    /// (not merely incomplete) become U+FFFD so a broken model cannot stall the stream.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(s) => {
                    out.push_str(s);
                    self.pending.clear();
                    return out;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    out.push_str(std::str::from_utf8(&self.pending[..valid]).expect("checked"));
                    match e.error_len() {
                        // An incomplete character at the end: wait for more bytes.
                        None => {
                            self.pending.drain(..valid);
                            return out;
                        }
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            self.pending.drain(..valid + bad);
                        }
                    }
                }
            }
        }
    }

    /// Ends the stream; an incomplete trailing character becomes U+FFFD.
    pub fn finish(&mut self) -> String {
        if self.pending.is_empty() {
            return String::new();
        }
        let out = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_across_pieces_is_emitted_whole() {
        let bytes = "高血压".as_bytes();
        let mut d = Utf8Stream::new();
        let mut seen = Vec::new();
        // Feed one byte at a time: no piece may contain a replacement character.
        for b in bytes {
            let s = d.push(std::slice::from_ref(b));
            assert!(!s.contains('\u{FFFD}'));
            if !s.is_empty() {
                seen.push(s);
            }
        }
        assert_eq!(seen, ["高", "血", "压"]);
        assert_eq!(d.finish(), "");
    }

    #[test]
    fn invalid_bytes_become_replacement_and_do_not_stall() {
        let mut d = Utf8Stream::new();
        assert_eq!(d.push(b"a\xFFb"), "a\u{FFFD}b");
        assert_eq!(d.push(&"中".as_bytes()[..2]), "");
        assert_eq!(d.finish(), "\u{FFFD}");
    }
}
