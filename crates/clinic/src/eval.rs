//! Retrieval evaluation: how often the library finds the document and the passage that answer
//! a question, reported per language and for cross-language questions separately.
//!
//! Questions come as JSON lines (`shared/evaldata/retrieval_questions.dev.jsonl`): `id`, `lang`,
//! `question`, `expected_doc` (a path like `en/asthma.md`, matched by file name) and
//! `expected_passage_substring` (found in a returned passage after whitespace is collapsed).
//! A question whose `expected_doc` is `null` is one the library cannot answer: it counts in
//! the `out_of_scope` group, where what matters is the share declined.

pub mod answers;

use std::collections::BTreeMap;

use crate::{Actor, Clinic, Result};

/// One evaluation question.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Question {
    /// Identifier.
    pub id: String,
    /// Language of the question: `en` or `zh`.
    pub lang: String,
    /// The question.
    pub question: String,
    /// The document that answers it, as `lang/file_name`; `None` when none does.
    #[serde(default)]
    pub expected_doc: Option<String>,
    /// Text the answering passage contains.
    #[serde(default)]
    pub expected_passage_substring: Option<String>,
}

impl Question {
    /// `en`, `zh`, `cross` when the question's language differs from the document's, or
    /// `out_of_scope` when no document answers it.
    pub fn group(&self) -> &str {
        let Some(doc) = &self.expected_doc else {
            return OUT_OF_SCOPE;
        };
        let doc_lang = doc.split('/').next().unwrap_or_default();
        if !doc_lang.is_empty() && doc_lang != self.lang {
            "cross"
        } else {
            &self.lang
        }
    }

    /// The expected document's file name.
    pub fn expected_file(&self) -> Option<&str> {
        let doc = self.expected_doc.as_deref()?;
        doc.rsplit('/').next()
    }
}

/// Metrics of one group of questions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Metrics {
    /// Questions in the group.
    pub questions: usize,
    /// Share whose expected document is the first hit.
    pub recall_at_1: f64,
    /// Share whose expected document is among the first 5 hits.
    pub recall_at_5: f64,
    /// Share whose expected document is among the first 10 hits.
    pub recall_at_10: f64,
    /// Mean reciprocal rank of the expected document within 10 hits.
    pub mrr_at_10: f64,
    /// Share whose expected passage text is in one of the first 5 hits (questions without a
    /// passage text are left out of this figure).
    pub passage_hit_at_5: f64,
    /// Share that `ask` would answer rather than decline ([`crate::retrieval::covers`]).
    pub answered: f64,
    /// Share that `ask` would decline: the figure that matters for out-of-scope questions.
    pub declined: f64,
}

/// The group of questions no document answers.
pub const OUT_OF_SCOPE: &str = "out_of_scope";

/// The evaluation result: one entry per group (`en`, `zh`, `cross`) and `all`.
pub type Report = BTreeMap<String, Metrics>;

/// Reads questions from JSON lines; blank lines are skipped.
pub fn parse_questions(jsonl: &str) -> std::result::Result<Vec<Question>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Default)]
struct Tally {
    n: usize,
    at1: usize,
    at5: usize,
    at10: usize,
    rr: f64,
    passage_n: usize,
    passage_at5: usize,
    answered: usize,
}

impl Tally {
    fn metrics(&self) -> Metrics {
        let share = |k: usize, n: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
        Metrics {
            questions: self.n,
            recall_at_1: share(self.at1, self.n),
            recall_at_5: share(self.at5, self.n),
            recall_at_10: share(self.at10, self.n),
            mrr_at_10: if self.n == 0 {
                0.0
            } else {
                self.rr / self.n as f64
            },
            passage_hit_at_5: share(self.passage_at5, self.passage_n),
            answered: share(self.answered, self.n),
            declined: share(self.n - self.answered, self.n),
        }
    }
}

impl Clinic {
    /// Runs every question through search and scores the hits.
    pub fn eval_retrieval(&self, actor: &Actor, questions: &[Question]) -> Result<Report> {
        self.authorize(actor, access::Action::EvalRetrieval)?;
        let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
        for q in questions {
            let hits = self.find(&q.question, 10)?;
            // Decided on the passages `ask` reads, as `ask` decides it.
            let read = hits.len().min(crate::ask::AskOptions::default().top_k);
            let answered = crate::retrieval::covers(
                &hits[..read],
                crate::ask::MIN_COVERAGE,
                crate::retrieval::min_similarity(&q.question),
            );
            // A hit names every document holding its passage word for word.
            let rank = q.expected_file().and_then(|file| {
                hits.iter().position(|h| {
                    h.file_name == file || h.also_in.iter().any(|d| d.file_name == file)
                })
            });
            let passage_hit = match &q.expected_passage_substring {
                Some(want) => {
                    let want = collapse(want);
                    let mut found = false;
                    for h in hits.iter().take(5) {
                        let Ok(chunk) = self.store().chunk(&h.chunk_id) else {
                            continue;
                        };
                        if collapse(&chunk.text).contains(&want) {
                            found = true;
                            break;
                        }
                    }
                    Some(found)
                }
                None => None,
            };
            // `all` is the questions the library answers; out-of-scope ones stand apart.
            let all = (q.group() != OUT_OF_SCOPE).then_some("all");
            for group in std::iter::once(q.group()).chain(all) {
                let t = tallies.entry(group.to_string()).or_default();
                t.n += 1;
                t.answered += usize::from(answered);
                if let Some(r) = rank {
                    t.at1 += usize::from(r < 1);
                    t.at5 += usize::from(r < 5);
                    t.at10 += 1;
                    t.rr += 1.0 / (r + 1) as f64;
                }
                if let Some(hit) = passage_hit {
                    t.passage_n += 1;
                    t.passage_at5 += usize::from(hit);
                }
            }
        }
        Ok(tallies.into_iter().map(|(k, t)| (k, t.metrics())).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_about_a_document_in_the_other_language_is_cross_language() {
        let q: Question = serde_json::from_str(
            r#"{"id":"x","lang":"zh","question":"q","expected_doc":"en/a.md"}"#,
        )
        .unwrap();
        assert_eq!(q.group(), "cross");
        assert_eq!(q.expected_file(), Some("a.md"));
    }

    #[test]
    fn a_question_no_document_answers_is_out_of_scope() {
        let q: Question =
            serde_json::from_str(r#"{"id":"x","lang":"en","question":"q","expected_doc":null}"#)
                .unwrap();
        assert_eq!(q.group(), OUT_OF_SCOPE);
        assert_eq!(q.expected_file(), None);
    }

    #[test]
    fn whitespace_is_collapsed_before_matching_passages() {
        assert_eq!(collapse(" a\n\n b\tc "), "a b c");
    }
}
