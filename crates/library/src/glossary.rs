//! Cross-language retrieval through a bilingual clinical glossary.
//!
//! A question in Chinese about a guideline written in English shares no words with it, and no
//! tokenizer changes that. A model could translate the question, but that costs a second of CPU
//! on every question and its output is not repeatable; a glossary costs microseconds, is the
//! same every time, and the hospital can read and extend it. So a question is also searched
//! as the glossary's translation of the terms it contains: `"儿童血压怎么测量"` becomes
//! `"children blood pressure measure"`. Words outside the glossary are dropped, except codes
//! and abbreviations (`PP3M`, `COVID-19`, `HbA1c`) which read the same in both languages.

use std::collections::HashMap;

use crate::lang;

/// The built-in glossary (`assets/glossary/zh-en.tsv`).
pub const BUILT_IN: &str = include_str!("../../../assets/glossary/zh-en.tsv");

/// The longest Chinese term tried, in characters.
const MAX_ZH_CHARS: usize = 8;
/// The longest English term tried, in words.
const MAX_EN_WORDS: usize = 4;

/// Words that carry no topic: a question's completeness counts the others.
const EN_FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "with", "by", "about", "and",
    "or", "is", "are", "was", "were", "be", "been", "do", "does", "did", "can", "could", "should",
    "would", "will", "may", "might", "what", "which", "who", "whom", "whose", "when", "where",
    "why", "how", "i", "you", "he", "she", "it", "we", "they", "my", "your", "his", "her", "its",
    "our", "their", "this", "that", "these", "those", "there", "if", "than", "as", "not", "no",
    "any", "some", "much", "many", "more", "most", "get", "have", "has", "had",
];

/// Chinese characters that carry no topic (particles, question words, copulas).
const ZH_FUNCTION_CHARS: &str =
    "的了是吗呢吧啊么什怎如何哪些个在和与及或为对有把被就都也还要会能可该应";

/// A question in the other language, and how much of the original it carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    /// The translated terms and the codes, space-separated.
    pub query: String,
    /// How many glossary terms the question held.
    pub terms: usize,
    /// Share of the question's topic words (function words aside) that the glossary
    /// translated or that crossed over as codes, 0 to 1.
    pub completeness: f32,
}

/// Chinese and English terms, each mapped to its preferred translation.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    zh_to_en: HashMap<String, String>,
    en_to_zh: HashMap<String, String>,
}

/// A line of a glossary file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("glossary line {line}: expected \"Chinese<TAB>English\"")]
pub struct GlossaryLineError {
    /// 1-based line number.
    pub line: usize,
}

impl Glossary {
    /// The built-in glossary.
    pub fn built_in() -> Glossary {
        let mut g = Glossary::default();
        // The built-in file is checked by a test; it cannot fail here.
        let _ = g.extend_from(BUILT_IN);
        g
    }

    /// Adds the terms of a glossary file (the format of `assets/glossary/zh-en.tsv`). Later
    /// terms replace earlier ones, so a hospital's file can correct the built-in one. Lines
    /// that cannot be read are skipped and returned, so the admin learns which.
    pub fn extend_from(&mut self, text: &str) -> Vec<GlossaryLineError> {
        let mut errors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((zh, en)) = line.split_once('\t') else {
                errors.push(GlossaryLineError { line: i + 1 });
                continue;
            };
            let zh: Vec<&str> = zh
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let en: Vec<String> = en
                .split('|')
                .map(|s| normalise_en(s.trim()))
                .filter(|s| !s.is_empty())
                .collect();
            let (Some(zh_first), Some(en_first)) = (zh.first(), en.first()) else {
                errors.push(GlossaryLineError { line: i + 1 });
                continue;
            };
            for term in &zh {
                self.zh_to_en.insert((*term).to_string(), en_first.clone());
            }
            for term in &en {
                self.en_to_zh.insert(term.clone(), (*zh_first).to_string());
            }
        }
        errors
    }

    /// Number of terms, both languages.
    pub fn len(&self) -> usize {
        self.zh_to_en.len() + self.en_to_zh.len()
    }

    /// True when there are no terms.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The query in the other language: the translations of the glossary terms it holds, plus
    /// the codes that read the same in both. `None` when no term was recognised: searching
    /// codes alone again would only repeat the first search.
    pub fn translate(&self, query: &str) -> Option<Translation> {
        let (words, recognised, covered, units) = match lang::detect(query) {
            "zh" => self.zh_to_english(query),
            _ => self.en_to_chinese(query),
        };
        (recognised > 0).then(|| Translation {
            query: words.join(" "),
            terms: recognised,
            completeness: if units == 0 {
                0.0
            } else {
                (covered as f32 / units as f32).min(1.0)
            },
        })
    }

    /// Returns the English words, the terms recognised, and the topic characters covered out
    /// of all topic characters.
    fn zh_to_english(&self, query: &str) -> (Vec<String>, usize, usize, usize) {
        let chars: Vec<char> = query.chars().collect();
        let topic = |c: &char| lang::is_cjk(*c) && !ZH_FUNCTION_CHARS.contains(*c);
        let (mut out, mut recognised, mut covered, mut units, mut i) = (Vec::new(), 0, 0, 0, 0);
        while i < chars.len() {
            if lang::is_cjk(chars[i]) {
                let longest = (1..=MAX_ZH_CHARS.min(chars.len() - i)).rev().find_map(|n| {
                    let term: String = chars[i..i + n].iter().collect();
                    self.zh_to_en.get(&term).map(|en| (n, en))
                });
                match longest {
                    Some((n, en)) => {
                        push_unique(&mut out, en.clone());
                        recognised += 1;
                        let topical = chars[i..i + n].iter().filter(|c| topic(c)).count();
                        covered += topical;
                        units += topical;
                        i += n;
                    }
                    None => {
                        units += usize::from(topic(&chars[i]));
                        i += 1;
                    }
                }
                continue;
            }
            // A run of Latin letters and digits inside a Chinese question: keep the codes.
            let start = i;
            while i < chars.len() && !lang::is_cjk(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            for word in run.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                if is_code(word) {
                    push_unique(&mut out, word.to_string());
                    // A code counts as one character's worth of topic, carried over.
                    covered += 1;
                    units += 1;
                }
            }
        }
        (out, recognised, covered, units)
    }

    /// Returns the Chinese terms, the terms recognised, and the topic words covered out of all
    /// topic words.
    fn en_to_chinese(&self, query: &str) -> (Vec<String>, usize, usize, usize) {
        let words: Vec<&str> = query
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .filter(|w| !w.is_empty())
            .collect();
        let topic = |w: &str| !EN_FUNCTION_WORDS.contains(&w.to_lowercase().as_str());
        let (mut out, mut recognised, mut covered, mut units, mut i) = (Vec::new(), 0, 0, 0, 0);
        while i < words.len() {
            let longest = (1..=MAX_EN_WORDS.min(words.len() - i)).rev().find_map(|n| {
                let phrase = normalise_en(&words[i..i + n].join(" "));
                self.lookup_en(&phrase).map(|zh| (n, zh))
            });
            match longest {
                Some((n, zh)) => {
                    push_unique(&mut out, zh.to_string());
                    recognised += 1;
                    let topical = words[i..i + n].iter().filter(|w| topic(w)).count();
                    covered += topical;
                    units += topical;
                    i += n;
                }
                None => {
                    if is_code(words[i]) {
                        push_unique(&mut out, words[i].to_string());
                        covered += 1;
                    }
                    units += usize::from(topic(words[i]));
                    i += 1;
                }
            }
        }
        (out, recognised, covered, units)
    }

    /// A phrase, or its singular when the plural is not listed.
    fn lookup_en(&self, phrase: &str) -> Option<&str> {
        let singular = |p: &str| {
            p.strip_suffix("ies").map(|s| format!("{s}y")).or_else(|| {
                p.strip_suffix('s')
                    .filter(|s| !s.ends_with('s'))
                    .map(str::to_string)
            })
        };
        self.en_to_zh
            .get(phrase)
            .or_else(|| singular(phrase).and_then(|s| self.en_to_zh.get(&s)))
            .map(String::as_str)
    }
}

