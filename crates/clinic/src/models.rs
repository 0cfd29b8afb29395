//! The model manager: GGUF files an admin imports into the data directory, which model and
//! sampling each task uses, the engine's threads, and the optional remote engine.
//!
//! A model is copied, not referenced: a file on a USB stick or a network share that goes away
//! must not take the chat with it, and the SHA-256 computed during the copy is the identity the
//! audit log records. The header is validated before a byte is copied, so a file that is not a
//! GGUF, is truncated or has an architecture llama.cpp cannot run is refused at once.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use access::Action;
use llm::gguf::{self, ModelInfo};
use llm::local::{LocalOptions, FALLBACK_TEMPLATES};
use llm::memory::{self, MemoryPlan};
use llm::remote::{RemoteConfig, RemoteProbe, TIMEOUT_RANGE_S};
use llm::Sampling;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use store::{ModelRecord, NewModel, Outcome};

use crate::auth::{entry, Actor};
use crate::{Clinic, ClinicError, Result};

/// Folder of imported models inside the data directory.
pub const MODELS_DIR: &str = "models";
/// The context a model's memory estimate is computed for, as the chat uses it.
pub const PLANNED_CTX: u32 = 4096;
const COPY_BUFFER: usize = 1 << 20;
/// Progress is reported at most once per this many bytes.
const PROGRESS_EVERY: u64 = 8 << 20;
const THREADS_KEY: &str = "engine.threads";
const KEEP_KEY: &str = "engine.keep_minutes";

/// Minutes an unused model stays in memory unless the admin chose otherwise: a clinic's
/// questions come in bursts, and a reload of the built-in model takes seconds.
pub const DEFAULT_KEEP_MINUTES: u32 = 30;

/// The longest an admin may keep an unused model (a day); 0 keeps it until it is unloaded.
pub const MAX_KEEP_MINUTES: u32 = 24 * 60;
const REMOTE_KEY: &str = "engine.remote";

/// What a model is used for; each task has its own model and sampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// The grounded chat.
    Chat,
    /// Drafting the structured note.
    Drafting,
    /// The triage summary and department suggestion.
    TriageSummary,
}

impl Task {
    /// Every task.
    pub const ALL: [Task; 3] = [Task::Chat, Task::Drafting, Task::TriageSummary];

    /// The stable name stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            Task::Chat => "chat",
            Task::Drafting => "drafting",
            Task::TriageSummary => "triage_summary",
        }
    }

    /// The task named `name`.
    pub fn parse(name: &str) -> Result<Task> {
        Task::ALL
            .into_iter()
            .find(|t| t.name() == name)
            .ok_or_else(|| {
                ClinicError::InvalidInput(format!(
                    "unknown task '{name}': use chat, drafting or triage_summary"
                ))
            })
    }

    /// Sampling before an admin changes it. The chat favours the likely; a triage summary is
    /// greedy so the same intake reads the same way twice; a note draft needs room.
    pub fn default_sampling(self) -> Sampling {
        match self {
            Task::Chat => Sampling::default(),
            Task::Drafting => Sampling {
                max_tokens: 768,
                ..Sampling::default()
            },
            Task::TriageSummary => Sampling {
                temperature: 0.0,
                max_tokens: 512,
                ..Sampling::default()
            },
        }
    }
}

/// An import's options.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelImport {
    /// Display name; by default the file's `general.name` and quantisation.
    pub name: Option<String>,
    /// The SHA-256 the vendor published; the import fails if the file's differs.
    pub expected_sha256: Option<String>,
}

/// Bytes copied so far, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CopyProgress {
    /// Bytes copied.
    pub copied: u64,
    /// Bytes in the file.
    pub total: u64,
}

/// A model as the Models page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ModelView {
    /// The registry row.
    #[serde(flatten)]
    pub record: ModelRecord,
    /// Where the file is.
    pub path: PathBuf,
    /// Whether the file is still there with its size.
    pub present: bool,
    /// Memory for [`PLANNED_CTX`] tokens (or the largest context that fits now), or why it
    /// does not fit.
    pub memory: std::result::Result<MemoryPlan, String>,
    /// Tasks that use it.
    pub tasks: Vec<Task>,
}

