//! The guideline and chat commands. Argument names arrive camelCase from JavaScript; the gate
//! in `lib.rs` has already admitted the caller, and each workflow checks the role again.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clinic::ask::{AskOptions, Citation};
use clinic::import::{ImportEvent, ImportReport};
use clinic::models::Task;
use clinic::{ClinicError, ErrorPayload};
use llm::{CancelToken, GenerationStats};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::{Admitted, AppState, CmdResult};

/// Runs blocking work off the async runtime and flattens its errors.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ClinicError> + Send + 'static,
) -> CmdResult<T> {
    match tauri::async_runtime::spawn_blocking(f).await {
        Ok(result) => result.map_err(|e| e.payload()),
        Err(e) => Err(ErrorPayload {
            code: "internal".into(),
            message: format!("the task failed: {e}"),
            field: None,
            details: None,
        }),
    }
}

#[derive(Serialize)]
pub struct ModelSummary {
    path: String,
    name: String,
    architecture: String,
    chat_template: bool,
    /// `local` or `remote`.
    kind: &'static str,
}

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: String,
    model: Option<ModelSummary>,
    model_error: Option<ErrorPayload>,
    documents: i64,
    chunks: i64,
    /// Passages of current documents with a vector for search by meaning; `None` without an
    /// embedding model. Below `chunks` while the library is being embedded.
    embedded: Option<i64>,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>, _admitted: Admitted) -> CmdResult<AppInfo> {
    let clinic = state.clinic()?;
    let store = clinic.store();
    let status = state.engines.status();
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: clinic.data_dir().display().to_string(),
        model: status.engine.map(|e| ModelSummary {
            path: e.path.map(|p| p.display().to_string()).unwrap_or_default(),
            name: e.name,
            architecture: e.architecture.unwrap_or_default(),
            chat_template: e.kind == "remote" || e.template.is_some(),
            kind: e.kind,
        }),
        model_error: status.error,
        documents: store
            .document_count()
            .map_err(|e| ClinicError::from(e).payload())?,
        chunks: store
            .chunk_count()
            .map_err(|e| ClinicError::from(e).payload())?,
        embedded: clinic
            .embedding_progress()
            .map_err(|e| e.payload())?
            .map(|p| p.embedded),
    })
}

#[tauri::command]
pub async fn library_import(
    state: State<'_, AppState>,
    admitted: Admitted,
    paths: Vec<String>,
    on_event: Channel<serde_json::Value>,
) -> CmdResult<ImportReport> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    run_import(
        state,
        admitted,
        on_event,
        move |clinic, actor, cancelled, on_event| clinic.import(actor, &paths, cancelled, on_event),
    )
    .await
}

/// Goes on with the files an interrupted or cancelled import job has left.
#[tauri::command]
pub async fn library_import_resume(
    state: State<'_, AppState>,
    admitted: Admitted,
    job_id: i64,
    on_event: Channel<serde_json::Value>,
) -> CmdResult<ImportReport> {
    run_import(
        state,
        admitted,
        on_event,
        move |clinic, actor, cancelled, on_event| {
            clinic.resume_import(actor, job_id, cancelled, on_event)
        },
    )
    .await
}

/// Runs an import off the async runtime, streaming its events, with a stop flag of its own
/// that Cancel sets (between files).
async fn run_import(
    state: State<'_, AppState>,
    admitted: Admitted,
    on_event: Channel<serde_json::Value>,
    run: impl FnOnce(
            &clinic::Clinic,
            &clinic::Actor,
            &(dyn Fn() -> bool + Sync),
            &mut (dyn FnMut(&ImportEvent) + Send),
        ) -> clinic::Result<ImportReport>
        + Send
        + 'static,
) -> CmdResult<ImportReport> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let events = on_event.clone();
    let cancelled = Arc::new(AtomicBool::new(false));
    *state
        .import_cancel
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(cancelled.clone());
    let report = blocking(move || {
        run(
            &clinic,
            &actor,
            &|| cancelled.load(Ordering::Relaxed),
            &mut |event: &ImportEvent| {
                let _ = events.send(serde_json::to_value(event).unwrap_or_default());
            },
        )
    })
    .await?;
    let _ = on_event.send(serde_json::json!({"type": "finished", "report": report}));
    Ok(report)
}

/// The latest import jobs: running, interrupted, cancelled or done.
#[tauri::command]
pub async fn library_jobs(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Vec<clinic::import::ImportJob>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.import_jobs(&actor, 20)).await
}

