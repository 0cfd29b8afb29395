//! Conversations of the in-visit chat: their turns (answers) and the summaries that stand in
//! for older turns once a conversation outgrows the model's context.

use rusqlite::{params, OptionalExtension};

use crate::{Result, Store, StoreError};

/// A conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConversationRecord {
    /// Row id.
    pub id: i64,
    /// Whose it is: only they read it.
    pub user_id: i64,
    /// The first question, shortened.
    pub title: String,
    /// When it started (UTC).
    pub created_at: String,
}

/// One question and its answer in a conversation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TurnRecord {
    /// The answer's id.
    pub answer_id: i64,
    /// The question as asked.
    pub question: String,
    /// The answer as shown.
    pub answer: String,
    /// The user message as the model read it; the question alone for turns recorded without.
    pub prompt_user: String,
    /// Which model answered.
    pub model: String,
    /// Citations found in the answer (JSON).
    pub citations_json: String,
    /// Whether the user stopped it.
    pub stopped: bool,
    /// When (UTC).
    pub created_at: String,
}

/// A summary of a conversation's older turns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SummaryRecord {
    /// Row id.
    pub id: i64,
    /// The last turn it covers.
    pub through_answer_id: i64,
    /// The summary text.
    pub summary: String,
    /// The model that wrote it.
    pub model: String,
    /// When (UTC).
    pub created_at: String,
}

impl Store {
    /// Starts a conversation for `user_id`.
    pub fn create_conversation(&self, user_id: i64, title: &str) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO conversations (user_id, title) VALUES (?1, ?2)",
            params![user_id, title],
        )?;
        Ok(conn.last_insert_rowid())
    }

    /// One conversation.
    pub fn conversation(&self, id: i64) -> Result<ConversationRecord> {
        self.conn()
            .query_row(
                "SELECT id, user_id, title, created_at FROM conversations WHERE id = ?1",
                [id],
                |r| {
                    Ok(ConversationRecord {
                        id: r.get(0)?,
                        user_id: r.get(1)?,
                        title: r.get(2)?,
                        created_at: r.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| StoreError::NotFound {
                what: "conversation",
                id: id.to_string(),
            })
    }

    /// A user's conversations, newest first.
    pub fn conversations_of(&self, user_id: i64, limit: usize) -> Result<Vec<ConversationRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, user_id, title, created_at FROM conversations
             WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![user_id, limit as i64], |r| {
            Ok(ConversationRecord {
                id: r.get(0)?,
                user_id: r.get(1)?,
                title: r.get(2)?,
                created_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A conversation's turns after `after_answer_id` (all with `None`), oldest first.
    pub fn conversation_turns(
        &self,
        conversation_id: i64,
        after_answer_id: Option<i64>,
    ) -> Result<Vec<TurnRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, question, answer, coalesce(prompt_user, question), model,
                    citations_json, stopped, created_at
             FROM answers WHERE conversation_id = ?1 AND id > ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(
            params![conversation_id, after_answer_id.unwrap_or(0)],
            |r| {
                Ok(TurnRecord {
                    answer_id: r.get(0)?,
                    question: r.get(1)?,
                    answer: r.get(2)?,
                    prompt_user: r.get(3)?,
                    model: r.get(4)?,
                    citations_json: r.get(5)?,
                    stopped: r.get(6)?,
                    created_at: r.get(7)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every summary of a conversation, oldest first; the last one is in force.
    pub fn conversation_summaries(&self, conversation_id: i64) -> Result<Vec<SummaryRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, through_answer_id, summary, model, created_at
             FROM conversation_summaries WHERE conversation_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([conversation_id], |r| {
            Ok(SummaryRecord {
                id: r.get(0)?,
                through_answer_id: r.get(1)?,
                summary: r.get(2)?,
                model: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stores a summary covering the conversation through `through_answer_id`.
    pub fn insert_summary(
        &self,
        conversation_id: i64,
        through_answer_id: i64,
        summary: &str,
        model: &str,
    ) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO conversation_summaries (conversation_id, through_answer_id, summary, model)
             VALUES (?1, ?2, ?3, ?4)",
            params![conversation_id, through_answer_id, summary, model],
        )?;
        Ok(conn.last_insert_rowid())
    }
}
