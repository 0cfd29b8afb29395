//! The model registry: GGUF files imported into the data directory, and the model and sampling
//! settings each task uses.

use rusqlite::{params, OptionalExtension, Row};

use crate::{AuditEntry, Result, Store, StoreError};

/// A model to register, as read from its file while it was copied in.
#[derive(Debug, Clone)]
pub struct NewModel<'a> {
    /// Display name (unique).
    pub name: &'a str,
    /// File name inside the data directory's `models` folder.
    pub file_name: &'a str,
    /// SHA-256 of the bytes copied.
    pub sha256: &'a str,
    /// File size.
    pub size_bytes: u64,
    /// `general.architecture`.
    pub architecture: &'a str,
    /// Number of weights.
    pub parameters: u64,
    /// Quantisation, e.g. `Q4_K_M`.
    pub quantization: Option<&'a str>,
    /// Trained context length.
    pub context_length: Option<u64>,
    /// Whether the file carries a chat template.
    pub chat_template: bool,
    /// KV-cache bytes per token, for the memory estimate.
    pub kv_bytes_per_token: Option<u64>,
    /// Languages the file states, comma-separated.
    pub languages: &'a str,
    /// The original file's name (not its path: paths can name people).
    pub source_name: &'a str,
    /// Who imported it.
    pub imported_by: Option<i64>,
}

/// A registered model.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelRecord {
    /// Row id.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// File name inside the `models` folder.
    pub file_name: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// File size.
    pub size_bytes: u64,
    /// `general.architecture`.
    pub architecture: String,
    /// Number of weights.
    pub parameters: u64,
    /// Quantisation.
    pub quantization: Option<String>,
    /// Trained context length.
    pub context_length: Option<u64>,
    /// Whether the file carries a chat template.
    pub chat_template: bool,
    /// The built-in template used when the file has none.
    pub template_fallback: Option<String>,
    /// KV-cache bytes per token.
    pub kv_bytes_per_token: Option<u64>,
    /// Languages the file states, comma-separated.
    pub languages: String,
    /// The original file's name.
    pub source_name: String,
    /// When it was imported (UTC).
    pub imported_at: String,
}

/// What a task is set to use.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TaskSetting {
    /// `chat`, `drafting` or `triage_summary`.
    pub task: String,
    /// The model chosen for it.
    pub model_id: Option<i64>,
    /// Its sampling settings, as JSON.
    pub sampling_json: Option<String>,
}

const COLUMNS: &str = "id, name, file_name, sha256, size_bytes, architecture, parameters,
    quantization, context_length, chat_template, template_fallback, kv_bytes_per_token,
    languages, source_name, imported_at";

fn record(r: &Row<'_>) -> rusqlite::Result<ModelRecord> {
    let unsigned = |i: usize| -> rusqlite::Result<Option<u64>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(|v| v.max(0) as u64))
    };
    Ok(ModelRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        file_name: r.get(2)?,
        sha256: r.get(3)?,
        size_bytes: unsigned(4)?.unwrap_or(0),
        architecture: r.get(5)?,
        parameters: unsigned(6)?.unwrap_or(0),
        quantization: r.get(7)?,
        context_length: unsigned(8)?,
        chat_template: r.get(9)?,
        template_fallback: r.get(10)?,
        kv_bytes_per_token: unsigned(11)?,
        languages: r.get(12)?,
        source_name: r.get(13)?,
        imported_at: r.get(14)?,
    })
}