/// The remote engine as an admin sets it. The API key is stored in the encrypted database and
/// never shown again: views carry only whether one is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteSettings {
    /// When false (the default) nothing dials out.
    pub enabled: bool,
    /// Base URL, model, key and timeout.
    #[serde(flatten)]
    pub config: RemoteConfig,
}

/// What the admin sees of the remote settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemoteView {
    /// Whether answers go to the remote server.
    pub enabled: bool,
    /// Base URL.
    pub base_url: String,
    /// Model name on the server.
    pub model: String,
    /// Whether an API key is stored.
    pub api_key_set: bool,
    /// Timeout in seconds.
    pub timeout_s: u32,
    /// Whether the admin allowed plain http to this URL's host (another machine).
    pub allow_http: bool,
}

/// Which engine a task runs on.
#[derive(Debug, Clone, PartialEq)]
pub enum EnginePlan {
    /// The admin's OpenAI-compatible server.
    Remote(RemoteConfig),
    /// An imported model, run in-process.
    Local {
        /// Registry id.
        id: i64,
        /// The GGUF file.
        path: PathBuf,
        /// Threads, template fallback.
        options: LocalOptions,
    },
    /// Nothing chosen: the built-in default (the front door knows where it is).
    BuiltIn {
        /// Threads.
        options: LocalOptions,
    },
}

/// The local engine's options before an admin's choices: the context every task plans for.
fn planned_options() -> LocalOptions {
    LocalOptions {
        n_ctx: PLANNED_CTX,
        ..LocalOptions::default()
    }
}

impl EnginePlan {
    /// The built-in model, as used before any database is open.
    pub fn builtin() -> EnginePlan {
        EnginePlan::BuiltIn {
            options: planned_options(),
        }
    }

    /// The same plan on `threads` CPU threads when given and the model runs locally.
    pub fn with_threads(mut self, threads: Option<u32>) -> EnginePlan {
        if let (EnginePlan::Local { options, .. } | EnginePlan::BuiltIn { options }, Some(n)) =
            (&mut self, threads)
        {
            options.n_threads = Some(n);
        }
        self
    }
}

impl Clinic {
    /// Where imported models live.
    pub fn models_dir(&self) -> PathBuf {
        self.data_dir().join(MODELS_DIR)
    }