/// One import job's files and what became of each.
#[tauri::command]
pub async fn library_job_files(
    state: State<'_, AppState>,
    admitted: Admitted,
    job_id: i64,
) -> CmdResult<Vec<store::JobFileRecord>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.import_job_files(&actor, job_id)).await
}

/// Imports a file as the new version of a document, whatever its name.
#[tauri::command]
pub async fn library_replace(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
    path: String,
) -> CmdResult<clinic::import::Imported> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.replace_document(&actor, id, std::path::Path::new(&path))).await
}

/// A document's whole text and page starts, for the viewer a citation opens.
#[tauri::command]
pub async fn library_document(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<clinic::DocumentView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.document_view(&actor, id)).await
}

#[derive(Serialize)]
pub struct SearchResult {
    hits: Vec<clinic::Hit>,
}

#[tauri::command]
pub async fn library_search(
    state: State<'_, AppState>,
    admitted: Admitted,
    query: String,
    limit: Option<usize>,
) -> CmdResult<SearchResult> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let limit = limit.unwrap_or(10).clamp(1, 100);
    let hits = blocking(move || clinic.search(&actor, &query, limit)).await?;
    Ok(SearchResult { hits })
}

#[tauri::command]
pub async fn library_chunk(
    state: State<'_, AppState>,
    admitted: Admitted,
    chunk_id: String,
) -> CmdResult<clinic::ChunkRecord> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.chunk(&actor, &chunk_id)).await
}

/// What the answer stream carries.
#[derive(Serialize, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AskEvent {
    /// The conversation the question belongs to, sent first: a question that fails later
    /// still leaves the window knowing the conversation it started.
    Conversation {
        conversation_id: i64,
    },
    Token {
        text: String,
    },
    Done {
        answer: String,
        stopped: bool,
        not_covered: bool,
        model: String,
        citations: Vec<Citation>,
        stats: GenerationStats,
        conversation_id: Option<i64>,
        /// Older turns condensed for this question (stored; the chat shows it).
        summary: Option<String>,
    },
}

#[tauri::command]
pub async fn ask(
    state: State<'_, AppState>,
    admitted: Admitted,
    question: String,
    conversation_id: Option<i64>,
    on_event: Channel<AskEvent>,
) -> CmdResult<()> {
    let load = state.engine_loader(Task::Chat);
    let cancel = CancelToken::new();
    {
        let mut current = state.generation.lock().unwrap_or_else(|e| e.into_inner());
        // A new question supersedes one still running.
        if let Some(previous) = current.replace(cancel.clone()) {
            previous.cancel();
        }
    }
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let events = on_event.clone();
    let outcome = blocking(move || {
        let engine = load()?;
        // The first question starts a conversation; the window passes its id back after.
        let conversation = match conversation_id {
            Some(id) => id,
            None => clinic.start_conversation(&actor, &question)?,
        };
        let _ = events.send(AskEvent::Conversation {
            conversation_id: conversation,
        });
        let opts = AskOptions {
            sampling: clinic.task_sampling(Task::Chat)?,
            conversation: Some(conversation),
            ..AskOptions::default()
        };
        clinic.ask(&actor, &*engine, &question, &opts, &cancel, &mut |text| {
            let _ = events.send(AskEvent::Token {
                text: text.to_string(),
            });
        })
    })
    .await;
    let outcome = outcome?;
    let _ = on_event.send(AskEvent::Done {
        answer: outcome.answer,
        stopped: outcome.stopped,
        not_covered: outcome.not_covered,
        model: outcome.model,
        citations: outcome.citations,
        stats: outcome.stats,
        conversation_id: outcome.conversation_id,
        summary: outcome.summary,
    });
    Ok(())
}

/// The user's own conversations, newest first.
#[tauri::command]
pub async fn conversation_list(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Vec<store::ConversationRecord>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.conversations(&actor, 50)).await
}

/// One of the user's conversations with every turn and summary (the read is audited).
#[tauri::command]
pub async fn conversation_get(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<clinic::conversation::ConversationView> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.conversation(&actor, id)).await
}

#[tauri::command]
pub fn ask_cancel(state: State<'_, AppState>) {
    if let Some(token) = state
        .generation
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        token.cancel();
    }
}

#[tauri::command]
pub async fn library_documents(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<Vec<store::DocumentRecord>> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.documents(&actor)).await
}

#[tauri::command]
pub async fn library_delete(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.delete_document(&actor, id)).await
}

/// Stops the running import after the file in progress; what was imported stays.
#[tauri::command]
pub fn library_import_cancel(state: State<'_, AppState>, _admitted: Admitted) {
    if let Some(flag) = state
        .import_cancel
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        flag.store(true, Ordering::Relaxed);
    }
}
