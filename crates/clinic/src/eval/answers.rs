//! Answer evaluation (`bedside eval answers`): a model answering evaluation questions from the
//! library exactly as `ask` does, scored on what a clinician would notice. Does the answer cite
//! a passage that holds the expected text? Does it say anything beyond its citations? (A small
//! model may copy the passages' numbering and stop: "[1]".) How long did the first word take?
//!
//! Nothing is recorded as an answer: the questions are the evaluation's, not a clinician's, and
//! a hospital reruns this after changing the model or the library. One audit row records the
//! run.

use std::collections::BTreeMap;
use std::time::Instant;

use access::Action;
use llm::{CancelToken, ChatMessage, Engine, GenerateRequest};
use serde_json::json;
use store::Outcome;

use super::{collapse, Question, OUT_OF_SCOPE};
use crate::ask::{self, AskOptions, Passage};
use crate::auth::{entry, Actor};
use crate::prompts::{self, Lang, PROMPT_VERSION};
use crate::{Clinic, Result};

/// Letters and digits an answer must hold beyond its citations and the passages' titles and
/// headings to count as saying something (a Chinese character counts as two: "潜伏期为1至14天"
/// says as much as "it is 1 to 14 days"). About four words.
const MIN_CONTENT: usize = 16;

/// One question's answer and its scores.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerScore {
    /// The question's id.
    pub id: String,
    /// Its group: `en`, `zh`, `cross` or `out_of_scope`.
    pub group: String,
    /// False when it was declined: by retrieval ("not covered", the model not asked) or by the
    /// model (its answer is the "not covered" sentence).
    pub answered: bool,
    /// The model was asked and declined.
    pub model_declined: bool,
    /// Whether a passage given to the model holds the expected text (or, without one, comes
    /// from the expected document): separates a retrieval miss from a model miss.
    pub expected_given: Option<bool>,
    /// Whether the answer cites a passage holding the expected text (or from the expected
    /// document); `None` for a question without an expected document.
    pub cites_expected: Option<bool>,
    /// Whether the answer says something beyond citation numbers and copied headings.
    pub says_more: bool,
    /// Citations to passages that were given.
    pub citations: usize,
    /// The answer as the model wrote it.
    pub answer: String,
    /// Milliseconds to the first token.
    pub ttft_ms: u64,
    /// Tokens generated per second.
    pub tok_per_s: f64,
    /// Tokens generated.
    pub generated_tokens: u32,
    /// Retrieval, prompt and generation, seconds.
    pub seconds: f64,
}

/// Shares and speeds over a group of questions.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct AnswerMetrics {
    /// Questions in the group.
    pub questions: usize,
    /// Share answered rather than declined (by retrieval or by the model).
    pub answered: f64,
    /// Share the model was asked and declined.
    pub model_declined: f64,
    /// Of the questions with an expected document: share whose passages included it (a
    /// question retrieval declined had none).
    pub expected_given: f64,
    /// Of the questions with an expected document: share whose answer cites it.
    pub cites_expected: f64,
    /// Of the answered questions: share saying more than citations.
    pub says_more: f64,
    /// Of the questions the model was asked: median milliseconds to the first token.
    pub median_ttft_ms: f64,
    /// Of the questions the model was asked: mean tokens per second.
    pub mean_tok_per_s: f64,
    /// Of all questions: mean seconds a question.
    pub mean_seconds: f64,
}

/// The whole run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerReport {
    /// The model that answered.
    pub model: String,
    /// The prompt templates' version.
    pub prompt_version: &'static str,
    /// Per group, and `all` for the questions the library answers.
    pub groups: BTreeMap<String, AnswerMetrics>,
}

