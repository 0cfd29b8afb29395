//! The Models page (admin): import with progress, the registry, each task's model and
//! sampling, threads, the remote engine, load and unload. Every change that alters the chat's
//! plan takes effect at the next question: the engine slot notices the new plan and reloads.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clinic::models::{CopyProgress, ModelImport, ModelView, RemoteSettings, RemoteView, Task};
use llm::local::FALLBACK_TEMPLATES;
use llm::remote::RemoteConfig;
use llm::Sampling;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::blocking;
use crate::engines::EngineStatus;
use crate::{Admitted, AppState, CmdResult};

/// Everything the Models page shows.
#[derive(Serialize)]
pub struct ModelsOverview {
    models: Vec<ModelView>,
    /// The model chosen per task; absent tasks use the built-in default.
    tasks: BTreeMap<&'static str, i64>,
    sampling: BTreeMap<&'static str, Sampling>,
    threads: u32,
    max_threads: u32,
    /// Minutes an unused model stays in memory; 0 keeps it.
    keep_minutes: u32,
    remote: Option<RemoteView>,
    engine: EngineStatus,
    templates: &'static [&'static str],
}

#[tauri::command]
pub async fn models_overview(
    state: State<'_, AppState>,
    admitted: Admitted,
) -> CmdResult<ModelsOverview> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let engine = state.engines.status();
    blocking(move || {
        let models = clinic.models(&actor)?;
        let tasks = clinic
            .task_models()?
            .into_iter()
            .map(|(t, id)| (t.name(), id))
            .collect();
        let mut sampling = BTreeMap::new();
        for task in Task::ALL {
            sampling.insert(task.name(), clinic.task_sampling(task)?);
        }
        Ok(ModelsOverview {
            models,
            tasks,
            sampling,
            threads: clinic.engine_threads()?,
            keep_minutes: clinic.engine_keep_minutes()?,
            max_threads: std::thread::available_parallelism().map_or(1, |n| n.get() as u32),
            remote: clinic.remote_view(&actor)?,
            engine,
            templates: FALLBACK_TEMPLATES,
        })
    })
    .await
}

/// What the import's channel carries.
#[derive(Serialize, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ModelImportEvent {
    Progress { copied: u64, total: u64 },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportArgs {
    path: String,
    name: Option<String>,
    sha256: Option<String>,
}

#[tauri::command]
pub async fn model_import(
    state: State<'_, AppState>,
    admitted: Admitted,
    args: ImportArgs,
    on_event: Channel<ModelImportEvent>,
) -> CmdResult<store::ModelRecord> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let cancelled = Arc::new(AtomicBool::new(false));
    *state
        .model_import_cancel
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some(cancelled.clone());
    let import = ModelImport {
        name: args.name.filter(|n| !n.trim().is_empty()),
        expected_sha256: args.sha256.filter(|s| !s.trim().is_empty()),
    };
    blocking(move || {
        clinic.import_model(
            &actor,
            &PathBuf::from(args.path),
            &import,
            &|| cancelled.load(Ordering::Relaxed),
            &mut |p: CopyProgress| {
                let _ = on_event.send(ModelImportEvent::Progress {
                    copied: p.copied,
                    total: p.total,
                });
            },
        )
    })
    .await
}

/// Stops the model import in progress; its partial copy is removed.
#[tauri::command]
pub fn model_import_cancel(state: State<'_, AppState>, _admitted: Admitted) {
    if let Some(flag) = state
        .model_import_cancel
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        flag.store(true, Ordering::Relaxed);
    }
}

#[tauri::command]
pub async fn model_rename(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
    name: String,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.rename_model(&actor, id, &name)).await
}

#[tauri::command]
pub async fn model_remove(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.remove_model(&actor, id).map(|_| ())).await
}

#[tauri::command]
pub async fn model_set_template(
    state: State<'_, AppState>,
    admitted: Admitted,
    id: i64,
    template: Option<String>,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_model_template(&actor, id, template.as_deref())).await
}

fn task(name: &str) -> CmdResult<Task> {
    Task::parse(name).map_err(|e| e.payload())
}

#[tauri::command]
pub async fn model_use(
    state: State<'_, AppState>,
    admitted: Admitted,
    task_name: String,
    model_id: Option<i64>,
) -> CmdResult<()> {
    let task = task(&task_name)?;
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_task_model(&actor, task, model_id)).await
}

#[tauri::command]
pub async fn model_sampling_set(
    state: State<'_, AppState>,
    admitted: Admitted,
    task_name: String,
    sampling: Sampling,
) -> CmdResult<()> {
    let task = task(&task_name)?;
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_task_sampling(&actor, task, &sampling)).await
}

#[tauri::command]
pub async fn engine_threads_set(
    state: State<'_, AppState>,
    admitted: Admitted,
    threads: u32,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_engine_threads(&actor, threads)).await
}

/// Sets how long an unused model stays in memory (0 keeps it); it applies from now.
#[tauri::command]
pub async fn engine_keep_set(
    state: State<'_, AppState>,
    admitted: Admitted,
    minutes: u32,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    blocking(move || clinic.set_engine_keep_minutes(&actor, minutes)).await?;
    state.engines.keep_for(crate::keep_of(minutes));
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteArgs {
    enabled: bool,
    base_url: String,
    model: String,
    /// `None` keeps the stored key (for the same server only), an empty string removes it.
    api_key: Option<String>,
    timeout_s: u32,
    /// "Allow unencrypted http to this host": needed for plain http to another machine.
    #[serde(default)]
    allow_http: bool,
}

impl RemoteArgs {
    fn config(self) -> RemoteConfig {
        RemoteConfig {
            base_url: self.base_url,
            model: self.model,
            api_key: self.api_key,
            timeout_s: self.timeout_s,
            allow_http: self.allow_http,
        }
    }
}

#[tauri::command]
pub async fn engine_remote_set(
    state: State<'_, AppState>,
    admitted: Admitted,
    args: RemoteArgs,
) -> CmdResult<()> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let settings = RemoteSettings {
        enabled: args.enabled,
        config: args.config(),
    };
    blocking(move || clinic.set_remote(&actor, settings)).await
}

/// Tries the remote settings in the form without saving them.
#[tauri::command]
pub async fn engine_remote_test(
    state: State<'_, AppState>,
    admitted: Admitted,
    args: RemoteArgs,
) -> CmdResult<llm::remote::RemoteProbe> {
    let (clinic, actor) = (state.clinic()?, admitted.0);
    let config = args.config();
    blocking(move || clinic.test_remote(&actor, config)).await
}

/// Loads the chat's engine now (rather than at the next question) and reports it.
#[tauri::command]
pub async fn engine_load(
    state: State<'_, AppState>,
    _admitted: Admitted,
) -> CmdResult<EngineStatus> {
    let load = state.engine_loader(Task::Chat);
    let engines = state.engines.clone();
    blocking(move || load().map(|_| ())).await?;
    Ok(engines.status())
}

/// Frees the model's memory until the next question. Off the main thread: a load in progress
/// holds the slot, and the window must not freeze until it ends.
#[tauri::command]
pub async fn engine_unload(
    state: State<'_, AppState>,
    _admitted: Admitted,
) -> CmdResult<EngineStatus> {
    let engines = state.engines.clone();
    blocking(move || {
        engines.unload();
        Ok(engines.status())
    })
    .await
}
