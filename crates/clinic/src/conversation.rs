//! Conversation memory for the in-visit chat.
//!
//! Each turn is stored with the exact user message the model read, so the next prompt begins
//! with the previous one and the engine's prefix cache spares re-reading it. When the turns no
//! longer fit the budget, all but the latest are condensed by the model into a summary that is
//! stored, shown to the clinician and put in the system message: older turns are never dropped
//! silently. A conversation is its owner's alone; anyone else is told it does not exist.

use access::Action;
use llm::{CancelToken, ChatMessage, Engine, Finish, GenerateRequest, Sampling};
use serde_json::json;
use store::{ConversationRecord, Outcome, SummaryRecord, TurnRecord};

use crate::auth::{entry, Actor};
use crate::prompts::{self, Lang};
use crate::{Clinic, ClinicError, Result};

/// Estimated tokens of earlier turns kept verbatim before older ones are summarised. With a
/// 4096-token context this leaves room for the system message, up to 2,400 characters of
/// passages, the new question and a 384-token answer, in Chinese too.
pub const HISTORY_TOKENS: usize = 1536;
/// Characters of the first question kept as a conversation's title.
const TITLE_CHARS: usize = 60;

/// A conversation as the chat shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConversationView {
    /// The conversation.
    #[serde(flatten)]
    pub conversation: ConversationRecord,
    /// Every turn, oldest first (summarised ones too: the clinician can always read them).
    pub turns: Vec<TurnRecord>,
    /// Summaries made so far, oldest first; the last one stands in for the turns it covers.
    pub summaries: Vec<SummaryRecord>,
}

/// What the model is given of a conversation before the new question.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// The summary in force, if older turns were condensed.
    pub summary: Option<String>,
    /// Turns after it, verbatim.
    pub turns: Vec<TurnRecord>,
}

/// A rough token count that never underestimates by much for the test and default models:
/// one per CJK character, one per four other characters.
pub fn estimate_tokens(text: &str) -> usize {
    let (cjk, other) = text.chars().fold((0usize, 0usize), |(c, o), ch| {
        if library::lang::is_cjk(ch) {
            (c + 1, o)
        } else {
            (c, o + 1)
        }
    });
    cjk + other.div_ceil(4)
}

impl History {
    /// Estimated tokens of the summary and turns.
    pub fn tokens(&self) -> usize {
        self.summary.as_deref().map_or(0, estimate_tokens)
            + self
                .turns
                .iter()
                .map(|t| estimate_tokens(&t.prompt_user) + estimate_tokens(&t.answer))
                .sum::<usize>()
    }

    /// The messages before the new question: system (with the summary), then the turns.
    pub fn messages(&self, lang: Lang) -> Vec<ChatMessage> {
        let system = match &self.summary {
            Some(summary) => prompts::ask_system_with_summary(lang, summary),
            None => prompts::ask_system(lang).to_string(),
        };
        let mut messages = vec![ChatMessage::system(system)];
        for turn in &self.turns {
            messages.push(ChatMessage::user(turn.prompt_user.clone()));
            messages.push(ChatMessage {
                role: llm::Role::Assistant,
                content: turn.answer.clone(),
            });
        }
        messages
    }
}

impl Clinic {
    /// Starts a conversation for the actor, titled by its first question; pass its id in
    /// [`crate::ask::AskOptions::conversation`].
    pub fn start_conversation(&self, actor: &Actor, question: &str) -> Result<i64> {
        self.authorize(actor, Action::Ask)?;
        let question = question.trim();
        let mut title: String = question.chars().take(TITLE_CHARS).collect();
        if question.chars().count() > TITLE_CHARS {
            title.push('…');
        }
        Ok(self.store().create_conversation(actor.user_id(), &title)?)
    }

    /// The actor's own conversation `id`; someone else's is "not found", not "forbidden", so
    /// that its existence is not revealed either.
    pub(crate) fn own_conversation(&self, actor: &Actor, id: i64) -> Result<ConversationRecord> {
        let conversation = self.store().conversation(id)?;
        if conversation.user_id != actor.user_id() {
            return Err(store::StoreError::NotFound {
                what: "conversation",
                id: id.to_string(),
            }
            .into());
        }
        Ok(conversation)
    }

    /// The actor's conversations, newest first.
    pub fn conversations(&self, actor: &Actor, limit: usize) -> Result<Vec<ConversationRecord>> {
        self.authorize(actor, Action::Ask)?;
        Ok(self.store().conversations_of(actor.user_id(), limit)?)
    }

    /// One of the actor's conversations with every turn and summary. The read is audited: a
    /// clinician's questions may carry patient details.
    pub fn conversation(&self, actor: &Actor, id: i64) -> Result<ConversationView> {
        self.authorize(actor, Action::Ask)?;
        let conversation = self.own_conversation(actor, id)?;
        let view = ConversationView {
            turns: self.store().conversation_turns(id, None)?,
            summaries: self.store().conversation_summaries(id)?,
            conversation,
        };
        self.store().audit(&entry(
            Some(actor),
            "conversation_read",
            ("conversation", &id.to_string()),
            Outcome::Ok,
            json!({"turns": view.turns.len()}),
        ))?;
        Ok(view)
    }