impl Clinic {
    /// Answers every question as `ask` would (the same passages, prompt and sampling; no
    /// conversation), scoring each and calling `on_answer` as it is scored.
    pub fn eval_answers(
        &self,
        actor: &Actor,
        engine: &dyn Engine,
        questions: &[Question],
        opts: &AskOptions,
        cancel: &CancelToken,
        on_answer: &mut dyn FnMut(&AnswerScore),
    ) -> Result<AnswerReport> {
        self.authorize(actor, Action::EvalRetrieval)?;
        let mut scores = Vec::with_capacity(questions.len());
        for q in questions {
            if cancel.is_cancelled() {
                break;
            }
            let score = self.answer_one(engine, q, opts, cancel)?;
            on_answer(&score);
            scores.push(score);
        }
        self.store().audit(&entry(
            Some(actor),
            "eval_answers",
            ("model", engine.model_name()),
            Outcome::Ok,
            json!({"questions": scores.len(), "prompt_version": PROMPT_VERSION}),
        ))?;
        Ok(AnswerReport {
            model: engine.model_name().to_string(),
            prompt_version: PROMPT_VERSION,
            groups: summarise(&scores),
        })
    }

    fn answer_one(
        &self,
        engine: &dyn Engine,
        q: &Question,
        opts: &AskOptions,
        cancel: &CancelToken,
    ) -> Result<AnswerScore> {
        let started = Instant::now();
        let question = q.question.trim();
        let passages = self.passages_for(question, opts)?;
        let expected_given = expected_in(q, &passages);
        let mut score = AnswerScore {
            id: q.id.clone(),
            group: q.group().to_string(),
            answered: !passages.is_empty(),
            model_declined: false,
            expected_given,
            cites_expected: None,
            says_more: false,
            citations: 0,
            answer: String::new(),
            ttft_ms: 0,
            tok_per_s: 0.0,
            generated_tokens: 0,
            seconds: 0.0,
        };
        if passages.is_empty() {
            score.cites_expected = expected_given;
            score.seconds = started.elapsed().as_secs_f64();
            return Ok(score);
        }
        let lang = Lang::of_question(question);
        let mut messages = crate::conversation::History::default().messages(lang);
        messages.push(ChatMessage::user(prompts::ask_user(
            lang,
            &ask::render(&passages),
            question,
        )));
        let request = GenerateRequest {
            messages,
            sampling: opts.sampling.clone(),
            grammar: ask::grammar_for(engine, lang, passages.len()),
        };
        let mut answer = String::new();
        let stats = engine.generate(&request, cancel, &mut |piece| answer.push_str(piece))?;
        let cited = ask::citations(&answer, &passages);
        let cited_passages: Vec<&Passage> = cited
            .iter()
            .filter_map(|c| passages.iter().find(|p| p.n == c.n))
            .collect();
        score.cites_expected = expected_given.map(|_| {
            cited_passages
                .iter()
                .any(|p| holds_expected(q, p).unwrap_or(false))
        });
        score.model_declined = prompts::is_decline(&answer, lang);
        score.answered = !score.model_declined;
        score.says_more = !score.model_declined && says_more(&answer, &passages);
        score.citations = cited.len();
        score.ttft_ms = stats.ttft_ms;
        score.tok_per_s = stats.tok_per_s;
        score.generated_tokens = stats.generated_tokens;
        score.answer = answer;
        score.seconds = started.elapsed().as_secs_f64();
        Ok(score)
    }
}

/// Whether a passage holds the question's expected text, or, for a question without one,
/// comes from its expected document; `None` for a question no document answers.
fn holds_expected(q: &Question, p: &Passage) -> Option<bool> {
    if let Some(want) = &q.expected_passage_substring {
        return Some(collapse(&p.text).contains(&collapse(want)));
    }
    q.expected_file().map(|file| p.file_name == file)
}

fn expected_in(q: &Question, passages: &[Passage]) -> Option<bool> {
    q.expected_doc.as_ref()?;
    Some(
        passages
            .iter()
            .any(|p| holds_expected(q, p).unwrap_or(false)),
    )
}

/// Whether the answer says something of its own: with citation markers and the passages'
/// titles and headings taken out, at least [`MIN_CONTENT`] letters and digits remain.
pub fn says_more(answer: &str, passages: &[Passage]) -> bool {
    let mut rest = strip_citations(answer);
    for p in passages {
        for copied in [&p.title, &p.section, &p.file_name] {
            if !copied.trim().is_empty() {
                rest = rest.replace(copied.trim(), " ");
            }
        }
    }
    let content: usize = rest
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| if library::lang::is_cjk(c) { 2 } else { 1 })
        .sum();
    content >= MIN_CONTENT
}