    /// Copies a GGUF file into the data directory and registers it (admin only). The header is
    /// checked first; the SHA-256 is computed during the copy and, when given, must match.
    /// `cancelled` is polled between megabytes; a cancelled, failed or refused import leaves
    /// no file behind.
    pub fn import_model(
        &self,
        actor: &Actor,
        source: &Path,
        import: &ModelImport,
        cancelled: &dyn Fn() -> bool,
        progress: &mut dyn FnMut(CopyProgress),
    ) -> Result<ModelRecord> {
        self.authorize(actor, Action::ManageModels)?;
        let expected = import
            .expected_sha256
            .as_deref()
            .map(normalise_sha256)
            .transpose()?;
        let name = import.name.as_deref().map(clean_name).transpose()?;
        let info = gguf::read_info(source)?;
        let dir = self.models_dir();
        std::fs::create_dir_all(&dir).map_err(|e| copy_error("the model", &e))?;
        let partial = dir.join(format!(".import-{}.partial", std::process::id()));
        let outcome = copy_and_hash(source, &partial, info.file_size, cancelled, progress)
            .and_then(|sha| {
                if let Some(expected) = &expected {
                    if *expected != sha {
                        return Err(ClinicError::ChecksumMismatch {
                            expected: expected.clone(),
                            actual: sha,
                        });
                    }
                }
                if let Some(existing) = self.store().model_by_sha256(&sha)? {
                    return Err(store::StoreError::Conflict {
                        what: "model (the same file)",
                        id: existing.name,
                    }
                    .into());
                }
                // The copy is what will be loaded: check it, not the source, which may have
                // changed while it was read.
                let copied = gguf::read_info(&partial)?;
                Ok((sha, copied))
            });
        let (sha, info) = match outcome {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
        };
        let file_name = format!("{}.gguf", &sha[..16]);
        let path = dir.join(&file_name);
        std::fs::rename(&partial, &path).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            copy_error("the model", &e)
        })?;
        let source_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let registered = self.register(actor, &info, &sha, &file_name, &source_name, name);
        match registered {
            Ok(record) => Ok(record),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    }

    fn register(
        &self,
        actor: &Actor,
        info: &ModelInfo,
        sha: &str,
        file_name: &str,
        source_name: &str,
        name: Option<String>,
    ) -> Result<ModelRecord> {
        let explicit = name.is_some();
        let name = name.unwrap_or_else(|| default_name(info, source_name));
        let languages = info.languages.join(",");
        let insert = |name: &str| {
            self.store().insert_model(
                &NewModel {
                    name,
                    file_name,
                    sha256: sha,
                    size_bytes: info.file_size,
                    architecture: &info.architecture,
                    parameters: info.parameters,
                    quantization: info.quantization.as_deref(),
                    context_length: info.context_length,
                    chat_template: info.chat_template,
                    kv_bytes_per_token: info.kv_bytes_per_token,
                    languages: &languages,
                    source_name,
                    imported_by: Some(actor.user_id()),
                },
                |id| {
                    entry(
                        Some(actor),
                        "model_import",
                        ("model", &id.to_string()),
                        Outcome::Ok,
                        json!({"sha256": sha, "architecture": info.architecture,
                               "size_bytes": info.file_size}),
                    )
                },
            )
        };
        let id = match insert(&name) {
            // Two quantisations of one model share `general.name`: tell them apart by hash.
            Err(store::StoreError::Conflict { .. }) if !explicit => {
                insert(&format!("{name} ({})", &sha[..8]))?
            }
            other => other?,
        };
        Ok(self.store().model(id)?)
    }

    /// The registered models with their files' state, memory estimate and tasks (admin only).
    pub fn models(&self, actor: &Actor) -> Result<Vec<ModelView>> {
        self.authorize(actor, Action::ManageModels)?;
        let tasks = self.store().model_tasks()?;
        let available = memory::available_bytes();
        self.store()
            .models()?
            .into_iter()
            .map(|record| {
                let path = self.models_dir().join(&record.file_name);
                let present = std::fs::metadata(&path)
                    .map(|m| m.len() == record.size_bytes)
                    .unwrap_or(false);
                let info = info_of(&record);
                // Unknown free memory: the estimate for the planned context.
                let memory = memory::plan(&info, PLANNED_CTX, available.unwrap_or(u64::MAX))
                    .map_err(|e| e.to_string());
                let used_by = tasks
                    .iter()
                    .filter(|t| t.model_id == Some(record.id))
                    .filter_map(|t| Task::parse(&t.task).ok())
                    .collect();
                Ok(ModelView {
                    record,
                    path,
                    present,
                    memory,
                    tasks: used_by,
                })
            })
            .collect()
    }

    /// Renames a model (admin only).
    pub fn rename_model(&self, actor: &Actor, id: i64, name: &str) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        let name = clean_name(name)?;
        let old = self.store().model(id)?.name;
        self.store().rename_model(
            id,
            &name,
            &entry(
                Some(actor),
                "model_rename",
                ("model", &id.to_string()),
                Outcome::Ok,
                json!({"from": old, "to": name}),
            ),
        )?;
        Ok(())
    }

    /// Chooses the chat template for a model whose file has none (admin only); `None` clears
    /// it, and chat with that model is refused until one is chosen.
    pub fn set_model_template(&self, actor: &Actor, id: i64, template: Option<&str>) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        if let Some(t) = template {
            if !FALLBACK_TEMPLATES.contains(&t) {
                return Err(ClinicError::InvalidInput(format!(
                    "unknown chat template '{t}': choose one of {}",
                    FALLBACK_TEMPLATES.join(", ")
                )));
            }
        }
        self.store().set_model_template(
            id,
            template,
            &entry(
                Some(actor),
                "model_template",
                ("model", &id.to_string()),
                Outcome::Ok,
                json!({"template": template}),
            ),
        )?;
        Ok(())
    }

    /// Removes a model and its file (admin only). Refused while a task uses it.
    pub fn remove_model(&self, actor: &Actor, id: i64) -> Result<ModelRecord> {
        self.authorize(actor, Action::ManageModels)?;
        let record = self.store().remove_model(
            id,
            &entry(
                Some(actor),
                "model_remove",
                ("model", &id.to_string()),
                Outcome::Ok,
                json!({}),
            ),
        )?;
        // The row is gone first: a file left behind by a failed delete is only disk space,
        // a row without its file would be a model that cannot load.
        let _ = std::fs::remove_file(self.models_dir().join(&record.file_name));
        Ok(record)
    }

    /// Chooses the model a task uses (admin only); `None` goes back to the built-in default.
    pub fn set_task_model(&self, actor: &Actor, task: Task, model: Option<i64>) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        self.store().set_task_model(
            task.name(),
            model,
            &entry(
                Some(actor),
                "model_task",
                ("task", task.name()),
                Outcome::Ok,
                json!({"model": model}),
            ),
        )?;
        Ok(())
    }

    /// The model chosen for each task (tasks without one are absent).
    pub fn task_models(&self) -> Result<Vec<(Task, i64)>> {
        Ok(self
            .store()
            .model_tasks()?
            .into_iter()
            .filter_map(|t| Some((Task::parse(&t.task).ok()?, t.model_id?)))
            .collect())
    }

    /// A task's sampling: what the admin stored, else the task's default.
    pub fn task_sampling(&self, task: Task) -> Result<Sampling> {
        let stored = self
            .store()
            .model_tasks()?
            .into_iter()
            .find(|t| t.task == task.name())
            .and_then(|t| t.sampling_json)
            .and_then(|j| serde_json::from_str::<Sampling>(&j).ok());
        Ok(stored.unwrap_or_else(|| task.default_sampling()))
    }

    /// Stores a task's sampling after checking each value's range (admin only).
    pub fn set_task_sampling(&self, actor: &Actor, task: Task, sampling: &Sampling) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        check_sampling(sampling)?;
        let json = serde_json::to_string(sampling).unwrap_or_default();
        self.store().set_task_sampling(
            task.name(),
            &json,
            &entry(
                Some(actor),
                "model_sampling",
                ("task", task.name()),
                Outcome::Ok,
                serde_json::to_value(sampling).unwrap_or_default(),
            ),
        )?;
        Ok(())
    }

    /// Threads the local engine uses: the admin's choice, else [`llm::local::default_threads`].
    pub fn engine_threads(&self) -> Result<u32> {
        Ok(self
            .store()
            .setting(THREADS_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|n| (1..=max_threads()).contains(n))
            .unwrap_or_else(llm::local::default_threads))
    }

    /// Sets the local engine's threads, 1 to the number of cores (admin only).
    pub fn set_engine_threads(&self, actor: &Actor, threads: u32) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        if !(1..=max_threads()).contains(&threads) {
            return Err(ClinicError::InvalidInput(format!(
                "threads must be between 1 and {} (the cores of this machine)",
                max_threads()
            )));
        }
        let old = self.engine_threads()?;
        self.store().set_setting(
            THREADS_KEY,
            &threads.to_string(),
            &entry(
                Some(actor),
                "engine_threads",
                ("setting", THREADS_KEY),
                Outcome::Ok,
                json!({"from": old, "to": threads}),
            ),
        )?;
        Ok(())
    }

    /// Minutes an unused model stays in memory before it is freed; 0 keeps it until it is
    /// unloaded.
    pub fn engine_keep_minutes(&self) -> Result<u32> {
        Ok(self
            .store()
            .setting(KEEP_KEY)?
            .and_then(|v| v.parse().ok())
            .filter(|n| *n <= MAX_KEEP_MINUTES)
            .unwrap_or(DEFAULT_KEEP_MINUTES))
    }

    /// Sets how long an unused model stays in memory, 0 to [`MAX_KEEP_MINUTES`] (admin only).
    pub fn set_engine_keep_minutes(&self, actor: &Actor, minutes: u32) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        if minutes > MAX_KEEP_MINUTES {
            return Err(ClinicError::InvalidInput(format!(
                "minutes must be between 0 (keep it) and {MAX_KEEP_MINUTES}"
            )));
        }
        let old = self.engine_keep_minutes()?;
        self.store().set_setting(
            KEEP_KEY,
            &minutes.to_string(),
            &entry(
                Some(actor),
                "engine_keep",
                ("setting", KEEP_KEY),
                Outcome::Ok,
                json!({"from": old, "to": minutes}),
            ),
        )?;
        Ok(())
    }

    fn remote_settings(&self) -> Result<Option<RemoteSettings>> {
        Ok(self
            .store()
            .setting(REMOTE_KEY)?
            .and_then(|v| serde_json::from_str(&v).ok()))
    }

    /// The remote engine's settings without the key (admin only).
    pub fn remote_view(&self, actor: &Actor) -> Result<Option<RemoteView>> {
        self.authorize(actor, Action::ManageModels)?;
        Ok(self.remote_settings()?.map(|s| RemoteView {
            enabled: s.enabled,
            base_url: s.config.base_url,
            model: s.config.model,
            api_key_set: s.config.api_key.is_some_and(|k| !k.is_empty()),
            timeout_s: s.config.timeout_s,
            allow_http: s.config.allow_http,
        }))
    }

    /// Stores the remote engine's settings (admin only). `api_key: None` keeps the stored key
    /// only while the URL names the same server (scheme, host and port): a key is the hospital
    /// server's, and a session must not be able to carry it to an address of its choosing. An
    /// empty key removes it. A URL with a user name or password is refused whether or not the
    /// engine is enabled (it would be stored and audited); enabling also needs `https://`, a
    /// loopback host, or `allow_http`, which is audited when it is set for a server.
    pub fn set_remote(&self, actor: &Actor, mut settings: RemoteSettings) -> Result<()> {
        self.authorize(actor, Action::ManageModels)?;
        let stored = self.remote_settings()?;
        let config = &mut settings.config;
        if !config.base_url.trim().is_empty() {
            config.url()?;
        }
        // Only a URL that needs it keeps the allowance, so `true` in the database always means
        // plain http to another machine.
        config.allow_http &= config.needs_http_allowance();
        let same_server = stored
            .as_ref()
            .is_some_and(|s| s.config.same_server(&config.base_url));
        let mut api_key_dropped = false;
        if config.api_key.is_none() {
            let old = stored.as_ref().and_then(|s| s.config.api_key.clone());
            if same_server {
                config.api_key = old;
            } else {
                api_key_dropped = old.is_some_and(|k| !k.is_empty());
            }
        }
        // Removing the key from otherwise unchanged settings only makes them safer: it is
        // saved even when those settings are not usable as they stand (plain http elsewhere,
        // saved before that needed an allowance), so that no admin is stuck with a key.
        let only_removes_key = config.api_key.as_deref() == Some("")
            && stored.as_ref().is_some_and(|s| {
                s.enabled == settings.enabled
                    && s.config.base_url == config.base_url
                    && s.config.model == config.model
                    && s.config.timeout_s == config.timeout_s
            });
        if config.api_key.as_deref() == Some("") {
            config.api_key = None;
        }
        let allowance_new = config.allow_http
            && !(same_server && stored.as_ref().is_some_and(|s| s.config.allow_http));
        if settings.enabled && !only_removes_key {
            settings.config.endpoint()?;
        } else if !TIMEOUT_RANGE_S.contains(&settings.config.timeout_s) {
            settings.config.timeout_s = 60;
        }
        let config = &settings.config;
        let value = serde_json::to_string(&settings).unwrap_or_default();
        self.store().set_setting(
            REMOTE_KEY,
            &value,
            &entry(
                Some(actor),
                "engine_remote",
                ("setting", REMOTE_KEY),
                Outcome::Ok,
                // Never the key.
                json!({"enabled": settings.enabled, "base_url": config.base_url,
                       "model": config.model,
                       "api_key_set": config.api_key.is_some(),
                       "api_key_dropped": api_key_dropped,
                       "unencrypted_http": config.allow_http}),
            ),
        )?;
        if allowance_new {
            let host = config
                .url()
                .ok()
                .and_then(|u| u.host_str().map(str::to_string));
            self.store().audit(&entry(
                Some(actor),
                "engine_remote_allow_http",
                ("setting", REMOTE_KEY),
                Outcome::Ok,
                json!({"host": host, "base_url": config.base_url}),
            ))?;
        }
        Ok(())
    }

    /// Tries the remote settings (admin only) without saving them: the server's model list, or
    /// the typed reason it cannot be used. `api_key: None` uses the stored key, and only when
    /// the URL names the stored server; to try another server the admin types its key. The
    /// attempt is audited, since it reaches outside the machine; a URL with a user name or
    /// password is refused before anything is sent or written.
    pub fn test_remote(&self, actor: &Actor, mut config: RemoteConfig) -> Result<RemoteProbe> {
        self.authorize(actor, Action::ManageModels)?;
        let shape = config.url();
        if let Err(e @ llm::LlmError::RemoteUrlCredentials) = shape {
            return Err(e.into());
        }
        if config.api_key.is_none() {
            config.api_key = self
                .remote_settings()?
                .filter(|s| s.config.same_server(&config.base_url))
                .and_then(|s| s.config.api_key);
        }
        config.allow_http &= config.needs_http_allowance();
        // Only a URL that parsed goes into the log: an unparsable one may hold anything.
        let base_url = shape.ok().map(|_| config.base_url.clone());
        let unencrypted_http = config.allow_http;
        let result = llm::remote::RemoteEngine::new(config).and_then(|e| e.probe());
        let (outcome, detail) = match &result {
            Ok(p) => (
                Outcome::Ok,
                json!({"base_url": base_url, "models": p.models.len(),
                       "unencrypted_http": unencrypted_http}),
            ),
            Err(e) => (
                Outcome::Failed,
                json!({"base_url": base_url, "error": e.code(),
                       "unencrypted_http": unencrypted_http}),
            ),
        };
        self.store().audit(&entry(
            Some(actor),
            "engine_remote_test",
            ("setting", REMOTE_KEY),
            outcome,
            detail,
        ))?;
        Ok(result?)
    }

    /// The engine `task` runs on: the remote server when an admin enabled it, else the model
    /// chosen for the task, else the built-in default.
    pub fn engine_plan(&self, task: Task) -> Result<EnginePlan> {
        if let Some(remote) = self.remote_settings()?.filter(|s| s.enabled) {
            return Ok(EnginePlan::Remote(remote.config));
        }
        let options = LocalOptions {
            n_threads: Some(self.engine_threads()?),
            ..planned_options()
        };
        let chosen = self
            .task_models()?
            .into_iter()
            .find(|(t, _)| *t == task)
            .map(|(_, id)| id);
        match chosen {
            None => Ok(EnginePlan::BuiltIn { options }),
            Some(id) => {
                let record = self.store().model(id)?;
                Ok(EnginePlan::Local {
                    id,
                    path: self.models_dir().join(&record.file_name),
                    options: LocalOptions {
                        template_fallback: record.template_fallback,
                        ..options
                    },
                })
            }
        }
    }
}