    /// What the model gets of conversation `id`: the summary in force and the turns after it.
    pub(crate) fn history(&self, id: i64) -> Result<History> {
        let summary = self.store().conversation_summaries(id)?.pop();
        let turns = self
            .store()
            .conversation_turns(id, summary.as_ref().map(|s| s.through_answer_id))?;
        Ok(History {
            summary: summary.map(|s| s.summary),
            turns,
        })
    }

    /// Condenses all but the latest turn of `history` into a new summary (stored and
    /// audited) and returns it; the history then holds the summary and the latest turn.
    /// `Ok(None)` when there is a single turn: the latest always stays verbatim.
    pub(crate) fn condense(
        &self,
        actor: &Actor,
        conversation_id: i64,
        engine: &dyn Engine,
        lang: Lang,
        history: &mut History,
        cancel: &CancelToken,
    ) -> Result<Option<String>> {
        if history.turns.len() < 2 {
            return Ok(None);
        }
        let keep = history.turns.split_off(history.turns.len() - 1);
        let through = history
            .turns
            .last()
            .map(|t| t.answer_id)
            .unwrap_or_default();
        let text = render_turns(lang, history.summary.as_deref(), &history.turns);
        let request = GenerateRequest {
            messages: vec![ChatMessage::user(prompts::summarise(lang, &text))],
            sampling: Sampling {
                temperature: 0.0,
                max_tokens: 256,
                ..Sampling::default()
            },
            grammar: None,
        };
        let mut summary = String::new();
        let stats = engine.generate(&request, cancel, &mut |piece| summary.push_str(piece))?;
        if stats.finish == Finish::Cancelled {
            return Err(ClinicError::Cancelled);
        }
        let summary = summary.trim().to_string();
        if summary.is_empty() {
            return Err(llm::LlmError::Inference("the model wrote an empty summary".into()).into());
        }
        let id =
            self.store()
                .insert_summary(conversation_id, through, &summary, engine.model_name())?;
        self.store().audit(&entry(
            Some(actor),
            "conversation_summary",
            ("conversation", &conversation_id.to_string()),
            Outcome::Ok,
            json!({"summary": id, "through_answer": through, "model": engine.model_name()}),
        ))?;
        *history = History {
            summary: Some(summary.clone()),
            turns: keep,
        };
        Ok(Some(summary))
    }
}

/// Turns as the summariser reads them: questions and answers, without the passages.
fn render_turns(lang: Lang, summary: Option<&str>, turns: &[TurnRecord]) -> String {
    let (earlier, clinician, assistant) = match lang {
        Lang::En => ("Earlier summary", "Clinician", "Assistant"),
        Lang::Zh => ("此前摘要", "医生", "助手"),
    };
    let mut out = String::new();
    if let Some(s) = summary {
        out.push_str(&format!("{earlier}: {s}\n\n"));
    }
    for t in turns {
        out.push_str(&format!(
            "{clinician}: {}\n{assistant}: {}\n\n",
            t.question.trim(),
            t.answer.trim()
        ));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_a_token_per_character_and_english_about_four_letters() {
        assert_eq!(estimate_tokens("哮喘"), 2);
        assert_eq!(estimate_tokens("asthma!!"), 2);
        assert_eq!(estimate_tokens("哮喘 asthma"), 2 + 2);
    }

    fn turn(id: i64, q: &str, a: &str) -> TurnRecord {
        TurnRecord {
            answer_id: id,
            question: q.into(),
            answer: a.into(),
            prompt_user: format!("passages…\n\nQuestion: {q}"),
            model: "m".into(),
            citations_json: "[]".into(),
            stopped: false,
            created_at: String::new(),
        }
    }

    #[test]
    fn the_history_puts_the_summary_in_the_system_message_and_turns_in_order() {
        let h = History {
            summary: Some("Asthma in a child was discussed.".into()),
            turns: vec![turn(1, "q1", "a1"), turn(2, "q2", "a2")],
        };
        let m = h.messages(Lang::En);
        assert_eq!(m.len(), 5);
        assert!(m[0].content.contains("Asthma in a child was discussed."));
        assert_eq!(m[1].content, "passages…\n\nQuestion: q1");
        assert_eq!(m[2].role, llm::Role::Assistant);
        assert_eq!(m[4].content, "a2");
    }

    #[test]
    fn the_summariser_reads_questions_and_answers_not_passages() {
        let text = render_turns(Lang::Zh, Some("早前"), &[turn(1, "问题", "回答")]);
        assert_eq!(text, "此前摘要: 早前\n\n医生: 问题\n助手: 回答");
    }
}