/// The text without `[n]`, `[n, m]` and `【n】` markers.
fn strip_citations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((i, c)) = rest.char_indices().find(|(_, c)| *c == '[' || *c == '【') {
        out.push_str(&rest[..i]);
        let close = if c == '[' { ']' } else { '】' };
        let after = &rest[i + c.len_utf8()..];
        match after.find(close) {
            Some(end)
                if end <= 24
                    && after[..end]
                        .chars()
                        .all(|ch| ch.is_ascii_digit() || ", ，、".contains(ch)) =>
            {
                rest = &after[end + close.len_utf8()..];
            }
            _ => {
                out.push(c);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn summarise(scores: &[AnswerScore]) -> BTreeMap<String, AnswerMetrics> {
    let mut groups: BTreeMap<String, Vec<&AnswerScore>> = BTreeMap::new();
    for s in scores {
        groups.entry(s.group.clone()).or_default().push(s);
        if s.group != OUT_OF_SCOPE {
            groups.entry("all".into()).or_default().push(s);
        }
    }
    groups
        .into_iter()
        .map(|(group, scores)| (group, metrics(&scores)))
        .collect()
}

fn metrics(scores: &[&AnswerScore]) -> AnswerMetrics {
    let share = |k: usize, n: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let count = |f: &dyn Fn(&AnswerScore) -> bool| scores.iter().filter(|s| f(s)).count();
    let answered: Vec<&&AnswerScore> = scores.iter().filter(|s| s.answered).collect();
    let with_expected = count(&|s| s.cites_expected.is_some());
    let asked: Vec<&&AnswerScore> = scores
        .iter()
        .filter(|s| s.answered || s.model_declined)
        .collect();
    let mut ttft: Vec<f64> = asked.iter().map(|s| s.ttft_ms as f64).collect();
    ttft.sort_by(|a, b| a.total_cmp(b));
    AnswerMetrics {
        questions: scores.len(),
        answered: share(answered.len(), scores.len()),
        model_declined: share(count(&|s| s.model_declined), scores.len()),
        expected_given: share(count(&|s| s.expected_given == Some(true)), with_expected),
        cites_expected: share(count(&|s| s.cites_expected == Some(true)), with_expected),
        says_more: share(
            answered.iter().filter(|s| s.says_more).count(),
            answered.len(),
        ),
        median_ttft_ms: ttft.get(ttft.len() / 2).copied().unwrap_or(0.0),
        mean_tok_per_s: if asked.is_empty() {
            0.0
        } else {
            asked.iter().map(|s| s.tok_per_s).sum::<f64>() / asked.len() as f64
        },
        mean_seconds: if scores.is_empty() {
            0.0
        } else {
            scores.iter().map(|s| s.seconds).sum::<f64>() / scores.len() as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(n: usize, title: &str, section: &str) -> Passage {
        Passage {
            n,
            chunk_id: format!("c{n}"),
            file_name: "plan.md".into(),
            title: title.into(),
            section: section.into(),
            text: "The incubation period is 1 to 14 days.".into(),
        }
    }

    #[test]
    fn citations_and_copied_headings_are_not_an_answer() {
        let ps = [passage(
            1,
            "美国2017年高血压诊断标准",
            "Diagnosis and Treatment Plan for COVID-19",
        )];
        assert!(!says_more("[1]", &ps));
        assert!(!says_more("[1] (美国2017年高血压诊断标准 — …)", &ps));
        assert!(!says_more(
            "[1] (美国2017年高血压诊断标准 — Diagnosis and Treatment Plan for COVID-19)",
            &ps
        ));
        assert!(!says_more("【1】【2】", &ps));
    }

    #[test]
    fn a_sentence_with_its_citation_is_an_answer_in_either_language() {
        let ps = [passage(1, "Plan", "Incubation")];
        assert!(says_more("The incubation period is 1 to 14 days [1].", &ps));
        assert!(says_more("潜伏期为1至14天，多为3至7天 [1]。", &ps));
        // Brackets that are not citations are text.
        assert_eq!(
            strip_citations("a [1, 2] b [note] c 【3】"),
            "a  b [note] c "
        );
    }
}