/// The built-in default model: `$BEDSIDE_MODEL`, else the test model that
/// `scripts/fetch-models.sh` put in the cache (`$BEDSIDE_CACHE`, default `~/.cache/bedside`).
pub fn builtin_model() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BEDSIDE_MODEL") {
        return Some(PathBuf::from(p));
    }
    let cache = std::env::var_os("BEDSIDE_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bedside")))?;
    let path = cache.join("models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf");
    path.exists().then_some(path)
}

/// What an engine is, for the status line and the Models page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngineSource {
    /// `local` or `remote`.
    pub kind: &'static str,
    /// The model's name (remote: `model @ host`).
    pub name: String,
    /// The registry id of a local model chosen by an admin.
    pub model_id: Option<i64>,
    /// The GGUF file (local).
    pub path: Option<PathBuf>,
    /// `gguf` (the file's own template), a fallback's name, or `None` (cannot chat).
    pub template: Option<String>,
    /// Threads (local).
    pub threads: Option<u32>,
    /// Context window in tokens (local).
    pub n_ctx: Option<u32>,
    /// The architecture from the file (local).
    pub architecture: Option<String>,
}

/// A ready engine and what it is.
pub struct LoadedEngine {
    /// The engine.
    pub engine: std::sync::Arc<dyn llm::Engine>,
    /// What it is.
    pub source: EngineSource,
}

