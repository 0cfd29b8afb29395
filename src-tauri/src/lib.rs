//! The Bedside window: a thin shell of Tauri commands over the `clinic` crate.
//!
//! Nothing clinical happens here. Every call first passes the [`gate`] (known command, someone
//! logged in, session unlocked, role allowed); each command then parses its arguments, runs
//! the workflow off the async runtime (SQLite, Tantivy and llama.cpp all block) and streams
//! progress through a `Channel`. Errors reach the UI as `{code, message, details}`.

pub mod engines;
pub mod gate;

mod account_commands;
mod commands;
mod model_commands;
mod triage_commands;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use clinic::models::Task;
use clinic::{Actor, Clinic, ClinicError, ErrorPayload};
use tauri::Manager;

/// What a command returns to the UI.
pub(crate) type CmdResult<T> = Result<T, ErrorPayload>;

/// What every command can reach.
pub struct AppState {
    data_dir: PathBuf,
    /// The open database; `None` until its passphrase is given (or on a first run).
    clinic: RwLock<Option<Clinic>>,
    /// Why the database could not be opened at start (altered file, unreadable key file).
    db_error: Mutex<Option<ErrorPayload>>,
    session: gate::SharedSession,
    /// The model in memory, loaded per task from the admin's plan.
    engines: Arc<engines::Engines>,
    /// The running generation's stop flag.
    generation: Mutex<Option<llm::CancelToken>>,
    /// The running import's stop flag.
    import_cancel: Mutex<Option<Arc<std::sync::atomic::AtomicBool>>>,
    /// The running model import's stop flag.
    model_import_cancel: Mutex<Option<Arc<std::sync::atomic::AtomicBool>>>,
    /// What the audit check at start found, when it failed: shown to every admin who logs in
    /// while this window runs (it is also in the audit log and the system log).
    audit_alarm: Mutex<Option<clinic::AuditCheck>>,
}

impl AppState {
    /// The state at start: the database opened if its key needs nobody to type it.
    pub fn start(data_dir: PathBuf) -> AppState {
        let mut db_error = None;
        let clinic = if clinic::keys::is_first_run(&data_dir) {
            None
        } else {
            match clinic::keys::configured_key(&data_dir)
                .and_then(|key| key.map(|k| Clinic::open(&data_dir, &k)).transpose())
            {
                Ok(clinic) => clinic,
                Err(e) => {
                    db_error = Some(e.payload());
                    None
                }
            }
        };
        let idle = idle_of(clinic.as_ref());
        let audit_alarm = clinic.as_ref().and_then(check_at_start);
        if let Some(c) = &clinic {
            // A library imported before search by meaning, or whose embedding stopped.
            c.embed_in_background();
        }
        // No model at start: it loads after a login that needs it (see `engines`).
        let engines = Arc::new(engines::Engines::default());
        engines.keep_for(keep_of(keep_minutes_of(clinic.as_ref())));
        release_when_idle(&engines);
        AppState {
            data_dir,
            clinic: RwLock::new(clinic),
            db_error: Mutex::new(db_error),
            session: Arc::new(Mutex::new(gate::Session::new(idle))),
            engines,
            generation: Mutex::new(None),
            import_cancel: Mutex::new(None),
            model_import_cancel: Mutex::new(None),
            audit_alarm: Mutex::new(audit_alarm),
        }
    }

    /// After `actor` logged in: a clinician's or an admin's work uses the chat's model, so it
    /// loads in the background now; a nurse's loads at their first question or model-assisted
    /// grading (a triage desk may never need it).
    pub(crate) fn after_login(&self, actor: &Actor) {
        if !matches!(actor.role(), clinic::Role::Clinician | clinic::Role::Admin) {
            return;
        }
        let clinic = self.clinic().ok();
        if let Ok(plan) = engines::plan_for(clinic.as_ref(), Task::Chat) {
            self.engines.preload(plan);
        }
    }

    /// The engine for `task`, loaded if needed (blocking: call it inside `blocking`).
    pub(crate) fn engine_loader(
        &self,
        task: Task,
    ) -> impl FnOnce() -> Result<Arc<dyn llm::Engine>, ClinicError> + Send + 'static {
        let clinic = self.clinic().ok();
        let engines = self.engines.clone();
        move || engines.get(engines::plan_for(clinic.as_ref(), task)?)
    }

    /// The open database, or the reason there is none.
    pub(crate) fn clinic(&self) -> CmdResult<Clinic> {
        self.clinic
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or_else(|| ClinicError::PassphraseRequired.payload())
    }

    pub(crate) fn session(&self) -> std::sync::MutexGuard<'_, gate::Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The user the gate admits `command` for now (see [`Admitted`]).
    fn admitted(&self, command: &str) -> CmdResult<Actor> {
        let clinic = self
            .clinic
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let result = self
            .session()
            .admitted(command, clinic.as_ref(), Instant::now());
        if self.session().is_locked() {
            self.stop_generation();
        }
        result.map_err(|e| e.payload())
    }

    /// The gate for one call. A session found idle is locked, and its answer stops.
    pub fn admit(&self, command: &str) -> CmdResult<()> {
        let clinic = self
            .clinic
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let result = self
            .session()
            .admit(command, clinic.as_ref(), Instant::now());
        if self.session().is_locked() {
            self.stop_generation();
        }
        result.map_err(|e| e.payload())
    }

    /// Stops the answer being generated, if any: on lock, logout and a switch of user, the
    /// previous user's answer must not keep streaming onto the screen.
    pub(crate) fn stop_generation(&self) {
        if let Some(token) = self
            .generation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
        {
            token.cancel();
        }
    }
}

