//! Grounded answers as shown to users, with their provenance.

use rusqlite::params;

use crate::{Result, Store};

/// An answer to record.
#[derive(Debug, Clone)]
pub struct NewAnswer<'a> {
    /// The question as asked.
    pub question: &'a str,
    /// The answer as shown (possibly partial, see `stopped`).
    pub answer: &'a str,
    /// Which model produced it.
    pub model: &'a str,
    /// Which prompt template version.
    pub prompt_version: &'a str,
    /// The passages given to the model, as JSON.
    pub passages_json: &'a str,
    /// The citations found in the answer, as JSON.
    pub citations_json: &'a str,
    /// True when the user stopped generation before the end.
    pub stopped: bool,
    /// The conversation it is a turn of, if any.
    pub conversation_id: Option<i64>,
    /// The user message exactly as the model read it (passages and question).
    pub prompt_user: Option<&'a str>,
}

/// A recorded answer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AnswerRecord {
    /// Row id.
    pub id: i64,
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// The model.
    pub model: String,
    /// The prompt version.
    pub prompt_version: String,
    /// Passages given to the model (JSON).
    pub passages_json: String,
    /// Whether it was stopped.
    pub stopped: bool,
    /// When, in UTC (RFC 3339).
    pub created_at: String,
}

impl Store {
    /// Records an answer; returns its id.
    pub fn insert_answer(&self, a: &NewAnswer<'_>) -> Result<i64> {
        insert(&self.conn(), a)
    }

    /// Records an answer together with the audit row saying it was shown.
    pub fn insert_answer_audited(
        &self,
        a: &NewAnswer<'_>,
        audit: impl FnOnce(i64) -> crate::AuditEntry,
    ) -> Result<i64> {
        self.audited_with(|c| insert(c, a), |id| audit(*id))
    }

    /// The most recent answers, newest first.
    pub fn recent_answers(&self, limit: usize) -> Result<Vec<AnswerRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, question, answer, model, prompt_version, passages_json, stopped, created_at
             FROM answers ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AnswerRecord {
                id: r.get(0)?,
                question: r.get(1)?,
                answer: r.get(2)?,
                model: r.get(3)?,
                prompt_version: r.get(4)?,
                passages_json: r.get(5)?,
                stopped: r.get(6)?,
                created_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn insert(conn: &rusqlite::Connection, a: &NewAnswer<'_>) -> Result<i64> {
    conn.execute(
        "INSERT INTO answers (question, answer, model, prompt_version, passages_json,
                              citations_json, stopped, conversation_id, prompt_user)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            a.question,
            a.answer,
            a.model,
            a.prompt_version,
            a.passages_json,
            a.citations_json,
            a.stopped,
            a.conversation_id,
            a.prompt_user,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}