fn not_found(id: i64) -> StoreError {
    StoreError::NotFound {
        what: "model",
        id: id.to_string(),
    }
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

impl Store {
    /// Registers a model; the audit row names the new id.
    pub fn insert_model(
        &self,
        m: &NewModel<'_>,
        audit: impl FnOnce(&i64) -> AuditEntry,
    ) -> Result<i64> {
        self.audited_with(
            |c| {
                c.execute(
                    "INSERT INTO models (name, file_name, sha256, size_bytes, architecture,
                         parameters, quantization, context_length, chat_template,
                         kv_bytes_per_token, languages, source_name, imported_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        m.name,
                        m.file_name,
                        m.sha256,
                        m.size_bytes as i64,
                        m.architecture,
                        m.parameters as i64,
                        m.quantization,
                        m.context_length.map(|v| v as i64),
                        m.chat_template,
                        m.kv_bytes_per_token.map(|v| v as i64),
                        m.languages,
                        m.source_name,
                        m.imported_by,
                    ],
                )
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        StoreError::Conflict {
                            what: "model",
                            id: m.name.to_string(),
                        }
                    } else {
                        e.into()
                    }
                })?;
                Ok(c.last_insert_rowid())
            },
            audit,
        )
    }

    /// Every registered model, by name.
    pub fn models(&self) -> Result<Vec<ModelRecord>> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM models ORDER BY name"))?;
        let rows = stmt.query_map([], record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One model.
    pub fn model(&self, id: i64) -> Result<ModelRecord> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM models WHERE id = ?1"),
                [id],
                record,
            )
            .optional()?
            .ok_or_else(|| not_found(id))
    }

    /// The model whose file has this hash, if it was imported before.
    pub fn model_by_sha256(&self, sha256: &str) -> Result<Option<ModelRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM models WHERE sha256 = ?1"),
                [sha256],
                record,
            )
            .optional()?)
    }

    /// Changes a model's display name.
    pub fn rename_model(&self, id: i64, name: &str, audit: &AuditEntry) -> Result<()> {
        self.audited(audit, |c| {
            let n = c
                .execute(
                    "UPDATE models SET name = ?2 WHERE id = ?1",
                    params![id, name],
                )
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        StoreError::Conflict {
                            what: "model",
                            id: name.to_string(),
                        }
                    } else {
                        e.into()
                    }
                })?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })
    }

    /// Sets (or clears) the built-in chat template used for a model without its own.
    pub fn set_model_template(
        &self,
        id: i64,
        template: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<()> {
        self.audited(audit, |c| {
            let n = c.execute(
                "UPDATE models SET template_fallback = ?2 WHERE id = ?1",
                params![id, template],
            )?;
            if n == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })
    }

    /// Unregisters a model. Refused while a task uses it: [`Store::model_tasks`] names them.
    pub fn remove_model(&self, id: i64, audit: &AuditEntry) -> Result<ModelRecord> {
        let model = self.model(id)?;
        self.audited(audit, |c| {
            let users: Vec<String> = c
                .prepare("SELECT task FROM model_tasks WHERE model_id = ?1 ORDER BY task")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if !users.is_empty() {
                return Err(StoreError::InUse {
                    what: "the model",
                    by: users.join(", "),
                });
            }
            c.execute("DELETE FROM models WHERE id = ?1", [id])?;
            Ok(())
        })?;
        Ok(model)
    }

    /// What each task is set to use; tasks never set are absent.
    pub fn model_tasks(&self) -> Result<Vec<TaskSetting>> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT task, model_id, sampling_json FROM model_tasks ORDER BY task")?;
        let rows = stmt.query_map([], |r| {
            Ok(TaskSetting {
                task: r.get(0)?,
                model_id: r.get(1)?,
                sampling_json: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Chooses the model for a task (`None`: back to the built-in default).
    pub fn set_task_model(
        &self,
        task: &str,
        model_id: Option<i64>,
        audit: &AuditEntry,
    ) -> Result<()> {
        if let Some(id) = model_id {
            self.model(id)?;
        }
        self.audited(audit, |c| {
            c.execute(
                "INSERT INTO model_tasks (task, model_id) VALUES (?1, ?2)
                 ON CONFLICT (task) DO UPDATE SET model_id = excluded.model_id",
                params![task, model_id],
            )?;
            Ok(())
        })
    }

    /// Stores a task's sampling settings (JSON).
    pub fn set_task_sampling(&self, task: &str, json: &str, audit: &AuditEntry) -> Result<()> {
        self.audited(audit, |c| {
            c.execute(
                "INSERT INTO model_tasks (task, sampling_json) VALUES (?1, ?2)
                 ON CONFLICT (task) DO UPDATE SET sampling_json = excluded.sampling_json",
                params![task, json],
            )?;
            Ok(())
        })
    }
}
