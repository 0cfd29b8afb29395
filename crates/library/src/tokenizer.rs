//! The analyser shared by indexing and querying: jieba for Chinese words, lower-casing and
//! English stemming for Latin-script words, in one field.
//!
//! Tantivy's default tokenizer finds nothing for Chinese queries (it sees a sentence as one
//! token), and a Chinese tokenizer alone does not stem English; Bedside's corpus mixes both, often
//! in one paragraph ("高血压 (hypertension)"), so one analyser handles both.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name the analyser is registered under in the index.
pub const ANALYZER: &str = "bedside";

/// The indexing analyser: jieba in search mode (a long word also yields its sub-words, so
/// "冠状病毒" finds "新型冠状病毒") → drop whitespace and punctuation → drop very long tokens →
/// lower-case → English stemmer (leaves Chinese untouched).
pub fn analyzer() -> TextAnalyzer {
    build(true)
}

/// The query and snippet analyser: the same chain with jieba's precise mode, which cuts a
/// sentence into non-overlapping words. Search mode would count one concept several times in
/// a query (新型冠状病毒 → 新型, 冠状, 病毒, 冠状病毒, …) and drown its other words, and its
/// overlapping tokens confuse snippet highlighting.
pub fn query_analyzer() -> TextAnalyzer {
    build(false)
}

fn build(search_mode: bool) -> TextAnalyzer {
    TextAnalyzer::builder(WordsOnly(tantivy_jieba::JiebaTokenizer::with_search_mode(
        search_mode,
    )))
    .filter(RemoveLongFilter::limit(40))
    .filter(LowerCaser)
    .filter(Stemmer::new(Language::English))
    .build()
}

/// Jieba emits spaces and punctuation as tokens; they would match everything and nothing.
#[derive(Clone)]
struct WordsOnly(tantivy_jieba::JiebaTokenizer);

impl Tokenizer for WordsOnly {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut inner = self.0.token_stream(text);
        let mut tokens = Vec::new();
        while inner.advance() {
            let token = inner.token();
            if token.text.chars().any(char::is_alphanumeric) {
                tokens.push(token.clone());
            }
        }
        VecTokenStream { tokens, next: 0 }
    }
}

/// Tokens collected up front.
struct VecTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn chinese_is_split_into_words() {
        let t = tokens("高血压的诊断标准");
        assert!(t.contains(&"高血压".to_string()), "{t:?}");
        assert!(t.contains(&"诊断".to_string()), "{t:?}");
    }

    #[test]
    fn a_question_keeps_its_key_word_whole_in_query_mode() {
        let mut a = query_analyzer();
        let mut stream = a.token_stream("新型冠状病毒肺炎的潜伏期");
        let mut t = Vec::new();
        while stream.advance() {
            t.push(stream.token().text.clone());
        }
        assert!(t.contains(&"潜伏期".to_string()), "{t:?}");
    }

    #[test]
    fn english_is_lowercased_and_stemmed_without_spaces_or_punctuation() {
        let t = tokens("Treating Infections, quickly.");
        assert_eq!(t, ["treat", "infect", "quick"]);
    }
}