/// Loads the engine a plan names. `BuiltIn` uses [`builtin_model`]; without one it is
/// [`ClinicError::NoModel`]. A remote plan connects only when asked to generate.
pub fn load_engine(plan: &EnginePlan) -> Result<LoadedEngine> {
    let local = |path: &Path, options: &LocalOptions, model_id: Option<i64>| {
        let engine = llm::local::LocalEngine::load(path, options)?;
        let source = EngineSource {
            kind: "local",
            name: llm::Engine::model_name(&engine).to_string(),
            model_id,
            path: Some(path.to_path_buf()),
            template: engine.template().map(str::to_string),
            threads: Some(engine.n_threads()),
            n_ctx: Some(engine.n_ctx()),
            architecture: Some(engine.info().architecture.clone()),
        };
        Ok(LoadedEngine {
            engine: std::sync::Arc::new(engine),
            source,
        })
    };
    match plan {
        EnginePlan::Remote(config) => {
            let engine = llm::remote::RemoteEngine::new(config.clone())?;
            let source = EngineSource {
                kind: "remote",
                name: llm::Engine::model_name(&engine).to_string(),
                model_id: None,
                path: None,
                template: None,
                threads: None,
                n_ctx: None,
                architecture: None,
            };
            Ok(LoadedEngine {
                engine: std::sync::Arc::new(engine),
                source,
            })
        }
        EnginePlan::Local { id, path, options } => local(path, options, Some(*id)),
        EnginePlan::BuiltIn { options } => {
            let path = builtin_model().ok_or(ClinicError::NoModel)?;
            local(&path, options, None)
        }
    }
}