/// Lower case, apostrophes kept, runs of spaces collapsed.
fn normalise_en(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Codes and abbreviations read the same in every language: a word with a digit (`PP3M`,
/// `HbA1c`, `COVID-19`) or two or more capitals (`CT`, `HIV`).
fn is_code(word: &str) -> bool {
    let word = word.trim_matches('-');
    word.len() >= 2
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && (word.chars().any(|c| c.is_ascii_digit())
            || word.chars().filter(char::is_ascii_uppercase).count() >= 2)
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !out.contains(&s) {
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_glossary_reads_without_errors() {
        let mut g = Glossary::default();
        assert_eq!(g.extend_from(BUILT_IN), Vec::new());
        assert!(g.len() > 300, "{} terms", g.len());
    }

    #[test]
    fn a_chinese_question_becomes_its_english_terms_longest_first() {
        let g = Glossary::built_in();
        // 高血压 is one term, not 高 + 血压.
        let t = g.translate("老年高血压患者的治疗").unwrap();
        assert_eq!(t.query, "older adults hypertension patients treatment");
        assert_eq!(t.completeness, 1.0);
        let t = g.translate("儿童血压怎么测量？").unwrap();
        assert_eq!(t.query, "children blood pressure measure");
        assert_eq!(t.completeness, 1.0);
    }

    #[test]
    fn an_english_question_becomes_its_chinese_terms_plurals_included() {
        let g = Glossary::built_in();
        let t = g
            .translate("What are the symptoms of high blood pressure in children?")
            .unwrap();
        assert_eq!(
            (t.query.as_str(), t.completeness),
            ("症状 高血压 儿童", 1.0)
        );
        let t = g.translate("Kidney stones during pregnancy").unwrap();
        // "during" is a topic word the glossary does not hold.
        assert_eq!((t.query.as_str(), t.completeness), ("肾结石 孕妇", 0.75));
    }

    #[test]
    fn codes_cross_over_and_a_question_without_terms_has_no_translation() {
        let g = Glossary::built_in();
        let t = g.translate("PP3M多久注射一次").unwrap();
        assert_eq!(t.query, "PP3M duration injection");
        assert!(t.completeness > 0.6, "{t:?}");
        assert_eq!(g.translate("What is the HbA1c target?"), None);
        assert_eq!(g.translate("今天天气很好"), None);
        // One term of a rare disease's name: too little of the question to search on.
        let t = g
            .translate("What are the symptoms of Alpha-1 Antitrypsin Deficiency?")
            .unwrap();
        assert!(t.completeness <= 0.5, "{t:?}");
    }

    #[test]
    fn a_hospital_file_adds_and_corrects_terms_and_names_bad_lines() {
        let mut g = Glossary::built_in();
        let errors = g.extend_from("# ours\n胸痛中心\tchest pain centre\nno tab here\n\n");
        assert_eq!(errors, vec![GlossaryLineError { line: 3 }]);
        assert_eq!(g.translate("胸痛中心").unwrap().query, "chest pain centre");
    }
}