/// Checks the audit log, its head and the clinical records as the database opens; the
/// finding when one fails (the clinic has recorded and logged it).
pub(crate) fn check_at_start(clinic: &Clinic) -> Option<clinic::AuditCheck> {
    match clinic.check_at_start() {
        Ok(check) => (!check.intact).then_some(check),
        Err(e) => {
            tracing::warn!(code = e.code(), "the audit check at start could not run");
            None
        }
    }
}

/// How often the window writes the audit chain's head down while it runs.
const HEAD_MARK_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// The user a command runs as: a command argument that the gate fills. The gate in the
/// invoke handler admits each call before its command is even parsed; a command's arguments are
/// parsed later, on the async runtime, where the session may have ended, locked or changed
/// hands in between. Taking the actor here, through the same checks (`gate::Session::admitted`),
/// means a command never runs as a user the gate did not admit for it, and no command reads
/// the session for its actor on its own.
pub(crate) struct Admitted(pub(crate) Actor);

impl<'de, R: tauri::Runtime> tauri::ipc::CommandArg<'de, R> for Admitted {
    fn from_command(
        item: tauri::ipc::CommandItem<'de, R>,
    ) -> Result<Self, tauri::ipc::InvokeError> {
        let webview = item.message.webview();
        let state = webview.state::<AppState>();
        state
            .admitted(item.message.command())
            .map(Admitted)
            .map_err(tauri::ipc::InvokeError::from)
    }
}

/// Minutes an unused model stays in memory: the admin's setting, or the default.
pub(crate) fn keep_minutes_of(clinic: Option<&Clinic>) -> u32 {
    clinic
        .and_then(|c| c.engine_keep_minutes().ok())
        .unwrap_or(clinic::models::DEFAULT_KEEP_MINUTES)
}

/// The setting as the engine slot takes it: 0 keeps the model.
pub(crate) fn keep_of(minutes: u32) -> Option<Duration> {
    (minutes > 0).then(|| Duration::from_secs(u64::from(minutes) * 60))
}

/// Looks every 30 seconds for a model unused longer than the setting, for as long as the
/// window's engines exist.
fn release_when_idle(engines: &Arc<engines::Engines>) {
    let engines = Arc::downgrade(engines);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(30));
        match engines.upgrade() {
            Some(engines) => {
                engines.release_idle();
            }
            None => return,
        }
    });
}

/// The idle-lock time the admin set, or the default before a database is open.
fn idle_of(clinic: Option<&Clinic>) -> Duration {
    let minutes = clinic
        .and_then(|c| c.idle_lock_minutes().ok())
        .unwrap_or(clinic::admin::DEFAULT_IDLE_LOCK_MINUTES);
    Duration::from_secs(u64::from(minutes) * 60)
}

fn data_dir() -> PathBuf {
    std::env::var_os("BEDSIDE_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("bedside")
        })
}

/// Starts the window.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BEDSIDE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let data_dir = data_dir();
    if let Err(e) = clinic::create_data_dir(&data_dir) {
        eprintln!("bedside: {e}");
        std::process::exit(1);
    }
    let handler: Box<dyn Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync> =
        Box::new(tauri::generate_handler![
            account_commands::session_state,
            account_commands::setup_first_run,
            account_commands::unlock_database,
            account_commands::login,
            account_commands::logout,
            account_commands::unlock_session,
            account_commands::lock_session,
            account_commands::session_touch,
            account_commands::password_change,
            commands::app_info,
            commands::library_import,
            commands::library_import_cancel,
            commands::library_import_resume,
            commands::library_jobs,
            commands::library_job_files,
            commands::library_document,
            commands::library_replace,
            commands::library_search,
            commands::library_chunk,
            commands::library_documents,
            commands::library_delete,
            commands::ask,
            commands::ask_cancel,
            commands::conversation_list,
            commands::conversation_get,
            model_commands::models_overview,
            model_commands::model_import,
            model_commands::model_import_cancel,
            model_commands::model_rename,
            model_commands::model_remove,
            model_commands::model_set_template,
            model_commands::model_use,
            model_commands::model_sampling_set,
            model_commands::engine_threads_set,
            model_commands::engine_keep_set,
            model_commands::engine_remote_set,
            model_commands::engine_remote_test,
            model_commands::engine_load,
            model_commands::engine_unload,
            account_commands::user_list,
            account_commands::user_add,
            account_commands::user_set_disabled,
            account_commands::user_reset_password,
            account_commands::audit_list,
            account_commands::audit_verify,
            account_commands::audit_alarm_ack,
            account_commands::settings_set_idle_lock,
            triage_commands::triage_assess,
            triage_commands::triage_save,
            triage_commands::triage_board,
            triage_commands::encounter_get,
            triage_commands::encounter_call_in,
            triage_commands::triage_draft_save,
            triage_commands::triage_draft_load,
            triage_commands::triage_draft_discard,
            triage_commands::triage_rules,
        ]);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::start(data_dir))
        .setup(|app| {
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(HEAD_MARK_INTERVAL);
                if let Ok(clinic) = handle.state::<AppState>().clinic() {
                    clinic.mark_audit_head("hourly");
                }
            });
            Ok(())
        })
        .invoke_handler(move |invoke| {
            let admitted = {
                let webview = invoke.message.webview();
                let state = webview.state::<AppState>();
                state.admit(invoke.message.command())
            };
            match admitted {
                Ok(()) => handler(invoke),
                Err(refusal) => {
                    invoke.resolver.reject(refusal);
                    true
                }
            }
        })
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("bedside: the window could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // The rows of this run are witnessed outside the database as the window closes.
            if let tauri::RunEvent::Exit = event {
                if let Ok(clinic) = app.state::<AppState>().clinic() {
                    clinic.mark_audit_head("exit");
                }
            }
        });
}