fn max_threads() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

fn check_sampling(s: &Sampling) -> Result<()> {
    let bad = |what: &str| Err(ClinicError::InvalidInput(what.to_string()));
    if !(0.0..=2.0).contains(&s.temperature) {
        return bad("temperature must be between 0 and 2");
    }
    if !(s.top_p > 0.0 && s.top_p <= 1.0) {
        return bad("top-p must be above 0 and at most 1");
    }
    if !(1..=8192).contains(&s.max_tokens) {
        return bad("max tokens must be between 1 and 8192");
    }
    if !(1.0..=2.0).contains(&s.repeat_penalty) {
        return bad("the repeat penalty must be between 1 and 2");
    }
    Ok(())
}

fn normalise_sha256(s: &str) -> Result<String> {
    let s = s.trim().to_ascii_lowercase();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s)
    } else {
        Err(ClinicError::InvalidInput(
            "the expected SHA-256 must be 64 hexadecimal characters".into(),
        ))
    }
}

fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 || name.chars().any(char::is_control) {
        return Err(ClinicError::InvalidInput(
            "a model name needs 1 to 120 characters and no control characters".into(),
        ));
    }
    Ok(name.to_string())
}

fn default_name(info: &ModelInfo, source_name: &str) -> String {
    let base = info
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| {
            Path::new(source_name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| info.architecture.clone())
        });
    let base: String = base
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    match &info.quantization {
        Some(q) if !base.contains(q.as_str()) => format!("{base} {q}"),
        _ => base,
    }
}

/// The header figures the memory plan needs, from the registry row.
fn info_of(r: &ModelRecord) -> ModelInfo {
    ModelInfo {
        architecture: r.architecture.clone(),
        name: Some(r.name.clone()),
        parameters: r.parameters,
        quantization: r.quantization.clone(),
        context_length: r.context_length,
        chat_template: r.chat_template,
        kv_bytes_per_token: r.kv_bytes_per_token,
        languages: Vec::new(),
        gguf_version: 3,
        tensors: 0,
        file_size: r.size_bytes,
    }
}

fn copy_error(what: &str, e: &std::io::Error) -> ClinicError {
    ClinicError::Copy {
        what: what.to_string(),
        message: e.to_string(),
        disk_full: e.raw_os_error() == Some(libc::ENOSPC),
    }
}

/// Copies `source` to `dest` (a new file), returning the SHA-256 of the bytes written, synced
/// to disk. Fails if the source does not have `expected_len` bytes when the copy ends.
fn copy_and_hash(
    source: &Path,
    dest: &Path,
    expected_len: u64,
    cancelled: &dyn Fn() -> bool,
    progress: &mut dyn FnMut(CopyProgress),
) -> Result<String> {
    let io = |e: std::io::Error| copy_error("the model", &e);
    let mut input = File::open(source).map_err(io)?;
    let mut output = File::create_new(dest).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; COPY_BUFFER];
    let mut copied = 0u64;
    let mut reported = 0u64;
    progress(CopyProgress {
        copied: 0,
        total: expected_len,
    });
    loop {
        if cancelled() {
            return Err(ClinicError::Cancelled);
        }
        let n = input.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        output.write_all(&buf[..n]).map_err(io)?;
        copied += n as u64;
        if copied - reported >= PROGRESS_EVERY {
            reported = copied;
            progress(CopyProgress {
                copied,
                total: expected_len,
            });
        }
    }
    output.sync_all().map_err(io)?;
    if copied != expected_len {
        return Err(ClinicError::Copy {
            what: "the model".into(),
            message: format!(
                "the file changed while it was copied ({copied} of {expected_len} bytes)"
            ),
            disk_full: false,
        });
    }
    progress(CopyProgress {
        copied,
        total: expected_len,
    });
    Ok(hex::encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_out_of_range_is_refused_with_the_field_named() {
        let ok = Task::Chat.default_sampling();
        assert!(check_sampling(&ok).is_ok());
        for (s, word) in [
            (
                Sampling {
                    temperature: 3.0,
                    ..ok.clone()
                },
                "temperature",
            ),
            (
                Sampling {
                    top_p: 0.0,
                    ..ok.clone()
                },
                "top-p",
            ),
            (
                Sampling {
                    max_tokens: 0,
                    ..ok.clone()
                },
                "max tokens",
            ),
            (
                Sampling {
                    repeat_penalty: 0.5,
                    ..ok.clone()
                },
                "repeat",
            ),
        ] {
            let err = check_sampling(&s).unwrap_err().to_string();
            assert!(err.contains(word), "{err}");
        }
    }

    #[test]
    fn a_triage_summary_is_greedy_by_default() {
        assert_eq!(Task::TriageSummary.default_sampling().temperature, 0.0);
        assert_eq!(Task::parse("triage_summary").unwrap(), Task::TriageSummary);
        assert!(Task::parse("summary").is_err());
    }

    #[test]
    fn an_expected_hash_is_normalised_or_refused() {
        let h = "AB".repeat(32);
        assert_eq!(
            normalise_sha256(&format!(" {h} ")).unwrap(),
            "ab".repeat(32)
        );
        assert!(normalise_sha256("abc").is_err());
    }
}
